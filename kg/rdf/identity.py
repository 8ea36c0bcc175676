"""Where the embedded store finds a paper by any of its identity keys.

Every key is in the paper's own graph: the id (``dcterms:identifier``), the arXiv id and
DOI (without their ``arxiv:``/``doi:`` prefix), the title key (``kg:titleKey``) and the
aliases (``kg:alias``); pyoxigraph's object-first index answers each pattern by a seek.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pyoxigraph import Literal, NamedNode, Store

from kg.rdf.terms import P

_PREFIXED = {"arxiv:": P["arxivId"], "doi:": P["doi"]}


def identity_patterns(key: str) -> Iterator[tuple[NamedNode, str]]:
    """(property, literal value) pairs a paper holding ``key`` has one of."""
    yield P["identifier"], key
    yield P["alias"], key
    if key.startswith("title:"):
        yield P["titleKey"], key
    for prefix, prop in _PREFIXED.items():
        if key.startswith(prefix):
            yield prop, key[len(prefix) :]


def paper_identity(
    store: Store, subject: object, graph: object
) -> tuple[str, frozenset[str]] | None:
    """(id, identity keys) of the paper ``subject`` in ``graph``; None if it has no id."""
    values: dict[str, list[str]] = {}
    for q in store.quads_for_pattern(subject, None, None, graph):  # type: ignore[arg-type]
        if isinstance(q.object, Literal):
            values.setdefault(q.predicate.value, []).append(q.object.value)
    return identity_of(values)


#: The properties a paper's identity keys are read from.
IDENTITY_PROPERTIES = (P["identifier"], P["titleKey"], P["alias"], P["arxivId"], P["doi"])


def identity_of(values: dict[str, list[str]]) -> tuple[str, frozenset[str]] | None:
    """(id, identity keys) from a paper's values by property IRI; None without an id."""
    ids = values.get(P["identifier"].value)
    if not ids:
        return None
    keys = {ids[0], *values.get(P["titleKey"].value, ()), *values.get(P["alias"].value, ())}
    keys |= {f"arxiv:{v}" for v in values.get(P["arxivId"].value, ())}
    keys |= {f"doi:{v}" for v in values.get(P["doi"].value, ())}
    return ids[0], frozenset(keys)


def stored_keys(store: Store, internal: tuple[NamedNode, ...]) -> Iterator[str]:
    """Every identity key of every paper in ``store`` (a shard's, when it is sealed)."""
    prefixes = {P["arxivId"]: "arxiv:", P["doi"]: "doi:"}
    for prop in (P["identifier"], P["titleKey"], P["alias"], *prefixes):
        for q in store.quads_for_pattern(None, prop, None, None):
            if q.graph_name not in internal and isinstance(q.object, Literal):
                yield prefixes.get(prop, "") + q.object.value


def find_identities(
    store: Store, keys: Sequence[str], internal: tuple[NamedNode, ...]
) -> dict[str, frozenset[str]]:
    """``Store.identities`` over one pyoxigraph store whose own graphs are ``internal``."""
    found: dict[str, frozenset[str]] = {}
    for key in keys:
        for prop, value in identity_patterns(key):
            for q in store.quads_for_pattern(None, prop, Literal(value), None):
                if q.graph_name in internal:
                    continue
                if (ids := paper_identity(store, q.subject, q.graph_name)) is not None:
                    found[ids[0]] = ids[1]
    return found
