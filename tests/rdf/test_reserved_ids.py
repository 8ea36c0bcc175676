"""A paper id that names one of the store's own graphs (``entities``, ``index``) is refused
with one line by every writer, before anything is written (issue 26, item 1): it used to
overwrite the entity graph."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import READERS
from kg.jobs.build import build
from kg.jobs.distributed import extraction_to_json
from kg.jobs.transfer import load_store
from kg.model import Paper, PaperExtraction
from kg.rdf.store import MemoryStore, OxigraphStore
from kg.rdf.vocab import check_paper_id
from tests.reliability.conftest import assert_one_line_error, kg, snapshot

RESERVED = ["entities", "index"]


def _renamed(ex: PaperExtraction, paper_id: str) -> PaperExtraction:
    return PaperExtraction(
        replace(ex.paper, id=paper_id), ex.mentions, ex.releases_code, ex.content_hash, ex.results
    )


@pytest.mark.parametrize("paper_id", RESERVED)
def test_the_store_refuses_a_write_to_its_own_graphs(
    paper_id: str, seed_extractions: list[PaperExtraction], tmp_path: Path
) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(seed_extractions[:5])
        before = sorted(map(str, store.quads()))
        batch = [*seed_extractions[5:8], _renamed(seed_extractions[8], paper_id)]
        with pytest.raises(InputError, match=f"paper id '{paper_id}' is reserved"):
            store.upsert(batch)
        assert sorted(map(str, store.quads())) == before  # nothing of the batch written


def test_ids_that_only_look_alike_are_papers_like_any_other() -> None:
    for paper_id in ("Entities", "entities2", "%65ntities", "title:entities", "index "):
        assert check_paper_id(paper_id) == paper_id


class _ReservedReader:
    """A plug-in reader whose second paper takes a reserved id."""

    name = "test-reserved"

    def __init__(self, papers: list[Paper]) -> None:
        self.papers = papers

    def sniff(self, head: str, path: Path) -> bool:
        return False

    def read(self, path: Path, on_bad) -> Iterator[Paper]:
        yield from self.papers


@pytest.mark.parametrize("paper_id", RESERVED)
def test_build_reports_it_as_a_bad_record(
    paper_id: str, seed_papers: list[Paper], tmp_path: Path
) -> None:
    papers = [seed_papers[0], replace(seed_papers[1], id=paper_id, source="x.src:2")]
    READERS.register("test-reserved", _ReservedReader(papers))
    src = tmp_path / "x.src"
    src.write_text("x", encoding="utf-8")
    with MemoryStore(None) as store:
        with pytest.raises(InputError, match="x.src:2: paper id .* is reserved"):
            build([src], store, fmt="test-reserved")
        assert store.stats().papers == 0
        report = build([src], store, fmt="test-reserved", skip_bad=True)
        assert (len(report.skipped), store.stats().papers) == (1, 1)


@pytest.mark.parametrize("paper_id", RESERVED)
def test_import_refuses_the_file_before_storing_any_paper(
    paper_id: str, seed_extractions: list[PaperExtraction], tmp_path: Path
) -> None:
    db = tmp_path / "db"
    with OxigraphStore(db) as store:
        store.upsert(seed_extractions[:5])
    before = snapshot(db)
    ttl = tmp_path / "graph.ttl"
    assert kg("export", "--db", db, "-o", ttl).returncode == 0
    text = ttl.read_text(encoding="utf-8")
    first_id = text.split('dcterms:identifier "', 1)[1].split('"', 1)[0]
    ttl.write_text(text.replace(f'"{first_id}"', f'"{paper_id}"'), encoding="utf-8")
    line = assert_one_line_error(kg("import", ttl, "--db", db), 2)
    assert f"paper id '{paper_id}' is reserved" in line
    assert snapshot(db) == before


@pytest.mark.parametrize("paper_id", RESERVED)
def test_from_extracted_refuses_it_in_the_check_pass(
    paper_id: str, seed_extractions: list[PaperExtraction], tmp_path: Path
) -> None:
    parts = tmp_path / "parts"
    parts.mkdir()
    lines = [extraction_to_json(ex) for ex in seed_extractions[:4]]
    lines[3] = extraction_to_json(_renamed(seed_extractions[3], paper_id))
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines)
    (parts / "part-00000.jsonl").write_text(text, encoding="utf-8")
    db = tmp_path / "db"
    line = assert_one_line_error(kg("build", "--from-extracted", parts, "--db", db), 2)
    assert "part-00000.jsonl:4: paper id" in line
    assert not db.exists()


def test_load_refuses_it_into_an_embedded_store(
    seed_extractions: list[PaperExtraction], tmp_path: Path
) -> None:
    class Source(MemoryStore):
        """A store from elsewhere (a plug-in, an older kg) that holds such a paper."""

        def extractions(self, paper_ids=None):
            yield from seed_extractions[:3]
            yield _renamed(seed_extractions[3], "entities")

    with Source(None) as src, OxigraphStore(tmp_path / "db") as dst:
        with pytest.raises(InputError, match="reserved"):
            load_store(src, dst, batch_size=10)
        assert dst.stats().papers == 0
