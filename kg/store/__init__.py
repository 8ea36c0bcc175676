"""Store backends by name: ``oxigraph`` (embedded, default), ``sharded`` (the same in
shards of bounded size, for builds past a million papers), ``memory`` (held in memory,
for one-process jobs) and ``neo4j`` (Bolt)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kg.registry import Registry
from kg.store.base import Stats, Store, Table

StoreFactory = Callable[..., Store]

STORES: Registry[StoreFactory] = Registry("store")
STORES.register("oxigraph", "kg.store.oxigraph:open_oxigraph")
STORES.register("neo4j", "kg.store.neo4j:open_neo4j")
STORES.register("sharded", "kg.store.sharded:open_sharded")
STORES.register("memory", "kg.store.oxigraph:open_memory")

DEFAULT_STORE = "oxigraph"


def open_store(name: str = DEFAULT_STORE, **options: Any) -> Store:
    """Open a store by name; options are the backend's own (``path``, ``uri``, …)."""
    return STORES.get(name)(**options)


__all__ = ["DEFAULT_STORE", "STORES", "Stats", "Store", "Table", "open_store"]
