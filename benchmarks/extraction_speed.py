"""Abstracts/s of kg's Extractor beside the floor peer (plain ``nlp.pipe`` over
``spacy.blank("en")``, no components) on the seed abstracts, one process, same run.

Both wall-clock and CPU-time rates are printed: on a shared machine the CPU-time rate is
the per-core figure that does not depend on what else is running. The two pipelines run in
alternating rounds and each reports its best round (as ``timeit`` does), so a burst of
load on the machine hits both rather than one.

usage: python benchmarks/extraction_speed.py [SEEDS_DIR] [--repeat N] [--rounds R]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from kg.extract import Extractor
from kg.ingest import iter_papers


def _timed(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"
    parser = argparse.ArgumentParser()
    parser.add_argument("seeds", nargs="?", default=str(default))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    papers = list(iter_papers([args.seeds])) * args.repeat
    texts = [p.abstract for p in papers]
    extractor = Extractor()
    peer = spacy.blank("en")
    list(extractor.extract(papers[:100]))  # warm-up: lazy loading, caches
    list(peer.pipe(texts[:100]))
    runs = {
        "kg Extractor": lambda: sum(1 for _ in extractor.extract(papers)),
        "peer blank('en') nlp.pipe": lambda: sum(1 for _ in peer.pipe(texts, batch_size=256)),
    }
    best = {name: (float("inf"), float("inf")) for name in runs}
    for _ in range(args.rounds):
        for name, fn in runs.items():
            wall, cpu = _timed(fn)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    print(f"{len(papers)} abstracts ({len(set(texts))} distinct), one process, ", end="")
    print(f"best of {args.rounds} rounds")
    print(f"{'pipeline':28} {'abstracts/s (wall)':>19} {'abstracts/s (cpu)':>18}")
    for name, (wall, cpu) in best.items():
        print(f"{name:28} {len(papers) / wall:19.0f} {len(papers) / cpu:18.0f}")


if __name__ == "__main__":
    main()
