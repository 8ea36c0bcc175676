"""Named and raw queries over any store; arguments are always passed as parameters."""

from __future__ import annotations

from difflib import get_close_matches
from operator import itemgetter
from typing import Any

from kg.errors import UsageError
from kg.query.named import ALL, NamedQuery, entity_key_query, entity_names_query
from kg.query.papers import one_line
from kg.registry import Registry
from kg.resolve import Resolver
from kg.store.base import Store, Table

QUERIES: Registry[NamedQuery] = Registry("query", plural="queries")
for _query in ALL:
    QUERIES.register(_query.name, _query)


def bind_params(
    query: NamedQuery, args: dict[str, Any], resolver: Resolver | None = None
) -> dict[str, Any]:
    """Check ``args`` against the query's params; entity names become canonical keys."""
    resolver = resolver or Resolver.default()
    unknown = set(args) - {p.name for p in query.params}
    if unknown:
        raise UsageError(
            f"query {query.name!r} takes no argument {sorted(unknown)[0]!r}; try: {query.example}"
        )
    bound: dict[str, Any] = {}
    for param in query.params:
        value = args.get(param.name, param.default)
        if value is None:
            raise UsageError(
                f"query {query.name!r} needs {param.name.upper()} "
                f"({param.help}); try: {query.example}"
            )
        if param.entity is not None and value != "":
            value = resolver.result_entity(param.entity, str(value)).key
        elif isinstance(param.default, bool):
            value = bool(value)
        elif isinstance(param.default, int):
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise UsageError(f"{param.name} must be a whole number, not {value!r}") from None
            if value < 0:
                raise UsageError(f"{param.name} must be 0 or more, not {value}")
        bound[param.name] = value
    return bound


def run_named(
    store: Store, name: str, args: dict[str, Any] | None = None, resolver: Resolver | None = None
) -> Table:
    """Answer a named question on ``store`` in the store's own query language.

    ``limit`` (0: every row) is applied by kg after sorting; the first rows of a ranking
    or a paper list, and whole answers from pair counts, come from the store where it
    keeps them ready.
    """
    query = QUERIES.get(name)
    params = bind_params(query, args or {}, resolver)
    if query.grouped is not None:
        query = query.grouped if params.pop("include_variants") else query
    limit = params.pop("limit", None) or None
    answer = _answer(store, query, params, limit)
    if not answer.rows:
        _check_entities_exist(store, query, params, args or {})
    return answer


def _answer(store: Store, query: NamedQuery, params: dict[str, Any], limit: int | None) -> Table:
    if (ready := store.answer(query, params, limit)) is not None:
        return ready
    text = query.text(store.query_language)
    table = store.query(text, params)
    # SPARQL texts project their parameters (pyoxigraph substitutes only projected
    # variables); the answer's columns are the query's own
    keep = [i for i, c in enumerate(table.columns) if c not in params]
    columns = [table.columns[i] for i in keep]
    rows = _summed(query, columns, [tuple(row[i] for i in keep) for row in table.rows])
    for column, descending in reversed(query.order):  # stable sorts, last key first
        rows.sort(key=itemgetter(columns.index(column)), reverse=descending)
    shown = [i for i, c in enumerate(columns) if c not in query.hidden]
    rows = [tuple(row[i] for i in shown) for row in rows]
    return Table([columns[i] for i in shown], rows[:limit] if limit is not None else rows)


def _summed(
    query: NamedQuery, columns: list[str], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Rows that agree but for the query's count columns, added up: a store that answers
    part by part (one shard at a time) counts each part's papers once."""
    if not query.sums:
        return rows
    counted = [columns.index(c) for c in query.sums]
    totals: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        key = tuple(v for i, v in enumerate(row) if i not in counted)
        if key in totals:
            for i in counted:
                totals[key][i] += row[i]
        else:
            totals[key] = list(row)
    return [tuple(total) for total in totals.values()]


def _check_entities_exist(
    store: Store, query: NamedQuery, params: dict[str, Any], args: dict[str, Any]
) -> None:
    """An empty answer about an entity the graph does not hold is a typo, not "no
    papers": say so, with the closest names of that kind."""
    for param in query.params:
        if param.entity is None or params[param.name] == "":
            continue
        found = store.query(
            entity_key_query(store.query_language, param.entity), {"key": params[param.name]}
        )
        if found.rows:
            continue
        asked = str(args.get(param.name, params[param.name]))
        names = store.query(entity_names_query(store.query_language, param.entity), {}).rows
        by_fold = {str(row[0]).casefold(): str(row[0]) for row in names}
        close = get_close_matches(asked.casefold(), list(by_fold), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(one_line(by_fold[c]) for c in close)}?" if close else ""
        kind = param.entity.value.lower()
        raise UsageError(f"no {kind} {asked!r} in this graph{hint}")


__all__ = ["QUERIES", "NamedQuery", "bind_params", "run_named"]
