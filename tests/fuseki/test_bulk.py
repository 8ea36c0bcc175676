"""``kg fuseki import`` against a real Apache Jena Fuseki 5.6 in a home of its own (the
command stops and restarts its server, so it cannot share the session's): the bulk-loaded
dataset is the one ``kg load --store sparql`` writes, quad for quad, later loads add to
it, and bad input or a failed loader leave it as it was. The tests run in file order on
one imported server."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.fuseki import server as fuseki_server
from kg.fuseki.bulk import STAGING
from kg.fuseki.store import SparqlStore
from kg.jobs.transfer import load_store
from kg.model import PaperExtraction
from kg.rdf.sharded import ShardedStore
from kg.rdf.store import OxigraphStore
from tests.bulk_import import embedded
from tests.bulk_import import kg_import as kg_bulk_import
from tests.fuseki.test_store import _stored
from tests.fuseki_fixture import TEST_HEAP, require_java
from tests.neo4j.test_store import _plain, answer, query_grid

pytestmark = [pytest.mark.fuseki, pytest.mark.slow]


@dataclasses.dataclass(frozen=True)
class Bulk:
    home: Path
    endpoint: str
    db: Path  # the embedded store it was imported from


def kg_import(source: Path, home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return kg_bulk_import("fuseki", source, home, TEST_HEAP, *extra)


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory,
         seed_extractions: list[PaperExtraction]) -> Iterator[Bulk]:
    require_java()
    work = tmp_path_factory.mktemp("bulk")
    db, home, port = embedded(work / "db", seed_extractions), work / "fuseki", fuseki_server.free_port()
    done = kg_import(db, home, "--port", str(port))
    try:
        assert done.returncode == 0, done.stderr
        assert "398 papers" in done.stdout and "counts match" in done.stdout
        assert "tdb2.tdbloader" in done.stderr  # progress goes to stderr
        assert not (home / STAGING).exists(), "the staging dataset is moved in"
        yield Bulk(home, f"http://127.0.0.1:{port}/kg", db)
    finally:
        fuseki_server.stop(home)


def test_bulk_import_equals_the_online_load(bulk: Bulk, sparql_store: SparqlStore,
                                            seed_store: OxigraphStore,
                                            seed_extractions: list[PaperExtraction]) -> None:
    """Quad for quad what an upsert of the papers writes; paper for paper and answer for
    answer what ``kg load`` of the store writes (which orders evidence records as it reads
    them, so its quads may differ in that literal's order)."""
    sparql_store.upsert(seed_extractions)
    with SparqlStore.open(endpoint=bulk.endpoint) as imported:
        assert _stored(imported) == _stored(sparql_store)
        sparql_store.clear()
        load_store(seed_store, sparql_store)
        assert imported.stats() == sparql_store.stats() == seed_store.stats()
        online = {ex.paper.id: _plain(ex) for ex in sparql_store.extractions()}
        assert {ex.paper.id: _plain(ex) for ex in imported.extractions()} == online
        nonempty = 0
        for name, args in query_grid(seed_extractions):
            got = answer(imported, name, args)
            assert got == answer(sparql_store, name, args), (name, args)
            nonempty += bool(got.rows)
        assert nonempty >= 10


def test_a_dataset_that_holds_quads_is_refused(bulk: Bulk) -> None:
    done = kg_import(bulk.db, bulk.home)
    assert done.returncode == 2
    assert "is not empty; pass --overwrite" in done.stderr
    with SparqlStore.open(endpoint=bulk.endpoint) as store:
        assert store.stats().papers == 398


def test_a_missing_or_corrupt_source_is_exit_2_and_the_dataset_stays(
        bulk: Bulk, tmp_path: Path) -> None:
    not_json = tmp_path / "not-json"
    not_json.mkdir()
    (not_json / "kg.json").write_text('{"format": 1', encoding="utf-8")
    broken = tmp_path / "broken"
    shutil.copytree(bulk.db, broken)
    for sst in (broken / "oxigraph").glob("*.sst"):
        sst.write_bytes(os.urandom(4096))
    with SparqlStore.open(endpoint=bulk.endpoint) as store:
        before = _stored(store)
    for source in (tmp_path / "missing", not_json, broken):
        done = kg_import(source, bulk.home, "--overwrite")
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("kg: error: [KG100]")
        assert str(source) in done.stderr
    assert fuseki_server.status(bulk.home).running
    with SparqlStore.open(endpoint=bulk.endpoint) as store:
        assert _stored(store) == before


def test_a_failed_loader_is_exit_3_and_the_dataset_stays(bulk: Bulk) -> None:
    with SparqlStore.open(endpoint=bulk.endpoint) as store:
        before = _stored(store)
    done = kg_import(bulk.db, bulk.home, "--overwrite", "--heap", "1k")  # the JVM refuses it
    assert done.returncode == 3, done.stderr
    progress, error = done.stderr.rstrip("\n").rsplit("\n", 1)  # progress, then one line
    assert "loading 398 papers" in progress
    assert error.startswith("kg: error: [KG300] tdb2.tdbloader failed")
    assert "Too small maximum heap" in error
    assert not (bulk.home / STAGING).exists()
    assert fuseki_server.status(bulk.home).running
    with SparqlStore.open(endpoint=bulk.endpoint) as store:
        assert _stored(store) == before


def test_kg_load_after_a_bulk_import_adds_papers(bulk: Bulk, tmp_path: Path,
                                                 seed_extractions: list[PaperExtraction]) -> None:
    # new papers: another id and title (the same title would make them the same paper)
    new = [
        dataclasses.replace(
            ex, paper=dataclasses.replace(ex.paper, id=f"title:bulk{i}", title=f"Bulk {i}")
        )
        for i, ex in enumerate(seed_extractions[:25])
    ]
    more = embedded(tmp_path / "more", [*seed_extractions[25:40], *new])
    with SparqlStore.open(endpoint=bulk.endpoint) as store, \
            OxigraphStore(more, read_only=True) as src:
        before = store.stats()
        assert load_store(src, store) == 40
        after = store.stats()
        assert after.papers == before.papers + 25
        assert sum(after.edges.values()) == sum(before.edges.values()) + sum(
            len({(m.relation, m.entity.key) for m in ex.mentions}) for ex in new)
        assert {ex.paper.id for ex in store.extractions([e.paper.id for e in new])} == {
            e.paper.id for e in new}


def test_a_sharded_source_overwrites_as_the_online_load(
        bulk: Bulk, tmp_path: Path, sparql_store: SparqlStore, seed_store: OxigraphStore,
        seed_extractions: list[PaperExtraction]) -> None:
    with ShardedStore(tmp_path / "sharded", shard_papers=150) as sharded:
        sharded.upsert(seed_extractions)
        assert sharded.parts > 1
    done = kg_import(tmp_path / "sharded", bulk.home, "--overwrite")
    assert done.returncode == 0, done.stderr
    sparql_store.upsert(seed_extractions)
    with SparqlStore.open(endpoint=bulk.endpoint) as imported:
        assert imported.stats() == seed_store.stats()  # the 25 loaded papers are gone
        assert _stored(imported) == _stored(sparql_store)
