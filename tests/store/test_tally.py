"""The embedded store's running counts stay equal to a count from scratch."""

from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.model import PaperExtraction
from kg.store import open_store
from kg.store.oxigraph import OxigraphStore


def index_quads(store: OxigraphStore) -> list[str]:
    return sorted(map(str, store._store.quads_for_pattern(None, None, None, store.index_graph)))


def test_counts_after_inserts_and_replacements_equal_a_recount(
    seed_extractions: list[PaperExtraction],
) -> None:
    store = open_store("memory")
    store.upsert(seed_extractions[:300])  # bulk-loaded
    store.upsert(seed_extractions[300:340])  # a small batch: one transaction
    # papers whose extraction changed: half their mentions gone, so edges and counts drop
    changed = [replace(ex, mentions=ex.mentions[::2]) for ex in seed_extractions[:120]]
    store.upsert(changed + seed_extractions[340:])
    running = index_quads(store)
    stats = store.stats()
    store._recount()
    assert index_quads(store) == running
    assert stats.papers == len(seed_extractions)
    final = {ex.paper.id: ex for ex in seed_extractions} | {ex.paper.id: ex for ex in changed}
    expected_uses = sum(
        len({m.entity.key for m in ex.mentions if m.relation.value == "USES"})
        for ex in final.values()
    )
    assert stats.edges["USES"] == expected_uses > 0


def test_top_lists_read_the_counts(seed_extractions: list[PaperExtraction]) -> None:
    store = open_store("memory")
    store.upsert(seed_extractions)
    counted = store.query(
        "SELECT ?m (COUNT(DISTINCT ?p) AS ?n) WHERE { { ?p kg:uses ?m } UNION { ?p kg:proposes ?m } }"
        " GROUP BY ?m"
    )
    running = store.query("SELECT ?m ?n WHERE { ?m a kg:Method ; kg:paperCount ?n }")
    assert sorted(running.rows) == sorted(counted.rows) and len(counted.rows) > 50


def test_a_build_stopped_half_way_is_recounted_by_the_next_writer(
    tmp_path: Path, seed_extractions: list[PaperExtraction]
) -> None:
    db = tmp_path / "db"
    with OxigraphStore(db) as store:
        store.upsert(seed_extractions[:200])
        good = index_quads(store)
        # as if the process died inside an upsert: marker set, counts half-updated
        store._store.add(store._writing)
        store._store.remove(
            next(iter(store._store.quads_for_pattern(None, None, None, store.index_graph)))
        )
    with pytest.raises(StoreError, match="the last build stopped before it finished"):
        OxigraphStore(db, read_only=True)
    with OxigraphStore(db) as store:  # a writer recounts on opening
        assert index_quads(store) == good
    with OxigraphStore(db, read_only=True) as store:
        assert store.stats().papers == 200
