"""Compact maps and sets of string keys, for the keys that grow with a corpus.

A Python dict or set of paper ids costs ~100-170 bytes a key: ~25 GB for the shard of every
paper in a 250M-paper store. Here a key is its stable 64-bit hash, kept in sorted numpy
runs beside its value (12 bytes a key; 8 in a set). Runs merge when a newer one grows to
half the size of the one before (as an LSM tree's levels do), so a look-up searches
O(log n) runs and every key is re-sorted O(log n) times in all. Two keys of one 64-bit hash are one key
here: with n keys that happens with odds of about n² / 2⁶⁵ (0.2 % at 250M), and callers
must make such a merge harmless (a shard map then files a new paper under an old one's
shard, where it is stored and found alike).
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import blake2b

import numpy as np
import numpy.typing as npt

Hashes = npt.NDArray[np.uint64]
Values = npt.NDArray[np.uint32]
#: Value of a key that is not in the index.
MISSING = -1


def key_hash(key: str) -> int:
    """A stable 64-bit hash (the same in every process, unlike ``hash``)."""
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def key_hashes(keys: Iterable[str]) -> Hashes:
    return np.fromiter((key_hash(k) for k in keys), dtype=np.uint64)


class KeyIndex:
    """Key hash → value (0 ≤ value < 2³²), added in bulk, looked up in bulk. A run whose
    keys share one value keeps it as a number (a set of keys costs 8 bytes a key)."""

    def __init__(self) -> None:
        self._runs: list[tuple[Hashes, Values | int]] = []

    def __len__(self) -> int:
        return sum(len(hashes) for hashes, _ in self._runs)

    def add(self, hashes: Hashes, value: int | Values = 0) -> None:
        """File ``hashes`` under ``value`` (one for all, or one each)."""
        if not len(hashes):
            return
        if isinstance(value, int):
            self._runs.append((np.sort(hashes), value))
        else:
            order = np.argsort(hashes, kind="stable")
            self._runs.append((hashes[order], value[order]))
        while len(self._runs) > 1 and 2 * len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            newer, older = self._runs.pop(), self._runs.pop()
            merged = np.concatenate([older[0], newer[0]])
            if isinstance(older[1], int) and isinstance(newer[1], int) and older[1] == newer[1]:
                merged.sort()
                self._runs.append((merged, older[1]))
                continue
            values = np.concatenate([_values(*older), _values(*newer)])
            order = np.argsort(merged, kind="stable")
            self._runs.append((merged[order], values[order]))

    def contains(self, hash_: int) -> bool:
        value = np.uint64(hash_)
        for run, _ in self._runs:
            at = int(run.searchsorted(value))
            if at < len(run) and run[at] == value:
                return True
        return False

    def find(self, hashes: Hashes) -> npt.NDArray[np.int64]:
        """Each hash's value, or ``MISSING``."""
        found = np.full(len(hashes), MISSING, dtype=np.int64)
        for run, values in self._runs:
            at = np.minimum(np.searchsorted(run, hashes), len(run) - 1)
            hit = run[at] == hashes
            found[hit] = values if isinstance(values, int) else values[at[hit]]
        return found


def _values(hashes: Hashes, values: Values | int) -> Values:
    if isinstance(values, int):
        return np.full(len(hashes), values, dtype=np.uint32)
    return values


class KeyMap:
    """Key → number (< 2³²) for streams too long for a dict of strings: the latest
    ``recent`` in a dict of hashes, the others in a KeyIndex."""

    def __init__(self, recent: int = 1 << 16) -> None:
        self._recent: dict[int, int] = {}
        self._settled = KeyIndex()
        self._limit = recent

    def get(self, key: str) -> int | None:
        h = key_hash(key)
        if (value := self._recent.get(h)) is not None:
            return value
        found = int(self._settled.find(np.array([h], dtype=np.uint64))[0])
        return None if found == MISSING else found

    def put(self, key: str, value: int) -> None:
        self._recent[key_hash(key)] = value
        if len(self._recent) >= self._limit:
            hashes = np.fromiter(self._recent.keys(), np.uint64, len(self._recent))
            values = np.fromiter(self._recent.values(), np.uint32, len(self._recent))
            self._settled.add(hashes, values)
            self._recent.clear()
