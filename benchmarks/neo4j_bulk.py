"""``kg neo4j import`` end to end beside raw ``neo4j-admin database import``, and the online
``kg load`` beside both, in one run on the same papers (issue 27).

    .venv/bin/python benchmarks/neo4j_bulk.py                  # 20k papers, ~3 min on 2 cores
    .venv/bin/python benchmarks/neo4j_bulk.py --papers 100000  # ~420k relationships

The corpus is the seed extractions replicated under new paper ids (real entity and edge
mix, real abstracts), built into an embedded store. Then:

1. ``kg neo4j import --from DB`` in a subprocess into a fresh server home: wall time,
   its phases, and the exporter's peak RSS (the kg process; neo4j-admin is its child).
2. The same store written to CSV again and imported by ``neo4j-admin`` alone into another
   home: the raw importer's time and rows/s, and the ratio (1) / (2).
3. ``kg load`` (``load_store`` into ``Neo4jStore``, 1,000 papers a transaction) into a
   third, running server: relationships/s beside the importer's rows/s.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.extract import Extractor
from kg.ingest import iter_papers
from kg.jobs.transfer import load_store
from kg.model import PaperExtraction
from kg.neo4j import server as neo4j_server
from kg.neo4j.admin_csv import write_neo4j_csv
from kg.neo4j.store import Neo4jStore
from kg.rdf.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def replicate(seed: list[PaperExtraction], papers: int) -> Iterator[PaperExtraction]:
    """``papers`` extractions: copy k of each seed paper gets the id ``ID~k``."""
    for k in range(math.ceil(papers / len(seed))):
        for ex in seed[: papers - k * len(seed)]:
            paper = dataclasses.replace(ex.paper, id=f"{ex.paper.id}~{k}")
            yield dataclasses.replace(ex, paper=paper)


def build_store(path: Path, papers: int) -> float:
    seed = list(Extractor().extract(iter_papers([SEEDS])))
    began = time.monotonic()
    with OxigraphStore(path) as store:
        batch: list[PaperExtraction] = []
        for ex in replicate(seed, papers):
            batch.append(ex)
            if len(batch) == 5000:
                store.upsert(batch)
                batch = []
        store.upsert(batch)
    return time.monotonic() - began


def kg_import(db: Path, home: Path, heap: str) -> tuple[float, float, str]:
    """Wall seconds, exporter peak RSS (MB) and summary line of ``kg neo4j import``."""
    began = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "neo4j",
            "import",
            "--from",
            str(db),
            "--home",
            str(home),
            "--bolt-port",
            str(neo4j_server.free_port()),
            "--heap",
            heap,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - began
    if done.returncode != 0:
        raise SystemExit(f"kg neo4j import failed ({done.returncode}): {done.stderr}")
    rss = re.search(r"peak RSS (\d+) MB", done.stdout)
    return seconds, float(rss.group(1)) if rss else math.nan, done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", type=int, default=20_000)
    ap.add_argument("--heap", default="1g")
    ap.add_argument("--pagecache", default="512m")
    ap.add_argument("--work-dir", type=Path, default=None, help="default: a temporary dir")
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="results file (default benchmarks/results/neo4j_bulk-<N>.txt)",
    )
    args = ap.parse_args(argv)
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="kg-neo4j-bulk-"))
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    db = work / "db"
    say(f"embedded store: {args.papers} papers built in {build_store(db, args.papers):.1f} s")
    with OxigraphStore(db, read_only=True) as src:
        stats = src.stats()
    rels = sum(stats.edges.values())
    say(f"graph: {stats.papers} papers, {sum(stats.entities.values())} entities, {rels} edges")

    bulk_home = work / "bulk"
    try:
        kg_s, rss, summary = kg_import(db, bulk_home, args.heap)
    finally:
        neo4j_server.stop(bulk_home)
    say(f"kg neo4j import: {summary}")

    with OxigraphStore(db, read_only=True) as src:
        began = time.monotonic()
        export = write_neo4j_csv(src.extractions(), work / "csv")
        csv_s = time.monotonic() - began
    raw_s = neo4j_server.admin_import(work / "raw", export.admin_args(), heap=args.heap)
    shutil.rmtree(work / "raw", ignore_errors=True)

    online_home = work / "online"
    handle = neo4j_server.start(
        online_home,
        bolt_port=neo4j_server.free_port(),
        heap=args.heap,
        pagecache=args.pagecache,
        timeout=300,
    )
    try:
        with OxigraphStore(db, read_only=True) as src, Neo4jStore.open(uri=handle.uri) as dst:
            began = time.monotonic()
            load_store(src, dst, batch_size=1000)
            load_s = time.monotonic() - began
            same = dst.stats() == stats
    finally:
        neo4j_server.stop(online_home)

    rows_per_s = export.rows / raw_s
    say("")
    say(f"{'':44}{'seconds':>9}{'rows/s':>10}{'rels/s':>10}")
    say(
        f"{'kg neo4j import, end to end':44}{kg_s:9.1f}{export.rows / kg_s:10,.0f}{rels / kg_s:10,.0f}"
    )
    say(f"{'  CSV export alone (same files)':44}{csv_s:9.1f}{export.rows / csv_s:10,.0f}")
    say(
        f"{'raw neo4j-admin database import (same CSV)':44}{raw_s:9.1f}{rows_per_s:10,.0f}{rels / raw_s:10,.0f}"
    )
    say(f"{'kg load (online, 1,000 papers/tx)':44}{load_s:9.1f}{'':>10}{rels / load_s:10,.0f}")
    say("")
    say(f"kg neo4j import / raw neo4j-admin: {kg_s / raw_s:.2f}x (target ≤ 1.3x at 1M papers)")
    say(f"exporter peak RSS: {rss:.0f} MB (target < 1 GB)")
    say(
        f"kg load: {rels / load_s:,.0f} rels/s = {rels / load_s / rows_per_s:.2f}x the importer's "
        f"{rows_per_s:,.0f} rows/s (aim ≥ 0.3x); online graph equals the source: {same}"
    )
    out = args.out or ROOT / "benchmarks" / "results" / f"neo4j_bulk-{args.papers // 1000}k.txt"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {out}")
    if args.work_dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
