"""What raw queries typed at ``kg sparql`` and ``kg cypher`` may do unless the user says
otherwise: reach no other server, change nothing.

Checked on the query's words, with strings, IRIs, identifiers in backticks and comments
stepped over, before any store is opened. Neo4j enforces read-only sessions itself
(``Neo4jStore.query``); this check also catches what a read session allows but a query
from a shared script should not do unasked: ``LOAD CSV`` and ``apoc`` fetch URLs and read
server files, ``dbms`` procedures administer the server.
"""

from __future__ import annotations

import re

from kg.errors import UsageError
from kg.rdf.sparql import words

#: Cypher that writes or reaches outside the graph, as (pattern, what it does).
_CYPHER_REFUSED: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), what)
    for pattern, what in (
        (r"\b(?:CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|FOREACH|ALTER)\b", "writes"),
        (r"\b(?:GRANT|DENY|REVOKE)\b", "changes privileges"),
        (r"\bLOAD\s+CSV\b", "reads a URL or a server file (LOAD CSV)"),
        (r"\bIN\s+TRANSACTIONS\b", "writes in batches (CALL … IN TRANSACTIONS)"),
        (r"\b(?:dbms|apoc)\s*\.", "calls server procedures (dbms., apoc.)"),
    )
)
_CYPHER_SKIPPED = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)


def check_sparql(text: str, allow_service: bool) -> None:
    """Refuse federated SPARQL (``SERVICE <…>``), which makes the store fetch a URL."""
    if not allow_service and any(word.upper() == "SERVICE" for word in words(text)):
        raise UsageError(
            "this SPARQL calls another endpoint (SERVICE); kg sparql stays offline "
            "unless given --allow-service"
        )


def check_cypher(text: str, write: bool) -> None:
    """Refuse Cypher that writes or reaches outside the graph, unless ``write``."""
    if write:
        return
    bare = _CYPHER_SKIPPED.sub(" ", text)
    for pattern, what in _CYPHER_REFUSED:
        if pattern.search(bare):
            raise UsageError(f"this Cypher {what}; kg cypher runs read-only unless given --write")
