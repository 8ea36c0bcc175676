"""The store registry speaks for the CLI: names, languages and capabilities are asked of
it, so no command names a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.export import EXPORTERS
from kg.ingest import READERS
from kg.query import QUERIES
from kg.store import DEFAULT_SERVER, DEFAULT_STORE, STORES, Capability, open_speaking


def test_the_shipped_stores_declare_language_and_capabilities() -> None:
    assert STORES.names() == ["memory", "neo4j", "oxigraph", "sharded", "sparql"]
    languages = {name: STORES.get(name).query_language for name in STORES.names()}
    assert languages == {"memory": "sparql", "neo4j": "cypher", "oxigraph": "sparql",
                         "sharded": "sparql", "sparql": "sparql"}
    on_disk = {n for n in STORES.names() if Capability.DIRECTORY in STORES.get(n).capabilities}
    assert on_disk == {"oxigraph", "sharded"}
    quads = {n for n in STORES.names() if Capability.QUADS in STORES.get(n).capabilities}
    assert quads == {"memory", "oxigraph", "sharded", "sparql"}
    assert STORES.get(DEFAULT_STORE).query_language == "sparql"
    assert STORES.get(DEFAULT_SERVER).query_language == "cypher"


def test_a_raw_query_goes_only_to_a_store_that_speaks_its_language(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="store 'memory' answers sparql, not cypher"):
        open_speaking("cypher", "memory")
    with open_speaking("sparql", "memory") as store:
        assert store.query("ASK { ?s ?p ?o }").rows == [(False,)]


def test_entry_point_groups_are_spelled_as_plurals() -> None:
    groups = [r.group for r in (STORES, READERS, EXPORTERS, QUERIES)]
    assert groups == ["kg.stores", "kg.readers", "kg.exporters", "kg.queries"]
