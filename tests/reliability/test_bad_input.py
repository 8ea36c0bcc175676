"""Bad input through the real CLI: one-line error naming the file, exit 2, store unchanged.

Every case runs ``kg build BAD --db DB`` on a store pre-built from a small good file and
compares the store's quads and stats before and after.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    GOOD_PAPERS,
    assert_one_line_error,
    kg,
    paper_count,
    snapshot,
    write_jsonl,
)

GOOD = {"title": "A Perfectly Fine Paper About Transformers", "abstract": "We use ImageNet."}


def _line(record: dict[str, object]) -> bytes:
    return (json.dumps(record) + "\n").encode("utf-8")


def missing(tmp: Path) -> Path:
    return tmp / "no-such-file.jsonl"


def non_paper_dir(tmp: Path) -> Path:
    d = tmp / "not-papers"
    d.mkdir()
    (d / "table.csv").write_text("a,b,c\n1,2,3\n")
    (d / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return d


def only_hidden_dir(tmp: Path) -> Path:
    d = tmp / "hidden-only"
    d.mkdir()
    (d / ".hidden.jsonl").write_bytes(_line(GOOD))
    (d / "README.md").write_text("# nothing here\n")
    return d


def latin1(tmp: Path) -> Path:
    p = tmp / "latin1.jsonl"
    p.write_bytes(json.dumps({"title": "Café nets", "abstract": "Über ImageNet."},
                             ensure_ascii=False).encode("latin-1") + b"\n")
    return p


def mixed_encodings(tmp: Path) -> Path:
    p = tmp / "mixed.jsonl"
    bad = json.dumps({"title": "Café nets", "abstract": "On ImageNet."}, ensure_ascii=False)
    p.write_bytes(_line(GOOD) + bad.encode("cp1252") + b"\n")
    return p


def utf16(tmp: Path) -> Path:
    p = tmp / "utf16.jsonl"
    p.write_bytes(json.dumps(GOOD).encode("utf-16"))
    return p


def nul_bytes(tmp: Path) -> Path:
    p = tmp / "nul.jsonl"
    p.write_bytes(_line(GOOD) + b'{"title": "x\x00y", "abstract": "z"}\n')
    return p


def truncated_gzip_small(tmp: Path) -> Path:
    p = tmp / "small.jsonl.gz"
    data = gzip.compress(_line(GOOD) * 3)
    p.write_bytes(data[: len(data) // 2])
    return p


def truncated_gzip_large(tmp: Path) -> Path:
    """Longer than the format-sniffing head, so the error comes from a later line."""
    p = tmp / "large.jsonl.gz"
    lines = b"".join(
        _line({"title": f"Paper number {i} on topic {i * 7919 % 1013}",
               "abstract": f"We evaluate model {i} on ImageNet with seed {i * 31337}."})
        for i in range(3000)
    )
    data = gzip.compress(lines)
    p.write_bytes(data[: len(data) * 2 // 3])
    return p


def malformed_json(tmp: Path) -> Path:
    p = tmp / "malformed.jsonl"
    p.write_bytes(_line(GOOD) + b'{"title": "broken", \n')
    return p


def not_an_object(tmp: Path) -> Path:
    p = tmp / "array.jsonl"
    p.write_bytes(_line(GOOD) + b"[1, 2, 3]\n")
    return p


def no_abstract(tmp: Path) -> Path:
    return write_jsonl(tmp / "noabstract.jsonl", [GOOD, {"title": "Title only"}])


def lone_surrogate(tmp: Path) -> Path:
    """A JSON escape of half a surrogate pair: valid JSON, not valid Unicode."""
    p = tmp / "surrogate.jsonl"
    p.write_bytes(_line(GOOD) + b'{"title": "Bad \\ud800 title", "abstract": "We use ImageNet."}\n')
    return p


def empty(tmp: Path) -> Path:
    p = tmp / "empty.jsonl"
    p.write_bytes(b"")
    return p


def blank(tmp: Path) -> Path:
    p = tmp / "blank.jsonl"
    p.write_bytes(b"\n  \r\n\t\n")
    return p


def huge_abstract(tmp: Path) -> Path:
    """A single 50 MB abstract, far over the default --max-record-bytes: never decoded."""
    p = tmp / "huge.jsonl"
    abstract = "We evaluate on ImageNet. " * (50_000_000 // 25)
    write_jsonl(p, [{"title": "Huge", "abstract": abstract}])
    assert p.stat().st_size >= 50_000_000
    return p


def long_abstract(tmp: Path) -> Path:
    """A 1 MB abstract: under the record cap, over the default --max-abstract-chars."""
    abstract = "We evaluate on ImageNet. " * (1_000_000 // 25)
    return write_jsonl(tmp / "long.jsonl", [{"title": "Long", "abstract": abstract}])


def zero_papers(tmp: Path) -> Path:
    return write_jsonl(tmp / "allbad.jsonl", [{"title": "No abstract"}, {"abstract": "No title"}])


def huge_title(tmp: Path) -> Path:
    return write_jsonl(tmp / "longtitle.jsonl", [{"title": "T" * 1_000_000, "abstract": "Hi."}])


Maker = Callable[[Path], Path]
# (maker, extra args, expected fragments of the error line; {path} is the bad input)
CASES: dict[str, tuple[Maker, list[str], list[str]]] = {
    "missing file": (missing, [], ["{path}: no such file or directory"]),
    "directory of non-paper files": (non_paper_dir, [], ["picture.png", "not a recognised paper"]),
    "directory of hidden files only": (only_hidden_dir, [], ["{path}", "holds no files"]),
    "latin-1": (latin1, [], ["{path}:1: not UTF-8", "byte 0xe9"]),
    "mixed encodings": (mixed_encodings, [], ["{path}:2: not UTF-8"]),
    "utf-16": (utf16, [], ["{path}"]),
    "NUL bytes": (nul_bytes, [], ["{path}:2: contains NUL bytes"]),
    "truncated gzip (small)": (truncated_gzip_small, [], ["{path}", "truncated or corrupt gzip"]),
    "truncated gzip (large)": (truncated_gzip_large, [], ["{path}:", "truncated or corrupt gzip"]),
    "malformed JSON line": (malformed_json, [], ["{path}:2: malformed JSON"]),
    "JSON line not an object": (not_an_object, [], ["{path}:2: expected a JSON object"]),
    "record without abstract": (no_abstract, [], ["{path}:2:", "no abstract"]),
    "lone surrogate escape": (lone_surrogate, [], ["surrogate.jsonl:2:", "not valid Unicode"]),
    "empty file": (empty, [], ["{path}: file is empty"]),
    "blank lines only": (blank, [], ["{path}: file is empty"]),
    "50 MB abstract": (huge_abstract, [], ["huge.jsonl:1:", "16,777,216", "--max-record-bytes"]),
    "1 MB abstract": (long_abstract, [], ["long.jsonl:1:", "100,000", "--max-abstract-chars"]),
    "1M-character title": (huge_title, [], ["longtitle.jsonl:1:", "1,000,000", "2,000"]),
    "zero papers (all skipped)": (
        zero_papers, ["--skip-bad"], ["no papers found in {path}", "2 bad record(s) skipped"]
    ),
    "unknown --format": (malformed_json, ["--format", "bogus"], ["unknown reader 'bogus'"]),
    "batch size 0": (malformed_json, ["--batch-size", "0"], ["--batch-size must be at least 1"]),
    "negative batch size": (malformed_json, ["--batch-size", "-5"], ["--batch-size", "at least 1"]),
}



@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_exit_2_and_store_unchanged(
    case: str, tmp_path: Path, good_db: Path, good_snapshot
) -> None:
    make, extra, fragments = CASES[case]
    bad = make(tmp_path)
    result = kg("build", bad, "--db", good_db, *extra)
    line = assert_one_line_error(result, 2)
    for fragment in fragments:
        assert fragment.format(path=bad) in line, line
    assert snapshot(good_db) == good_snapshot


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path, good_db: Path, good_snapshot) -> None:
    bad = write_jsonl(tmp_path / "locked.jsonl", [GOOD])
    bad.chmod(0)
    try:
        line = assert_one_line_error(kg("build", bad, "--db", good_db), 2)
    finally:
        bad.chmod(0o644)
    assert f"{bad}: cannot read" in line and "Permission denied" in line
    assert snapshot(good_db) == good_snapshot


def test_bad_file_among_good_ones_writes_nothing(
    tmp_path: Path, good_db: Path, good_snapshot, seed_records
) -> None:
    """The scan pass reads everything first: a bad last file stops the build before writing."""
    src = tmp_path / "src"
    src.mkdir()
    write_jsonl(src / "a.jsonl", seed_records[GOOD_PAPERS : GOOD_PAPERS + 20])
    malformed_json(src).rename(src / "z.jsonl")
    line = assert_one_line_error(kg("build", src, "--db", good_db), 2)
    assert f"{src / 'z.jsonl'}:2: malformed JSON" in line
    assert snapshot(good_db) == good_snapshot


@pytest.mark.parametrize(
    "make",
    [
        lambda data: b"\xef\xbb\xbf" + data,  # BOM
        lambda data: data.replace(b"\n", b"\r\n"),  # CRLF
        lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"),  # both
        lambda data: gzip.compress(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")),  # gzipped
    ],
    ids=["bom", "crlf", "bom+crlf", "gzip bom+crlf"],
)
def test_bom_and_crlf_read_as_the_same_papers(
    make: Callable[[bytes], bytes], tmp_path: Path, good_db: Path, good_jsonl: Path, good_snapshot
) -> None:
    """Same papers with a BOM / CRLF: identical content hashes, so nothing is rewritten."""
    variant = tmp_path / "variant.jsonl"
    variant.write_bytes(make(good_jsonl.read_bytes()))
    result = kg("build", variant, "--db", good_db)
    assert result.returncode == 0, result.stderr
    assert f"{GOOD_PAPERS} papers read, 0 extracted and stored, {GOOD_PAPERS} unchanged" in (
        result.stdout
    )
    assert snapshot(good_db) == good_snapshot


def test_bom_and_crlf_into_a_fresh_store_equal_the_plain_build(
    tmp_path: Path, good_jsonl: Path, good_snapshot
) -> None:
    variant = tmp_path / "variant.jsonl"
    variant.write_bytes(b"\xef\xbb\xbf" + good_jsonl.read_bytes().replace(b"\n", b"\r\n"))
    db = tmp_path / "db"
    assert kg("build", variant, "--db", db).returncode == 0
    quads, stats = snapshot(db)
    good_quads, good_stats = good_snapshot
    assert stats == good_stats
    # only dcterms:source differs (it names the file); no BOM or CR anywhere in the data
    assert not any("\ufeff" in q or "\\r" in q for q in quads)
    strip = [q for q in quads if "/terms/source>" not in q]
    assert strip == [q for q in good_quads if "/terms/source>" not in q]


def test_skip_bad_continues_and_reports_the_count_at_the_end(
    tmp_path: Path, seed_records
) -> None:
    src = tmp_path / "some-bad.jsonl"
    good = seed_records[:6]
    lines = [json.dumps(r) for r in good[:3]] + ['{"title": "broken",', "[1]"]
    lines += [json.dumps(r) for r in good[3:]] + ['{"title": "no abstract"}']
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "db"
    result = kg("build", src, "--db", db, "--skip-bad")
    assert result.returncode == 0, result.stderr
    err = result.stderr.strip().splitlines()
    assert err[-1] == "3 bad record(s) skipped"
    assert [e.split(": ", 1)[0] for e in err[:-1]] == ["skipped"] * 3
    assert f"{src}:4: malformed JSON" in err[0] and f"{src}:5:" in err[1]
    assert f"{src}:9:" in err[2]
    assert "6 papers read, 6 extracted and stored" in result.stdout
    assert paper_count(db) == 6
    # without --skip-bad the same file stops at the first bad line
    line = assert_one_line_error(kg("build", src, "--db", tmp_path / "db2"), 2)
    assert f"{src}:4: malformed JSON" in line


@pytest.mark.parametrize(
    "args,message",
    [
        (["query", "no-such-query"], "unknown query 'no-such-query'"),
        (["query", "evaluated-on"], "needs DATASET"),
        (["query", "evaluated-on", "A", "B"], "takes 1 name argument(s), got 2"),
        (["query", "top-datasets", "--limit", "x"], None),  # click rejects: exit 2, usage
        (["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--param", "novalue"], "takes key=value"),
        (["sparql", "SELECT ?x WHERE { ?x a kg:Paper . FILTER(?x = ?v) }", "--param",
          "v=\udcff"], "not valid UTF-8"),
        (["query", "evaluated-on", "Image\udcffNet"], "not valid UTF-8"),
    ],
)
def test_query_usage_errors_exit_2(args, message, good_db: Path, good_snapshot) -> None:
    result = kg(*args, "--db", good_db)
    if message is None:  # click's own usage error: exit 2, a usage message, no traceback
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "Invalid value" in result.stderr
    else:
        line = assert_one_line_error(result, 2)
        assert message in line
    assert snapshot(good_db) == good_snapshot


def test_sparql_syntax_error_exits_4(good_db: Path) -> None:
    line = assert_one_line_error(kg("sparql", "SELEKT nothing", "--db", good_db), 4)
    assert "SPARQL syntax error" in line


def test_sparql_param_not_projected_is_bound(good_db: Path) -> None:
    """Was an internal error (exit 70), then exit 4: pyoxigraph substitutes only projected
    variables; kg binds the others as data."""
    result = kg("sparql", "SELECT ?p WHERE { ?p ?q ?t }", "--param", "t=x", "--db", good_db,
                "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout) == [], result.stderr


def test_sparql_param_with_an_invalid_name_exits_2(good_db: Path) -> None:
    result = kg("sparql", "SELECT ?p WHERE { ?p ?q ?t }", "--param", "a b=x", "--db", good_db)
    assert "bad query parameter" in assert_one_line_error(result, 2)


def test_missing_store_exits_3(tmp_path: Path) -> None:
    line = assert_one_line_error(kg("stats", "--db", tmp_path / "nowhere"), 3)
    assert "no kg store here" in line


def test_db_that_is_a_file_exits_3(tmp_path: Path, good_jsonl: Path) -> None:
    db = tmp_path / "file"
    db.write_text("not a store")
    line = assert_one_line_error(kg("build", good_jsonl, "--db", db), 3)
    assert str(db) in line
    assert db.read_text() == "not a store"


def test_title_limit_option_named_in_the_error_exists(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "t.jsonl", [{"title": "T" * 3000, "abstract": "We use X."}])
    result = kg("build", src, "--db", tmp_path / "db", "--max-title-chars", "5000")
    assert result.returncode == 0, result.stderr
