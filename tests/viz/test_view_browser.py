"""The view in headless Chromium: loads clean and offline, counts right, runs no injected script."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from kg.graph.networkx import to_networkx
from kg.model import Evidence, Mention, Paper, PaperExtraction, Relation
from kg.resolve import Resolver
from kg.viz import render
from kg.viz.store import OVERVIEW_NODES, view_graph
from tests.graph_factory import RESULTS_GRAPH

pytestmark = pytest.mark.browser
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"

XSS_TITLE = '<img src=x onerror="window.__xss=1">'
XSS_METHOD = "</script><script>window.__xss=2</script>"


def xss_extraction() -> PaperExtraction:
    abstract = f"We propose {XSS_METHOD} and link javascript:window.__xss=3 here."
    resolver = Resolver.default()
    start = abstract.index(XSS_METHOD)
    ev = Evidence(start, start + len(XSS_METHOD), 0, len(abstract), "test.v1")
    mentions = [
        Mention(
            Relation.PROPOSES, resolver.resolve(Relation.PROPOSES.kind, XSS_METHOD), XSS_METHOD, ev
        ),
        Mention(
            Relation.LINKS_TO,
            resolver.resolve(Relation.LINKS_TO.kind, "javascript:window.__xss=3"),
            "js",
            ev,
        ),
    ]
    paper = Paper(
        id="title:xss", title=XSS_TITLE, abstract=abstract, date="2024-01-02", arxiv_id="2401.00001"
    )
    return PaperExtraction(paper, mentions)


def assert_clean(page: Any) -> None:
    assert [e for e in page.console if e["level"] in ("SEVERE", "WARNING")] == []
    assert page.requests, "no requests seen: the network log is not being captured"
    offline = [u for u in page.requests if not u.startswith(("file:", "data:"))]
    assert offline == [], f"page made network requests: {offline}"


def hover(page: Any, node_id: str) -> str:
    """Move the real mouse onto the node; the text of the tooltip vis shows for it."""
    x, y = page.js(
        "const v = kgView.network; const p = v.canvasToDOM(v.getPosition(arguments[0]));"
        "return [p.x, p.y];",
        node_id,
    )
    canvas = page.driver.find_element(By.CSS_SELECTOR, "#kg-network canvas")
    size = canvas.size
    ActionChains(page.driver).move_to_element_with_offset(
        canvas, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).perform()
    for _ in range(20):
        time.sleep(0.3)  # vis opens the tooltip once the mouse rests (tooltipDelay)
        text = page.js(
            "const t = document.querySelector('div.vis-tooltip');"
            "return t && t.style.visibility !== 'hidden' ? t.textContent : null;"
        )
        if text:
            return text
        ActionChains(page.driver).move_by_offset(1, 0).perform()
    raise AssertionError(f"no tooltip for {node_id}")


def test_seed_graph_loads_offline_with_matching_counts(seed_extractions, load, tmp_path):
    graph = to_networkx(seed_extractions)
    result = render(graph, tmp_path / "seed.html", max_nodes=250, title="kg seed graph")
    page = load(result.path)
    assert_clean(page)
    shown = page.js(
        "const d = kgView.network.body.data;"
        "return [d.nodes.length, d.edges.length, kgView.stabilisedAt];"
    )
    assert shown[:2] == [result.nodes, result.edges] == [250, result.edges]
    assert shown[2] is not None
    assert page.js("return document.getElementById('kg-message').textContent") == result.message
    assert page.js("return kgView.network.physics.physicsEnabled") is False
    shot = page.screenshot("seed-top-250.png")
    assert shot.stat().st_size > 10_000  # a drawn graph, not a blank page


#: Sizes on screen (CSS px) below which a label does not count as readable.
LEGIBLE_PX = 9
#: Captures every string vis draws on the canvas during one redraw.
DRAWN_TEXT = """
const proto = CanvasRenderingContext2D.prototype, fill = proto.fillText, drawn = [];
proto.fillText = function (text, x, y) {
  drawn.push(String(text));
  return fill.apply(this, arguments);
};
try { kgView.network.redraw(); } finally { proto.fillText = fill; }
return drawn;
"""
#: Per kind: its colour's pixels on the canvas, and the share of the canvas drawn at all.
CANVAS_INK = """
const canvas = document.querySelector('#kg-network canvas');
const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
const near = (i, hex) => [1, 3, 5].every((k, j) =>
  Math.abs(px[i + j] - parseInt(hex.slice(k, k + 2), 16)) < 12);
