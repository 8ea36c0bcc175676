"""Load a synthetic KG into Neo4j two ways and compare: kg's online loader vs neo4j-admin.

    .venv/bin/python benchmarks/neo4j_load.py                 # 100k papers, ~1M relationships
    .venv/bin/python benchmarks/neo4j_load.py --papers 10000  # quick run

1. kg's loader (``load_store`` → ``Neo4jStore.upsert``: UNWIND batches, one write
   transaction per batch) into a fresh server; prints relationships/s and rows/s.
2. The same papers as CSV (``write_neo4j_csv``), imported offline with
   ``neo4j-admin database import full`` into a fresh home; prints its time and rows/s,
   then starts that server and checks it holds the same graph as the first.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.jobs.transfer import load_store
from kg.model import Entity, EntityKind, Evidence, Mention, Paper, PaperExtraction, Relation
from kg.neo4j import server as neo4j_server
from kg.neo4j.admin_csv import write_neo4j_csv
from kg.neo4j.store import Neo4jStore

POOLS = {
    EntityKind.METHOD: 20_000,
    EntityKind.DATASET: 5_000,
    EntityKind.TASK: 3_000,
    EntityKind.METRIC: 300,
    EntityKind.URL: 10_000,
}
#: Mentions per paper by relation: 10 in all, so 100k papers give ~1M relationships.
PER_PAPER = {
    Relation.USES: 3,
    Relation.PROPOSES: 1,
    Relation.EVALUATED_ON: 2,
    Relation.USES_DATASET: 1,
    Relation.ADDRESSES: 1,
    Relation.REPORTS_METRIC: 1,
    Relation.LINKS_TO: 1,
}


class Synthetic:
    """Deterministic papers with Zipf-like entity popularity (hub datasets, as in reality)."""

    def __init__(self, papers: int, seed: int = 7) -> None:
        self.papers, self.seed = papers, seed
        self.entities = {
            kind: [Entity(kind, f"{kind.value.lower()}{i}", f"{kind.value} {i}") for i in range(n)]
            for kind, n in POOLS.items()
        }
        self.weights = {
            kind: list(accumulate(1 / (i + 1) ** 0.8 for i in range(n)))
            for kind, n in POOLS.items()
        }

    def extractions(self) -> Iterator[PaperExtraction]:
        rng = random.Random(self.seed)
        for i in range(self.papers):
            abstract = f"Paper {i} proposes things. " * 8
            paper = Paper(
                id=f"arxiv:2501.{i:06d}",
                title=f"Synthetic paper {i}",
                abstract=abstract,
                date="2025-01-01",
                source="synthetic",
                arxiv_id=f"2501.{i:06d}",
                authors=(f"Author {i % 997}",),
            )
            mentions = []
            for rel, n in PER_PAPER.items():
                kind = rel.kind
                picks = rng.choices(self.entities[kind], cum_weights=self.weights[kind], k=n)
                for j, entity in enumerate(picks):
                    start = 10 * j + 3
                    mentions.append(
                        Mention(
                            rel,
                            entity,
                            entity.name,
                            Evidence(start, start + 8, 0, 30, "synthetic.v1"),
                        )
                    )
            if i % 3 == 0:
                code = Entity(EntityKind.CODE, f"github.com/kg/p{i}", f"https://github.com/kg/p{i}")
                mentions.append(
                    Mention(
                        Relation.RELEASES_CODE,
                        code,
                        code.name,
                        Evidence(100, 130, 90, 140, "synthetic.v1"),
                    )
                )
            yield PaperExtraction(paper, mentions, releases_code=i % 3 == 0)


def _rows(stats: object) -> tuple[int, int]:
    nodes = stats.papers + sum(stats.entities.values())  # type: ignore[attr-defined]
    return nodes, sum(stats.edges.values())  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--batch-size", type=int, default=2000, help="papers per transaction")
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="1g")
    ap.add_argument("--work-dir", type=Path, default=None, help="default: a temporary dir")
    args = ap.parse_args(argv)
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="kg-neo4j-bench-"))
    source = Synthetic(args.papers)
    report: dict[str, object] = {"papers": args.papers, "batch_size": args.batch_size}

    online = work / "online"
    handle = neo4j_server.start(
        online,
        bolt_port=neo4j_server.free_port(),
        heap=args.heap,
        pagecache=args.pagecache,
        timeout=300,
    )
    report["startup_s"] = handle.startup_s
    try:
        with Neo4jStore.open(uri=handle.uri) as store:
            began = time.monotonic()
            load_store(source, store, batch_size=args.batch_size)  # type: ignore[arg-type]
            seconds = time.monotonic() - began
            online_stats = store.stats()
    finally:
        neo4j_server.stop(online)
    nodes, rels = _rows(online_stats)
    report["kg_loader"] = {
        "seconds": round(seconds, 1),
        "nodes": nodes,
        "relationships": rels,
        "relationships_per_s": round(rels / seconds),
        "rows_per_s": round((nodes + rels) / seconds),
    }

    began = time.monotonic()
    export = write_neo4j_csv(source.extractions(), work / "csv")
    csv_s = time.monotonic() - began
    imported = work / "imported"
    port = neo4j_server.free_port()
    import_s = neo4j_server.admin_import(
        imported, export.admin_args(), bolt_port=port, heap=args.heap
    )
    report["neo4j_admin_import"] = {
        "csv_write_seconds": round(csv_s, 1),
        "import_seconds": round(import_s, 1),
        "rows": export.rows,
        "rows_per_s": round(export.rows / import_s),
        "rows_per_s_incl_csv": round(export.rows / (import_s + csv_s)),
    }

    handle = neo4j_server.start(
        imported, bolt_port=port, heap=args.heap, pagecache=args.pagecache, timeout=300
    )
    try:
        began = time.monotonic()
        with Neo4jStore.open(uri=handle.uri) as store:  # applies the constraints
            report["neo4j_admin_import"]["constraints_seconds"] = round(  # type: ignore[index]
                time.monotonic() - began, 1
            )
            report["same_graph"] = store.stats() == online_stats
    finally:
        neo4j_server.stop(imported)
    print(json.dumps(report, indent=2))
    return 0 if report["same_graph"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
