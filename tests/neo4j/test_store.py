"""Neo4jStore against a real Neo4j 5.26 server (no mocks): the session server from
tests/neo4j_fixture.py, plus a second, password-protected one for the crash-resume test."""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.errors import QueryError, StoreError, UsageError
from kg.jobs.build import store_extractions
from kg.jobs.distributed import extract_partition, load_partitions, plan_partitions
from kg.jobs.transfer import load_store
from kg.model import (
    Entity,
    EntityKind,
    Evidence,
    Mention,
    Paper,
    PaperExtraction,
    Relation,
)
from kg.neo4j import server as neo4j_server
from kg.neo4j.mapping import schema_statements, schema_text
from kg.neo4j.store import Neo4jStore
from kg.query import QUERIES, run_named
from kg.rdf.store import OxigraphStore
from kg.store.base import Store, Table
from tests.neo4j_fixture import start_test_server

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[2]


def _key(m: Mention) -> tuple[int, str, str]:
    return (m.evidence.start, m.relation.value, m.entity.key)


def _plain(ex: PaperExtraction) -> tuple[object, ...]:
    """An extraction minus entity display names, which the first writer of an entity sets."""
    mentions = [(m.relation, m.entity.kind, m.entity.key, m.surface, m.evidence)
                for m in sorted(ex.mentions, key=_key)]
    results = [(r.value, r.kind, r.number, r.unit, r.method, r.dataset, r.metric, r.evidence,
                tuple(e and e.key for e in r.entities)) for r in ex.results]
    return ex.paper, ex.releases_code, mentions, results


def _edge_duplicates(store: Neo4jStore) -> int:
    table = store.query("MATCH (p:Paper)-[r]->(e) WITH p, type(r) AS t, e, count(*) AS c "
                        "WHERE c > 1 RETURN count(*) AS n", {})
    return int(table.rows[0][0])


def _param_values(extractions: list[PaperExtraction], kind: EntityKind) -> list[str]:
    """Entity names of ``kind``, most mentioned first, plus one that names nothing."""
    named = [e for ex in extractions for e in ex.entity_surfaces()]  # results' too
    counts = Counter(e.name for e in named if e.kind is kind)
    return [name for name, _ in counts.most_common(12)] + ["no such thing at all"]


