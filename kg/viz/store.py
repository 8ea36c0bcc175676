"""Views of a store: an overview, a named query's answer, or one paper's or entity's surroundings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import UsageError
from kg.graph.networkx import PAPER, Cut, neighbourhood, to_networkx, top_k
from kg.model import EntityKind, PaperExtraction
from kg.query import run_named
from kg.query.papers import find_stored_paper
from kg.resolve import Resolver
from kg.store.base import Store
from kg.viz.render import KIND_STYLE, ViewResult, code_link, render, short, write_view

#: Query answer column → the kind of entity its values name.
ENTITY_COLUMNS = {
    "method": EntityKind.METHOD,
    "dataset": EntityKind.DATASET,
    "task": EntityKind.TASK,
    "metric": EntityKind.METRIC,
}
#: The overview's node budget. 160 nodes (64 entities, 96 papers) is what one 1400x900
#: window shows with the entity labels legible (11-17 px) and mostly apart once the
#: whole view is fitted to it; at 200 the fit shrinks them to 8-10 px and they overlap,
#: and the 1,758-dot whole graph drew none. More is one focus (query, paper, entity) away.
OVERVIEW_NODES = 160
#: Share of the overview's budget for entities (the names one reads); papers get the
#: rest, so each entity keeps the papers that link it to the others.
OVERVIEW_ENTITY_SHARE = 0.4
#: Papers an entity needs to be in the overview: one named by a single paper links
#: nothing (most code repositories and project pages), so it would only be a leaf.
SHARED_BY = 2
PLURAL = {
    "Method": "methods",
    "Dataset": "datasets",
    "Task": "tasks",
    "Metric": "metrics",
    "CodeRepository": "code repositories",
    "URL": "links",
}
SUMMARY_CHARS = 280  # a first sentence longer than this is cut in the tooltip
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z0-9(\"'“])")


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


def first_sentence(abstract: str) -> str:
    """The abstract's first sentence, for tooltips: what the paper is about, in a line.

    A full stop that ends a sentence is followed by a space and a capital or digit, which
    skips "e.g." and "3.5"; sentences under 20 characters ("We study X.") take the next too.
    """
    text = " ".join(abstract.split())
    end = next((m.end() for m in _SENTENCE_END.finditer(text) if m.end() >= 20), len(text))
    return short(text[:end], SUMMARY_CHARS)


def annotate_papers(graph: nx.MultiDiGraph, abstracts: dict[str, str]) -> nx.MultiDiGraph:
    """Give paper nodes what their tooltips show beyond the node: ``summary`` (the first
    sentence of the abstract, which ``to_networkx`` leaves out) and ``code`` (read before a
    node budget can cut the repository node away). Changes ``graph`` in place."""
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") == PAPER:
            if node in abstracts:
                attrs["summary"] = first_sentence(abstracts[node])
            attrs["code"] = attrs.get("code") or code_link(graph, node)
    return graph


def view_graph(extractions: Iterable[PaperExtraction]) -> nx.MultiDiGraph:
    """``to_networkx`` of ``extractions`` with what paper tooltips need (``annotate_papers``)."""
    records = list(extractions)
    graph = to_networkx(records)
    return annotate_papers(graph, {ex.paper.id: ex.paper.abstract for ex in records})


def overview(graph: nx.MultiDiGraph, budget: int = OVERVIEW_NODES) -> Cut:
    """The most connected entities of each kind and their papers, in ``budget`` nodes.

    Entities named by at least ``SHARED_BY`` papers rank within their kind by paper
    count; kinds take turns (each kind's first, then each one's second, ...) so a kind
    with many entities cannot crowd out the others, up to ``OVERVIEW_ENTITY_SHARE`` of
    the budget. Papers then fill the rest: first up to ``SHARED_BY`` per entity, in the
    entities' turn order, so every entity drawn still links papers, then those linking
    the most drawn entities. A graph within the budget is drawn whole.
    """
    if graph.number_of_nodes() <= budget:
        return Cut(graph, 0, 0)
    papers_of: dict[str, list[str]] = {}
    by_kind: dict[str, list[str]] = {}
    for node, attrs in graph.nodes(data=True):
        kind = str(attrs.get("kind", ""))
        if kind != PAPER:
            papers_of[node] = sorted(
                {str(p) for p in graph.predecessors(node) if graph.nodes[p]["kind"] == PAPER}
            )
            if len(papers_of[node]) >= SHARED_BY:
                by_kind.setdefault(kind, []).append(node)
    if not by_kind:
        return top_k(graph, budget)
    for ranked in by_kind.values():
        ranked.sort(key=lambda n: (-len(papers_of[n]), str(graph.nodes[n].get("name", n))))
    kinds = sorted(by_kind, key=lambda k: _kind_order((k, 0)))
    turns = [
        by_kind[k][i]
        for i in range(max(map(len, by_kind.values())))
        for k in kinds
        if i < len(by_kind[k])
    ]
    entities = turns[: max(1, int(budget * OVERVIEW_ENTITY_SHARE))]
    links = Counter(p for e in entities for p in papers_of[e])

    def strength(paper: str) -> tuple[int, int, str]:
        return (-links[paper], -graph.degree(paper), paper)

    room = budget - len(entities)
    papers: dict[str, None] = {}
    for entity in entities:
        for paper in sorted(papers_of[entity], key=strength)[:SHARED_BY]:
            if len(papers) < room:
                papers[paper] = None
    for paper in sorted(links, key=strength):
        if len(papers) < room:
            papers[paper] = None
    # nodes and edges in a fixed order, whatever order the store read them in: the same
    # store gives the same layout (vis lays nodes out in the order it is given them)
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in [*entities, *papers])
    sub.add_edges_from(
        sorted(graph.subgraph(sub.nodes).edges(keys=True, data=True), key=lambda e: e[:3])
    )
    return Cut(
        sub,
        graph.number_of_nodes() - sub.number_of_nodes(),
        graph.number_of_edges() - sub.number_of_edges(),
    )


def _kind_order(item: tuple[str, int]) -> tuple[int, str]:
    order = list(KIND_STYLE)
    return (order.index(item[0]) if item[0] in order else len(order), item[0])


def overview_message(graph: nx.MultiDiGraph, cut: Cut) -> str:
    """What the overview shows and how to see the rest; empty when nothing was left out."""
    if not cut.dropped_nodes:
        return ""
    counts = Counter(str(a.get("kind")) for _n, a in cut.graph.nodes(data=True))
    papers = counts.pop(PAPER, 0)
    kinds = ", ".join(f"{n} {PLURAL.get(k, k)}" for k, n in sorted(counts.items(), key=_kind_order))
    return (
        f"Overview: the entities named by the most papers ({kinds}) and {papers} of their "
        f"papers; {cut.dropped_nodes:,} of {graph.number_of_nodes():,} nodes left out. "
        "Hover for details; narrow the view to a query, paper or entity to see the rest."
    )


def query_title(query: str, args: dict[str, Any] | None) -> str:
    """A page title a reader can read: "kg: evaluated-on ImageNet (with code)"."""
    names: list[str] = []
    flags: list[str] = []
    for key, value in (args or {}).items():
        if isinstance(value, bool):
            flags += [key.replace("_", " ")] if value else []
        elif key == "limit":
            flags += [f"first {value}"] if value else []
        elif value is not None:
            names.append(str(value))
    return " ".join([f"kg: {query}", *names] + ([f"({', '.join(flags)})"] if flags else []))


def _query_focus(
    store: Store, query: str, args: dict[str, Any] | None
) -> tuple[nx.MultiDiGraph, list[str], str]:
    table = run_named(store, query, args or {})
    if "paper" in table.columns:
        col = table.columns.index("paper")
        papers = list(dict.fromkeys(str(row[col]) for row in table.rows))
        return view_graph(store.extractions(papers)), papers, "query answers"
    column = next((c for c in table.columns if c in ENTITY_COLUMNS), None)
    if column is None:
        raise UsageError(
            f"query {query!r} answers neither papers nor entities "
            f"(columns {', '.join(table.columns)}); it cannot be drawn"
        )
    col = table.columns.index(column)
    graph = view_graph(store.extractions())
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
    answer entities with their papers), ``paper`` (id, arXiv id or title prefix: see
    ``find_stored_paper``) or ``entity`` (everything within ``hops``). The node budget keeps the
    focus first, then the best-connected nodes. Without a focus, the ``overview`` of at
    most ``min(max_nodes, OVERVIEW_NODES)`` nodes; ``render(view_graph(...))`` draws
    everything instead. Entity and entity-answer views read the whole store, as stores
    index papers only.
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
        label = query_title(query, query_args)
    elif paper is not None:
        # one hop needs only the paper's own record; more hops need its neighbours' too
        centre = find_stored_paper(store, paper)
        full = view_graph(store.extractions([centre] if hops <= 1 else None))
        graph, keep, ranked_by = neighbourhood(full, centre, hops), [centre], "the paper"
        label = f"kg: {full.nodes[centre]['title']}"
    elif entity is not None:
        full = view_graph(store.extractions())
        keep = find_entities(full, entity)
        if not keep:
            raise UsageError(
                f"no entity called {entity!r} in the store; try "
                "`kg query top-methods` or `kg query top-datasets` for names"
            )
        graph, ranked_by = neighbourhood(full, keep, hops), "the entity"
        label = f"kg: {entity}"
    else:
        graph = view_graph(store.extractions())
        cut = overview(graph, min(max_nodes, OVERVIEW_NODES))
        label = "kg: overview" if cut.dropped_nodes else "kg: whole graph"
        return write_view(
            cut,
            out_path,
            title=title or label,
            message=overview_message(graph, cut),
            overview=True,
        )
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
