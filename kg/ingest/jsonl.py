"""Generic JSON Lines: one paper object a line, common field names accepted.

Accepts ``title`` plus ``abstract``/``summary``/``text``, and ids from ``arxiv_id``/``arxiv``,
``doi`` or ``id`` (``clean.read_id``); this is also the format ``kg extract`` writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.clean import BadRecord, arxiv_id, doi, plain, read_id
from kg.ingest.jsonstream import loads
from kg.ingest.textio import iter_lines
from kg.model import Paper, paper_id, title_id

ABSTRACT_KEYS = ("abstract", "summary", "text", "paperAbstract")
DATE_KEYS = ("date", "published", "publication_date", "update_date")


def first(record: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


class JsonlReader:
    name = "jsonl"

    def sniff(self, head: str, path: Path) -> bool:
        first_line = head.lstrip().split("\n", 1)[0]
        return first_line.startswith("{") and '"title"' in first_line

    def read(self, path: Path, on_bad: Callable[[InputError], None]) -> Iterator[Paper]:
        for lineno, line in iter_lines(path, on_bad):
            if not line.strip():
                continue
            try:
                record = loads(line)
            except json.JSONDecodeError as exc:
                on_bad(
                    InputError(f"{path}:{lineno}: malformed JSON ({exc.msg} at column {exc.colno})")
                )
                continue
            try:
                yield _paper(record, f"{path.name}:{lineno}")
            except BadRecord as exc:
                on_bad(InputError(f"{path}:{lineno}: {exc}"))


def _paper(record: Any, source: str) -> Paper:
    if not isinstance(record, dict):
        raise BadRecord(f"expected a JSON object, got {type(record).__name__}")
    title, abstract, arxiv_text, doi_text, date, own = (
        plain(first(record, keys), name)
        for name, keys in (
            ("title", ("title",)),
            ("abstract", ABSTRACT_KEYS),
            ("arxiv_id", ("arxiv_id", "arxiv")),
            ("doi", ("doi",)),
            ("date", DATE_KEYS),
            ("id", ("id",)),
        )
    )
    if not title:
        raise BadRecord("record has no title")
    if not abstract:
        raise BadRecord(f"record {title[:60]!r} has no abstract")
    own_arxiv, own_doi, alias = read_id(own, "jsonl")
    arxiv = arxiv_id(arxiv_text) or own_arxiv
    bare_doi = doi(doi_text) or own_doi
    return Paper(
        id=paper_id(title=title, arxiv_id=arxiv, doi=bare_doi),
        title=title,
        abstract=abstract,
        date=date or None,
        source=source,
        arxiv_id=arxiv,
        doi=bare_doi,
        aliases=(alias,) if alias and alias != title_id(title) else (),
    )


READER = JsonlReader()
