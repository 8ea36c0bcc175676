"""RDF vocabulary and IRI minting shared by the embedded store, exporters and schemas.

kg's own terms live under ``KG``; the ontology in ``schemas/kg.ttl`` maps them onto
schema.org, FaBiO, DCAT, ML-Schema and PROV-O. Instance IRIs are minted under a
configurable base from canonical ids, percent-encoded so any name gives a valid IRI.
"""

from __future__ import annotations

from urllib.parse import quote

from kg.errors import InputError
from kg.model import EntityKind, Evidence, Relation, Result, result_id, short_hash

KG = "https://w3id.org/kg-ml/ns#"
DEFAULT_BASE_IRI = "https://w3id.org/kg-ml/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
OWL = "http://www.w3.org/2002/07/owl#"
FOAF = "http://xmlns.com/foaf/0.1/"
FABIO = "http://purl.org/spar/fabio/"
CITO = "http://purl.org/spar/cito/"
PRISM = "http://prismstandard.org/namespaces/basic/2.0/"
DCAT = "http://www.w3.org/ns/dcat#"
MLS = "http://www.w3.org/ns/mls#"
LPWC = "https://linkedpaperswithcode.com/property/"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES: dict[str, str] = {
    "kg": KG,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "owl": OWL,
    "mls": MLS,
}

#: Namespaces the ontology maps onto; declared in schemas/kg.ttl, not needed by queries.
ONTOLOGY_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "foaf": FOAF,
    "fabio": FABIO,
    "cito": CITO,
    "prism": PRISM,
    "dcat": DCAT,
    "lpwc": LPWC,
}

#: Path segment under the base IRI for each kind of instance IRI.
INSTANCE_SEGMENTS = (
    "paper",
    *(kind.value.lower() for kind in EntityKind),
    "evidence",
    "result",
    "extractor",
    "graph",
)

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

#: The property that carries each field of ``kg.model.PAPER_FIELDS`` (a test holds the two
#: tables to the same fields): the mapping writes and reads papers, and the ontology
#: declares their slots, from this.
PAPER_FIELD_PROPERTY: dict[str, str] = {
    "id": DCTERMS + "identifier",
    "title": DCTERMS + "title",
    "abstract": DCTERMS + "abstract",
    "date": DCTERMS + "date",
    "source": DCTERMS + "source",
    "arxiv_id": KG + "arxivId",
    "doi": KG + "doi",
    "url": KG + "url",
    "authors": DCTERMS + "creator",
    "aliases": KG + "alias",
}

KIND_CLASS: dict[EntityKind, str] = {kind: KG + kind.value for kind in EntityKind}
CLASS_KIND = {v: k for k, v in KIND_CLASS.items()}
PAPER_CLASS = KG + "Paper"
EVIDENCE_CLASS = KG + "Evidence"
RESULT_CLASS = KG + "Result"

#: The property that carries each part of a ``kg.model.Result`` (ML-Schema's
#: ModelEvaluation pattern: the number is ``mls:hasValue``, the metric ``mls:specifiedBy``
#: through ``kg:resultMetric``); the mapping and the ontology both read this table.
RESULT_PROPERTY: dict[str, str] = {
    "paper": KG + "reportsResult",  # paper → result
    "value": KG + "statedValue",
    "number": MLS + "hasValue",
    "unit": KG + "unit",
    "kind": KG + "resultKind",
    "better": KG + "betterWhen",
    "method": KG + "resultMethod",
    "dataset": KG + "resultDataset",
    "metric": KG + "resultMetric",
    "method_text": KG + "methodAsWritten",
    "dataset_text": KG + "datasetAsWritten",
    "metric_text": KG + "metricAsWritten",
}

# Characters kept as-is in the id part of an IRI; everything else is percent-encoded,
# so quotes, spaces, <>, #, % and unicode all give valid, reversible IRIs.
_SAFE = "-._~:"


# External identifiers keep the IRI-legal punctuation they are written with (DOIs use / ; ( )).
_SAFE_EXTERNAL = "-._~:/;()!$&'*+,=@"


def _segment(value: str) -> str:
    return quote(value, safe=_SAFE)


def instance_prefixes(base: str) -> dict[str, str]:
    """Turtle prefixes for instance IRIs: one per segment, each ending at the last ``/``.

    pyoxigraph escapes ``/`` inside prefixed names (``id:paper\\/x``); prefixes that end
    at the last ``/`` keep local names short and readable.
    """
    return {segment: f"{base}{segment}/" for segment in INSTANCE_SEGMENTS}


def arxiv_iri(arxiv_id: str) -> str:
    """The arXiv abstract page: the IRI other KGs (LPWC, Wikidata) use for a preprint."""
    return "https://arxiv.org/abs/" + quote(arxiv_id.strip(), safe=_SAFE_EXTERNAL)


def doi_iri(doi: str) -> str:
    return "https://doi.org/" + quote(doi.strip(), safe=_SAFE_EXTERNAL)


def paper_iri(base: str, paper_id: str) -> str:
    return f"{base}paper/{_segment(paper_id)}"


def entity_iri(base: str, kind: EntityKind, key: str) -> str:
    return f"{base}{kind.value.lower()}/{_segment(key)}"


def graph_iri(base: str, paper_id: str) -> str:
    """Each paper's triples live in their own named graph, replaced as a unit on rebuild."""
    return f"{base}graph/{_segment(paper_id)}"


def entities_graph_iri(base: str) -> str:
    return f"{base}graph/entities"


def index_graph_iri(base: str) -> str:
    """The embedded store's running counts (``kg.rdf.tally``); not part of exports."""
    return f"{base}graph/index"


def check_paper_id(paper_id: str) -> str:
    """``paper_id`` unless its graph would be one of the store's own (a paper called
    ``entities`` used to overwrite every entity): InputError, before anything is written."""
    if graph_iri("", paper_id) in (entities_graph_iri(""), index_graph_iri("")):
        raise InputError(
            f"paper id {paper_id!r} is reserved for the store's own graphs; give the paper "
            "another id"
        )
    return paper_id


def evidence_iri(base: str, paper_id: str, relation: Relation, key: str, evidence: Evidence) -> str:
    """One node per distinct (edge, span, extractor): two extractors finding the same name
    at the same offset with different ends must not merge into one Evidence."""
    digest = short_hash(
        "\x1f".join(
            map(
                str,
                (paper_id, relation.value, key, evidence.start, evidence.end, evidence.extractor),
            )
        )
    )
    return f"{base}evidence/{digest}"


def result_iri(base: str, paper_id: str, result: Result) -> str:
    return f"{base}result/{result_id(paper_id, result)}"


def extractor_iri(base: str, extractor: str) -> str:
    return f"{base}extractor/{_segment(extractor)}"
