"""Property tests: whatever a file holds, reading it yields Papers or raises InputError.

Anything else (KeyError, TypeError, a RecursionError...) would surface as a traceback from the
CLI instead of the one-line error users are promised.
"""

import gzip
import json
from pathlib import Path
from unittest import mock
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import SkipCounter, iter_papers, jsonstream
from kg.ingest.clean import arxiv_id, clean_latex, squash
from kg.ingest.jsonstream import iter_records
from kg.model import Paper

FORMATS = [None, "arxiv-atom", "arxiv-snapshot", "openalex", "semantic-scholar", "pwc", "jsonl",
           "daily-papers"]
JSON_FORMATS = [None, "arxiv-snapshot", "openalex", "semantic-scholar", "pwc"]
KEYS = [
    "id", "title", "abstract", "doi", "comments", "versions", "created", "update_date",
    "authors_parsed", "authors", "submitter", "display_name", "publication_date",
    "publication_year", "abstract_inverted_index", "ids", "arxiv", "locations",
    "primary_location", "landing_page_url", "pdf_url", "authorships", "author",
    "raw_author_name", "paperId", "externalIds", "ArXiv", "DOI", "year", "publicationDate", "name",
    "url", "citingPaper", "citedPaper", "data", "results", "paper_url", "arxiv_id", "url_abs",
    "date",
]
SAMPLES = ["2401.01234v2", "https://arxiv.org/abs/math/0406001v1", "10.48550/arXiv.2401.01234",
           "Mon, 2 Apr 2007 19:18:42 GMT", "2017-06-12", "This paper has been withdrawn",
           r"$\alpha$-{\em Net} \textbf{x}", r"\'{\i}\c{c}\\ \ ", "https://openalex.org/W1"]

scalars = (st.none() | st.booleans() | st.integers() | st.sampled_from(SAMPLES)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=8,
)
records = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
fuzz = settings(deadline=None)  # file I/O makes timings noisy


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def read_safely(path: Path, fmt: str | None) -> list[Paper]:
    """Papers read from ``path`` (none if it raised InputError), each checked for sanity."""
    try:
        papers = list(iter_papers([path], fmt=fmt, on_bad=SkipCounter()))
    except InputError:
        return []
    for paper in papers:
        assert isinstance(paper, Paper) and paper.title and paper.abstract
        assert paper.title == paper.title.strip() and paper.id.split(":")[0] in {
            "arxiv", "doi", "title"}
        assert all(isinstance(a, str) and a for a in paper.authors)
    return papers


@settings(fuzz, max_examples=200)
@given(data=st.binary(max_size=400), fmt=st.sampled_from(FORMATS), zipped=st.booleans())
def test_arbitrary_bytes_yield_papers_or_input_error(
    scratch: Path, data: bytes, fmt: str | None, zipped: bool
) -> None:
    src = scratch / "bytes.in"
    src.write_bytes(gzip.compress(data) if zipped else data)
    read_safely(src, fmt)


@settings(fuzz, max_examples=200)
@given(text=st.text(max_size=300), fmt=st.sampled_from(FORMATS))
def test_arbitrary_text_yields_papers_or_input_error(
    scratch: Path, text: str, fmt: str | None
) -> None:
    src = scratch / "text.in"
    src.write_text(text, encoding="utf-8")
    read_safely(src, fmt)


@settings(fuzz, max_examples=300)
@given(
    rows=st.lists(records, max_size=5),
    shape=st.sampled_from(["jsonl", "array", "data", "results"]),
    fmt=st.sampled_from(JSON_FORMATS),
)
def test_json_records_of_any_shape_yield_papers_or_input_error(
    scratch: Path, rows: list[dict[str, object]], shape: str, fmt: str | None
) -> None:
    src = scratch / "records.json"
    if shape == "jsonl":
        src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    else:
        src.write_text(json.dumps(rows if shape == "array" else {shape: rows}, indent=1))
    read_safely(src, fmt)


@settings(fuzz, max_examples=100)
@given(fields=st.lists(st.tuples(st.sampled_from(["id", "title", "summary", "published",
                                                    "arxiv:doi", "arxiv:comment"]),
                                  st.sampled_from(SAMPLES) | st.text(max_size=40)), max_size=8))
def test_atom_entries_with_any_text_yield_papers_or_input_error(
    scratch: Path, fields: list[tuple[str, str]]
) -> None:
    body = "".join(f"<{tag}>{escape(text)}</{tag}>" for tag, text in fields)
    src = scratch / "feed.xml"
    src.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<entry>{body}<author><name>{escape(body[:20])}</name></author></entry></feed>"
    )
    read_safely(src, "arxiv-atom")


@settings(fuzz, max_examples=100)
@given(rows=st.lists(records, max_size=6), chunk=st.integers(1, 64), one_line=st.booleans())
def test_chunked_decoding_matches_json_loads(
    scratch: Path, rows: list[dict[str, object]], chunk: int, one_line: bool
) -> None:
    jsonl, array = scratch / "rows.jsonl", scratch / "rows.json"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    array.write_text(json.dumps(rows, indent=None if one_line else 2))
    errors = SkipCounter()
    with mock.patch.object(jsonstream, "CHUNK_BYTES", chunk):
        assert list(iter_records(jsonl, errors)) == [(str(i + 1), r) for i, r in enumerate(rows)]
        assert [v for _, v in iter_records(array, errors)] == rows
    assert not errors.errors


@fuzz
@given(st.text(max_size=80))
def test_clean_latex_output_is_squashed_and_plain_text_only_squashed(text: str) -> None:
    cleaned = clean_latex(text)
    assert cleaned == squash(cleaned)
    if not any(c in text for c in "\\{}$"):
        assert cleaned == squash(text)


@fuzz
@given(
    number=st.from_regex(r"\A(\d{4}\.\d{5}|(math|hep-th|cs)/\d{7})\Z"),
    version=st.integers(1, 99),
    form=st.sampled_from(["{}v{}", "http://arxiv.org/abs/{}v{}", "arXiv:{}v{}",
                          "https://arxiv.org/pdf/{}v{}.pdf"]),
)
def test_every_version_and_spelling_of_an_arxiv_id_gives_the_bare_id(
    number: str, version: int, form: str
) -> None:
    assert arxiv_id(form.format(number, version)) == arxiv_id(number) == number
