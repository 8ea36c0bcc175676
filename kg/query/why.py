"""``kg why``: the sentences behind the edges between one paper and one entity."""

from __future__ import annotations

from collections.abc import Iterator

from kg.errors import UsageError
from kg.model import paper_id, title_key
from kg.resolve import name_key, url_key
from kg.store.base import Store


def explain(store: Store, paper: str, entity: str) -> Iterator[str]:
    """One line per supporting mention: relation, surface form, span, extractor, sentence."""
    candidates = [paper, paper_id(title=paper)]
    ex = next(store.extractions(candidates[:1]), None) or next(
        store.extractions(candidates[1:]), None
    )
    if ex is None:
        raise UsageError(f"no paper with id or title {paper!r} in the store")
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
