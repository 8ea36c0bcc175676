"""Results ⇄ RDF: each stated number is a ``kg:Result`` node in its paper's named graph.

The node follows ML-Schema's model-evaluation pattern: ``mls:hasValue`` carries the
parsed number and ``kg:resultMetric`` (a sub-property of ``mls:specifiedBy``) the metric;
the method and dataset it scores are links to the same entities the paper's edges point
to, and the names as written, the span and the extractor stay with it, so a leaderboard
row can always show the sentence behind it. Results are real quads in the embedded store
too (not folded into the evidence record): the leaderboard questions read them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg.model import (
    RESULT_KINDS,
    Entity,
    Evidence,
    PaperExtraction,
    Result,
    ResultKind,
    result_order,
)
from kg.rdf.terms import RDF_TYPE, P, entity_node, extractor_name, extractor_node, int_literal
from kg.rdf.vocab import RESULT_CLASS, RESULT_PROPERTY, result_iri
from kg.resolve import metric_direction

RESULT_NODE = NamedNode(RESULT_CLASS)
R = {part: NamedNode(iri) for part, iri in RESULT_PROPERTY.items()}
# the span properties Evidence uses too, keyed by ``EVIDENCE_FIELDS`` names
SPAN = {
    "start": P["start"],
    "end": P["end"],
    "sentence_start": P["sentenceStart"],
    "sentence_end": P["sentenceEnd"],
}
_LINKS = tuple(zip(RESULT_KINDS, ("method", "dataset", "metric"), strict=True))


def result_quads(base: str, ex: PaperExtraction, s: NamedNode, g: NamedNode) -> Iterator[Quad]:
    """The quads of each of the paper's results (``s`` the paper, ``g`` its graph)."""
    for result in ex.results:
        ev = result.evidence
        r = NamedNode(result_iri(base, ex.paper.id, result))
        yield Quad(s, R["paper"], r, g)
        yield Quad(r, RDF_TYPE, RESULT_NODE, g)
        yield Quad(r, R["value"], Literal(result.value), g)
        yield Quad(r, R["kind"], Literal(result.kind.value), g)
        if result.number is not None and math.isfinite(result.number):
            yield Quad(r, R["number"], Literal(float(result.number)), g)
        if result.unit:
            yield Quad(r, R["unit"], Literal(result.unit), g)
        if better := metric_direction(result.metric_entity):
            yield Quad(r, R["better"], Literal(better), g)
        written = (result.method, result.dataset, result.metric)
        for (kind, part), entity, text in zip(_LINKS, result.entities, written, strict=True):
            if entity is not None:
                yield Quad(r, R[part], entity_node(base, kind, entity.key), g)
            if text:
                yield Quad(r, R[f"{part}_text"], Literal(text), g)
        for name, value in zip(SPAN, ev.as_tuple()[:4], strict=True):
            yield Quad(r, SPAN[name], int_literal(value), g)
        yield Quad(r, P["derivedFrom"], s, g)
        yield Quad(r, P["generatedBy"], extractor_node(base, ev.extractor), g)


def result_nodes(quads: Iterable[Quad]) -> set[str]:
    """The IRIs of the results among one paper graph's quads."""
    return {q.subject.value for q in quads if q.predicate == RDF_TYPE and q.object == RESULT_NODE}


def read_results(
    quads: Iterable[Quad], nodes: set[str], entities: dict[str, Entity]
) -> list[Result]:
    """The results among a paper graph's quads (``nodes`` from ``result_nodes``);
    ``entities`` maps IRI → Entity. Sorted by position, as the extractor emits them."""
    by_part = {node.value: part for part, node in {**R, **SPAN}.items()}
    found: dict[str, dict[str, Any]] = {n: {} for n in nodes}
    for q in quads:
        props = found.get(q.subject.value)
        if props is None:
            continue
        if q.predicate == P["generatedBy"]:
            props["extractor"] = q.object.value
        elif (part := by_part.get(q.predicate.value)) is not None:
            props[part] = q.object.value
    return sorted(
        (_result(props, entities) for props in found.values()),
        key=result_order,
    )


def _result(props: dict[str, Any], entities: dict[str, Entity]) -> Result:
    start, end, sentence_start, sentence_end = (int(props[name]) for name in SPAN)
    extractor = extractor_name(props.get("extractor", ""))
    number = props.get("number")
    return Result(
        props["value"],
        ResultKind(props["kind"]),
        float(number) if number is not None else None,
        props.get("unit", ""),
        props.get("method_text"),
        props.get("dataset_text"),
        props.get("metric_text"),
        Evidence(start, end, sentence_start, sentence_end, extractor),
        *(entities.get(props.get(part, "")) for _, part in _LINKS),
    )
