"""A real Neo4j server for the test session, started with kg's own launcher.

Import the fixtures into tests/conftest.py (``from tests.neo4j_fixture import neo4j_store,
neo4j_uri, require_java``). The server runs from ``.neo4j/lib`` on a free loopback port,
auth off, in a temporary home, and is stopped when the session ends. Without ``java`` the
tests are skipped with the reason, except on CI (``CI`` set), where that is a failure:
CI must exercise the real server.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from kg.neo4j import server as neo4j_server
from kg.neo4j.store import Neo4jStore

# Small enough for a 2-core CI machine; startup there can take tens of seconds.
TEST_HEAP, TEST_PAGECACHE, START_TIMEOUT = "768m", "64m", 240.0


def require_java() -> None:
    if shutil.which("java") is None:
        reason = "java not found: the Neo4j tests need Java 17 (openjdk-17-jre-headless)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run them", pytrace=False)
        pytest.skip(reason)


def start_test_server(home: os.PathLike[str] | str,
                      auth: tuple[str, str] | None = None,
                      port: int | None = None) -> neo4j_server.ServerHandle:
    require_java()
    return neo4j_server.start(home, bolt_port=port or neo4j_server.free_port(), auth=auth,
                              heap=TEST_HEAP, pagecache=TEST_PAGECACHE, timeout=START_TIMEOUT)


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bolt URI of the session's server (auth off)."""
    home = tmp_path_factory.mktemp("neo4j")
    handle = start_test_server(home)
    try:
        yield handle.uri
    finally:
        neo4j_server.stop(home)


@pytest.fixture
def neo4j_store(neo4j_uri: str) -> Iterator[Neo4jStore]:
    """An empty store on the session server; emptied again before each test."""
    store = Neo4jStore.open(uri=neo4j_uri)
    store.clear()
    try:
        yield store
    finally:
        store.close()
