"""The ``sparql`` store: kg's RDF in any SPARQL 1.1 triplestore, over HTTP.

The graphs are the embedded store's, quad for quad (``kg.rdf.mapping``): one named graph
per paper with its evidence as one record, one graph of entities, and the index graph
(``kg.rdf.index``: running counts, rankings, first pages, pair counts) moved by the
embedded store's own upkeep over the protocol (``kg.fuseki.remote``), so the named
questions' SPARQL texts answer here as they do embedded, and their first screens come
from the same literals.

The endpoint must answer over the union of its named graphs (Fuseki/TDB2:
``tdb2:unionDefaultGraph``, as ``kg fuseki start`` configures it). An upsert drops the
graphs of the papers it replaces and marks the index as being written (one update), adds
the papers whole with their entities (one N-Quads upload, else one update: each a
transaction), then moves the index and clears the mark. One writer at a time: a writer
reads the index afresh when its stamp shows another moved it, but two writers at once can
each miss the other's moves.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, Quad, Variable

from kg.errors import UsageError
from kg.fuseki.protocol import SparqlClient
from kg.fuseki.remote import (
    RemoteQuads,
    ServerIndex,
    insert_data,
    nquads,
    quad_text,
)
from kg.model import Entity, EntityKind, PaperExtraction
from kg.rdf.answers import ready_answer
from kg.rdf.identity import IDENTITY_PROPERTIES, identity_of, identity_patterns
from kg.rdf.mapping import (
    PAPER_NODE,
    entity_quads,
    expand_evidence,
    paper_nodes,
    read_paper_graph,
    stored_paper_quads,
)
from kg.rdf.pages import PageChanges, paper_row
from kg.rdf.pairs import PairChanges
from kg.rdf.sparql import Term, to_term, with_values
from kg.rdf.tally import COUNT, PaperEdges, Tally
from kg.rdf.terms import RDF_TYPE, P, entity_node
from kg.rdf.vocab import (
    CLASS_KIND,
    DEFAULT_BASE_IRI,
    KIND_CLASS,
    PAPER_CLASS,
    RELATION_PROPERTY,
    check_paper_id,
    entities_graph_iri,
    index_graph_iri,
)
from kg.resolve.variants import described_entities
from kg.store.base import Capability, Stats, Store, Table

if TYPE_CHECKING:
    from kg.query.named import NamedQuery

DEFAULT_ENDPOINT = "http://127.0.0.1:3030/kg"
#: Papers per read request (their IRIs travel in a VALUES block).
READ_CHUNK = 200
_RELATIONS = " ".join(f"<{iri}>" for iri in RELATION_PROPERTY.values())


def _values(rows: Iterable[tuple[Any, ...]]) -> str:
    """A VALUES block's rows: every term written by pyoxigraph, escaped."""
    return " ".join("(" + " ".join(str(t) for t in row) + ")" for row in rows)


