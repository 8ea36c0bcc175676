"""The kg ontology as one small table: the source of truth for every schema file.

``kg.rdf.schema`` renders this table as the OWL ontology (schemas/kg.ttl), the SHACL
shapes (schemas/kg.shacl.ttl) and the guidelines' JSON Schema; tests check that
``rdf_mapping`` writes only what the table declares. Mappings onto standard vocabularies
are stated as ``super`` (rdfs:subClassOf / rdfs:subPropertyOf) only where the standard
term's meaning really covers kg's; looser kin are ``see_also``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.model import RELATION_KIND, EntityKind, Relation
from kg.rdf.vocab import (
    DCAT,
    DCTERMS,
    FABIO,
    FOAF,
    KG,
    KIND_CLASS,
    LPWC,
    MLS,
    OWL,
    PRISM,
    PROV,
    RDF,
    RDFS,
    RELATION_PROPERTY,
    RESULT_CLASS,
    RESULT_PROPERTY,
    SCHEMA,
    SKOS,
    XSD,
)

STRING, INTEGER, DOUBLE, BOOLEAN, LANG_STRING = (
    XSD + "string",
    XSD + "integer",
    XSD + "double",
    XSD + "boolean",
    RDF + "langString",
)
IRI = "IRI"  # range marker: any IRI (external ids, extractor activities)


@dataclass(frozen=True)
class Class:
    iri: str
    label: str
    comment: str
    super: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Property:
    """A property and how kg uses it; ``own`` properties get domain and range in kg.ttl."""

    iri: str
    range: str
    label: str = ""
    comment: str = ""
    domain: str = ""
    super: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()

    @property
    def own(self) -> bool:
        return self.iri.startswith(KG)

    @property
    def is_object(self) -> bool:
        return not self.range.startswith(XSD) and self.range != LANG_STRING


@dataclass(frozen=True)
class Slot:
    """One property of one class, with its cardinality: a SHACL property shape."""

    path: str
    min: int = 0
    max: int | None = None


PAPER, EVIDENCE, ENTITY, EXTRACTOR = KG + "Paper", KG + "Evidence", KG + "Entity", KG + "Extractor"
RESULT, GROUNDED = RESULT_CLASS, KG + "Grounded"

_KIND_DOC: dict[EntityKind, tuple[str, tuple[str, ...]]] = {
    EntityKind.METHOD: (
        "A named method, model, architecture, algorithm or system.",
        (MLS + "Algorithm",),
    ),
    EntityKind.DATASET: (
        "A named dataset, benchmark, corpus or environment.",
        (SCHEMA + "Dataset", DCAT + "Dataset", MLS + "Dataset"),
    ),
    EntityKind.TASK: ("A research task or problem, as papers name it.", (MLS + "Task",)),
    EntityKind.METRIC: (
        "A named evaluation metric (F1, BLEU, FID …).",
        (MLS + "EvaluationMeasure",),
    ),
    EntityKind.CODE: (
        "A source-code repository a paper releases; its label is the URL.",
        (SCHEMA + "SoftwareSourceCode",),
    ),
    EntityKind.URL: (
        "Any other resource an abstract links to: project page, demo, model or "
        "dataset card. foaf:Document rather than schema:WebPage because the "
        "link may be a download.",
        (FOAF + "Document",),
    ),
}

CLASSES: tuple[Class, ...] = (
    Class(
        PAPER,
        "Paper",
        "A research paper: its metadata and the abstract kg reads.",
        (SCHEMA + "ScholarlyArticle", FABIO + "Expression"),
    ),
    Class(
        ENTITY,
        "Entity",
        "Something papers mention, canonicalised by kg:key; never "
        "asserted in data, the superclass of the six kinds.",
    ),
    *(
        Class(KIND_CLASS[kind], kind.value, doc, (ENTITY, *sup))
        for kind, (doc, sup) in _KIND_DOC.items()
    ),
    Class(
        GROUNDED,
        "Grounded",
        "Something kg read from a character span of a paper's abstract, by an extractor; "
        "never asserted in data, the superclass of Evidence and Result.",
        (PROV + "Entity",),
    ),
    Class(
        EVIDENCE,
        "Evidence",
        "A reified paper → entity edge with the character span of "
        "the abstract that supports it and the extractor that found it.",
        (RDF + "Statement", GROUNDED),
    ),
    Class(
        RESULT,
        "Result",
        "A number the abstract states about how a method does on a dataset in a metric: "
        "ML-Schema's model evaluation, read from the sentence that states it.",
        (MLS + "ModelEvaluation", GROUNDED),
    ),
    Class(
        EXTRACTOR,
        "Extractor",
        "An extraction rule set at a version (e.g. kg.name.v1), "
        "seen as the activity that generated an Evidence.",
        (PROV + "Activity",),
    ),
)

_RELATION_DOC: dict[Relation, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    Relation.PROPOSES: (
        "proposes",
        "The paper introduces and names this method.",
        (LPWC + "hasMethod",),
        (),
    ),
    Relation.USES: (
        "uses",
        "The paper uses, builds on or compares against this method.",
        (LPWC + "hasMethod",),
        (),
    ),
    Relation.INTRODUCES: (
        "introduces",
        "The paper creates and names this dataset.",
        (),
        (LPWC + "introducedBy",),
    ),
    Relation.EVALUATED_ON: (
        "evaluated on",
        "The paper reports evaluation on this dataset.",
        (LPWC + "usesDataset",),
        (),
    ),
    Relation.USES_DATASET: (
        "uses dataset",
        "The paper uses this dataset without reporting evaluation on it (training data, sources).",
        (LPWC + "usesDataset",),
        (),
    ),
    Relation.ADDRESSES: ("addresses", "The paper addresses this task.", (LPWC + "hasTask",), ()),
    Relation.REPORTS_METRIC: (
        "reports metric",
        "The paper reports results in this metric.",
        (),
        (),
    ),
    Relation.RELEASES_CODE: (
        "releases code",
        "The paper releases its code in this "
        "repository; the inverse of schema:isBasedOn (code → paper).",
        (LPWC + "hasRepository",),
        (SCHEMA + "isBasedOn",),
    ),
    Relation.LINKS_TO: ("links to", "The abstract links to this resource.", (), ()),
}


def _own(
    name: str,
    rng: str,
    label: str,
    comment: str,
    domain: str,
    sup: tuple[str, ...] = (),
    see: tuple[str, ...] = (),
) -> Property:
    return Property(KG + name, rng, label, comment, domain, sup, see)


def _result(part: str, rng: str, label: str, comment: str, sup: tuple[str, ...] = ()) -> Property:
    return _own(RESULT_PROPERTY[part].removeprefix(KG), rng, label, comment, RESULT, sup)


RESULT_PROPERTIES: tuple[Property, ...] = (
    _own(
        "reportsResult",
        RESULT,
        "reports result",
        "The paper's abstract states this result.",
        PAPER,
        (),
        (MLS + "hasOutput",),
    ),
    _result("value", STRING, "stated value", 'The number as written ("72.5%", "+2.3 points").'),
    _result("unit", STRING, "unit", 'Unit of the number ("%", "points", "×"), if any.'),
    _result("kind", STRING, "result kind", '"score" (absolute) or "improvement" (relative).'),
    _result(
        "better", STRING, "better when", '"higher" or "lower": which way the metric is better.'
    ),
    _result("method", KIND_CLASS[EntityKind.METHOD], "method", "The method that scores it."),
    _result("dataset", KIND_CLASS[EntityKind.DATASET], "dataset", "What it is measured on."),
    _result(
        "metric",
        KIND_CLASS[EntityKind.METRIC],
        "metric",
        "What it measures, by the metric table's name.",
        (MLS + "specifiedBy",),
    ),
    *(
        _result(
            f"{part}_text", STRING, f"{part} as written", f"The {part} as the sentence names it."
        )
        for part in ("method", "dataset", "metric")
    ),
)

PROPERTIES: tuple[Property, ...] = (
    *(
        _own(
            RELATION_PROPERTY[rel].removeprefix(KG),
            KIND_CLASS[RELATION_KIND[rel]],
            label,
            comment,
            PAPER,
            (SCHEMA + "mentions", *sup),
            see,
        )
        for rel, (label, comment, sup, see) in _RELATION_DOC.items()
    ),
    _own(
        "contentHash",
        STRING,
        "content hash",
        "Hash of title, abstract and date and of the fingerprint of the extraction rules "
        "that read them: a changed hash makes an incremental build re-extract the paper.",
        PAPER,
    ),
    _own(
        "titleKey",
        STRING,
        "title key",
        "The paper's normalised title as an id (title:<hash>): how kg knows a paper that "
        "arrives again with no arXiv id or DOI (see kg.ingest.identity).",
        PAPER,
    ),
    _own(
        "alias",
        STRING,
        "alias",
        "Another id the paper is known by: a source's own id (openalex:W…, s2:…, jsonl:…) "
        "or an id the paper had before kg merged it into this one.",
        PAPER,
        (DCTERMS + "identifier",),
    ),
    _own(
        "arxivId",
        STRING,
        "arXiv id",
        "arXiv identifier without version.",
        PAPER,
        (DCTERMS + "identifier",),
        (FABIO + "hasArXivId",),
    ),
    _own(
        "doi",
        STRING,
        "DOI",
        "Digital Object Identifier, lower-cased.",
        PAPER,
        (DCTERMS + "identifier", PRISM + "doi"),
    ),
    _own("url", STRING, "source URL", "Where kg read the paper.", PAPER, (), (FABIO + "hasURL",)),
    _own(
        "releasesCodeStated",
        BOOLEAN,
        "releases code (stated)",
        "The abstract links code or says code is or will be available.",
        PAPER,
    ),
    _own("key", STRING, "key", "Canonical key that joins variant names of one entity.", ENTITY),
    _own(
        "start",
        INTEGER,
        "start",
        "Offset of the first character of the span (a mention, a stated number).",
        GROUNDED,
    ),
    _own("end", INTEGER, "end", "Offset just past the span's last character.", GROUNDED),
    _own(
        "sentenceStart",
        INTEGER,
        "sentence start",
        "Offset of the first character of the sentence holding the span.",
        GROUNDED,
    ),
    _own("sentenceEnd", INTEGER, "sentence end", "Offset just past that sentence.", GROUNDED),
    *RESULT_PROPERTIES,
    Property(DCTERMS + "identifier", STRING),
    Property(DCTERMS + "title", LANG_STRING),
    Property(DCTERMS + "abstract", LANG_STRING),
    Property(DCTERMS + "date", STRING),
    Property(DCTERMS + "source", STRING),
    Property(DCTERMS + "creator", STRING),
    Property(SKOS + "prefLabel", STRING),
    Property(SKOS + "altLabel", STRING),
    # a dataset variant's family (ImageNet-R → ImageNet; kg.resolve.variants)
    Property(SKOS + "broader", KIND_CLASS[EntityKind.DATASET]),
    Property(RDF + "subject", PAPER),
    Property(RDF + "predicate", IRI),
    Property(RDF + "object", ENTITY),
    Property(PROV + "wasDerivedFrom", PAPER),
    Property(PROV + "wasGeneratedBy", IRI),
    Property(OWL + "sameAs", IRI),
    Property(RDFS + "seeAlso", IRI),
    Property(MLS + "hasValue", DOUBLE),
)
PROPERTY = {p.iri: p for p in PROPERTIES}
