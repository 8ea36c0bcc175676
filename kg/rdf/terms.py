"""The pyoxigraph terms kg's RDF is written in: properties, datatypes and the cached
constructors of the IRIs and literals that repeat across papers. The paper mapping
(``kg.rdf.mapping``), the results mapping (``kg.rdf.results``) and the index share them."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode

from kg.model import EntityKind
from kg.rdf.vocab import DCTERMS, KG, OWL, PROV, RDF, SKOS, XSD, entity_iri, extractor_iri

RDF_TYPE = NamedNode(RDF + "type")
XSD_INT = NamedNode(XSD + "integer")
XSD_BOOL = NamedNode(XSD + "boolean")
RDF_JSON = NamedNode(RDF + "JSON")
P = {
    name: NamedNode(iri)
    for name, iri in {
        "title": DCTERMS + "title",
        "abstract": DCTERMS + "abstract",
        "date": DCTERMS + "date",
        "source": DCTERMS + "source",
        "identifier": DCTERMS + "identifier",
        "creator": DCTERMS + "creator",
        "contentHash": KG + "contentHash",
        "titleKey": KG + "titleKey",
        "alias": KG + "alias",
        "arxivId": KG + "arxivId",
        "doi": KG + "doi",
        "url": KG + "url",
        "releasesCodeStated": KG + "releasesCodeStated",
        "key": KG + "key",
        "prefLabel": SKOS + "prefLabel",
        "altLabel": SKOS + "altLabel",
        "broader": SKOS + "broader",
        "subject": RDF + "subject",
        "predicate": RDF + "predicate",
        "object": RDF + "object",
        "start": KG + "start",
        "end": KG + "end",
        "sentenceStart": KG + "sentenceStart",
        "sentenceEnd": KG + "sentenceEnd",
        "derivedFrom": PROV + "wasDerivedFrom",
        "generatedBy": PROV + "wasGeneratedBy",
        "sameAs": OWL + "sameAs",
    }.items()
}


# Offsets, entity and extractor IRIs repeat across papers; building each term once saves
# a third of the quad-building time of a large build (percent-encoding is the costly part).
@lru_cache(maxsize=1 << 14)
def int_literal(value: int) -> Literal:
    return Literal(str(value), datatype=XSD_INT)


@lru_cache(maxsize=1 << 16)
def entity_node(base: str, kind: EntityKind, key: str) -> NamedNode:
    return NamedNode(entity_iri(base, kind, key))


@lru_cache(maxsize=256)
def extractor_node(base: str, extractor: str) -> NamedNode:
    return NamedNode(extractor_iri(base, extractor))


def extractor_name(iri: str) -> str:
    """The extractor an ``extractor_node`` IRI names (its last path segment, decoded)."""
    return unquote(iri.rsplit("/", 1)[-1])
