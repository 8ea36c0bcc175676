"""The generated schemas match the ontology table, cover what the store writes, and bite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SH, URIRef

from kg.export import export
from kg.extract import to_record
from kg.model import EntityKind
from kg.rdf import mapping as rdf_mapping
from kg.rdf.schema import stale_schemas
from kg.rdf.vocab import KG

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
DEV_GOLD = SCHEMAS.parents[1] / "shared" / "eval" / "dev.jsonl"
DECLARED_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
MLS, DCAT, SDO = (rdflib.Namespace(ns) for ns in ("http://www.w3.org/ns/mls#",
                                                  "http://www.w3.org/ns/dcat#",
                                                  "https://schema.org/"))


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(SCHEMAS / "kg.ttl")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SCHEMAS / "kg.shacl.ttl")


@pytest.fixture(scope="module")
def declared(ontology: rdflib.Graph) -> set[str]:
    return {str(s) for t in DECLARED_TYPES for s in ontology.subjects(RDF.type, t)}


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory: pytest.TempPathFactory, seed_store) -> rdflib.Graph:
    path = tmp_path_factory.mktemp("shacl") / "seed.nt"
    export(seed_store, "ntriples", path)
    return rdflib.Graph().parse(path, format="nt")


def test_generated_files_are_up_to_date():
    assert stale_schemas(SCHEMAS) == [], "run: python -c 'from kg.rdf.schema import " \
                                         "write_schemas; write_schemas(\"schemas\")'"


def test_every_kg_term_of_the_mapping_is_declared(declared):
    nodes = [*rdf_mapping.P.values(), *rdf_mapping.RELATION_NODE.values(),
             *rdf_mapping.KIND_NODE.values(), rdf_mapping.PAPER_NODE, rdf_mapping.EVIDENCE_NODE]
    used = {n.value for n in nodes}
    assert {u for u in used if u.startswith(KG)} <= declared
    assert used <= declared  # external properties are declared (typed) too


def test_every_predicate_and_class_in_the_data_is_declared(seed_graph, declared):
    predicates = {str(p) for p in seed_graph.predicates()} - {str(RDF.type)}
    classes = {str(o) for o in seed_graph.objects(None, RDF.type)}
    assert predicates <= declared
    assert classes <= declared


def test_shapes_mention_only_declared_terms(shapes, declared):
    terms = {str(o) for p in (SH.path, SH["class"], SH.targetClass)
             for o in shapes.objects(None, p)}
    assert terms and terms <= declared


def test_ontology_maps_kg_onto_standard_vocabularies(ontology):
    def supers(name: str) -> set[URIRef]:
        return set(ontology.objects(URIRef(KG + name), RDFS.subClassOf))

    assert {SDO.ScholarlyArticle} <= supers("Paper")
    assert {SDO.Dataset, DCAT.Dataset, MLS.Dataset} <= supers("Dataset")
    assert MLS.Algorithm in supers("Method") and MLS.Task in supers("Task")
    assert MLS.EvaluationMeasure in supers("Metric")
    assert SDO.SoftwareSourceCode in supers("CodeRepository")
    for s in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if str(s).startswith(KG):
            assert ontology.value(s, RDFS.label) and ontology.value(s, RDFS.comment)
            assert ontology.value(s, RDFS.domain) and ontology.value(s, RDFS.range)


def test_seed_graph_conforms_to_the_shapes(seed_graph, shapes):
    conforms, _, report = pyshacl.validate(seed_graph, shacl_graph=shapes)
    assert conforms, report


def _broken(graph: rdflib.Graph, predicate: URIRef) -> rdflib.Graph:
    broken = rdflib.Graph()
    for triple in graph:
        broken.add(triple)
    victim = next(graph.subjects(predicate))
    broken.remove((victim, predicate, None))
    return broken


@pytest.mark.parametrize("damage,constraint", [
    ("no-title", "MinCount"), ("no-subject", "MinCount"),
    ("start-after-end", "LessThanOrEquals"), ("stray", "Closed")])
def test_shapes_reject_a_broken_graph(seed_graph, shapes, damage, constraint):
    small = rdflib.Graph()
    papers = list(seed_graph.subjects(RDF.type, URIRef(KG + "Paper")))[:5]
    for paper in papers:  # five papers, their evidence and everything they link
        for s in {paper, *seed_graph.subjects(RDF.subject, paper), *seed_graph.objects(paper)}:
            for triple in seed_graph.triples((s, None, None)):
                small.add(triple)
    assert pyshacl.validate(small, shacl_graph=shapes)[0]
    if damage == "no-title":
        small = _broken(small, rdflib.DCTERMS.title)
    elif damage == "no-subject":
        small = _broken(small, RDF.subject)
    elif damage == "start-after-end":
        ev = next(small.subjects(URIRef(KG + "start")))
        small.set((ev, URIRef(KG + "start"), rdflib.Literal(10**6)))
    else:
        small.add((papers[0], URIRef(KG + "undeclared"), rdflib.Literal("x")))
    conforms, _, report = pyshacl.validate(small, shacl_graph=shapes)
    assert not conforms, damage
    assert f"{constraint}ConstraintComponent" in report


def test_neo4j_constraints_cover_every_node_label():
    cypher = SCHEMAS / "neo4j.cypher"
    if not cypher.exists():
        pytest.skip("schemas/neo4j.cypher not written yet")
    labels = set(re.findall(r"FOR \(\w+:(\w+)\)", cypher.read_text(encoding="utf-8")))
    assert {k.value for k in EntityKind} | {"Paper"} <= labels


def test_record_schema_accepts_kg_output_and_gold_and_rejects_junk(seed_extractions):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "paper-record.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for ex in seed_extractions:
        validator.validate(to_record(ex))
    gold = [json.loads(line) for line in DEV_GOLD.read_text(encoding="utf-8").splitlines()]
    for record in gold:
        validator.validate(record)
    assert any(record["results"] for record in gold)  # the field the schema must accept
    good = to_record(seed_extractions[0])
    junk = [{**good, "releases_code": "yes"}, {**good, "methods_used": [[]]},
            {**good, "code_urls": [["https://x"]]}, {**good, "extra": 1},
            {k: v for k, v in good.items() if k != "tasks"},
            {**good, "results": [{"value": "1.65", "kind": "score"}]},
            {**good, "results": [{"method": None, "dataset": None, "metric": "FID",
                                  "value": "1.65", "kind": "best"}]}]
    assert all(not validator.is_valid(record) for record in junk)
