from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.model import PaperExtraction, Relation
from kg.store import open_store
from kg.store.oxigraph import OxigraphStore
from tests.graph_factory import SMALL_GRAPH, make_extraction

HOSTILE = 'x"}) DETACH DELETE n // <script>alert(1)</script> """ \\ \u202e\u200b 🧪 #%'


def test_upsert_twice_gives_the_same_graph(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(SMALL_GRAPH)
        first = (store.stats(), sorted(store.quads(), key=str))
        store.upsert(SMALL_GRAPH)
        assert (store.stats(), sorted(store.quads(), key=str)) == first
        assert first[0].papers == 4


def test_changed_paper_replaces_its_old_edges(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert([make_extraction("Alpha", [(Relation.USES, "BERT")])])
        store.upsert([make_extraction("Alpha", [(Relation.USES, "GPT-4")])])
        [ex] = store.extractions()
        assert [m.entity.name for m in ex.mentions] == ["GPT-4"]
        assert store.stats().edges == {"USES": 1}


def test_extractions_round_trip(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(SMALL_GRAPH)
        back = {ex.paper.id: ex for ex in store.extractions()}
    for ex in SMALL_GRAPH:
        got = back[ex.paper.id]
        assert got.paper == ex.paper
        assert got.releases_code == ex.releases_code
        key = lambda m: (m.evidence.start, m.relation.value)  # noqa: E731
        assert sorted(got.mentions, key=key) == sorted(ex.mentions, key=key)


def test_hostile_names_are_stored_as_data(tmp_path: Path) -> None:
    ex = make_extraction(HOSTILE, [(Relation.USES, HOSTILE)], abstract=f"We use {HOSTILE}.")
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert([*SMALL_GRAPH, ex])
        [back] = store.extractions([ex.paper.id])
        assert back.paper.title == HOSTILE
        assert back.mentions[0].entity.name == HOSTILE
        assert store.stats().papers == 5


def test_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "db"):
        with pytest.raises(StoreError, match="in use by another kg process"):
            OxigraphStore(tmp_path / "db")


def test_reading_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no kg store here"):
        OxigraphStore(tmp_path / "nothing", read_only=True)


def test_base_iri_is_fixed_per_store(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "db", base_iri="https://example.org/a/").close()
    with pytest.raises(StoreError, match="built with base IRI https://example.org/a/"):
        OxigraphStore(tmp_path / "db", base_iri="https://example.org/b/")


def test_memory_store_holds_the_same_graph_as_the_disk_store(
    tmp_path: Path, seed_store: OxigraphStore, seed_extractions: list[PaperExtraction]
) -> None:
    memory = open_store("memory", path=tmp_path / "unused")
    memory.upsert(seed_extractions)
    assert memory.stats() == seed_store.stats()
    assert sorted(map(str, memory.quads())) == sorted(map(str, seed_store.quads()))
    assert not (tmp_path / "unused").exists()  # nothing written
