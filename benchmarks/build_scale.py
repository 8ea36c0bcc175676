"""Scale benchmark: extraction rate, build time and memory, query latency, incremental adds.

For each corpus size (synthetic arXiv snapshots from generate_corpus.py):

* extraction abstracts/s on one core: kg's Extractor beside the floor peer, a bare
  ``spacy.blank("en")`` tokenizer over the same abstracts (what any spaCy pipeline pays);
* ``build()`` into a fresh embedded store, in a child process: wall time, peak RSS of the
  child and its workers together (sampled), store size on disk (after the +1k builds have
  reopened it, so RocksDB's write-ahead log is in its tables; per paper over n + 2k);
* latency of every named query (SPARQL, most frequent entity as argument), p50/p95, as
  users get it (the first 20 rows, the default ``--limit``: paper lists come from the
  store's first pages) beside the peer, the same questions answered in full (``--limit 0``);
* incremental add of 1k new papers to the built store, twice (``+1k s`` = first/second):
  the first writer after a bulk-loaded build also meets RocksDB's pending compactions;
  growth = build time per paper relative to the previous size (1.0 = linear);
* with ``--peer-store``, the same builds into the other embedded store (time, RSS, growth);
* for a sharded store, the seconds each shard after the first took to fill: flat from
  first to last shard is linear growth seen from inside one build.

    python benchmarks/build_scale.py                 # 1k, 10k, 100k
    python benchmarks/build_scale.py --full          # and 1M
    python benchmarks/build_scale.py --sizes 1000    # quick
    python benchmarks/build_scale.py --store sharded --peer-store oxigraph --full
    python benchmarks/build_scale.py --profile-store 2000   # where upsert time goes
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from itertools import islice, pairwise
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate_corpus import write_corpus  # noqa: E402
from kg.ingest import iter_papers  # noqa: E402
from kg.jobs.build import build  # noqa: E402
from kg.query import QUERIES, run_named  # noqa: E402
from kg.rdf.mapping import EVIDENCE_RECORD  # noqa: E402
from kg.store import Store, open_store  # noqa: E402

RATE_SAMPLE = 5_000  # abstracts timed for the per-core rate (the rate does not grow with N)
QUERY_REPS = 5
FIRST_SCREEN = 20  # the default --limit
INCREMENT = 1_000
TARGETS = "targets: ≥1,000 abstracts/s/core; 1M build <30 min, <4 GB; query p50 <50 ms; +1k <10 s"


# -- child process: one build ------------------------------------------------------------
def child_build(db: str, sources: list[str], workers: int, store_name: str) -> None:
    start = time.perf_counter()
    with open_store(store_name, path=db) as store:
        written = build(sources, store, workers=workers).papers_written
    print(json.dumps({"seconds": time.perf_counter() - start, "written": written}))


def measured_build(
    db: Path, sources: list[Path], workers: int = 1, store_name: str = "oxigraph"
) -> dict[str, float]:
    """Run a build in a child; wall time, written papers and peak RSS of its process tree."""
    cmd = [sys.executable, __file__, "--child-build", str(db), "--workers", str(workers)]
    cmd += ["--store", store_name]
    proc = subprocess.Popen([*cmd, *map(str, sources)], stdout=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not done.wait(0.2):
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"child build failed ({proc.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    return {**result, "peak_mb": peak / 2**20}


def shard_fill_seconds(db: Path) -> list[float]:
    """Seconds between consecutive shard seals of a sharded store (each sealed shard's
    paper list is written once, when it is full): the time to fill each shard after the
    first, flat from first to last when a build's cost per paper does not grow."""
    seals = [p.stat().st_mtime for p in sorted((db / "shards").glob("*/papers.txt"))]
    return [later - earlier for earlier, later in pairwise(seals)]


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# -- in-process measurements ---------------------------------------------------------------
def extraction_rates(corpus: Path, n: int) -> tuple[float, float]:
    """(kg Extractor, bare blank("en") tokenizer) abstracts/s on one process."""
    import spacy

    from kg.extract import Extractor

    papers = list(islice(iter_papers([corpus]), n))
    extractor = Extractor()
    _ = extractor.nlp  # built on first use: build it before the clock starts
    start = time.perf_counter()
    for _ in extractor.extract(papers):
        pass
    kg_rate = len(papers) / (time.perf_counter() - start)
    nlp = spacy.blank("en")
    start = time.perf_counter()
    for _ in nlp.pipe((p.abstract for p in papers), batch_size=256):
        pass
    return kg_rate, len(papers) / (time.perf_counter() - start)


def _most_frequent(store: Store, kind: str, prop: str) -> str:
    table = store.query(
        f"SELECT ?key (COUNT(*) AS ?n) WHERE {{ ?p kg:{prop} ?e . ?e a kg:{kind} ; kg:key ?key }}"
        " GROUP BY ?key ORDER BY DESC(?n) LIMIT 1",
        {},
    )  # a sharded store answers each shard's most frequent: take the most of those
    return str(max(table.rows, key=lambda row: row[1])[0]) if table.rows else "none"


