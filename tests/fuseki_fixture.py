"""A real Apache Jena Fuseki for the test session, started with kg's own launcher.

Imported into tests/conftest.py like the Neo4j fixtures. The server runs from
``.fuseki/lib`` (fetched by ``make services``, or by ``ensure_jars`` on first use) on a free
loopback port with a TDB2 dataset in a temporary home, and is stopped when the session
ends. Without ``java`` the tests are skipped with the reason, except on CI (``CI`` set),
where that is a failure: CI must exercise the real server.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.fuseki import server as fuseki_server
from kg.fuseki.store import SparqlStore

TEST_HEAP, START_TIMEOUT = "512m", 120.0


def require_java() -> None:
    if shutil.which("java") is None:
        reason = "java not found: the Fuseki tests need Java 17 (openjdk-17-jre-headless)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run them", pytrace=False)
        pytest.skip(reason)


def start_test_fuseki(home: Path, port: int | None = None) -> fuseki_server.ServerHandle:
    require_java()
    return fuseki_server.start(
        home, port=port or fuseki_server.free_port(), heap=TEST_HEAP, timeout=START_TIMEOUT
    )


@pytest.fixture(scope="session")
def fuseki_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dataset URL of the session's server (queries and updates)."""
    home = tmp_path_factory.mktemp("fuseki")
    handle = start_test_fuseki(home)
    try:
        yield handle.endpoint
    finally:
        fuseki_server.stop(home)


@pytest.fixture
def sparql_store(fuseki_endpoint: str) -> Iterator[SparqlStore]:
    """An empty store on the session server; emptied again before each test."""
    store = SparqlStore.open(endpoint=fuseki_endpoint)
    store.clear()
    try:
        yield store
    finally:
        store.close()
