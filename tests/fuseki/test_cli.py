"""``kg fuseki`` and ``--store sparql`` as a user runs them: a real subprocess, a real
Fuseki, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.fuseki import server as fuseki_server
from kg.model import PaperExtraction
from kg.rdf.store import OxigraphStore
from tests.cli.test_cli import kg

pytestmark = [pytest.mark.fuseki, pytest.mark.slow]


def test_start_load_query_stop(tmp_path: Path, seed_extractions: list[PaperExtraction]) -> None:
    db = tmp_path / "db"
    with OxigraphStore(db) as embedded:
        embedded.upsert(seed_extractions)
    home, port = tmp_path / "fuseki", fuseki_server.free_port()
    endpoint = f"http://127.0.0.1:{port}/kg"
    started = kg("fuseki", "start", "--home", str(home), "--port", str(port), "--heap", "512m")
    try:
        assert started.returncode == 0, started.stderr
        assert f"export KG_SPARQL_ENDPOINT={endpoint}" in started.stdout
        assert kg("fuseki", "status", "--home", str(home)).stdout.startswith(f"running at {endpoint}")
        sparql = ("--store", "sparql", "--endpoint", endpoint)
        loaded = kg("load", "--from", str(db), *sparql)
        assert loaded.returncode == 0, loaded.stderr
        assert "398 papers loaded" in loaded.stdout
        stats = kg("stats", *sparql)
        assert "papers: 398" in stats.stdout
        asked = kg("query", "top-datasets", "--format", "json", "--limit", "3", *sparql)
        embedded = kg("query", "top-datasets", "--format", "json", "--limit", "3",
                      "--db", str(db))
        assert json.loads(asked.stdout) == json.loads(embedded.stdout)
        raw = kg("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }", "--format", "csv",
                 *sparql)
        assert raw.stdout.split() == ["n", "398"], raw.stderr
    finally:
        stopped = kg("fuseki", "stop", "--home", str(home))
    assert stopped.stdout.strip() == "stopped"
    assert kg("fuseki", "status", "--home", str(home)).returncode == 1


def test_an_unreachable_endpoint_is_one_line_and_exit_3() -> None:
    endpoint = f"http://127.0.0.1:{fuseki_server.free_port()}/kg"
    result = kg("stats", "--store", "sparql", "--endpoint", endpoint)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and endpoint in result.stderr
    assert "kg fuseki start" in result.stderr


def test_load_takes_its_update_and_upload_urls(
    tmp_path: Path, fuseki_endpoint: str, seed_extractions: list[PaperExtraction]
) -> None:
    """``--update-endpoint`` and ``--gsp-endpoint`` are where the writes go: Fuseki's
    named update service and no uploads load the papers; an update URL with no service
    behind it is one line naming it, exit 3."""
    db = tmp_path / "db"
    with OxigraphStore(db) as embedded:
        embedded.upsert(seed_extractions[:40])
    sparql = ("--store", "sparql", "--endpoint", fuseki_endpoint)
    kg("sparql", "SELECT * WHERE {}", *sparql)  # the session server answers
    missing = f"{fuseki_endpoint}/no-such-service"
    refused = kg("load", "--from", str(db), *sparql, "--update-endpoint", missing)
    assert refused.returncode == 3, refused.stderr
    assert refused.stderr.count("\n") == 1 and missing in refused.stderr
    loaded = kg("load", "--from", str(db), *sparql,
                "--update-endpoint", f"{fuseki_endpoint}/update", "--gsp-endpoint", "none")
    assert loaded.returncode == 0, loaded.stderr
    assert "40 papers loaded" in loaded.stdout
