"""The embedded store's running counts stay equal to a count from scratch."""

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import StoreError
from kg.model import PaperExtraction
from kg.query import QUERIES, run_named
from kg.rdf import lookups, tally
from kg.rdf.answers import READY
from kg.rdf.store import OxigraphStore
from kg.rdf.tally import RANKED, Ranking
from kg.rdf.vocab import KG
from kg.store import open_store


def index_quads(store: OxigraphStore) -> list[str]:
    """The running counts (rankings depend on the order counts changed in, so not them)."""
    quads = store._store.quads_for_pattern(None, None, None, store.index_graph)
    return sorted(str(q) for q in quads if q.predicate.value in (tally.COUNT, tally.PAPER_COUNT))


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
    store.index.recount()
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
        store._store.add(store.index.writing)
        store._store.remove(
            next(iter(store._store.quads_for_pattern(None, None, None, store.index_graph)))
        )
    with pytest.raises(StoreError, match="the last build stopped before it finished"):
        OxigraphStore(db, read_only=True)
    with OxigraphStore(db) as store:  # a writer recounts on opening
        assert index_quads(store) == good
    with OxigraphStore(db, read_only=True) as store:
        assert store.stats().papers == 200


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.integers(0, 1_500), st.integers(0, 40), max_size=400),
        min_size=1,
        max_size=8,
    )
)
def test_a_ranking_holds_every_entity_above_its_floor(batches: list[dict[int, int]]) -> None:
    """Whatever counts come and go, the top RANKED read from the ranking are the true ones."""
    ranking, counts = Ranking(), {}
    for batch in batches:
        changed = {f"e{k}": n for k, n in batch.items()}
        counts.update(changed)
        if not ranking.update(changed):
            ranking = Ranking.of(counts)
        above = {e for e, n in counts.items() if n >= ranking.floor and n > 0}
        assert set(ranking.members) == above
        assert len(ranking.members) >= min(RANKED, sum(1 for n in counts.values() if n > 0))

        def top(items: dict[str, int]) -> list[tuple[str, int]]:
            return sorted(items.items(), key=lambda item: (-item[1], item[0]))[:RANKED]

        assert top(ranking.members) == top({e: n for e, n in counts.items() if n > 0})


def test_top_answers_from_the_ranking_equal_the_full_answers(
    seed_extractions: list[PaperExtraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    ranked = 16  # small enough that the seed graph's ranking has a floor above 1
    monkeypatch.setattr(tally, "RANKED", ranked)
    monkeypatch.setattr(lookups, "RANKED", ranked)
    store = open_store("memory")
    store.upsert(seed_extractions)
    # papers whose extraction changed lose methods: counts fall and rankings must follow
    store.upsert(
        [
            replace(ex, mentions=ex.mentions[: len(ex.mentions) // 3])
            for ex in seed_extractions[:250]
        ]
    )
    methods = store.index._ranking(KG + "Method")
    assert methods.floor > 1 and ranked <= len(methods.members) < 100  # the ranking is in use
    for name in ("top-methods", "top-datasets"):
        query = QUERIES.get(name)
        full = store.query(query.sparql).rows
        kind = READY[query].ranked
        assert kind is not None
        for limit in (5, ranked):
            top = run_named(store, name, {"limit": limit}).rows
            assert store.index.ranked(kind, limit) is not None  # read from the ranking
            assert top == sorted(full, key=lambda r: (-r[1], r[0]))[:limit]
        assert store.index.ranked(kind, ranked + 1) is None  # past it: the full query
        assert (
            run_named(store, name, {"limit": 200}).rows
            == sorted(full, key=lambda r: (-r[1], r[0]))[:200]
        )
    answers = [
        run_named(store, name, {"limit": 10}).rows for name in ("top-methods", "top-datasets")
    ]
    store.index.recount()  # rankings rebuilt from scratch answer alike
    assert [
        run_named(store, name, {"limit": 10}).rows for name in ("top-methods", "top-datasets")
    ] == answers
