"""The embedded store in shards of bounded size, for builds past a million papers.

One embedded store's cost per paper grows with its size: each bulk load makes RocksDB
table files that overlap the whole store's hashed keys, so compaction rewrites more of
it as it grows (x1.28 per paper from 100k to 1M, docs/scaling.md). Here papers fill one
shard (an ordinary ``kg.rdf.store`` store) up to ``shard_papers``, which is then
sealed, and the next shard takes new papers: a build's cost per paper stays that of a
shard's size, however many papers there are.

Layout of ``--db DIR``: ``DIR/kg.json`` (format, base IRI, papers per shard), ``DIR/kg.lock``
and ``DIR/shards/00000/`` … (each an embedded store). A sealed shard lists its papers and
their identity keys (``kg.rdf.sealed``: the writer's shard map) and its counts in
``counts.json``; a paper's shard never changes, so a changed paper replaces itself in its
own shard. Every paper lives in one shard, so named questions merge the shards' answers
exactly (``kg.rdf.merge``); raw SPARQL runs on each shard and their rows are
concatenated, which is exact for patterns within a paper and per shard for aggregates.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pyoxigraph import Quad

from kg.errors import StoreError, UsageError
from kg.files import write_atomically
from kg.model import EntityKind, PaperExtraction
from kg.rdf import directory, merge
from kg.rdf.answers import ready_answer
from kg.rdf.directory import SHARDED_KEY
from kg.rdf.pages import PAGE, PaperList
from kg.rdf.pairs import Pairing
from kg.rdf.pairs import ranked as ranked_pairs
from kg.rdf.sealed import SEALED, SealedLists
from kg.rdf.store import OxigraphStore
from kg.store.base import Capability, PageRow, RankedRow, Stats, Table
from kg.store.base import Store as KgStore

if TYPE_CHECKING:
    from kg.query.named import NamedQuery

#: Papers per shard unless ``KG_SHARD_PAPERS`` says otherwise when the store is created:
#: one store's cost per paper grows by x1.12 from 10k to 100k papers (docs/scaling.md).
SHARD_PAPERS = 50_000
#: A sealed shard's counts (JSON: papers, edges, entity IRIs by kind), so that a store's
#: stats read a file per sealed shard rather than every shard's entities (12 s at 1M
#: papers). Removed before any write to the shard; written again when next counted.
SEALED_COUNTS = "counts.json"


class ShardedStore(KgStore):
    name = "sharded"
    query_language = "sparql"
    capabilities = frozenset({Capability.QUADS, Capability.DIRECTORY})

    def __init__(
        self,
        path: str | Path,
        base_iri: str | None = None,
        read_only: bool = False,
        shard_papers: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        meta = directory.settle(
            self.path,
            base_iri,
            read_only,
            sharded=True,
            layout=lambda: {SHARDED_KEY: shard_papers or _env_shard_papers()},
        )
        self.base, self.shard_papers = meta["base_iri"], int(meta[SHARDED_KEY])
        self._lock: IO[bytes] | None = directory.take_lock(self.path, read_only)
        # shards are opened when first needed; a writer closes each as it seals it, so
        # its caches (bounded per shard) do not pile up shard after shard
        self._opened: dict[int, OxigraphStore] = {}
        # read from the sealed shards' lists on a writer's first upsert
        self._sealed = SealedLists(read_only)
        self._sealed_read = False
        self.shard_count = len(list((self.path / "shards").glob("[0-9]" * 5)))
        try:
            if not read_only and (not self.shard_count or self._is_sealed(self.shard_count - 1)):
                self._add_shard()
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(
        cls,
        path: str | Path = ".kg/db",
        base_iri: str | None = None,
        read_only: bool = False,
        shard_papers: int | None = None,
        **_: Any,
    ) -> ShardedStore:
        return cls(path, base_iri=base_iri, read_only=read_only, shard_papers=shard_papers)

    @property
    def parts(self) -> int:
        return self.shard_count

    # -- shards ---------------------------------------------------------------------------
    def _shard_dir(self, index: int) -> Path:
        return self.path / "shards" / f"{index:05d}"

    def _is_sealed(self, index: int) -> bool:
        return (self._shard_dir(index) / SEALED).exists()

    def shard(self, index: int, write: bool = False) -> OxigraphStore:
        """Shard ``index``, opened on first use. A writer opens sealed shards read-only
        until it writes to one: a writable open of a bulk-loaded shard starts RocksDB's
        pending compactions, and the close waits for them (seconds a shard)."""
        writable = not self.read_only and (write or index == self.shard_count - 1)
        opened = self._opened.get(index)
        if opened is not None and (writable <= (not opened.read_only)):
            return opened
        if opened is not None:
            opened.close()  # a read-only handle would keep the writer from its lock
        shard_dir = self._shard_dir(index)
        if not writable:
            try:
                store = OxigraphStore(shard_dir, self.base, read_only=True)
            except StoreError:
                if self.read_only:
                    raise
                writable = True  # e.g. a replacement here stopped half-way: recount it
        if writable:
            store = OxigraphStore(shard_dir, self.base, label_for=self._label_for(index))
        self._opened[index] = store
        return store

    def _label_for(self, index: int) -> Callable[[str], str | None]:
        """Where shard ``index`` finds the label of an entity it writes for the first
        time: the first shard that held it, so every shard labels it alike."""

        def label_for(entity: str) -> str | None:
            if (label := self._sealed.labels.get(entity)) is not None:
                return label
            last = self.shard_count - 1
            return self.shard(last).index.stored_label(entity) if index != last else None

        return label_for

    @property
    def shards(self) -> Iterator[OxigraphStore]:
        return (self.shard(index) for index in range(self.shard_count))

    def _add_shard(self) -> None:
        self.shard_count += 1
        self.shard(self.shard_count - 1)

    def _seal(self) -> None:
        """List the open shard's papers (which makes it sealed), close it, open the next."""
        index = self.shard_count - 1
        shard = self.shard(index)
        ids = sorted(set(shard.paper_ids()))
        labels = self._sealed.labels
        first = {e: label for e, label in shard.index.labels().items() if e not in labels}
        self._write_counts(index, *self._count(index))
        self._sealed.seal(self._shard_dir(index), index, ids, shard.identity_keys(), first)
        self._opened.pop(index).close()
        self._add_shard()

    def homes(self, paper_ids: Sequence[str]) -> list[int | None]:
        """Index of the sealed shard holding each paper; None: not in a sealed shard."""
        if not self._sealed_read:
            self._sealed_read = True
            for index in range(self.shard_count):
                if self._is_sealed(index):
                    self._sealed.read(self._shard_dir(index), index, self._keys_of(index))
        return self._sealed.home_of(paper_ids)

    def _keys_of(self, index: int) -> Callable[[], Iterable[str]]:
        """Shard ``index``'s identity keys, read only when asked (an old shard's)."""
        return lambda: self.shard(index).identity_keys()

    def _by_shard(self, paper_ids: Iterable[str]) -> dict[int, list[str]]:
        ids, last = list(paper_ids), self.shard_count - 1
        groups: defaultdict[int, list[str]] = defaultdict(list)
        for pid, home in zip(ids, self.homes(ids), strict=True):
            groups[last if home is None else home].append(pid)
        return groups

    # -- writing --------------------------------------------------------------------------
    def upsert(self, batch: Sequence[PaperExtraction]) -> None:
        """Each paper replaces itself in its shard; new papers fill the open shard, and
        the next one once it holds ``shard_papers``."""
        homes = self.homes([ex.paper.id for ex in batch])
        by_shard: defaultdict[int, list[PaperExtraction]] = defaultdict(list)
        rest: list[PaperExtraction] = []
        for ex, home in zip(batch, homes, strict=True):
            if home is not None:
                by_shard[home].append(ex)
            else:
                rest.append(ex)
        for index, group in by_shard.items():
            (self._shard_dir(index) / SEALED_COUNTS).unlink(missing_ok=True)
            self.shard(index, write=True).upsert(group)
            keys = (k for ex in group for k in ex.paper.identity_keys)
            self._sealed.note_keys(self._shard_dir(index), index, keys)
        while rest:
            shard = self.shard(self.shard_count - 1)
            present = shard.has_papers(ex.paper.id for ex in rest)
            room = max(self.shard_papers - shard.stats().papers, 0)
            fits = [ex for ex in rest if ex.paper.id in present]
            new = [ex for ex in rest if ex.paper.id not in present]
            fits += new[:room]
            rest = new[room:]
            if fits:
                shard.upsert(fits)
            if shard.stats().papers >= self.shard_papers:
                self._seal()
        self._drop_merged(batch)

    def _drop_merged(self, batch: Sequence[PaperExtraction]) -> None:
        """Remove the papers of other shards that a paper of ``batch`` was merged from
        (the contract's upsert; each shard's own upsert already dropped its own)."""
        ids = {ex.paper.id for ex in batch}
        gone = sorted({k for ex in batch for k in ex.paper.identity_keys} - ids)
        for index, found in self._by_shard(gone).items():
            if present := self.shard(index).has_papers(found):
                (self._shard_dir(index) / SEALED_COUNTS).unlink(missing_ok=True)
                self.shard(index, write=True).remove(present)

    def flush(self) -> None:
        for shard in self._opened.values():
            if not shard.read_only:
                shard.flush()

    # -- reading --------------------------------------------------------------------------
    def identities(self, keys: Sequence[str]) -> dict[str, frozenset[str]]:
        """Asked of the open shard and of the sealed shards whose key lists hold a key."""
        if not self.shard_count:
            return {}
        self.homes([])  # reads the sealed shards' lists once
        shards = {self.shard_count - 1, *self._sealed.holding(keys)}
        found: dict[str, frozenset[str]] = {}
        for index in sorted(shards):
            found.update(self.shard(index).identities(keys))
        return found

    def content_hashes(self, paper_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for index, ids in self._by_shard(paper_ids).items():
            out.update(self.shard(index).content_hashes(ids))
        return out

    def extractions(self, paper_ids: Iterable[str] | None = None) -> Iterator[PaperExtraction]:
        if paper_ids is None:
            return chain.from_iterable(shard.extractions() for shard in self.shards)
        groups = self._by_shard(paper_ids).items()
        return chain.from_iterable(self.shard(i).extractions(ids) for i, ids in groups)

    def query(
        self, text: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Table:
        """Each shard's answer, rows concatenated (module docstring)."""
        tables = [shard.query(text, params, write=write) for shard in self.shards]
        if not tables:
            raise StoreError(f"{self.path}: no papers stored yet; build with `kg build`")
        return Table(tables[0].columns, [row for t in tables for row in t.rows])

    def quads(self) -> Iterator[Quad]:
        """Every shard's quads; an entity described in several shards is written once."""
        seen: set[Quad] = set()
        for shard in self.shards:
            for q in shard.quads():
                if q.graph_name == shard.entities_graph:
                    if q in seen:
                        continue
                    seen.add(q)
                yield q

    def stats(self) -> Stats:
        """Papers and edges add up; an entity in several shards counts once."""
        if self.shard_count <= 1:
            return self.shard(0).stats() if self.shard_count else Stats(0, {}, {})
        parts = [self._counts(index) for index in range(self.shard_count)]
        edges: defaultdict[str, int] = defaultdict(int)
        union: defaultdict[str, set[str]] = defaultdict(set)
        for stats, iris in parts:
            for relation, n in stats.edges.items():
                edges[relation] += n
            for kind, found in iris.items():
                union[kind].update(found)
        kinds = [kind.value for kind in sorted(EntityKind, key=str)]
        entities = {kind: len(union[kind]) for kind in kinds if union[kind]}
        return Stats(sum(s.papers for s, _ in parts), entities, dict(sorted(edges.items())))

    def _counts(self, index: int) -> tuple[Stats, dict[str, list[str]]]:
        """Shard ``index``'s stats and entity IRIs by kind: from its file once sealed."""
        if self._is_sealed(index):
            with suppress(OSError, ValueError, KeyError):
                data = json.loads((self._shard_dir(index) / SEALED_COUNTS).read_text("utf-8"))
                return Stats(data["papers"], {}, data["edges"]), data["entities"]
        counted = self._count(index)
        if self._is_sealed(index) and not self.read_only:
            self._write_counts(index, *counted)
        return counted

    def _count(self, index: int) -> tuple[Stats, dict[str, list[str]]]:
        shard = self.shard(index)
        iris = {kind.value: sorted(shard.entity_iris(kind)) for kind in EntityKind}
        return shard.stats(), {kind: found for kind, found in iris.items() if found}

    def _write_counts(self, index: int, stats: Stats, iris: dict[str, list[str]]) -> None:
        counts = {"papers": stats.papers, "edges": stats.edges, "entities": iris}
        write_atomically(self._shard_dir(index) / SEALED_COUNTS, json.dumps(counts))

    def first_page(
        self, paper_list: PaperList, entity_key: str | None, limit: int | None
    ) -> list[PageRow] | None:
        """From each shard's first page; whole answers from the shards' queries."""
        if limit is None or limit > PAGE:
            return None
        pages = [
            shard.index.first_page(paper_list, entity_key, limit) or [] for shard in self.shards
        ]
        return merge.merged_page(pages, limit)

    def ranked(self, kind: EntityKind, limit: int | None) -> list[RankedRow] | None:
        """From the shards' rankings where they decide, else from every entity's count."""
        if limit is not None:
            rankings = [shard.index.ranking(kind) for shard in self.shards]
            top = merge.merged_top(rankings, limit, self._paper_counts)
            if top is not None:
                return top
        rows = merge.merged_counts(shard.index.labelled_paper_counts(kind) for shard in self.shards)
        return rows[:limit] if limit is not None else rows

    def _paper_counts(self, index: int, entities: list[str]) -> dict[str, int]:
        return self.shard(index).index.paper_counts(entities)

    def paired(
        self, pairing: Pairing, entity_key: str, limit: int | None
    ) -> list[RankedRow] | None:
        counts = merge.merged_pairs(
            shard.index.pair_counts(pairing, entity_key) for shard in self.shards
        )
        return [RankedRow(label, n) for label, n in ranked_pairs(counts, limit)]

    def answer(self, query: NamedQuery, params: dict[str, Any], limit: int | None) -> Table | None:
        return ready_answer(self, query, params, limit)

    def close(self) -> None:
        for shard in self._opened.values():
            shard.close()
        self._opened.clear()
        if self._lock:
            with suppress(OSError):
                self._lock.close()
            self._lock = None


def _env_shard_papers() -> int:
    raw = os.environ.get("KG_SHARD_PAPERS")
    if raw is None:
        return SHARD_PAPERS
    try:
        size = int(raw)
    except ValueError:
        raise UsageError(f"KG_SHARD_PAPERS must be a whole number, not {raw!r}") from None
    if size < 1:
        raise UsageError(f"KG_SHARD_PAPERS must be at least 1, not {size}")
    return size
