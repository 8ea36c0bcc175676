"""Answers of a store in parts (``kg.rdf.sharded``), merged from each part's own.

Every paper lives in exactly one part, so papers per entity add up across parts and
paper lists interleave by title. A ranking does not merge by addition alone: an entity
just under every part's floor may still top the whole. Each part's ranking holds every
entity at or above its floor, so an entity left out of a part has fewer papers there
than that floor; those bounds decide which counts must be looked up, and when they
cannot decide, every entity is counted. Pure functions; the store does the reading.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from kg.rdf.pairs import Counts
from kg.store.base import PageRow, RankedRow

#: A part's ranking as stored: its floor and its (entity IRI, label, papers) rows.
PartRanking = tuple[int, list[tuple[str, str, int]]]
#: Looks up the papers of some entities in one part: (part index, IRIs) → IRI → papers.
CountLookup = Callable[[int, list[str]], dict[str, int]]


def merged_pairs(parts: Iterable[Counts]) -> Counts:
    """Pair counts of the whole from each part's: papers add up, labels are shared."""
    merged: Counts = {}
    for counts in parts:
        for entity, (label, n) in counts.items():
            row = merged.setdefault(entity, [label, 0])
            row[1] = int(row[1]) + int(n)
    return merged


def merged_page(parts: Iterable[Sequence[PageRow]], limit: int) -> list[PageRow]:
    """The first ``limit`` rows of a paper list from each part's first rows (by title)."""
    ordered = heapq.merge(*parts, key=lambda row: (row.title, row.paper))
    return list(islice(ordered, limit))


def merged_counts(parts: Iterable[dict[str, tuple[str, int]]]) -> list[RankedRow]:
    """Every entity's papers over all parts (IRI → (label, papers) each), best first."""
    total: dict[str, list[str | int]] = {}
    for counts in parts:
        for entity, (label, n) in counts.items():
            row = total.setdefault(entity, [label, 0])
            row[1] = int(row[1]) + n
    return _ordered(total.values())


def merged_top(
    rankings: Sequence[PartRanking], limit: int, lookup: CountLookup
) -> list[RankedRow] | None:
    """The ``limit`` entities with the most papers over all parts, from the parts'
    rankings and the look-ups they call for; None when only counting every entity can
    tell (an entity in no ranking might make the cut)."""
    known: defaultdict[str, int] = defaultdict(int)
    labels: dict[str, str] = {}
    members = [{entity: n for entity, _, n in rows} for _, rows in rankings]
    for _, rows in rankings:
        labels.update((entity, label) for entity, label, _ in rows)
    slack = [floor - 1 for floor, _ in rankings]  # most papers an unranked entity has there
    missing: dict[str, list[int]] = {}
    for entity in labels:
        for part, ranked in enumerate(members):
            if entity in ranked:
                known[entity] += ranked[entity]
            elif slack[part]:
                missing.setdefault(entity, []).append(part)
    lower = sorted(known.values(), reverse=True)
    cut = lower[limit - 1] if len(lower) >= limit else 0
    asked: defaultdict[int, list[str]] = defaultdict(list)
    for entity, parts in missing.items():
        if known[entity] + sum(slack[p] for p in parts) >= cut:
            for part in parts:
                asked[part].append(entity)
    for part, entities in asked.items():
        for entity, n in lookup(part, entities).items():
            known[entity] += n
            missing.pop(entity, None)
    # the rest of ``missing`` is below ``cut``, and at least ``limit`` exact counts reach it
    exact = [(labels[e], n) for e, n in known.items() if e not in missing]
    top = _ordered(exact)[:limit]
    unranked_most = sum(slack)
    if (len(top) < limit and unranked_most) or (top and unranked_most >= top[-1].papers):
        return None
    return top


def _ordered(rows: Iterable[Sequence[str | int]]) -> list[RankedRow]:
    """(label, papers) rows by papers, then label: the named questions' order."""
    return sorted(
        (RankedRow(str(label), int(n)) for label, n in rows),
        key=lambda row: (-row.papers, row.name),
    )
