"""kg.jobs.transfer: a store copied into another, its source read ahead by a thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from kg.errors import InputError
from kg.jobs.transfer import load_store, read_ahead
from kg.model import PaperExtraction
from kg.rdf.store import MemoryStore, OxigraphStore


def _threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "kg-read-ahead"]


def test_items_come_in_order_and_the_thread_ends() -> None:
    assert list(read_ahead(iter(range(1000)))) == list(range(1000))
    assert list(read_ahead([])) == []
    assert _threads() == []


def test_the_source_s_error_is_raised_in_the_caller_after_what_came_before() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise InputError("db: cannot read the store (corrupt)")

    got = []
    with pytest.raises(InputError, match="corrupt"):
        for item in read_ahead(source()):
            got.append(item)
    assert got == [1, 2]
    assert _threads() == []


def test_a_caller_that_stops_stops_the_reading() -> None:
    read: list[int] = []

    def source() -> Iterator[int]:
        for i in range(10_000):
            read.append(i)
            yield i

    items = read_ahead(source())
    assert next(items) == 0
    time.sleep(0.2)  # the thread reads ahead, then waits on the full hand-over
    assert 1 <= len(read) <= 3
    items.close()
    assert _threads() == []
    after = len(read)
    time.sleep(0.2)
    assert len(read) == after <= 4


def test_load_store_copies_every_paper(
    seed_store: OxigraphStore, seed_extractions: list[PaperExtraction]
) -> None:
    with MemoryStore(None) as copy:
        assert load_store(seed_store, copy, batch_size=100) == len(seed_extractions)
        assert copy.stats() == seed_store.stats()
        one = seed_extractions[7].paper.id
        [stored] = copy.extractions([one])
        [source] = seed_store.extractions([one])
        assert stored.mentions == source.mentions and stored.results == source.results
