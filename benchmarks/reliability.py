"""Reliability benchmark (issue 26): hostile inputs and a seeded fuzz through the real CLI.

Replay: every hostile case of issue 26 (``reliability_cases``) as a ``python -m kg`` run
against a seed store built once; a run that must not write is followed by a fingerprint of
the store (sorted N-Quads, stats and ``kg.json``, hashed). Fuzz: ``--records`` mutated seed
records per reader (``reliability_fuzz``, fixed ``--seed``), in files of ``--per-file``, each
file through ``kg build --skip-bad`` (papers stored must equal papers read), ``kg extract
--skip-bad`` (lines written must equal papers read) and ``kg build`` without ``--skip-bad``
on a copy of the seed store (a refused file must leave it as it was).

A run is a clean error when it exits 1-4 with exactly one ``kg: error:`` line on stderr (or
2 with click's usage message, for an option of the wrong type); an internal error when it exits 70 (or otherwise); a hang when it outlives ``--timeout``.

usage: python benchmarks/reliability.py [--records 1000] [--seed 26] [--only replay|fuzz]
       [--cases WORD,WORD] [--jobs 2] [--out benchmarks/results/reliability.txt]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from reliability_cases import Case, replay_cases
from reliability_fuzz import CAP_BYTES, READERS, write_fuzz_files

from kg.ingest import iter_papers
from kg.model import Paper
from kg.rdf.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
CLEAN_EXITS = {1, 2, 3, 4}
COLUMNS = ("inputs", "runs", "clean errors", "skipped", "internal", "tracebacks", "hangs",
           "data lost", "wrong exit")


@dataclass
class Tally:
    """What one group of runs gave; ``problems`` says which run, for every bad count."""

    inputs: int = 0
    runs: int = 0
    clean: int = 0
    skipped: int = 0
    internal: int = 0
    tracebacks: int = 0
    hangs: int = 0
    lost: int = 0
    wrong: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def row(self) -> tuple[int, ...]:
        return (self.inputs, self.runs, self.clean, self.skipped, self.internal,
                self.tracebacks, self.hangs, self.lost, self.wrong)

    def note(self, what: str, problem: str) -> None:
        with self.lock:
            setattr(self, what, getattr(self, what) + 1)
            self.problems.append(problem)


@dataclass
class Result:
    rc: int | None  # None: killed after the timeout
    stdout: str
    stderr: str


def kg(args: list[str], timeout: float) -> Result:
    """``python -m kg ARGS`` in its own process group, killed whole after ``timeout``."""
    env = {k: v for k, v in os.environ.items() if k not in ("KG_DB", "KG_DEBUG")}
    with subprocess.Popen([sys.executable, "-m", "kg", *args], cwd=ROOT, env={**env, "COLUMNS": "200"},
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace", start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
            return Result(proc.returncode, out, err)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            return Result(None, out, err)


def fingerprint(db: Path) -> str:
    """Hash of every quad (sorted), the stats and ``kg.json``: equal iff content is."""
    digest = hashlib.sha256()
    with OxigraphStore(db, read_only=True) as store:
        for line in sorted(str(q) for q in store.quads()):
            digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
        digest.update(repr(store.stats()).encode())
    digest.update((db / "kg.json").read_bytes())
    return digest.hexdigest()


def judge(tally: Tally, name: str, result: Result, expect: frozenset[int]) -> bool:
    """Count one run; True when it ended as expected (clean, no traceback, no hang)."""
    with tally.lock:
        tally.runs += 1
    rc, where = result.rc, f"{name}: exit {result.rc}"
    if rc is None:
        tally.note("hangs", f"{name}: no exit (killed after the timeout)")
        return False
    ok = True
    if "Traceback" in result.stderr + result.stdout:
        tally.note("tracebacks", f"{where}: traceback: {_last(result.stderr)}")
        ok = False
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: error:")]
    usage = rc == 2 and any(line.startswith("Error: ") for line in result.stderr.splitlines())
    if rc in CLEAN_EXITS and (rc == 1 or len(errors) == 1 or usage):
        with tally.lock:
            tally.clean += 1
    elif rc != 0:
        tally.note("internal", f"{where}: {_last(result.stderr)}")
        return False
    if rc not in expect:
        tally.note("wrong", f"{where} (expected {'/'.join(map(str, sorted(expect)))}): {_last(result.stderr)}")
        ok = False
    return ok


def _last(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1][:200] if lines else "(no stderr)"


def replay(cases: list[Case], db: Path, pristine: Path, seeds: Path, timeout: float) -> Tally:
    """Run each case; a guarded one must leave the seed store's fingerprint as it was
    (the store is restored from ``pristine`` after a run that changed it)."""
    tally, before = Tally(), fingerprint(db)
    for case in cases:
        tally.inputs += 1
        args = [a.replace("{db}", str(db)).replace("{seeds}", str(seeds)) for a in case.args]
        judge(tally, case.name, kg(args, timeout), case.expect)
        if case.check and (problem := case.check()):
            tally.note("wrong", f"{case.name}: {problem}")
        if case.guard and fingerprint(db) != before:
            tally.note("lost", f"{case.name}: the seed store changed")
            shutil.rmtree(db)
            shutil.copytree(pristine, db)
    return tally


def _count(pattern: str, text: str) -> int | None:
    found = re.search(pattern, text)
    return int(found.group(1).replace(",", "")) if found else None


def fuzz_file(fmt: str, src: Path, records: int, pristine: Path, clean_print: str,
              work: Path, tally: Tally, timeout: float) -> None:
    """One fuzz file through build --skip-bad, extract --skip-bad and a guarded build."""
    opts = ["--format", fmt, "--max-record-bytes", str(CAP_BYTES)]
    name = f"{fmt} {src.name}"
    with tally.lock:
        tally.inputs += records
    db, out = work / f"{src.stem}-db", work / f"{src.stem}-out.jsonl"
    built = kg(["build", str(src), "--db", str(db), "--skip-bad", *opts], timeout)
    read = _count(r"([\d,]+) papers read", built.stderr) if built.rc == 0 else None
    with tally.lock:
        tally.skipped += _count(r"([\d,]+) bad record\(s\) skipped", built.stderr) or 0
    if judge(tally, f"{name} build --skip-bad", built, frozenset({0, 2})) and read is not None:
        with OxigraphStore(db, read_only=True) as store:
            if (stored := store.stats().papers) != read:
                tally.note("lost", f"{name}: {read} papers read, {stored} stored")
    extracted = kg(["extract", str(src), "-o", str(out), "--skip-bad", *opts], timeout)
    if judge(tally, f"{name} extract --skip-bad", extracted, frozenset({0, 2})) and read is not None:
        lines = sum(1 for line in out.read_text(encoding="utf-8").splitlines() if line.strip())
        if extracted.rc == 0 and lines != read:
            tally.note("lost", f"{name}: build read {read} papers, extract wrote {lines}")
    guard = work / f"{src.stem}-guard"
    shutil.copytree(pristine, guard)
    strict = kg(["build", str(src), "--db", str(guard), *opts], timeout)
    refused = judge(tally, f"{name} build", strict, frozenset({0, 2})) and strict.rc != 0
    if refused and fingerprint(guard) != clean_print:
        tally.note("lost", f"{name}: a refused build changed the store")
    for path in (db, guard):
        shutil.rmtree(path, ignore_errors=True)


def fuzz(fmt: str, args: argparse.Namespace, papers: list[Paper], pristine: Path,
         clean_print: str, work: Path) -> Tally:
    tally = Tally()
    folder = work / f"fuzz-{fmt}"
    folder.mkdir()
    per_file = args.per_file // 2 if fmt == "arxiv-atom" else args.per_file
    files = write_fuzz_files(fmt, papers, args.records, per_file, args.seed, folder)
    with ThreadPoolExecutor(args.jobs) as pool:
        for done in [pool.submit(fuzz_file, fmt, src, n, pristine, clean_print, folder, tally, args.timeout)
                     for src, n in files]:
            done.result()
    return tally


def table(tallies: dict[str, Tally]) -> str:
    total = Tally()
    for tally in tallies.values():
        for name in ("inputs", "runs", "clean", "skipped", "internal", "tracebacks", "hangs", "lost", "wrong"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    rows = [(name, *t.row()) for name, t in [*tallies.items(), ("total", total)]]
    head = f"{'group':<22}" + "".join(f"{c:>13}" for c in COLUMNS)
    return "\n".join([head, *(f"{r[0]:<22}" + "".join(f"{v:>13,}" for v in r[1:]) for r in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--records", type=int, default=1000, help="fuzzed records per reader")
    parser.add_argument("--per-file", type=int, default=200, help="fuzzed records per file")
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--only", choices=("replay", "fuzz"))
    parser.add_argument("--cases", help="replay only cases whose name contains one of these "
                        "comma-separated words")
    parser.add_argument("--jobs", type=int, default=2, help="fuzz files run at once")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per kg run")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    papers = list(iter_papers([args.seeds]))
    tallies: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory(prefix="kg-reliability-") as tmp:
        work = Path(tmp)
        pristine, db = work / "seed-pristine", work / "seed"
        built = kg(["build", str(args.seeds), "--db", str(pristine)], args.timeout)
        if built.rc != 0:
            print(f"seed build failed: {built.stderr}", file=sys.stderr)
            return 2
        shutil.copytree(pristine, db)
        clean_print = fingerprint(pristine)
        if args.only != "fuzz":
            nquads = work / "seed.nq"
            kg(["export", "--db", str(db), "--format", "nquads", "-o", str(nquads)], args.timeout)
            with OxigraphStore(db, read_only=True) as store:
                extractions = list(store.extractions())[:6]
            cases = replay_cases(work, papers, extractions, _one_paper(nquads))
            words = args.cases.split(",") if args.cases else [""]
            chosen = [c for c in cases if any(word in c.name for word in words)]
            tallies["replay"] = replay(chosen, db, pristine, args.seeds, args.timeout)
        if args.only != "replay":
            for fmt in READERS:
                tallies[f"fuzz {fmt}"] = fuzz(fmt, args, papers, pristine, clean_print, work)
    report = [
        f"kg reliability benchmark: seed {args.seed}, {args.records:,} fuzzed records per reader "
        f"in files of {args.per_file}, {os.cpu_count()} CPUs, {args.jobs} at once, "
        f"{time.perf_counter() - start:.0f} s, load average {os.getloadavg()[0]:.1f} at end",
        table(tallies),
    ]
    problems = [p for t in tallies.values() for p in t.problems]
    if problems:
        report += [f"problems ({len(problems)}):", *(f"  {p}" for p in problems[:60])]
    text = "\n".join(report) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 1 if problems else 0


def _one_paper(nquads: Path) -> str:
    """One paper's named graph and the entities graph: a small file for the import cases."""
    lines = [(line.rsplit(" ", 2)[-2], line) for line in nquads.read_text(encoding="utf-8").splitlines()]
    paper = next(graph for graph, _ in lines if "/graph/title" in graph)
    return "".join(line + "\n" for graph, line in lines if graph == paper or graph.endswith("/graph/entities>"))


if __name__ == "__main__":
    sys.exit(main())
