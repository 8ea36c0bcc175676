"""The compact key index holds every key's value as a dict would, through any merges."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.keyindex import MISSING, KeyIndex, KeyMap, key_hash, key_hashes

Key = st.text(min_size=1, max_size=12)


def test_hashes_are_stable_across_processes_and_spread() -> None:
    # fixed value: a hash that changed between kg versions would orphan sealed shards
    assert key_hash("arxiv:2106.09685") == key_hash("arxiv:2106.09685") == 0xB8583DB80F3F9C92
    ids = [f"arxiv:2401.{i:05d}" for i in range(10_000)]
    assert len(set(key_hashes(ids).tolist())) == len(ids)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(Key, max_size=40), max_size=12), st.lists(Key, max_size=20))
def test_find_answers_as_a_dict(groups: list[list[str]], probes: list[str]) -> None:
    index, expected = KeyIndex(), {}
    for value, keys in enumerate(groups):
        fresh = [k for k in dict.fromkeys(keys) if k not in expected]
        index.add(key_hashes(fresh), value)
        expected.update(dict.fromkeys(fresh, value))
    asked = [*expected, *probes]
    found = index.find(key_hashes(asked)).tolist()
    assert found == [expected.get(k, MISSING) for k in asked]
    assert len(index) == len(expected)


def test_runs_stay_few_as_shards_are_added() -> None:
    index = KeyIndex()
    for shard in range(64):
        index.add(key_hashes(f"p{shard}-{i}" for i in range(100)), shard)
    assert len(index._runs) <= 7  # about log2(64): each key re-sorted a few times, not 64
    found = index.find(key_hashes(["p0-0", "p63-99", "p31-50", "nowhere"]))
    assert found.tolist() == [0, 63, 31, MISSING]
    assert index.find(np.array([], dtype=np.uint64)).tolist() == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(Key, st.integers(0, 2**32 - 1)), max_size=80), st.integers(1, 8))
def test_key_map_answers_as_a_dict_does(items: list[tuple[str, int]], recent: int) -> None:
    """Settled every ``recent`` keys, so most answers come from the compact index."""
    keys, expected = KeyMap(recent=recent), {}
    for key, value in items:
        assert keys.get(key) == expected.get(key)
        if key not in expected:
            keys.put(key, value)
            expected[key] = value
    assert all(keys.get(key) == value for key, value in expected.items())