def query_latencies(
    db: Path, limit: int, store_name: str
) -> tuple[float, float, dict[str, tuple[float, int]]]:
    """p50 and p95 (ms) over all named queries × reps, and each query's p50 and rows."""
    store = open_store(store_name, path=db, read_only=True)
    args = {
        "dataset": _most_frequent(store, "Dataset", "evaluatedOn"),
        "method": _most_frequent(store, "Method", "uses"),
        "task": _most_frequent(store, "Task", "addresses"),
        "limit": limit,
    }
    samples: list[float] = []
    per_query: dict[str, tuple[float, int]] = {}
    for name in QUERIES.names():
        params = {p.name for p in QUERIES.get(name).params}
        query_args = {k: v for k, v in args.items() if k in params}
        rows = len(run_named(store, name, query_args).rows)  # warm-up
        times = []
        for _ in range(QUERY_REPS):
            start = time.perf_counter()
            run_named(store, name, query_args)
            times.append((time.perf_counter() - start) * 1000)
        samples.extend(times)
        per_query[name] = (statistics.median(times), rows)
    store.close()
    q = statistics.quantiles(samples, n=20)
    return statistics.median(samples), q[18], per_query


def profile_store(corpus_path: Path, n: int, workdir: Path) -> list[str]:
    """Where an upsert's time goes, and what pyoxigraph's bulk loader would save."""
    from pyoxigraph import Store as RocksStore

    from kg.extract import Extractor
    from kg.rdf.store import OxigraphStore

    exs = list(Extractor().extract(islice(iter_papers([corpus_path]), 2 * n)))
    db = workdir / "db-profile"
    shutil.rmtree(db, ignore_errors=True)
    store = OxigraphStore(db)
    store.upsert(exs[:n])  # the batch under test lands on a store that already has papers
    quads: list = []
    real = store._store

    class Capture:  # stands in for the RocksDB store: keeps the quads upsert would write
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(real, name)

        def extend(self, batch) -> None:  # type: ignore[no-untyped-def]
            quads.extend(batch)

        bulk_extend = extend

    store._store = Capture()  # type: ignore[assignment]
    start = time.perf_counter()
    store.upsert(exs[n:])
    python_s = time.perf_counter() - start
    store._store = real
    start = time.perf_counter()
    real.extend(quads)
    extend_s = time.perf_counter() - start
    bulk = RocksStore(str(workdir / "db-profile-bulk"))
    start = time.perf_counter()
    bulk.bulk_extend(quads)
    bulk_s = time.perf_counter() - start
    records = sum(1 for q in quads if q.predicate == EVIDENCE_RECORD)
    mentions = sum(len(ex.mentions) for ex in exs[n:])
    store.close()
    del bulk
    for path in (db, workdir / "db-profile-bulk"):
        shutil.rmtree(path, ignore_errors=True)
    per = 1000 / n
    return [
        f"upsert of {n:,} papers ({len(quads):,} quads, {len(quads) / n:.0f}/paper, "
        f"{mentions / n:.1f} mentions/paper), s per 1k papers:",
        f"  Python side (quads, entity look-ups)     : {python_s * per:.2f}",
        f"  Store.extend (one RocksDB transaction):    {extend_s * per:.2f}",
        f"  Store.bulk_extend of the same quads:       {bulk_s * per:.2f}",
        f"  evidence: {records:,} kg:evidenceRecord quads, one per paper with mentions "
        f"(reified in exports: 10 quads per mention)",
    ]


# -- driver ----------------------------------------------------------------------------------
def corpus(workdir: Path, n: int, first: int = 0, tag: str = "") -> Path:
    path = workdir / f"corpus-{n}{tag}.jsonl"
    if not path.exists():
        write_corpus(n, path, seed=13 + first, first=first)
    return path


