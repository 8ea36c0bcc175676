"""OpenAlex works: abstracts rebuilt from inverted indexes, arXiv ids found in locations."""

import gzip
import json
from pathlib import Path

import pytest

from kg.ingest import SkipCounter, detect_format, iter_papers
from kg.ingest.clean import BadRecord
from kg.ingest.openalex import rebuild_abstract
from kg.model import Paper

WORKS = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "openalex.jsonl"


def read(path: Path) -> tuple[list[Paper], list[str]]:
    skipped = SkipCounter()
    papers = list(iter_papers([path], on_bad=skipped))
    return papers, [e.message for e in skipped.errors]


def test_abstract_is_rebuilt_in_position_order() -> None:
    assert rebuild_abstract({"world": [1], "hello": [0, 2], "again.": [3]}) == (
        "hello world hello again."
    )


@pytest.mark.parametrize("index", [None, {}, {"word": "0"}, {"word": [0, "1"]}, {"w": [True]}])
def test_null_or_malformed_index_is_a_bad_record(index: object) -> None:
    with pytest.raises(BadRecord):
        rebuild_abstract(index)


def test_works_become_papers_with_arxiv_ids_from_locations_or_arxiv_dois() -> None:
    papers, _ = read(WORKS)
    assert [p.id for p in papers] == [
        "arxiv:1706.03762",  # from locations[].landing_page_url
        "doi:10.1038/s41586-021-03819-2",  # doi.org URL stripped, lower-cased
        "arxiv:2401.01234",  # from the arXiv DOI 10.48550/arxiv.2401.01234
    ]
    attention, alphafold, alpha = papers
    assert attention.abstract.startswith("The dominant sequence transduction models are based")
    assert attention.abstract.endswith("based solely on attention mechanisms.")
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer")
    assert attention.date == "2017-06-12"
    assert alphafold.url == "https://doi.org/10.1038/s41586-021-03819-2"
    assert alpha.date == "2024"  # publication_date null: the year


def test_null_abstract_is_reported() -> None:
    assert read(WORKS)[1] == [
        f"{WORKS}:3: work 'A Work Without Abstract' has no abstract "
        "(abstract_inverted_index is empty or null)"
    ]


def test_api_page_and_gzipped_snapshot_part_are_read(tmp_path: Path) -> None:
    works = [json.loads(line) for line in WORKS.read_text().splitlines()]
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"meta": {"count": 4, "page": 1}, "results": works}, indent=2))
    part = tmp_path / "part_000.gz"
    part.write_bytes(gzip.compress(WORKS.read_bytes()))
    assert detect_format(page).name == detect_format(part).name == "openalex"
    expected = [p.id for p in read(WORKS)[0]]
    assert [p.id for p in read(page)[0]] == [p.id for p in read(part)[0]] == expected
    assert read(page)[1][0].startswith(f"{page}:1:.results[2]: work 'A Work Without Abstract'")
