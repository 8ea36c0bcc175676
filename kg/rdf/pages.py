"""First pages of the paper lists, kept current by every upsert of the embedded store.

``evaluated-on``, ``papers-on-task`` and ``papers-with-code`` list papers by title. At a
million papers the most frequent dataset or task has ten thousand papers or more, and the
embedded store pays 0.1-0.4 ms a row to fetch each one's title and code link: seconds for
an answer whose first screen is twenty rows. So the store keeps the first rows of every
list in title order (one JSON literal per list, in the index graph beside the running
counts), as a database keeps a materialised view: each upsert adds the rows its papers
bring and drops the rows of the papers it replaces, and a page left with fewer than
``PAGE`` rows while the list has more is read again from the graph. Answers of up to
``PAGE`` rows come from the page alone.

Pure bookkeeping here; the store reads and writes the literals.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.model import Relation
from kg.rdf.vocab import KG, PAPER_CLASS, RELATION_PROPERTY

#: Answers with a limit up to this many rows come from the page.
PAGE = 100
#: A page holds up to this many rows, so that removals seldom send it back to the graph.
CAP = 2 * PAGE

#: (title, paper id, IRIs of the paper's code repositories): sorted as kg sorts answers.
Row = tuple[str, str, tuple[str, ...]]
#: (page predicate IRI, IRI of the entity the list is about, or the Paper class)
ListKey = tuple[str, str]

_CODE = RELATION_PROPERTY[Relation.RELEASES_CODE]


@dataclass(frozen=True)
class PaperList:
    """Papers tied to an entity by ``relation`` (every paper when None), or only those of
    them that link a code repository."""

    relation: Relation | None
    with_code: bool

    @property
    def predicate(self) -> str:
        name = self.relation.name.title().replace("_", "") if self.relation else "Papers"
        return f"{KG}firstPage{name}{'WithCode' if self.with_code else ''}"

    def key(self, entity_iri: str | None) -> ListKey:
        return self.predicate, entity_iri or PAPER_CLASS


#: The lists the store keeps pages for: those the named paper-list questions read.
LISTS = (
    PaperList(Relation.EVALUATED_ON, with_code=False),
    PaperList(Relation.EVALUATED_ON, with_code=True),
    PaperList(Relation.ADDRESSES, with_code=False),
    PaperList(None, with_code=True),
)


# (page predicate, only papers with code) of the lists of every paper, and of the lists
# keyed by the entity a relation property points to: lists_of runs for every paper stored
_OF_EVERY_PAPER = [(pl.predicate, pl.with_code) for pl in LISTS if pl.relation is None]
_BY_PROPERTY: dict[str, list[tuple[str, bool]]] = {}
for _list in LISTS:
    if _list.relation is not None:
        _BY_PROPERTY.setdefault(RELATION_PROPERTY[_list.relation], []).append(
            (_list.predicate, _list.with_code)
        )


def lists_of(edges: Iterable[tuple[str, str]]) -> list[ListKey]:
    """The lists a paper with these (relation property, entity) edges is on."""
    edges = list(edges)
    has_code = any(prop == _CODE for prop, _ in edges)
    keys = [(pred, PAPER_CLASS) for pred, with_code in _OF_EVERY_PAPER if has_code or not with_code]
    for prop, entity in edges:
        for pred, with_code in _BY_PROPERTY.get(prop, ()):
            if has_code or not with_code:
                keys.append((pred, entity))
    return keys


def paper_row(title: str, paper_id: str, edges: Iterable[tuple[str, str]]) -> Row:
    return title, paper_id, tuple(sorted(e for p, e in edges if p == _CODE))


@dataclass
class Page:
    """The first rows of one list; ``more``: the list has rows after the last of them."""

    rows: list[Row] = field(default_factory=list)
    more: bool = False

    @classmethod
    def of(cls, rows: Iterable[Row]) -> Page:
        """From every row of the list."""
        ordered = sorted(rows)
        return cls(ordered[:CAP], len(ordered) > CAP)

    def update(self, removed: set[str], added: Iterable[Row]) -> bool:
        """Drop the rows of ``removed`` paper ids, then take ``added``; False when the
        page did not change (most rows added to a long list fall after its page).

        Invariant: the page holds every row of the list up to its last one, so a new row
        after that last one is left out while ``more`` says rows are missing there.
        """
        last = self.rows[-1] if self.more and self.rows else None
        kept = [row for row in self.rows if row[1] not in removed]
        new = [row for row in added if last is None or row < last]
        if not new and len(kept) == len(self.rows):
            return False
        rows = sorted(kept + new)
        self.more = self.more or len(rows) > CAP
        self.rows = rows[:CAP]
        return True

    @property
    def short(self) -> bool:
        """Too few rows left for a PAGE-row answer while the list has more: read it again
        (``of``)."""
        return self.more and len(self.rows) < PAGE

    def encode(self) -> str:
        return json.dumps({"more": self.more, "rows": self.rows}, ensure_ascii=False)

    @classmethod
    def decode(cls, text: str) -> Page:
        data = json.loads(text)
        return cls([(t, p, tuple(c)) for t, p, c in data["rows"]], bool(data["more"]))


@dataclass
class PageChanges:
    """What one batch takes from and adds to each list."""

    removed: defaultdict[ListKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    added: defaultdict[ListKey, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def remove(self, paper_id: str, edges: Iterable[tuple[str, str]]) -> None:
        for key in lists_of(edges):
            self.removed[key].add(paper_id)

    def add(self, row: Row, edges: Iterable[tuple[str, str]]) -> None:
        for key in lists_of(edges):
            self.added[key].append(row)

    def touched(self) -> set[ListKey]:
        return self.removed.keys() | self.added.keys()
