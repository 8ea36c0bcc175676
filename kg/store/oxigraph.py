"""The embedded default store: pyoxigraph (RocksDB on disk), queried with SPARQL.

Layout of ``--db DIR``: ``DIR/kg.json`` (format version, base IRI), ``DIR/kg.lock`` and
``DIR/oxigraph/`` (the RocksDB store). One writer or any number of readers: RocksDB
leaves a read-only open beside a writing process undefined (its compactions delete table
files a reader still lists), so ``kg.lock`` is held exclusively by a writer and shared by
readers, and either side that cannot have it gets a clear StoreError, as DuckDB and
SQLite's exclusive mode do.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple, Variable

from kg.errors import QueryError, StoreError, UsageError
from kg.model import Entity, EntityKind, PaperExtraction, Relation
from kg.store import pairs as pair_counts
from kg.store.base import PageRow, RankedRow, Stats, Table
from kg.store.base import Store as KgStore
from kg.store.pages import (
    LISTS,
    PAGE,
    ListKey,
    Page,
    PageChanges,
    PaperList,
    Row,
    lists_of,
    paper_row,
)
from kg.store.pairs import PAIR_PROPERTIES, PairChanges, Pairing, PairKey
from kg.store.pairs import Counts as PairCounts
from kg.store.rdf_mapping import (
    PAPER_NODE,
    RDF_JSON,
    RDF_TYPE,
    P,
    content_hash_quad,
    entity_node,
    entity_quads,
    expand_evidence,
    int_literal,
    paper_nodes,
    paper_quads,
    read_paper_graph,
    stored_paper_quads,
)
from kg.store.tally import (
    COUNT,
    PAPER_COUNT,
    RANKED,
    RANKING,
    Key,
    PaperEdges,
    Ranking,
    Tally,
)
from kg.vocab import (
    CLASS_KIND,
    DEFAULT_BASE_IRI,
    KG,
    KIND_CLASS,
    PAPER_CLASS,
    PREFIXES,
    PROPERTY_RELATION,
    RELATION_PROPERTY,
    entities_graph_iri,
    graph_iri,
    index_graph_iri,
)

FORMAT_VERSION = 1
# RocksDB keeps writes in its log and memtables until a flush; flushing every ~2k papers
# keeps a long build's memory flat and measured 22 % faster than one flush at the end.
FLUSH_EVERY_QUADS = 200_000
# Bound of the writer's in-memory caches (entities known stored, running counts read): a
# store look-up per entity mention was a sixth of a large build's time.
CACHE_ENTRIES_MAX = 1 << 20
# Below this many new papers a batch is written in one transaction: each bulk load makes
# RocksDB table files, which for a handful of papers costs more than it saves.
BULK_MIN_PAPERS = 64
STATE = NamedNode(KG + "state")
# What the index graph holds: 4 = running counts, rankings, first pages and pair counts. A
# store whose index lacks this (built by an older kg) is recounted by its next writer.
INDEX_LAYOUT = 4
RANKING_NODE = NamedNode(RANKING)
PAPER_COUNT_NODE = NamedNode(PAPER_COUNT)
_KIND_BY_SEGMENT = {kind.value.lower(): iri for kind, iri in KIND_CLASS.items()}
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


def _to_python(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith("#integer") or dt.endswith("#int") or dt.endswith("#long"):
            return int(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        if dt.endswith("#decimal") or dt.endswith("#double"):
            return float(term.value)
    return term.value


def _to_term(value: Any) -> Any:
    if isinstance(value, bool):
        return Literal(
            "true" if value else "false",
            datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean"),
        )
    if isinstance(value, int):
        return Literal(str(value), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return Literal(str(value))


class OxigraphStore:
    name = "oxigraph"
    query_language = "sparql"

    def __init__(
        self,
        path: str | Path | None,
        base_iri: str | None = None,
        read_only: bool = False,
        label_for: Callable[[str], str | None] | None = None,
    ) -> None:
        """``path=None`` keeps the graph in memory: nothing written, gone with the process
        (notebooks, one-shot ``kg run`` pipelines, exports of a graph built on the spot).
        ``label_for`` gives the preferred label an entity new here already has elsewhere
        (another shard of ``kg.store.sharded``), so that every part labels it alike."""
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        self._label_for = label_for
        self._unflushed = 0
        self._known_entities: set[str] = set()
        self._lock: IO[bytes] | None = None
        # evidence as one record per paper on disk, reified in memory (kg.store.rdf_mapping)
        self.compact_evidence = self.path is not None
        if self.path is None:
            self.base = base_iri or DEFAULT_BASE_IRI
            self._store = Store()
        else:
            self.base = self._settle_base_iri(self.path, base_iri, read_only)
            self._lock = self._take_lock(self.path, read_only)
            try:
                self._store = self._open(self.path, read_only)
            except StoreError:
                if self._lock:
                    self._lock.close()
                raise
        self.entities_graph = NamedNode(entities_graph_iri(self.base))
        self.index_graph = NamedNode(index_graph_iri(self.base))
        self._writing = Quad(self.index_graph, STATE, Literal("writing"), self.index_graph)
        self._layout = Quad(
            self.index_graph, NamedNode(KG + "layout"), int_literal(INDEX_LAYOUT), self.index_graph
        )
        self._counts: dict[Key, int] = {}
        self._rankings: dict[str, Ranking] = {}
        self._pages: dict[ListKey, tuple[Page, Quad | None]] = {}
        self._labels: dict[str, str] = {}
        self._pairs: dict[PairKey, tuple[PairCounts, Quad | None]] = {}
        self._pair_entries = 0  # counted entities held in ``_pairs``, to bound it
        self._recount_due = False
        self._check_index()

    @staticmethod
    def _take_lock(path: Path, read_only: bool) -> IO[bytes] | None:
        """Exclusive for a writer, shared for readers; held until ``close``."""
        lock_path = path / "kg.lock"
        try:
            # a reader of a store on a read-only disk (or from before kg.lock) skips it
            fh = open(lock_path, "rb" if read_only else "ab")  # noqa: SIM115
        except OSError:
            if read_only:
                return None
            raise StoreError(
                f"{path}: cannot create {lock_path.name} (store not writable)"
            ) from None
        try:
            fcntl.flock(fh, (fcntl.LOCK_SH if read_only else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            if read_only:
                raise StoreError(
                    f"{path}: a kg process is writing this store; query it when that ends"
                ) from None
            raise StoreError(
                f"{path}: store is in use by another kg process; wait "
                "for it to finish or use another --db"
            ) from None
        return fh

    @staticmethod
    def _open(path: Path, read_only: bool) -> Store:
        try:
            if read_only:
                return Store.read_only(str(path / "oxigraph"))
            return Store(str(path / "oxigraph"))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"{path}: store is in use by another kg process; wait "
                    "for it to finish or use another --db"
                ) from None
            raise StoreError(f"{path}: cannot open store ({exc})") from None

    @staticmethod
    def _settle_base_iri(path: Path, base_iri: str | None, read_only: bool) -> str:
        meta_path = path / "kg.json"
        if meta_path.exists():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise StoreError(f"{meta_path}: unreadable store metadata ({exc})") from None
            if "shard_papers" in meta:
                raise StoreError(f"{path}: a sharded store; open it with --store sharded")
            stored = str(meta.get("base_iri", DEFAULT_BASE_IRI))
            if base_iri and base_iri != stored:
                raise StoreError(
                    f"{path}: store was built with base IRI {stored}; "
                    f"cannot add data under {base_iri}"
                )
            return stored
        if read_only:
            raise StoreError(f"{path}: no kg store here; build one with `kg build`")
        base = base_iri or DEFAULT_BASE_IRI
        try:
            path.mkdir(parents=True, exist_ok=True)
            # write then rename: a build killed here never leaves a truncated kg.json
            tmp = meta_path.with_name(f"{meta_path.name}.{os.getpid()}.tmp")
            tmp.write_text(
                json.dumps({"format": FORMAT_VERSION, "base_iri": base}), encoding="utf-8"
            )
            os.replace(tmp, meta_path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create store ({exc.strerror})") from None
        return base

    # -- writing -------------------------------------------------------------------------
    def upsert(self, batch: Sequence[PaperExtraction]) -> None:
        """Replace the papers of ``batch``; papers new to the store are bulk-loaded.

        RocksDB's bulk loader writes about 3× faster than a transaction but is not atomic,
        so it writes everything except the content hashes, which a transaction adds after
        it: a paper cut off by a crash has no hash, so the next build extracts it again and
        replaces its partial graph.
        """
        if self._recount_due:
            self._recount()
        try:
            self._upsert(batch)
        except BaseException:
            self._recount_due = True  # the counts may hold part of this batch
            raise

    def _upsert(self, batch: Sequence[PaperExtraction]) -> None:
        self._store.add(self._writing)  # until the counts below are written too
        tally, pages, pairs = Tally(), PageChanges(), PairChanges()
        fresh: list[PaperExtraction] = []
        stored: list[PaperExtraction] = []
        for ex in batch:
            g = paper_nodes(self.base, ex.paper.id)[1]
            if self._store.contains_named_graph(g):
                old = self._stored_edges(ex.paper.id, g)
                tally.remove(old)
                pages.remove(ex.paper.id, old.edges)
                pairs.remove(old.edges)
                self._store.remove_graph(g)
                stored.append(ex)
            else:
                fresh.append(ex)
            new = PaperEdges.of(self.base, ex)
            tally.add(new)
            pages.add(paper_row(ex.paper.title, ex.paper.id, new.edges), new.edges)
            pairs.add(new.edges)
        new_entities: dict[str, EntityKind] = {}
        if len(fresh) >= BULK_MIN_PAPERS:
            self._store.bulk_extend(self._quads(fresh, new_entities, content_hash=False))
            self._store.extend([content_hash_quad(self.base, ex) for ex in fresh])
        else:
            stored += fresh
        if stored:
            quads = list(self._quads(stored, new_entities, content_hash=True))
            self._store.extend(quads)
            self._unflushed += len(quads)
        tally.new_entities(KIND_CLASS[kind] for kind in new_entities.values())
        self._apply(tally)
        self._turn_pages(pages)
        self._count_pairs(pairs)
        self._store.remove(self._writing)
        if self._unflushed >= FLUSH_EVERY_QUADS:
            self.flush()

    def _quads(
        self,
        batch: Sequence[PaperExtraction],
        new_entities: dict[str, EntityKind],
        content_hash: bool,
    ) -> Iterator[Quad]:
        """The batch's quads; entities first written here are added to ``new_entities``."""
        paper = stored_paper_quads if self.compact_evidence else paper_quads
        for ex in batch:
            yield from paper(self.base, ex, content_hash)
            for entity, surfaces in self._entity_surfaces(ex).items():
                is_new = entity.id not in new_entities and not self._has_entity(entity)
                if is_new:
                    new_entities[entity.id] = entity.kind
                    if self._label_for is not None:
                        entity = self._labelled(entity)
                yield from entity_quads(self.base, entity, surfaces, self.entities_graph, is_new)

    def _labelled(self, entity: Entity) -> Entity:
        """``entity`` under the label it has elsewhere, if it has one."""
        assert self._label_for is not None
        label = self._label_for(entity_node(self.base, entity.kind, entity.key).value)
        return entity if label is None or label == entity.name else replace(entity, name=label)

    def _stored_edges(self, paper_id: str, g: NamedNode) -> PaperEdges:
        s = paper_nodes(self.base, paper_id)[0]
        edges, is_paper = set(), False
        for q in self._store.quads_for_pattern(s, None, None, g):
            p = q.predicate.value
            if p in PROPERTY_RELATION:
                edges.add((p, q.object.value))
            elif q.predicate == RDF_TYPE and q.object == PAPER_NODE:
                is_paper = True
        return PaperEdges(is_paper, frozenset(edges))

    # -- running counts (kg.store.tally) ------------------------------------------------
    def _count(self, key: Key) -> int:
        """A running count; the writer holds the only lock, so values read once stay true."""
        if key not in self._counts:
            s, p = NamedNode(key[0]), NamedNode(key[1])
            q = next(iter(self._store.quads_for_pattern(s, p, None, self.index_graph)), None)
            self._counts[key] = int(q.object.value) if q else 0
        return self._counts[key]

    def _apply(self, tally: Tally) -> None:
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

    # -- rankings (kg.store.tally.Ranking): top-n answers without reading every entity --
    def _kind_of(self, entity_iri: str) -> str:
        return _KIND_BY_SEGMENT[entity_iri[len(self.base) :].split("/", 1)[0]]

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
            ((entity, self._label(entity), n) for entity, n in ranking.members.items()),
            key=lambda row: (-row[2], row[1]),
        )
        data = json.dumps({"floor": ranking.floor, "entities": ranked}, ensure_ascii=False)
        self._set_index_literal(NamedNode(kind), RANKING_NODE, data)

    def _label(self, entity: str) -> str:
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

    def _set_index_literal(self, s: NamedNode, p: NamedNode, value: str | None) -> None:
        """Replace the JSON literal of ``s p`` in the index graph (None: remove it)."""
        if stored := self._index_literal(s, p):
            self._store.remove(stored)
        if value is not None:
            self._store.add(Quad(s, p, Literal(value, datatype=RDF_JSON), self.index_graph))

    def _paper_counts(self, kind: str) -> dict[str, int]:
        return {
            q.subject.value: int(q.object.value)
            for q in self._store.quads_for_pattern(None, PAPER_COUNT_NODE, None, self.index_graph)
            if self._kind_of(q.subject.value) == kind
        }

    # -- first pages of the paper lists (kg.store.pages) --------------------------------
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

    def _turn_pages(self, changes: PageChanges) -> None:
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

    # -- papers per pair of entities (kg.store.pairs) -----------------------------------
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

    def _count_pairs(self, changes: PairChanges) -> None:
        """Write the pair counts the batch changed, the new literals in one ``extend``."""
        written = []
        for key, delta in changes.changes():
            counts, stored = self._pair_counts(key)
            before = len(counts)
            pair_counts.apply(counts, delta, self._label)
            self._pair_entries += len(counts) - before
            if stored:
                self._store.remove(stored)
            quad = self._pair_literal(key, counts) if counts else None
            self._pairs[key] = (counts, quad)
            written += [quad] if quad else []
        self._store.extend(written)

    def _pair_literal(self, key: PairKey, counts: PairCounts) -> Quad:
        literal = Literal(pair_counts.encode(counts), datatype=RDF_JSON)
        return Quad(NamedNode(key[1]), NamedNode(key[0]), literal, self.index_graph)

    def _all_pair_counts(self) -> Iterator[Quad]:
        """Every pair count from one scan of the edges that make pairs (a recount)."""
        changes = PairChanges()
        for paper_edges in self._edges_by_paper(map(NamedNode, PAIR_PROPERTIES)).values():
            changes.add(paper_edges)
        for key, delta in changes.changes():
            counts: PairCounts = {}
            pair_counts.apply(counts, delta, self._label)
            yield self._pair_literal(key, counts)

    def _check_index(self) -> None:
        """Recount after a build that stopped half-way (or a store from before the counts);
        a reader cannot recount, so it says what to do."""
        writing = next(iter(self._store.quads_for_pattern(*self._writing)), None) is not None
        missing = next(iter(self._store.quads_for_pattern(*self._layout)), None) is None and (
            next(iter(self._store.quads_for_pattern(None, RDF_TYPE, PAPER_NODE, None)), None)
            is not None
        )
        if not (writing or missing):
            return
        if self.read_only:
            why = (
                "the last build stopped before it finished"
                if writing
                else "its counts predate this version of kg"
            )
            raise StoreError(f"{self.path}: {why}; run `kg build` on it again to complete it")
        self._recount()

    def _recount(self) -> None:
        """Every count from scratch, by SPARQL over the whole store."""
        self._store.add(self._writing)
        for q in list(self._store.quads_for_pattern(None, None, None, self.index_graph)):
            if q != self._writing:
                self._store.remove(q)
        self._counts.clear()
        self._rankings.clear()
        tally = Tally()
        for query in recount_queries(self.entities_graph.value):
            for row in self.query(query).rows:
                tally.delta[(row[0], row[1])] += row[2]
        self._apply(tally)
        self._pages.clear()
        self._store.extend(
            self._page_literal(key, Page.of(rows)) for key, rows in self._all_list_rows().items()
        )
        self._pairs.clear()
        self._pair_entries = 0
        self._store.extend(list(self._all_pair_counts()))
        self._store.remove(self._writing)
        self._recount_due = False

    @staticmethod
    def _entity_surfaces(ex: PaperExtraction) -> dict[Entity, list[str]]:
        out: dict[Entity, list[str]] = {}
        for m in ex.mentions:
            forms = out.setdefault(m.entity, [])
            if m.surface not in forms:
                forms.append(m.surface)
        return out

    def _has_entity(self, entity: Entity) -> bool:
        """Entities are never removed, so a bounded set remembers the ones seen stored."""
        if entity.id in self._known_entities:
            return True
        s = entity_node(self.base, entity.kind, entity.key)
        pattern = self._store.quads_for_pattern(s, P["key"], None, self.entities_graph)
        if next(iter(pattern), None) is None:
            return False
        if len(self._known_entities) >= CACHE_ENTRIES_MAX:
            self._known_entities.clear()
        self._known_entities.add(entity.id)
        return True

    def flush(self) -> None:
        self._store.flush()
        self._unflushed = 0

    # -- reading -------------------------------------------------------------------------
    def content_hashes(self, paper_ids: Sequence[str]) -> dict[str, str]:
        out = {}
        for pid in paper_ids:
            s, g = paper_nodes(self.base, pid)
            for q in self._store.quads_for_pattern(s, P["contentHash"], None, g):
                out[pid] = q.object.value
        return out

    def _entities(self) -> dict[str, Entity]:
        entities: dict[str, Entity] = {}
        labels: dict[str, str] = {}
        keys: dict[str, str] = {}
        for q in self._store.quads_for_pattern(None, None, None, self.entities_graph):
            p = q.predicate.value
            if p == P["prefLabel"].value:
                labels[q.subject.value] = q.object.value
            elif p == P["key"].value:
                keys[q.subject.value] = q.object.value
            elif q.object.value in CLASS_KIND:
                entities[q.subject.value] = Entity(CLASS_KIND[q.object.value], "", "")
        return {
            iri: Entity(e.kind, keys.get(iri, ""), labels.get(iri, keys.get(iri, "")))
            for iri, e in entities.items()
        }

    def extractions(self, paper_ids: Iterable[str] | None = None) -> Iterator[PaperExtraction]:
        entities = self._entities()
        if paper_ids is None:
            graphs = sorted(
                (
                    g
                    for g in self._store.named_graphs()
                    if g not in (self.entities_graph, self.index_graph)
                ),
                key=lambda g: g.value,
            )
        else:
            graphs = [NamedNode(graph_iri(self.base, pid)) for pid in paper_ids]
        for g in graphs:
            quads = list(
                expand_evidence(self.base, self._store.quads_for_pattern(None, None, None, g))
            )
            if quads:
                yield read_paper_graph(quads, entities)

    def query(self, text: str, params: dict[str, Any] | None = None) -> Table:
        try:
            subs = {Variable(k): _to_term(v) for k, v in (params or {}).items()}
        except ValueError as exc:
            raise UsageError(f"bad query parameter ({exc}): {sorted(params or {})}") from None
        try:
            result = self._store.query(
                text, prefixes=PREFIXES, substitutions=subs, use_default_graph_as_union=True
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (RuntimeError, ValueError) as exc:  # e.g. a --param naming no projected variable
            raise QueryError(f"SPARQL query rejected: {exc}") from None
        if isinstance(result, bool) or not hasattr(result, "variables"):
            if hasattr(result, "__bool__") and not hasattr(result, "__iter__"):
                return Table(["result"], [(bool(result),)])
            return Table(
                ["subject", "predicate", "object"],
                [(t.subject.value, t.predicate.value, t.object.value) for t in result],
            )
        columns = [v.value for v in result.variables]
        rows = [tuple(_to_python(sol[c]) for c in columns) for sol in result]
        return Table(columns, rows)

    def quads(self) -> Iterator[Quad]:
        """Every quad of the graph as exports carry it (evidence reified), for streaming
        exports; the running counts are not data."""
        index = self.index_graph
        quads = (
            q
            for q in self._store.quads_for_pattern(None, None, None, None)
            if q.graph_name != index
        )
        return expand_evidence(self.base, quads) if self.compact_evidence else quads

    def paper_ids(self) -> Iterator[str]:
        """Every stored paper's id, including one a crash cut off before its hash."""
        for q in self._store.quads_for_pattern(None, P["identifier"], None, None):
            if q.graph_name not in (self.entities_graph, self.index_graph):
                yield q.object.value

    def has_papers(self, paper_ids: Iterable[str]) -> set[str]:
        """The ids among ``paper_ids`` with a graph here (whole or cut off by a crash)."""
        return {
            pid
            for pid in paper_ids
            if self._store.contains_named_graph(paper_nodes(self.base, pid)[1])
        }

    def entity_iris(self, kind: EntityKind) -> set[str]:
        pattern = (None, RDF_TYPE, NamedNode(KIND_CLASS[kind]), self.entities_graph)
        return {q.subject.value for q in self._store.quads_for_pattern(*pattern)}

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
        return {e: (self._label(e), n) for e, n in counts.items() if n}

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
        return [PageRow(paper, title, self._first_label(codes)) for title, paper, codes in rows]

    def ranked(self, kind: EntityKind, limit: int | None) -> list[RankedRow] | None:
        """The top of the kind's ranking; None past ``RANKED`` rows."""
        if limit is None or limit > RANKED:
            return None
        return [RankedRow(label, n) for _, label, n in self.ranking(kind)[1][:limit]]

    def paired(
        self, pairing: Pairing, entity_key: str, limit: int | None
    ) -> list[RankedRow] | None:
        """Entities counted against the asked one, by papers (any ``limit``: the counts
        are whole)."""
        counts = self.pair_counts(pairing, entity_key)
        return [RankedRow(label, n) for label, n in pair_counts.ranked(counts, limit)]

    def _first_label(self, entities: Iterable[str]) -> str | None:
        labels = (
            q.object.value
            for e in entities
            for q in self._store.quads_for_pattern(
                NamedNode(e), P["prefLabel"], None, self.entities_graph
            )
        )
        return min(labels, default=None)

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

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()
        del self._store
        if self._lock:
            with suppress(OSError):
                self._lock.close()

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_oxigraph(
    path: str | Path = ".kg/db", base_iri: str | None = None, read_only: bool = False, **_: Any
) -> KgStore:
    """The embedded store at ``path``, in whichever layout it was built: one store, or
    shards (``kg.store.sharded``, made with ``--store sharded``)."""
    if _is_sharded(Path(path)):
        from kg.store.sharded import ShardedStore

        return ShardedStore(path, base_iri=base_iri, read_only=read_only)
    return OxigraphStore(path, base_iri=base_iri, read_only=read_only)


def _is_sharded(path: Path) -> bool:
    try:
        return "shard_papers" in json.loads((path / "kg.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return False  # none yet, or unreadable: the store's own open says which


def open_memory(base_iri: str | None = None, **_: Any) -> OxigraphStore:
    """The embedded store held in memory (``--store memory``; a pipeline's ``backend``)."""
    return OxigraphStore(None, base_iri=base_iri)
