"""What the bulk-import tests of both servers share (``kg neo4j import``,
``kg fuseki import``): a source store, and the command as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg.model import PaperExtraction
from kg.rdf.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]


def embedded(path: Path, extractions: list[PaperExtraction]) -> Path:
    """An embedded store at ``path`` holding ``extractions``: an import's source."""
    with OxigraphStore(path) as store:
        store.upsert(extractions)
    return path


def kg_import(
    server: str, source: Path, home: Path, heap: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    """``kg SERVER import`` as a user runs it, with the test server's small heap."""
    return subprocess.run(
        [sys.executable, "-m", "kg", server, "import", "--from", str(source),
         "--home", str(home), "--heap", heap, *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "KG_DEBUG": ""},
    )
