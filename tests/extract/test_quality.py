"""Whole-corpus checks: evidence spans point at the surface text; SciREX abstracts (an
independent yardstick) do not regress. Quality on the annotated seed papers is measured by
cross-validation (tests/extract/test_entity_model.py), never on papers a model saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor, cues, lexicon, to_record
from kg.extract.evaluate import evaluate, load_jsonl, papers_from_records
from kg.model import PaperExtraction
from kg.query import run_named
from kg.rdf.store import OxigraphStore
from kg.resolve.metrics import spellings

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


@pytest.mark.slow
def test_scirex_union_scores_stay_above_floors(extractor: Extractor) -> None:
    path = SHARED / "eval" / "external" / "scirex_abstracts.jsonl"
    gold = load_jsonl(path)
    pred = [to_record(e) for e in extractor.extract(papers_from_records(gold))]
    report = evaluate(gold, pred)
    assert report.fields["datasets"].f1 >= 0.45
    assert report.fields["methods"].precision >= 0.40


def test_seed_graph_top_methods_and_datasets_hold_no_metric_language_or_organisation(
    seed_store: OxigraphStore,
) -> None:
    """What a user sees first: the 20 methods and 20 datasets named by most seed papers.
    None may be a metric (kg's metric table, the cue list), nor a language, organisation,
    field acronym or the web at large (lexicon.GENERIC_NAMES)."""
    metrics = {m.casefold() for m in spellings()}
    for question in ("top-methods", "top-datasets"):
        names = [str(row[0]) for row in run_named(seed_store, question, {"limit": 20}).rows]
        assert len(names) == 20, question
        wrong = [
            n
            for n in names
            if n.casefold() in metrics
            or cues.METRIC_RE.fullmatch(n)
            or n.casefold() in lexicon.GENERIC_NAMES
        ]
        assert not wrong, (question, wrong)
