"""The sparql store on a real Fuseki beside the embedded store, same papers, same run.

    .venv/bin/python benchmarks/fuseki.py                  # 100k papers
    .venv/bin/python benchmarks/fuseki.py --papers 10000   # quick run

1. kg's embedded build (``OxigraphStore.upsert``) of synthetic papers (the Neo4j
   benchmark's: Zipf-popular entities, ~11 edges a paper), batch by batch; papers/s.
2. ``kg fuseki import`` of that store into a fresh home: the quads streamed into Jena's
   TDB2 bulk loader, the server started on the dataset, the counts checked; quads/s.
3. The same batches upserted online into a fresh ``kg fuseki start`` server (TDB2), one
   SPARQL Update a batch; papers/s and quads/s.
4. Every named query's first screen (20 rows) on the most linked entity: p50 and p95 of
   ``--repeats`` runs on Fuseki as ``SparqlStore.answer`` gives it (from the index the
   store keeps on the server where it keeps that answer, else sorted and cut on the
   server), on Fuseki with the page sorted and cut on the server only (a reader that finds
   the index half written), on Fuseki running the bare text (every row back, kg sorts),
   and embedded (which answers from its index as the sparql store does).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from neo4j_load import Synthetic

from kg.fuseki import server as fuseki_server
from kg.fuseki.bulk import bulk_import
from kg.fuseki.store import SparqlStore
from kg.model import EntityKind
from kg.query import QUERIES, run_named
from kg.rdf.store import OxigraphStore
from kg.store.base import Store


class TextOnly(SparqlStore):
    """The sparql store without its pushed-down first screens: every row comes back."""

    def answer(self, query: Any, params: dict[str, Any], limit: int | None) -> None:
        return None


def _upsert(store: Store, batches: list[list[Any]]) -> float:
    began = time.perf_counter()
    for batch in batches:
        store.upsert(batch)
    store.flush()
    return time.perf_counter() - began


def _timings(ask: Callable[[], object], repeats: int) -> tuple[float, float]:
    ask()  # warm: the first run compiles and caches
    ms = []
    for _ in range(repeats):
        began = time.perf_counter()
        ask()
        ms.append((time.perf_counter() - began) * 1000)
    ms.sort()
    return statistics.median(ms), ms[min(len(ms) - 1, int(0.95 * len(ms)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--heap", default="2g")
    args = parser.parse_args(argv)
    corpus = Synthetic(args.papers)
    extractions = list(corpus.extractions())
    batches = [extractions[i : i + args.batch] for i in range(0, len(extractions), args.batch)]
    top = {kind: corpus.entities[kind][0].name for kind in corpus.entities}
    question_args = {
        "dataset": top[EntityKind.DATASET],
        "method": top[EntityKind.METHOD],
        "task": top[EntityKind.TASK],
        "limit": 20,
    }
    with tempfile.TemporaryDirectory(prefix="kg-fuseki-bench-") as tmp:
        db = Path(tmp) / "db"
        embedded = OxigraphStore(db)
        embedded_s = _upsert(embedded, batches)
        embedded.close()
        bulk_home = Path(tmp) / "fuseki-bulk"
        report = bulk_import(db, bulk_home, port=fuseki_server.free_port(), heap=args.heap,
                             progress=lambda line: None)
        fuseki_server.stop(bulk_home)
        home = Path(tmp) / "fuseki"
        handle = fuseki_server.start(home, port=fuseki_server.free_port(), heap=args.heap)
        embedded = OxigraphStore(db, read_only=True)
        try:
            fuseki = SparqlStore.open(endpoint=handle.endpoint)
            fuseki_s = _upsert(fuseki, batches)
            assert fuseki.stats() == embedded.stats(), "the two stores differ"
            quads = fuseki.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
            n_quads = int(quads.rows[0][0])
            print(f"papers: {args.papers}, batches of {args.batch}, quads on Fuseki: {n_quads}")
            print(f"embedded build (oxigraph): {embedded_s:.1f} s, {args.papers / embedded_s:,.0f} papers/s")
            print(
                f"kg fuseki import (tdb2.tdbloader): {report.quads} quads loaded in {report.load_s:.1f} s, "
                f"{report.quads_per_s:,.0f} quads/s, {args.papers / report.load_s:,.0f} papers/s "
                f"({embedded_s / report.load_s:.2f}x the embedded build); restart and count "
                f"checks {report.restart_s:.1f} s; total {report.total_s:.1f} s"
            )
            print(
                f"online upsert into Fuseki (sparql store): {fuseki_s:.1f} s, "
                f"{args.papers / fuseki_s:,.0f} papers/s, {n_quads / fuseki_s:,.0f} quads/s "
                f"({embedded_s / fuseki_s:.2f}x the embedded build, "
                f"{report.load_s / fuseki_s:.2f}x the bulk load)"
            )
            text_only = TextOnly(fuseki.client)
            server_cut = SparqlStore(fuseki.client, read_only=True)
            server_cut._indexed = False  # as a reader that finds a write half done
            print(
                f"{'named query, first 20 rows':28} {'Fuseki p50/p95 ms':>20} "
                f"{'Fuseki cut p50/p95':>20} {'Fuseki text p50/p95':>20} "
                f"{'embedded p50/p95 ms':>22}"
            )
            for name in QUERIES.names():
                params = {p.name: question_args[p.name] for p in QUERIES.get(name).params if p.name in question_args}
                row = []
                for store in (fuseki, server_cut, text_only, embedded):
                    p50, p95 = _timings(
                        lambda s=store, n=name, a=params: run_named(s, n, a), args.repeats
                    )
                    row.append(f"{p50:8.1f} / {p95:8.1f}")
                print(f"{name:28} {row[0]:>20} {row[1]:>20} {row[2]:>20} {row[3]:>22}", flush=True)
            fuseki.close()
        finally:
            fuseki_server.stop(home)
            embedded.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
