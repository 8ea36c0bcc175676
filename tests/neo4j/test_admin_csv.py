"""CSV export for neo4j-admin: imported offline, it must give the graph upsert gives."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.model import PaperExtraction
from kg.neo4j import server as neo4j_server
from kg.neo4j.admin_csv import write_neo4j_csv
from kg.neo4j.store import Neo4jStore
from kg.rdf.store import OxigraphStore
from tests.neo4j_fixture import require_java, start_test_server


def test_headers_follow_neo4j_admin(tmp_path: Path,
                                    seed_extractions: list[PaperExtraction]) -> None:
    export = write_neo4j_csv(seed_extractions, tmp_path)
    with export.nodes["Paper"].open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header[0] == "id:ID(Paper)" and "authors:string[]" in header
    with export.relationships["EVALUATED_ON"].open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header[:2] == [":START_ID(Paper)", ":END_ID(Dataset)"]
    with export.relationships["VARIANT_OF"].open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [":START_ID(Dataset)", ":END_ID(Dataset)"]
    assert ["imagenetr", "imagenet"] in rows[1:]
    assert export.counts["Paper"] == len(seed_extractions)
    for name, path in {**export.nodes, **export.relationships}.items():
        with path.open(encoding="utf-8", newline="") as f:
            assert sum(1 for _ in csv.reader(f)) - 1 == export.counts[name], name
    edges = {(m.relation.value, ex.paper.id, m.entity.key) for ex in seed_extractions for m in ex.mentions}
    assert export.counts["EVALUATED_ON"] == sum(r == "EVALUATED_ON" for r, *_ in edges)
    with export.relationships["EVALUATED_ON"].open(encoding="utf-8", newline="") as f:
        evidence = next(row for row in csv.reader(f) if row[1] == "imagenetr")
    starts, extractors = evidence[2].split("\x1f"), evidence[6].split("\x1f")
    assert all(s.isdigit() for s in starts) and len(starts) == len(extractors)
    assert "--array-delimiter=U+001F" in export.admin_args()


@pytest.mark.neo4j
@pytest.mark.slow
def test_admin_import_gives_the_same_graph(tmp_path: Path,
                                           seed_extractions: list[PaperExtraction],
                                           seed_store: OxigraphStore) -> None:
    require_java()
    home, port = tmp_path / "neo4j", neo4j_server.free_port()
    export = write_neo4j_csv(seed_extractions, tmp_path / "csv")
    neo4j_server.admin_import(home, export.admin_args(), bolt_port=port, heap="512m")
    handle = start_test_server(home, port=port)
    try:
        with Neo4jStore.open(uri=handle.uri) as store:
            assert store.stats() == seed_store.stats()
            variants = "MATCH (:Dataset)-[v:VARIANT_OF]->(:Dataset) RETURN count(v)"
            broader = "SELECT (COUNT(*) AS ?n) WHERE { ?v skos:broader ?f }"
            assert store.query(variants, {}).rows == seed_store.query(broader).rows != [(0,)]
            back = {ex.paper.id: ex for ex in store.extractions()}
            for ex in seed_extractions:
                assert back[ex.paper.id].paper == ex.paper
                assert len(back[ex.paper.id].mentions) == len(ex.mentions)
    finally:
        neo4j_server.stop(home)
