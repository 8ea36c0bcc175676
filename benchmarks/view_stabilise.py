"""Time from page load to a still, drawn network for a 2,000-node view, in headless Chromium.

The graph is the seed graph cut to 2,000 nodes (``kg.graph.networkx.top_k``); when the seeds give
fewer, relabelled copies of the seed graph are added first, so the size is always the same.
Two pages of it are loaded in the same browser, alternately, ``--repeat`` times:

* **kg view** — ``kg.viz.render``: forceAtlas2 with straight edges, a step budget scaled to
  the graph (100 steps at 2,000 nodes), physics switched off on
  ``stabilizationIterationsDone``;
* **pyvis defaults** (the peer) — ``pyvis.network.Network(cdn_resources="in_line")`` with
  the same nodes and edges and every default left alone: barnesHut, dynamic smooth edges,
  1,000 stabilisation steps, physics left on (Bootstrap CDN tags removed so the page can
  load offline).

Each page records ``performance.now()`` (ms since navigation start) when vis emits
``stabilizationIterationsDone`` and, with physics on, ``stabilized`` (the simulation came
to rest). A JS calibration loop (1e7 ``Math.sqrt``) is timed in each page so runs on a busy
machine can be told apart. Pages that have not stabilised by ``--timeout`` are reported
with how far their stabilisation got.

    python benchmarks/view_stabilise.py [--nodes 2000] [--repeat 1] [--timeout 300]
"""

from __future__ import annotations

import argparse
import html
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from kg.extract import Extractor
from kg.graph.networkx import to_networkx, top_k
from kg.ingest import iter_papers
from kg.viz import render
from kg.viz.headless import headless_chromium

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

PROBE = """<script>
window.__bench = {iterations: 0, done: null, rested: null};
network.on("stabilizationProgress", (p) => { window.__bench.iterations = p.iterations; });
network.once("stabilizationIterationsDone", () => { window.__bench.done = performance.now(); });
network.once("stabilized", () => { window.__bench.rested = performance.now(); });
</script>
</body>"""

CALIBRATE = (
    "const t = performance.now(); let x = 0;"
    "for (let i = 0; i < 1e7; i++) x += Math.sqrt(i);"
    "return performance.now() - t;"
)


def pyvis_page(graph) -> str:  # type: ignore[no-untyped-def]
    """The same graph through pyvis with its defaults, made loadable offline."""
    net = Network(directed=True, cdn_resources="in_line")
    for node, attrs in graph.nodes(data=True):
        name = html.escape(str(attrs.get("name", node)))
        net.add_node(node, label=name[:40], title=name)
    for src, dst, attrs in graph.edges(data=True):
        net.add_edge(src, dst, title=attrs["relation"])
    page = net.generate_html()
    page = re.sub(
        r"<link[^>]*bootstrap[^>]*>|<script[^>]*bootstrap[^>]*></script>", "", page, flags=re.S
    )
    return page.replace("</body>", PROBE, 1)


def measure(driver, path: Path, done_js: str, timeout: float) -> dict[str, float | None]:  # type: ignore[no-untyped-def]
    driver.get(path.as_uri())
    deadline = time.monotonic() + timeout
    while (done := driver.execute_script(done_js)) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    row: dict[str, float | None] = {"stabilised_ms": done}
    if done is None:
        row["iterations"] = driver.execute_script(
            "return window.__bench ? window.__bench.iterations : null"
        )
    row["calibration_ms"] = driver.execute_script(CALIBRATE)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()

    seed = to_networkx(Extractor().extract(iter_papers([SEEDS])))
    graph = seed.copy()
    for copy in range(2, 2 + args.nodes // max(len(seed), 1)):
        graph.update(nx.relabel_nodes(seed, {n: f"{n}#{copy}" for n in seed}))
    graph = top_k(graph, args.nodes).graph
    print(
        f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges "
        f"(from a {len(seed)}-node seed graph)"
    )
    out = Path(tempfile.mkdtemp(prefix="kg-view-bench-"))
    kg_path, peer_path = out / "kg.html", out / "pyvis.html"
    kg_path.write_text(render(graph, max_nodes=args.nodes).html, encoding="utf-8")
    peer_path.write_text(pyvis_page(graph), encoding="utf-8")
    for path in (kg_path, peer_path):
        print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    results: dict[str, list[dict[str, float | None]]] = {"kg view": [], "pyvis defaults": []}
    driver = headless_chromium(Path(tempfile.mkdtemp(prefix="kg-bench-")))
    driver.set_script_timeout(args.timeout)  # pyvis's page lays out synchronously first
    driver.set_page_load_timeout(args.timeout)
    try:
        for _ in range(args.repeat):
            results["kg view"].append(
                measure(driver, kg_path, "return kgView.stabilisedAt", args.timeout)
            )
            peer = measure(driver, peer_path, "return window.__bench.done", args.timeout)
            peer["rested_ms"] = driver.execute_script("return window.__bench.rested")
            results["pyvis defaults"].append(peer)
    finally:
        driver.quit()
    print(f"load average after: {os.getloadavg()[0]:.1f}")

    print(
        f"\n{'page':<16} {'to stabilised (s)':>18} {'runs':>5}  "
        f"{'calibration loop (ms)':>22}  notes"
    )
    for name, rows in results.items():
        done = [r["stabilised_ms"] / 1000 for r in rows if r["stabilised_ms"] is not None]
        calib = statistics.median(r["calibration_ms"] or 0 for r in rows)
        notes = []
        unfinished = [r for r in rows if r["stabilised_ms"] is None]
        if unfinished:
            notes.append(
                f"{len(unfinished)} run(s) not done in {args.timeout:.0f}s, "
                f"at step {unfinished[0].get('iterations')}"
            )
        rested = [r["rested_ms"] for r in rows if r.get("rested_ms") is not None]
        if name == "pyvis defaults":
            notes.append(
                "physics still running after stabilisation"
                if not rested
                else f"came to rest at {statistics.median(rested) / 1000:.1f}s"
            )
        shown = f"{statistics.median(done):.1f}" if done else "-"
        print(f"{name:<16} {shown:>18} {len(done):>5}  {calib:>22.0f}  {'; '.join(notes)}")


if __name__ == "__main__":
    sys.exit(main())
