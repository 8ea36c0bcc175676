"""The store contract: what every backend implements, and what it may declare it can do.

A backend subclasses ``Store``, implements the abstract methods, and registers the class
in ``kg.store.STORES``. What only some backends can do is declared, never probed for:
``capabilities`` names it, ``answer`` is the one hook through which a store may answer a
named question from data it keeps ready (an index), and ``parts`` says over how many
independent parts a raw query runs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Self

from kg.model import PaperExtraction

if TYPE_CHECKING:
    from kg.query.named import NamedQuery


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


class Capability(StrEnum):
    """What a backend can do beyond the contract's methods."""

    #: streams its graph as RDF quads (``quads()``), so exports need not rebuild them
    QUADS = "quads"
    #: lives in a ``--db`` directory, which a failed first build removes again
    DIRECTORY = "directory"


class Store(ABC):
    """A graph store: upserts papers with their edges, answers named and raw queries.

    ``upsert`` replaces everything known about each paper in the batch, so re-running a
    build gives the same graph and a crash leaves whole papers or none of them. It also
    removes every stored paper whose id is another of the new paper's identity keys
    (``Paper.identity_keys``): that paper was merged into this one (``kg.ingest.identity``).
    """

    name: ClassVar[str]
    #: "sparql" or "cypher": which text of a NamedQuery the store runs
    query_language: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    #: the base IRI of the store's instances, where it keeps one (RDF stores)
    base: str | None = None

    @classmethod
    @abstractmethod
    def open(cls, **options: Any) -> Store:
        """Open from keyword options; each backend takes its own (``path``, ``uri``, …)
        and ignores the others, so one set of CLI options opens any store."""

    @abstractmethod
    def upsert(self, batch: Sequence[PaperExtraction]) -> None: ...

    @abstractmethod
    def identities(self, keys: Sequence[str]) -> dict[str, frozenset[str]]:
        """The identity keys of each stored paper that holds any of ``keys``, by paper id:
        what a build needs to merge a paper arriving under another id into it."""

    @abstractmethod
    def content_hashes(self, paper_ids: Sequence[str]) -> dict[str, str]:
        """Stored content hash per paper id, for the ids the store holds."""

    @abstractmethod
    def extractions(self, paper_ids: Iterable[str] | None = None) -> Iterator[PaperExtraction]:
        """Papers as stored (every paper when ``paper_ids`` is None)."""

    @abstractmethod
    def query(
        self, text: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Table:
        """Run a query in ``query_language``; ``params`` are bound, never spliced. Queries
        read unless ``write`` is asked for; a store that takes no writes through queries
        refuses it."""

    @abstractmethod
    def stats(self) -> Stats: ...

    @abstractmethod
    def close(self) -> None: ...

    def answer(self, query: NamedQuery, params: dict[str, Any], limit: int | None) -> Table | None:
        """The answer to a named question from what the store keeps ready, in the
        question's order and cut to ``limit``; None to have its query text run."""
        return None

    def flush(self) -> None:
        """Make what was upserted durable now (stores that write through do nothing)."""
        return None

    @property
    def parts(self) -> int:
        """Independent parts a raw query runs on, rows concatenated (1: the whole)."""
        return 1

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
