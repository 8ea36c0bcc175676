"""Semantic Scholar Graph API papers: search pages, batch arrays, JSON Lines, citations."""

import gzip
import json
from pathlib import Path

from kg.ingest import SkipCounter, detect_format, iter_papers
from kg.model import Paper

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
PAGE = FIXTURES / "semantic_scholar.json"
BATCH = FIXTURES / "semantic_scholar_batch.json"


def read(path: Path) -> tuple[list[Paper], list[str]]:
    skipped = SkipCounter()
    papers = list(iter_papers([path], on_bad=skipped))
    return papers, [e.message for e in skipped.errors]


def test_search_page_papers_use_external_ids() -> None:
    papers, errors = read(PAGE)
    assert [p.id for p in papers] == ["arxiv:1706.03762", "doi:10.1000/s2.only"]
    attention, journal = papers
    assert attention.authors == ("Ashish Vaswani", "Noam M. Shazeer")
    assert attention.url == "https://www.semanticscholar.org/paper/204e3073870fae3d05bcbc2f6a8e263d9b72e776"
    assert attention.source == "semantic_scholar.json:1:.data[0]"
    assert (journal.date, journal.abstract) == ("2019", "We study something with a DOI only.")
    assert errors == [f"{PAGE}:1:.data[2]: record 'Abstract Withheld by Publisher' has no abstract"]


def test_batch_array_reports_unknown_ids_as_null_records() -> None:
    papers, errors = read(BATCH)
    assert [p.id for p in papers] == ["doi:10.1000/s2.only"]
    assert errors == [f"{BATCH}:21:.[1]: expected a JSON object, got null"]


def test_json_lines_and_gzip_give_the_same_papers_with_line_numbers(tmp_path: Path) -> None:
    records = json.loads(PAGE.read_text())["data"]
    src = tmp_path / "papers.jsonl.gz"
    src.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    papers, errors = read(src)
    assert detect_format(src).name == "semantic-scholar"
    assert [p.id for p in papers] == [p.id for p in read(PAGE)[0]]
    assert [p.source for p in papers] == ["papers.jsonl.gz:1", "papers.jsonl.gz:2"]
    assert errors == [f"{src}:3: record 'Abstract Withheld by Publisher' has no abstract"]


def test_citation_pages_are_unwrapped(tmp_path: Path) -> None:
    cited = json.loads(PAGE.read_text())["data"][0]
    src = tmp_path / "citations.json"
    src.write_text(json.dumps({"offset": 0, "data": [{"contexts": [], "citingPaper": cited}]}))
    [paper] = read(src)[0]
    assert paper.id == "arxiv:1706.03762"
