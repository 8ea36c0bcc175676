"""The embedded store's index, kept on a SPARQL server: the quad calls of
``kg.rdf.index.IndexGraph`` answered over the protocol.

The index graph (running counts, rankings, first pages and pair counts, one literal each)
is what makes first screens instant, and the code that moves it on every upsert is the
embedded store's. Over HTTP each of its look-ups would be a round trip (thousands a
batch), so ``RemoteQuads`` reads ahead: every index quad of the subjects a batch touches,
and their preferred labels, in one query; the look-ups are then answered from memory.
Writes are held and sent as one update: at ``flush``, and before any read that memory
cannot answer, so that every read sees them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from kg.fuseki.protocol import Solution, SparqlClient
from kg.rdf.index import IndexGraph
from kg.rdf.terms import P
from kg.rdf.vocab import KG

#: Subjects per read-ahead query (they travel in a VALUES block).
READ_CHUNK = 500
#: Quads per update when many are held (a recount writes the whole index at once).
WRITE_CHUNK = 50_000
#: Fewer quads than this go in the update with the removals, more in an upload after it.
UPLOAD_MIN = 1000
#: What a writer may hold of the index between batches before it starts afresh.
HELD_SUBJECTS_MAX = 1 << 18
#: The index's last writer: a new random value after each write.
STAMP = NamedNode(KG + "stamp")
#: (subject, predicate or None: all of them, graph or None: any graph) read whole
Held = tuple[Any, NamedNode | None, Any]


class RemoteQuads:
    """The pyoxigraph ``Store`` calls the index makes, over one ``SparqlClient``."""

    def __init__(self, client: SparqlClient, graphs: tuple[NamedNode, NamedNode]) -> None:
        self.client = client
        self.entities_graph, self.index_graph = graphs
        self._held: dict[Held, list[Quad]] = {}
        self._pending: dict[Quad, bool] = {}  # quad → added (True) or removed; last wins
        self._index_known = False  # the index graph was emptied here: all of it is held

    # -- reading ahead -------------------------------------------------------------------
    def read_ahead(self, subjects: Iterable[NamedNode]) -> None:
        """Hold every index quad of ``subjects`` and each one's preferred label."""
        label = P["prefLabel"]
        wanted = sorted(
            {s for s in subjects if (s, None, self.index_graph) not in self._held}, key=str
        )
        for i in range(0, len(wanted), READ_CHUNK):
            chunk = wanted[i : i + READ_CHUNK]
            for s in chunk:
                self._held[(s, None, self.index_graph)] = []
                self._held[(s, label, self.entities_graph)] = []
            text = (
                f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {' '.join(map(str, chunk))} }} "
                f"{{ GRAPH {self.index_graph} {{ ?s ?p ?o }} BIND({self.index_graph} AS ?g) }} "
                f"UNION {{ GRAPH {self.entities_graph} {{ ?s {label} ?o }} "
                f"BIND({label} AS ?p) BIND({self.entities_graph} AS ?g) }} }}"
            )
            for row in self.flush_and_ask(text):
                quad = Quad(row["s"], row["p"], row["o"], row["g"])  # type: ignore[arg-type]
                by = None if quad.graph_name == self.index_graph else label
                self._held[(quad.subject, by, quad.graph_name)].append(quad)

    def read_ahead_property(self, predicate: NamedNode, graph: NamedNode | None = None) -> None:
        """Hold every quad of ``predicate`` (in ``graph``, else in any graph) by subject:
        what a recount looks up paper by paper or entity by entity."""
        where = (
            f"GRAPH {graph} {{ ?s {predicate} ?o }}"
            if graph
            else f"GRAPH ?g {{ ?s {predicate} ?o }}"
        )
        for row in self.flush_and_ask(f"SELECT * WHERE {{ {where} }}"):
            g = graph or row["g"]
            quad = Quad(row["s"], predicate, row["o"], g)  # type: ignore[arg-type]
            self._held.setdefault((quad.subject, predicate, graph), []).append(quad)

    def held_subjects(self) -> int:
        return len(self._held)

    def forget(self) -> None:
        """Drop what was read ahead: another writer may move the index between batches."""
        self.flush()
        self._held.clear()
        self._index_known = False

    # -- the Store calls -----------------------------------------------------------------
    def quads_for_pattern(
        self, s: Any, p: NamedNode | None, o: Any, g: NamedNode | None
    ) -> Iterator[Quad]:
        found = self._in_memory(s, p, o, g)
        return iter(found if found is not None else self._ask_pattern(s, p, o, g))

    def _in_memory(self, s: Any, p: Any, o: Any, g: Any) -> list[Quad] | None:
        """The matches, where what is held answers the pattern; None where it does not."""
        if s is None:
            return None
        for key in ((s, None, g), (s, p, g)):
            if key in self._held or (self._index_known and g == self.index_graph):
                held = self._held.get(key, ())
                return [q for q in held if p in (None, q.predicate) and o in (None, q.object)]
        return None

    def _ask_pattern(self, s: Any, p: Any, o: Any, g: Any, limit: str = "") -> list[Quad]:
        given = dict(zip("spog", (s, p, o, g), strict=True))
        terms = {v: f"?{v}" if t is None else str(t) for v, t in given.items()}
        rows = self.flush_and_ask(
            f"SELECT * WHERE {{ GRAPH {terms['g']} {{ {terms['s']} {terms['p']} {terms['o']} }} }}"
            + limit
        )
        found: list[dict[str, Any]] = [
            {v: row[v] if t is None else t for v, t in given.items()} for row in rows
        ]
        return [Quad(q["s"], q["p"], q["o"], q["g"]) for q in found]

    def holds(self, s: Any, p: Any, o: Any, g: Any) -> bool:
        """Whether any quad matches: one row asked for, not every match."""
        found = self._in_memory(s, p, o, g)
        return bool(found if found is not None else self._ask_pattern(s, p, o, g, " LIMIT 1"))

    def drop_index(self, keep: Quad) -> None:
        """Empty the index graph but for ``keep``; until ``forget``, what the index holds
        is known here: what was added since."""
        self._pending.clear()
        self.client.update(
            f"DROP SILENT GRAPH {self.index_graph} ; INSERT DATA {{ {quad_text(keep)} }}"
        )
        self._index_known = True
        self._held = {
            key: [] if key[2] == self.index_graph else quads for key, quads in self._held.items()
        }
        self._held[(keep.subject, None, self.index_graph)] = [keep]

    def query(self, text: str, use_default_graph_as_union: bool = True) -> list[Solution]:
        """A SELECT over the union of the graphs (the endpoint's default graph)."""
        return self.flush_and_ask(text)

    def flush_and_ask(self, text: str) -> list[Solution]:
        self.flush()
        return self.client.solutions(text)

    def add(self, quad: Quad) -> None:
        self._hold(quad, True)

    def remove(self, quad: Quad) -> None:
        self._hold(quad, False)

    def extend(self, quads: Iterable[Quad]) -> None:
        for quad in quads:
            self._hold(quad, True)

    def _hold(self, quad: Quad, added: bool) -> None:
        self._pending.pop(quad, None)  # the last call is the one kept, in order
        self._pending[quad] = added
        if self._index_known and quad.graph_name == self.index_graph:
            self._held.setdefault((quad.subject, None, quad.graph_name), [])
        for key in (
            (quad.subject, None, quad.graph_name),
            (quad.subject, quad.predicate, quad.graph_name),
        ):
            held = self._held.get(key)
            if held is not None:
                if quad in held:
                    held.remove(quad)
                if added:
                    held.append(quad)

    def flush(self) -> None:
        """Send the held writes, a chunk per update: what additions replace is removed
        first, removals that nothing replaces (the writing mark) go last, so a write cut
        off in between leaves the mark. The index holds one value per subject and
        predicate, so a removal from it names those two and not the value: a page or pair
        literal is not sent back to be deleted."""
        pending, self._pending = list(self._pending.items()), {}
        index = self.index_graph
        for i in range(0, len(pending), WRITE_CHUNK):
            chunk = pending[i : i + WRITE_CHUNK]
            new = [q for q, added in chunk if added]
            replaced = {(q.subject, q.predicate) for q in new if q.graph_name == index}
            gone = [q for q, added in chunk if not added and q.graph_name == index]
            first = [q for q in gone if (q.subject, q.predicate) in replaced]
            last = [q for q in gone if (q.subject, q.predicate) not in replaced]
            other = [quad_text(q) for q, added in chunk if not added and q.graph_name != index]
            before = [self._delete_values(first)] if first else []
            before += [f"DELETE DATA {{ {' '.join(other)} }}"] if other else []
            after = [self._delete_values(last)] if last else []
            if len(new) < UPLOAD_MIN:  # one request
                self._update([*before, *([insert_data(new)] if new else []), *after])
                continue
            self._update(before)
            if not self.client.upload(nquads(new)):
                self.client.update(insert_data(new))
            self._update(after)

    def _delete_values(self, quads: list[Quad]) -> str:
        """An update removing every value of these quads' subjects and predicates."""
        index, keys = self.index_graph, " ".join(f"({q.subject} {q.predicate})" for q in quads)
        return (
            f"DELETE {{ GRAPH {index} {{ ?s ?p ?o }} }} WHERE {{ "
            f"VALUES (?s ?p) {{ {keys} }} GRAPH {index} {{ ?s ?p ?o }} }}"
        )

    def _update(self, parts: list[str]) -> None:
        if parts:
            self.client.update(" ;\n".join(parts))