const ink = {};
let painted = 0;
for (let i = 0; i < px.length; i += 4) {
  if (px[i + 3] > 0 && px[i] + px[i + 1] + px[i + 2] < 720) painted += 1;
  for (const k of arguments[0]) if (near(i, k.color)) ink[k.kind] = (ink[k.kind] || 0) + 1;
}
return [painted / (px.length / 4), ink];
"""


def test_demo_overview_draws_entity_labels(demo_view, load):
    """The page `make demo` writes: every entity's name is drawn, readable, on first load."""
    page = load(demo_view)
    assert_clean(page)
    nodes = page.js(
        "const net = kgView.network, scale = net.getScale();"
        "return net.body.nodeIndices.map(id => { const n = net.body.nodes[id];"
        "  return {id: id, kind: n.options.kind, label: n.options.label,"
        "          px: n.labelModule.fontOptions.size * scale,"
        "          threshold: n.options.scaling.label.drawThreshold}; });"
    )
    entities = [n for n in nodes if n["kind"] != "Paper"]
    assert {n["kind"] for n in entities} >= {"Method", "Dataset", "Task", "Metric"}
    assert 50 <= len(entities) < len(nodes) <= OVERVIEW_NODES
    for n in entities:  # drawn by vis (above its threshold) and big enough to read
        assert n["label"] and n["px"] >= max(LEGIBLE_PX, n["threshold"]), n
    drawn = set(page.js(DRAWN_TEXT))
    assert {n["label"] for n in entities} <= drawn  # what the canvas really painted
    paper_labels = {n["label"] for n in nodes if n["kind"] == "Paper"}
    assert not paper_labels & drawn  # papers are dots until zoomed in: hover for titles
    kinds = page.js("return JSON.parse(document.getElementById('kg-data').textContent).kinds")
    painted, ink = page.js(CANVAS_INK, kinds)
    assert painted > 0.01, "blank canvas"
    assert {k["kind"] for k in kinds} <= {kind for kind, count in ink.items() if count >= 20}
    title = page.js("return document.title")
    assert title == "kg: overview" and "=" not in title
    shot = page.screenshot("seed-graph.png")
    assert shot.stat().st_size > 30_000  # a drawn graph, not a blank page
    if os.environ.get("KG_UPDATE_SCREENSHOT"):  # the README's picture, on request only:
        shutil.copyfile(shot, DOCS_IMG / "seed-graph.png")  # a test run leaves git clean
    paper = page.js(
        "const n = kgView.nodes.get({filter: n => n.kind === 'Paper' && n.code && n.summary})[0];"
        "return {id: n.id, name: n.name, summary: n.summary, code: n.code};"
    )
    tip = hover(page, paper["id"])
    assert paper["name"] in tip and paper["summary"] in tip and paper["code"] in tip


def test_injected_markup_stays_text(seed_extractions, load, tmp_path):
    graph = view_graph([xss_extraction(), *seed_extractions[:5]])
    page = load(render(graph, tmp_path / "xss.html", title=XSS_TITLE).path)
    assert_clean(page)
    assert page.js("return [window.__xss, document.querySelectorAll('img').length]") == [None, 0]
    assert page.js("return document.title") == XSS_TITLE
    tip = hover(page, "title:xss")
    assert XSS_TITLE in tip and "2024-01-02" in tip and XSS_METHOD in tip  # title, summary
    page.js("kgView.focus(arguments[0])", "title:xss")
    links = page.js("return [...document.querySelectorAll('#kg-details a')].map(a => a.href)")
    assert links == ["https://arxiv.org/abs/2401.00001"]
    method = next(n for n, a in graph.nodes(data=True) if a["label"] == XSS_METHOD)
    page.js("kgView.focus(arguments[0])", method)
    assert XSS_METHOD in page.js("return document.getElementById('kg-details').textContent")
    assert page.js("return document.querySelectorAll('#kg-details a').length") == 0
    assert page.js("return window.__xss") is None
    page.screenshot("xss.png")


def test_search_focuses_and_kind_filter_hides(seed_extractions, load, tmp_path):
    graph = to_networkx(seed_extractions[:30])
    page = load(render(graph, tmp_path / "search.html").path)
    target = max((n for n, a in graph.nodes(data=True) if a["kind"] == "Method"), key=graph.degree)
    box = page.driver.find_element(By.ID, "kg-search")
    box.send_keys(graph.nodes[target]["label"], Keys.ENTER)
    assert page.js("return kgView.network.getSelectedNodes()") == [target]
    assert graph.nodes[target]["label"] in page.js(
        "return document.getElementById('kg-details').textContent"
    )
    methods = sum(a["kind"] == "Method" for _, a in graph.nodes(data=True))
    page.driver.find_element(By.CSS_SELECTOR, "input[data-kind='Method']").click()
    assert page.js("return kgView.network.body.data.nodes.length") == len(graph) - methods
    page.screenshot("search.png")


def test_the_request_check_sees_a_fetch(load, tmp_path):
    """Control: a page that fetches is caught, so an empty list above means none."""
    probe = tmp_path / "fetching.html"
    probe.write_text('<body data-state="ready"><img src="http://127.0.0.1:9/x.png"></body>')
    assert "http://127.0.0.1:9/x.png" in load(probe).requests


def test_paper_tooltips_list_the_results_the_abstract_states(load, tmp_path):
    page = load(render(view_graph(RESULTS_GRAPH), tmp_path / "results.html").path)
    assert_clean(page)
    tip = hover(page, RESULTS_GRAPH[0].paper.id)
    assert "Results stated:" in tip
    assert "2.1 FID on ImageNet 256x256 — EpsNet" in tip
    assert "0.5 FID on ImageNet (gain) — EpsNet" in tip
