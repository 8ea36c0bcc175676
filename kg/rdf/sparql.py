"""SPARQL over a pyoxigraph store: parameters bound as RDF terms, never spliced into the
text, and answers as kg ``Table``s of plain Python values."""

from __future__ import annotations

from typing import Any

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    Store,
    Triple,
    Variable,
)

from kg.errors import QueryError, UsageError
from kg.rdf.vocab import PREFIXES, XSD
from kg.store.base import Table

#: What a query parameter may be bound to.
Term = NamedNode | BlankNode | Literal | Triple
_XSD_BOOLEAN = NamedNode(XSD + "boolean")
_XSD_INTEGER = NamedNode(XSD + "integer")
_INTEGERS = ("#integer", "#int", "#long")
_DECIMALS = ("#decimal", "#double")


def to_python(term: Any) -> Any:
    """A term's value: numbers and booleans as Python's, anything else as its string."""
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(_INTEGERS):
            return int(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        if dt.endswith(_DECIMALS):
            return float(term.value)
    return term.value


def to_term(value: Any) -> Literal:
    """A parameter as the literal a query compares with: typed booleans and integers."""
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=_XSD_BOOLEAN)
    if isinstance(value, int):
        return Literal(str(value), datatype=_XSD_INTEGER)
    return Literal(str(value))


def run_sparql(store: Store, text: str, params: dict[str, Any] | None = None) -> Table:
    """Run ``text`` over the union of ``store``'s graphs with kg's prefixes; SELECT gives
    its variables as columns, ASK one boolean, CONSTRUCT/DESCRIBE (subject, predicate,
    object) rows."""
    try:
        subs: dict[Variable, Term] = {Variable(k): to_term(v) for k, v in (params or {}).items()}
    except ValueError as exc:
        raise UsageError(f"bad query parameter ({exc}): {sorted(params or {})}") from None
    try:
        result = store.query(
            text, prefixes=PREFIXES, substitutions=subs, use_default_graph_as_union=True
        )
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except (RuntimeError, ValueError) as exc:  # e.g. a --param naming no projected variable
        raise QueryError(f"SPARQL query rejected: {exc}") from None
    if isinstance(result, QueryBoolean):
        return Table(["result"], [(bool(result),)])
    if isinstance(result, QuerySolutions):
        columns = [v.value for v in result.variables]
        return Table(columns, [tuple(to_python(sol[c]) for c in columns) for sol in result])
    return Table(
        ["subject", "predicate", "object"],
        [(t.subject.value, t.predicate.value, t.object.value) for t in result],
    )
