"""What every bulk importer shares (``kg neo4j import``, ``kg fuseki import``): the
source opened read-only with its faults as bad input, and the imported counts checked.

An importer reads the user's store before it touches its target, so a missing or corrupt
source must fail as input (exit 2) with the target as it was.
"""

from __future__ import annotations

import resource
from pathlib import Path

from kg.errors import InputError, KgError, StoreError
from kg.rdf.directory import read_metadata
from kg.store import Stats, Store, open_store


class CountMismatch(StoreError):
    """The imported graph does not hold what the source holds: like ``kg validate``'s
    violations, the command ran but its result is wrong (exit 1)."""

    exit_code = 1
    code = "KG320"


def peak_rss_mb() -> float:
    """This process's peak resident memory (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def unreadable(source: Path, exc: StoreError) -> KgError:
    """A source that is not a readable kg store is bad input (2); one that another kg
    process is writing stays a busy store (3)."""
    if "kg process" in exc.message:
        return exc
    return InputError(f"{source}: not a readable kg store ({exc.message})")


def open_source(source: Path) -> Store:
    """The embedded store (one or sharded), read-only; missing or corrupt is exit 2."""
    if not source.is_dir():
        raise InputError(f"{source}: no such store directory; build one with `kg build`")
    try:
        if read_metadata(source) is None:
            raise InputError(f"{source}: not a kg store (no kg.json); build one with `kg build`")
        return open_store("oxigraph", path=source, read_only=True)
    except StoreError as exc:
        raise unreadable(source, exc) from None
    except RuntimeError as exc:  # RocksDB's "Corruption: …"
        raise InputError(f"{source}: not a readable kg store ({exc})") from None


def check_counts(expected: Stats, got: Stats) -> None:
    """Papers, entities per kind and edges per relation as in the source, or one line
    naming each that differs."""
    if got == expected:
        return
    diffs = []
    for want, have in (
        ({"Paper": expected.papers}, {"Paper": got.papers}),
        (expected.entities, got.entities),
        (expected.edges, got.edges),
    ):
        for name in sorted(want.keys() | have.keys()):
            if want.get(name, 0) != have.get(name, 0):
                diffs.append(f"{name} {have.get(name, 0)} (source {want.get(name, 0)})")
    raise CountMismatch(f"imported graph differs from the source: {', '.join(diffs)}")
