"""RDF vocabulary and IRI minting shared by the embedded store, exporters and schemas.

kg's own terms live under ``KG``; the ontology in ``schemas/kg.ttl`` maps them onto
schema.org, FaBiO, DCAT, ML-Schema and PROV-O. Instance IRIs are minted under a
configurable base from canonical ids, percent-encoded so any name gives a valid IRI.
"""

from __future__ import annotations

from urllib.parse import quote

from kg.model import EntityKind, Relation, short_hash

KG = "https://w3id.org/kg-ml/ns#"
DEFAULT_BASE_IRI = "https://w3id.org/kg-ml/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"

PREFIXES: dict[str, str] = {
    "kg": KG,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
}

RELATION_PROPERTY: dict[Relation, str] = {
    Relation.PROPOSES: KG + "proposes",
    Relation.USES: KG + "uses",
    Relation.INTRODUCES: KG + "introduces",
    Relation.EVALUATED_ON: KG + "evaluatedOn",
    Relation.USES_DATASET: KG + "usesDataset",
    Relation.ADDRESSES: KG + "addresses",
    Relation.REPORTS_METRIC: KG + "reportsMetric",
    Relation.RELEASES_CODE: KG + "releasesCode",
    Relation.LINKS_TO: KG + "linksTo",
}
PROPERTY_RELATION = {v: k for k, v in RELATION_PROPERTY.items()}

KIND_CLASS: dict[EntityKind, str] = {kind: KG + kind.value for kind in EntityKind}
CLASS_KIND = {v: k for k, v in KIND_CLASS.items()}
PAPER_CLASS = KG + "Paper"
EVIDENCE_CLASS = KG + "Evidence"

# Characters kept as-is in the id part of an IRI; everything else is percent-encoded,
# so quotes, spaces, <>, #, % and unicode all give valid, reversible IRIs.
_SAFE = "-._~:"


def _segment(value: str) -> str:
    return quote(value, safe=_SAFE)


def paper_iri(base: str, paper_id: str) -> str:
    return f"{base}paper/{_segment(paper_id)}"


def entity_iri(base: str, kind: EntityKind, key: str) -> str:
    return f"{base}{kind.value.lower()}/{_segment(key)}"


def graph_iri(base: str, paper_id: str) -> str:
    """Each paper's triples live in their own named graph, replaced as a unit on rebuild."""
    return f"{base}graph/{_segment(paper_id)}"


def entities_graph_iri(base: str) -> str:
    return f"{base}graph/entities"


def evidence_iri(base: str, paper_id: str, relation: Relation, key: str, start: int) -> str:
    digest = short_hash(f"{paper_id}\x1f{relation.value}\x1f{key}\x1f{start}")
    return f"{base}evidence/{digest}"


def extractor_iri(base: str, extractor: str) -> str:
    return f"{base}extractor/{_segment(extractor)}"
