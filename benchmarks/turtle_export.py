"""Turtle export speed: kg's streaming exporter vs rdflib's serializer on one ≥1M-triple graph.

Builds a synthetic store (PaperExtractions upserted into an OxigraphStore in a temp dir),
times ``kg.export.export(store, "turtle", …)`` end to end (reading the RocksDB store
included), then loads the same triples into an rdflib Graph (untimed) and times
``Graph.serialize(format="turtle")``. Also times the two halves of kg's path, reading the
store and serialising in-memory triples, to show where the time goes.

    .venv/bin/python benchmarks/turtle_export.py [--papers 11000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.export import export
from kg.model import Entity, EntityKind, Evidence, Mention, Paper, PaperExtraction, Relation
from kg.store.oxigraph import OxigraphStore

EDGES = ((Relation.USES, EntityKind.METHOD), (Relation.EVALUATED_ON, EntityKind.DATASET),
         (Relation.ADDRESSES, EntityKind.TASK), (Relation.REPORTS_METRIC, EntityKind.METRIC))


def synthetic(papers: int, mentions: int = 8, entities: int = 5000) -> Iterator[PaperExtraction]:
    """Papers with ``mentions`` evidence-carrying edges each (~100 triples per paper)."""
    abstract = "We study things on benchmarks with metrics. " * 10
    for i in range(papers):
        paper = Paper(id=f"arxiv:2401.{i:05d}", title=f"Paper {i}: on things",
                      abstract=abstract, date="2024-01-01", source="synthetic",
                      arxiv_id=f"2401.{i:05d}")
        found = []
        for j in range(mentions):
            relation, kind = EDGES[j % len(EDGES)]
            key = f"{kind.value.lower()}{(i * 7 + j * 13) % entities}"
            found.append(Mention(relation, Entity(kind, key, key.upper()), key,
                                 Evidence(j * 10, j * 10 + 5, 0, 45, "kg.name.v2")))
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
        store = OxigraphStore(work / "db")
        batch: list[PaperExtraction] = []
        start = time.perf_counter()
        for ex in synthetic(args.papers):
            batch.append(ex)
            if len(batch) == 1000:
                store.upsert(batch)
                batch = []
        store.upsert(batch)
        store.flush()
        print(f"built store: {args.papers} papers in {time.perf_counter() - start:.1f} s")

        n, kg_s = timed(export, store, "turtle", work / "kg.ttl")
        print(f"triples: {n:,}  (kg.ttl {(work / 'kg.ttl').stat().st_size / 1e6:.0f} MB)")
        triples, read_s = timed(list, (q.triple for q in store.quads()))
        _, ser_s = timed(ox.serialize, triples, str(work / "mem.ttl"), ox.RdfFormat.TURTLE)
        export(store, "ntriples", work / "all.nt")
        del triples
        graph = rdflib.Graph()
        graph.parse(work / "all.nt", format="nt")
        assert len(graph) == n, (len(graph), n)
        _, rdflib_s = timed(graph.serialize, str(work / "rdflib.ttl"), "turtle")

    print(f"{'':34}{'seconds':>10}{'triples/s':>14}")
    for label, secs in (("kg export turtle (store → file)", kg_s),
                        ("  of which: read store quads", read_s),
                        ("  of which: pyoxigraph serialize", ser_s),
                        ("rdflib Graph.serialize turtle", rdflib_s)):
        print(f"{label:34}{secs:10.2f}{n / secs:14,.0f}")
    print(f"speed-up kg vs rdflib: {rdflib_s / kg_s:.1f}x "
          f"(target ≥ 20x: {'met' if rdflib_s / kg_s >= 20 else 'NOT met'}); "
          f"kg {n / kg_s:,.0f} triples/s "
          f"(target ≥ 500k: {'met' if n / kg_s >= 500_000 else 'NOT met'})")


if __name__ == "__main__":
    main()
