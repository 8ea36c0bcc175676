"""The arXiv metadata snapshot distributed on Kaggle (``arxiv-metadata-oai-snapshot.json``).

JSON Lines, one object per paper with ``id`` (``2401.01234`` or old-style ``math/0406001``),
``title``, ``abstract``, ``comments``, ``doi``, ``versions`` and ``authors_parsed``. The date
is the first version's submission date, which is when the paper appeared, rather than
``update_date``, which moves with every metadata fix; withdrawn papers are reported, not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from kg.ingest import BadRecordHandler
from kg.ingest.clean import iso_date, make_paper
from kg.ingest.jsonl import first
from kg.ingest.jsonstream import mappings, read_objects
from kg.model import Paper

_SNIFF = re.compile(r'"(?:submitter|authors_parsed)"\s*:')


def _date(record: dict[str, Any]) -> str | None:
    versions = mappings(record.get("versions"))
    created = first(versions[0], ("created",)) if versions else ""
    try:
        return parsedate_to_datetime(created).date().isoformat()
    except (TypeError, ValueError, IndexError):  # missing or not RFC 2822
        return iso_date(first(record, ("update_date",)))


def _authors(record: dict[str, Any]) -> list[str]:
    parsed = record.get("authors_parsed")
    if not isinstance(parsed, list):
        return re.split(r",|\band\b", first(record, ("authors",)))
    names = []
    for parts in parsed:  # [last, first, suffix]
        if isinstance(parts, list) and all(isinstance(p, str) for p in parts):
            names.append(" ".join(p for p in (*parts[1:2], *parts[:1], *parts[2:]) if p))
    return names


def _paper(record: dict[str, Any], source: str) -> Paper:
    arxiv = first(record, ("id",))
    return make_paper(
        title=first(record, ("title",)),
        abstract=first(record, ("abstract",)),
        source=source,
        arxiv=arxiv,
        doi_text=first(record, ("doi",)),
        date=_date(record),
        authors=_authors(record),
        url=f"https://arxiv.org/abs/{arxiv}" if arxiv else None,
        comments=first(record, ("comments",)),
    )


class ArxivSnapshotReader:
    name = "arxiv-snapshot"

    def sniff(self, head: str, path: Path) -> bool:
        return head.lstrip().startswith(("{", "[")) and bool(_SNIFF.search(head))

    def read(self, path: Path, on_bad: BadRecordHandler) -> Iterator[Paper]:
        return read_objects(path, on_bad, _paper)


READER = ArxivSnapshotReader()
