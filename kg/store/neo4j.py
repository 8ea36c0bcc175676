"""The Neo4j store: kg's graph in a Neo4j 5 server over Bolt, queried with Cypher.

Layout (what kg/query/named.py's Cypher texts assume):
``(:Paper {id, title, abstract, content_hash, releases_code_stated, date, source, arxiv_id,
doi, url, authors})-[:EVALUATED_ON {start, end, sentence_start, sentence_end, extractor,
surfaces}]->(:Dataset {key, name, surface_forms})``. There is one relationship per
(paper, relation, entity); its evidence properties are parallel lists with one element per
mention, so an edge seen twice in an abstract keeps both spans. Absent optional paper
fields are absent properties, exactly as ``neo4j-admin import`` leaves empty CSV cells.

Labels and relationship types are spliced into Cypher only from EntityKind and Relation
values; every value travels as a parameter.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    CypherSyntaxError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship

from kg.errors import QueryError, StoreError
from kg.model import (
    Entity,
    EntityKind,
    Evidence,
    Mention,
    Paper,
    PaperExtraction,
    Relation,
    stored_order,
)
from kg.store.base import PageRow, RankedRow, Stats, Table
from kg.store.pages import PaperList
from kg.store.pairs import Pairing

DEFAULT_URI = "bolt://127.0.0.1:7687"
EVIDENCE_FIELDS = ("start", "end", "sentence_start", "sentence_end", "extractor")
OPTIONAL_PAPER_FIELDS = ("date", "source", "arxiv_id", "doi", "url")
READ_CHUNK = 500

PAPERS = "UNWIND $rows AS r MERGE (p:Paper {id: r.id}) SET p = r"
DROP_EDGES = "UNWIND $ids AS id MATCH (:Paper {id: id})-[e]->() DELETE e"
ENTITY = {
    kind: (
        f"UNWIND $rows AS r MERGE (e:{kind.value} {{key: r.key}}) "
        "ON CREATE SET e.name = r.name, e.surface_forms = r.surfaces "
        "ON MATCH SET e.surface_forms = e.surface_forms + "
        "[s IN r.surfaces WHERE NOT s IN e.surface_forms]"
    )
    for kind in EntityKind
}
# Two MATCH clauses on constrained keys, not a comma pattern: each is one index seek.
# CREATE, not MERGE: the same transaction first drops every edge of the batch's papers
# (DROP_EDGES) and rows are unique per (relation, paper, entity), so there is nothing to
# match, and MERGE's check of the paper's existing edges would be wasted work. Properties
# are set one by one: ``SET x = map`` makes the planner add an Eager.
EDGE_PROPS = (*EVIDENCE_FIELDS, "surfaces")
EDGE = {
    rel: (
        f"UNWIND $rows AS r MATCH (p:Paper {{id: r.src}}) MATCH (e:{rel.kind.value} {{key: r.dst}}) "
        f"CREATE (p)-[x:{rel.value}]->(e) SET " + ", ".join(f"x.{f} = r.{f}" for f in EDGE_PROPS)
    )
    for rel in Relation
}
READ = """
UNWIND $ids AS id MATCH (p:Paper {id: id})
OPTIONAL MATCH (p)-[r]->(e)
RETURN p {.*} AS paper, collect(CASE WHEN r IS NOT NULL THEN
  {type: type(r), label: labels(e)[0], key: e.key, name: e.name, ev: properties(r)} END) AS edges
"""
STATS = " UNION ALL ".join(
    [
        f"MATCH (n:{label}) RETURN '{label}' AS name, count(n) AS n"
        for label in ["Paper", *(k.value for k in EntityKind)]
    ]
    + [
        f"MATCH ()-[r:{rel.value}]->() RETURN '{rel.value}' AS name, count(r) AS n"
        for rel in Relation
    ]
)


def schema_statements() -> list[str]:
    """One uniqueness constraint per label: MERGE seeks its backing index, never scans."""
    out = ["CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE"]
    out += [
        f"CREATE CONSTRAINT {k.value.lower()}_key IF NOT EXISTS "
        f"FOR (n:{k.value}) REQUIRE n.key IS UNIQUE"
        for k in EntityKind
    ]
    return out


def schema_text() -> str:
    """The text of schemas/neo4j.cypher (a test keeps the file equal to this)."""
    head = (
        "// kg's Neo4j schema, applied by kg.store.neo4j when a store is opened; also\n"
        "// runnable by hand: cypher-shell -f schemas/neo4j.cypher\n"
    )
    return head + "".join(f"{s};\n" for s in schema_statements())


def paper_props(ex: PaperExtraction) -> dict[str, Any]:
    """The Paper node's properties; absent optional fields are left out, not stored empty."""
    p = ex.paper
    props: dict[str, Any] = {
        "id": p.id,
        "title": p.title,
        "abstract": p.abstract,
        "content_hash": ex.content_hash,
        "releases_code_stated": ex.releases_code,
    }
    for name in OPTIONAL_PAPER_FIELDS:
        value = getattr(p, name)
        if value:
            props[name] = value
    if p.authors:
        props["authors"] = list(p.authors)
    return props


