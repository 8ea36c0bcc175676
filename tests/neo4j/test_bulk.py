"""``kg neo4j import`` against a real Neo4j 5.26 in a home of its own (the command stops
and restarts its server, so it cannot share the session's): the bulk-imported graph is the
one ``kg load`` builds, later loads add to it, and bad input leaves the database as it was.
The tests run in file order on one imported server."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.jobs.transfer import load_store
from kg.model import PaperExtraction
from kg.neo4j import server as neo4j_server
from kg.neo4j.store import Neo4jStore
from kg.rdf.store import OxigraphStore
from tests.bulk_import import embedded
from tests.bulk_import import kg_import as kg_bulk_import
from tests.neo4j.test_store import _plain, answer, query_grid
from tests.neo4j_fixture import TEST_HEAP, require_java

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@dataclasses.dataclass(frozen=True)
class Bulk:
    home: Path
    uri: str
    db: Path  # the embedded store it was imported from


def kg_import(source: Path, home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return kg_bulk_import("neo4j", source, home, TEST_HEAP, *extra)


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory,
         seed_extractions: list[PaperExtraction]) -> Iterator[Bulk]:
    require_java()
    work = tmp_path_factory.mktemp("bulk")
    db, home, port = embedded(work / "db", seed_extractions), work / "neo4j", neo4j_server.free_port()
    done = kg_import(db, home, "--bolt-port", str(port))
    try:
        assert done.returncode == 0, done.stderr
        assert "398 papers" in done.stdout and "counts match" in done.stdout
        assert "neo4j-admin" in done.stderr  # progress goes to stderr
        assert not list(work.glob(".kg-import-*")), "the CSV files are removed"
        yield Bulk(home, f"bolt://127.0.0.1:{port}", db)
    finally:
        neo4j_server.stop(home)


def test_bulk_import_equals_the_online_load(bulk: Bulk, neo4j_store: Neo4jStore,
                                            seed_store: OxigraphStore,
                                            seed_extractions: list[PaperExtraction]) -> None:
    load_store(seed_store, neo4j_store)
    with Neo4jStore.open(uri=bulk.uri) as imported:
        assert imported.stats() == neo4j_store.stats() == seed_store.stats()
        online = {ex.paper.id: _plain(ex) for ex in neo4j_store.extractions()}
        assert {ex.paper.id: _plain(ex) for ex in imported.extractions()} == online
        nonempty = 0
        for name, args in query_grid(seed_extractions):
            got = answer(imported, name, args)
            assert got == answer(neo4j_store, name, args), (name, args)
            on_sparql = answer(seed_store, name, args)  # the Cypher = SPARQL parity holds too
            assert (got.columns, got.rows) == (on_sparql.columns, on_sparql.rows), (name, args)
            nonempty += bool(got.rows)
        assert nonempty >= 10
        constraints = imported.query("SHOW CONSTRAINTS YIELD name RETURN count(*)", {}).rows
        assert constraints == neo4j_store.query("SHOW CONSTRAINTS YIELD name RETURN count(*)",
                                                {}).rows


def test_a_database_that_holds_nodes_is_refused(bulk: Bulk) -> None:
    done = kg_import(bulk.db, bulk.home)
    assert done.returncode == 2
    assert "is not empty; pass --overwrite" in done.stderr
    with Neo4jStore.open(uri=bulk.uri) as store:
        assert store.stats().papers == 398


def test_a_missing_or_corrupt_source_is_exit_2_and_the_database_stays(
        bulk: Bulk, tmp_path: Path) -> None:
    not_json = tmp_path / "not-json"
    not_json.mkdir()
    (not_json / "kg.json").write_text('{"format": 1', encoding="utf-8")
    broken = tmp_path / "broken"
    shutil.copytree(bulk.db, broken)
    for sst in (broken / "oxigraph").glob("*.sst"):
        sst.write_bytes(os.urandom(4096))
    with Neo4jStore.open(uri=bulk.uri) as store:
        before = store.stats()
    for source in (tmp_path / "missing", not_json, broken):
        done = kg_import(source, bulk.home, "--overwrite")
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("kg: error: [KG100]")
        assert str(source) in done.stderr
    assert neo4j_server.status(bulk.home).running
    with Neo4jStore.open(uri=bulk.uri) as store:
        assert store.stats() == before


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
    with Neo4jStore.open(uri=bulk.uri) as store, OxigraphStore(more, read_only=True) as src:
        before = store.stats()
        assert load_store(src, store) == 40
        after = store.stats()
        assert after.papers == before.papers + 25
        assert sum(after.edges.values()) == sum(before.edges.values()) + sum(
            len({(m.relation, m.entity.key) for m in ex.mentions}) for ex in new)
        assert {ex.paper.id for ex in store.extractions([e.paper.id for e in new])} == {
            e.paper.id for e in new}


def test_overwrite_replaces_the_database(bulk: Bulk, seed_store: OxigraphStore) -> None:
    done = kg_import(bulk.db, bulk.home, "--overwrite")
    assert done.returncode == 0, done.stderr
    with Neo4jStore.open(uri=bulk.uri) as store:
        assert store.stats() == seed_store.stats()  # the 25 loaded papers are gone
