"""``build``: sources → papers → extraction → store, streaming in bounded batches.

Two passes over the input: the first only reads (cheap) so that bad input is reported
before anything is written and the progress bar knows its total; the second extracts and
upserts batch by batch, skipping papers whose content hash the store already has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from kg.errors import InputError
from kg.extract import Extractor
from kg.ingest import BadRecordHandler, SkipCounter, iter_papers, raise_bad
from kg.model import Paper, PaperExtraction
from kg.store.base import Stats, Store

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class Limits:
    """Per-record limits; a record over a limit is bad input, reported with its file."""

    max_title_chars: int = 2_000
    max_abstract_chars: int = 100_000
    batch_size: int = 512


@dataclass
class BuildReport:
    papers_read: int = 0
    papers_written: int = 0
    papers_unchanged: int = 0
    skipped: list[InputError] = field(default_factory=list)
    stats: Stats | None = None


def checked_papers(
    sources: Sequence[str | Path], fmt: str | None, limits: Limits, on_bad: BadRecordHandler
) -> Iterator[Paper]:
    """Papers from ``sources`` that are within ``limits``; others go to ``on_bad``."""
    for paper in iter_papers(sources, fmt, on_bad):
        if len(paper.title) > limits.max_title_chars:
            on_bad(
                InputError(
                    f"{paper.source}: title has {len(paper.title):,} characters, over "
                    f"the limit of {limits.max_title_chars:,} (--max-title-chars)"
                )
            )
        elif len(paper.abstract) > limits.max_abstract_chars:
            on_bad(
                InputError(
                    f"{paper.source}: abstract has {len(paper.abstract):,} characters, "
                    f"over the limit of {limits.max_abstract_chars:,} "
                    "(--max-abstract-chars)"
                )
            )
        else:
            yield paper


def scan(
    sources: Sequence[str | Path],
    fmt: str | None = None,
    limits: Limits = Limits(),
    skip_bad: bool = False,
) -> tuple[int, list[InputError]]:
    """Read everything once without storing: (papers found, bad records skipped).

    Without ``skip_bad`` the first bad record raises, so a build fails before writing.
    """
    counter = SkipCounter()
    n = sum(1 for _ in checked_papers(sources, fmt, limits, counter if skip_bad else raise_bad))
    if n == 0:
        raise InputError(f"no papers found in {', '.join(map(str, sources))}")
    return n, counter.errors


def batched(items: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def build(
    sources: Sequence[str | Path],
    store: Store,
    *,
    fmt: str | None = None,
    extractor: Extractor | None = None,
    limits: Limits = Limits(),
    skip_bad: bool = False,
    progress: ProgressCallback | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BuildReport:
    """Ingest, extract and upsert; idempotent, and incremental by content hash."""
    total, skipped = scan(sources, fmt, limits, skip_bad)
    if on_total:
        on_total(total)
    extractor = extractor or Extractor()
    report = BuildReport(papers_read=total, skipped=skipped)
    papers = checked_papers(sources, fmt, limits, SkipCounter())
    for batch in batched(papers, limits.batch_size):
        known = store.content_hashes([p.id for p in batch])
        todo = [p for p in batch if known.get(p.id) != p.content_hash]
        if todo:
            store.upsert(list(extractor.extract(todo)))
        report.papers_written += len(todo)
        report.papers_unchanged += len(batch) - len(todo)
        if progress:
            progress(len(batch))
    report.stats = store.stats()
    return report


def extract_records(
    sources: Sequence[str | Path],
    *,
    fmt: str | None = None,
    extractor: Extractor | None = None,
    limits: Limits = Limits(),
    skip_bad: bool = False,
) -> Iterator[PaperExtraction]:
    """Extraction without a store (``kg extract``): validated first, then streamed."""
    scan(sources, fmt, limits, skip_bad)
    extractor = extractor or Extractor()
    papers = checked_papers(sources, fmt, limits, SkipCounter())
    for batch in batched(papers, limits.batch_size):
        yield from extractor.extract(batch)
