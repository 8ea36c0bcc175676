"""The result model: shipped weights load and decide deterministically, training reproduces
them, cross-validated quality stays above a floor, and ``kg evaluate`` fails cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract import Extractor, to_record
from kg.extract.evaluate import evaluate, format_report
from kg.extract.logit import fit
from kg.extract.results import EXTRACTOR
from kg.extract.results_model import DECISIONS, ResultModel, shipped
from kg.extract.results_parse import find_values
from kg.model import Paper
from tests.kg_cli import run_kg

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"


def _needs_shared() -> None:
    if not (SHARED / "eval" / "train.jsonl").exists() or not (SHARED / "seeds").exists():
        pytest.skip("the shared seeds and gold files are not there")


def test_shipped_weights_load_once_and_tag_the_extractor() -> None:
    model = shipped()
    assert model is shipped()  # read once, cached
    assert set(model.weights) == set(DECISIONS)
    assert f"kg.result.v2+{model.name}" == EXTRACTOR and model.name.startswith("lr-")
    assert ResultModel.from_json(model.to_json()) == model
    text = (ROOT / "kg/extract/models/results.json").read_text(encoding="utf-8")
    assert json.loads(text)["format"] == "kg.results-model/1"


def test_a_bad_weights_file_is_refused() -> None:
    with pytest.raises(ValueError):
        ResultModel.from_json('{"format": "something else", "name": "x", "weights": {}}')


def test_extraction_is_deterministic() -> None:
    paper = Paper(
        "p1",
        "TinyNet: small and fast",
        "We propose TinyNet. TinyNet reaches 81.2% top-1 accuracy on ImageNet and runs 3x "
        "faster than ResNet-50, improving mAP on COCO by 1.4 points.",
    )
    first = to_record(Extractor().extract_one(paper))["results"]
    assert first == to_record(Extractor().extract_one(paper))["results"]
    assert [r["value"] for r in first] == ["81.2%", "3x", "1.4 points"]
    assert first[0]["metric"] == "top-1 accuracy" and first[0]["dataset"] == "ImageNet"
    assert {r["method"] for r in first} == {"TinyNet"}


def test_fit_learns_a_choice_and_is_deterministic() -> None:
    # the right option is always the one carrying "good"
    decisions = [((("good",), ("noise",)), 0), ((("noise",), ("good",)), 1)] * 5
    w = fit(decisions)
    assert w == fit(decisions)
    assert w["good"] - w["noise"] > 1.0
    prior = fit(decisions, {"noise": 3.0}, l2=100.0)  # a strong prior holds its weight
    assert prior["noise"] > 2.5


def test_values_from_x_down_to_y_are_two() -> None:
    text = "improving perplexity from 41.0 down to 23.7."
    assert [(v.text, v.role) for v in find_values(text, 0, len(text))] == [
        ("41.0", "from"),
        ("23.7", "to"),
    ]


def test_parallel_numbers_are_results() -> None:
    """Made-up sentences in the shape of NLP-TDMS abstracts (external, not dev)."""
    got = to_record(
        Extractor().extract_one(
            Paper(
                "p2",
                "A tagger",
                "We establish a new state of the art with an F1 score of 91.62 on "
                "CoNLL-2003 and 86.28 on OntoNotes.",
            )
        )
    )["results"]
    assert [r["value"] for r in got] == ["91.62", "86.28"]


@pytest.mark.slow
def test_training_reproduces_the_shipped_weights() -> None:
    _needs_shared()
    from kg.extract.results_train import load_annotated, train

    ev = SHARED / "eval"
    papers = load_annotated(SHARED / "seeds", [ev / "dev.jsonl", ev / "train.jsonl"])
    model = train(papers)
    shipped_model = shipped()
    assert model.name == shipped_model.name
    for d in DECISIONS:
        assert model.weights[d].keys() == shipped_model.weights[d].keys()
        for f, w in model.weights[d].items():
            assert w == pytest.approx(shipped_model.weights[d][f], abs=1e-5), (d, f)


def test_empty_gold_and_predictions_score_no_figure() -> None:
    report = evaluate([{"title": "t", "results": []}], [{"title": "t", "results": []}])
    score = report.fields["results_value"]
    assert (score.tp, score.pred, score.gold) == (0, 0, 0)
    assert score.precision is None and score.recall is None and score.f1 is None
    line = next(x for x in format_report(report).splitlines() if x.startswith("results_value"))
    assert "1.000" not in line and "-" in line


def test_result_levels_are_scored_like_the_shared_scorer() -> None:
    gold = [
        {
            "title": "t",
            "results": [
                {"method": "A", "dataset": "D", "metric": "acc", "value": "up to 84.5\\%"},
                {"method": None, "dataset": None, "metric": None, "value": "+1,000"},
            ],
        }
    ]
    pred = [
        {
            "title": "t",
            "results": [
                {"method": "B", "dataset": "D", "metric": "acc", "value": "84.5%"},
                {"method": None, "dataset": "D", "metric": None, "value": "1000"},
            ],
        }
    ]
    fields = evaluate(gold, pred).fields
    assert fields["results_value"].tp == 2
    assert fields["results"].tp == 1
    assert fields["results_method"].tp == 0


def test_evaluate_reports_unreadable_input_in_one_line(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text('{"title": "t", "results": []}\n', encoding="utf-8")
    bad_utf8 = tmp_path / "bad.jsonl"
    bad_utf8.write_bytes(b'{"title": "\xff\xfe"}\n')
    not_json = tmp_path / "broken.jsonl"
    not_json.write_text("{not json\n", encoding="utf-8")
    for gold in (tmp_path / "missing.jsonl", tmp_path, bad_utf8, not_json):
        result = run_kg("evaluate", str(gold), str(good), "--no-errors")
        assert result.returncode == 2, (gold, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kg: error:"), result.stderr
    empty = run_kg("evaluate", str(good), str(good), "--no-errors")
    assert empty.returncode == 0, empty.stderr
    row = next(x for x in empty.stdout.splitlines() if x.startswith("results_value"))
    assert "1.000" not in row
