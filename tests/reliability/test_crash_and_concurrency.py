"""SIGKILL mid-build, then re-run: complete and equal to a clean build. Two builds at once:
one wins, the other exits 3. Reads during a build see a consistent snapshot."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store.oxigraph import OxigraphStore
from tests.reliability.conftest import ROOT, assert_one_line_error, kg, snapshot, write_jsonl

pytestmark = pytest.mark.slow

N_PAPERS = 3000
BATCH = "100"


def start_build(src: Path, db: Path) -> subprocess.Popen[str]:
    """``kg build`` in its own process group, so a kill takes any workers with it."""
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(src), "--db", str(db), "--batch-size", BATCH],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def stored_papers(db: Path) -> int:
    """Papers visible to a read-only open (works while a writer holds the lock)."""
    if not (db / "oxigraph" / "CURRENT").exists():
        return 0
    with OxigraphStore(db, read_only=True) as store:
        rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }").rows
    return int(rows[0][0])


def wait_for_papers(db: Path, proc: subprocess.Popen[str], at_least: int) -> int:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"build ended early: {proc.communicate()}"
        try:
            n = stored_papers(db)
        except Exception:  # the writer may be mid-creation of the store: try again
            n = 0
        if n >= at_least:
            return n
        time.sleep(0.1)
    pytest.fail(f"no {at_least} papers stored within 300 s")


def integrity(db: Path) -> dict[str, int]:
    with OxigraphStore(db, read_only=True) as store:
        def q(where: str, count: str = "*") -> int:
            text = f"SELECT (COUNT({count}) AS ?n) WHERE {{ {where} }}"
            return int(store.query(text).rows[0][0])

        return {
            "papers": q("?p a kg:Paper", "DISTINCT ?p"),
            "paper_rows": q("?p a kg:Paper"),
            "identifiers": q("?p a kg:Paper ; dcterms:identifier ?i"),
            "hashes": q("?p kg:contentHash ?h"),
            "graphs": sum(1 for _ in store._store.named_graphs()) - 1,  # minus entities graph
        }


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory: pytest.TempPathFactory, seed_records) -> Path:
    records = [
        {**seed_records[i % len(seed_records)],
         "title": f"{seed_records[i % len(seed_records)]['title']} (replica {i})"}
        for i in range(N_PAPERS)
    ]
    return write_jsonl(tmp_path_factory.mktemp("big") / "big.jsonl", records)


@pytest.fixture(scope="module")
def clean_snapshot(tmp_path_factory: pytest.TempPathFactory, big_jsonl: Path):
    db = tmp_path_factory.mktemp("clean") / "db"
    result = kg("build", big_jsonl, "--db", db, "--batch-size", BATCH, timeout=600)
    assert result.returncode == 0, result.stderr
    assert f"{N_PAPERS} papers read, {N_PAPERS} extracted and stored" in result.stdout
    assert integrity(db) == dict.fromkeys(
        ("papers", "paper_rows", "identifiers", "hashes", "graphs"), N_PAPERS
    )
    return snapshot(db)


def test_sigkill_mid_build_then_rerun_is_complete_and_equal_to_a_clean_build(
    tmp_path: Path, big_jsonl: Path, clean_snapshot
) -> None:
    db = tmp_path / "db"
    proc = start_build(big_jsonl, db)
    try:
        wait_for_papers(db, proc, 300)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    at_kill = stored_papers(db)
    assert 300 <= at_kill < N_PAPERS, "the kill must land mid-build"

    result = kg("build", big_jsonl, "--db", db, "--batch-size", BATCH, timeout=600)
    assert result.returncode == 0, result.stderr
    # papers stored before the kill are not extracted again; the rest are
    written, unchanged = (int(result.stdout.split(" extracted")[0].rsplit(" ", 1)[-1]),
                          int(result.stdout.split(" unchanged")[0].rsplit(" ", 1)[-1]))
    assert unchanged == at_kill and written + unchanged == N_PAPERS, result.stdout

    assert integrity(db) == dict.fromkeys(
        ("papers", "paper_rows", "identifiers", "hashes", "graphs"), N_PAPERS
    )
    quads, stats = snapshot(db)
    clean_quads, clean_stats = clean_snapshot
    assert stats == clean_stats
    assert len(quads) == len(clean_quads) and quads == clean_quads  # records lost: 0


def test_two_builds_at_once_one_wins_and_a_reader_sees_a_snapshot(
    tmp_path: Path, big_jsonl: Path, clean_snapshot
) -> None:
    db = tmp_path / "db"
    first = start_build(big_jsonl, db)
    try:
        wait_for_papers(db, first, 100)  # the first holds the lock and is writing
        second = kg("build", big_jsonl, "--db", db, "--batch-size", BATCH)
        line = assert_one_line_error(second, 3)
        assert "store is in use by another kg process" in line and str(db) in line

        # a reader during the build: read-only opens work and see a consistent snapshot
        stats = kg("stats", "--db", db)
        assert stats.returncode == 0, stats.stderr
        seen = int(stats.stdout.split("papers: ")[1].split()[0])
        assert 100 <= seen <= N_PAPERS
        query = kg("query", "evaluated-on", "ImageNet", "--db", db, "--format", "json")
        assert query.returncode == 0, query.stderr
    finally:
        out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert f"{N_PAPERS} papers read" in out
    assert snapshot(db) == clean_snapshot  # the loser changed nothing


def test_simultaneous_start_exactly_one_wins(tmp_path: Path, big_jsonl: Path) -> None:
    db = tmp_path / "db"
    procs = [start_build(big_jsonl, db) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 3], results
    loser_err = next(err for p, (_, err) in zip(procs, results, strict=True) if p.returncode == 3)
    assert "in use by another kg process" in loser_err
    assert len(loser_err.strip().splitlines()) == 1
    assert integrity(db)["papers"] == N_PAPERS
