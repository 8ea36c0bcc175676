"""Shared fixtures: the real seed papers, their extraction, and a store built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.ingest import iter_papers
from kg.model import Paper, PaperExtraction
from kg.rdf.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEV_GOLD = SHARED / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"seed papers missing: {SEEDS} (clone the project beside ../shared)")
    return SEEDS


@pytest.fixture(scope="session")
def seed_papers(seeds_dir: Path) -> list[Paper]:
    return list(iter_papers([seeds_dir]))


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def seed_extractions(seed_papers: list[Paper], extractor: Extractor) -> list[PaperExtraction]:
    return list(extractor.extract(seed_papers))


@pytest.fixture(scope="session")
def seed_store(
    tmp_path_factory: pytest.TempPathFactory, seed_extractions: list[PaperExtraction]
) -> OxigraphStore:
    store = OxigraphStore(tmp_path_factory.mktemp("seed") / "db")
    store.upsert(seed_extractions)
    return store


from tests.fuseki_fixture import fuseki_endpoint, sparql_store  # noqa: E402, F401  (session-wide Fuseki fixtures)
from tests.neo4j_fixture import neo4j_store, neo4j_uri  # noqa: E402, F401  (session-wide Neo4j fixtures)
