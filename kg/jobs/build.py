"""``build``: sources → papers → extraction → store, streaming in bounded batches.

Two passes over the input: the first only reads (cheap) so that bad input is reported
before anything is written and the progress bar knows its total; the second extracts and
upserts batch by batch, skipping papers whose content hash the store already has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TypeVar

from kg.errors import InputError
from kg.extract import Extractor
from kg.extract.parallel import extract_parallel
from kg.ingest import BadRecordHandler, SkipCounter, iter_papers, raise_bad
from kg.ingest.identity import (
    Duplicate,
    StreamIdentity,
    against_store,
    extractions_against_store,
)
from kg.jobs.limits import Limits, check_workers
from kg.model import PAPER_FIELDS, Paper, PaperExtraction, extraction_hash
from kg.rdf.vocab import check_paper_id
from kg.store.base import Stats, Store

ProgressCallback = Callable[[int], None]
T = TypeVar("T")


@dataclass
class BuildReport:
    papers_read: int = 0
    papers_written: int = 0
    papers_unchanged: int = 0
    #: papers stored under another id before, merged into the id they have now
    papers_merged: int = 0
    skipped: list[InputError] = field(default_factory=list)
    #: records read once already: the same paper as an earlier record of the input
    duplicates: list[Duplicate] = field(default_factory=list)
    stats: Stats | None = None


#: Lone UTF-16 surrogates: JSON escapes like "\ud800" decode to them, and no store can
#: encode them (they used to crash the build half-way with an internal error).
_SURROGATE = re.compile("[\ud800-\udfff]")


def invalid_text_field(paper: Paper) -> str | None:
    """The first field of ``paper`` holding a lone surrogate, if any."""
    for f in PAPER_FIELDS:
        value = getattr(paper, f.name)
        if any(
            v and not v.isascii() and _SURROGATE.search(v) for v in (value if f.many else [value])
        ):
            return f.name
    return None


def _reserved_id(paper: Paper) -> InputError | None:
    try:
        check_paper_id(paper.id)
    except InputError as exc:
        return InputError(f"{paper.source}: {exc.message}")
    return None


def checked_papers(
    sources: Sequence[str | Path],
    fmt: str | None,
    limits: Limits,
    on_bad: BadRecordHandler,
    identity: StreamIdentity | None = None,
) -> Iterator[Paper]:
    """Papers from ``sources`` that are within ``limits``; others go to ``on_bad``."""
    for paper in iter_papers(sources, fmt, on_bad, limits.max_record_bytes, identity):
        bad_field = invalid_text_field(paper)
        if reserved := _reserved_id(paper):
            on_bad(reserved)
        elif bad_field:
            on_bad(
                InputError(
                    f"{ascii(paper.source)[1:-1]}: {bad_field} is not valid Unicode (a lone "
                    "surrogate such as a \\ud800 escape); fix or drop that record"
                )
            )
        elif len(paper.title) > limits.max_title_chars:
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
    identity: StreamIdentity | None = None,
) -> tuple[int, list[InputError]]:
    """Read everything once without storing: (papers found, bad records skipped).
    ``identity`` learns which records are one paper, for the pass that writes.

    Without ``skip_bad`` the first bad record raises, so a build fails before writing.
    """
    identity = StreamIdentity(named=frozenset()) if identity is None else identity
    return counted(
        lambda on_bad: checked_papers(sources, fmt, limits, on_bad, identity),
        skip_bad,
        ", ".join(map(str, sources)),
    )


def counted(
    read: Callable[[BadRecordHandler], Iterable[object]], skip_bad: bool, what: str
) -> tuple[int, list[InputError]]:
    """The check pass of any two-pass write: (records ``read`` yields, bad ones skipped)."""
    counter = SkipCounter()
    n = sum(1 for _ in read(counter if skip_bad else raise_bad))
    if n == 0:
        skipped = f" ({len(counter.errors)} bad record(s) skipped)" if counter.errors else ""
        raise InputError(f"no papers found in {what}{skipped}")
    return n, counter.errors


@dataclass
class Recheck:
    """``on_bad`` of the write pass: a bad record the check pass did not meet was added (or
    changed) in between, so stop instead of skipping it unseen."""

    known: set[str]

    def __call__(self, error: InputError) -> None:
        if str(error) not in self.known:
            raise InputError(
                f"{error.message} (this record changed after the input was checked; "
                "re-run once the input is complete)"
            )


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
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
    workers: int = 1,
) -> BuildReport:
    """Ingest, extract and upsert; idempotent, and incremental by content hash."""
    check_workers(workers)
    first_read = StreamIdentity(named=frozenset())
    total, skipped = scan(sources, fmt, limits, skip_bad, first_read)
    if on_total:
        on_total(total)
    extractor = extractor or Extractor()
    report = BuildReport(papers_read=total, skipped=skipped)
    identity = first_read.hand_over()
    report.duplicates = identity.duplicates

    def changed_papers() -> Iterator[Paper]:
        recheck = Recheck(set(map(str, skipped)))
        papers = checked_papers(sources, fmt, limits, recheck, identity)
        rules = extractor.fingerprint
        for batch in batched(papers, limits.batch_size):
            if progress:
                progress(len(batch))
            batch, replacing = against_store(batch, store)
            batch = once_each(batch, report.duplicates)
            known = store.content_hashes([p.id for p in batch])
            todo = [
                p
                for p in batch
                if p.id in replacing or known.get(p.id) != extraction_hash(p, rules)
            ]
            report.papers_written += len(todo)
            report.papers_unchanged += len(batch) - len(todo)
            report.papers_merged += len(replacing)
            yield from todo

    extractions = _extract(changed_papers(), extractor, workers, ahead=limits.batch_size)
    store_extractions(extractions, store, limits.batch_size)
    report.stats = store.stats()
    return report


def once_each(batch: list[Paper], duplicates: list[Duplicate]) -> list[Paper]:
    """``batch`` with a paper that two records turned out to be (both merged into one
    stored paper) kept once; the later record joins ``duplicates``."""
    seen: dict[str, str] = {}
    out = []
    for paper in batch:
        if paper.id in seen:
            duplicates.append(Duplicate(paper.source, seen[paper.id], "same stored paper"))
            continue
        seen[paper.id] = paper.source
        out.append(paper)
    return out


def store_extractions(
    extractions: Iterable[PaperExtraction],
    store: Store,
    batch_size: int = 1000,
    progress: ProgressCallback | None = None,
    merge: bool = False,
) -> int:
    """Upsert ready-made extractions in batches; returns how many papers were stored.

    Each batch is one ``upsert`` that replaces the papers it holds, so re-running after a
    crash or a stopped server completes the load without duplicates. With ``merge``, a
    paper the store holds under another id is merged into it first (``against_store``):
    for extractions that did not come from this store.
    """
    done = 0
    for batch in batched(extractions, batch_size):
        if merge:
            batch = extractions_against_store(batch, store)
        store.upsert(batch)
        done += len(batch)
        if progress:
            progress(len(batch))
    return done


def _extract(
    papers: Iterable[Paper], extractor: Extractor, workers: int, ahead: int = 0
) -> Iterator[PaperExtraction]:
    """In process, or over a pool of ``workers`` processes that keep the input order."""
    if workers <= 1:
        return extractor.extract(papers)
    return extract_parallel(
        papers, workers, config=extractor.config, resolver=extractor.resolver, ahead=ahead
    )


def extract_records(
    sources: Sequence[str | Path],
    *,
    fmt: str | None = None,
    extractor: Extractor | None = None,
    limits: Limits = Limits(),
    skip_bad: bool = False,
    workers: int = 1,
) -> Iterator[PaperExtraction]:
    """Extraction without a store (``kg extract``): validated first, then streamed."""
    check_workers(workers)
    first_read = StreamIdentity(named=frozenset())
    _, skipped = scan(sources, fmt, limits, skip_bad, first_read)
    recheck = Recheck(set(map(str, skipped)))
    papers = checked_papers(sources, fmt, limits, recheck, first_read.hand_over())
    return _extract(papers, extractor or Extractor(), workers)
