"""One self-contained HTML page per graph: vis-network inlined, data as inert JSON.

pyvis supplies the vis-network data model (``Network.add_node``/``add_edge``), the physics
options (``Network.force_atlas_2based``) and the vis-network 9.1.2 build it ships in its
wheel. Its own template is not used: it links Bootstrap from a CDN even with
``cdn_resources="in_line"``, writes ``lib/`` into the cwd with ``"local"``, and puts
``heading`` and link-mode titles into the page as raw HTML. Our template inlines every
script, embeds the graph in ``<script type="application/json">`` and builds tooltips with
``textContent``, under a Content-Security-Policy that allows no network access and only
the page's own scripts (by hash), so injected markup can neither run nor fetch.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.files import write_output
from kg.graph.networkx import PAPER, Cut, top_k
from kg.model import EntityKind, Relation
from kg.query.papers import short as cut
from kg.resolve.variants import VARIANT_OF

#: Node kind → (vis shape, colour, legend glyph). Shapes draw the label outside, so
#: ``value`` (degree) scales them.
KIND_STYLE: dict[str, tuple[str, str, str]] = {
    PAPER: ("dot", "#4e79a7", "●"),
    EntityKind.METHOD.value: ("diamond", "#f28e2b", "◆"),
    EntityKind.DATASET.value: ("square", "#59a14f", "■"),
    EntityKind.TASK.value: ("triangle", "#b07aa1", "▲"),
    EntityKind.METRIC.value: ("triangleDown", "#c9a227", "▼"),
    EntityKind.CODE.value: ("star", "#e15759", "★"),
    EntityKind.URL.value: ("hexagon", "#9c755f", "⬢"),
}
OTHER_STYLE = ("dot", "#999999", "●")

RELATION_COLOUR: dict[str, str] = {
    Relation.PROPOSES.value: "#e66101",
    Relation.USES.value: "#f5b041",
    Relation.INTRODUCES.value: "#1a9850",
    Relation.EVALUATED_ON.value: "#66bd63",
    Relation.USES_DATASET.value: "#a6d96a",
    Relation.ADDRESSES.value: "#8073ac",
    Relation.REPORTS_METRIC.value: "#c9a227",
    Relation.RELEASES_CODE.value: "#d7191c",
    Relation.LINKS_TO.value: "#8c6d31",
    VARIANT_OF: "#4d4d4d",
}

LABEL_CHARS = 40  # longer names are cut on the canvas; tooltips show them whole
PAPER_LABEL_CHARS = 24  # overview papers: a hint of the title, drawn only when zoomed in
EVIDENCE_PER_EDGE = 3  # sentences carried per edge: enough to judge, bounded page size
BIG_GRAPH = 300  # above this many nodes: straight edges, no improved layout, hide on drag

#: The overview's node options: large entity labels drawn at the first zoom.
OVERVIEW_NODES_STYLE: dict[str, Any] = {
    "scaling": {
        "min": 8,
        "max": 40,
        "label": {"enabled": True, "min": 36, "max": 56, "drawThreshold": 6, "maxVisible": 24},
    },
    "font": {"size": 18, "face": "system-ui, sans-serif", "strokeWidth": 3},
}

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
_SLOT = re.compile(r"\{\{([A-Z_]+)\}\}")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


@dataclass
class ViewResult:
    """A rendered page and what it shows; displays inline in notebooks."""

    html: str = field(repr=False)
    path: Path | None
    nodes: int
    edges: int
    dropped_nodes: int = 0
    dropped_edges: int = 0
    message: str = ""

    def _repr_html_(self) -> str:
        return iframe(self.html)


def iframe(page: str, height: int = 640) -> str:
    """The page in a sandboxed ``srcdoc`` iframe: its scripts and CSS cannot reach the notebook."""
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" '
        f'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        f'style="width:100%;height:{height}px;border:1px solid #ddd"></iframe>'
    )


def json_for_script(value: Any) -> str:
    """JSON that cannot end its ``<script>`` element or a JS string, whatever the data."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def short(text: str, chars: int = LABEL_CHARS) -> str:
    return cut(text, chars)


def code_link(graph: nx.MultiDiGraph, paper: Any) -> str | None:
    """The first code repository ``paper`` releases (by URL), if ``graph`` still holds it."""
    urls = sorted(
        str(graph.nodes[dst].get("url") or graph.nodes[dst].get("name"))
        for _src, dst, relation in graph.out_edges(paper, keys=True)
        if relation == Relation.RELEASES_CODE.value
    )
    return urls[0] if urls else None