def run(
    sizes: list[int],
    workdir: Path,
    compare_workers: int,
    workers: int,
    store_name: str,
    peer_store: str | None = None,
) -> list[str]:
    lines = [
        f"store: {store_name}"
        + (
            f" ({os.environ.get('KG_SHARD_PAPERS', 'default')} papers per shard)"
            if store_name == "sharded"
            else ""
        ),
        f"{'papers':>9} {'kg/s/core':>9} {'floor/s':>8} {'build s':>8} {'papers/s':>8} "
        f"{'peak MB':>8} {'store MB':>8} {'KB/paper':>8} {'q p50 ms':>8} {'q p95 ms':>8} "
        f"{'all p50':>8} {'all p95':>8} {'+1k s':>10} {'growth':>6}  "
        + ("shards filled: s each; " if store_name == "sharded" else "")
        + (f"peer {peer_store}: build s, peak MB, growth; " if peer_store else "")
        + f"p50 ms per query: first {FIRST_SCREEN} rows / all rows (rows)",
    ]
    print("\n".join(lines), flush=True)
    extra = corpus(workdir, INCREMENT, first=10_000_000, tag="-new")
    again = corpus(workdir, INCREMENT, first=11_000_000, tag="-new2")
    previous: float | None = None
    peer_previous: float | None = None
    for n in sizes:
        src = corpus(workdir, n)
        kg_rate, floor_rate = extraction_rates(src, min(n, RATE_SAMPLE))
        db = workdir / f"db-{n}"
        shutil.rmtree(db, ignore_errors=True)
        b = measured_build(db, [src], workers, store_name)
        fills = shard_fill_seconds(db) if store_name == "sharded" else []
        p50, p95, first = query_latencies(db, FIRST_SCREEN, store_name)
        all_p50, all_p95, full = query_latencies(db, 0, store_name)
        per_query = ", ".join(
            f"{name} {first[name][0]:,.0f}/{full[name][0]:,.0f} ({full[name][1]:,})"
            for name in first
        )
        inc = measured_build(db, [extra], workers, store_name)
        inc2 = measured_build(db, [again], workers, store_name)
        store_mb = _du(db) / 2**20  # after a reopen: RocksDB's log is replayed into tables
        per_paper = b["seconds"] / n
        growth = f"{per_paper / previous:.2f}" if previous else "-"
        previous = per_paper
        extra = ""  # shard fill times and the peer store's build, where there are any
        if len(fills) > 1:
            extra = (
                f"{len(fills)} shards filled in {min(fills):.0f}-{max(fills):.0f} s each "
                f"(first {fills[0]:.0f}, last {fills[-1]:.0f}); "
            )
        if peer_store:
            peer_db = workdir / f"db-{n}-{peer_store}"
            shutil.rmtree(peer_db, ignore_errors=True)
            pb = measured_build(peer_db, [src], workers, peer_store)
            shutil.rmtree(peer_db, ignore_errors=True)
            peer_per_paper = pb["seconds"] / n
            peer_growth = f"{peer_per_paper / peer_previous:.2f}" if peer_previous else "-"
            peer_previous = peer_per_paper
            extra += f"{pb['seconds']:,.1f} s, {pb['peak_mb']:,.0f} MB, {peer_growth}; "
        lines.append(
            f"{n:>9,} {kg_rate:>9,.0f} {floor_rate:>8,.0f} {b['seconds']:>8,.1f} "
            f"{n / b['seconds']:>8,.0f} {b['peak_mb']:>8,.0f} {store_mb:>8,.0f} "
            f"{store_mb * 1024 / (n + 2 * INCREMENT):>8,.1f} {p50:>8,.1f} {p95:>8,.1f} "
            f"{all_p50:>8,.0f} {all_p95:>8,.0f} {inc['seconds']:>5,.1f}/{inc2['seconds']:<4,.1f} {growth:>6}  {extra}{per_query}"
        )
        print(lines[-1], flush=True)
        shutil.rmtree(db, ignore_errors=True)
    if compare_workers:
        src = corpus(workdir, compare_workers)
        times = {}
        for workers in (1, 2):
            db = workdir / f"db-w{workers}"
            shutil.rmtree(db, ignore_errors=True)
            times[workers] = measured_build(db, [src], workers, store_name)
            shutil.rmtree(db, ignore_errors=True)
        w1, w2 = times[1], times[2]
        lines.append(
            f"build {compare_workers:,} papers: --workers 1 {w1['seconds']:.1f} s "
            f"({w1['peak_mb']:.0f} MB), --workers 2 {w2['seconds']:.1f} s "
            f"({w2['peak_mb']:.0f} MB): speed-up {w1['seconds'] / w2['seconds']:.2f}x"
        )
        print(lines[-1], flush=True)
    load = os.getloadavg()[0]
    lines.append(f"{TARGETS}; load average at end {load:.1f} on {os.cpu_count()} CPUs")
    print(lines[-1])
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated sizes")
    parser.add_argument("--full", action="store_true", help="add 1,000,000 papers")
    parser.add_argument(
        "--workers-compare",
        type=int,
        default=10_000,
        metavar="N",
        help="build N papers with 1 and 2 workers (0: skip)",
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--out", type=Path, help="also write the table here")
    parser.add_argument(
        "--profile-store",
        type=int,
        metavar="N",
        help="only profile an upsert of N papers onto a store holding N",
    )
    parser.add_argument("--child-build", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="extraction processes for the builds (default 2: the target's cores)",
    )
    parser.add_argument(
        "--store",
        default="oxigraph",
        choices=("oxigraph", "sharded"),
        help="embedded store to build (sharded: KG_SHARD_PAPERS per shard)",
    )
    parser.add_argument(
        "--peer-store",
        choices=("oxigraph", "sharded"),
        help="also build each size into this store: its build time, peak RSS and growth",
    )
    parser.add_argument("sources", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_build:
        child_build(args.child_build, args.sources, args.workers, args.store)
        return
    sizes = [int(s) for s in args.sizes.split(",")] + ([1_000_000] if args.full else [])
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.profile_store:
        src = corpus(args.workdir, 10_000)
        lines = profile_store(src, args.profile_store, args.workdir)
        print("\n".join(lines))
    else:
        lines = run(
            sizes, args.workdir, args.workers_compare, args.workers, args.store, args.peer_store
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
