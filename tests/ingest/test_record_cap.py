"""The record size cap: a record over it is reported and passed over unread, in every reader,
and the records around it are read as if it were not there (issue 26, item 3)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg.errors import InputError
from kg.ingest import SkipCounter, iter_papers, jsonstream
from kg.ingest.textio import DEFAULT_MAX_RECORD_BYTES
from kg.model import Paper

CAP = 64 << 10
#: Brackets, quotes and escapes inside strings: a scan that miscounts them loses its place.
TRICKY = {"s": 'a "quoted" ] } [ { \\ string', "nested": [[{"k": ["]", "}"]}]], "n": -1.5e3}


def _words(text: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, word in enumerate(text.split()):
        index.setdefault(word, []).append(i)
    return index


#: reader → (one paper as that source writes it, whether the file is one JSON array)
SHAPES: dict[str, tuple[Callable[[Paper, int], dict[str, Any]], bool]] = {
    "pwc": (
        lambda p, i: {
            "paper_url": f"https://pwc/{i}",
            "url_abs": "",
            "title": p.title,
            "abstract": p.abstract,
            "arxiv_id": None,
        },
        True,
    ),
    "semantic-scholar": (
        lambda p, i: {
            "paperId": f"p{i}",
            "title": p.title,
            "abstract": p.abstract,
            "externalIds": {},
        },
        False,
    ),
    "arxiv-snapshot": (
        lambda p, i: {
            "id": f"2401.{i:05d}",
            "submitter": "s",
            "title": p.title,
            "abstract": p.abstract,
            "authors_parsed": [["Doe", "J", ""]],
        },
        False,
    ),
    "openalex": (
        lambda p, i: {
            "id": f"https://openalex.org/W{i}",
            "title": p.title,
            "abstract_inverted_index": _words(p.abstract),
        },
        False,
    ),
    "jsonl": (lambda p, i: {"title": p.title, "abstract": p.abstract}, False),
}


def _write(path: Path, records: list[dict[str, Any]], array: bool) -> Path:
    if array:
        path.write_text("[" + ", ".join(json.dumps(r) for r in records) + "]", encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _huge(record: dict[str, Any], size: int) -> dict[str, Any]:
    return {**record, "padding": [TRICKY] * (size // len(json.dumps(TRICKY)))}


@pytest.mark.parametrize("reader", sorted(SHAPES))
@pytest.mark.parametrize("chunk", [4096, 1 << 20])
def test_a_record_over_the_cap_is_reported_and_the_others_are_read(
    reader: str,
    chunk: int,
    seed_papers: list[Paper],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jsonstream, "CHUNK_BYTES", chunk)
    shape, array = SHAPES[reader]
    papers = seed_papers[:3]
    records = [shape(p, i) for i, p in enumerate(papers, start=1)]
    records[1] = _huge(records[1], 4 * CAP)
    src = _write(tmp_path / f"in.{reader}", records, array)
    skipped = SkipCounter()
    got = list(iter_papers([src], reader, skipped, max_record_bytes=CAP))
    assert [p.title for p in got] == [papers[0].title, papers[2].title]
    [error] = skipped.errors
    where = "1:.[1]" if array else "2"
    assert error.message == (
        f"{src}:{where}: record is over {CAP:,} bytes (--max-record-bytes); passed over unread"
    )
    # the cap is the only thing wrong with it: a larger cap reads all three
    assert len(list(iter_papers([src], reader, max_record_bytes=8 * CAP))) == 3


def test_without_skip_bad_the_oversized_record_stops_the_read(
    seed_papers: list[Paper], tmp_path: Path
) -> None:
    src = _write(tmp_path / "in.jsonl", [_huge({"title": "T", "abstract": "A"}, 2 * CAP)], False)
    with pytest.raises(InputError, match=r"in\.jsonl:1: record is over 65,536 bytes"):
        list(iter_papers([src], "jsonl", max_record_bytes=CAP))


def test_a_long_daily_papers_line_is_a_bad_record(seed_papers: list[Paper], tmp_path: Path) -> None:
    a, b = seed_papers[:2]
    src = tmp_path / "daily.txt"
    src.write_text(
        f"Get trending papers\n{a.title}\n{'x' * (2 * CAP)}\n{b.title}\n{b.abstract}\n",
        encoding="utf-8",
    )
    skipped = SkipCounter()
    got = list(iter_papers([src], "daily-papers", skipped, max_record_bytes=CAP))
    assert [p.title for p in got] == [b.title]
    assert any("daily.txt:3: record is over" in e.message for e in skipped.errors)


def test_a_long_atom_line_ends_the_feed_as_a_bad_record(tmp_path: Path) -> None:
    """Found by benchmarks/reliability.py: it stopped a --skip-bad build (exit 2)."""
    entry = "<entry><id>http://arxiv.org/abs/2301.0000{n}v1</id><title>T{n}</title><summary>{s}</summary></entry>"
    src = tmp_path / "feed.xml"
    src.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom">arxiv\n'
        + entry.format(n=1, s="An abstract.") + "\n" + entry.format(n=2, s="x" * 2 * CAP)
        + "\n" + entry.format(n=3, s="Another.") + "\n</feed>\n",
        encoding="utf-8",
    )  # fmt: skip
    skipped = SkipCounter()
    got = list(iter_papers([src], "arxiv-atom", skipped, max_record_bytes=CAP))
    assert [p.title for p in got] == ["T1"]
    assert [e.message for e in skipped.errors] == [
        f"{src}:3: record is over {CAP:,} bytes (--max-record-bytes); passed over unread; "
        "rest of the file skipped"
    ]
    with pytest.raises(InputError, match="feed.xml:3: record is over"):
        list(iter_papers([src], "arxiv-atom", max_record_bytes=CAP))


def test_a_huge_record_under_the_default_cap_costs_seconds_not_minutes(
    seed_papers: list[Paper], tmp_path: Path
) -> None:
    """Issue 26 measured 68-82 s and 3.5 GB for a 200 MB record; over the default cap it is
    passed over in one bounded scan."""
    paper = seed_papers[0]
    record = {"paper_url": "u", "url_abs": "u", "title": "Huge", "abstract": "y" * 40_000_000}
    src = tmp_path / "pwc.json"
    with src.open("w", encoding="utf-8") as fh:
        fh.write(f"[{json.dumps(record)}, ")
        fh.write(json.dumps({**record, "title": paper.title, "abstract": paper.abstract}) + "]")
    assert len(json.dumps(record)) > DEFAULT_MAX_RECORD_BYTES
    skipped = SkipCounter()
    started = time.perf_counter()
    got = list(iter_papers([src], "pwc", skipped))
    assert time.perf_counter() - started < 5
    assert [p.title for p in got] == [paper.title]
    assert len(skipped.errors) == 1


@pytest.mark.parametrize("value", ["12345678901234567890", '"a \\" ] string"', "[1, [2, [3]]]"])
def test_an_oversized_value_of_any_kind_is_skipped_to_its_end(value: str, tmp_path: Path) -> None:
    src = tmp_path / "v.json"
    src.write_text(f'[{value}, {{"a":1}}]', encoding="utf-8")
    skipped = SkipCounter()
    token = jsonstream.RECORD_CAP.set(8)
    try:
        got = list(jsonstream.iter_records(src, skipped))
    finally:
        jsonstream.RECORD_CAP.reset(token)
    assert [e.message.split(": ", 1)[1][:14] for e in skipped.errors] == ["record is over"]
    assert got == [("1:.[1]", {"a": 1})]
