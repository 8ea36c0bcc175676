"""``kg why``: the sentences behind the edges between one paper and one entity."""

from __future__ import annotations

from collections.abc import Iterator

from kg.errors import UsageError
from kg.model import title_key
from kg.query.papers import find_stored_paper
from kg.resolve import name_key, url_key
from kg.store.base import Store


def explain(store: Store, paper: str, entity: str) -> Iterator[str]:
    """One line per supporting mention: relation, surface form, span, extractor, sentence."""
    ex = next(store.extractions([find_stored_paper(store, paper)]))
    wanted = {name_key(entity), url_key(entity)}
    found = False
    for m in ex.mentions:
        if m.entity.key in wanted or name_key(m.surface) in wanted:
            found = True
            ev = m.evidence
            sentence = ex.paper.abstract[ev.sentence_start : ev.sentence_end].strip()
            yield (
                f"{m.relation.value} {m.entity.name!r} (as {m.surface!r}, chars "
                f"{ev.start}-{ev.end}, by {ev.extractor}):\n  {sentence}"
            )
    if not found:
        names = sorted({m.entity.name for m in ex.mentions})
        raise UsageError(
            f"paper {title_key(ex.paper.title)[:60]!r} has no edge to {entity!r}; "
            f"it links: {', '.join(names[:15])}"
        )
