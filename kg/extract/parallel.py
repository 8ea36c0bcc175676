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
from functools import lru_cache
from itertools import islice
from typing import Any

from kg.extract.pipeline import ExtractConfig, Extractor, rules_fingerprint
from kg.model import (
    Entity,
    EntityKind,
    Evidence,
    Mention,
    Paper,
    PaperExtraction,
    Relation,
    Result,
    extraction_hash,
)
from kg.resolve import Resolver

#: Chunks queued per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 2

_worker: Extractor | None = None


def _init(config: ExtractConfig | None, resolver: Resolver | None) -> None:
    global _worker
    _worker = Extractor(config, resolver)


# A mention as plain values: unpickling frozen slotted dataclasses goes through
# ``dataclasses.fields`` per object, which made the parent pay ~2x for every result.
Row = tuple[Relation, EntityKind, str, str, str, tuple[int, int, int, int, str]]
Found = tuple[list[Row], bool, list[tuple[Any, ...]]]


def _run(chunk: list[Paper]) -> list[Found]:
    assert _worker is not None, "worker not initialised"
    return [
        ([_row(m) for m in ex.mentions], ex.releases_code, [r.as_tuple() for r in ex.results])
        for ex in _worker.extract(chunk)
    ]


def _row(m: Mention) -> Row:
    e, ev = m.entity, m.evidence
    spans = (ev.start, ev.end, ev.sentence_start, ev.sentence_end, ev.extractor)
    return (m.relation, e.kind, e.key, e.name, m.surface, spans)


@lru_cache(maxsize=1 << 16)
def _entity(kind: EntityKind, key: str, name: str) -> Entity:
    """Entities recur across papers: one object each, as in a single process."""
    return Entity(kind, key, name)


def _mention(row: Row) -> Mention:
    relation, kind, key, name, surface, spans = row
    return Mention(relation, _entity(kind, key, name), surface, Evidence(*spans))


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
    rules = rules_fingerprint(config or ExtractConfig(), resolver or Resolver.default())
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
            for paper, (rows, releases_code, results) in zip(done, found, strict=True):
                mentions = [_mention(row) for row in rows]
                yield PaperExtraction(
                    paper,
                    mentions,
                    releases_code,
                    extraction_hash(paper, rules),
                    [Result.of(row) for row in results],
                )
