"""Generic JSON Lines: one paper object a line, common field names accepted.

Accepts ``title`` plus ``abstract``/``summary``/``text``, and ids from ``arxiv_id``/``arxiv``,
``doi`` or ``id``; this is also the format ``kg extract`` writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.textio import iter_lines
from kg.model import Paper, paper_id

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
        for lineno, line in iter_lines(path):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                on_bad(
                    InputError(f"{path}:{lineno}: malformed JSON ({exc.msg} at column {exc.colno})")
                )
                continue
            if not isinstance(record, dict):
                on_bad(
                    InputError(
                        f"{path}:{lineno}: expected a JSON object, got {type(record).__name__}"
                    )
                )
                continue
            title = first(record, ("title",))
            abstract = first(record, ABSTRACT_KEYS)
            if not title:
                on_bad(InputError(f"{path}:{lineno}: record has no title"))
                continue
            if not abstract:
                on_bad(InputError(f"{path}:{lineno}: record {title[:60]!r} has no abstract"))
                continue
            arxiv = first(record, ("arxiv_id", "arxiv"))
            doi = first(record, ("doi",))
            yield Paper(
                id=paper_id(title=title, arxiv_id=arxiv or None, doi=doi or None),
                title=title,
                abstract=abstract,
                date=first(record, DATE_KEYS) or None,
                source=f"{path.name}:{lineno}",
                arxiv_id=arxiv or None,
                doi=doi or None,
            )


READER = JsonlReader()
