"""Run every benchmark in benchmarks/ at a small size and print their tables (``make bench``).

Each script runs in its own process, so one failing or hanging benchmark is reported and
the others still run. Sizes here are for a quick check that the benchmarks work and give
figures of the right order; run a script alone with its own options for the real figures
(benchmarks/README.md).

    python benchmarks/run_all.py [--only build_scale,extraction_speed] [--timeout 900]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Small-size arguments per script; a script not listed runs with its defaults.
SMALL: dict[str, list[str]] = {
    "build_scale": ["--sizes", "1000", "--workers-compare", "0"],
    "extraction_speed": ["--repeat", "1"],
    "neo4j_load": ["--papers", "2000"],
    "fuseki": ["--papers", "2000", "--repeats", "5"],
    "turtle_export": ["--papers", "2000"],
    "view_stabilise": ["--nodes", "500", "--timeout", "120"],
    "reliability": ["--records", "100", "--per-file", "100"],
    "huge_record": ["--mb", "20"],
}
NOT_BENCHMARKS = {"run_all", "generate_corpus", "reliability_cases", "reliability_fuzz"}


def scripts(only: set[str] | None = None) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.stem not in NOT_BENCHMARKS)
    return [p for p in found if only is None or p.stem in only]


def run_one(script: Path, timeout: float, workdir: Path) -> tuple[bool, float]:
    args = SMALL.get(script.stem, [])
    if script.stem == "build_scale":
        args = [*args, "--workdir", str(workdir / "build_scale")]
    print(f"\n== {script.name} {' '.join(args)}", flush=True)
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, str(script), *args], timeout=timeout, check=False)
        ok = done.returncode == 0
    except subprocess.TimeoutExpired:
        print(f"!! {script.name}: no result within {timeout:.0f} s")
        ok = False
    return ok, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated script names (without .py)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per script")
    args = parser.parse_args(argv)
    chosen = scripts(set(args.only.split(",")) if args.only else None)
    if not chosen:
        print("no benchmark scripts matched", file=sys.stderr)
        return 2
    results = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        for script in chosen:
            results[script.stem] = run_one(script, args.timeout, Path(tmp))
    print("\n== summary")
    for name, (ok, seconds) in results.items():
        print(f"{name:<20} {'ok' if ok else 'FAILED':<7} {seconds:7.1f} s")
    return 0 if all(ok for ok, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
