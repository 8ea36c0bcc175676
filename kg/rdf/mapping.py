"""PaperExtraction ⇄ RDF quads: the embedded store's layout, also what RDF exports contain.

Each paper's own triples (its literals, its edges and their evidence) go into one named
graph, so a rebuild replaces a paper as a unit. Entity descriptions are shared by all
papers and go into one ``entities`` graph. Evidence is reified with rdf:Statement plus
PROV-O: which character span of which paper's abstract supports the edge, and which
extractor made it.

The embedded store on disk keeps each paper's evidence as one ``kg:evidenceRecord``
literal (``rdf:JSON``) instead of ten quads per mention: those were two thirds of its
writes and of its size. ``expand_evidence`` turns a record back into the reified quads, so
exports, read-backs and the round trip see one layout whichever way the store keeps it.
The store held in memory keeps evidence reified: it has no disk to save, and its exports
stream straight out of it with no Python work per quad.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg.model import (
    PAPER_FIELDS,
    Entity,
    EntityKind,
    Evidence,
    Mention,
    PaperExtraction,
    Relation,
    paper_from_record,
    stored_order,
    title_id,
)
from kg.rdf.results import read_results, result_nodes, result_quads
from kg.rdf.terms import (
    RDF_JSON,
    RDF_TYPE,
    XSD_BOOL,
    P,
    entity_node,
    extractor_name,
    extractor_node,
    int_literal,
)
from kg.rdf.vocab import (
    EVIDENCE_CLASS,
    KG,
    KIND_CLASS,
    PAPER_CLASS,
    PAPER_FIELD_PROPERTY,
    RELATION_PROPERTY,
    arxiv_iri,
    doi_iri,
    evidence_iri,
    graph_iri,
    paper_iri,
)
from kg.resolve.variants import family

EVIDENCE_RECORD = NamedNode(KG + "evidenceRecord")
RELATION_NODE = {rel: NamedNode(iri) for rel, iri in RELATION_PROPERTY.items()}
FIELD_NODE = {name: NamedNode(iri) for name, iri in PAPER_FIELD_PROPERTY.items()}
_FIELD_BY_PROPERTY = {iri: name for name, iri in PAPER_FIELD_PROPERTY.items()}
_REQUIRED = tuple(f for f in PAPER_FIELDS if f.required)
_OPTIONAL = tuple(f for f in PAPER_FIELDS if not f.required)
_MANY = {f.name for f in PAPER_FIELDS if f.many}
_TEXTS = {"title", "abstract"}  # language-tagged: written in English
KIND_NODE = {kind: NamedNode(iri) for kind, iri in KIND_CLASS.items()}
PAPER_NODE = NamedNode(PAPER_CLASS)
EVIDENCE_NODE = NamedNode(EVIDENCE_CLASS)


# A build names each paper five times (hash look-up, replace check, quads, hash quad):
# one percent-encoding per paper and batch instead.
@lru_cache(maxsize=1 << 15)
def paper_nodes(base: str, paper_id: str) -> tuple[NamedNode, NamedNode]:
    """(paper IRI, its named graph's IRI)."""
    return NamedNode(paper_iri(base, paper_id)), NamedNode(graph_iri(base, paper_id))


def _text(value: str) -> Literal:
    return Literal(value, language="en")


def content_hash_quad(base: str, ex: PaperExtraction) -> Quad:
    """The quad that marks a paper as stored: bulk loads write it last (see the store)."""
    s, g = paper_nodes(base, ex.paper.id)
    return Quad(s, P["contentHash"], Literal(ex.content_hash), g)


def paper_quads(base: str, ex: PaperExtraction, content_hash: bool = True) -> Iterator[Quad]:
    """The quads of one paper's named graph as exports carry them: evidence reified."""
    s, g = paper_nodes(base, ex.paper.id)
    yield from _described(base, ex, s, g, content_hash)
    edges = ((m.relation, m.entity.kind, m.entity.key, m.evidence) for m in ex.mentions)
    yield from _reified(base, ex.paper.id, s, g, edges)


def stored_paper_quads(base: str, ex: PaperExtraction, content_hash: bool = True) -> Iterator[Quad]:
    """The same graph as the embedded store keeps it: evidence as one record."""
    s, g = paper_nodes(base, ex.paper.id)
    yield from _described(base, ex, s, g, content_hash)
    if ex.mentions:
        yield Quad(s, EVIDENCE_RECORD, Literal(evidence_record(ex), datatype=RDF_JSON), g)


def evidence_record(ex: PaperExtraction) -> str:
    """``{"paper": id, "mentions": [[relation, kind, key, start, end, sentence start,
    sentence end, extractor], ...]}``: everything the reified form says, nothing more."""
    rows = [
        [
            m.relation.value,
            m.entity.kind.value,
            m.entity.key,
            *m.evidence.as_tuple(),
        ]
        for m in ex.mentions
    ]
    return json.dumps({"paper": ex.paper.id, "mentions": rows}, separators=(",", ":"))


def expand_evidence(base: str, quads: Iterable[Quad]) -> Iterator[Quad]:
    """``quads`` with every evidence record replaced by the reified quads it stands for."""
    for q in quads:
        if q.predicate != EVIDENCE_RECORD:
            yield q
            continue
        record = json.loads(q.object.value)
        edges = (
            (Relation(rel), EntityKind(kind), key, Evidence(*spans))
            for rel, kind, key, *spans in record["mentions"]
        )
        yield from _reified(base, record["paper"], q.subject, q.graph_name, edges)


def _described(
    base: str, ex: PaperExtraction, s: NamedNode, g: NamedNode, content_hash: bool
) -> Iterator[Quad]:
    """The paper's literals and its edges."""
    paper = ex.paper
    yield Quad(s, RDF_TYPE, PAPER_NODE, g)
    for f in _REQUIRED:
        value = getattr(paper, f.name)
        yield Quad(s, FIELD_NODE[f.name], _text(value) if f.name in _TEXTS else Literal(value), g)
    if content_hash:
        yield Quad(s, P["contentHash"], Literal(ex.content_hash), g)
    yield Quad(s, P["titleKey"], Literal(title_id(paper.title)), g)
    yield Quad(
        s,
        P["releasesCodeStated"],
        Literal("true" if ex.releases_code else "false", datatype=XSD_BOOL),
        g,
    )
    for f in _OPTIONAL:
        value = getattr(paper, f.name)
        for item in value if f.many else (value,) if value else ():
            yield Quad(s, FIELD_NODE[f.name], Literal(item), g)
    # Links to the same paper in other graphs (LPWC, Wikidata, OpenAlex all use these IRIs).
    if paper.arxiv_id:
        yield Quad(s, P["sameAs"], NamedNode(arxiv_iri(paper.arxiv_id)), g)
    if paper.doi:
        yield Quad(s, P["sameAs"], NamedNode(doi_iri(paper.doi)), g)
    for m in ex.mentions:
        yield Quad(s, RELATION_NODE[m.relation], entity_node(base, m.entity.kind, m.entity.key), g)
    yield from result_quads(base, ex, s, g)


def _reified(
    base: str,
    paper_id: str,
    s: Any,
    g: Any,
    edges: Iterable[tuple[Relation, EntityKind, str, Evidence]],
) -> Iterator[Quad]:
    """One kg:Evidence (rdf:Statement + PROV-O) per (relation, entity kind, key, evidence)."""
    for relation, kind, key, evidence in edges:
        o = entity_node(base, kind, key)
        rel = RELATION_NODE[relation]
        ev = NamedNode(evidence_iri(base, paper_id, relation, key, evidence))
        yield Quad(ev, RDF_TYPE, EVIDENCE_NODE, g)
        yield Quad(ev, P["subject"], s, g)
        yield Quad(ev, P["predicate"], rel, g)
        yield Quad(ev, P["object"], o, g)
        yield Quad(ev, P["start"], int_literal(evidence.start), g)
        yield Quad(ev, P["end"], int_literal(evidence.end), g)
        yield Quad(ev, P["sentenceStart"], int_literal(evidence.sentence_start), g)
        yield Quad(ev, P["sentenceEnd"], int_literal(evidence.sentence_end), g)
        yield Quad(ev, P["derivedFrom"], s, g)
        yield Quad(ev, P["generatedBy"], extractor_node(base, evidence.extractor), g)


def _recorded_mentions(
    base: str, records: list[Quad], entities: dict[str, Entity], abstract: str
) -> list[Mention]:
    """The mentions of evidence records, as their reified quads would read back: one per
    distinct (relation, entity, evidence), none for an entity the store does not hold."""
    rows = {tuple(row) for q in records for row in json.loads(q.object.value)["mentions"]}
    mentions = []
    for rel, kind, key, start, end, sentence_start, sentence_end, extractor in rows:
        entity = entities.get(entity_node(base, EntityKind(kind), key).value)
        if entity is not None:
            evidence = Evidence(start, end, sentence_start, sentence_end, extractor)
            surface = abstract[start:end] or entity.name
            mentions.append(Mention(Relation(rel), entity, surface, evidence))
    return mentions


def entity_quads(
    base: str, entity: Entity, surfaces: Iterable[str], graph: NamedNode, new: bool
) -> Iterator[Quad]:
    """Entity description; the preferred label, and the family a dataset variant belongs
    to (skos:broader, ``kg.resolve.variants``), are written once, when the entity is new."""
    s = entity_node(base, entity.kind, entity.key)
    if new:
        yield Quad(s, RDF_TYPE, KIND_NODE[entity.kind], graph)
        yield Quad(s, P["key"], Literal(entity.key), graph)
        yield Quad(s, P["prefLabel"], Literal(entity.name), graph)
        if (parent := family(entity)) is not None:
            yield Quad(s, P["broader"], entity_node(base, parent.kind, parent.key), graph)
    for surface in surfaces:
        yield Quad(s, P["altLabel"], Literal(surface), graph)


def read_paper_graph(
    quads: Iterable[Quad], entities: dict[str, Entity], base: str | None = None
) -> PaperExtraction:
    """Rebuild one PaperExtraction from its named graph; ``entities`` maps IRI → Entity.

    Evidence nodes are told apart by their rdf:subject, not by their IRI, so graphs
    imported under any base IRI read back alike. A graph as the embedded store keeps it
    (evidence as one record) is read as it is, under its store's ``base``: reifying the
    record first cost half of the time a load or an export spends reading.
    """
    quads = list(quads)
    records = [q for q in quads if q.predicate == EVIDENCE_RECORD]
    if records:
        if base is None:
            raise ValueError("a graph with evidence records needs its store's base IRI")
        quads = [q for q in quads if q.predicate != EVIDENCE_RECORD]
    lit: dict[str, str] = {}
    fields: dict[str, Any] = {f.name: [] for f in PAPER_FIELDS if f.many}
    evidence: dict[str, dict[str, str]] = {}
    reverse = {node.value: rel for rel, node in RELATION_NODE.items()}
    by_name = {node.value: name for name, node in P.items()}
    statements = {q.subject.value for q in quads if q.predicate == P["subject"]}
    results = result_nodes(quads)
    for q in quads:
        subject = q.subject.value
        if subject in results:
            continue
        field = _FIELD_BY_PROPERTY.get(q.predicate.value)
        pred = by_name.get(q.predicate.value)
        if subject in statements:
            if pred:
                evidence.setdefault(subject, {})[pred] = q.object.value
        elif field in _MANY:
            fields[field].append(q.object.value)
        elif field is not None:
            fields[field] = q.object.value
        elif pred and pred != "sameAs":
            lit[pred] = q.object.value
    if "id" not in fields:
        raise KeyError("identifier")  # a paper graph without dcterms:identifier
    paper = paper_from_record(
        {k: sorted(v) if isinstance(v, list) else v for k, v in fields.items()}
    )
    mentions = []
    for ev in evidence.values():
        entity = entities.get(ev.get("object", ""))
        if entity is None or ev.get("predicate") not in reverse:
            continue
        start, end = int(ev["start"]), int(ev["end"])
        extractor = extractor_name(ev.get("generatedBy", ""))
        mentions.append(
            Mention(
                relation=reverse[ev["predicate"]],
                entity=entity,
                surface=paper.abstract[start:end] or entity.name,
                evidence=Evidence(
                    start, end, int(ev["sentenceStart"]), int(ev["sentenceEnd"]), extractor
                ),
            )
        )
    if records:
        assert base is not None
        mentions += _recorded_mentions(base, records, entities, paper.abstract)
    mentions.sort(key=stored_order)
    return PaperExtraction(
        paper=paper,
        mentions=mentions,
        releases_code=lit.get("releasesCodeStated") == "true",
        content_hash=lit.get("contentHash", ""),
        results=read_results(quads, results, entities),
    )