class SparqlStore(Store):
    name = "sparql"
    query_language = "sparql"
    capabilities = frozenset({Capability.QUADS})
    base: str

    def __init__(
        self, client: SparqlClient, base_iri: str | None = None, read_only: bool = False
    ) -> None:
        """A writer recounts an index cut off by a failed write (or older than this kg).
        A reader answers from the index where it has this kg's layout, from the texts
        otherwise; during a load, or after one cut off until the next writer, the index
        may lag the papers by a batch."""
        self.client = client
        self.endpoint = client.endpoint
        self.base = base_iri or DEFAULT_BASE_IRI
        self.entities_graph = NamedNode(entities_graph_iri(self.base))
        self.index_graph = NamedNode(index_graph_iri(self.base))
        graphs = (self.entities_graph, self.index_graph)
        self.remote = RemoteQuads(client, graphs)
        self.index = ServerIndex(self.remote, self.base, graphs, self.endpoint)  # type: ignore[arg-type]
        if not read_only:
            self.index.check(read_only=False)
        self._indexed = self.index.laid_out()

    @classmethod
    def open(
        cls,
        endpoint: str | None = None,
        update_endpoint: str | None = None,
        base_iri: str | None = None,
        timeout: float = 300.0,
        read_only: bool = False,
        gsp_endpoint: str | None = None,
        **_: Any,
    ) -> SparqlStore:
        """Open from arguments, else KG_SPARQL_ENDPOINT / KG_SPARQL_UPDATE_ENDPOINT /
        KG_SPARQL_GSP_ENDPOINT / KG_SPARQL_USERNAME / KG_SPARQL_PASSWORD (updates and
        N-Quads uploads go to the query URL unless told; GSP "none": no uploads)."""
        endpoint = endpoint or os.environ.get("KG_SPARQL_ENDPOINT") or DEFAULT_ENDPOINT
        if endpoint.partition("://")[0].lower() not in ("http", "https"):
            raise UsageError(f"{endpoint}: not a SPARQL endpoint URL; use http(s)://HOST/PATH")
        update_endpoint = update_endpoint or os.environ.get("KG_SPARQL_UPDATE_ENDPOINT")
        user = os.environ.get("KG_SPARQL_USERNAME")
        password = os.environ.get("KG_SPARQL_PASSWORD")
        auth = (user or "", password) if password is not None else None
        gsp_endpoint = gsp_endpoint or os.environ.get("KG_SPARQL_GSP_ENDPOINT")
        client = SparqlClient(endpoint, update_endpoint, auth, timeout, gsp_endpoint)
        return cls(client, base_iri, read_only)

    # -- writing -------------------------------------------------------------------------
    def upsert(self, batch: Sequence[PaperExtraction]) -> None:
        """The batch's old graphs dropped, the new ones added with their entities (one
        upload, else one update), then the index moved by what changed. The first request
        marks the index as being written and the last clears the mark, so a write cut off
        between them is recounted by the next writer (``kg.rdf.index``), and its papers,
        left without a content hash, are extracted again by the next build."""
        for ex in batch:
            for key in ex.paper.identity_keys:
                check_paper_id(key)  # before anything is sent
        papers = list({ex.paper.id: ex for ex in batch}.values())  # the last one counts
        if not papers:
            return
        self.index.begin()  # another writer may have moved the index since the last batch
        tally, pages, pairs = Tally(), PageChanges(), PairChanges()
        ids = [ex.paper.id for ex in papers]
        # the batch's papers, and the papers merged into them under another id (dropped)
        merged_away = {k for ex in papers for k in ex.paper.identity_keys} - set(ids)
        stored = self._stored_edges([*ids, *sorted(merged_away)])
        for pid, old in stored.items():
            tally.remove(old)
            pages.remove(pid, old.edges)
            pairs.remove(old.edges)
        for ex in papers:
            new = PaperEdges.of(self.base, ex)
            tally.add(new)
            pages.add(paper_row(ex.paper.title, ex.paper.id, new.edges), new.edges)
            pairs.add(new.edges)
        known = self._stored_entities(papers)
        new_kinds: list[str] = []
        quads = list(self._quads(papers, known, new_kinds))
        tally.new_entities(new_kinds)
        drops = "".join(  # only graphs that are there: a new paper has none to drop
            f"DROP SILENT GRAPH {paper_nodes(self.base, pid)[1]} ;\n" for pid in stored
        )
        mark = self.index.writing
        self.client.update(f"{drops}INSERT DATA {{ {quad_text(mark)} }}")
        if not self.client.upload(nquads(quads)):
            self.client.update(insert_data(quads))
        self._move_index(tally, pages, pairs)

    def _move_index(self, tally: Tally, pages: PageChanges, pairs: PairChanges) -> None:
        """The embedded store's index upkeep, its look-ups read ahead in one query."""
        touched = {s for s, _ in tally.changes()} | set(KIND_CLASS.values())
        touched |= {entity for _, entity in pages.touched()}
        touched |= {entity for (_, entity), _ in pairs.changes()}
        self.remote.read_ahead(map(NamedNode, touched))
        self.index.apply(tally)
        self.index.turn_pages(pages)
        self.index.count_pairs(pairs)
        self.index.end()
        self._indexed = True

    def _quads(
        self, papers: Sequence[PaperExtraction], known: set[str], new_kinds: list[str]
    ) -> Iterator[Quad]:
        """The embedded store's quads for ``papers``; an entity's type, key and preferred
        label go with the first paper to name it."""
        for ex in papers:
            yield from stored_paper_quads(self.base, ex, True)
            for entity, surfaces in described_entities(ex).items():
                iri = entity_node(self.base, entity.kind, entity.key).value
                is_new = iri not in known
                if is_new:
                    known.add(iri)
                    new_kinds.append(KIND_CLASS[entity.kind])
                yield from entity_quads(self.base, entity, surfaces, self.entities_graph, is_new)

    def _stored_edges(self, paper_ids: Sequence[str]) -> dict[str, PaperEdges]:
        """What the stored papers among ``paper_ids`` add to the counts, by paper id."""
        found: dict[str, tuple[bool, set[tuple[str, str]]]] = {}
        for chunk in _chunks(paper_ids):
            rows = _values((to_term(pid), *paper_nodes(self.base, pid)) for pid in chunk)
            text = (
                f"SELECT ?id ?r ?e WHERE {{ VALUES (?id ?p ?g) {{ {rows} }} "
                f"VALUES ?r {{ {RDF_TYPE} {_RELATIONS} }} GRAPH ?g {{ ?p ?r ?e }} }}"
            )
            for row in self.client.solutions(text):
                is_paper, edges = found.setdefault(row["id"].value, (False, set()))
                if row["r"] == RDF_TYPE:
                    found[row["id"].value] = (is_paper or row["e"] == PAPER_NODE, edges)
                else:
                    edges.add((row["r"].value, row["e"].value))
        return {pid: PaperEdges(is_paper, frozenset(e)) for pid, (is_paper, e) in found.items()}

    def _stored_entities(self, papers: Sequence[PaperExtraction]) -> set[str]:
        """The IRIs among the entities ``papers`` name that the entities graph holds."""
        iris = {
            entity_node(self.base, entity.kind, entity.key)
            for ex in papers
            for entity in described_entities(ex)
        }
        stored: set[str] = set()
        for chunk in _chunks(sorted(iris, key=str)):
            text = (
                f"SELECT ?e WHERE {{ VALUES ?e {{ {' '.join(map(str, chunk))} }} "
                f"GRAPH {self.entities_graph} {{ ?e <{P['key'].value}> ?k }} }}"
            )
            stored.update(row["e"].value for row in self.client.solutions(text))
        return stored

    # -- reading -------------------------------------------------------------------------
    def identities(self, keys: Sequence[str]) -> dict[str, frozenset[str]]:
        """One query per chunk of keys: the papers holding one, with all their keys."""
        found: dict[str, frozenset[str]] = {}
        wanted = " ".join(str(p) for p in IDENTITY_PROPERTIES)
        for chunk in _chunks(list(keys)):
            rows = _values(
                (prop, Literal(value)) for k in chunk for prop, value in identity_patterns(k)
            )
            text = (
                f"SELECT ?s ?p ?v WHERE {{ VALUES (?by ?key) {{ {rows} }} "
                f"GRAPH ?g {{ ?s ?by ?key . ?s ?p ?v VALUES ?p {{ {wanted} }} }} }}"
            )
            values: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(
                lambda: defaultdict(list)
            )
            for row in self.client.solutions(text):
                values[row["s"].value][row["p"].value].append(row["v"].value)
            for paper in values.values():
                if (ids := identity_of(paper)) is not None:
                    found[ids[0]] = ids[1]
        return found

    def content_hashes(self, paper_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in _chunks(list(paper_ids)):
            rows = _values((to_term(pid), *paper_nodes(self.base, pid)) for pid in chunk)
            text = (
                f"SELECT ?id ?h WHERE {{ VALUES (?id ?p ?g) {{ {rows} }} "
                f"GRAPH ?g {{ ?p {P['contentHash']} ?h }} }}"
            )
            out.update((row["id"].value, row["h"].value) for row in self.client.solutions(text))
        return out

    def paper_ids(self) -> list[str]:
        """Every stored paper's id, in the order of their graphs' IRIs."""
        text = f"SELECT ?g ?id WHERE {{ GRAPH ?g {{ ?p a {PAPER_NODE} ; {P['identifier']} ?id }} }}"
        rows = sorted((row["g"].value, row["id"].value) for row in self.client.solutions(text))
        return [pid for _, pid in rows]

    def extractions(self, paper_ids: Iterable[str] | None = None) -> Iterator[PaperExtraction]:
        ids = self.paper_ids() if paper_ids is None else list(paper_ids)
        for chunk in _chunks(ids):
            graphs = self._graphs(chunk)
            entities = self._entities([NamedNode(g) for g in graphs])
            for quads in graphs.values():
                if quads:
                    yield read_paper_graph(quads, entities, self.base)

    def quads(self) -> Iterator[Quad]:
        """Every quad as exports carry it (evidence reified): the entities, then the papers
        a chunk at a time; the running counts are not data."""
        text = f"SELECT ?s ?p ?o WHERE {{ GRAPH {self.entities_graph} {{ ?s ?p ?o }} }}"
        for row in self.client.solutions(text):
            yield Quad(row["s"], row["p"], row["o"], self.entities_graph)  # type: ignore[arg-type]
        for chunk in _chunks(self.paper_ids()):
            for quads in self._graphs(chunk).values():
                yield from expand_evidence(self.base, quads)

    def _graphs(self, paper_ids: Sequence[str]) -> dict[str, list[Quad]]:
        """The stored quads of each paper's graph, by graph IRI (empty: not stored)."""
        graphs = [paper_nodes(self.base, pid)[1] for pid in paper_ids]
        quads: dict[str, list[Quad]] = {g.value: [] for g in graphs}
        text = (
            f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {' '.join(map(str, graphs))} }} "
            "GRAPH ?g { ?s ?p ?o } }"
        )
        for row in self.client.solutions(text):
            g = row["g"]
            assert isinstance(g, NamedNode)
            quads[g.value].append(Quad(row["s"], row["p"], row["o"], g))  # type: ignore[arg-type]
        return quads

    def _entities(self, graphs: Sequence[NamedNode]) -> dict[str, Entity]:
        """The entities the papers in ``graphs`` link, by IRI."""
        text = (
            f"SELECT DISTINCT ?e ?t ?k ?l WHERE {{ VALUES ?g {{ {' '.join(map(str, graphs))} }} "
            f"GRAPH ?g {{ ?s ?r ?e }} GRAPH {self.entities_graph} {{ ?e a ?t ; "
            f"{P['key']} ?k OPTIONAL {{ ?e {P['prefLabel']} ?l }} }} }}"
        )
        out = {}
        for row in self.client.solutions(text):
            kind = CLASS_KIND.get(row["t"].value)
            if kind is not None:
                key = row["k"].value
                out[row["e"].value] = Entity(
                    EntityKind(kind), key, row["l"].value if "l" in row else key
                )
        return out

    def query(
        self, text: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Table:
        """Raw SPARQL over the union of the graphs; ``params`` become a VALUES block at the
        top of the WHERE group, each value one escaped term."""
        if write:
            raise UsageError("the sparql store takes writes from kg build and kg load only")
        if params:
            try:
                bound: dict[Variable, Term] = {Variable(k): to_term(v) for k, v in params.items()}
            except ValueError as exc:
                raise UsageError(f"bad query parameter ({exc}): {sorted(params)}") from None
            text = with_values(text, bound)
        return self.client.table(text)

    def answer(self, query: NamedQuery, params: dict[str, Any], limit: int | None) -> Table | None:
        """From the index where it keeps the answer (as the embedded store does), else a
        first screen sorted and cut on the server: the question's text wrapped in its
        ``order`` as ORDER BY with LIMIT, so a top-20 reads 20 rows, not every entity of a
        kind (TDB2 keeps the top N while it scans). Exact where a row is whole: no count
        summed across parts, no sort-only column; kg sorts the page again, so only strings
        beyond the BMP (Java compares UTF-16 units) could cut a page elsewhere."""
        if self._indexed:
            self.remote.forget()  # read afresh: another writer may have moved the index
            if (ready := ready_answer(self.index, query, params, limit)) is not None:
                return ready
        if limit is None or not query.order or query.sums or query.hidden:
            return None
        bound: dict[Variable, Term] = {Variable(k): to_term(v) for k, v in params.items()}
        inner = with_values(query.sparql, bound) if bound else query.sparql
        keys = " ".join(f"DESC(?{c})" if down else f"?{c}" for c, down in query.order)
        table = self.client.table(f"SELECT * WHERE {{ {inner} }} ORDER BY {keys} LIMIT {limit}")
        keep = [i for i, c in enumerate(table.columns) if c not in params]
        rows = [tuple(row[i] for i in keep) for row in table.rows]
        columns = [table.columns[i] for i in keep]
        for column, down in reversed(query.order):
            rows.sort(key=itemgetter(columns.index(column)), reverse=down)
        return Table(columns, rows)

    def stats(self) -> Stats:
        """From the running counts in the index graph: a look-up, not a scan."""
        text = f"SELECT ?s ?n WHERE {{ GRAPH {self.index_graph} {{ ?s <{COUNT}> ?n }} }}"
        counts = {row["s"].value: int(row["n"].value) for row in self.client.solutions(text)}
        return Stats(
            papers=counts.get(PAPER_CLASS, 0),
            entities={
                kind.value: n
                for kind in sorted(KIND_CLASS, key=str)
                if (n := counts.get(KIND_CLASS[kind], 0))
            },
            edges={
                rel.value: n
                for rel in sorted(RELATION_PROPERTY, key=str)
                if (n := counts.get(RELATION_PROPERTY[rel], 0))
            },
        )

    def clear(self) -> None:
        """Drop every graph (tests and benchmarks start from empty)."""
        self.client.update("DROP SILENT ALL")
        self.index.forget()
        self._indexed = False

    def close(self) -> None:
        self.client.close()


def _chunks(items: Sequence[Any], size: int = READ_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
