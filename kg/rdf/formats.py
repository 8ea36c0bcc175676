"""RDF serialisers: stream a store's quads through pyoxigraph, never the whole graph in memory.

A whole-store export reads ``store.quads()`` straight into ``pyoxigraph.serialize``. A
subset (the papers of a query answer), or a store that keeps no quads (Neo4j), is rendered
from the papers' extractions by the same ``rdf_mapping`` the embedded store writes with, so
both paths give the same triples for the same papers.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, cast

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

from kg.model import Entity, PaperExtraction
from kg.rdf.mapping import entity_quads, paper_quads
from kg.rdf.vocab import (
    DEFAULT_BASE_IRI,
    PREFIXES,
    RDF,
    XSD,
    entities_graph_iri,
    instance_prefixes,
)
from kg.resolve.variants import described_entities
from kg.store.base import Capability, Store

if TYPE_CHECKING:
    import rdflib

Output = Path | str | BinaryIO
RDF_TYPE = RDF + "type"
XSD_STRING = XSD + "string"


class QuadSource(Protocol):
    """A store with ``Capability.QUADS``: its graph as quads, as exports carry them."""

    def quads(self) -> Iterator[Quad]: ...


TRIPLE = attrgetter("triple")  # a quad's triple: Turtle and N-Triples drop graph names


@dataclass
class Selection:
    """What to export: all of ``store`` or some of its papers, under an output base IRI."""

    store: Store
    paper_ids: list[str] | None = None
    base_iri: str | None = None

    @property
    def store_base(self) -> str:
        return self.store.base or DEFAULT_BASE_IRI

    @property
    def base(self) -> str:
        return self.base_iri or self.store_base

    def prefixes(self) -> dict[str, str]:
        return {**PREFIXES, **instance_prefixes(self.base)}

    def extractions(self) -> Iterator[PaperExtraction]:
        extractions: Iterator[PaperExtraction] = self.store.extractions(self.paper_ids)
        return extractions

    def quads(self) -> Iterator[Quad]:
        if self.paper_ids is not None or Capability.QUADS not in self.store.capabilities:
            return render_quads(self.base, self.extractions())
        quads = cast(QuadSource, self.store).quads()
        if self.base != self.store_base:
            return rebase(quads, self.store_base, self.base)
        return quads


def render_quads(base: str, extractions: Iterable[PaperExtraction]) -> Iterator[Quad]:
    """The store layout for ``extractions``: each entity described once, each label once,
    and each quad of a paper's graph once, as a store holds it (a mention reported twice,
    by two extractors or read back from Neo4j, has one evidence node)."""
    graph = NamedNode(entities_graph_iri(base))
    seen: dict[Entity, set[str]] = {}
    for ex in extractions:
        yield from dict.fromkeys(paper_quads(base, ex))
        for entity, surfaces in described_entities(ex).items():
            new = entity not in seen
            labels = seen.setdefault(entity, set())
            fresh = [s for s in surfaces if s not in labels]
            labels.update(fresh)
            if new or fresh:
                yield from entity_quads(base, entity, fresh, graph, new)


def rebase(quads: Iterable[Quad], old: str, new: str) -> Iterator[Quad]:
    """Move every IRI under ``old`` to ``new``; vocabulary IRIs are left alone."""
    cut = len(old)

    def move(term: Any) -> Any:
        if isinstance(term, NamedNode) and term.value.startswith(old):
            return NamedNode(new + term.value[cut:])
        return term

    for q in quads:
        yield Quad(move(q.subject), q.predicate, move(q.object), move(q.graph_name))


def _target(out: Output) -> Any:
    return str(out) if isinstance(out, (str, Path)) else out


def _write(
    items: Iterable[Any], out: Output, fmt: RdfFormat, prefixes: dict[str, str] | None = None
) -> int:
    """Serialise ``items``, returning how many there were. The count rides on a C-level
    ``zip`` with ``itertools.count``: a Python generator per item cost a quarter of an
    in-memory export."""
    counter = count()
    serialize(
        map(itemgetter(0), zip(items, counter, strict=False)), _target(out), fmt, prefixes=prefixes
    )
    return next(counter)


def write_turtle(sel: Selection, out: Output) -> int:
    """Turtle of the union graph: graph names dropped. kg's named graphs never share a
    subject, so no triple appears twice."""
    return _write(map(TRIPLE, sel.quads()), out, RdfFormat.TURTLE, sel.prefixes())


def write_ntriples(sel: Selection, out: Output) -> int:
    return _write(map(TRIPLE, sel.quads()), out, RdfFormat.N_TRIPLES)


def write_nquads(sel: Selection, out: Output) -> int:
    """N-Quads keep the layout: one named graph per paper plus the entities graph."""
    return _write(sel.quads(), out, RdfFormat.N_QUADS)


def write_trig(sel: Selection, out: Output) -> int:
    return _write(sel.quads(), out, RdfFormat.TRIG, sel.prefixes())


def write_jsonld_graphs(sel: Selection, out: Output) -> int:
    """Expanded JSON-LD keeping kg's named graphs, one per paper (``--format
    jsonld-graphs``): for tools that want the layout; load it as an rdflib ``Dataset``."""
    return _write(sel.quads(), out, RdfFormat.JSON_LD)


def write_jsonld(sel: Selection, out: Output) -> int:
    """Compact JSON-LD of the default graph, as people use it: one ``@context`` (kg's
    prefixes and the instance prefixes), then node objects in ``@graph``, one per run of
    triples on a subject (a subject met again gets another node object, which readers
    merge). ``rdflib.Graph().parse(path)`` reads it to the triples Turtle holds; it is
    streamed, never the whole graph in memory."""
    prefixes = sel.prefixes()
    by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def short(iri: str) -> str:
        for prefix, namespace in by_length:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def value(term: Any) -> Any:
        if isinstance(term, Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype is None or term.datatype.value == XSD_STRING:
                return term.value
            return {"@value": term.value, "@type": short(term.datatype.value)}
        if isinstance(term, BlankNode):
            return {"@id": f"_:{term.value}"}
        return {"@id": short(term.value)}

    head = json.dumps({"@context": prefixes}, ensure_ascii=False)[:-1]
    triples = 0
    node: dict[str, Any] = {}
    with _binary(out) as fh:
        fh.write(head.encode() + b', "@graph": [')
        for triple in map(TRIPLE, sel.quads()):
            subject = short(triple.subject.value)
            if node.get("@id") != subject:
                if node:
                    fh.write(b"\n" + json.dumps(node, ensure_ascii=False).encode() + b",")
                node = {"@id": subject}
            if triple.predicate.value == RDF_TYPE:
                key, item = "@type", short(triple.object.value)
            else:
                key, item = short(triple.predicate.value), value(triple.object)
            node.setdefault(key, []).append(item)
            triples += 1
        last = json.dumps(node, ensure_ascii=False).encode() if node else b""
        fh.write(b"\n" + last + b"\n]}\n")
    return triples


@contextmanager
def _binary(out: Output) -> Iterator[BinaryIO]:
    """``out`` as a binary stream: a path opened (and closed) here, or the caller's."""
    if isinstance(out, (str, Path)):
        with open(out, "wb") as fh:
            yield fh
    else:
        yield out


def to_rdflib(store: Store, paper_ids: list[str] | None = None) -> rdflib.Dataset:
    """``store`` (or some of its papers) as an rdflib ``Dataset``, named graphs kept, to
    hand to the rdflib ecosystem (pySHACL, OWL-RL, SPARQL over rdflib). It is held in
    memory: meant for a query's papers or a graph of thousands, not millions."""
    import rdflib  # on first use: it costs more to import than kg's own exports

    buffer = io.BytesIO()
    write_nquads(Selection(store, paper_ids), buffer)
    dataset = rdflib.Dataset()
    dataset.parse(data=buffer.getvalue(), format="nquads")
    return dataset
