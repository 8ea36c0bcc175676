"""The Kaggle arXiv metadata snapshot: dates, old-style ids, withdrawn papers, bad lines."""

import gzip
import json
from pathlib import Path

from kg.ingest import SkipCounter, detect_format, iter_papers
from kg.model import Paper

SNAPSHOT = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "arxiv_snapshot.jsonl"


def read(path: Path) -> tuple[list[Paper], list[str]]:
    skipped = SkipCounter()
    papers = list(iter_papers([path], on_bad=skipped))
    return papers, [e.message for e in skipped.errors]


def test_records_become_papers_dated_by_their_first_version() -> None:
    papers, _ = read(SNAPSHOT)
    assert [p.id for p in papers] == ["arxiv:0704.0001", "arxiv:1706.03762", "arxiv:math/0406001"]
    diphoton = papers[0]
    assert diphoton.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert diphoton.date == "2007-04-02"  # v1 "Mon, 2 Apr 2007", not update_date 2008-11-13
    assert diphoton.doi == "10.1103/physrevd.76.013009"
    assert diphoton.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan")
    assert diphoton.url == "https://arxiv.org/abs/0704.0001"
    assert diphoton.abstract.startswith("A fully differential calculation in perturbative")


def test_old_style_id_latex_title_and_update_date_fallback() -> None:
    old = read(SNAPSHOT)[0][2]
    assert (old.arxiv_id, old.date) == ("math/0406001", "2004-06-01")  # no versions listed
    assert old.title == "On ℓ_p-norms of random O(n) matrices"


def test_withdrawn_broken_and_empty_records_are_reported_by_line() -> None:
    assert read(SNAPSHOT)[1] == [
        f"{SNAPSHOT}:4: record 'A Withdrawn Result' is a withdrawn paper (no abstract to read)",
        f"{SNAPSHOT}:5: malformed JSON (Invalid control character at column 61)",
        f"{SNAPSHOT}:6: record 'Missing abstract' has no abstract",
    ]


def test_authors_string_is_used_when_authors_parsed_is_absent(tmp_path: Path) -> None:
    record = json.loads(SNAPSHOT.read_text().splitlines()[2])
    del record["authors_parsed"]
    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps(record) + "\n")
    [paper] = read(src)[0]
    assert paper.authors == ("A. Mathematician", "B. Geometer")


def test_snapshot_is_told_apart_from_generic_jsonl_and_read_gzipped(tmp_path: Path) -> None:
    src = tmp_path / "arxiv-metadata-oai-snapshot.json.gz"
    src.write_bytes(gzip.compress(SNAPSHOT.read_bytes()))
    assert detect_format(SNAPSHOT).name == detect_format(src).name == "arxiv-snapshot"
    assert [p.id for p in read(src)[0]] == [p.id for p in read(SNAPSHOT)[0]]
