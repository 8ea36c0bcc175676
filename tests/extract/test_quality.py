"""Whole-corpus checks: evidence spans point at the surface text; dev scores stay above floors;
SciREX abstracts (an independent yardstick) do not regress."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor, to_record
from kg.extract.evaluate import evaluate, load_jsonl, papers_from_records
from kg.model import Paper, PaperExtraction

SHARED = Path(__file__).parents[2] / ".." / "shared"


def test_every_mention_span_is_its_surface_inside_its_sentence(
        seed_extractions: list[PaperExtraction]) -> None:
    mentions = 0
    for ex in seed_extractions:
        text = ex.paper.abstract
        for m in ex.mentions:
            ev = m.evidence
            assert text[ev.start:ev.end] == m.surface, (ex.paper.title, m)
            assert ev.sentence_start <= ev.start < ev.end <= ev.sentence_end, m
            assert m.evidence.extractor.startswith("kg.")
            mentions += 1
    assert mentions > 1000


def test_dev_scores_stay_above_floors(seed_papers: list[Paper], extractor: Extractor) -> None:
    gold = load_jsonl(SHARED / "eval" / "dev.jsonl")
    report = evaluate(gold, [to_record(e) for e in extractor.extract(seed_papers)])
    f1 = {name: s.f1 for name, s in report.fields.items()}
    assert report.without_prediction == 0
    assert f1["methods"] >= 0.75
    assert f1["datasets"] >= 0.82
    assert f1["datasets_evaluated"] >= 0.80
    assert f1["methods_proposed"] >= 0.70
    assert f1["code_urls"] >= 0.98 and f1["other_urls"] >= 0.95
    assert report.releases_code_accuracy is not None and report.releases_code_accuracy >= 0.95


@pytest.mark.slow
def test_scirex_union_scores_stay_above_floors(extractor: Extractor) -> None:
    path = SHARED / "eval" / "external" / "scirex_abstracts.jsonl"
    gold = load_jsonl(path)
    pred = [to_record(e) for e in extractor.extract(papers_from_records(gold))]
    report = evaluate(gold, pred)
    assert report.fields["datasets"].f1 >= 0.45
    assert report.fields["methods"].precision >= 0.40
