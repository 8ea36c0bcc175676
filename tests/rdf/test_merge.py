from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.rdf.merge import (
    PartRanking,
    merged_counts,
    merged_page,
    merged_pairs,
    merged_top,
)
from kg.store.base import PageRow, RankedRow

ENTITIES = [f"e{i}" for i in range(30)]
LABELS = {e: f"label {int(e[1:]) % 12}" for e in ENTITIES}  # some entities share a label

part_counts = st.dictionaries(st.sampled_from(ENTITIES), st.integers(0, 25), max_size=30)
parts = st.lists(st.tuples(part_counts, st.integers(1, 12)), min_size=1, max_size=6)


def _ranking(counts: dict[str, int], floor: int) -> PartRanking:
    """What a shard stores: every entity with at least ``floor`` papers (kg.rdf.tally)."""
    rows = [(e, LABELS[e], n) for e, n in counts.items() if n >= floor and n > 0]
    return floor, sorted(rows, key=lambda row: (-row[2], row[1]))


def _truth(counts: list[dict[str, int]]) -> list[RankedRow]:
    total = Counter[str]()
    for part in counts:
        total.update(part)
    rows = [RankedRow(LABELS[e], n) for e, n in total.items() if n > 0]
    return sorted(rows, key=lambda row: (-row.papers, row.name))


@settings(max_examples=300, deadline=None)
@given(parts, st.integers(1, 15))
def test_the_top_from_part_rankings_is_the_top_of_the_whole(
    generated: list[tuple[dict[str, int], int]], limit: int
) -> None:
    counts = [part for part, _ in generated]
    rankings = [_ranking(part, floor) for part, floor in generated]
    looked_up: list[tuple[int, str]] = []

    def lookup(part: int, entities: list[str]) -> dict[str, int]:
        looked_up.extend((part, e) for e in entities)
        return {e: counts[part].get(e, 0) for e in entities}

    top = merged_top(rankings, limit, lookup)
    if top is not None:
        assert top == _truth(counts)[:limit]
    assert len(looked_up) == len(set(looked_up))  # nothing asked twice
    labelled = [{e: (LABELS[e], n) for e, n in part.items() if n} for part in counts]
    assert merged_counts(labelled) == _truth(counts)


def test_rankings_that_decide_need_no_full_count() -> None:
    # one entity far ahead in every part, the rest under the floors: the ranking decides
    counts = [{"e1": 20, "e2": 3, "e3": 1}, {"e1": 15, "e3": 4}, {"e2": 2, "e1": 9}]
    rankings = [_ranking(part, 5) for part in counts]
    asked: list[str] = []

    def lookup(part: int, entities: list[str]) -> dict[str, int]:
        asked.extend(entities)
        return {e: counts[part].get(e, 0) for e in entities}

    assert merged_top(rankings, 1, lookup) == [RankedRow(LABELS["e1"], 44)]
    assert asked == []
    # two rows: the second place is under every floor, so only a full count can tell
    assert merged_top(rankings, 2, lookup) is None


def test_pair_counts_add_up_and_pages_interleave_by_title() -> None:
    merged = merged_pairs([{"m1": ["BERT", 2], "m2": ["GPT", 1]}, {"m1": ["BERT", 3]}])
    assert merged == {"m1": ["BERT", 5], "m2": ["GPT", 1]}
    a = [PageRow("p1", "Alpha", None), PageRow("p3", "Gamma", "https://github.com/g/g")]
    b = [PageRow("p2", "Beta", None), PageRow("p0", "Gamma", None)]
    assert [row.paper for row in merged_page([a, b], 3)] == ["p1", "p2", "p0"]
