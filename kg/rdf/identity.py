"""Where the embedded store finds a paper by any of its identity keys.

Every key is in the paper's own graph: the id (``dcterms:identifier``), the arXiv id and
DOI (without their ``arxiv:``/``doi:`` prefix), the title key (``kg:titleKey``) and the
aliases (``kg:alias``); pyoxigraph's object-first index answers each pattern by a seek.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from pyoxigraph import Literal, NamedNode, Store

from kg.keyindex import MISSING, KeyIndex, key_hashes
from kg.rdf.terms import P

_PREFIXED = {"arxiv:": P["arxivId"], "doi:": P["doi"]}


#: The properties a paper's identity keys are read from.
IDENTITY_PROPERTIES = (P["identifier"], P["titleKey"], P["alias"], P["arxivId"], P["doi"])


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
    for prop in IDENTITY_PROPERTIES:
        for q in store.quads_for_pattern(subject, prop, None, graph):  # type: ignore[arg-type]
            if isinstance(q.object, Literal):
                values.setdefault(prop.value, []).append(q.object.value)
    return identity_of(values)


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
    papers = {
        (q.subject, q.graph_name)
        for key in keys
        for prop, value in identity_patterns(key)
        for q in store.quads_for_pattern(None, prop, Literal(value), None)
        if q.graph_name not in internal
    }
    found: dict[str, frozenset[str]] = {}
    for subject, graph in papers:
        if (ids := paper_identity(store, subject, graph)) is not None:
            found[ids[0]] = ids[1]
    return found


class HeldKeys:
    """The hashes of every identity key a store holds, read from it on first use (a few
    seconds at a million papers) and kept up as papers are written: a key it lacks is no
    stored paper's, so looking it up is skipped."""

    def __init__(self) -> None:
        self._index: KeyIndex | None = None

    def among(self, keys: Sequence[str], read: Callable[[], Iterable[str]]) -> list[str]:
        """The keys among ``keys`` that a stored paper may hold; ``read`` lists every
        stored key the first time (passed each call, not kept: a store that held its own
        method would never be freed, and its RocksDB lock with it)."""
        if self._index is None:
            self._index = KeyIndex()
            self._index.add(key_hashes(read()))
        held = self._index.find(key_hashes(keys)) != MISSING
        return [key for key, hit in zip(keys, held, strict=True) if hit]

    def add(self, keys: Iterable[str]) -> None:
        if self._index is not None:
            self._index.add(key_hashes(keys))
