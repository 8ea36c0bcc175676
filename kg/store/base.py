"""The one small interface every store backend implements."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from kg.model import EntityKind, PaperExtraction
from kg.store.pages import PaperList
from kg.store.pairs import Pairing


@dataclass
class Table:
    """Rows of a query answer, with column names: what every backend returns."""

    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class PageRow(NamedTuple):
    """A row of a paper list: the code link is the least of the paper's repositories."""

    paper: str
    title: str
    code: str | None


class RankedRow(NamedTuple):
    """An entity of a ranking: its preferred label and how many papers link it."""

    name: str
    papers: int


@dataclass
class Stats:
    papers: int
    entities: dict[str, int]
    edges: dict[str, int]


class Store(Protocol):
    """A graph store: upserts papers with their edges, answers named and raw queries.

    ``upsert`` replaces everything known about each paper in the batch, so re-running a
    build gives the same graph and a crash leaves whole papers or none of them.
    """

    name: str
    query_language: str  # "sparql" or "cypher": which text of a NamedQuery it runs

    def upsert(self, batch: Sequence[PaperExtraction]) -> None: ...

    def content_hashes(self, paper_ids: Sequence[str]) -> dict[str, str]: ...

    def extractions(self, paper_ids: Iterable[str] | None = None) -> Iterator[PaperExtraction]: ...

    def query(self, text: str, params: dict[str, Any]) -> Table: ...

    def stats(self) -> Stats: ...

    def first_page(
        self, paper_list: PaperList, entity_key: str | None, limit: int | None
    ) -> list[PageRow] | None:
        """The first ``limit`` rows of a paper list by title, where the store keeps them
        (kg.store.pages); None to have the list's full query answer instead."""
        ...

    def ranked(self, kind: EntityKind, limit: int | None) -> list[RankedRow] | None:
        """The ``limit`` entities of ``kind`` with the most papers (ties by name), where
        the store keeps a ranking (kg.store.tally); None to have the full query answer."""
        ...

    def paired(
        self, pairing: Pairing, entity_key: str, limit: int | None
    ) -> list[RankedRow] | None:
        """Entities counted against one (methods on a dataset, datasets for a method) by
        papers, ties by name, where the store keeps the counts (kg.store.pairs); None to
        have the full query answer."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...