def graph_rows(
    batch: Sequence[PaperExtraction],
) -> tuple[
    list[dict[str, Any]],
    dict[EntityKind, dict[str, dict[str, Any]]],
    dict[Relation, dict[tuple[str, str], dict[str, list[Any]]]],
]:
    """Papers, entities (first name wins, surface forms united) and one row per edge.

    A paper listed twice keeps its last version. Every mention is kept (two extractors may
    report the same span), so ``extractions()`` gives back exactly what was written.
    """
    latest = {ex.paper.id: ex for ex in batch}
    entities: dict[EntityKind, dict[str, dict[str, Any]]] = {}
    edges: dict[Relation, dict[tuple[str, str], dict[str, list[Any]]]] = {}
    for ex in latest.values():
        for m in ex.mentions:
            e = entities.setdefault(m.entity.kind, {}).setdefault(
                m.entity.key, {"key": m.entity.key, "name": m.entity.name, "surfaces": []}
            )
            if m.surface not in e["surfaces"]:
                e["surfaces"].append(m.surface)
            ev = edges.setdefault(m.relation, {}).setdefault(
                (ex.paper.id, m.entity.key), {f: [] for f in EDGE_PROPS}
            )
            for f in EVIDENCE_FIELDS:
                ev[f].append(getattr(m.evidence, f))
            ev["surfaces"].append(m.surface)
    return [paper_props(ex) for ex in latest.values()], entities, edges


def _write(tx: ManagedTransaction, batch: Sequence[PaperExtraction]) -> None:
    papers, entities, edges = graph_rows(batch)
    tx.run(PAPERS, rows=papers).consume()
    tx.run(DROP_EDGES, ids=[p["id"] for p in papers]).consume()
    for kind, rows in entities.items():
        tx.run(ENTITY[kind], rows=list(rows.values())).consume()
    for rel, by_pair in edges.items():
        edge_rows = [{"src": s, "dst": d, **props} for (s, d), props in by_pair.items()]
        tx.run(EDGE[rel], rows=edge_rows).consume()


def _extraction(paper: dict[str, Any], edges: list[dict[str, Any]]) -> PaperExtraction:
    mentions = []
    for e in edges:
        rel, ev = Relation(e["type"]), e["ev"]
        entity = Entity(EntityKind(e["label"]), e["key"], e["name"])
        for i, surface in enumerate(ev.get("surfaces", [])):
            mentions.append(
                Mention(rel, entity, surface, Evidence(*(ev[f][i] for f in EVIDENCE_FIELDS)))
            )
    mentions.sort(key=stored_order)
    return PaperExtraction(
        paper=Paper(
            id=paper["id"],
            title=paper.get("title", ""),
            abstract=paper.get("abstract", ""),
            date=paper.get("date"),
            source=paper.get("source") or "",
            arxiv_id=paper.get("arxiv_id"),
            doi=paper.get("doi"),
            authors=tuple(paper.get("authors") or ()),
            url=paper.get("url"),
        ),
        mentions=mentions,
        releases_code=bool(paper.get("releases_code_stated")),
        content_hash=paper.get("content_hash") or "",
    )


