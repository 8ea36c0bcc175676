"""OpenAlex works: the snapshot's JSON Lines, or saved API pages (``{"results": [...]}``).

OpenAlex ships abstracts only as ``abstract_inverted_index`` ({word: [positions]}) for
licensing reasons, so the text is rebuilt from it. Works carry no arXiv id field, so it is
taken from an arxiv.org location or an arXiv DOI: that is what lets an OpenAlex work merge
with the same paper read from arXiv.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.ingest import BadRecordHandler
from kg.ingest.clean import BadRecord, arxiv_id, iso_date, make_paper
from kg.ingest.jsonl import first
from kg.ingest.jsonstream import mapping, mappings, read_objects
from kg.model import Paper


def rebuild_abstract(index: Any) -> str:
    """Words placed at their positions; BadRecord if the index is missing or malformed."""
    if not isinstance(index, dict) or not index:
        raise BadRecord("has no abstract (abstract_inverted_index is empty or null)")
    placed: list[tuple[int, str]] = []
    for word, positions in index.items():
        if not isinstance(positions, list) or not all(
            isinstance(p, int) and not isinstance(p, bool) for p in positions
        ):
            raise BadRecord(f"abstract_inverted_index[{word!r}] is not a list of positions")
        placed.extend((p, word) for p in positions)
    return " ".join(word for _, word in sorted(placed))


def _arxiv(record: dict[str, Any]) -> str | None:
    """``ids.arxiv`` where present, else the first arxiv.org landing page or PDF URL."""
    locations = [mapping(record.get("primary_location")), *mappings(record.get("locations"))]
    urls = [first(mapping(record.get("ids")), ("arxiv",))]
    urls += [first(loc, (key,)) for loc in locations for key in ("landing_page_url", "pdf_url")]
    return next((found for url in urls if (found := arxiv_id(url))), None)


def _paper(record: dict[str, Any], source: str) -> Paper:
    title = first(record, ("title", "display_name"))
    try:
        abstract = rebuild_abstract(record.get("abstract_inverted_index"))
    except BadRecord as exc:
        raise BadRecord(f"work {title[:60]!r} {exc}") from None
    year = record.get("publication_year")
    return make_paper(
        title=title,
        abstract=abstract,
        source=source,
        arxiv=_arxiv(record),
        doi_text=first(record, ("doi",)),
        date=iso_date(first(record, ("publication_date",)))
        or (str(year) if type(year) is int else None),
        authors=[
            first(mapping(a.get("author")), ("display_name",)) or first(a, ("raw_author_name",))
            for a in mappings(record.get("authorships"))
        ],
        url=first(mapping(record.get("primary_location")), ("landing_page_url",))
        or first(record, ("id",)),
        own_id=_work_id(first(record, ("id",))),
    )


def _work_id(url: str) -> str | None:
    """``openalex:W…`` from a work's id URL."""
    work = url.rsplit("/", 1)[-1]
    return f"openalex:{work}" if work[:1] == "W" and work[1:].isdigit() else None


class OpenAlexReader:
    name = "openalex"

    def sniff(self, head: str, path: Path) -> bool:
        return '"https://openalex.org/W' in head or '"abstract_inverted_index"' in head

    def read(self, path: Path, on_bad: BadRecordHandler) -> Iterator[Paper]:
        return read_objects(path, on_bad, _paper, wrapper="results")


READER = OpenAlexReader()
