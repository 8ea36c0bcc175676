"""Papers per pair of entities, kept current by every upsert of the embedded store.

``methods-on DATASET`` counts, for every method, the papers evaluated on the dataset that
propose or use it; ``datasets-for METHOD`` the other way round. At a million papers the
most frequent dataset has ten thousand papers and five thousand methods: the SPARQL join
reads every one of those rows (5-7 s), for an answer that a batch changes a little at a
time. So the store keeps, for each entity asked about, the count of papers per entity on
the other side (one JSON literal per entity, in the index graph beside the running
counts and first pages): each upsert adds the pairs its papers bring and takes away the
pairs of the papers they replace. The counts are whole, not a first page, so answers of
any length come from them; beside counts of more than ``FIRST`` entities, the first
``FIRST`` rows of the answer, ranked, so that a first screen reads a few rows and not every
counted entity.

Answers are one row per entity, as every named question counts them (two entities that
happen to share a label stay two rows). Pure bookkeeping here; the store reads and
writes the literals.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kg.model import EntityKind, Relation
from kg.rdf.vocab import KG, RELATION_PROPERTY


@dataclass(frozen=True)
class Pairing:
    """Entities a paper ties by ``of``, counted per entity of kind ``asked`` that the paper
    ties by ``by``: the papers behind each row of one named question."""

    name: str
    asked: EntityKind
    by: frozenset[Relation]
    of: frozenset[Relation]

    @property
    def predicate(self) -> str:
        return f"{KG}pairs{self.name}"

    @property
    def first_predicate(self) -> str:
        """Of the first ``FIRST`` rows of the answer, kept beside the counts."""
        return f"{KG}pairs{self.name}First"


METHODS_ON = Pairing(
    "MethodsOn",
    EntityKind.DATASET,
    frozenset({Relation.EVALUATED_ON}),
    frozenset({Relation.PROPOSES, Relation.USES}),
)
DATASETS_FOR = Pairing(
    "DatasetsFor",
    EntityKind.METHOD,
    frozenset({Relation.PROPOSES, Relation.USES}),
    frozenset({Relation.EVALUATED_ON, Relation.USES_DATASET, Relation.INTRODUCES}),
)
PAIRINGS = (METHODS_ON, DATASETS_FOR)
#: Answers with a limit up to this many rows come from the first rows kept: the counts of
#: the most frequent dataset name thousands of methods, a 400 KB literal to read and rank.
FIRST = 100
#: pairing predicate IRI → the predicate of its first rows
FIRST_PREDICATE = {pairing.predicate: pairing.first_predicate for pairing in PAIRINGS}

#: Relation property IRIs whose edges make pairs: what a recount reads of every paper.
PAIR_PROPERTIES = tuple(
    dict.fromkeys(
        RELATION_PROPERTY[r] for pairing in PAIRINGS for r in sorted(pairing.by | pairing.of)
    )
)
_PROPERTIES = [
    (
        pairing.predicate,
        frozenset(RELATION_PROPERTY[r] for r in pairing.by),
        frozenset(RELATION_PROPERTY[r] for r in pairing.of),
    )
    for pairing in PAIRINGS
]

#: (pairing predicate IRI, IRI of the entity asked about)
PairKey = tuple[str, str]


def pairs_of(edges: Iterable[tuple[str, str]]) -> Iterator[tuple[PairKey, str]]:
    """((pairing predicate, asked entity), counted entity) for each pair of a paper with
    these (relation property, entity) edges; each pair once, however many edges make it."""
    edges = list(edges)
    for predicate, by, of in _PROPERTIES:
        asked = {entity for prop, entity in edges if prop in by}
        if not asked:
            continue
        counted = {entity for prop, entity in edges if prop in of}
        for a in asked:
            for c in counted:
                yield (predicate, a), c


@dataclass
class PairChanges:
    """What one batch adds to and takes from each entity's pair counts."""

    delta: defaultdict[PairKey, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, edges: Iterable[tuple[str, str]], sign: int = 1) -> None:
        for key, counted in pairs_of(edges):
            self.delta[key][counted] += sign

    def remove(self, edges: Iterable[tuple[str, str]]) -> None:
        self.add(edges, -1)

    def changes(self) -> Iterator[tuple[PairKey, dict[str, int]]]:
        """Each touched key with its nonzero changes (a replaced paper often brings back
        the pairs it takes away)."""
        for key, counter in self.delta.items():
            if changed := {entity: d for entity, d in counter.items() if d}:
                yield key, changed


#: counted entity IRI → [label, papers]
Counts = dict[str, list[str | int]]


def apply(counts: Counts, changes: dict[str, int], label: Callable[[str], str]) -> None:
    """Move ``counts`` by ``changes``; an entity new to them gets its ``label``."""
    for entity, d in changes.items():
        row = counts.get(entity)
        n = (int(row[1]) if row else 0) + d
        if n > 0:
            counts[entity] = [row[0] if row else label(entity), n]
        else:
            counts.pop(entity, None)


def encode(counts: Counts) -> str:
    return json.dumps(counts, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> Counts:
    data: Counts = json.loads(text)
    return data


def ranked(counts: Counts, limit: int | None) -> list[tuple[str, int]]:
    """(label, papers) by papers, then label: the named questions' order."""
    rows = ((str(label), int(n)) for label, n in counts.values())
    if limit is not None:
        return heapq.nsmallest(limit, rows, key=_order)  # = sorted(...)[:limit]
    return sorted(rows, key=_order)


def encode_first(counts: Counts) -> str:
    return json.dumps(ranked(counts, FIRST), ensure_ascii=False, separators=(",", ":"))


def decode_first(text: str) -> list[tuple[str, int]]:
    return [(label, n) for label, n in json.loads(text)]


def _order(row: tuple[str, int]) -> tuple[int, str]:
    return -row[1], row[0]
