"""Compact maps from string keys to small integers, for the keys that grow with a corpus.

A Python dict or set of paper ids costs ~100-170 bytes a key: ~25 GB for the shard of every
paper in a 250M-paper store. Here a key is its stable 64-bit hash, kept in sorted numpy
runs beside its value (12 bytes a key). Runs merge when a newer one grows to half the size
of the one before (as an LSM tree's levels do), so a look-up searches O(log n) runs and
every key is re-sorted O(log n) times in all. Two keys of one 64-bit hash are one key
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
#: Value of a key that is not in the index.
MISSING = -1


def key_hash(key: str) -> int:
    """A stable 64-bit hash (the same in every process, unlike ``hash``)."""
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def key_hashes(keys: Iterable[str]) -> Hashes:
    return np.fromiter((key_hash(k) for k in keys), dtype=np.uint64)


class KeyIndex:
    """Key hash → value (0 ≤ value < 2³²), added in bulk, looked up in bulk."""

    def __init__(self) -> None:
        self._runs: list[tuple[Hashes, npt.NDArray[np.uint32]]] = []

    def __len__(self) -> int:
        return sum(len(hashes) for hashes, _ in self._runs)

    def add(self, hashes: Hashes, value: int) -> None:
        """File ``hashes`` under ``value``."""
        if not len(hashes):
            return
        self._runs.append((np.sort(hashes), np.full(len(hashes), value, dtype=np.uint32)))
        while len(self._runs) > 1 and 2 * len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            newer, older = self._runs.pop(), self._runs.pop()
            merged = np.concatenate([older[0], newer[0]])
            values = np.concatenate([older[1], newer[1]])
            order = np.argsort(merged, kind="stable")
            self._runs.append((merged[order], values[order]))

    def find(self, hashes: Hashes) -> npt.NDArray[np.int64]:
        """Each hash's value, or ``MISSING``."""
        found = np.full(len(hashes), MISSING, dtype=np.int64)
        for run, values in self._runs:
            at = np.minimum(np.searchsorted(run, hashes), len(run) - 1)
            hit = run[at] == hashes
            found[hit] = values[at[hit]]
        return found
