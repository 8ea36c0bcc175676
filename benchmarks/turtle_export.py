"""Turtle export speed: kg's streaming exporter vs rdflib's serializer on one ≥1M-triple graph.

Builds the same synthetic graph twice, in an embedded store on disk and in one held in
memory (``open_store("memory")``), and loads it (untimed) into an rdflib Graph. Then times
``kg.export.export(store, "turtle", …)`` from each store, end to end, beside rdflib's
``Graph.serialize(format="turtle")``. The in-memory row is like for like with rdflib, whose
graph is in memory too; the on-disk row adds reading RocksDB, shown by timing the read of
the store's quads alone.

    .venv/bin/python benchmarks/turtle_export.py [--papers 11000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import rdflib

from kg.export import export
from kg.model import Entity, EntityKind, Evidence, Mention, Paper, PaperExtraction, Relation
from kg.rdf.store import OxigraphStore
from kg.store import open_store

EDGES = (
    (Relation.USES, EntityKind.METHOD),
    (Relation.EVALUATED_ON, EntityKind.DATASET),
    (Relation.ADDRESSES, EntityKind.TASK),
    (Relation.REPORTS_METRIC, EntityKind.METRIC),
)


def synthetic(papers: int, mentions: int = 8, entities: int = 5000) -> Iterator[PaperExtraction]:
    """Papers with ``mentions`` evidence-carrying edges each (~100 triples per paper)."""
    abstract = "We study things on benchmarks with metrics. " * 10
    for i in range(papers):
        paper = Paper(
            id=f"arxiv:2401.{i:05d}",
            title=f"Paper {i}: on things",
            abstract=abstract,
            date="2024-01-01",
            source="synthetic",
            arxiv_id=f"2401.{i:05d}",
        )
        found = []
        for j in range(mentions):
            relation, kind = EDGES[j % len(EDGES)]
            key = f"{kind.value.lower()}{(i * 7 + j * 13) % entities}"
            found.append(
                Mention(
                    relation,
                    Entity(kind, key, key.upper()),
                    key,
                    Evidence(j * 10, j * 10 + 5, 0, 45, "kg.name.v2"),
                )
            )
        yield PaperExtraction(paper, found, releases_code=i % 3 == 0)


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=11_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store, memory = OxigraphStore(work / "db"), open_store("memory")
        batch: list[PaperExtraction] = []
        start = time.perf_counter()
        for ex in synthetic(args.papers):
            batch.append(ex)
            if len(batch) == 1000:
                store.upsert(batch)
                memory.upsert(batch)
                batch = []
        store.upsert(batch)
        memory.upsert(batch)
        store.flush()
        print(f"built stores: {args.papers} papers in {time.perf_counter() - start:.1f} s")

        n, memory_s = timed(export, memory, "turtle", work / "memory.ttl")
        n_disk, disk_s = timed(export, store, "turtle", work / "kg.ttl")
        assert n_disk == n, (n_disk, n)
        print(f"triples: {n:,}  (kg.ttl {(work / 'kg.ttl').stat().st_size / 1e6:.0f} MB)")
        _, read_s = timed(sum, (1 for _ in store.quads()))
        export(store, "ntriples", work / "all.nt")
        graph = rdflib.Graph()
        graph.parse(work / "all.nt", format="nt")
        assert len(graph) == n, (len(graph), n)
        _, rdflib_s = timed(graph.serialize, str(work / "rdflib.ttl"), "turtle")

    print(f"{'':42}{'seconds':>9}{'triples/s':>12}{'vs rdflib':>11}")
    for label, secs in (
        ("kg export turtle, graph in memory", memory_s),
        ("kg export turtle, graph on disk", disk_s),
        ("  of which: read quads from disk", read_s),
        ("rdflib Graph.serialize turtle (in memory)", rdflib_s),
    ):
        ratio = "" if label.startswith("  ") else f"{rdflib_s / secs:.1f}x"
        print(f"{label:42}{secs:9.2f}{n / secs:12,.0f}{ratio:>11}")
    for where, secs in (("in memory, like rdflib", memory_s), ("on disk", disk_s)):
        x, rate = rdflib_s / secs, n / secs
        print(
            f"kg {where}: {x:.1f}x rdflib (target ≥ 20x: {'met' if x >= 20 else 'NOT met'}), "
            f"{rate:,.0f} triples/s (target ≥ 500k: {'met' if rate >= 500_000 else 'NOT met'})"
        )


if __name__ == "__main__":
    main()
