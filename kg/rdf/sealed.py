"""What a sharded store's writer knows of its sealed shards without opening them.

A sealed shard lists its paper ids in ``papers.txt`` and their sorted 64-bit hashes in
``papers.u64`` (where a changed paper replaces itself), the hashes of its papers'
identity keys in ``keys.u64`` (where a build finds a paper by another of its ids;
appended to as papers change) and the labels of the entities it held first in
``labels.json`` (so every later shard labels them alike). Read into ``kg.keyindex``
maps: 12 bytes a paper, so a writer of 250M papers still fits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from kg.errors import StoreError
from kg.files import write_atomically
from kg.keyindex import MISSING, Hashes, KeyIndex, key_hashes

SEALED = "papers.txt"
#: A sealed shard's paper ids as sorted 64-bit hashes (``kg.keyindex``), read by writers.
SEALED_HASHES = "papers.u64"
#: Hashes of the identity keys of a sealed shard's papers (``Paper.identity_keys``).
SEALED_KEYS = "keys.u64"
#: Labels of the entities a sealed shard was the first to hold (JSON: IRI → label).
FIRST_LABELS = "labels.json"


class SealedLists:
    """Paper id → sealed shard, identity key → sealed shard, and first labels."""

    def __init__(self, read_only: bool) -> None:
        self.read_only = read_only
        self.homes = KeyIndex()
        self.key_homes = KeyIndex()
        self.labels: dict[str, str] = {}  # entity IRI → label in the first shard holding it

    def seal(
        self,
        shard_dir: Path,
        index: int,
        ids: Sequence[str],
        keys: Iterable[str],
        first: dict[str, str],
    ) -> None:
        """Write shard ``index``'s lists (``SEALED`` last: it marks the shard sealed)."""
        write_atomically(shard_dir / FIRST_LABELS, json.dumps(first))
        hashes = _write_hashes(shard_dir / SEALED_HASHES, ids)
        key_list = _write_hashes(shard_dir / SEALED_KEYS, list(keys))
        write_atomically(shard_dir / SEALED, "".join(f"{i}\n" for i in ids))
        self.homes.add(hashes, index)
        self.key_homes.add(key_list, index)
        self.labels.update(first)

    def read(self, shard_dir: Path, index: int, stored_keys: Callable[[], Iterable[str]]) -> None:
        """Take in shard ``index``'s lists; ``stored_keys`` lists the keys of a shard
        sealed before kg kept them (written down then, unless read-only)."""
        try:
            try:
                hashes = _read_hashes(shard_dir / SEALED_HASHES)
            except FileNotFoundError:  # sealed by a kg that kept only the id list
                ids = (shard_dir / SEALED).read_text("utf-8").split()
                hashes = self._listed(shard_dir / SEALED_HASHES, ids)
            try:
                keys = _read_hashes(shard_dir / SEALED_KEYS)
            except FileNotFoundError:
                keys = self._listed(shard_dir / SEALED_KEYS, list(stored_keys()))
            labels = json.loads((shard_dir / FIRST_LABELS).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"{shard_dir}: unreadable shard list ({exc})") from None
        self.homes.add(hashes, index)
        self.key_homes.add(keys, index)
        self.labels.update(labels)

    def note_keys(self, shard_dir: Path, index: int, keys: Iterable[str]) -> None:
        """Papers of sealed shard ``index`` changed: their keys join its list."""
        hashes = key_hashes(keys)
        with (shard_dir / SEALED_KEYS).open("ab") as out:
            out.write(hashes.astype("<u8").tobytes())
        self.key_homes.add(hashes, index)

    def home_of(self, paper_ids: Sequence[str]) -> list[int | None]:
        found = self.homes.find(key_hashes(paper_ids))
        return [None if home == MISSING else int(home) for home in found]

    def holding(self, keys: Sequence[str]) -> set[int]:
        """The sealed shards that may hold a paper with one of ``keys``."""
        return {int(h) for h in self.key_homes.find(key_hashes(keys)) if h != MISSING}

    def _listed(self, path: Path, keys: Sequence[str]) -> Hashes:
        return key_hashes(keys) if self.read_only else _write_hashes(path, keys)


def _read_hashes(path: Path) -> Hashes:
    return np.frombuffer(path.read_bytes(), dtype="<u8").astype(np.uint64)


def _write_hashes(path: Path, keys: Sequence[str]) -> Hashes:
    """Write the keys' sorted hashes and return them."""
    hashes = np.sort(key_hashes(keys))
    write_atomically(path, hashes.astype("<u8").tobytes())
    return hashes
