"""The SPARQL 1.1 Protocol over HTTP (httpx): queries and updates sent to an endpoint,
answers read back as pyoxigraph terms, and every failure one line naming the endpoint.

Queries are POSTed as forms (no URL length limit) asking for SPARQL JSON results, or
N-Triples for CONSTRUCT and DESCRIBE; updates are POSTed as ``application/sparql-update``,
which a server runs as one transaction (Fuseki/TDB2 does): a batch is written whole or
not at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse

from kg.errors import QueryError, StoreError
from kg.rdf.sparql import to_python
from kg.rdf.vocab import PREFIXES
from kg.store.base import Table

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
#: What kg's own texts start with: the prefixes the embedded store predefines.
PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
#: What an answer binds: kg stores no quoted triples, so none come back.
Term = NamedNode | BlankNode | Literal
Solution = dict[str, Term]


class Refused(StoreError):
    """The endpoint refused what kg sent (a 4xx that is not about credentials): the input,
    not the server, is what to look at (exit 2)."""

    exit_code = 2
    code = "KG330"


def term(binding: Mapping[str, str]) -> Term:
    """A SPARQL JSON results term as the pyoxigraph term the embedded store would give."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return NamedNode(value)
    if kind == "bnode":
        return BlankNode()  # labels are local to one answer; kg reads none back
    if language := binding.get("xml:lang"):
        return Literal(value, language=language)
    if datatype := binding.get("datatype"):
        return Literal(value, datatype=NamedNode(datatype))
    return Literal(value)


class SparqlClient:
    """One endpoint for queries, one for updates (often the same URL), basic auth."""

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float = 300.0,
        gsp_endpoint: str | None = None,
    ) -> None:
        """``gsp_endpoint``: where N-Quads are POSTed to add them (Fuseki's dataset URL
        takes them; N-Quads parse about 3x faster than the same quads in an update);
        None: the query URL, "none": never, every write is a SPARQL Update."""
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        gsp = gsp_endpoint or endpoint
        self.gsp_endpoint: str | None = None if gsp.lower() == "none" else gsp
        self._http = httpx.Client(auth=auth, timeout=httpx.Timeout(timeout, connect=5.0))

    def close(self) -> None:
        self._http.close()

    @contextmanager
    def _errors(self, url: str, asked: str) -> Iterator[None]:
        """Transport failures become one-line StoreErrors naming ``url``."""
        try:
            yield
        except httpx.ConnectError as exc:
            raise StoreError(
                f"{url}: cannot reach the SPARQL endpoint ({exc}); start one with "
                "`kg fuseki start` or set KG_SPARQL_ENDPOINT"
            ) from None
        except httpx.TimeoutException:
            raise StoreError(
                f"{url}: the SPARQL endpoint did not answer the {asked} in time"
            ) from None
        except httpx.HTTPError as exc:
            raise StoreError(
                f"{url}: SPARQL {asked} failed ({type(exc).__name__}: {exc})"
            ) from None

    def _check(self, url: str, answer: httpx.Response, asked: str) -> None:
        status = answer.status_code
        if status < 400:
            return
        why = " ".join(answer.text.split())[:200] or answer.reason_phrase
        if status in (401, 403):
            raise StoreError(
                f"{url}: the SPARQL endpoint refused the credentials ({status}); set "
                "KG_SPARQL_USERNAME and KG_SPARQL_PASSWORD"
            )
        if status == 404:
            raise StoreError(f"{url}: no SPARQL {asked} service here (404); check the URL")
        if status == 400 and asked == "query":
            raise QueryError(f"SPARQL query rejected by {url}: {why}")
        if 400 <= status < 500:
            raise Refused(f"{url}: the SPARQL endpoint refused the {asked} ({status}): {why}")
        raise StoreError(f"{url}: the SPARQL endpoint failed ({status}): {why}")

    def update(self, text: str) -> None:
        url = self.update_endpoint
        with self._errors(url, "update"):
            answer = self._http.post(
                url,
                content=(PROLOGUE + text).encode(),
                headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            )
        self._check(url, answer, "update")

    def upload(self, nquads: bytes) -> bool:
        """Add quads in one request (one transaction); False, and SPARQL Update from then
        on, when the endpoint takes no N-Quads (404, 405, 415)."""
        url = self.gsp_endpoint
        if url is None:
            return False
        with self._errors(url, "upload"):
            answer = self._http.post(
                url, content=nquads, headers={"Content-Type": "application/n-quads"}
            )
        if answer.status_code in (404, 405, 415):
            self.gsp_endpoint = None
            return False
        self._check(url, answer, "upload")
        return True

    def _ask(self, text: str) -> httpx.Response:
        url = self.endpoint
        with self._errors(url, "query"):
            answer = self._http.post(
                url, data={"query": PROLOGUE + text}, headers={"Accept": ACCEPT}
            )
        self._check(url, answer, "query")
        return answer

    def solutions(self, text: str) -> list[Solution]:
        """The rows of a SELECT, each variable bound to its term (unbound ones left out)."""
        data = self._json(self._ask(text))
        return [
            {name: term(value) for name, value in row.items()}
            for row in data.get("results", {}).get("bindings", [])
        ]

    def table(self, text: str) -> Table:
        """Any query's answer as the embedded store gives it: SELECT its variables, ASK
        one boolean, CONSTRUCT/DESCRIBE (subject, predicate, object) rows."""
        answer = self._ask(text)
        if "n-triples" in answer.headers.get("content-type", ""):
            triples = parse(answer.content, format=RdfFormat.N_TRIPLES)
            return Table(
                ["subject", "predicate", "object"],
                [(t.subject.value, t.predicate.value, t.object.value) for t in triples],
            )
        data = self._json(answer)
        if "boolean" in data:
            return Table(["result"], [(bool(data["boolean"]),)])
        columns: list[str] = data["head"].get("vars", [])
        rows = [
            tuple(to_python(term(row[c])) if c in row else None for c in columns)
            for row in data["results"]["bindings"]
        ]
        return Table(columns, rows)

    def _json(self, answer: httpx.Response) -> dict[str, Any]:
        try:
            data = answer.json()
        except ValueError:
            kind = answer.headers.get("content-type", "no content type")
            raise StoreError(f"{self.endpoint}: not SPARQL JSON results ({kind})") from None
        if not isinstance(data, dict) or not ("boolean" in data or "results" in data):
            raise StoreError(f"{self.endpoint}: not SPARQL JSON results")
        return data
