"""Extractions as a networkx graph: the shape notebooks analyse and the viewer draws.

One ``MultiDiGraph``: a node per paper (keyed by ``Paper.id``) and per entity (keyed by
``Entity.id``), one edge per (paper, entity, relation) keyed by the relation name, carrying
every piece of evidence for it. Plain attribute values (str, list, dict) keep the graph
picklable and JSON-friendly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

import networkx as nx

from kg.errors import UsageError
from kg.model import PAPER_FIELDS, Entity, EntityKind, Paper, PaperExtraction, Result
from kg.resolve.variants import VARIANT_OF, family

PAPER = "Paper"
_URL_KINDS = {EntityKind.CODE, EntityKind.URL}
#: Paper fields a node does not carry: the id is its key, the abstract is long, and
#: ``url`` is the paper's landing page (``paper_url``) instead.
_NOT_ATTRIBUTES = {"id", "abstract", "url"}


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else None: only those may become links."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def paper_url(paper: Paper) -> str | None:
    """The paper's landing page: arXiv abstract, else the source URL, else its DOI."""
    if paper.arxiv_id:
        return f"https://arxiv.org/abs/{paper.arxiv_id}"
    if web_url(paper.url):
        return web_url(paper.url)
    if paper.doi:
        return f"https://doi.org/{paper.doi}"
    return None


def to_networkx(extractions: Iterable[PaperExtraction]) -> nx.MultiDiGraph:
    """Papers and entities as nodes, mentions as evidence-carrying edges.

    Node attributes: ``kind`` ("Paper" or an EntityKind value), ``label`` (= ``name``),
    ``title`` (papers), ``date``, ``surface_forms`` (entities), ``url``, ``key``, and
    ``results`` on papers that state any (``result_record``).
    Edge attributes: ``relation`` and ``evidence``, a list of dicts with ``sentence``
    (``abstract[sentence_start:sentence_end]``), ``surface``, ``start``, ``end``,
    ``extractor``. A dataset variant also links to its family by a ``VARIANT_OF`` edge
    with no evidence (kg.resolve.variants), as the stores link them. A paper seen twice
    keeps the later record's attributes.
    """
    graph = nx.MultiDiGraph()
    for ex in extractions:
        paper = ex.paper
        fields = {
            f.name: list(value) if f.many else value
            for f in PAPER_FIELDS
            if f.name not in _NOT_ATTRIBUTES
            for value in [getattr(paper, f.name)]
        }
        graph.add_node(
            paper.id,
            kind=PAPER,
            label=paper.title,
            name=paper.title,
            **fields,
            url=paper_url(paper),
            releases_code=ex.releases_code,
        )
        if ex.results:
            graph.nodes[paper.id]["results"] = [result_record(r) for r in ex.results]
        for mention in ex.mentions:
            entity, ev = mention.entity, mention.evidence
            if entity.id not in graph:
                _add_entity(graph, entity)
            forms = graph.nodes[entity.id]["surface_forms"]
            if mention.surface not in forms:
                forms.append(mention.surface)
            relation = mention.relation.value
            if not graph.has_edge(paper.id, entity.id, relation):
                graph.add_edge(paper.id, entity.id, key=relation, relation=relation, evidence=[])
            evidence = graph.edges[paper.id, entity.id, relation]["evidence"]
            record = {
                "sentence": paper.abstract[ev.sentence_start : ev.sentence_end].strip(),
                "surface": mention.surface,
                "start": ev.start,
                "end": ev.end,
                "extractor": ev.extractor,
            }
            if record not in evidence:
                evidence.append(record)
    return graph


def _add_entity(graph: nx.MultiDiGraph, entity: Entity) -> None:
    """The entity's node, and its family's with the VARIANT_OF edge when it is a variant."""
    url = web_url(entity.name) if entity.kind in _URL_KINDS else None
    graph.add_node(
        entity.id,
        kind=entity.kind.value,
        label=entity.name,
        name=entity.name,
        key=entity.key,
        url=url,
        surface_forms=[],
    )
    parent = family(entity)
    if parent is not None:
        if parent.id not in graph:
            _add_entity(graph, parent)
        graph.add_edge(entity.id, parent.id, key=VARIANT_OF, relation=VARIANT_OF, evidence=[])


def result_record(result: Result) -> dict[str, Any]:
    """A result as plain values: what a paper node's ``results`` list holds."""
    parts = {"method": result.method, "dataset": result.dataset, "metric": result.metric}
    return {"value": result.value, "kind": result.kind.value, "number": result.number, **parts}


def neighbourhood(
    graph: nx.MultiDiGraph, node: str | Iterable[str], hops: int = 1
) -> nx.MultiDiGraph:
    """Nodes within ``hops`` of ``node`` (or of any of several), ignoring edge direction.

    Papers link only to entities, so 1 hop from a paper is its entities and 2 hops adds
    the papers sharing them.
    """
    centres = [node] if isinstance(node, str) else list(node)
    missing = [c for c in centres if c not in graph]
    if missing:
        raise UsageError(f"no node {missing[0]!r} in the graph")
    if hops < 0:
        raise UsageError(f"hops must be 0 or more, not {hops}")
    undirected = graph.to_undirected(as_view=True)
    keep: set[str] = set()
    for centre in centres:
        keep.update(nx.single_source_shortest_path_length(undirected, centre, cutoff=hops))
    return graph.subgraph(keep).copy()


class Cut(NamedTuple):
    """A graph cut down to a node budget, and what the cut left out."""

    graph: nx.MultiDiGraph
    dropped_nodes: int
    dropped_edges: int


def _neighbours(graph: nx.MultiDiGraph, node: Any) -> set[Any]:
    return set(graph.predecessors(node)) | set(graph.successors(node))


def top_k(graph: nx.MultiDiGraph, max_nodes: int, *, keep: Collection[Any] = ()) -> Cut:
    """The ``max_nodes`` best-connected nodes (``keep`` first, in order), and what was cut.

    Nodes rank by *shared* degree, the neighbours that link to something else too, then
    by degree: most entities are named by one paper only, and ranking by plain degree
    keeps papers while cutting all their one-off entities, leaving isolated dots.
    ``keep`` lets a caller rank by relevance (query answers, the node in focus) first.
    Ties go by node id so the same graph always gives the same cut.
    """
    if max_nodes < 0:
        raise UsageError(f"max_nodes must be 0 or more, not {max_nodes}")
    if graph.number_of_nodes() <= max_nodes:
        return Cut(graph, 0, 0)
    pinned = [n for n in dict.fromkeys(keep) if n in graph]
    pinned_set = set(pinned)
    leaves = {n for n in graph if len(_neighbours(graph, n)) <= 1}

    def rank(n: Any) -> tuple[int, int, str]:
        shared = len(_neighbours(graph, n) - leaves)
        return (-shared, -graph.degree(n), str(n))

    rest = sorted((n for n in graph if n not in pinned_set), key=rank)
    chosen = (pinned + rest)[:max_nodes]
    sub = graph.subgraph(chosen).copy()
    return Cut(
        sub,
        graph.number_of_nodes() - sub.number_of_nodes(),
        graph.number_of_edges() - sub.number_of_edges(),
    )


__all__ = ["PAPER", "Cut", "neighbourhood", "paper_url", "to_networkx", "top_k", "web_url"]
