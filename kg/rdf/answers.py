"""Named questions the embedded stores answer from their index instead of a scan.

Up to ``kg.rdf.tally.RANKED`` rows the top-* questions come from the kind's ranking; up
to ``kg.rdf.pages.PAGE`` rows the paper lists come from the first page kept of each
list; the questions that count entities against one entity come from its pair counts
(``kg.rdf.pairs``) at any length. Each is the same answer, in the same order, as the
question's SPARQL text sorted by kg: tests hold all three to the full answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kg.model import EntityKind, Relation
from kg.query import named
from kg.query.named import NamedQuery
from kg.rdf.pages import PaperList
from kg.rdf.pairs import DATASETS_FOR, METHODS_ON, Pairing
from kg.store.base import PageRow, RankedRow, Table


class ReadySource(Protocol):
    """What keeps ready answers: one store's index, or a sharded store merging its shards'."""

    def first_page(
        self, paper_list: PaperList, entity_key: str | None, limit: int | None
    ) -> list[PageRow] | None:
        """The first ``limit`` rows of a paper list by title; None past the page."""
        ...

    def ranked(self, kind: EntityKind, limit: int | None) -> list[RankedRow] | None:
        """The ``limit`` entities of ``kind`` with the most papers; None past the ranking."""
        ...

    def paired(
        self, pairing: Pairing, entity_key: str, limit: int | None
    ) -> list[RankedRow] | None:
        """Entities counted against one by papers, ties by name."""
        ...


@dataclass(frozen=True)
class Ready:
    """Where a question's answer is kept, and which leading fields of the kept rows
    (``PageRow`` or ``RankedRow``) make its columns."""

    columns: tuple[str, ...]
    ranked: EntityKind | None = None
    paged: PaperList | None = None
    paired: Pairing | None = None


PAPER_COLUMNS = ("paper", "title", "code")
READY: dict[NamedQuery, Ready] = {
    named.EVALUATED_ON: Ready(PAPER_COLUMNS, paged=PaperList(Relation.EVALUATED_ON, False)),
    named.PAPERS_WITH_CODE: Ready(PAPER_COLUMNS, paged=PaperList(None, with_code=True)),
    named.PAPERS_ON_TASK: Ready(PAPER_COLUMNS[:2], paged=PaperList(Relation.ADDRESSES, False)),
    named.METHODS_ON: Ready(("method", "papers"), paired=METHODS_ON),
    named.DATASETS_FOR: Ready(("dataset", "papers"), paired=DATASETS_FOR),
    named.TOP_DATASETS: Ready(("dataset", "papers"), ranked=EntityKind.DATASET),
    named.TOP_METHODS: Ready(("method", "papers"), ranked=EntityKind.METHOD),
}


def ready_answer(
    source: ReadySource, query: NamedQuery, params: dict[str, Any], limit: int | None
) -> Table | None:
    """The answer from a ranking, a paper list's page or an entity's pair counts, where
    ``source`` keeps it for ``query``; None to have the query's text run instead."""
    ready = READY.get(query)
    if ready is None or params.get("include_variants"):
        return None  # kept per entity: its variants' rows are not among them
    rows: Sequence[tuple[Any, ...]] | None = None
    entity = next((params[p.name] for p in query.params if p.entity is not None), None)
    if ready.paired is not None and entity is not None:
        rows = source.paired(ready.paired, entity, limit)
    elif ready.ranked is not None:
        rows = source.ranked(ready.ranked, limit)
    elif ready.paged is not None:
        with_code = ready.paged.with_code or bool(params.get("with_code"))
        rows = source.first_page(PaperList(ready.paged.relation, with_code), entity, limit)
    if rows is None:
        return None
    width = len(ready.columns)
    return Table(list(ready.columns), [tuple(row[:width]) for row in rows])
