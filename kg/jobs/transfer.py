"""Copy a graph between stores, e.g. the embedded build into Neo4j (``kg load``)."""

from __future__ import annotations

from collections.abc import Callable

from kg.jobs.build import store_extractions
from kg.store.base import Store


def load_store(
    src: Store, dst: Store, batch_size: int = 1000, on_batch: Callable[[int], None] | None = None
) -> int:
    """Stream ``src``'s papers into ``dst`` in batches; returns the number of papers.

    Crash-safe and idempotent as ``store_extractions`` is; ``on_batch`` hears each batch's
    size once it is stored.
    """
    return store_extractions(src.extractions(), dst, batch_size, on_batch)
