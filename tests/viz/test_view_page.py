"""The HTML itself: one file, nothing fetched, nothing written beside it, data inert."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.graph.networkx import to_networkx
from kg.model import Evidence, Mention, Paper, PaperExtraction, Relation
from kg.resolve import Resolver
from kg.viz import render, show
from kg.viz.render import json_for_script, stabilisation_iterations
from tests.graph_factory import SMALL_GRAPH

BREAKOUT = "</script><script>alert(1)</script>\u2028<!--"


def data_of(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert block, "data block missing"
    return json.loads(block.group(1))


def test_writes_only_the_page_and_fetches_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out" / "view.html"
    out.parent.mkdir()  # kg never creates a file's folder (kg.files)
    result = render(to_networkx(SMALL_GRAPH), out, title="small")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "out",
        "out/view.html",
    ]
    page = out.read_text(encoding="utf-8")
    assert page == result.html
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", page, re.I)
    assert "cdn." not in page and "bootstrap" not in page.lower()
    assert "vis-network" in page and "sourceMappingURL" not in page
    assert "default-src 'none'" in page


def test_csp_hashes_match_the_inline_scripts() -> None:
    page = render(to_networkx(SMALL_GRAPH)).html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for source in scripts:
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_hostile_strings_stay_inside_the_json_block() -> None:
    text = f"We propose {BREAKOUT} now."
    start = text.index(BREAKOUT)
    entity = Resolver.default().resolve(Relation.PROPOSES.kind, BREAKOUT)
    ex = PaperExtraction(
        Paper(id="title:x", title=BREAKOUT, abstract=text),
        [
            Mention(
                Relation.PROPOSES,
                entity,
                BREAKOUT,
                Evidence(start, start + len(BREAKOUT), 0, len(text), "t"),
            )
        ],
    )
    page = render(to_networkx([ex]), title=BREAKOUT).html
    assert page.count("</script>") == 3  # the data block and the two scripts, nothing more
    assert "<!--" not in page.split('id="kg-data">')[1].split("</script>")[0]
    assert f"<title>{html.escape(BREAKOUT)}</title>" in page
    data = data_of(page)
    assert data["title"] == BREAKOUT
    assert {n["name"] for n in data["nodes"]} == {BREAKOUT}
    assert data["edges"][0]["evidence"][0]["sentence"] == text
    assert all("title" not in n for n in data["nodes"])  # tooltips are built as DOM text
    assert json.loads(json_for_script(BREAKOUT)) == BREAKOUT


def test_styles_sizes_and_links_per_kind() -> None:
    data = data_of(render(to_networkx(SMALL_GRAPH)).html)
    by_id = {n["id"]: n for n in data["nodes"]}
    resnet = by_id["method:resnet50"]
    assert (resnet["group"], resnet["shape"], resnet["value"]) == ("Method", "diamond", 3)
    assert by_id["coderepository:github.com/a/alpha"]["url"] == "https://github.com/a/alpha"
    assert {k["kind"] for k in data["kinds"]} == {
        "Paper",
        "Method",
        "Dataset",
        "Task",
        "Metric",
        "CodeRepository",
    }
    assert set(data["options"]["groups"]) >= {k["kind"] for k in data["kinds"]}
    relations = {e["relation"]: e["color"] for e in data["edges"]}
    assert len(set(relations.values())) == len(relations)
    assert data["options"]["physics"]["stabilization"]["iterations"] == 600
    assert data["options"]["interaction"]["hover"] is True


def test_node_budget_is_reported() -> None:
    g = to_networkx(SMALL_GRAPH)
    result = render(g, max_nodes=4)
    assert (result.nodes, result.dropped_nodes) == (4, g.number_of_nodes() - 4)
    assert result.dropped_edges == g.number_of_edges() - result.edges
    assert f"Showing 4 of {g.number_of_nodes()} nodes" in result.message
    data = data_of(result.html)
    assert data["message"] == result.message and len(data["nodes"]) == 4
    assert render(g).message == ""


def test_empty_graph_renders_without_physics() -> None:
    data = data_of(render(nx.MultiDiGraph()).html)
    assert data["nodes"] == [] and data["options"]["physics"]["enabled"] is False


def test_notebook_display_is_a_sandboxed_iframe() -> None:
    result = show(to_networkx(SMALL_GRAPH), max_nodes=50)
    shown = result._repr_html_()
    assert shown.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts' in shown
    assert "allow-same-origin" not in shown
    assert "<script" not in shown and html.unescape(shown).count(result.html) == 1
    assert "html=" not in repr(result)


@pytest.mark.parametrize(
    ("nodes", "iterations"), [(10, 600), (500, 400), (2000, 100), (50_000, 100)]
)
def test_big_graphs_get_fewer_layout_steps(nodes: int, iterations: int) -> None:
    assert stabilisation_iterations(nodes) == iterations
