"""A ``--db`` directory: its metadata (``kg.json``) and its lock (``kg.lock``).

Both embedded layouts, one store and shards, live in such a directory. One writer or any
number of readers: RocksDB leaves a read-only open beside a writing process undefined
(its compactions delete table files a reader still lists), so ``kg.lock`` is held
exclusively by a writer and shared by readers, and either side that cannot have it gets
a clear StoreError, as DuckDB and SQLite's exclusive mode do.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from pyoxigraph import NamedNode

from kg.errors import StoreError, UsageError
from kg.files import write_atomically
from kg.rdf.vocab import DEFAULT_BASE_IRI

FORMAT_VERSION = 1
META = "kg.json"
LOCK = "kg.lock"
#: The key of ``kg.json`` that marks a sharded layout (its papers per shard).
SHARDED_KEY = "shard_papers"


def check_base_iri(base_iri: str) -> str:
    """``base_iri`` when every IRI minted under it is one: absolute, without spaces or
    other characters IRIs forbid. Checked before a store saves it (a bad one used to be
    saved, and every later command on that store failed)."""
    try:
        NamedNode(base_iri + "paper")
    except ValueError as exc:
        raise UsageError(f"--base-iri {base_iri!r} is not an absolute IRI ({exc})") from None
    return base_iri


def read_metadata(path: Path) -> dict[str, Any] | None:
    """``kg.json`` of the store at ``path``; None where there is none yet."""
    meta_path = path / META
    if not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"{meta_path}: unreadable store metadata ({exc})") from None
    if not isinstance(meta, dict):
        raise StoreError(f"{meta_path}: unreadable store metadata (not a JSON object)")
    return meta


def is_sharded(path: Path) -> bool:
    """Whether ``path`` holds a sharded store (False too when it holds none yet)."""
    try:
        return SHARDED_KEY in (read_metadata(path) or {})
    except StoreError:
        return False  # unreadable: the store's own open says so


def settle(
    path: Path,
    base_iri: str | None,
    read_only: bool,
    sharded: bool = False,
    layout: Callable[[], dict[str, Any]] = dict,
) -> dict[str, Any]:
    """The store's metadata: read from ``kg.json``, checked against the layout asked for
    (sharded or not) and ``base_iri``; or, for a writer of a new store, written there
    with the entries ``layout`` gives (asked only then). A bad ``base_iri`` is a usage
    error whatever the store holds."""
    if base_iri:
        check_base_iri(base_iri)
    meta = read_metadata(path)
    if meta is not None:
        if sharded and SHARDED_KEY not in meta:
            raise StoreError(f"{path}: one embedded store, not sharded; use --store oxigraph")
        if not sharded and SHARDED_KEY in meta:
            raise StoreError(f"{path}: a sharded store; open it with --store sharded")
        stored = str(meta.get("base_iri", DEFAULT_BASE_IRI))
        try:
            check_base_iri(stored)
        except UsageError as exc:
            raise StoreError(
                f"{path}: store metadata holds a bad base IRI ({exc.message})"
            ) from None
        if base_iri and base_iri != stored:
            raise StoreError(
                f"{path}: store was built with base IRI {stored}; cannot add data under {base_iri}"
            )
        return {**meta, "base_iri": stored}
    if read_only:
        raise StoreError(f"{path}: no kg store here; build one with `kg build`")
    meta = {"format": FORMAT_VERSION, "base_iri": base_iri or DEFAULT_BASE_IRI, **layout()}
    try:
        path.mkdir(parents=True, exist_ok=True)
        write_atomically(path / META, json.dumps(meta))
    except OSError as exc:
        raise StoreError(f"{path}: cannot create store ({exc.strerror})") from None
    return meta


def take_lock(path: Path, read_only: bool) -> IO[bytes] | None:
    """Exclusive for a writer, shared for readers; held until the returned file closes."""
    lock_path = path / LOCK
    try:
        # a reader of a store on a read-only disk (or from before kg.lock) skips it
        fh = open(lock_path, "rb" if read_only else "ab")  # noqa: SIM115
    except OSError:
        if read_only:
            return None
        raise StoreError(f"{path}: cannot create {LOCK} (store not writable)") from None
    try:
        fcntl.flock(fh, (fcntl.LOCK_SH if read_only else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        if read_only:
            raise StoreError(
                f"{path}: a kg process is writing this store; query it when that ends"
            ) from None
        raise StoreError(
            f"{path}: store is in use by another kg process; wait "
            "for it to finish or use another --db"
        ) from None
    return fh
