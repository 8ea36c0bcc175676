"""Process-pool extraction: spaCy's ``n_process`` ships Docs back to the parent and is slower
than one process; here each worker builds its own Extractor once and sends back only
what it found (mentions and the code-release flag): the parent still holds the papers, so
their abstracts do not travel twice.

Chunks are submitted through a bounded ``apply_async`` window rather than ``Pool.imap``,
whose feeder thread reads the whole input ahead: memory stays flat on any corpus size.
A caller that consumes results in batches passes ``ahead`` (its batch size), so workers
extract the next batch while it stores this one instead of idling.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from kg.extract.pipeline import ExtractConfig, Extractor
from kg.model import Mention, Paper, PaperExtraction
from kg.resolve import Resolver

#: Chunks queued per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 2

_worker: Extractor | None = None


def _init(config: ExtractConfig | None, resolver: Resolver | None) -> None:
    global _worker
    _worker = Extractor(config, resolver)


Found = tuple[list[Mention], bool]


def _run(chunk: list[Paper]) -> list[Found]:
    assert _worker is not None, "worker not initialised"
    return [(ex.mentions, ex.releases_code) for ex in _worker.extract(chunk)]


def _chunks(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    it = iter(papers)
    while chunk := list(islice(it, size)):
        yield chunk


def extract_parallel(
    papers: Iterable[Paper],
    workers: int | None = None,
    chunk_size: int = 256,
    config: ExtractConfig | None = None,
    resolver: Resolver | None = None,
    ahead: int = 0,
) -> Iterator[PaperExtraction]:
    """Like ``Extractor.extract`` over ``workers`` processes; results keep the input order.

    At most ``max(2 × workers chunks, ahead papers)`` are in flight.
    """
    workers = workers or mp.cpu_count()
    if workers <= 1:
        yield from Extractor(config, resolver).extract(papers)
        return
    chunks = _chunks(papers, chunk_size)
    with mp.get_context().Pool(workers, _init, (config, resolver)) as pool:
        window: deque[tuple[list[Paper], Any]] = deque()
        for chunk in chunks:
            window.append((chunk, pool.apply_async(_run, (chunk,))))
            if len(window) >= max(workers * IN_FLIGHT_PER_WORKER, -(-ahead // chunk_size)):
                break
        while window:
            done, pending = window.popleft()
            found = pending.get()
            for chunk in islice(chunks, 1):
                window.append((chunk, pool.apply_async(_run, (chunk,))))
            for paper, (mentions, releases_code) in zip(done, found, strict=True):
                yield PaperExtraction(paper, mentions, releases_code)
