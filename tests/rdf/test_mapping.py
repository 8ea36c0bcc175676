"""The store's compact evidence records stand for exactly the reified evidence exports carry."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg.model import PaperExtraction
from kg.rdf.mapping import (
    EVIDENCE_NODE,
    EVIDENCE_RECORD,
    expand_evidence,
    paper_quads,
    read_paper_graph,
    stored_paper_quads,
)
from kg.rdf.store import OxigraphStore
from kg.rdf.terms import RDF_TYPE
from kg.rdf.vocab import DEFAULT_BASE_IRI, graph_iri
from kg.store import open_store


def test_expanded_records_equal_the_reified_graph_of_every_seed_paper(
    seed_extractions: list[PaperExtraction],
) -> None:
    with_mentions = [ex for ex in seed_extractions if ex.mentions]
    assert len(with_mentions) > 300
    for ex in seed_extractions:
        stored = list(stored_paper_quads(DEFAULT_BASE_IRI, ex))
        assert sum(q.predicate == EVIDENCE_RECORD for q in stored) == (1 if ex.mentions else 0)
        expanded = set(expand_evidence(DEFAULT_BASE_IRI, stored))
        assert expanded == set(paper_quads(DEFAULT_BASE_IRI, ex)), ex.paper.id


def test_records_read_back_as_their_reified_quads_do(seed_store: OxigraphStore) -> None:
    """Every seed paper read from its record equals it read from the reified quads; an
    entity the store does not hold is left out either way, and a record needs its base."""
    entities = seed_store._entities()
    for ex in seed_store.extractions():
        stored = list(stored_paper_quads(DEFAULT_BASE_IRI, ex))
        reified = read_paper_graph(expand_evidence(DEFAULT_BASE_IRI, stored), entities)
        assert read_paper_graph(stored, entities, DEFAULT_BASE_IRI) == reified == ex
    ex = next(ex for ex in seed_store.extractions() if len(ex.mentions) > 1)
    stored = list(stored_paper_quads(DEFAULT_BASE_IRI, ex))
    fewer = {k: v for k, v in entities.items() if v != ex.mentions[0].entity}
    reified = read_paper_graph(expand_evidence(DEFAULT_BASE_IRI, stored), fewer)
    assert read_paper_graph(stored, fewer, DEFAULT_BASE_IRI) == reified
    assert len(reified.mentions) < len(ex.mentions)
    with pytest.raises(ValueError, match="base IRI"):
        read_paper_graph(stored, entities)


def test_the_store_writes_records_and_exports_reified_evidence(seed_store: OxigraphStore) -> None:
    raw = seed_store._store
    assert next(iter(raw.quads_for_pattern(None, RDF_TYPE, EVIDENCE_NODE, None)), None) is None
    records = sum(1 for _ in raw.quads_for_pattern(None, EVIDENCE_RECORD, None, None))
    evidence = sum(1 for q in seed_store.quads() if q.predicate == RDF_TYPE and q.object == EVIDENCE_NODE)
    assert records > 300
    assert evidence > 2 * records
    assert not any(q.predicate == EVIDENCE_RECORD for q in seed_store.quads())


def test_a_store_holding_reified_evidence_reads_back_alike(
    tmp_path: Path, seed_extractions: list[PaperExtraction]
) -> None:
    """Stores written before the records (evidence reified in place) still read back."""
    batch = [ex for ex in seed_extractions if ex.mentions][:40]
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(batch)
        before = list(store.extractions())
        for ex in batch:
            store._store.remove_graph(NamedNode(graph_iri(store.base, ex.paper.id)))
            store._store.extend(paper_quads(store.base, ex))
        assert list(store.extractions()) == before
        assert before[0].mentions


def test_the_store_held_in_memory_keeps_evidence_reified(
    seed_extractions: list[PaperExtraction],
) -> None:
    """No disk to save there, and exports stream out of it without expanding records."""
    memory = open_store("memory")
    memory.upsert(seed_extractions[:50])
    raw = memory._store
    assert next(iter(raw.quads_for_pattern(None, EVIDENCE_RECORD, None, None)), None) is None
    reified = sum(1 for _ in raw.quads_for_pattern(None, RDF_TYPE, EVIDENCE_NODE, None))
    assert reified == sum(1 for q in memory.quads() if q.object == EVIDENCE_NODE) > 50


def test_a_paper_graph_with_a_field_twice_reads_back() -> None:
    """Two records of one paper in one batch leave two titles in its graph; reading it
    must not fail (one of them wins)."""
    from kg.model import Paper, PaperExtraction

    with open_store("memory") as store:
        store.upsert([PaperExtraction(Paper(id="a", title=t, abstract=t)) for t in ("1", "2")])
        [paper] = [ex.paper for ex in store.extractions()]
    assert paper.id == "a" and paper.title in {"1", "2"}
