"""All readers together: content sniffing, gzip, and one Paper per paper across sources."""

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest

from kg.ingest import SkipCounter, detect_format, iter_papers
from kg.model import Paper

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
FORMATS = {
    "arxiv_atom.xml": "arxiv-atom",
    "arxiv_snapshot.jsonl": "arxiv-snapshot",
    "openalex.jsonl": "openalex",
    "semantic_scholar.json": "semantic-scholar",
    "semantic_scholar_batch.json": "semantic-scholar",
    "pwc.json": "pwc",
}


def read(*paths: Path) -> list[Paper]:
    return list(iter_papers(paths, on_bad=SkipCounter()))


@pytest.mark.parametrize(("name", "fmt"), FORMATS.items())
def test_each_source_is_detected_from_its_content(name: str, fmt: str) -> None:
    assert detect_format(FIXTURES / name).name == fmt


@pytest.mark.parametrize("name", FORMATS)
def test_gzipped_copy_yields_the_same_papers(name: str, tmp_path: Path) -> None:
    src = tmp_path / (name + ".gz")
    src.write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
    plain = [replace(p, source=p.source.replace(name, src.name)) for p in read(FIXTURES / name)]
    assert plain and read(src) == plain


def test_generic_jsonl_and_daily_papers_are_not_claimed_by_new_readers(tmp_path: Path) -> None:
    generic = tmp_path / "papers.jsonl"
    generic.write_text(json.dumps({"title": "T", "abstract": "A", "id": "2401.00001"}) + "\n")
    daily = tmp_path / "daily.txt"
    daily.write_text("Get trending papers in your email inbox!\nSubscribe\nA Title\n" + "x " * 80)
    assert detect_format(generic).name == "jsonl"
    assert detect_format(daily).name == "daily-papers"


def test_same_arxiv_paper_from_atom_snapshot_and_openalex_is_one_paper() -> None:
    sources = [FIXTURES / n for n in ("arxiv_atom.xml", "arxiv_snapshot.jsonl", "openalex.jsonl")]
    for path in sources:  # each source alone has it, under the same id
        assert "arxiv:1706.03762" in {p.id for p in read(path)}
    papers = read(*sources)
    [attention] = [p for p in papers if p.id == "arxiv:1706.03762"]
    assert attention.source == "arxiv_atom.xml:10"  # the first source wins
    ids = [p.id for p in papers]
    assert len(ids) == len(set(ids))
    # α-Net: arXiv v2 in the Atom feed, an arXiv DOI in OpenAlex
    assert ids.count("arxiv:2401.01234") == 1


def test_every_source_together_gives_attention_once() -> None:
    papers = read(*(FIXTURES / n for n in FORMATS))
    titles = [p.title.casefold() for p in papers]
    assert titles.count("attention is all you need") == 1
    assert len({p.id for p in papers}) == len(papers)
