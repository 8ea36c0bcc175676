"""Results as a property graph: ``(:Paper)-[:REPORTS_RESULT]->(:Result)``, and from each
result ``-[:OF_METHOD]->(:Method)``, ``-[:ON_DATASET]->(:Dataset)``,
``-[:IN_METRIC]->(:Metric)`` where the sentence names them: the same entities the paper's
own edges point to. A result's properties are those of ``kg.model.Result`` plus ``better``
(the metric's direction) and its ``id`` (``kg.model.result_id``, unique by constraint), so
a rebuild replaces a paper's results by deleting and recreating them in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.model import (
    EVIDENCE_FIELDS,
    RESULT_KINDS,
    Entity,
    EntityKind,
    Evidence,
    PaperExtraction,
    Result,
    ResultKind,
    result_id,
)
from kg.resolve import metric_direction

REPORTS_RESULT = "REPORTS_RESULT"
#: the relationship from a result to each kind of entity it names
RESULT_LINK: dict[EntityKind, str] = dict(
    zip(RESULT_KINDS, ("OF_METHOD", "ON_DATASET", "IN_METRIC"), strict=True)
)
_TEXTS = ("method_text", "dataset_text", "metric_text")
RESULT_PROPS = ("id", "value", "kind", "number", "unit", "better", *_TEXTS, *EVIDENCE_FIELDS)

DROP_RESULTS = (
    "UNWIND $ids AS id MATCH (:Paper {id: id})-[:REPORTS_RESULT]->(x:Result) DETACH DELETE x"
)
CREATE_RESULTS = (
    "UNWIND $rows AS r MATCH (p:Paper {id: r.paper}) CREATE (p)-[:REPORTS_RESULT]->(x:Result) SET "
    + ", ".join(f"x.{f} = r.{f}" for f in RESULT_PROPS)
)
LINK_RESULTS = {
    kind: (
        f"UNWIND $rows AS r MATCH (x:Result {{id: r.id}}) MATCH (e:{kind.value} {{key: r.key}}) "
        f"CREATE (x)-[:{rel}]->(e)"
    )
    for kind, rel in RESULT_LINK.items()
}
#: a paper's results with the key and name of each entity they name (READ's projection)
READ_RESULTS = (
    "[(p)-[:REPORTS_RESULT]->(x:Result) | x {.*, links: ["
    + ", ".join(f"head([(x)-[:{rel}]->(e) | e {{.key, .name}}])" for rel in RESULT_LINK.values())
    + "]}] AS results"
)


def result_rows(ex: PaperExtraction) -> list[dict[str, Any]]:
    """One row per result of ``ex`` (properties, its paper, and the keys it links to)."""
    rows: dict[str, dict[str, Any]] = {}
    for r in ex.results:
        row: dict[str, Any] = {"id": result_id(ex.paper.id, r), "paper": ex.paper.id}
        row |= {"value": r.value, "kind": r.kind.value, "number": r.number, "unit": r.unit or None}
        row |= {"better": metric_direction(r.metric_entity)}
        row |= dict(zip(_TEXTS, (r.method, r.dataset, r.metric), strict=True))
        row |= dict(zip(EVIDENCE_FIELDS, r.evidence.as_tuple(), strict=True))
        row["links"] = {e.kind: e.key for e in r.entities if e is not None}
        rows[row["id"]] = row
    return list(rows.values())


def link_rows(rows: Iterable[dict[str, Any]]) -> dict[EntityKind, list[dict[str, str]]]:
    """Per entity kind, the (result id, entity key) pairs to link."""
    out: dict[EntityKind, list[dict[str, str]]] = {}
    for row in rows:
        for kind, key in row["links"].items():
            out.setdefault(kind, []).append({"id": row["id"], "key": key})
    return out


def read_result(props: dict[str, Any]) -> Result:
    """A result as READ_RESULTS returns it."""
    links = (
        None if link is None else Entity(kind, link["key"], link["name"])
        for kind, link in zip(RESULT_KINDS, props["links"], strict=True)
    )
    method, dataset, metric = (props.get(f) for f in _TEXTS)
    return Result(
        props["value"],
        ResultKind(props["kind"]),
        props.get("number"),
        props.get("unit") or "",
        method,
        dataset,
        metric,
        Evidence(*(props[f] for f in EVIDENCE_FIELDS)),
        *links,
    )
