"""SparqlStore against a real Apache Jena Fuseki 5.6 (no mocks): the session server from
tests/fuseki_fixture.py, plus throw-away ones for credentials and a killed server."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from kg.errors import QueryError, StoreError, UsageError
from kg.fuseki import server as fuseki_server
from kg.fuseki.protocol import Refused, SparqlClient
from kg.fuseki.remote import STAMP
from kg.fuseki.store import SparqlStore
from kg.jobs.transfer import load_store
from kg.model import Entity, EntityKind, Evidence, Mention, Paper, PaperExtraction, Relation
from kg.query import QUERIES
from kg.rdf.store import OxigraphStore
from kg.rdf.terms import RDF_JSON
from kg.rdf.vocab import XSD
from tests.fuseki_fixture import start_test_fuseki
from tests.neo4j.test_store import answer, query_grid

pytestmark = pytest.mark.fuseki
XSD_DOUBLE = NamedNode(XSD + "double")
ROOT = Path(__file__).resolve().parents[2]


def _term(term: object) -> object:
    """A term as N-Triples, a double as its value: TDB2 keeps doubles as numbers and
    writes them back canonical ("40"^^xsd:double comes back as "40.0e0"); an index
    literal as its JSON with keys sorted (pair counts list entities in the order they
    came, which a recount does not repeat)."""
    if isinstance(term, Literal) and term.datatype == XSD_DOUBLE:
        return float(term.value)
    if isinstance(term, Literal) and term.datatype == RDF_JSON:
        return json.dumps(json.loads(term.value), sort_keys=True)
    return str(term)


def _stored(store: SparqlStore) -> set[tuple[object, ...]]:
    """Every quad on the server but the last writer's stamp (random each write)."""
    rows = store.client.solutions("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {tuple(_term(r[v]) for v in "gspo") for r in rows if r["p"] != STAMP}


def _embedded(store: OxigraphStore) -> set[tuple[object, ...]]:
    """Every quad the embedded store holds: papers, entities and its whole index."""
    return {
        tuple(_term(t) for t in (q.graph_name, q.subject, q.predicate, q.object))
        for q in store._store.quads_for_pattern(None, None, None, None)
    }


def test_the_graphs_are_the_embedded_stores_quad_for_quad(
    sparql_store: SparqlStore, seed_extractions: list[PaperExtraction], seed_store: OxigraphStore
) -> None:
    sparql_store.upsert(seed_extractions)
    assert _stored(sparql_store) == _embedded(seed_store)
    assert sparql_store.stats() == seed_store.stats()


def test_named_queries_answer_as_embedded(
    sparql_store: SparqlStore, seed_extractions: list[PaperExtraction], seed_store: OxigraphStore
) -> None:
    """Every named query with every argument the Neo4j parity test tries: the same SPARQL
    text on Fuseki as on pyoxigraph (whose index answers some of them) gives the same rows."""
    sparql_store.upsert(seed_extractions)
    nonempty = 0
    for name, args in query_grid(seed_extractions):
        on_fuseki, embedded = (answer(s, name, args) for s in (sparql_store, seed_store))
        assert on_fuseki.columns == embedded.columns, (name, args)
        assert on_fuseki.rows == embedded.rows, (name, args)
        nonempty += bool(on_fuseki.rows)
    assert nonempty >= 10


def test_first_screens_come_from_the_index_or_are_cut_on_the_server(
    sparql_store: SparqlStore, seed_extractions: list[PaperExtraction], fuseki_endpoint: str
) -> None:
    """The parity test above holds both paths to the embedded answers; here, which one a
    store takes: the index where it has this kg's layout, else pages sorted and cut on the
    server (whole rows with a limit, not every row or summed ones). A writer recounts an
    index an older kg wrote."""
    sparql_store.upsert(seed_extractions)
    top = sparql_store.answer(QUERIES.get("top-methods"), {}, 3)
    assert top is not None and len(top.rows) == 3
    before = _stored(sparql_store)
    layout = next(q for q in before if q[2].endswith("#layout>"))
    sparql_store.client.update(  # as a store an older kg wrote
        f"DELETE DATA {{ GRAPH {layout[0]} {{ {layout[1]} {layout[2]} {layout[3]} }} }}"
    )
    with SparqlStore.open(endpoint=fuseki_endpoint, read_only=True) as reader:
        assert not reader.index.laid_out()
        pushed = {name for name in QUERIES.names() if reader.answer(QUERIES.get(name), {}, 3)
                  is not None}
        assert pushed >= {"top-methods", "top-datasets", "papers-with-code"}
        assert not pushed & {"leaderboard", "benchmarks"}  # sort-only or summed columns
        assert reader.answer(QUERIES.get("top-methods"), {}, None) is None
        assert reader.answer(QUERIES.get("top-methods"), {}, 3) == top
    with SparqlStore.open(endpoint=fuseki_endpoint) as writer:
        assert writer.index.laid_out()
        assert _stored(writer) == before


def test_upsert_twice_changes_nothing(
    sparql_store: SparqlStore, seed_extractions: list[PaperExtraction]
) -> None:
    sparql_store.upsert(seed_extractions)
    before, stats = _stored(sparql_store), sparql_store.stats()
    sparql_store.upsert(seed_extractions[::-1])
    assert _stored(sparql_store) == before
    assert sparql_store.stats() == stats


def test_extractions_round_trip(
    sparql_store: SparqlStore, seed_extractions: list[PaperExtraction], seed_store: OxigraphStore
) -> None:
    sparql_store.upsert(seed_extractions)
    assert list(sparql_store.extractions()) == list(seed_store.extractions())
    on_fuseki, embedded = ({tuple(map(_term, q)) for q in s.quads()} for s in (sparql_store, seed_store))
    assert on_fuseki and on_fuseki == embedded


def test_hostile_names_are_stored_as_data(
    sparql_store: SparqlStore, seed_extractions: list[PaperExtraction]
) -> None:
    sparql_store.upsert(seed_extractions[:20])
    before = sparql_store.stats()
    evil = '"} } ; DROP ALL ; INSERT DATA { GRAPH <x:g> { <x:a> <x:b> "\\u0022'
    script = "<script>alert('kg')</script> \\ \n\t ünïcødé ∑ 🚀"
    abstract = f"We evaluate on {evil} and {script}."
    paper = Paper(id="title:evil <'\">", title=script, abstract=abstract, authors=(evil,))
    ev = Evidence(15, 15 + len(evil), 0, len(abstract), "test")
    mentions = [
        Mention(Relation.EVALUATED_ON, Entity(EntityKind.DATASET, evil, evil), evil, ev),
        Mention(Relation.USES, Entity(EntityKind.METHOD, script, script), script, ev),
    ]
    hostile = PaperExtraction(paper, mentions)
    sparql_store.upsert([hostile])
    after = sparql_store.stats()
    assert after.papers == before.papers + 1
    assert sparql_store.content_hashes([paper.id]) == {paper.id: hostile.content_hash}
    (back,) = sparql_store.extractions([paper.id])
    with OxigraphStore(None) as embedded:
        embedded.upsert([hostile])
        assert back == next(embedded.extractions([paper.id]))
    assert back.paper == paper and {m.entity for m in back.mentions} == {
        m.entity for m in mentions
    }
    table = sparql_store.query(
        "SELECT ?title WHERE { ?p kg:evaluatedOn/kg:key ?key ; dcterms:title ?t "
        "BIND(STR(?t) AS ?title) }",
        {"key": evil},
    )
    assert table.rows == [(script,)]
    assert not sparql_store.query("ASK { GRAPH <x:g> { ?s ?p ?o } }").rows[0][0]


def test_a_replaced_paper_moves_the_counts(
    sparql_store: SparqlStore, seed_extractions: list[PaperExtraction]
) -> None:
    """Cutting every paper's mentions, then restoring them, gives the counts back; the
    counts always equal an embedded store's holding the same papers."""
    full = seed_extractions[:40]
    cut = [PaperExtraction(ex.paper, ex.mentions[:1]) for ex in full]
    sparql_store.upsert(full)
    for batch in (cut, full):
        sparql_store.upsert(batch)
        with OxigraphStore(None) as embedded:
            embedded.upsert(full)
            embedded.upsert(batch)
            assert sparql_store.stats() == embedded.stats()


def test_bad_sparql_is_a_query_error(sparql_store: SparqlStore) -> None:
    with pytest.raises(QueryError, match="SPARQL query rejected"):
        sparql_store.query("SELECT ?x WHERE { ?x ")
    with pytest.raises(UsageError, match="takes writes"):
        sparql_store.query("DROP ALL", write=True)
    assert sparql_store.query("SELECT ?x WHERE { }", {"x": 'a"b'}).rows == [('a"b',)]


def test_a_refused_update_is_exit_2_and_names_the_endpoint(fuseki_endpoint: str) -> None:
    client = SparqlClient(fuseki_endpoint)
    with pytest.raises(Refused) as info:
        client.update("INSERT DATA { <x:a> <x:b> }")
    assert info.value.exit_code == 2
    assert fuseki_endpoint in str(info.value) and "\n" not in str(info.value)


def test_unreachable_endpoint_is_a_quick_store_error() -> None:
    endpoint = f"http://127.0.0.1:{fuseki_server.free_port()}/kg"
    began = time.monotonic()
    with pytest.raises(StoreError) as info:
        SparqlStore.open(endpoint=endpoint)
    assert time.monotonic() - began < 10
    assert endpoint in str(info.value) and "\n" not in str(info.value)
    assert info.value.exit_code == 3
    with pytest.raises(UsageError, match="not a SPARQL endpoint URL"):
        SparqlStore.open(endpoint="bolt://127.0.0.1:7687")


def test_a_missing_dataset_is_a_store_error(fuseki_endpoint: str) -> None:
    with pytest.raises(StoreError, match="404") as info:
        SparqlStore.open(endpoint=fuseki_endpoint + "-none")
    assert info.value.exit_code == 3


@pytest.mark.slow
def test_credentials_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "fuseki"
    with pytest.raises(StoreError, match="may not"):
        fuseki_server.write_passwords(tmp_path, ("kg:", "x"))
    handle = fuseki_server.start(home, port=fuseki_server.free_port(), auth=("kg", "s3cret"))
    try:
        monkeypatch.delenv("KG_SPARQL_USERNAME", raising=False)
        monkeypatch.delenv("KG_SPARQL_PASSWORD", raising=False)
        with pytest.raises(StoreError, match="KG_SPARQL_PASSWORD") as info:
            SparqlStore.open(endpoint=handle.endpoint)
        assert str(info.value).startswith(f"[KG300] {handle.endpoint}: ")
        assert info.value.exit_code == 3
        monkeypatch.setenv("KG_SPARQL_USERNAME", "kg")
        monkeypatch.setenv("KG_SPARQL_PASSWORD", "wrong")
        with pytest.raises(StoreError, match="refused the credentials"):
            SparqlStore.open(endpoint=handle.endpoint)
        monkeypatch.setenv("KG_SPARQL_PASSWORD", "s3cret")
        with SparqlStore.open(endpoint=handle.endpoint) as store:
            assert store.stats().papers == 0
    finally:
        fuseki_server.stop(home)


@pytest.mark.slow
def test_a_load_killed_with_its_server_then_rerun_equals_a_clean_load(
    tmp_path: Path, seed_store: OxigraphStore
) -> None:
    """Kill -9 the server between two batches, restart it on the same TDB2 dataset, re-run
    the load: the graphs and counts equal a clean load's (into the embedded store), each
    paper whole."""
    home = tmp_path / "fuseki"
    handle = start_test_fuseki(home)
    port = int(handle.endpoint.rsplit(":", 1)[1].split("/")[0])
    store = SparqlStore.open(endpoint=handle.endpoint)
    batches = 0

    def crash(_: int) -> None:
        nonlocal batches
        batches += 1
        if batches == 2:
            fuseki_server.stop(home, kill=True)

    try:
        with pytest.raises(StoreError, match=re.escape(handle.endpoint)):
            load_store(seed_store, store, 100, on_batch=crash)
        store.close()
        handle = start_test_fuseki(home, port=port)
        with SparqlStore.open(endpoint=handle.endpoint) as store:
            assert store.stats().papers == 200
            load_store(seed_store, store, 100)
            with OxigraphStore(tmp_path / "clean") as clean:
                load_store(seed_store, clean, 100)
                assert _stored(store) == _embedded(clean)
                assert store.stats() == clean.stats() == seed_store.stats()
    finally:
        fuseki_server.stop(home)


def test_docker_compose_runs_the_fuseki_of_ci_with_kg_s_dataset() -> None:
    """The compose image is built from the Jena version kg/fuseki/pom.xml pulls for CI, and
    serves the dataset ``kg fuseki start`` configures."""
    here = ROOT / "kg" / "fuseki"
    pom = (here / "pom.xml").read_text(encoding="utf-8")
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    version = re.search(r"<jena.version>([\d.]+)</jena.version>", pom)
    assert version, "kg/fuseki/pom.xml names no jena.version"
    assert f"JENA_VERSION: {version.group(1)}" in compose
    docker_config = (here / "docker-config.ttl").read_text(encoding="utf-8")
    expected = fuseki_server.CONFIG.format(name=fuseki_server.DATASET, location='"/fuseki/kg"')
    assert docker_config == expected
