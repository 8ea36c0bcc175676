"""Records crafted to stop a whole build (issue 26, item 4): with ``--skip-bad`` each is one
skipped record and the build goes on; without it the build stops with exit 2 before
writing. Also the input changing between the check pass and the write pass."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.jobs.build import build
from kg.jobs.distributed import extraction_to_json
from kg.model import PaperExtraction
from kg.rdf.store import MemoryStore
from tests.reliability.conftest import (
    GOOD_PAPERS,
    assert_one_line_error,
    kg,
    paper_count,
    snapshot,
    write_jsonl,
)

DEEP = "[" * 100_000 + "]" * 100_000
#: reader → (how it starts a record, where it keeps an arXiv id, where a DOI)
SOURCES = {
    "jsonl": ("{", '"arxiv_id": %s', '"doi": %s'),
    "semantic-scholar": (  # each record its own paperId: one paperId is one paper
        '{"paperId": "p-%s", ',
        '"externalIds": {"ArXiv": %s}',
        '"externalIds": {"DOI": %s}',
    ),
    "arxiv-snapshot": ('{"submitter": "s", ', '"id": %s', '"doi": %s'),
}
#: case → (title, the rest of the record); ``{arxiv}``/``{doi}`` name the reader's field
CRAFTED = {
    "nested 100k deep": ('"Deep"', f'"x": {DEEP}'),
    "5,000-digit number": ('"Big"', '"n": 1' + "0" * 5000),
    "lone surrogate in arxiv_id": ('"S"', "{arxiv}"),
    "lone surrogate in doi": ('"S"', "{doi}"),
    "lone surrogate in title": ('"S \\ud800"', '"x": 1'),
}


def _record(fmt: str, title: str, abstract: str, rest: str = "") -> str:
    start, arxiv, doi = SOURCES[fmt]
    start = start.replace("%s", hashlib.sha1(title.encode("utf-8", "surrogatepass")).hexdigest())
    rest = rest.replace("{arxiv}", arxiv % '"\\ud800"').replace("{doi}", doi % '"10.1234/\\udfff"')
    return f'{start}"title": {title}, "abstract": {abstract}' + (f", {rest}}}" if rest else "}")


def _crafted(tmp_path: Path, good: list[dict[str, object]], case: str, fmt: str) -> Path:
    lines = [_record(fmt, json.dumps(r["title"]), json.dumps(r["abstract"])) for r in good]
    title, rest = CRAFTED[case]
    lines.insert(1, _record(fmt, title, '"An abstract long enough to read."', rest))
    src = tmp_path / f"crafted.{fmt}.json"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


@pytest.mark.parametrize("fmt", sorted(SOURCES))
@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_a_crafted_record_is_one_skipped_record(
    case: str, fmt: str, tmp_path: Path, seed_records: list[dict[str, object]]
) -> None:
    src = _crafted(tmp_path, seed_records[:3], case, fmt)
    db = tmp_path / "db"
    result = kg("build", src, "--db", db, "--format", fmt, "--skip-bad", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1 bad record(s) skipped" in result.stderr
    assert f"crafted.{fmt}.json:2" in result.stderr
    assert paper_count(db) == 3


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_without_skip_bad_a_crafted_record_stops_the_build_before_writing(
    case: str, tmp_path: Path, seed_records: list[dict[str, object]], good_db: Path, good_snapshot
) -> None:
    src = _crafted(tmp_path, seed_records[10:13], case, "jsonl")
    line = assert_one_line_error(kg("build", src, "--db", good_db, timeout=120), 2)
    assert "crafted.jsonl.json:2:" in line
    assert snapshot(good_db) == good_snapshot


def test_control_characters_never_reach_the_store(
    tmp_path: Path, seed_records: list[dict[str, object]]
) -> None:
    record = {
        **seed_records[0],
        "title": "Clear \x1b[2J\x1b]0;pwned\x07 Screen",
        "doi": "10.1234/a\x9bb",
    }
    db = tmp_path / "db"
    assert kg("build", write_jsonl(tmp_path / "ctl.jsonl", [record]), "--db", db).returncode == 0
    quads, _ = snapshot(db)
    text = "".join(quads)
    assert "Clear [2J]0;pwned Screen" in text
    assert not any(ch in text for ch in "\x1b\x07\x9b")


# -- kg build --from-extracted ------------------------------------------------------------
def _parts(tmp_path: Path, extractions: list[PaperExtraction], bad_line: str | None) -> Path:
    """Two part files; ``bad_line`` goes in the middle of the second."""
    out = tmp_path / "parts"
    out.mkdir()
    lines = [json.dumps(extraction_to_json(ex), ensure_ascii=False) for ex in extractions]
    half = len(lines) // 2
    second = lines[half:]
    if bad_line is not None:
        second.insert(1, bad_line)
    (out / "part-00000.jsonl").write_text("\n".join(lines[:half]) + "\n", encoding="utf-8")
    (out / "part-00001.jsonl").write_text("\n".join(second) + "\n", encoding="utf-8")
    return out


BAD_PART_LINES = {
    "truncated": '{"paper": {"id": "x", "title"',
    "not an extraction": '{"hello": "world"}',
    "a list": "[1, 2, 3]",
    "lone surrogate": '{"paper": {"id": "x", "title": "\\ud800"}, "mentions": [], "releases_code": false}',
    "deep": DEEP,
}


@pytest.mark.parametrize("bad", sorted(BAD_PART_LINES))
def test_a_malformed_later_part_fails_before_anything_is_written(
    bad: str, tmp_path: Path, seed_extractions: list[PaperExtraction]
) -> None:
    parts = _parts(tmp_path, seed_extractions[:12], BAD_PART_LINES[bad])
    db = tmp_path / "db"
    line = assert_one_line_error(kg("build", "--from-extracted", parts, "--db", db), 2)
    assert "part-00001.jsonl:2:" in line
    assert not db.exists()  # a failed first build leaves nothing behind: nothing was stored

    result = kg("build", "--from-extracted", parts, "--db", db, "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert "1 bad record(s) skipped" in result.stderr
    assert paper_count(db) == 12


# -- the input changing between the passes ------------------------------------------------
@pytest.mark.parametrize("skip_bad", [False, True])
def test_a_bad_line_appended_between_the_passes_is_not_skipped_silently(
    skip_bad: bool, tmp_path: Path, seed_records: list[dict[str, object]]
) -> None:
    src = write_jsonl(tmp_path / "grows.jsonl", seed_records[:GOOD_PAPERS])

    def append_after_the_check(_total: int) -> None:
        with src.open("a", encoding="utf-8") as fh:
            fh.write('{"title": "Half-written rec\n')

    with MemoryStore(None) as store, pytest.raises(InputError, match="changed after the input"):
        build([src], store, skip_bad=skip_bad, on_total=append_after_the_check)


def test_bad_records_met_in_both_passes_are_skipped_as_counted(
    tmp_path: Path, seed_records: list[dict[str, object]]
) -> None:
    src = write_jsonl(tmp_path / "bad.jsonl", [*seed_records[:3], {"title": "no abstract"}])
    with MemoryStore(None) as store:
        report = build([src], store, skip_bad=True)
        assert (report.papers_read, len(report.skipped), store.stats().papers) == (3, 1, 3)
