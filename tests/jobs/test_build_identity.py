"""One paper is one node whichever of its ids it arrives by, within a build and across
builds, in any order and in every embedded layout (``kg.ingest.identity``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.ingest import READERS, expand_sources, raise_bad
from kg.jobs.build import build
from kg.model import Paper
from kg.rdf.sharded import ShardedStore
from kg.rdf.store import OxigraphStore
from kg.store.base import Store

NAMED = 20  # seed papers that come back with an arXiv id (and every fifth with a DOI)

Opener = Callable[[Path], Store]
LAYOUTS: dict[str, Opener] = {
    "one store": lambda path: OxigraphStore(path),
    # small shards, so the papers merged away sit in sealed shards
    "sharded": lambda path: ShardedStore(path, shard_papers=150),
}


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def with_ids(seed_papers: list[Paper], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first NAMED seed papers as another source gives them: with ids, titles cased
    differently, versioned arXiv ids."""
    path = tmp_path_factory.mktemp("ids") / "named.jsonl"
    lines = [
        {
            "title": p.title.upper(),
            "abstract": p.abstract,
            "arxiv_id": f"2401.{10000 + i}v{1 + i % 3}",
            **({"doi": f"10.1000/kg.{i}"} if i % 5 == 0 else {}),
        }
        for i, p in enumerate(seed_papers[:NAMED])
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def ids_and_edges(store: Store) -> dict[str, list[tuple[str, str]]]:
    return {
        ex.paper.id: sorted({(m.relation.value, m.entity.key) for m in ex.mentions})
        for ex in store.extractions()
    }


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_same_papers_by_other_ids_are_merged_in_any_order(
    layout: str, seeds_dir: Path, with_ids: Path, tmp_path: Path, extractor: Extractor
) -> None:
    graphs, stats = [], []
    for name, order in (("ab", [seeds_dir, with_ids]), ("ba", [with_ids, seeds_dir])):
        with LAYOUTS[layout](tmp_path / name) as store:
            reports = [build([source], store, extractor=extractor) for source in order]
            graphs.append(ids_and_edges(store))
            stats.append(store.stats())
            again = [build([source], store, extractor=extractor) for source in order]
            assert [r.papers_written for r in again] == [NAMED, NAMED]  # last build's text
            assert store.stats() == stats[-1]
    ab, ba = graphs
    assert len(ab) == len(ba) == stats[0].papers == 398
    assert stats[0] == stats[1]
    assert sum(pid.startswith("arxiv:2401.") for pid in ab) == NAMED
    assert ab.keys() == ba.keys() and ab == ba
    assert reports[0].papers_merged == 0  # the seeds, read after the named copies


def test_a_paper_merged_away_is_found_by_its_old_id(
    seeds_dir: Path, with_ids: Path, tmp_path: Path, seed_papers: list[Paper], extractor: Extractor
) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        build([seeds_dir], store, extractor=extractor)
        report = build([with_ids], store, extractor=extractor)
        assert (report.papers_merged, report.stats.papers) == (NAMED, 398)
        first = seed_papers[0]
        assert set(store.identities([first.id])) == {"arxiv:2401.10000"}
        (got,) = store.extractions(["arxiv:2401.10000"])
        assert (got.paper.arxiv_id, got.paper.doi) == ("2401.10000", "10.1000/kg.0")
        assert store.content_hashes([first.id]) == {}


def test_duplicates_are_reported_and_read_once(seeds_dir: Path, tmp_path: Path) -> None:
    reader = READERS.get("daily-papers")
    records = sum(1 for path in expand_sources([seeds_dir]) for _ in reader.read(path, raise_bad))
    with OxigraphStore(tmp_path / "db") as store:
        report = build([seeds_dir], store)
    assert report.stats is not None
    assert len(report.duplicates) + report.stats.papers == records > 398
    assert report.duplicates and all(d.why == "same title" for d in report.duplicates)
    assert all(d.first != "an earlier record" for d in report.duplicates)