def query_grid(extractions: list[PaperExtraction]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every named query with every combination of the arguments the parity tests try."""
    values: dict[str, list[Any]] = {
        "dataset": _param_values(extractions, EntityKind.DATASET),
        "method": _param_values(extractions, EntityKind.METHOD),
        "task": _param_values(extractions, EntityKind.TASK),
        "metric": ["", *_param_values(extractions, EntityKind.METRIC)[:2]],
        "with_code": [False, True], "include_variants": [False, True], "limit": [0, 20, 3]}
    for name in QUERIES.names():
        grid = [[(p.name, v) for v in values[p.name]] for p in QUERIES.get(name).params]
        for combo in itertools.product(*grid):
            yield name, dict(combo)


def answer(store: Store, name: str, args: dict[str, Any]) -> Table:
    """The store's answer, or the error's words (a name neither graph holds)."""
    try:
        return run_named(store, name, args)
    except UsageError as error:
        return Table(["error"], [(str(error),)])


def test_docker_compose_runs_the_neo4j_of_ci_and_has_no_default_password() -> None:
    """The compose image is the org.neo4j:neo4j version kg/neo4j/pom.xml pulls for CI, and
    a missing NEO4J_PASSWORD stops compose with a line that names it."""
    pom = (ROOT / "kg" / "neo4j" / "pom.xml").read_text(encoding="utf-8")
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    version = re.search(r"<neo4j.version>([\d.]+)</neo4j.version>", pom)
    assert version, "kg/neo4j/pom.xml names no neo4j.version"
    assert re.findall(r"^\s*image:\s*(\S+)", compose, re.M) == [
        f"neo4j:{version.group(1)}-community"
    ]
    assert "NEO4J_AUTH: neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD}" in compose
    assert "NEO4J_PASSWORD:-" not in compose


def test_schema_file_is_what_the_store_applies() -> None:
    assert (ROOT / "schemas" / "neo4j.cypher").read_text(encoding="utf-8") == schema_text()


def test_constraints_exist_for_every_label(neo4j_store: Neo4jStore) -> None:
    table = neo4j_store.query("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                              "RETURN name, type, labelsOrTypes[0] AS label, properties", {})
    found = {row[2]: (row[1], row[3]) for row in table.rows}
    assert found["Paper"] == ("UNIQUENESS", ["id"])
    for kind in EntityKind:
        assert found[kind.value] == ("UNIQUENESS", ["key"])
    assert len(table.rows) == sum("CONSTRAINT" in s for s in schema_statements())
    indexes = neo4j_store.query("SHOW INDEXES YIELD name RETURN name", {})
    assert {"paper_title_key", "paper_arxiv_id", "paper_doi"} <= {row[0] for row in indexes.rows}


def test_named_queries_answer_as_on_oxigraph(neo4j_store: Neo4jStore,
                                             seed_extractions: list[PaperExtraction],
                                             seed_store: OxigraphStore) -> None:
    neo4j_store.upsert(seed_extractions)
    nonempty = 0
    for name, args in query_grid(seed_extractions):
        on_neo4j, on_oxigraph = (answer(s, name, args) for s in (neo4j_store, seed_store))
        assert on_neo4j.columns == on_oxigraph.columns, (name, args)
        assert on_neo4j.rows == on_oxigraph.rows, (name, args)
        nonempty += bool(on_neo4j.rows)
    assert nonempty >= 10


def test_upsert_twice_changes_nothing(neo4j_store: Neo4jStore,
                                      seed_extractions: list[PaperExtraction],
                                      seed_store: OxigraphStore) -> None:
    neo4j_store.upsert(seed_extractions)
    first = neo4j_store.stats()
    neo4j_store.upsert(seed_extractions[::-1])
    assert neo4j_store.stats() == first == seed_store.stats()
    assert _edge_duplicates(neo4j_store) == 0
    results = neo4j_store.query("MATCH (:Paper)-[:REPORTS_RESULT]->(x:Result) RETURN count(x)", {})
    assert results.rows == [(sum(len(ex.results) for ex in seed_extractions),)] != [(0,)]


def test_dataset_variants_are_linked_to_their_family_as_in_rdf(
    neo4j_store: Neo4jStore, seed_extractions: list[PaperExtraction], seed_store: OxigraphStore
) -> None:
    neo4j_store.upsert(seed_extractions)
    neo4j_store.upsert(seed_extractions[:50])  # MERGE: a variant keeps one link
    cypher = "MATCH (v:Dataset)-[:VARIANT_OF]->(f:Dataset) RETURN v.name, f.name"
    sparql = "SELECT ?v ?f WHERE { ?d skos:broader/skos:prefLabel ?f ; skos:prefLabel ?v }"
    linked = sorted(neo4j_store.query(cypher, {}).rows)
    assert linked == sorted(seed_store.query(sparql).rows)
    assert ("ImageNet-R", "ImageNet") in linked and len(set(linked)) == len(linked)


def test_upsert_replaces_a_papers_edges(neo4j_store: Neo4jStore,
                                        seed_extractions: list[PaperExtraction]) -> None:
    ex = next(e for e in seed_extractions if len({m.relation for m in e.mentions}) > 1)
    neo4j_store.upsert([ex])
    kept = [m for m in ex.mentions if m.relation is ex.mentions[0].relation]
    neo4j_store.upsert([PaperExtraction(ex.paper, kept, ex.releases_code)])
    back = next(neo4j_store.extractions([ex.paper.id]))
    assert {m.relation for m in back.mentions} == {ex.mentions[0].relation}


def test_extractions_round_trip(neo4j_store: Neo4jStore,
                                seed_extractions: list[PaperExtraction]) -> None:
    neo4j_store.upsert(seed_extractions)
    back = {ex.paper.id: ex for ex in neo4j_store.extractions()}
    assert sorted(back) == sorted(ex.paper.id for ex in seed_extractions)
    names: dict[tuple[EntityKind, str], str] = {}
    for ex in seed_extractions:
        assert _plain(back[ex.paper.id]) == _plain(ex)
        for entity in ex.entity_surfaces():  # mentions and results: the first name wins
            names.setdefault((entity.kind, entity.key), entity.name)
    for ex in back.values():
        for m in ex.mentions:
            assert m.entity.name == names[(m.entity.kind, m.entity.key)]
    some = [ex.paper.id for ex in seed_extractions[:3]]
    assert [ex.paper.id for ex in neo4j_store.extractions([*some, "arxiv:0000.0000"])] == some
    hashes = neo4j_store.content_hashes(some)
    assert hashes == {ex.paper.id: ex.content_hash for ex in seed_extractions[:3]}


def test_dask_part_files_load_as_one_process_extracted(
        neo4j_store: Neo4jStore, seed_extractions: list[PaperExtraction], seeds_dir: Path,
        tmp_path: Path) -> None:
    """The distributed path ends in Neo4j too: the part files each Dask task writes
    (``extract_partition``, as ``kg extract --engine dask``) load as ``kg build
    --from-extracted --store neo4j`` does, into the graph a single process extracts."""
    plan = plan_partitions([seeds_dir], partitions=4)
    for i, part in enumerate(plan):
        extract_partition(part, str(tmp_path / f"part-{i:05d}.jsonl"))
    stored = store_extractions(load_partitions(tmp_path), neo4j_store, batch_size=64)
    assert len(plan) > 1 and stored == len(seed_extractions)
    back = {ex.paper.id: _plain(ex) for ex in neo4j_store.extractions()}
    assert back == {ex.paper.id: _plain(ex) for ex in seed_extractions}


def test_hostile_names_are_stored_as_data(neo4j_store: Neo4jStore,
                                          seed_extractions: list[PaperExtraction]) -> None:
    neo4j_store.upsert(seed_extractions[:20])
    before = neo4j_store.stats()
    evil = 'x"}) DETACH DELETE n //'
    script = "<script>alert('kg')</script>"
    abstract = f"We evaluate on {evil} and {script}."
    paper = Paper(id="title:evil", title=script, abstract=abstract, authors=(evil,))
    ev = Evidence(15, 15 + len(evil), 0, len(abstract), "test")
    mentions = [Mention(Relation.EVALUATED_ON, Entity(EntityKind.DATASET, evil, evil), evil, ev),
                Mention(Relation.USES, Entity(EntityKind.METHOD, script, script), script, ev)]
    neo4j_store.upsert([PaperExtraction(paper, mentions)])
    after = neo4j_store.stats()
    assert after.papers == before.papers + 1
    rows = neo4j_store.query("MATCH (p:Paper)-[:EVALUATED_ON]->(d:Dataset {key: $k}) "
                             "RETURN p.title, d.name, d.surface_forms, p.authors", {"k": evil})
    assert rows.rows == [(script, evil, [evil], [evil])]
    back = next(neo4j_store.extractions(["title:evil"]))
    assert _plain(back) == _plain(PaperExtraction(paper, mentions))


def test_bad_cypher_is_a_query_error(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(QueryError, match="syntax"):
        neo4j_store.query("MATCH (n RETURN n", {})
    with pytest.raises(QueryError):
        neo4j_store.query("RETURN $missing", {})
    assert neo4j_store.query("RETURN $x AS x", {"x": 'a"b'}).rows == [('a"b',)]


def test_unreachable_server_is_a_quick_store_error() -> None:
    uri = f"bolt://127.0.0.1:{neo4j_server.free_port()}"
    began = time.monotonic()
    with pytest.raises(StoreError) as info:
        Neo4jStore.open(uri=uri)
    assert time.monotonic() - began < 10
    assert uri in str(info.value) and "\n" not in str(info.value)
    assert info.value.exit_code == 3


def test_unknown_database_is_a_store_error(neo4j_uri: str) -> None:
    with pytest.raises(StoreError, match="no database 'nosuchdb'") as info:
        Neo4jStore.open(uri=neo4j_uri, database="nosuchdb")
    assert neo4j_uri in str(info.value)


@pytest.mark.slow
def test_a_server_that_wants_a_password_says_to_set_neo4j_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No password given to an auth-enabled server: the error names NEO4J_PASSWORD (the
    variable docker-compose.yml reads too); with it set in the environment, kg connects."""
    home, auth = tmp_path / "neo4j", ("neo4j", "kg-test-password")
    handle = start_test_server(home, auth=auth)
    try:
        monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
        monkeypatch.delenv("NEO4J_USERNAME", raising=False)
        with pytest.raises(StoreError) as info:
            Neo4jStore.open(uri=handle.uri)
        assert str(info.value).endswith(
            f"{handle.uri}: Neo4j requires a password; set NEO4J_PASSWORD "
            "(and NEO4J_USERNAME if not 'neo4j')"
        )
        assert info.value.exit_code == 3
        monkeypatch.setenv("NEO4J_PASSWORD", auth[1])
        with Neo4jStore.open(uri=handle.uri) as store:
            assert store.query("RETURN 1 AS one", {}).rows == [(1,)]
    finally:
        neo4j_server.stop(home)


@pytest.mark.slow
def test_load_resumes_after_a_crash(tmp_path: Path, seed_store: OxigraphStore) -> None:
    """Kill -9 the server between two batches, restart it, re-run the load: complete, and
    nothing twice. Also checks the password-protected path."""
    home, auth = tmp_path / "neo4j", ("neo4j", "kg-test-password")
    handle = start_test_server(home, auth=auth)
    port = int(handle.uri.rsplit(":", 1)[1])
    try:
        with pytest.raises(StoreError, match="credentials"):
            Neo4jStore.open(uri=handle.uri, username="neo4j", password="wrong-password")
        dst = Neo4jStore.open(uri=handle.uri, username=auth[0], password=auth[1], retry_s=2)

        stored: list[int] = []

        def crash(n: int) -> None:
            stored.append(n)
            if sum(stored) == 80:
                neo4j_server.stop(home, kill=True)

        with pytest.raises(StoreError, match=handle.uri):
            load_store(seed_store, dst, batch_size=40, on_batch=crash)
        dst.close()

        start_test_server(home, auth=auth, port=port)
        dst = Neo4jStore.open(uri=handle.uri, username=auth[0], password=auth[1])
        expected = {ex.paper.id: ex for ex in seed_store.extractions()}
        loaded = list(dst.extractions())
        assert len(loaded) == 80
        assert all(ex == expected[ex.paper.id] for ex in loaded)  # whole papers only

        assert load_store(seed_store, dst, batch_size=40) == len(expected)
        assert dst.stats() == seed_store.stats()
        assert {ex.paper.id: ex for ex in dst.extractions()} == expected
        assert _edge_duplicates(dst) == 0
        dst.close()
    finally:
        neo4j_server.stop(home)
