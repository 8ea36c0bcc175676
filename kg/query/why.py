"""``kg why``: the sentences behind the edges and results between one paper and one entity."""

from __future__ import annotations

from collections.abc import Iterator

from kg.errors import UsageError
from kg.model import Evidence, title_key
from kg.query.papers import find_stored_paper
from kg.resolve import name_key, url_key
from kg.store.base import Store


def explain(store: Store, paper: str, entity: str) -> Iterator[str]:
    """One line per supporting mention (relation, surface form, span, extractor) and per
    result that names the entity (value, kind, method, dataset, metric), each with its
    sentence."""
    ex = next(store.extractions([find_stored_paper(store, paper)]))
    wanted = {name_key(entity), url_key(entity)}
    found = False
    for m in ex.mentions:
        if m.entity.key in wanted or name_key(m.surface) in wanted:
            found = True
            yield (
                f"{m.relation.value} {m.entity.name!r} (as {m.surface!r}, "
                f"{_source(m.evidence)}):\n  {_sentence(ex.paper.abstract, m.evidence)}"
            )
    for r in ex.results:
        if any(e.key in wanted or name_key(written) in wanted for e, written in r.links()):
            found = True
            parts = ", ".join(f"{e.kind.value.lower()} {written!r}" for e, written in r.links())
            yield (
                f"RESULT {r.value} ({r.kind.value}; {parts or 'nothing named'}; "
                f"{_source(r.evidence)}):\n  {_sentence(ex.paper.abstract, r.evidence)}"
            )
    if not found:
        names = sorted({e.name for e in ex.entity_surfaces()})
        raise UsageError(
            f"paper {title_key(ex.paper.title)[:60]!r} has no edge to {entity!r}; "
            f"it links: {', '.join(names[:15])}"
        )


def _source(ev: Evidence) -> str:
    return f"chars {ev.start}-{ev.end}, by {ev.extractor}"


def _sentence(abstract: str, ev: Evidence) -> str:
    return abstract[ev.sentence_start : ev.sentence_end].strip()
