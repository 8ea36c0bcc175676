"""Hugging Face "Daily Papers" page dumps: boilerplate, then title and abstract lines.

The dumps come with or without blank lines between records, with page boilerplate
("Get trending papers…", "Subscribe", "byAK…", a date such as "Mar 12") and sometimes with
"Subscribe" glued to the first title. Titles are short lines; an abstract is the long line
after its title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.textio import iter_lines
from kg.model import Paper, paper_id

BOILERPLATE = re.compile(
    r"^(new|subscribe|daily papers|get trending papers in your email inbox.*|by\s*ak and the research community"
    r"|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(, \d{4})?)$",
    re.IGNORECASE,
)
GLUED_PREFIX = re.compile(r"^Subscribe(?=\S)")
MAX_TITLE_CHARS = 400  # a longer line is prose, not a title
MIN_ABSTRACT_CHARS = 100


class DailyPapersReader:
    name = "daily-papers"

    def sniff(self, head: str, path: Path) -> bool:
        return "Get trending papers" in head or "byAK and the research community" in head

    def read(self, path: Path, on_bad: Callable[[InputError], None]) -> Iterator[Paper]:
        title: tuple[int, str] | None = None
        for lineno, line in iter_lines(path, on_bad):
            text = GLUED_PREFIX.sub("", line.strip())
            if not text or BOILERPLATE.match(text):
                continue
            if title is None:
                if len(text) > MAX_TITLE_CHARS:
                    on_bad(InputError(f"{path}:{lineno}: abstract without a title line"))
                    continue
                title = (lineno, text)
                continue
            if len(text) < MIN_ABSTRACT_CHARS and len(text) <= MAX_TITLE_CHARS:
                # two short lines in a row: the first was a title without an abstract
                on_bad(InputError(f"{path}:{title[0]}: title {title[1][:60]!r} has no abstract"))
                title = (lineno, text)
                continue
            yield Paper(
                id=paper_id(title=title[1]),
                title=title[1],
                abstract=text,
                source=f"{path.name}:{title[0]}",
            )
            title = None
        if title is not None:
            on_bad(InputError(f"{path}:{title[0]}: title {title[1][:60]!r} has no abstract"))


READER = DailyPapersReader()
