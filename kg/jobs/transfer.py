"""Copy a graph between stores, e.g. the embedded build into Neo4j (``kg load``)."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import TypeVar, cast

from kg.jobs.build import batched, store_extractions
from kg.store.base import Store

T = TypeVar("T")


def load_store(
    src: Store, dst: Store, batch_size: int = 1000, on_batch: Callable[[int], None] | None = None
) -> int:
    """Stream ``src``'s papers into ``dst`` in batches; returns the number of papers.

    Crash-safe and idempotent as ``store_extractions`` is; ``on_batch`` hears each batch's
    size once it is stored. The next batch is read from ``src`` while ``dst`` writes the
    last one (``read_ahead``): a Neo4j load spent a quarter of its time reading the
    embedded store, with the server idle.
    """
    batches = read_ahead(batched(src.extractions(), batch_size))
    # store_extractions batches again, along the same boundaries (batch_size each)
    return store_extractions(chain.from_iterable(batches), dst, batch_size, on_batch)


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_DONE = object()


def read_ahead(items: Iterable[T]) -> Iterator[T]:
    """``items``, the next one produced by a thread while the caller works on this one.

    An error the thread meets is raised here, in the caller. A caller that stops early
    (its own error) stops the thread and waits for it, so the source is no longer read
    once this generator is closed (before a ``with`` closes the source store).
    """
    handed: queue.Queue[object] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:  # a put that waits is freed by the caller's draining below
        try:
            for item in items:
                handed.put(item)
                if stop.is_set():
                    return
            handed.put(_DONE)
        except BaseException as error:  # handed to the caller, raised there
            handed.put(_Failed(error))

    thread = threading.Thread(target=produce, name="kg-read-ahead", daemon=True)
    thread.start()
    try:
        while (item := handed.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield cast(T, item)
    finally:
        stop.set()
        while thread.is_alive():  # unblock a put waiting on a full queue
            with contextlib.suppress(queue.Empty):
                handed.get(timeout=0.1)
        thread.join()
