"""The SHACL shapes' table: the slots each class's instances may have, and the spans'
order. ``kg.rdf.schema`` renders it as ``schemas/kg.shacl.ttl`` (closed shapes), which
``kg validate`` checks a store or an export against."""

from __future__ import annotations

from kg.model import PAPER_FIELDS
from kg.rdf.ontology import ENTITY, EVIDENCE, PAPER, RESULT, Slot
from kg.rdf.vocab import (
    KG,
    OWL,
    PAPER_FIELD_PROPERTY,
    PROV,
    RDF,
    RDFS,
    RELATION_PROPERTY,
    RESULT_PROPERTY,
    SKOS,
)

_ONE = (1, 1)
_RELATION_SLOTS = tuple(Slot(iri) for iri in RELATION_PROPERTY.values())
_SPAN_SLOTS = (
    *(Slot(KG + n, *_ONE) for n in ("start", "end", "sentenceStart", "sentenceEnd")),
    Slot(PROV + "wasDerivedFrom", *_ONE),
    Slot(PROV + "wasGeneratedBy", *_ONE),
)
#: class → the slots its instances may have (SHACL shapes are closed over these).
SLOTS: dict[str, tuple[Slot, ...]] = {
    PAPER: (
        *(Slot(PAPER_FIELD_PROPERTY[f.name], *_ONE) for f in PAPER_FIELDS if f.required),
        Slot(KG + "contentHash", *_ONE),
        Slot(KG + "titleKey", *_ONE),
        Slot(KG + "releasesCodeStated", *_ONE),
        *(
            Slot(PAPER_FIELD_PROPERTY[f.name], 0, 1)
            for f in PAPER_FIELDS
            if not (f.required or f.many)
        ),
        *(Slot(PAPER_FIELD_PROPERTY[f.name]) for f in PAPER_FIELDS if f.many),
        Slot(OWL + "sameAs"),
        *_RELATION_SLOTS,
        Slot(RESULT_PROPERTY["paper"]),
    ),
    ENTITY: (
        Slot(KG + "key", *_ONE),
        Slot(SKOS + "prefLabel", *_ONE),
        Slot(SKOS + "altLabel"),
        Slot(SKOS + "broader", 0, 1),
        Slot(OWL + "sameAs"),
        Slot(RDFS + "seeAlso"),
    ),
    EVIDENCE: (
        Slot(RDF + "subject", *_ONE),
        Slot(RDF + "predicate", *_ONE),
        Slot(RDF + "object", *_ONE),
        *_SPAN_SLOTS,
    ),
    RESULT: (
        *(Slot(RESULT_PROPERTY[part], *_ONE) for part in ("value", "kind")),
        *(
            Slot(iri, 0, 1)
            for part, iri in RESULT_PROPERTY.items()
            if part not in ("paper", "value", "kind")
        ),
        *_SPAN_SLOTS,
    ),
}
#: Pairs (a, b) whose values must satisfy a ≤ b on every Evidence and Result
#: (sh:lessThanOrEquals).
EVIDENCE_ORDER = ((KG + "start", KG + "end"), (KG + "sentenceStart", KG + "sentenceEnd"))
