"""``kg import`` keeps one paper one node: a file that gives one identifier to two subjects
is refused, and a paper the store holds under another id is merged into it (issue 26)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kg.model import PaperExtraction, paper_id
from kg.rdf.parse import import_rdf
from kg.rdf.store import OxigraphStore
from tests.reliability.conftest import assert_one_line_error, kg, snapshot


def _export(db: Path, out: Path) -> str:
    assert kg("export", "--db", db, "-o", out).returncode == 0
    return out.read_text(encoding="utf-8")


def test_one_identifier_on_two_subjects_is_refused(
    seed_extractions: list[PaperExtraction], tmp_path: Path
) -> None:
    db = tmp_path / "db"
    with OxigraphStore(db) as store:
        store.upsert(seed_extractions[:3])
    before = snapshot(db)
    text = _export(db, tmp_path / "graph.ttl")
    first, second = (
        ex.paper.id for ex in sorted(seed_extractions[:3], key=lambda e: e.paper.id)[:2]
    )
    # the second paper's subject now claims the first paper's identifier
    clash = tmp_path / "clash.ttl"
    clash.write_text(
        text.replace(f'dcterms:identifier "{second}"', f'dcterms:identifier "{first}"'),
        encoding="utf-8",
    )
    line = assert_one_line_error(kg("import", clash, "--db", db), 2)
    assert f"both describe paper '{first}'" in line
    assert snapshot(db) == before


def test_an_imported_paper_with_an_arxiv_id_replaces_its_title_only_twin(
    seed_extractions: list[PaperExtraction], tmp_path: Path
) -> None:
    plain = seed_extractions[:4]
    named = [
        replace(ex, paper=replace(ex.paper, id=paper_id(title="", arxiv_id=aid), arxiv_id=aid))
        for ex, aid in zip(plain[:2], ("2401.00001", "2401.00002"), strict=True)
    ]
    source = tmp_path / "named"
    with OxigraphStore(source) as store:
        store.upsert(named)
    ttl = tmp_path / "named.ttl"
    _export(source, ttl)
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(plain)
        before = store.stats()
        assert import_rdf(store, ttl) == 2
        assert store.stats() == before  # the same four papers, two under their arXiv ids
        ids = {ex.paper.id for ex in store.extractions()}
        assert ids == {"arxiv:2401.00001", "arxiv:2401.00002", *(ex.paper.id for ex in plain[2:])}
        assert import_rdf(store, ttl) == 2 and store.stats() == before  # again: the same
