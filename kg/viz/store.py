"""Views of a store: everything, a named query's answer, or one paper's or entity's surroundings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import UsageError
from kg.graph.networkx import PAPER, neighbourhood, to_networkx
from kg.model import EntityKind
from kg.query import run_named
from kg.resolve import Resolver
from kg.store.base import Store
from kg.viz.render import ViewResult, render

#: Query answer column → the kind of entity its values name.
ENTITY_COLUMNS = {
    "method": EntityKind.METHOD,
    "dataset": EntityKind.DATASET,
    "task": EntityKind.TASK,
    "metric": EntityKind.METRIC,
}


def find_paper(graph: nx.MultiDiGraph, paper: str) -> str:
    """A paper node by id, bare arXiv id or exact (case-insensitive) title."""
    for candidate in (paper, f"arxiv:{paper}"):
        if graph.nodes.get(candidate, {}).get("kind") == PAPER:
            return candidate
    wanted = paper.strip().casefold()
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") == PAPER and str(attrs.get("title", "")).casefold() == wanted:
            return str(node)
    raise UsageError(
        f"no paper {paper!r} in the store; give its id (as in `kg query` output), "
        "arXiv id or exact title"
    )


def find_entities(
    graph: nx.MultiDiGraph,
    name: str,
    kinds: tuple[EntityKind, ...] = tuple(EntityKind),
    resolver: Resolver | None = None,
) -> list[str]:
    """Entity nodes called ``name``: resolved through aliases per kind, else by label."""
    resolver = resolver or Resolver.default()
    found = [e.id for e in (resolver.resolve(k, name) for k in kinds) if e.id in graph]
    if found:
        return found
    wanted = name.strip().casefold()
    values = {k.value for k in kinds}
    return [
        n
        for n, a in graph.nodes(data=True)
        if a.get("kind") in values and str(a.get("label", "")).casefold() == wanted
    ]


def _query_focus(
    store: Store, query: str, args: dict[str, Any] | None
) -> tuple[nx.MultiDiGraph, list[str], str]:
    table = run_named(store, query, args or {})
    if "paper" in table.columns:
        col = table.columns.index("paper")
        papers = list(dict.fromkeys(str(row[col]) for row in table.rows))
        return to_networkx(store.extractions(papers)), papers, "query answers"
    column = next((c for c in table.columns if c in ENTITY_COLUMNS), None)
    if column is None:
        raise UsageError(
            f"query {query!r} answers neither papers nor entities "
            f"(columns {', '.join(table.columns)}); it cannot be drawn"
        )
    col = table.columns.index(column)
    graph = to_networkx(store.extractions())
    focus: list[str] = []
    for row in table.rows:
        focus += find_entities(graph, str(row[col]), (ENTITY_COLUMNS[column],))
    focus = list(dict.fromkeys(focus))
    if not focus:
        return nx.MultiDiGraph(), [], "query answers"
    return neighbourhood(graph, focus, 1), focus, "query answers"


def view_store(
    store: Store,
    out_path: str | Path | None,
    *,
    query: str | None = None,
    query_args: dict[str, Any] | None = None,
    paper: str | None = None,
    entity: str | None = None,
    hops: int = 1,
    max_nodes: int = 2000,
    title: str | None = None,
) -> ViewResult:
    """Render the store (or one focus of it) to ``out_path``.

    At most one focus: ``query`` (a named query: answer papers with their entities, or
    answer entities with their papers), ``paper`` or ``entity`` (everything within
    ``hops``). The node budget keeps the focus first, then the best-connected nodes.
    Entity and entity-answer views read the whole store, as stores index papers only.
    """
    chosen = [
        name
        for name, value in (("query", query), ("paper", paper), ("entity", entity))
        if value is not None
    ]
    if len(chosen) > 1:
        raise UsageError(f"view one focus at a time, not {' and '.join(chosen)}")
    ranked_by = "best connected"
    keep: list[str] = []
    if query is not None:
        graph, keep, ranked_by = _query_focus(store, query, query_args)
        label = f"kg: {query} " + " ".join(f"{k}={v}" for k, v in (query_args or {}).items())
    elif paper is not None:
        # one hop needs only the paper's own record; more hops need its neighbours' too
        full = to_networkx(store.extractions([paper, f"arxiv:{paper}"] if hops <= 1 else None))
        if not full:
            full = to_networkx(store.extractions())
        centre = find_paper(full, paper)
        graph, keep, ranked_by = neighbourhood(full, centre, hops), [centre], "the paper"
        label = f"kg: {full.nodes[centre]['title']}"
    elif entity is not None:
        full = to_networkx(store.extractions())
        keep = find_entities(full, entity)
        if not keep:
            raise UsageError(
                f"no entity called {entity!r} in the store; try "
                "`kg query top-methods` or `kg query top-datasets` for names"
            )
        graph, ranked_by = neighbourhood(full, keep, hops), "the entity"
        label = f"kg: {entity}"
    else:
        graph, label = to_networkx(store.extractions()), "kg: whole graph"
    if keep:
        ranked_by += ", then best connected"
    return render(
        graph,
        out_path,
        max_nodes=max_nodes,
        title=title or label.strip(),
        keep=tuple(keep),
        ranked_by=ranked_by,
    )
