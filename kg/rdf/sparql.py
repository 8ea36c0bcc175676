"""SPARQL over a pyoxigraph store: parameters bound as RDF terms, never spliced into the
text, and answers as kg ``Table``s of plain Python values."""

from __future__ import annotations

import re
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

from kg.errors import QueryError, StoreError, UsageError
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
        try:
            result = store.query(
                text, prefixes=PREFIXES, substitutions=subs, use_default_graph_as_union=True
            )
        except (RuntimeError, ValueError) as exc:
            if "projection" not in str(exc):
                raise
            # pyoxigraph substitutes only projected variables: bind them as inline data
            bound = with_values(text, subs)
            result = store.query(bound, prefixes=PREFIXES, use_default_graph_as_union=True)
        return _table(result)  # solutions are computed as they are read
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except (RuntimeError, ValueError) as exc:
        raise QueryError(f"SPARQL query rejected: {exc}") from None
    except OSError as exc:  # a SERVICE endpoint that cannot be reached, a failing disk
        raise StoreError(f"SPARQL query could not run: {exc}") from None


def _table(result: Any) -> Table:
    if isinstance(result, QueryBoolean):
        return Table(["result"], [(bool(result),)])
    if isinstance(result, QuerySolutions):
        columns = [v.value for v in result.variables]
        return Table(columns, [tuple(to_python(sol[c]) for c in columns) for sol in result])
    return Table(
        ["subject", "predicate", "object"],
        [(t.subject.value, t.predicate.value, t.object.value) for t in result],
    )


#: What a scan for the WHERE group steps over: strings, IRIs, comments, and words.
_SKIPPED = re.compile(
    r"""'{3}(?:[^'\\]|\\.|'(?!''))*'{3}|"{3}(?:[^"\\]|\\.|"(?!""))*"{3}"""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*"""
    r"""|[?$]?[A-Za-z_][\w-]*:?[\w.-]*|[{}]""",
)


def words(text: str) -> list[str]:
    """The query's tokens, each string, IRI and comment one token: keywords are the bare
    words among them."""
    return _SKIPPED.findall(text)


def with_values(text: str, bindings: dict[Variable, Term]) -> str:
    """``text`` with ``VALUES (?a …) { (term …) }`` opening its WHERE group, so each
    variable is bound across the whole pattern, projected or not. Each term is written by
    pyoxigraph in N-Triples form, escaped, so a value stays one data term, never query
    text."""
    at = _where_brace(text)
    if at is None:
        raise QueryError("cannot bind --param: the query has no WHERE group")
    names = " ".join(str(variable) for variable in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"{text[: at + 1]} VALUES ({names}) {{ ({terms}) }} {text[at + 1 :]}"


def _where_brace(text: str) -> int | None:
    """Offset of the ``{`` that opens the query's WHERE group: the first brace after the
    WHERE keyword, else (WHERE is optional) the first top-level group after a CONSTRUCT
    template, else the first brace."""
    tokens = [(m.group(0), m.start()) for m in _SKIPPED.finditer(text)]
    words = [t.upper() for t, _ in tokens]
    braces = [(i, at) for i, (t, at) in enumerate(tokens) if t == "{"]
    if "WHERE" in words:
        after = words.index("WHERE")
        return next((at for i, at in braces if i > after), None)
    if "CONSTRUCT" in words:  # skip the template: the group after it is the pattern
        depth, template_done = 0, False
        for token, at in tokens[words.index("CONSTRUCT") + 1 :]:
            if token == "{":
                if depth == 0 and template_done:
                    return at
                depth += 1
            elif token == "}":
                depth -= 1
                template_done = depth == 0
        return None
    return braces[0][1] if braces else None
