"""Papers with Code's ``papers-with-abstracts.json`` dump (also gzipped, or as JSON Lines).

The dump is one JSON array of several hundred thousand papers on a single line, so it is
streamed record by record (see ``jsonstream``) rather than loaded. ``arxiv_id`` is null for
conference-only papers; those get a title-based id.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.ingest import BadRecordHandler
from kg.ingest.clean import iso_date, make_paper
from kg.ingest.jsonl import first
from kg.ingest.jsonstream import read_objects
from kg.model import Paper


def _paper(record: dict[str, Any], source: str) -> Paper:
    authors = record.get("authors")
    return make_paper(
        title=first(record, ("title",)),
        abstract=first(record, ("abstract",)),
        source=source,
        arxiv=first(record, ("arxiv_id",)),
        date=iso_date(first(record, ("date",))),
        authors=[a for a in authors if isinstance(a, str)] if isinstance(authors, list) else [],
        url=first(record, ("url_abs", "paper_url")),
    )


class PapersWithCodeReader:
    name = "pwc"

    def sniff(self, head: str, path: Path) -> bool:
        return '"paper_url"' in head and ('"url_abs"' in head or '"abstract"' in head)

    def read(self, path: Path, on_bad: BadRecordHandler) -> Iterator[Paper]:
        return read_objects(path, on_bad, _paper)


READER = PapersWithCodeReader()
