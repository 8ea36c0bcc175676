"""The Neo4j store: kg's graph in a Neo4j 5 server over Bolt, queried with Cypher.

The layout, rows and Cypher texts are ``kg.neo4j.mapping``'s; this module owns the
driver: connecting, transactions, one-line errors naming the URI.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase
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

from kg.errors import QueryError, StoreError, UsageError
from kg.model import EntityKind, PaperExtraction, Relation
from kg.neo4j.mapping import IDENTITIES, READ, STATS, extraction, schema_statements, write_batch
from kg.store.base import Stats, Store, Table

DEFAULT_URI = "bolt://127.0.0.1:7687"
#: The schemes the official driver speaks; anything else (http://) fails deep inside it.
BOLT_SCHEMES = frozenset(("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"))
READ_CHUNK = 500


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


class Neo4jStore(Store):
    name = "neo4j"
    query_language = "cypher"

    def __init__(
        self, uri: str, auth: tuple[str, str] | None, database: str | None, retry_s: float = 15.0
    ) -> None:
        self.uri, self.database = uri, database
        self._user = auth[0] if auth else None
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
            raise self._auth_error() from None
        except (ConfigurationError, ValueError) as exc:
            raise StoreError(f"{uri}: not a usable Neo4j URI ({_first_line(exc)})") from None
        except (DriverError, OSError) as exc:
            raise StoreError(
                f"{uri}: cannot reach Neo4j ({_first_line(exc)}); start one with "
                "`kg neo4j start` or set NEO4J_URI"
            ) from None

    @classmethod
    def open(
        cls,
        uri: str | None = None,
        username: str | None = None,
        password: str | None = None,
        database: str | None = None,
        retry_s: float = 15.0,
        **_: Any,
    ) -> Neo4jStore:
        """Open from arguments, else NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE."""
        uri = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
        if uri.partition("://")[0].lower() not in BOLT_SCHEMES:
            raise UsageError(
                f"{uri}: not a Neo4j Bolt URI; use bolt://HOST:7687 or neo4j://HOST:7687 "
                "(http:// is the browser's port, not the driver's)"
            )
        username = username or os.environ.get("NEO4J_USERNAME")
        password = password or os.environ.get("NEO4J_PASSWORD")
        auth = (username or "neo4j", password) if password else None
        return cls(uri, auth, database or os.environ.get("NEO4J_DATABASE") or None, retry_s)

    def _auth_error(self) -> StoreError:
        """The server refused us: no password given, or a wrong user or password."""
        if self._user is None:
            return StoreError(
                f"{self.uri}: Neo4j requires a password; set NEO4J_PASSWORD "
                "(and NEO4J_USERNAME if not 'neo4j')"
            )
        return StoreError(
            f"{self.uri}: Neo4j rejected the credentials of user {self._user!r}; check "
            "NEO4J_USERNAME and NEO4J_PASSWORD"
        )

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Server-side failures become one-line StoreErrors naming the URI."""
        try:
            yield
        except AuthError:
            raise self._auth_error() from None
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
            session.execute_write(write_batch, batch)

    # -- reading -------------------------------------------------------------------------
    def identities(self, keys: Sequence[str]) -> dict[str, frozenset[str]]:
        keys = list(keys)
        records = self._read(
            IDENTITIES,
            keys=keys,
            arxiv=[k[6:] for k in keys if k.startswith("arxiv:")],
            doi=[k[4:] for k in keys if k.startswith("doi:")],
            aliases=[k for k in keys if not k.startswith(("arxiv:", "doi:", "title:"))],
        )
        return {
            r["id"]: frozenset(
                k
                for k in (
                    r["id"],
                    r["title_key"],
                    r["arxiv"] and "arxiv:" + r["arxiv"],
                    r["doi"] and "doi:" + r["doi"],
                    *r["aliases"],
                )
                if k
            )
            for r in records
        }

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
                    row = found[pid]
                    yield extraction(row["paper"], row["edges"], row["results"])

    def query(
        self, text: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Table:
        """Run user Cypher in an auto-commit transaction (so CALL … IN TRANSACTIONS works),
        in read access mode unless ``write``: the server then refuses any write."""
        mode = WRITE_ACCESS if write else READ_ACCESS
        with (
            self._errors(),
            self._driver.session(database=self.database, default_access_mode=mode) as session,
        ):
            try:
                result = session.run(text, params or {})
                columns = list(result.keys())
                rows = [tuple(_plain(v) for v in record.values()) for record in result]
            except CypherSyntaxError as exc:
                raise QueryError(f"Cypher syntax error: {_first_line(exc)}") from None
            except ClientError as exc:
                code = exc.code or ""
                if code == "Neo.ClientError.Statement.AccessMode":
                    raise UsageError(
                        "this Cypher writes; kg cypher runs read-only unless given --write"
                    ) from None
                if code.startswith(("Neo.ClientError.Database.", "Neo.ClientError.Security.")):
                    raise
                raise QueryError(f"Cypher query failed: {_first_line(exc)}") from None
        return Table(columns, rows)

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
