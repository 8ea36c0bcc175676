"""Names that break naive RDF writers survive export → parse → import unchanged."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from kg.export import export
from kg.model import Entity, EntityKind, Evidence, Mention, Paper, PaperExtraction, Relation
from kg.query import run_named
from kg.rdf.parse import import_rdf
from kg.rdf.store import OxigraphStore
from kg.rdf.vocab import entity_iri
from kg.resolve import Resolver

HOSTILE = [
    'He said "hi" and \'bye\'',
    "<script>alert(1)</script>",
    "emoji 🧠🔥 and CJK 知识图谱",
    "line one\nline two\r\nthree\ttab",
    'triple """ quotes \'\'\' here',
    "back\\slash \\n \\u0041 not escapes",
    "rtl \u202eevil\u202c and zero\u200bwidth\u200d joiner \ufeff bom",
    "hash # and percent %41 %zz 100%",
    "slash/a/b?q=1&x=2 colon:semicolon; dot.",
    " leading and trailing spaces ",
]


def _extraction(i: int, name: str) -> PaperExtraction:
    abstract = f"We evaluate {name} on stuff."
    start = abstract.index(name)
    task = Resolver.default().resolve(EntityKind.TASK, name)
    mentions = [
        Mention(rel, entity or Entity(kind, key=f"{name}|{kind.value}", name=name), name,
                Evidence(start, start + len(name), 0, len(abstract), "test.v1"))
        for rel, kind, entity in ((Relation.USES, EntityKind.METHOD, None),
                                  (Relation.EVALUATED_ON, EntityKind.DATASET, None),
                                  (Relation.ADDRESSES, EntityKind.TASK, task))
    ]
    paper = Paper(id=f"title:{name}#{i}", title=name, abstract=abstract, source="test",
                  arxiv_id=f"2401.{i:05d}" if i % 2 else None,
                  doi=f"10.1000/({name[:5]})<{i}>" if i % 3 == 0 else None,
                  authors=(name, f"Author {i}"))
    return PaperExtraction(paper, mentions, releases_code=bool(i % 2))


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    store = OxigraphStore(tmp_path_factory.mktemp("hostile") / "db")
    store.upsert([_extraction(i, name) for i, name in enumerate(HOSTILE)])
    return store


@pytest.mark.parametrize("fmt,rdflib_fmt", [("turtle", "turtle"), ("ntriples", "nt"),
                                            ("nquads", "nquads"), ("trig", "trig"),
                                            ("jsonld", "json-ld"),
                                            ("jsonld-graphs", "json-ld")])
def test_titles_and_names_survive_every_rdf_format(hostile_store, tmp_path, fmt, rdflib_fmt):
    out = tmp_path / f"hostile.{fmt}"
    written = export(hostile_store, fmt, out)
    graph = rdflib.Dataset().parse(out, format=rdflib_fmt)
    quads = list(graph.quads((None, None, None, None)))
    assert len(quads) == written
    titles = {str(o) for _, p, o, _ in quads if p == rdflib.DCTERMS.title}
    labels = {str(o) for _, p, o, _ in quads if p == rdflib.SKOS.prefLabel}
    assert titles == set(HOSTILE)
    assert set(HOSTILE) <= labels
    langs = {o.language for _, p, o, _ in quads if p == rdflib.DCTERMS.title}
    assert langs == {"en"}


def test_entity_iris_are_valid_and_reversible(hostile_store):
    for name in HOSTILE:
        iri = entity_iri(hostile_store.base, EntityKind.METHOD, name)
        ox.NamedNode(iri)  # raises on an invalid IRI
        assert not set(iri) & set(' <>"{}|\\^`\n#')
        assert iri.isascii()


def test_hostile_graph_imports_back_identically(hostile_store, tmp_path):
    out = tmp_path / "hostile.ttl"
    export(hostile_store, "turtle", out)
    fresh = OxigraphStore(tmp_path / "db")
    assert import_rdf(fresh, out) == len(HOSTILE)
    assert list(fresh.extractions()) == list(hostile_store.extractions())


def test_arxiv_and_doi_become_same_as_links(hostile_store, tmp_path):
    out = tmp_path / "hostile.nt"
    export(hostile_store, "ntriples", out)
    same = {str(o) for o in rdflib.Graph().parse(out, format="nt").objects(None, rdflib.OWL.sameAs)}
    assert "https://arxiv.org/abs/2401.00001" in same
    assert any(s.startswith("https://doi.org/10.1000/(") and "%3C0%3E" in s for s in same)


def test_named_queries_find_hostile_names(hostile_store):
    name = HOSTILE[1]
    rows = run_named(hostile_store, "papers-on-task", {"task": name}).rows
    titles = {title for _, title in rows}
    assert name in titles
