"""Dask extraction: partition planning, full-record round trip, equality with one process."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.jobs import distributed
from kg.jobs.build import extract_records
from kg.jobs.distributed import (
    Partition,
    extract_dask,
    extract_partition,
    extraction_from_json,
    extraction_to_json,
    load_partitions,
    plan_partitions,
)
from kg.model import PaperExtraction

SEEDS = Path(__file__).parents[2] / ".." / "shared" / "seeds"


def snapshot(path: Path, n: int, bad_line: int | None = None) -> Path:
    """A small arXiv snapshot; line ``bad_line`` (1-based) is broken JSON."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(1, n + 1):
            if i == bad_line:
                fh.write('{"id": "broken\n')
                continue
            record = {
                "id": f"2401.{i:05d}",
                "submitter": "A. Author",
                "title": f"Paper number {i} on graph neural networks",
                "abstract": f"We propose GraphNet-{i} and evaluate it on ImageNet and CIFAR-10.",
                "authors_parsed": [["Author", "A.", ""]],
            }
            fh.write(json.dumps(record) + "\n")
    return path


def test_records_round_trip_exactly(seed_extractions: list[PaperExtraction]) -> None:
    assert any(ex.mentions for ex in seed_extractions)
    back = [extraction_from_json(json.loads(json.dumps(extraction_to_json(ex))))
            for ex in seed_extractions]
    assert back == seed_extractions


def test_a_big_json_lines_file_splits_at_line_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(distributed, "MIN_SPLIT_BYTES", 1)
    path = snapshot(tmp_path / "snap.jsonl", 100)
    plan = plan_partitions([path], 7)
    assert 5 <= len(plan) <= 8
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    assert plan[0].start == 0 and plan[-1].end is None
    for before, after in pairwise(plan):
        assert before.end == after.start
        assert data[after.start - 1 : after.start] == b"\n"
        assert len(b"".join(lines[: after.first_line - 1])) == after.start


def test_a_range_reads_like_the_whole_file_with_real_lines(tmp_path: Path) -> None:
    path = snapshot(tmp_path / "snap.jsonl", 30)
    whole = [extraction_to_json(ex) for ex in extract_records([path])]
    cut = len(b"".join(path.read_bytes().splitlines(keepends=True)[:12]))
    parts = [Partition(str(path), "arxiv-snapshot", 0, cut, 1),
             Partition(str(path), "arxiv-snapshot", cut, None, 13)]
    out = tmp_path / "out"
    out.mkdir()
    counts = [extract_partition(p, str(out / f"part-{i:05d}.jsonl")) for i, p in enumerate(parts)]
    assert counts == [12, 18]
    got = [extraction_to_json(ex) for ex in load_partitions(out)]
    assert got == whole
    assert got[12]["paper"]["source"] == "snap.jsonl:13"


def test_a_bad_record_in_a_range_is_reported_at_its_real_line(tmp_path: Path) -> None:
    path = snapshot(tmp_path / "snap.jsonl", 30, bad_line=20)
    cut = len(b"".join(path.read_bytes().splitlines(keepends=True)[:12]))
    with pytest.raises(InputError) as caught:
        extract_partition(Partition(str(path), "arxiv-snapshot", cut, None, 13),
                          str(tmp_path / "part-00000.jsonl"))
    assert caught.value.message.startswith(f"{path}:20:")
    n = extract_partition(Partition(str(path), "arxiv-snapshot", cut, None, 13),
                          str(tmp_path / "part-00000.jsonl"), skip_bad=True)
    assert n == 17


def test_a_paper_in_two_partitions_is_loaded_once(tmp_path: Path) -> None:
    path = snapshot(tmp_path / "snap.jsonl", 10)
    for i in range(2):
        extract_partition(Partition(str(path), "arxiv-snapshot"), str(tmp_path / f"part-{i}.jsonl"))
    assert len(list(load_partitions(tmp_path))) == 10


@pytest.mark.slow
def test_dask_local_cluster_matches_one_process(tmp_path: Path) -> None:
    files = extract_dask([SEEDS], tmp_path / "parts", workers=2)
    assert len(files) == len(list(SEEDS.iterdir())) and all(f.exists() for f in files)
    got = sorted(json.dumps(extraction_to_json(ex), sort_keys=True)
                 for ex in load_partitions(tmp_path / "parts"))
    want = sorted(json.dumps(extraction_to_json(ex), sort_keys=True)
                  for ex in extract_records([SEEDS]))
    assert len(want) > 100
    assert got == want
