"""Running counts of the embedded store, kept current by every upsert.

``stats`` and the top-* questions need how many papers, entities of each kind, edges of
each relation, and papers per entity there are. Counting them with SPARQL scans every
edge: seconds at a million papers, for an answer that changes by a batch at a time. So
each upsert adds what its papers bring and takes away what the papers they replace had,
and the counts live as quads in a graph of their own (left out of exports: they are
derived, and any store that imports the graph counts again).

Each kind also keeps a ranking: the entities with at least ``floor`` papers, between
``RANKED`` and twice as many (ties kept whole), stored as one JSON literal per kind with
their labels in answer order. Every entity above the floor is in it, so the top *n* of a
kind for any n ≤ RANKED is read from that literal instead of from every entity of the
kind (top-methods read 18k methods at 100k papers).

Pure bookkeeping here; the store reads and writes the quads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.model import PaperExtraction
from kg.rdf.terms import entity_node
from kg.rdf.vocab import KG, PAPER_CLASS, RELATION_PROPERTY

#: Predicate of a running total on a class (papers, entities of a kind) or a relation.
COUNT = KG + "count"
#: Predicate of the number of papers linking an entity, by any relation.
PAPER_COUNT = KG + "paperCount"

#: Predicate of a kind's ranking: ``{"floor": n, "entities": [[IRI, label, papers], …]}``.
RANKING = KG + "ranking"
#: Top-n answers up to this n come from the ranking.
RANKED = 256

Key = tuple[str, str]  # (subject IRI, COUNT or PAPER_COUNT)


@dataclass(frozen=True)
class PaperEdges:
    """What one stored paper contributes to the counts."""

    is_paper: bool
    edges: frozenset[tuple[str, str]]  # (relation property IRI, entity IRI)

    @classmethod
    def of(cls, base: str, ex: PaperExtraction) -> PaperEdges:
        return cls(
            True,
            frozenset(
                (
                    RELATION_PROPERTY[m.relation],
                    entity_node(base, m.entity.kind, m.entity.key).value,
                )
                for m in ex.mentions
            ),
        )


@dataclass
class Tally:
    """Changes to the counts from one batch; zero changes are dropped when applied."""

    delta: Counter[Key] = field(default_factory=Counter)

    def add(self, paper: PaperEdges, sign: int = 1) -> None:
        self.delta[(PAPER_CLASS, COUNT)] += sign * paper.is_paper
        for relation, _ in paper.edges:
            self.delta[(relation, COUNT)] += sign
        for entity in {entity for _, entity in paper.edges}:
            self.delta[(entity, PAPER_COUNT)] += sign

    def remove(self, paper: PaperEdges) -> None:
        self.add(paper, -1)

    def new_entities(self, kinds: Iterable[str]) -> None:
        """Entity kinds (class IRIs) of entities first written by this batch."""
        for kind in kinds:
            self.delta[(kind, COUNT)] += 1

    def changes(self) -> dict[Key, int]:
        return {key: d for key, d in self.delta.items() if d}


@dataclass
class Ranking:
    """One kind's ranked entities (IRI → papers): all those with at least ``floor``."""

    floor: int = 1
    members: dict[str, int] = field(default_factory=dict)
    #: size at which to try raising the floor again (ties can keep it from rising)
    cap: int = field(default_factory=lambda: 2 * RANKED)

    @classmethod
    def of(cls, counts: dict[str, int]) -> Ranking:
        """From the paper counts of every entity of the kind."""
        ranking = cls()
        ranking.update(counts)
        return ranking

    def update(self, counts: dict[str, int]) -> bool:
        """Take new paper counts of some entities; False when too few entities are left
        above the floor for the ranking to answer a top-RANKED (rebuild it with ``of``)."""
        for entity, n in counts.items():
            if n >= self.floor and n > 0:
                self.members[entity] = n
            else:
                self.members.pop(entity, None)
        if len(self.members) > self.cap:
            self.floor = max(self.floor, sorted(self.members.values(), reverse=True)[RANKED - 1])
            self.members = {e: n for e, n in self.members.items() if n >= self.floor}
            self.cap = max(2 * RANKED, 2 * len(self.members))
        return len(self.members) >= RANKED or self.floor == 1
