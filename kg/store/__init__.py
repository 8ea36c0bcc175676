"""Store backends by name, each a ``kg.store.base.Store`` class: ``oxigraph`` (embedded,
default; opens either layout), ``sharded`` (the same in shards of bounded size, for builds
past a million papers), ``memory`` (held in memory, for one-process jobs), ``neo4j``
(Bolt) and ``sparql`` (any SPARQL 1.1 triplestore over HTTP, such as Fuseki). Entries are
imported on first use; third parties add theirs through the ``kg.stores`` entry-point
group."""

from __future__ import annotations

from typing import Any

from kg.errors import UsageError
from kg.registry import Registry
from kg.store.base import Capability, Stats, Store, Table

STORES: Registry[type[Store]] = Registry("store")
STORES.register("oxigraph", "kg.rdf.store:OxigraphStore")
STORES.register("sharded", "kg.rdf.sharded:ShardedStore")
STORES.register("memory", "kg.rdf.store:MemoryStore")
STORES.register("neo4j", "kg.neo4j.store:Neo4jStore")
STORES.register("sparql", "kg.fuseki.store:SparqlStore")

DEFAULT_STORE = "oxigraph"
#: The graph-database server ``kg load`` copies into and ``kg cypher`` asks by default.
DEFAULT_SERVER = "neo4j"


def open_store(name: str = DEFAULT_STORE, **options: Any) -> Store:
    """Open a store by name; options are the backend's own (``path``, ``uri``, …)."""
    return STORES.get(name).open(**options)


def open_speaking(language: str, name: str, **options: Any) -> Store:
    """Open store ``name`` for raw ``language`` queries: a store that speaks another
    language is refused before it is opened."""
    spoken = STORES.get(name).query_language
    if spoken != language:
        raise UsageError(f"store {name!r} answers {spoken}, not {language}; pick another --store")
    return open_store(name, **options)


__all__ = [
    "DEFAULT_SERVER",
    "DEFAULT_STORE",
    "STORES",
    "Capability",
    "Stats",
    "Store",
    "Table",
    "open_speaking",
    "open_store",
]
