"""RDF exports of the real seed graph: parseable, lossless, re-basable, importable."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.errors import InputError, UsageError
from kg.export import EXPORTERS, export, papers_for_query
from kg.query import run_named
from kg.rdf.parse import import_rdf
from kg.rdf.store import OxigraphStore
from kg.rdf.vocab import KG

QUAD_FORMATS = {"nquads": "nquads", "trig": "trig", "jsonld-graphs": "json-ld"}
TRIPLE_FORMATS = ("turtle", "ntriples", "jsonld")


def _rdflib_term(term: object) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    assert isinstance(term, ox.Literal), f"unexpected term {term!r}"
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == str(rdflib.XSD.string):  # RDF 1.1 simple literal
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def store_graph(store: OxigraphStore) -> rdflib.Graph:
    """The store's union graph built straight from its quads, to compare exports against."""
    graph = rdflib.Graph()
    for q in store.quads():
        graph.add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
    return graph


@pytest.fixture(scope="module")
def seed_turtle(
    tmp_path_factory: pytest.TempPathFactory, seed_store: OxigraphStore
) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("export") / "seed.ttl"
    return path, export(seed_store, "turtle", path)


def test_turtle_round_trips_through_rdflib_and_pyoxigraph(seed_store, seed_turtle):
    path, written = seed_turtle
    expected = store_graph(seed_store)
    assert written == len(expected) > 10_000
    parsed = rdflib.Graph().parse(path, format="turtle")
    assert len(parsed) == written
    assert sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)) == written
    assert isomorphic(parsed, expected)


@pytest.mark.parametrize("fmt", [*TRIPLE_FORMATS, *QUAD_FORMATS])
def test_every_rdf_export_reads_back_to_the_turtle_triples(seed_store, seed_turtle, tmp_path, fmt):
    """Triple formats load with the plain ``rdflib.Graph().parse(path)`` (format from the
    file name); quad formats keep per-paper graphs and load as a ``Dataset``."""
    out = tmp_path / f"graph{EXPORTERS.get(fmt).suffix}"
    export(seed_store, fmt, out)
    turtle = rdflib.Graph().parse(seed_turtle[0])
    if fmt in TRIPLE_FORMATS:
        parsed = rdflib.Graph().parse(out)
        assert len(parsed) == len(turtle) and set(parsed) == set(turtle)
    else:
        dataset = rdflib.Dataset().parse(out, format=QUAD_FORMATS[fmt])
        assert {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))} == set(turtle)


def test_jsonld_is_compact_with_one_context(seed_store, tmp_path):
    out = tmp_path / "graph.jsonld"
    export(seed_store, "jsonld", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"]["kg"] == KG and doc["@context"]["paper"].endswith("/paper/")
    papers = [n for n in doc["@graph"] if "kg:Paper" in n.get("@type", [])]
    assert len(papers) == seed_store.stats().papers
    assert all(n["@id"].startswith("paper:") and "dcterms:title" in n for n in papers)


def test_turtle_declares_prefixes_and_uses_them(seed_turtle):
    text = seed_turtle[0].read_text(encoding="utf-8")
    assert "@prefix kg: <https://w3id.org/kg-ml/ns#> ." in text
    assert "@prefix paper: <https://w3id.org/kg-ml/id/paper/> ." in text
    body = text[text.index("\n", text.rindex("@prefix")) :]
    assert "\ta kg:Paper" in body and "\npaper:title:" in body
    assert "<https://w3id.org/kg-ml/" not in body  # every kg IRI written as a prefixed name


@pytest.mark.parametrize("fmt", [*TRIPLE_FORMATS, *QUAD_FORMATS, "graphml", "csv"])
def test_every_format_writes_parseable_output(seed_store, tmp_path, fmt):
    spec = EXPORTERS.get(fmt)
    out = tmp_path / (fmt + spec.suffix)
    written = export(seed_store, fmt, out)
    papers = seed_store.stats().papers
    if fmt in QUAD_FORMATS:
        dataset = rdflib.Dataset().parse(out, format=QUAD_FORMATS[fmt])
        default = rdflib.graph.DATASET_DEFAULT_GRAPH_ID
        graphs = [g for g in dataset.graphs() if g.identifier != default]
        assert len(graphs) == papers + 1  # one per paper + entities
        assert sum(len(g) for g in graphs) == written
    elif fmt == "graphml":
        graph = nx.read_graphml(out)
        kinds = nx.get_node_attributes(graph, "kind")
        assert sum(k == "Paper" for k in kinds.values()) == papers
        variant_of = {(u, v) for u, v, r in graph.edges(data="relation") if r == "VARIANT_OF"}
        assert ("dataset:imagenetlt", "dataset:imagenet") in variant_of
        assert graph.number_of_nodes() + graph.number_of_edges() == written
    elif fmt == "csv":
        assert out.is_dir() and any(out.glob("*.csv")) and written > papers
    else:
        assert len(rdflib.Graph().parse(out)) == written  # format from the file name


def test_export_to_binary_stream(seed_store):
    buffer = io.BytesIO()
    written = export(seed_store, "ntriples", buffer)
    assert buffer.getvalue().count(b" .\n") == written


def test_directory_format_refuses_a_stream(seed_store):
    with pytest.raises(UsageError, match="directory"):
        export(seed_store, "csv", io.BytesIO())


def test_rebase_moves_every_instance_iri(seed_store, tmp_path):
    out = tmp_path / "rebased.nt"
    written = export(seed_store, "ntriples", out, base_iri="http://example.org/kg/")
    graph = rdflib.Graph().parse(out, format="nt")
    assert len(graph) == written
    iris = {str(t) for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}
    assert not any(i.startswith(seed_store.base) for i in iris)
    assert any(i.startswith("http://example.org/kg/paper/") for i in iris)
    assert any(i.startswith(KG) for i in iris)  # vocabulary untouched


def test_query_exports_just_the_answers_papers(seed_store, tmp_path):
    out = tmp_path / "with-code.ttl"
    export(seed_store, "turtle", out, query="papers-with-code")
    answer = {row[0] for row in run_named(seed_store, "papers-with-code").rows}
    graph = rdflib.Graph().parse(out)
    papers = {str(o) for o in graph.objects(None, rdflib.DCTERMS.identifier)}
    assert answer and papers == answer
    papers_and_results = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(KG + "Paper")))
    papers_and_results |= set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(KG + "Result")))
    linked = {
        o for s in papers_and_results for o in graph.objects(s) if isinstance(o, rdflib.URIRef)
    }
    described = set(graph.subjects(rdflib.URIRef(KG + "key")))
    families = {graph.value(e, rdflib.SKOS.broader) for e in linked} - {None}
    # only the entities the answer papers and their results name, and their variants' families
    assert described and described <= linked | families


