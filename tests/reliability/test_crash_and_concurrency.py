"""SIGKILL mid-build, then re-run: complete and equal to a clean build. Two builds at once:
one wins, the other exits 3; so does a reader while a build writes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.rdf.store import OxigraphStore
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


def _table_bytes(db: Path) -> int:
    """Bytes of RocksDB tables now; a compaction may delete a table between listing and
    reading its size."""
    total = 0
    for table in (db / "oxigraph").glob("*.sst"):
        with contextlib.suppress(FileNotFoundError):
            total += table.stat().st_size
    return total


def wait_for_tables(db: Path, proc: subprocess.Popen[str], at_least_mb: float) -> None:
    """Until the writing build has put ``at_least_mb`` of RocksDB tables on disk (a reader
    cannot look inside while it writes)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"build ended early: {proc.communicate()}"
        if _table_bytes(db) >= at_least_mb * 2**20:
            return
        time.sleep(0.05)
    pytest.fail(f"no {at_least_mb} MB of tables written within 300 s")


#: What ``integrity`` counts; a complete store has N_PAPERS of each.
INTEGRITY_KEYS = ("papers", "paper_rows", "identifiers", "hashes", "graphs", "counted")


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
            # minus the entities graph and the running counts' graph
            "graphs": sum(1 for _ in store._store.named_graphs()) - 2,
            "counted": store.stats().papers,
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
    assert integrity(db) == dict.fromkeys(INTEGRITY_KEYS, N_PAPERS)
    return snapshot(db)


def test_sigkill_mid_build_then_rerun_is_complete_and_equal_to_a_clean_build(
    tmp_path: Path, big_jsonl: Path, clean_snapshot
) -> None:
    db = tmp_path / "db"
    proc = start_build(big_jsonl, db)
    try:
        wait_for_tables(db, proc, 4)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    # the killed build may have stopped inside an upsert: readers are told to re-run it
    reader = kg("stats", "--db", db)
    if reader.returncode:
        line = assert_one_line_error(reader, 3)
        assert "the last build stopped before it finished" in line

    result = kg("build", big_jsonl, "--db", db, "--batch-size", BATCH, timeout=600)
    assert result.returncode == 0, result.stderr
    # papers stored before the kill are not extracted again; the rest are
    written, unchanged = (int(result.stdout.split(" extracted")[0].rsplit(" ", 1)[-1]),
                          int(result.stdout.split(" unchanged")[0].rsplit(" ", 1)[-1]))
    assert 0 < unchanged < N_PAPERS, "the kill must land mid-build"
    assert written + unchanged == N_PAPERS, result.stdout

    assert integrity(db) == dict.fromkeys(INTEGRITY_KEYS, N_PAPERS)
    quads, stats = snapshot(db)
    clean_quads, clean_stats = clean_snapshot
    assert stats == clean_stats
    assert len(quads) == len(clean_quads) and quads == clean_quads  # records lost: 0


def test_a_second_build_or_a_reader_during_a_build_exit_3_and_change_nothing(
    tmp_path: Path, big_jsonl: Path, clean_snapshot
) -> None:
    db = tmp_path / "db"
    first = start_build(big_jsonl, db)
    try:
        wait_for_tables(db, first, 1)  # the first holds the lock and is writing
        second = kg("build", big_jsonl, "--db", db, "--batch-size", BATCH)
        line = assert_one_line_error(second, 3)
        assert "store is in use by another kg process" in line and str(db) in line
        # RocksDB leaves a read-only open beside a writer undefined: readers are told to wait
        for args in (("stats",), ("query", "evaluated-on", "ImageNet")):
            reader = kg(*args, "--db", db)
            line = assert_one_line_error(reader, 3)
            assert "a kg process is writing this store" in line and str(db) in line
    finally:
        out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert f"{N_PAPERS} papers read" in out
    assert snapshot(db) == clean_snapshot  # neither the loser nor the readers changed a thing


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
