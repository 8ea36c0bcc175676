"""arXiv API Atom feeds: entries, wrapped LaTeX titles, versions, API errors, broken XML."""

import gzip
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import SkipCounter, detect_format, iter_papers
from kg.model import Paper

FEED = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "arxiv_atom.xml"
API_ERROR = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?id_list=1234.1234" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: id_list=1234.1234</title>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.1234</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.1234</summary>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>
"""


def read(path: Path, fmt: str | None = None) -> tuple[list[Paper], list[str]]:
    skipped = SkipCounter()
    papers = list(iter_papers([path], fmt=fmt, on_bad=skipped))
    return papers, [e.message for e in skipped.errors]


def test_entries_become_papers_with_joined_title_and_abstract() -> None:
    papers, _ = read(FEED)
    ids = [p.id for p in papers]
    assert ids == ["arxiv:1706.03762", "arxiv:2401.01234", "arxiv:hep-ex/0307015"]
    attention = papers[0]
    assert attention.title == "Attention Is All You Need"
    assert attention.abstract == (
        "The dominant sequence transduction models are based on complex recurrent or "
        "convolutional neural networks. We propose a new simple network architecture, the "
        "Transformer, based solely on attention mechanisms."
    )
    assert (attention.date, attention.arxiv_id, attention.doi) == ("2017-06-12", "1706.03762", None)
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer")
    assert attention.url == "http://arxiv.org/abs/1706.03762v7"
    assert attention.source == "arxiv_atom.xml:10"


def test_latex_title_is_cleaned_and_arxiv_doi_kept() -> None:
    alpha = read(FEED)[0][1]
    assert alpha.title == "α-Net: Adaptive Attention with Sparse Experts"
    assert alpha.doi == "10.1234/alpha-net.2024"
    assert alpha.abstract.startswith("We introduce $\\alpha$-Net, a mixture")  # math kept as is


def test_missing_abstract_and_withdrawn_entries_are_reported_with_their_line() -> None:
    assert read(FEED)[1] == [
        f"{FEED}:53: record 'A Paper Without an Abstract' has no abstract",
        f"{FEED}:65: record 'Convergence of Something Important' is a withdrawn paper "
        "(no abstract to read)",
    ]
    with pytest.raises(InputError, match=r"arxiv_atom.xml:53: .* has no abstract"):
        list(iter_papers([FEED]))


def test_two_versions_of_a_paper_get_one_id(tmp_path: Path) -> None:
    v1 = tmp_path / "v1.xml"
    v1.write_text(FEED.read_text().replace("2401.01234v2", "2401.01234v1")
                  .replace("Sparse} Experts", "Sparse} Experts (first version)"))
    first = read(v1)[0][1]
    assert first.title.endswith("(first version)") and first.id == "arxiv:2401.01234"
    merged = [p.title for p in iter_papers([FEED, v1], on_bad=SkipCounter())]
    assert merged.count("α-Net: Adaptive Attention with Sparse Experts") == 1
    assert not any(t.endswith("(first version)") for t in merged)


def test_api_error_feed_is_reported_not_read_as_a_paper(tmp_path: Path) -> None:
    src = tmp_path / "error.xml"
    src.write_text(API_ERROR)
    assert detect_format(src).name == "arxiv-atom"
    assert read(src) == ([], [f"{src}:5: arXiv API error: incorrect id format for 1234.1234"])


def test_truncated_feed_keeps_earlier_entries_and_reports_the_break(tmp_path: Path) -> None:
    src = tmp_path / "cut.xml"
    src.write_text("".join(FEED.read_text().splitlines(keepends=True)[:40]))
    papers, errors = read(src)
    assert [p.id for p in papers] == ["arxiv:1706.03762"]
    [error] = errors
    assert error.startswith(f"{src}:41: malformed XML (no element found")


def test_not_an_atom_feed_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "rss.xml"
    src.write_text('<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>\n')
    assert read(src, fmt="arxiv-atom") == ([], [f"{src}:2: not an Atom feed (root <rss>)"])


def test_gzipped_feed_reads_like_the_plain_one(tmp_path: Path) -> None:
    src = tmp_path / "feed.xml.gz"
    src.write_bytes(gzip.compress(FEED.read_bytes()))
    assert detect_format(src).name == "arxiv-atom"
    plain = [replace(p, source=p.source.replace(FEED.name, src.name)) for p in read(FEED)[0]]
    assert read(src)[0] == plain
