"""Per-record limits of a build, apart from ``kg.jobs.build`` so the CLI can show their defaults
without importing spaCy, and the checks every numeric option gets before any work starts."""

from __future__ import annotations

import os
from dataclasses import dataclass

from kg.errors import UsageError
from kg.ingest.textio import DEFAULT_MAX_RECORD_BYTES

#: Extraction processes per CPU at most: more only queue, and each holds a spaCy pipeline
#: (``-j 100000`` used to fork until the machine ran out of memory).
WORKERS_PER_CPU = 4
#: Most papers per batch: a batch is held in memory whole (16,384 papers took 750 MB).
MAX_BATCH_SIZE = 100_000


def at_least(option: str, value: int, low: int = 1) -> int:
    """``value``, or a UsageError naming ``option`` (batch size 0 used to store nothing and
    exit 0; negative ones crashed)."""
    if value < low:
        raise UsageError(f"{option} must be at least {low}, got {value}")
    return value


def check_workers(workers: int) -> int:
    """``workers`` when it is between 1 and ``WORKERS_PER_CPU`` per CPU of this machine."""
    most = WORKERS_PER_CPU * (os.cpu_count() or 1)
    if not 1 <= workers <= most:
        raise UsageError(
            f"--workers must be between 1 and {most} ({WORKERS_PER_CPU} per CPU), got {workers}"
        )
    return workers


@dataclass(frozen=True)
class Limits:
    """Per-record limits; a record over a limit is bad input, reported with its file."""

    max_title_chars: int = 2_000
    max_abstract_chars: int = 100_000
    # checked before a record is decoded, so a huge one costs neither memory nor time
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    # Papers per store upsert. Each bulk load leaves RocksDB table files to compact, so
    # fewer, larger loads are cheaper: 50k papers built in 104 s with 512, 84 s with 4,096
    # and 76 s with 16,384 (peak RSS 300, 375 and 750 MB).
    batch_size: int = 8_192

    def __post_init__(self) -> None:
        for name in ("max_title_chars", "max_abstract_chars", "max_record_bytes", "batch_size"):
            at_least("--" + name.replace("_", "-"), getattr(self, name))
        if self.batch_size > MAX_BATCH_SIZE:
            raise UsageError(
                f"--batch-size must be at most {MAX_BATCH_SIZE:,}, got {self.batch_size:,}"
            )
