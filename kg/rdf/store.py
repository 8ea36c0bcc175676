"""The embedded default store: pyoxigraph (RocksDB on disk), queried with SPARQL.

Layout of ``--db DIR``: ``DIR/kg.json`` and ``DIR/kg.lock`` (``kg.rdf.directory``) and
``DIR/oxigraph/`` (the RocksDB store). Each paper is one named graph, entities share one,
and the index graph (``kg.rdf.index``) keeps the counts, rankings, first pages and pair
counts that let named questions answer without a scan (``kg.rdf.answers``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pyoxigraph import NamedNode, Quad, Store

from kg.errors import StoreError, UsageError
from kg.model import Entity, EntityKind, PaperExtraction
from kg.rdf import directory
from kg.rdf.answers import ready_answer
from kg.rdf.identity import HeldKeys, find_identities, stored_keys
from kg.rdf.index import IndexGraph
from kg.rdf.lookups import CACHE_ENTRIES_MAX
from kg.rdf.mapping import (
    PAPER_NODE,
    content_hash_quad,
    entity_quads,
    expand_evidence,
    paper_nodes,
    paper_quads,
    read_paper_graph,
    stored_paper_quads,
)
from kg.rdf.pages import PageChanges, paper_row
from kg.rdf.pairs import PairChanges
from kg.rdf.sparql import run_sparql
from kg.rdf.tally import PaperEdges, Tally
from kg.rdf.terms import RDF_TYPE, P, entity_node
from kg.rdf.vocab import (
    CLASS_KIND,
    DEFAULT_BASE_IRI,
    KIND_CLASS,
    PROPERTY_RELATION,
    check_paper_id,
    entities_graph_iri,
    graph_iri,
    index_graph_iri,
)
from kg.resolve.variants import described_entities
from kg.store import STORES
from kg.store.base import Capability, Stats, Table
from kg.store.base import Store as KgStore

if TYPE_CHECKING:
    from kg.query.named import NamedQuery

# RocksDB keeps writes in its log and memtables until a flush; flushing every ~2k papers
# keeps a long build's memory flat and measured 22 % faster than one flush at the end.
FLUSH_EVERY_QUADS = 200_000
# Below this many new papers a batch is written in one transaction: each bulk load makes
# RocksDB table files, which for a handful of papers costs more than it saves.
BULK_MIN_PAPERS = 64


class OxigraphStore(KgStore):
    name = "oxigraph"
    query_language = "sparql"
    capabilities = frozenset({Capability.QUADS, Capability.DIRECTORY})
    base: str

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
        (another shard of ``kg.rdf.sharded``), so that every part labels it alike."""
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        self._label_for = label_for
        self._unflushed = 0
        self._known_entities: set[str] = set()
        self._held_keys = HeldKeys()
        self._lock: IO[bytes] | None = None
        # evidence as one record per paper on disk, reified in memory (kg.rdf.mapping)
        self.compact_evidence = self.path is not None
        if self.path is None:
            self.base = directory.check_base_iri(base_iri) if base_iri else DEFAULT_BASE_IRI
            self._store = Store()
        else:
            meta = directory.settle(self.path, base_iri, read_only)
            self.base = meta["base_iri"]
            self._lock = directory.take_lock(self.path, read_only)
            try:
                self._store = self._open(self.path, read_only)
            except StoreError:
                if self._lock:
                    self._lock.close()
                raise
        self.entities_graph = NamedNode(entities_graph_iri(self.base))
        self.index_graph = NamedNode(index_graph_iri(self.base))
        self.index = IndexGraph(
            self._store, self.base, (self.entities_graph, self.index_graph), self.path
        )
        self._recount_due = False
        self.index.check(read_only)

    @classmethod
    def open(
        cls,
        path: str | Path = ".kg/db",
        base_iri: str | None = None,
        read_only: bool = False,
        **_: Any,
    ) -> KgStore:
        """The embedded store at ``path``, in whichever layout it was built: one store, or
        the shards that ``--store sharded`` makes (the store registered as ``sharded``)."""
        if directory.is_sharded(Path(path)):
            return STORES.get("sharded").open(path=path, base_iri=base_iri, read_only=read_only)
        return cls(path, base_iri=base_iri, read_only=read_only)

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

    # -- writing -------------------------------------------------------------------------
    def upsert(self, batch: Sequence[PaperExtraction]) -> None:
        """Replace the papers of ``batch``; papers new to the store are bulk-loaded.

        RocksDB's bulk loader writes about 3× faster than a transaction but is not atomic,
        so it writes everything except the content hashes, which a transaction adds after
        it: a paper cut off by a crash has no hash, so the next build extracts it again and
        replaces its partial graph.
        """
        batch = list({ex.paper.id: ex for ex in batch}.values())  # a paper twice: its last
        for ex in batch:
            for key in ex.paper.identity_keys:
                check_paper_id(key)  # before anything is written
        if self._recount_due:
            self.index.recount()
        try:
            self._upsert(batch)
        except BaseException:
            self._recount_due = True  # the counts may hold part of this batch
            raise

    def _upsert(self, batch: Sequence[PaperExtraction]) -> None:
        self._store.add(self.index.writing)  # until the counts below are written too
        tally, pages, pairs = Tally(), PageChanges(), PairChanges()
        fresh: list[PaperExtraction] = []
        stored: list[PaperExtraction] = []
        ids = {ex.paper.id for ex in batch}
        for ex in batch:
            for gone in set(ex.paper.identity_keys) - ids:  # merged into this paper
                self._drop(gone, tally, pages, pairs)
            if self._drop(ex.paper.id, tally, pages, pairs):
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
        self._held_keys.add(k for ex in batch for k in ex.paper.identity_keys)
        self.index.apply(tally)
        self.index.turn_pages(pages)
        self.index.count_pairs(pairs)
        self._store.remove(self.index.writing)
        if self._unflushed >= FLUSH_EVERY_QUADS:
            self.flush()

    def remove(self, paper_ids: Iterable[str]) -> int:
        """Drop stored papers merged into a paper of another shard; returns how many."""
        self._store.add(self.index.writing)
        tally, pages, pairs = Tally(), PageChanges(), PairChanges()
        dropped = sum(self._drop(pid, tally, pages, pairs) for pid in paper_ids)
        self.index.apply(tally)
        self.index.turn_pages(pages)
        self.index.count_pairs(pairs)
        self._store.remove(self.index.writing)
        return dropped

    def identity_keys(self) -> Iterator[str]:
        """Every stored paper's identity keys (a sealed shard lists them)."""
        return stored_keys(self._store, (self.entities_graph, self.index_graph))

    def _drop(self, paper_id: str, tally: Tally, pages: PageChanges, pairs: PairChanges) -> bool:
        """Remove paper ``paper_id``'s graph and its share of the counts; False: none."""
        g = paper_nodes(self.base, paper_id)[1]
        if not self._store.contains_named_graph(g):
            return False
        old = self._stored_edges(paper_id, g)
        tally.remove(old)
        pages.remove(paper_id, old.edges)
        pairs.remove(old.edges)
        self._store.remove_graph(g)
        return True

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
            for entity, surfaces in described_entities(ex).items():
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
    def identities(self, keys: Sequence[str]) -> dict[str, frozenset[str]]:
        held = self._held_keys.among(keys, self.identity_keys)  # new papers: no look-ups
        return find_identities(self._store, held, (self.entities_graph, self.index_graph))

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
            quads = list(self._store.quads_for_pattern(None, None, None, g))
            if quads:
                yield read_paper_graph(quads, entities, self.base)

    def query(
        self, text: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Table:
        if write:
            raise UsageError("the embedded store takes writes from kg build and kg import only")
        return run_sparql(self._store, text, params)

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

    def stored_quads(self) -> Iterator[Quad]:
        """Every quad as stored, the index graph's too: for bulk copies into other stores."""
        return self._store.quads_for_pattern(None, None, None, None)

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

    def stats(self) -> Stats:
        """From the index's running counts: a look-up, not a scan of the graph."""
        return self.index.stats()

    def answer(self, query: NamedQuery, params: dict[str, Any], limit: int | None) -> Table | None:
        return ready_answer(self.index, query, params, limit)

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()
        del self._store, self.index  # both hold RocksDB open until dropped
        if self._lock:
            with suppress(OSError):
                self._lock.close()


class MemoryStore(OxigraphStore):
    """The embedded store held in memory (``--store memory``; a pipeline's ``backend``)."""

    name = "memory"
    capabilities = frozenset({Capability.QUADS})

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        base_iri: str | None = None,
        read_only: bool = False,
        **_: Any,
    ) -> KgStore:
        """A new, empty graph whatever ``path`` and ``read_only`` say: nothing is kept."""
        return cls(None, base_iri=base_iri)
