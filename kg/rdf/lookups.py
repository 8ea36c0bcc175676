"""Reading the embedded store's index graph: counts, rankings, pages and pair counts.

``IndexLookups`` is what a reader of a store needs (``kg.rdf.answers`` turns its rows into
named answers); ``kg.rdf.index.IndexGraph`` adds the upkeep a writer does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.errors import StoreError, UsageError
from kg.model import EntityKind
from kg.rdf import pairs as pair_counts
from kg.rdf.pages import PAGE, ListKey, Page, PaperList
from kg.rdf.pairs import Counts as PairCounts
from kg.rdf.pairs import Pairing, PairKey
from kg.rdf.tally import COUNT, PAPER_COUNT, RANKED, RANKING, Key, Ranking
from kg.rdf.terms import P, entity_node, int_literal
from kg.rdf.vocab import KG, KIND_CLASS, PAPER_CLASS, RELATION_PROPERTY
from kg.store.base import PageRow, RankedRow, Stats

# Bound of the in-memory caches (running counts read, labels, pair counts, and the writer's
# entities known stored: a store look-up per entity mention was a sixth of a build's time).
CACHE_ENTRIES_MAX = 1 << 20
STATE = NamedNode(KG + "state")
# What the index graph holds: 4 = running counts, rankings, first pages and pair counts. A
# store whose index lacks this (built by an older kg) is recounted by its next writer.
INDEX_LAYOUT = 4
RANKING_NODE = NamedNode(RANKING)
PAPER_COUNT_NODE = NamedNode(PAPER_COUNT)
_KIND_BY_SEGMENT = {kind.value.lower(): iri for kind, iri in KIND_CLASS.items()}


class IndexLookups:
    """The index graph of one embedded store, over its pyoxigraph ``Store``, read.

    ``path`` names the store in errors. Caches are bounded, and stay true because a
    writer holds the only lock.
    """

    def __init__(
        self,
        store: Store,
        base: str,
        graphs: tuple[NamedNode, NamedNode],
        path: Path | None,
    ) -> None:
        self._store, self.base, self.path = store, base, path
        self.entities_graph, self.index_graph = graphs
        self.writing = Quad(self.index_graph, STATE, Literal("writing"), self.index_graph)
        self._layout = Quad(
            self.index_graph, NamedNode(KG + "layout"), int_literal(INDEX_LAYOUT), self.index_graph
        )
        self._counts: dict[Key, int] = {}
        self._rankings: dict[str, Ranking] = {}
        self._pages: dict[ListKey, tuple[Page, Quad | None]] = {}
        self._labels: dict[str, str] = {}
        self._pairs: dict[PairKey, tuple[PairCounts, Quad | None]] = {}
        self._pair_entries = 0  # counted entities held in ``_pairs``, to bound it

    def _count(self, key: Key) -> int:
        """A running count; the writer holds the only lock, so values read once stay true."""
        if key not in self._counts:
            s, p = NamedNode(key[0]), NamedNode(key[1])
            q = next(iter(self._store.quads_for_pattern(s, p, None, self.index_graph)), None)
            self._counts[key] = int(q.object.value) if q else 0
        return self._counts[key]

    def _kind_of(self, entity_iri: str) -> str:
        return _KIND_BY_SEGMENT[entity_iri[len(self.base) :].split("/", 1)[0]]

    def label(self, entity: str) -> str:
        """Preferred labels are written once, with the entity, so a cache stays true."""
        label = self.stored_label(entity)
        if label is None:
            raise StoreError(f"{self.path}: entity {entity} has no label; rebuild the store")
        return label

    def stored_label(self, entity: str) -> str | None:
        """The entity's preferred label here; None if the entity is not stored here."""
        if entity not in self._labels:
            found = self._store.quads_for_pattern(
                NamedNode(entity), P["prefLabel"], None, self.entities_graph
            )
            quad = next(iter(found), None)
            if quad is None:
                return None
            if len(self._labels) >= CACHE_ENTRIES_MAX:
                self._labels.clear()
            self._labels[entity] = quad.object.value
        return self._labels[entity]

    def labels(self) -> dict[str, str]:
        """Every entity's preferred label here: IRI → label."""
        pattern = (None, P["prefLabel"], None, self.entities_graph)
        return {q.subject.value: q.object.value for q in self._store.quads_for_pattern(*pattern)}

    def _index_literal(self, s: NamedNode, p: NamedNode) -> Quad | None:
        return next(iter(self._store.quads_for_pattern(s, p, None, self.index_graph)), None)

    def _paper_counts(self, kind: str) -> dict[str, int]:
        return {
            q.subject.value: int(q.object.value)
            for q in self._store.quads_for_pattern(None, PAPER_COUNT_NODE, None, self.index_graph)
            if self._kind_of(q.subject.value) == kind
        }

    def ranking(self, kind: EntityKind) -> tuple[int, list[tuple[str, str, int]]]:
        """The kind's ranking as stored: its floor and its (IRI, label, papers) rows."""
        stored = self._index_literal(NamedNode(KIND_CLASS[kind]), RANKING_NODE)
        data: dict[str, Any] = (
            json.loads(stored.object.value) if stored else {"floor": 1, "entities": []}
        )
        return int(data["floor"]), [(e, label, int(n)) for e, label, n in data["entities"]]

    def paper_counts(self, entities: Iterable[str]) -> dict[str, int]:
        """Papers linking each of ``entities`` (one look-up each; 0 when none do)."""
        return {e: self._count((e, PAPER_COUNT)) for e in entities}

    def labelled_paper_counts(self, kind: EntityKind) -> dict[str, tuple[str, int]]:
        """Every entity of ``kind`` that papers link: IRI → (label, papers)."""
        counts = self._paper_counts(KIND_CLASS[kind])
        return {e: (self.label(e), n) for e, n in counts.items() if n}

    def pair_counts(self, pairing: Pairing, entity_key: str) -> PairCounts:
        entity = entity_node(self.base, pairing.asked, entity_key)
        stored = self._index_literal(entity, NamedNode(pairing.predicate))
        return pair_counts.decode(stored.object.value) if stored else {}

    def first_page(
        self, paper_list: PaperList, entity_key: str | None, limit: int | None
    ) -> list[PageRow] | None:
        """The list's first ``limit`` rows from its page; None past ``PAGE`` rows."""
        if limit is None or limit > PAGE:
            return None
        entity = None
        if paper_list.relation is not None:
            if entity_key is None:
                raise UsageError(f"the list of papers {paper_list.relation.value} needs an entity")
            entity = entity_node(self.base, paper_list.relation.kind, entity_key).value
        key = paper_list.key(entity)
        stored = self._index_literal(NamedNode(key[1]), NamedNode(key[0]))
        rows = Page.decode(stored.object.value).rows[:limit] if stored else []
        labels = self.labels_of({code for _, _, codes in rows for code in codes})
        return [
            PageRow(paper, title, min((labels[c] for c in codes if c in labels), default=None))
            for title, paper, codes in rows
        ]

    def ranked(self, kind: EntityKind, limit: int | None) -> list[RankedRow] | None:
        """The top of the kind's ranking; None past ``RANKED`` rows."""
        if limit is None or limit > RANKED:
            return None
        return [RankedRow(label, n) for _, label, n in self.ranking(kind)[1][:limit]]

    def paired(
        self, pairing: Pairing, entity_key: str, limit: int | None
    ) -> list[RankedRow] | None:
        """Entities counted against the asked one, by papers: a first screen from the
        first rows kept, any other ``limit`` from the counts (they are whole)."""
        if limit is not None and limit <= pair_counts.FIRST:
            entity = entity_node(self.base, pairing.asked, entity_key)
            first = self._index_literal(entity, NamedNode(pairing.first_predicate))
            if first is not None:  # kept only for counts longer than the first rows
                rows = pair_counts.decode_first(first.object.value)[:limit]
                return [RankedRow(label, n) for label, n in rows]
        counts = self.pair_counts(pairing, entity_key)
        return [RankedRow(label, n) for label, n in pair_counts.ranked(counts, limit)]

    def labels_of(self, entities: Iterable[str]) -> dict[str, str]:
        """The preferred labels of those of ``entities`` stored here."""
        return {e: label for e in entities if (label := self.stored_label(e)) is not None}

    def holds(self, quad: Quad) -> bool:
        return self._has(*quad)

    def _has(self, s: Any, p: Any, o: Any, g: Any) -> bool:
        """Whether any quad matches (None: any term)."""
        return next(iter(self._store.quads_for_pattern(s, p, o, g)), None) is not None

    def laid_out(self) -> bool:
        """The index has this kg's layout (a store an older kg wrote has another)."""
        return self.holds(self._layout)

    def forget(self) -> None:
        """Drop what was read of the index, labels but: a writer that holds no lock
        reads it afresh when another may have moved it (labels are written once, with
        their entity)."""
        self._counts.clear()
        self._rankings.clear()
        self._pages.clear()
        self._pairs.clear()
        self._pair_entries = 0

    def stats(self) -> Stats:
        """From the running counts: a look-up, not a scan of the graph."""
        return Stats(
            papers=self._count((PAPER_CLASS, COUNT)),
            entities={
                kind.value: n
                for kind in sorted(KIND_CLASS, key=str)
                if (n := self._count((KIND_CLASS[kind], COUNT)))
            },
            edges={
                rel.value: n
                for rel in sorted(RELATION_PROPERTY, key=str)
                if (n := self._count((RELATION_PROPERTY[rel], COUNT)))
            },
        )
