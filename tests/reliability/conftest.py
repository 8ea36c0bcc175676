"""Helpers for the reliability tests: the real CLI in a subprocess, and store snapshots."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.model import Paper
from kg.rdf.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
GOOD_PAPERS = 5


def kg(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m kg ARGS`` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "kg", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", "KG_DEBUG": ""},
        timeout=timeout,
    )


def snapshot(db: Path) -> tuple[list[str], object]:
    """Every quad (sorted N-Quads lines) and the stats, read through a read-only open."""
    with OxigraphStore(db, read_only=True) as store:
        return sorted(str(q) for q in store.quads()), store.stats()


def paper_count(db: Path) -> int:
    with OxigraphStore(db, read_only=True) as store:
        return store.stats().papers


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    """Exit ``code``, one ``kg: error:`` line on stderr, no traceback; returns that line."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: [KG"), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


@pytest.fixture(scope="session")
def seed_records(seed_papers: list[Paper]) -> list[dict[str, object]]:
    """Seed papers as generic JSONL records (title + abstract)."""
    return [{"title": p.title, "abstract": p.abstract} for p in seed_papers]


@pytest.fixture(scope="session")
def good_jsonl(tmp_path_factory: pytest.TempPathFactory, seed_records) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("good") / "good.jsonl", seed_records[:GOOD_PAPERS])


@pytest.fixture(scope="session")
def good_db(tmp_path_factory: pytest.TempPathFactory, good_jsonl: Path) -> Path:
    """A store pre-built from the small good file through the CLI."""
    db = tmp_path_factory.mktemp("gooddb") / "db"
    result = kg("build", good_jsonl, "--db", db)
    assert result.returncode == 0, result.stderr
    assert paper_count(db) == GOOD_PAPERS
    return db


@pytest.fixture(scope="session")
def good_snapshot(good_db: Path):
    return snapshot(good_db)