def result_line(result: dict[str, Any]) -> str:
    """ "72.5% linear probe accuracy on ImageNet (E-SSL)": a result in a tooltip line."""
    text = " ".join(filter(None, (result["value"], result.get("metric"))))
    if result.get("dataset"):
        text += f" on {result['dataset']}"
    if result["kind"] == "improvement":
        text += " (gain)"
    return f"{text} — {result['method']}" if result.get("method") else text


def stabilisation_iterations(nodes: int) -> int:
    """Layout steps before physics stops: a step costs ~O(n log n), so fewer for big graphs.

    600 settles a few hundred nodes; 2,000 nodes get 100, which already untangles the
    paper stars (benchmarks/view_stabilise.py measures the wait).
    """
    return max(100, min(600, 200_000 // max(nodes, 1)))


def build_network(graph: nx.MultiDiGraph, overview: bool = False) -> Network:
    """The graph as a pyvis Network: vis node/edge records, groups and physics options.

    In the ``overview`` paper labels are short and small, below vis's draw threshold at
    the first zoom, so the entity labels (sized by ``vis_options``) are what one reads.
    """
    net = Network(directed=True)
    big = graph.number_of_nodes() > BIG_GRAPH
    for node, attrs in graph.nodes(data=True):
        kind = str(attrs.get("kind", ""))
        name = str(attrs.get("name") or attrs.get("label") or node)
        shape = KIND_STYLE.get(kind, OTHER_STYLE)[0]
        extra: dict[str, Any] = {}
        if kind == PAPER:
            extra = {"summary": attrs.get("summary"), "code": attrs.get("code")}
            extra["results"] = [result_line(r) for r in attrs.get("results", [])]
            if extra["code"] is None:
                extra["code"] = code_link(graph, node)
            if overview:
                extra.update(
                    font={"size": 9}, scaling={"label": {"enabled": False, "drawThreshold": 9}}
                )
        paper_label = overview and kind == PAPER
        net.add_node(
            str(node),
            label=short(name, PAPER_LABEL_CHARS if paper_label else LABEL_CHARS),
            shape=shape,
            group=kind,
            value=graph.degree(node),
            kind=kind,
            name=name,
            date=attrs.get("date"),
            forms=[f for f in attrs.get("surface_forms", []) if f != name],
            url=attrs.get("url"),
            degree=graph.degree(node),
            **extra,
        )
    for i, (src, dst, attrs) in enumerate(graph.edges(data=True)):
        relation = str(attrs.get("relation", ""))
        evidence = attrs.get("evidence", [])
        net.add_edge(
            str(src),
            str(dst),
            id=f"e{i}",
            label=relation.lower().replace("_", " "),
            relation=relation,
            color=RELATION_COLOUR.get(relation, "#999999"),
            evidence=[
                {"sentence": e.get("sentence", ""), "extractor": e.get("extractor", "")}
                for e in evidence[:EVIDENCE_PER_EDGE]
            ],
            more=max(0, len(evidence) - EVIDENCE_PER_EDGE),
        )
    net.force_atlas_2based(
        gravity=-100 if overview else -60,  # overview: room between the labels
        central_gravity=0.01,
        spring_length=90,
        spring_strength=0.08,
        damping=0.5,
        overlap=0,
    )
    net.options.physics.enabled = graph.number_of_nodes() > 0
    net.options.physics.stabilization.iterations = stabilisation_iterations(graph.number_of_nodes())
    net.options.physics.stabilization.updateInterval = 25
    net.options.edges.smooth.enabled = not big
    net.options.edges.smooth.type = "continuous"
    return net


def vis_options(net: Network, graph: nx.MultiDiGraph, overview: bool = False) -> dict[str, Any]:
    """pyvis's options plus what pyvis has no setter for: groups, scaling, hover.

    The ``overview`` draws entity labels large (36-56 canvas px by paper count): fitting
    ~160 nodes to a 1400x900 window scales the canvas by about 0.3, which leaves them at
    a legible 11-17 px, above vis's draw threshold.
    """
    big = graph.number_of_nodes() > BIG_GRAPH
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["physics"]["minVelocity"] = 1.0
    options["edges"].update(
        arrows={"to": {"enabled": True, "scaleFactor": 0.5}},
        width=1.2,
        font={"size": 9, "color": "#555", "strokeWidth": 2, "align": "middle"},
        color={"inherit": False},
    )
    options["nodes"] = {
        "scaling": {
            "min": 6,
            "max": 36,
            "label": {"enabled": True, "min": 11, "max": 16, "drawThreshold": 6},
        },
        **(OVERVIEW_NODES_STYLE if overview else {}),
        "font": {"size": 12, "face": "system-ui, sans-serif"},
        "borderWidth": 1,
    }
    if overview:  # edge labels only when zoomed in: hundreds of them would hide the names
        options["edges"]["font"]["size"] = 7
    options["groups"] = {
        kind: {"shape": s, "color": {"background": c, "border": "#333"}}
        for kind, (s, c, _glyph) in KIND_STYLE.items()
    }
    options["layout"] = {"randomSeed": 7, "improvedLayout": not big}
    options["interaction"].update(
        hover=True, tooltipDelay=150, hideEdgesOnDrag=big, hideEdgesOnZoom=big, multiselect=False
    )
    return options


@cache
def _asset(package: str, name: str) -> str:
    return _SOURCE_MAP.sub("", files(package).joinpath(name).read_text(encoding="utf-8"))


def _script_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page(
    graph: nx.MultiDiGraph,
    *,
    title: str = "kg",
    message: str = "",
    dropped_nodes: int = 0,
    dropped_edges: int = 0,
    overview: bool = False,
) -> str:
    """The HTML of one self-contained view of ``graph`` (already cut to size)."""
    net = build_network(graph, overview)
    nodes, edges, *_ = net.get_network_data()
    kinds = [k for k in KIND_STYLE if any(n["kind"] == k for n in nodes)]
    kinds += sorted({n["kind"] for n in nodes} - set(kinds))
    data = {
        "title": title,
        "message": message,
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(net, graph, overview),
        "dropped": {"nodes": dropped_nodes, "edges": dropped_edges},
        "kinds": [
            {
                "kind": k,
                "color": KIND_STYLE.get(k, OTHER_STYLE)[1],
                "glyph": KIND_STYLE.get(k, OTHER_STYLE)[2],
                "count": sum(n["kind"] == k for n in nodes),
            }
            for k in kinds
        ],
        "relations": [
            {"relation": r, "color": c, "count": sum(e["relation"] == r for e in edges)}
            for r, c in RELATION_COLOUR.items()
            if any(e["relation"] == r for e in edges)
        ],
    }
    vis_js = _asset("pyvis", "templates/lib/vis-9.1.2/vis-network.min.js")
    view_js = _asset("kg.viz", "view.js")
    csp = (
        "default-src 'none'; "
        f"script-src {_script_hash(vis_js)} {_script_hash(view_js)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    slots = {
        "CSP": csp,
        "TITLE": html.escape(title),
        "VIS_CSS": _asset("pyvis", "templates/lib/vis-9.1.2/vis-network.css"),
        "VIEW_CSS": _asset("kg.viz", "view.css"),
        "VIS_JS": vis_js,
        "VIEW_JS": view_js,
        "DATA": json_for_script(data),
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("kg.viz", "template.html"))


def cut_message(
    total_nodes: int,
    shown: int,
    dropped_nodes: int,
    dropped_edges: int,
    ranked_by: str = "best connected",
) -> str:
    """What a node budget left out, and how to see it: shown in the page and returned."""
    if not dropped_nodes:
        return ""
    return (
        f"Showing {shown:,} of {total_nodes:,} nodes ({ranked_by} first); "
        f"{dropped_nodes:,} nodes and {dropped_edges:,} edges left out. "
        "Narrow the view to a query, paper or entity, or raise the node budget."
    )


def render(
    graph: nx.MultiDiGraph,
    out_path: str | Path | None = None,
    *,
    max_nodes: int = 2000,
    title: str = "kg",
    keep: tuple[str, ...] = (),
    ranked_by: str = "best connected",
) -> ViewResult:
    """Render ``graph`` (cut to ``max_nodes``, ``keep`` nodes first) to one HTML page.

    Writes only ``out_path`` (its folder must exist) when given; nothing else touches disk.
    """
    cut = top_k(graph, max_nodes, keep=keep)
    shown = cut.graph.number_of_nodes()
    message = cut_message(
        graph.number_of_nodes(), shown, cut.dropped_nodes, cut.dropped_edges, ranked_by
    )
    return write_view(cut, out_path, title=title, message=message)


def write_view(
    cut: Cut, out_path: str | Path | None, *, title: str, message: str, overview: bool = False
) -> ViewResult:
    """The page of an already chosen ``cut``, written to ``out_path`` when given."""
    text = page(
        cut.graph,
        title=title,
        message=message,
        dropped_nodes=cut.dropped_nodes,
        dropped_edges=cut.dropped_edges,
        overview=overview,
    )
    path = None if out_path is None else write_output(Path(out_path), text)
    return ViewResult(
        text,
        path,
        cut.graph.number_of_nodes(),
        cut.graph.number_of_edges(),
        cut.dropped_nodes,
        cut.dropped_edges,
        message,
    )


def show(
    graph: nx.MultiDiGraph, *, max_nodes: int = 2000, title: str = "kg", keep: tuple[str, ...] = ()
) -> ViewResult:
    """Render for a notebook: the result displays itself inline (sandboxed iframe)."""
    return render(graph, None, max_nodes=max_nodes, title=title, keep=keep)