def test_entity_query_exports_the_papers_behind_the_entities(seed_store):
    top = run_named(seed_store, "top-datasets", {"limit": 1}).rows[0]
    ids = papers_for_query(seed_store, "top-datasets", {"limit": 1})
    assert len(ids) == top[1]


def test_import_round_trip_gives_the_same_extractions(seed_store, seed_turtle, tmp_path):
    fresh = OxigraphStore(tmp_path / "db")
    assert import_rdf(fresh, seed_turtle[0]) == seed_store.stats().papers
    assert list(fresh.extractions()) == list(seed_store.extractions())
    assert fresh.stats() == seed_store.stats()


def test_import_from_rebased_nquads_lands_under_the_store_base(seed_store, tmp_path):
    out = tmp_path / "x.nq"
    export(seed_store, "nquads", out, base_iri="urn:x:")
    fresh = OxigraphStore(tmp_path / "db")
    import_rdf(fresh, out)
    assert list(fresh.extractions()) == list(seed_store.extractions())
    first = next(fresh.quads()).subject.value
    assert first.startswith(fresh.base)


def test_import_rejects_broken_files(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError, match="not valid"):
        import_rdf(OxigraphStore(tmp_path / "db"), bad)
    with pytest.raises(InputError, match="cannot tell the RDF format"):
        import_rdf(OxigraphStore(tmp_path / "db"), tmp_path / "x.xyz")
    with pytest.raises(UsageError, match="unknown RDF format 'rdfxml'"):
        import_rdf(OxigraphStore(tmp_path / "db"), bad, "rdfxml")


def test_import_reads_the_format_it_is_told_and_a_failed_one_leaves_no_store(
    tmp_path, seed_store, seed_turtle
):
    renamed = tmp_path / "graph.data"  # a name that tells no format
    renamed.write_bytes(seed_turtle[0].read_bytes())
    db = tmp_path / "db"
    failed = _kg("import", str(renamed), "--db", str(db))
    assert failed.returncode == 2 and "give --format" in failed.stderr
    assert not db.exists()  # nothing left behind
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    assert _kg("import", str(broken), "--db", str(db)).returncode == 2 and not db.exists()
    done = _kg("import", str(renamed), "--format", "turtle", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert f"{seed_store.stats().papers} papers imported" in done.stdout


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True)


def test_named_queries_still_answer_after_mapping(seed_store):
    """The mapping adds owl:sameAs and reads evidence by rdf:subject; queries are intact."""
    with_code = run_named(seed_store, "papers-with-code").rows
    assert with_code and all(str(code).startswith("http") for _, _, code in with_code)
    assert run_named(seed_store, "top-methods", {"limit": 5}).rows


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["nquads", "turtle"])
def test_the_neo4j_export_equals_the_embedded_one_quad_for_quad(
    neo4j_store, seed_store, seed_extractions, tmp_path, fmt
):
    neo4j_store.upsert(seed_extractions)
    lines = {}
    for name, store in (("neo4j", neo4j_store), ("embedded", seed_store)):
        out = tmp_path / f"{name}.{fmt}"
        written = export(store, fmt, out)
        if fmt == "nquads":
            lines[name] = out.read_text(encoding="utf-8").splitlines()
            assert len(lines[name]) == written == len(set(lines[name]))  # no quad twice
        else:
            lines[name] = set(rdflib.Graph().parse(out))
    assert sorted(lines["neo4j"]) == sorted(lines["embedded"])


def test_turtle_links_each_dataset_variant_to_its_family_with_skos_broader(seed_turtle):
    parsed = rdflib.Graph().parse(seed_turtle[0], format="turtle")
    label = rdflib.SKOS.prefLabel
    pairs = {
        (str(parsed.value(v, label)), str(parsed.value(f, label)))
        for v, f in parsed.subject_objects(rdflib.SKOS.broader)
    }
    assert {("ImageNet-R", "ImageNet"), ("ImageNet-LT", "ImageNet")} <= pairs
    assert all(v.startswith(f) for v, f in pairs if f != "CIFAR-10")  # CIFAR10-LT → CIFAR-10
    for family in set(parsed.objects(None, rdflib.SKOS.broader)):
        assert (family, rdflib.RDF.type, rdflib.URIRef(KG + "Dataset")) in parsed
