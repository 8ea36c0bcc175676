"""RDF serialisers: stream a store's quads through pyoxigraph, never the whole graph in memory.

A whole-store export reads ``store.quads()`` straight into ``pyoxigraph.serialize``. A
subset (the papers of a query answer), or a store that keeps no quads (Neo4j), is rendered
from the papers' extractions by the same ``rdf_mapping`` the embedded store writes with, so
both paths give the same triples for the same papers.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import count
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, cast

from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from kg.model import Entity, PaperExtraction
from kg.rdf.mapping import entity_quads, paper_quads
from kg.rdf.vocab import DEFAULT_BASE_IRI, PREFIXES, entities_graph_iri, instance_prefixes
from kg.store.base import Capability, Store

if TYPE_CHECKING:
    import rdflib

Output = Path | str | BinaryIO


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
    """The store layout for ``extractions``: each entity described once, each label once."""
    graph = NamedNode(entities_graph_iri(base))
    seen: dict[Entity, set[str]] = {}
    for ex in extractions:
        yield from paper_quads(base, ex)
        for m in ex.mentions:
            new = m.entity not in seen
            labels = seen.setdefault(m.entity, set())
            if new or m.surface not in labels:
                labels.add(m.surface)
                yield from entity_quads(base, m.entity, [m.surface], graph, new)


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


def write_jsonld(sel: Selection, out: Output) -> int:
    """Expanded JSON-LD with named graphs (pyoxigraph ≥ 0.5 writes it; no context needed)."""
    return _write(sel.quads(), out, RdfFormat.JSON_LD)


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
