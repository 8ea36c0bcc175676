"""Abstracts/s of kg's Extractor beside the floor peer (plain ``nlp.pipe`` over
``spacy.blank("en")``, no components) on the seed abstracts, one process, same run.

Both wall-clock and CPU-time rates are printed: on a shared machine the CPU-time rate is
the per-core figure that does not depend on what else is running. "First pass" is one run
over abstracts neither pipeline has seen (cold caches); then the two pipelines run in
alternating rounds over the abstracts repeated and each reports its best round (as
``timeit`` does): the steady state of a long run, where a burst of load on the machine hits
both pipelines rather than one.

usage: python benchmarks/extraction_speed.py [SEEDS_DIR] [--repeat N] [--rounds R]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from kg.extract import Extractor
from kg.ingest import iter_papers


def _timed(fn, items) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    fn(items)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"
    parser = argparse.ArgumentParser()
    parser.add_argument("seeds", nargs="?", default=str(default))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    distinct = list(iter_papers([args.seeds]))
    papers = distinct * args.repeat
    extractor = Extractor()
    _ = extractor.nlp  # built on first use: build it before the clock starts
    peer = spacy.blank("en")
    runs = {
        "kg Extractor": lambda ps: sum(1 for _ in extractor.extract(ps)),
        "peer blank('en') nlp.pipe": lambda ps: sum(
            1 for _ in peer.pipe((p.abstract for p in ps), batch_size=256)
        ),
    }
    # one pass over abstracts neither pipeline has seen: empty caches
    first = {name: _timed(fn, distinct) for name, fn in runs.items()}
    best = {name: (float("inf"), float("inf")) for name in runs}
    for _ in range(args.rounds):
        for name, fn in runs.items():
            wall, cpu = _timed(fn, papers)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    print(f"{len(distinct)} distinct abstracts, one process; abstracts/s (wall / cpu)")
    print(f"{'pipeline':28} {'first pass':>15} {f'best of {args.rounds} x {len(papers)}':>19}")
    for name, (wall, cpu) in best.items():
        cold_wall, cold_cpu = first[name]
        cold = f"{len(distinct) / cold_wall:.0f} / {len(distinct) / cold_cpu:.0f}"
        print(f"{name:28} {cold:>15} {f'{len(papers) / wall:.0f} / {len(papers) / cpu:.0f}':>19}")


if __name__ == "__main__":
    main()
