"""Results (GUIDELINES.md, Results): number and unit parsing, metric names and directions,
which numbers are results, whose they are, and a held-out quality floor."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor, to_record
from kg.extract.results import find_results
from kg.extract.results_parse import parse_value
from kg.model import Paper
from kg.resolve.metrics import canonical_metric, direction

SHARED = Path(__file__).parents[2] / ".." / "shared"


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("84.5%", (84.5, "%")),
        ("3.96\\%", (3.96, "%")),
        ("1.65", (1.65, "")),
        ("3x", (3.0, "×")),
        ("3×", (3.0, "×")),
        ("3X", (3.0, "×")),
        ("3 times", (3.0, "×")),
        ("3-fold", (3.0, "×")),
        ("4,000 times", (4000.0, "×")),
        ("+2.3 points", (2.3, "points")),
        ("2.3 pp", (2.3, "points")),
        ("2.3 p.p.", (2.3, "points")),
        ("12.6 F1 points", (12.6, "points")),
        ("-0.5", (-0.5, "")),
        ("−1.2%", (-1.2, "%")),
        ("66%-73%", (None, "%")),
        ("2.2-3.3X", (None, "×")),
        ("8 to 24 times", (None, "×")),
        ("119 FPS", (119.0, "FPS")),
        ("up to 40%", (40.0, "%")),
        ("tripling", (None, "")),
    ],
)
def test_parse_value(value: str, parsed: tuple[float | None, str]) -> None:
    assert parse_value(value) == parsed


def test_metric_names_are_normalised_with_a_direction() -> None:
    for name in ("top-1 accuracy", "Top-1 Acc.", "top1", "TOP-1 ACCURACY"):
        assert canonical_metric(name) == "top-1 accuracy"
    assert canonical_metric("Frechet Inception Distance") == "FID"
    assert canonical_metric("tail-class accuracy") == "accuracy"
    assert canonical_metric("macro-accuracy") == "accuracy"
    assert canonical_metric("mean end-to-end latency") == "latency"
    assert canonical_metric("a made-up thing") is None
    assert canonical_metric("") is None
    for lower in ("FID", "word error rate", "perplexity", "WER", "loss", "latency", "error"):
        assert direction(lower) == "lower", lower
    for higher in ("accuracy", "BLEU", "F1 score", "mAP", "AUROC", "throughput"):
        assert direction(higher) == "higher", higher
    assert direction("score") is None and direction("unknown metric") is None


def _results(abstract: str, title: str = "A paper") -> list[dict[str, object]]:
    ex = Extractor().extract_one(Paper("p1", title, abstract))
    for r in ex.results:  # evidence points at the value inside its sentence
        ev = r.evidence
        assert abstract[ev.start : ev.end] == r.value
        assert ev.sentence_start <= ev.start < ev.end <= ev.sentence_end
    results: list[dict[str, object]] = to_record(ex)["results"]
    return results


def test_our_method_is_the_proposed_method() -> None:
    text = (
        "We propose FlowNet, a flow model for images. "
        "Our method improves top-1 accuracy on ImageNet by 2.3%."
    )
    assert _results(text) == [
        {
            "method": "FlowNet",
            "dataset": "ImageNet",
            "metric": "top-1 accuracy",
            "value": "2.3%",
            "kind": "improvement",
        }
    ]
    unnamed = _results("We study a new loss. Our method improves accuracy by 2.3%.")
    assert [r["method"] for r in unnamed] == [None]


def test_from_x_to_y_is_two_results_and_qualifiers_are_left_out() -> None:
    got = _results(
        "We introduce TinyNet. TinyNet raises the accuracy from 70.1% to 75.4% "
        "and runs up to 3x faster.",
        title="TinyNet: small and fast",
    )
    assert [(r["value"], r["method"], r["kind"]) for r in got] == [
        ("70.1%", None, "score"),
        ("75.4%", "TinyNet", "score"),
        ("3x", "TinyNet", "improvement"),
    ]


def test_ranges_stay_whole() -> None:
    got = _results("We propose FastKV. FastKV reduces latency by 2.2-3.3X.")
    assert [(r["value"], r["metric"]) for r in got] == [("2.2-3.3X", "latency")]


def test_sizes_counts_years_ranks_and_settings_are_not_results() -> None:
    text = (
        "We train a 7B model on 2.4B tokens from 14 datasets collected in 2023. "
        "It ranked 1st among 30 teams. We prune 50% of the parameters and induce "
        "75% sparsity with a batch size of 16 (see Section 3)."
    )
    assert _results(text) == []


def test_find_results_needs_no_digit_work_on_plain_text() -> None:
    from kg.extract.components import Reading

    assert find_results(Reading("No numbers here.")) == []


def test_dataset_spans_the_entity_component_missed_are_offered() -> None:
    """Made-up sentences: a name after "on" and a name before "dataset" become dataset
    options; GPU counts, metrics and "-based" modifiers do not."""
    from kg.extract.results_spans import _CUE_AFTER, _CUE_BEFORE, _trim

    def names(text: str) -> list[str]:
        return [
            _trim(m.group("name"))[1] for p in (_CUE_BEFORE, _CUE_AFTER) for m in p.finditer(text)
        ]

    assert names("reaching 1.27 bits/char on text8 and 1.24 on Hutter Prize.") == [
        "text8",
        "Hutter Prize",
    ]
    assert names("On DSTC2, our model obtains 74.5% accuracy") == ["DSTC2"]
    assert names("the Penn Treebank Character dataset") == ["Penn Treebank Character"]
    assert names("trained on 128 GPUs") == []


def test_listed_metrics_pair_with_listed_numbers() -> None:
    got = to_record(
        Extractor().extract_one(
            Paper("p3", "A parser", "We propose a parser. Its UAS and LAS are 95.9% and 94.1%.")
        )
    )["results"]
    assert [(r["value"], r["metric"]) for r in got] == [("95.9%", "UAS"), ("94.1%", "LAS")]


def test_results_read_names_as_the_rules_decide_them_whatever_decides_the_edges(
    seed_papers: list[Paper],
) -> None:
    """The entity model decides the graph's edges; the results finder reads the names the
    hand rules would have kept (``Reading.by_rules``), so both extractors give one paper the
    same results while their edges differ."""
    from kg.extract.pipeline import ExtractConfig

    papers = seed_papers[:120]
    learned = list(Extractor().extract(papers))
    rules = list(Extractor(ExtractConfig(learned=False)).extract(papers))
    assert [ex.results for ex in learned] == [ex.results for ex in rules]
    assert sum(len(ex.results) for ex in learned) >= 20
    assert [ex.mentions for ex in learned] != [ex.mentions for ex in rules]