def _plain(value: Any) -> Any:
    """Driver values → plain Python, so a Table prints and serialises like Oxigraph's."""
    if isinstance(value, (Node, Relationship)):
        return dict(value.items())
    if isinstance(value, Path):
        return [dict(n.items()) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _first_line(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0]


class Neo4jStore:
    name = "neo4j"
    query_language = "cypher"

    def __init__(
        self, uri: str, auth: tuple[str, str] | None, database: str | None, retry_s: float = 15.0
    ) -> None:
        self.uri, self.database = uri, database
        user = auth[0] if auth else None
        try:
            self._driver: Driver = GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=5.0,
                max_transaction_retry_time=retry_s,
                notifications_min_severity="OFF",
            )
            self._driver.verify_connectivity()
            with self._errors():
                self._driver.execute_query("RETURN 1", database_=database)
                for statement in schema_statements():
                    self._driver.execute_query(statement, database_=database)
                self._driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
        except AuthError:
            raise StoreError(
                f"{uri}: Neo4j rejected the credentials of user {user!r}; check "
                "NEO4J_USERNAME and NEO4J_PASSWORD"
            ) from None
        except (ConfigurationError, ValueError) as exc:
            raise StoreError(f"{uri}: not a usable Neo4j URI ({_first_line(exc)})") from None
        except (DriverError, OSError) as exc:
            raise StoreError(
                f"{uri}: cannot reach Neo4j ({_first_line(exc)}); start one with "
                "`kg neo4j start` or set NEO4J_URI"
            ) from None

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Server-side failures become one-line StoreErrors naming the URI."""
        try:
            yield
        except AuthError:
            raise StoreError(
                f"{self.uri}: Neo4j rejected the credentials; check "
                "NEO4J_USERNAME and NEO4J_PASSWORD"
            ) from None
        except ClientError as exc:
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreError(
                    f"{self.uri}: no database {self.database!r} on this server; set NEO4J_DATABASE"
                ) from None
            raise StoreError(
                f"{self.uri}: Neo4j rejected the request ({_first_line(exc)})"
            ) from None
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreError(f"{self.uri}: lost the Neo4j server ({_first_line(exc)})") from None
        except Neo4jError as exc:
            raise StoreError(f"{self.uri}: Neo4j failed ({_first_line(exc)})") from None

    def _read(self, text: str, **params: Any) -> list[Any]:
        with self._errors():
            return self._driver.execute_query(
                text, params, database_=self.database, routing_="r"
            ).records

    # -- writing -------------------------------------------------------------------------
    def upsert(self, batch: Sequence[PaperExtraction]) -> None:
        """One write transaction: a crash leaves each paper of the batch whole or absent."""
        if not batch:
            return
        with self._errors(), self._driver.session(database=self.database) as session:
            session.execute_write(_write, batch)

    # -- reading -------------------------------------------------------------------------
    def content_hashes(self, paper_ids: Sequence[str]) -> dict[str, str]:
        records = self._read(
            "UNWIND $ids AS id MATCH (p:Paper {id: id}) RETURN p.id AS id, p.content_hash AS h",
            ids=list(paper_ids),
        )
        return {r["id"]: r["h"] for r in records}

    def paper_ids(self) -> list[str]:
        return [r["id"] for r in self._read("MATCH (p:Paper) RETURN p.id AS id ORDER BY id")]

    def extractions(self, paper_ids: Iterable[str] | None = None) -> Iterator[PaperExtraction]:
        """Papers rebuilt from the graph, by id (all papers when ``paper_ids`` is None)."""
        ids = self.paper_ids() if paper_ids is None else list(paper_ids)
        for i in range(0, len(ids), READ_CHUNK):
            chunk = ids[i : i + READ_CHUNK]
            found = {r["paper"]["id"]: r for r in self._read(READ, ids=chunk)}
            for pid in chunk:
                if pid in found:
                    yield _extraction(found[pid]["paper"], found[pid]["edges"])

    def query(self, text: str, params: dict[str, Any] | None = None) -> Table:
        """Run user Cypher in an auto-commit transaction (so CALL … IN TRANSACTIONS works)."""
        with self._errors(), self._driver.session(database=self.database) as session:
            try:
                result = session.run(text, params or {})
                columns = list(result.keys())
                rows = [tuple(_plain(v) for v in record.values()) for record in result]
            except CypherSyntaxError as exc:
                raise QueryError(f"Cypher syntax error: {_first_line(exc)}") from None
            except ClientError as exc:
                if exc.code.startswith(("Neo.ClientError.Database.", "Neo.ClientError.Security.")):
                    raise
                raise QueryError(f"Cypher query failed: {_first_line(exc)}") from None
        return Table(columns, rows)

    def first_page(
        self, paper_list: PaperList, entity_key: str | None, limit: int | None
    ) -> list[PageRow] | None:
        """None: Neo4j keeps no pages; the list's Cypher query answers."""
        return None

    def ranked(self, kind: EntityKind, limit: int | None) -> list[RankedRow] | None:
        """None: Neo4j keeps no rankings; the Cypher count answers."""
        return None

    def paired(
        self, pairing: Pairing, entity_key: str, limit: int | None
    ) -> list[RankedRow] | None:
        """None: Neo4j keeps no pair counts; its graph walk from one entity is the index."""
        return None

    def stats(self) -> Stats:
        counts = {r["name"]: r["n"] for r in self._read(STATS)}
        return Stats(
            papers=counts.pop("Paper", 0),
            entities={
                k.value: counts[k.value]
                for k in sorted(EntityKind, key=lambda k: k.value)
                if counts.get(k.value)
            },
            edges={
                r.value: counts[r.value]
                for r in sorted(Relation, key=lambda r: r.value)
                if counts.get(r.value)
            },
        )

    def clear(self) -> None:
        """Delete every node and relationship (tests and benchmarks start from empty)."""
        with self._errors(), self._driver.session(database=self.database) as session:
            session.run(
                "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_neo4j(
    uri: str | None = None,
    username: str | None = None,
    password: str | None = None,
    database: str | None = None,
    retry_s: float = 15.0,
    **_: Any,
) -> Neo4jStore:
    """Open from arguments, else NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE."""
    uri = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
    username = username or os.environ.get("NEO4J_USERNAME")
    password = password or os.environ.get("NEO4J_PASSWORD")
    auth = (username or "neo4j", password) if password else None
    return Neo4jStore(uri, auth, database or os.environ.get("NEO4J_DATABASE") or None, retry_s)