def quad_text(quad: Quad) -> str:
    return f"GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} {quad.object} }}"


def nquads(quads: Iterable[Quad]) -> bytes:
    return serialize(quads, format=RdfFormat.N_QUADS) or b""


def insert_data(quads: Iterable[Quad]) -> str:
    return "INSERT DATA {\n" + "\n".join(map(quad_text, quads)) + "\n}"


class ServerIndex(IndexGraph):
    """The index of a ``sparql`` store: the embedded index over ``RemoteQuads``, reading
    ahead where it would otherwise ask once per paper or entity."""

    _store: RemoteQuads  # type: ignore[assignment]

    _stamp: str | None = None

    def labels_of(self, entities: Iterable[str]) -> dict[str, str]:
        entities = list(entities)
        self._store.read_ahead(NamedNode(e) for e in entities if e not in self._labels)
        return super().labels_of(entities)

    def _has(self, s: Any, p: Any, o: Any, g: Any) -> bool:
        return self._store.holds(s, p, o, g)

    def _clear(self) -> None:
        self._store.drop_index(keep=self.writing)

    def forget(self) -> None:
        super().forget()
        self._store.forget()
        self._stamp = None

    def begin(self) -> None:
        """Before a write: what this writer read of the index stays true if the index
        carries the stamp it wrote last; else (another writer, a recount) read afresh."""
        rows = self._store.flush_and_ask(
            f"SELECT ?v WHERE {{ GRAPH {self.index_graph} {{ {self.index_graph} {STAMP} ?v }} }}"
        )
        if (
            self._stamp is None
            or [row["v"].value for row in rows] != [self._stamp]
            or self._store.held_subjects() > HELD_SUBJECTS_MAX
        ):
            self.forget()

    def end(self) -> None:
        """After a write: its index changes and a new stamp sent, the writing mark
        cleared last (``RemoteQuads.flush``)."""
        self._store.remove(self.writing)
        old, new = Literal(self._stamp or ""), Literal(uuid.uuid4().hex)
        self._store.remove(Quad(self.index_graph, STAMP, old, self.index_graph))
        self._store.add(Quad(self.index_graph, STAMP, new, self.index_graph))
        self._store.flush()
        self._stamp = new.value

    def recount(self) -> None:
        """From the server's data: titles, ids and labels read in three queries first."""
        for name in ("title", "identifier"):
            self._store.read_ahead_property(P[name])
        self._store.read_ahead_property(P["prefLabel"], self.entities_graph)
        super().recount()
        self.end()
        self.forget()
