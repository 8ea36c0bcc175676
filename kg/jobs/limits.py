"""Per-record limits of a build, apart from ``kg.jobs.build`` so the CLI can show their defaults
without importing spaCy."""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import UsageError


@dataclass(frozen=True)
class Limits:
    """Per-record limits; a record over a limit is bad input, reported with its file."""

    max_title_chars: int = 2_000
    max_abstract_chars: int = 100_000
    # Papers per store upsert. Each bulk load leaves RocksDB table files to compact, so
    # fewer, larger loads are cheaper: 50k papers built in 104 s with 512, 84 s with 4,096
    # and 76 s with 16,384 (peak RSS 300, 375 and 750 MB).
    batch_size: int = 8_192

    def __post_init__(self) -> None:
        # batch_size 0 used to store nothing and exit 0; negative ones crashed
        for name in ("max_title_chars", "max_abstract_chars", "batch_size"):
            if getattr(self, name) < 1:
                option = "--" + name.replace("_", "-")
                raise UsageError(f"{option} must be at least 1, got {getattr(self, name)}")
