from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.model import PaperExtraction, Relation
from kg.rdf import store as oxigraph
from kg.rdf.store import OxigraphStore
from kg.store import open_store
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


def test_bulk_load_writes_the_same_graph_as_a_transaction(
    monkeypatch: pytest.MonkeyPatch, seed_extractions: list[PaperExtraction]
) -> None:
    bulk = open_store("memory")
    bulk.upsert(seed_extractions)
    monkeypatch.setattr(oxigraph, "BULK_MIN_PAPERS", len(seed_extractions) + 1)
    transaction = open_store("memory")
    transaction.upsert(seed_extractions)
    assert sorted(map(str, bulk.quads())) == sorted(map(str, transaction.quads()))


def test_a_bulk_load_cut_off_before_its_hashes_is_redone_by_the_next_build(
    monkeypatch: pytest.MonkeyPatch, seed_extractions: list[PaperExtraction]
) -> None:
    store = open_store("memory")
    real_extend = store._store.extend

    def crash(quads: object) -> None:
        raise KeyboardInterrupt  # the process dies between the bulk load and the hashes

    monkeypatch.setattr(store, "_store", _Wrapped(store._store, extend=crash))
    with pytest.raises(KeyboardInterrupt):
        store.upsert(seed_extractions)
    ids = [ex.paper.id for ex in seed_extractions]
    assert store.content_hashes(ids) == {}  # so a re-run sees every paper as not stored
    monkeypatch.setattr(store, "_store", _Wrapped(store._store, extend=real_extend))
    store.upsert(seed_extractions)
    clean = open_store("memory")
    clean.upsert(seed_extractions)
    assert sorted(map(str, store.quads())) == sorted(map(str, clean.quads()))
    assert store.stats() == clean.stats()  # counts half-written by the cut-off upsert are redone


class _Wrapped:
    """A pyoxigraph store with some methods replaced."""

    def __init__(self, inner: object, **methods: object) -> None:
        self._inner, self._methods = inner, methods

    def __getattr__(self, name: str) -> object:
        return self._methods.get(name) or getattr(self._inner, name)


def test_one_writer_or_many_readers(tmp_path: Path) -> None:
    db = tmp_path / "db"
    with OxigraphStore(db):
        with pytest.raises(StoreError, match="a kg process is writing this store"):
            OxigraphStore(db, read_only=True)
    with OxigraphStore(db, read_only=True), OxigraphStore(db, read_only=True):
        with pytest.raises(StoreError, match="in use by another kg process"):
            OxigraphStore(db)
    OxigraphStore(db).close()  # every lock is released on close
