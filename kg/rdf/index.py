"""The embedded store's index graph: what it keeps so that questions need not scan.

Running counts and rankings (``kg.rdf.tally``), the first page of every paper list
(``kg.rdf.pages``) and pair counts (``kg.rdf.pairs``), each a literal in one named graph,
moved by every upsert and recounted from the data when a build stopped half-way or the
layout changed. Reading them is ``kg.rdf.lookups``'s.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from kg.errors import StoreError
from kg.model import Relation
from kg.rdf import pairs as pair_counts
from kg.rdf.lookups import (
    CACHE_ENTRIES_MAX,
    RANKING_NODE,
    IndexLookups,
)
from kg.rdf.mapping import PAPER_NODE
from kg.rdf.pages import (
    LISTS,
    ListKey,
    Page,
    PageChanges,
    Row,
    lists_of,
    paper_row,
)
from kg.rdf.pairs import FIRST, FIRST_PREDICATE, PAIR_PROPERTIES, PairChanges, PairKey
from kg.rdf.pairs import Counts as PairCounts
from kg.rdf.tally import COUNT, PAPER_COUNT, Ranking, Tally
from kg.rdf.terms import RDF_JSON, RDF_TYPE, P, int_literal
from kg.rdf.vocab import PAPER_CLASS, RELATION_PROPERTY

# Pages a writer keeps decoded; the rest are read again when a batch touches them.
PAGES_CACHED = 1 << 15
_LIST_BY_PREDICATE = {paper_list.predicate: paper_list for paper_list in LISTS}
_LIST_PROPERTIES = tuple(
    NamedNode(RELATION_PROPERTY[relation])
    for relation in dict.fromkeys(
        [*(pl.relation for pl in LISTS if pl.relation), Relation.RELEASES_CODE]
    )
)
Subject = NamedNode | BlankNode | Triple
_RELATIONS = " ".join(f"<{iri}>" for iri in RELATION_PROPERTY.values())


def recount_queries(entities_graph: str) -> tuple[str, ...]:
    """Rows of (subject IRI, count predicate IRI, n) for every running count."""
    return (
        f"SELECT ?s ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a ?s "
        f"VALUES (?s ?c) {{ (<{PAPER_CLASS}> <{COUNT}>) }} }} GROUP BY ?s ?c",
        f"SELECT ?s ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH <{entities_graph}> "
        f"{{ ?x a ?s }} BIND(<{COUNT}> AS ?c) }} GROUP BY ?s ?c",
        f"SELECT ?s ?c (COUNT(*) AS ?n) WHERE {{ VALUES ?s {{ {_RELATIONS} }} ?p ?s ?o "
        f"BIND(<{COUNT}> AS ?c) }} GROUP BY ?s ?c",
        f"SELECT ?s ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {{ VALUES ?r {{ {_RELATIONS} }} "
        f"?p ?r ?s BIND(<{PAPER_COUNT}> AS ?c) }} GROUP BY ?s ?c",
    )


class IndexGraph(IndexLookups):
    """The index graph kept up to date: every upsert moves its counts, rankings, pages
    and pair counts; ``recount`` rebuilds them all from the data."""

    def apply(self, tally: Tally) -> None:
        if len(self._counts) > CACHE_ENTRIES_MAX:
            self._counts.clear()
        added = [self._layout]
        papers_of: dict[str, dict[str, int]] = {}  # kind class → entity → new paper count
        for key, delta in tally.changes().items():
            old = self._count(key)
            s, p = NamedNode(key[0]), NamedNode(key[1])
            if old:
                self._store.remove(Quad(s, p, int_literal(old), self.index_graph))
            if old + delta:
                added.append(Quad(s, p, int_literal(old + delta), self.index_graph))
            self._counts[key] = old + delta
            if key[1] == PAPER_COUNT:
                papers_of.setdefault(self._kind_of(key[0]), {})[key[0]] = old + delta
        self._store.extend(added)
        for kind, papers in papers_of.items():
            self._rank(kind, papers)

    def _ranking(self, kind: str) -> Ranking:
        if kind not in self._rankings:
            stored = self._index_literal(NamedNode(kind), RANKING_NODE)
            data: dict[str, Any] = (
                json.loads(stored.object.value) if stored else {"floor": 1, "entities": []}
            )
            self._labels.update((entity, label) for entity, label, _ in data["entities"])
            members = {entity: n for entity, _, n in data["entities"]}
            self._rankings[kind] = Ranking(
                floor=data["floor"], members=members, cap=max(2 * len(members), Ranking().cap)
            )
        return self._rankings[kind]

    def _rank(self, kind: str, papers: dict[str, int]) -> None:
        """Move ``papers`` (new paper counts of entities of ``kind``) into its ranking."""
        ranking = self._ranking(kind)
        if not ranking.update(papers):  # too few left above the floor: rank them all again
            ranking = self._rankings[kind] = Ranking.of(self._paper_counts(kind))
        ranked = sorted(
            ((entity, self.label(entity), n) for entity, n in ranking.members.items()),
            key=lambda row: (-row[2], row[1]),
        )
        data = json.dumps({"floor": ranking.floor, "entities": ranked}, ensure_ascii=False)
        self._set_index_literal(NamedNode(kind), RANKING_NODE, data)

    def _set_index_literal(self, s: NamedNode, p: NamedNode, value: str | None) -> None:
        """Replace the JSON literal of ``s p`` in the index graph (None: remove it)."""
        if stored := self._index_literal(s, p):
            self._store.remove(stored)
        if value is not None:
            self._store.add(Quad(s, p, Literal(value, datatype=RDF_JSON), self.index_graph))

    def _page(self, key: ListKey) -> tuple[Page, Quad | None]:
        """The list's page, with its quad as stored (None: not stored, an empty list)."""
        if key not in self._pages:
            if len(self._pages) >= PAGES_CACHED:
                self._pages.clear()
            stored = self._index_literal(NamedNode(key[1]), NamedNode(key[0]))
            self._pages[key] = (Page.decode(stored.object.value) if stored else Page(), stored)
        return self._pages[key]

    def _page_literal(self, key: ListKey, page: Page) -> Quad:
        literal = Literal(page.encode(), datatype=RDF_JSON)
        return Quad(NamedNode(key[1]), NamedNode(key[0]), literal, self.index_graph)

    def turn_pages(self, changes: PageChanges) -> None:
        """Write the pages the batch changed: the new ones in one transaction, where a
        transaction each cost 0.12 ms a page."""
        written = []
        for key in changes.touched():
            page, stored = self._page(key)
            if not page.update(changes.removed.get(key, set()), changes.added.get(key, ())):
                continue
            if page.short:
                page = Page.of(self._list_rows(key))
            if stored:
                self._store.remove(stored)
            quad = self._page_literal(key, page) if page.rows else None
            self._pages[key] = (page, quad)
            written += [quad] if quad else []
        self._store.extend(written)

    def _row(self, paper: Subject, edges: set[tuple[str, str]]) -> Row:
        title, ident = (
            next(iter(self._store.quads_for_pattern(paper, P[name], None, None))).object.value
            for name in ("title", "identifier")
        )
        return paper_row(title, ident, edges)

    def _list_edges(self, papers: Iterable[Subject]) -> dict[Subject, set[tuple[str, str]]]:
        """Each paper's edges that decide which lists it is on."""
        return {
            paper: {
                (q.predicate.value, q.object.value)
                for prop in _LIST_PROPERTIES
                for q in self._store.quads_for_pattern(paper, prop, None, None)
            }
            for paper in papers
        }

    def _list_rows(self, key: ListKey) -> Iterator[Row]:
        """Every row of one list, read from the graph."""
        relation = _LIST_BY_PREDICATE[key[0]].relation
        prop = RELATION_PROPERTY[relation or Relation.RELEASES_CODE]
        entity = NamedNode(key[1]) if relation else None
        members = {q.subject for q in self._store.quads_for_pattern(None, NamedNode(prop), entity)}
        for paper, edges in self._list_edges(members).items():
            if key in lists_of(edges):
                yield self._row(paper, edges)

    def _edges_by_paper(
        self, props: Iterable[NamedNode]
    ) -> defaultdict[Subject, set[tuple[str, str]]]:
        """Each paper's (property, entity) edges of ``props``: one scan of each property."""
        edges: defaultdict[Subject, set[tuple[str, str]]] = defaultdict(set)
        for prop in props:
            for q in self._store.quads_for_pattern(None, prop, None, None):
                edges[q.subject].add((prop.value, q.object.value))
        return edges

    def _all_list_rows(self) -> dict[ListKey, list[Row]]:
        """Every row of every list, from one scan of the edges that decide them."""
        rows: defaultdict[ListKey, list[Row]] = defaultdict(list)
        for paper, paper_edges in self._edges_by_paper(_LIST_PROPERTIES).items():
            row = self._row(paper, paper_edges)
            for key in lists_of(paper_edges):
                rows[key].append(row)
        return rows

    def _pair_counts(self, key: PairKey) -> tuple[PairCounts, Quad | None]:
        """The counts of one asked entity, with their quad as stored (None: no pairs)."""
        if key not in self._pairs:
            if self._pair_entries >= CACHE_ENTRIES_MAX:
                self._pairs.clear()
                self._pair_entries = 0
            stored = self._index_literal(NamedNode(key[1]), NamedNode(key[0]))
            counts = pair_counts.decode(stored.object.value) if stored else {}
            self._pairs[key] = (counts, stored)
            self._pair_entries += len(counts)
        return self._pairs[key]

    def count_pairs(self, changes: PairChanges) -> None:
        """Write the pair counts the batch changed, the new literals in one ``extend``."""
        written = []
        for key, delta in changes.changes():
            counts, stored = self._pair_counts(key)
            before = len(counts)
            pair_counts.apply(counts, delta, self.label)
            self._pair_entries += len(counts) - before
            if stored:
                self._store.remove(stored)
            first = NamedNode(key[1]), NamedNode(FIRST_PREDICATE[key[0]])
            if before > FIRST and (stored_first := self._index_literal(*first)):
                self._store.remove(stored_first)
            quads = self._pair_literals(key, counts) if counts else []
            self._pairs[key] = (counts, quads[0] if quads else None)
            written += quads
        self._store.extend(written)

    def _pair_literals(self, key: PairKey, counts: PairCounts) -> list[Quad]:
        """The counts, and the first rows of their answer where there are more rows than
        those (fewer are read and ranked as fast as a first screen)."""
        s, g = NamedNode(key[1]), self.index_graph
        quads = [
            Quad(s, NamedNode(key[0]), Literal(pair_counts.encode(counts), datatype=RDF_JSON), g)
        ]
        if len(counts) > FIRST:
            first = Literal(pair_counts.encode_first(counts), datatype=RDF_JSON)
            quads.append(Quad(s, NamedNode(FIRST_PREDICATE[key[0]]), first, g))
        return quads

    def _all_pair_counts(self) -> Iterator[Quad]:
        """Every pair count from one scan of the edges that make pairs (a recount)."""
        changes = PairChanges()
        for paper_edges in self._edges_by_paper(map(NamedNode, PAIR_PROPERTIES)).values():
            changes.add(paper_edges)
        for key, delta in changes.changes():
            counts: PairCounts = {}
            pair_counts.apply(counts, delta, self.label)
            yield from self._pair_literals(key, counts)

    def _clear(self) -> None:
        """Empty the index graph but for the writing mark."""
        for q in list(self._store.quads_for_pattern(None, None, None, self.index_graph)):
            if q != self.writing:
                self._store.remove(q)

    def check(self, read_only: bool) -> None:
        """Recount after a build that stopped half-way (or a store from before the counts);
        a reader cannot recount, so it says what to do."""
        writing = self.holds(self.writing)
        missing = not self.holds(self._layout) and self._has(None, RDF_TYPE, PAPER_NODE, None)
        if not (writing or missing):
            return
        if read_only:
            why = (
                "the last build stopped before it finished"
                if writing
                else "its counts predate this version of kg"
            )
            raise StoreError(f"{self.path}: {why}; run `kg build` on it again to complete it")
        self.recount()

    def recount(self) -> None:
        """Every count from scratch, by SPARQL over the whole store."""
        self._store.add(self.writing)
        self._clear()
        self._counts.clear()
        self._rankings.clear()
        tally = Tally()
        for query in recount_queries(self.entities_graph.value):
            for row in self._store.query(query, use_default_graph_as_union=True):
                tally.delta[(row["s"].value, row["c"].value)] += int(row["n"].value)
        self.apply(tally)
        self._pages.clear()
        self._store.extend(
            self._page_literal(key, Page.of(rows)) for key, rows in self._all_list_rows().items()
        )
        self._pairs.clear()
        self._pair_entries = 0
        self._store.extend(list(self._all_pair_counts()))
        self._store.remove(self.writing)
