"""The reliability benchmark's replay (benchmarks/reliability.py) on a few of its cases:
no internal error, traceback, hang or data loss."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.reliability.conftest import ROOT

CASES = "reserved,later part,jsonl:,-o /dev/full,SERVICE,cypher,max_nodes,base-iri,evaluate"


def test_the_replay_finds_no_internal_error_traceback_hang_or_data_loss(seeds_dir: Path) -> None:
    seed_file = sorted(seeds_dir.iterdir())[0]
    run = subprocess.run(
        [sys.executable, "benchmarks/reliability.py", "--only", "replay", "--seeds", str(seed_file),
         "--cases", CASES, "--timeout", "120"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    total = next(line for line in run.stdout.splitlines() if line.startswith("total")).split()
    counts = [int(value.replace(",", "")) for value in total[1:]]
    inputs, runs, clean, _skipped, internal, tracebacks, hangs, lost, wrong = counts
    assert inputs == runs > 20 and clean > 10
    assert (internal, tracebacks, hangs, lost, wrong) == (0, 0, 0, 0, 0)
    assert Path("/dev/full").is_char_device()
