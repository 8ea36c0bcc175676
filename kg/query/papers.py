"""Finding a paper as people name it, and showing its id as people read it.

One lookup serves ``kg why`` and ``kg view --paper``: a paper id (in full, or as tables
show it), an arXiv id (bare, ``arXiv:``-prefixed, versioned or an arxiv.org URL), a DOI,
an exact title, or a unique case-insensitive title prefix. Several papers behind one
name is an error naming some of them, never a guess.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from kg.errors import UsageError
from kg.ingest import clean
from kg.query.named import paper_titles_query
from kg.store.base import Store, Table

CANDIDATES = 5  # titles an ambiguous name lists
SHORT_HASH = 8  # hex digits of a title-hash id that tables show
#: (paper id, title, arXiv id or None): what a lookup reads of each paper
PaperRow = tuple[str, str, str | None]


def short_id(paper_id: str) -> str:
    """The paper column as tables show it: the arXiv id or DOI when the paper has one,
    else its title-hash id cut to ``SHORT_HASH`` digits (``find_paper`` reads all)."""
    scheme, _, rest = paper_id.partition(":")
    if scheme in ("arxiv", "doi") and rest:
        return rest
    if scheme == "title" and len(rest) > SHORT_HASH:
        return f"title:{rest[:SHORT_HASH]}"
    return paper_id


def shown_ids(table: Table) -> Table:
    """``table`` with its ``paper`` column as ``short_id`` shows it (tables for people;
    JSON and CSV keep the full ids)."""
    if "paper" not in table.columns:
        return table
    at = table.columns.index("paper")
    rows = [(*row[:at], short_id(str(row[at])), *row[at + 1 :]) for row in table.rows]
    return Table(table.columns, rows)


def paper_keys(paper: str) -> list[str]:
    """The ids ``paper`` may name: itself, and its arXiv or DOI id when it reads as one.

    "2111.00899", "arXiv:2111.00899v2" and an arxiv.org URL all give "arxiv:2111.00899"
    (versions folded, as ``paper_id`` does), so a store can fetch just that record.
    """
    text = paper.strip()
    keys = [text]
    if found := clean.arxiv_id(text):
        keys.append(f"arxiv:{found}")
    if text.casefold().startswith(("doi:", "10.", "https://doi.org/")) and (
        found := clean.doi(text)
    ):
        keys.append(f"doi:{found}")
    return list(dict.fromkeys(keys))


def one_line(text: str) -> str:
    """``text`` fit for one line of a message or a label: control characters out, runs of
    whitespace (newlines too) one space."""
    kept = "".join(ch for ch in str(text) if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())


def short(text: str, chars: int) -> str:
    """``one_line(text)`` cut to ``chars`` with an ellipsis."""
    text = one_line(text)
    return text if len(text) <= chars else text[: chars - 1] + "…"


def find_paper(papers: Iterable[PaperRow], paper: str) -> str:
    """The id of the one paper ``paper`` names among ``papers``.

    Ids first (full, as a table shows it, or an arXiv id or DOI), then titles: an exact
    title (case-insensitive) wins over longer titles it starts, and among papers of that
    one title the one with an arXiv id or DOI wins over a title-hash id; a prefix of
    several titles is an error naming some of them with their ids.
    """
    rows = list(papers)
    keys = paper_keys(paper)
    ids = {pid for pid, _, _ in rows}
    if found := next((key for key in keys if key in ids), None):
        return found
    arxiv = {k.removeprefix("arxiv:") for k in keys if k.startswith("arxiv:")}
    for pid, _, arxiv_id in rows:
        if arxiv_id and clean.arxiv_id(str(arxiv_id)) in arxiv:
            return pid
    text = paper.strip()
    shown = [pid for pid in ids if text.startswith("title:") and short_id(pid) == text]
    if len(shown) == 1:
        return shown[0]
    wanted = one_line(paper).casefold()
    if wanted:
        titled = [(pid, one_line(title)) for pid, title, _ in rows]
        starting = sorted(
            ((title, pid) for pid, title in titled if title.casefold().startswith(wanted)),
            key=lambda pair: (pair[0].casefold(), pair[1]),
        )
        exact = [pid for title, pid in starting if title.casefold() == wanted]
        one_title = len({title.casefold() for title, _ in starting}) == 1
        if found := _one_paper(exact or ([pid for _, pid in starting] if one_title else [])):
            return found
        if starting:
            names = [
                f"{short(title, 60)} ({short_id(pid)})" for title, pid in starting[:CANDIDATES]
            ]
            more = "; …" if len(starting) > CANDIDATES else ""
            raise UsageError(
                f"{paper!r} starts {len(starting)} paper titles: {'; '.join(names)}{more}; "
                "give more of the title, or the paper id"
            )
    raise UsageError(
        f"no paper {paper!r} in the store; give its id (as in `kg query` output), "
        "arXiv id, or the start of its title"
    )


def _one_paper(ids: list[str]) -> str | None:
    """The one paper among papers of one title: the only one, or the only one with an arXiv
    id or DOI (the same paper stored once under its title hash and once under its arXiv
    id, by builds from two sources); None while that leaves several."""
    if len(ids) == 1:
        return ids[0]
    named = [pid for pid in ids if not pid.startswith("title:")]
    return named[0] if len(named) == 1 else None


def find_stored_paper(store: Store, paper: str) -> str:
    """``find_paper`` over a store: an id or identity key it holds is a look-up; a title
    or a shown id reads every paper's id and title (one query)."""
    keys = paper_keys(paper)
    held = store.content_hashes(keys)
    if found := next((key for key in keys if key in held), None):
        return found
    if len(known := store.identities(keys)) == 1:  # a DOI, an alias, an id merged away
        return next(iter(known))
    table = store.query(paper_titles_query(store.query_language))
    return find_paper(((str(i), str(t), a) for i, t, a in table.rows), paper)
