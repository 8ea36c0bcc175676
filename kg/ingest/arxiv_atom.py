"""arXiv API responses: Atom 1.0 feeds of ``<entry>`` elements (export.arxiv.org/api/query).

Feeds are parsed as a stream with ``XMLPullParser`` (the push-fed twin of ``iterparse``)
fed from ``iter_lines``, so gzip, BOM and strict UTF-8 are handled as for every other format
and each entry knows its line; finished entries are cleared so memory stays flat. A parse
error is reported with its line and ends the file: XML cannot be resumed mid-document.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest import BadRecordHandler
from kg.ingest.clean import BadRecord, iso_date, make_paper, squash
from kg.ingest.textio import iter_lines
from kg.model import Paper

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
Events = Iterator[tuple[int, str, ET.Element]]  # (line fed last, event, element)


class _Cut(Exception):
    """A line over the record cap: XML cannot go on without it, so the file ends there."""

    def __init__(self, error: InputError) -> None:
        super().__init__(error.message)
        self.error = error


def _cut(error: InputError) -> None:
    raise _Cut(error)


def _text(entry: ET.Element, tag: str) -> str:
    node = entry.find(tag)
    return "".join(node.itertext()) if node is not None else ""


def _paper(entry: ET.Element, source: str) -> Paper:
    entry_id = squash(_text(entry, ATOM + "id"))
    if "/api/errors" in entry_id:  # the API reports a bad query as a one-entry feed
        raise BadRecord(f"arXiv API error: {squash(_text(entry, ATOM + 'summary'))}")
    links = [link for link in entry.iter(ATOM + "link") if link.get("rel") == "alternate"]
    return make_paper(
        title=_text(entry, ATOM + "title"),
        abstract=_text(entry, ATOM + "summary"),
        source=source,
        arxiv=entry_id,
        doi_text=_text(entry, ARXIV + "doi"),
        date=iso_date(_text(entry, ATOM + "published")),
        authors=[_text(author, ATOM + "name") for author in entry.iter(ATOM + "author")],
        url=links[0].get("href") if links else entry_id,
        comments=_text(entry, ARXIV + "comment"),
    )


def _events(path: Path) -> Events:
    """Parse events of the whole file; a parse error is raised after the events before it."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    lineno = 0
    for lineno, line in iter_lines(path, _cut):
        parser.feed(line + "\n")
        yield from _drain(parser, lineno)
    parser.close()
    yield from _drain(parser, lineno)


def _drain(parser: ET.XMLPullParser[ET.Element], lineno: int) -> Events:
    for event in parser.read_events():
        elem = event[-1]
        if isinstance(elem, ET.Element):
            yield lineno, event[0], elem


class ArxivAtomReader:
    name = "arxiv-atom"

    def sniff(self, head: str, path: Path) -> bool:
        return "<feed" in head and "http://www.w3.org/2005/Atom" in head and "arxiv" in head.lower()

    def read(self, path: Path, on_bad: BadRecordHandler) -> Iterator[Paper]:
        root: ET.Element | None = None
        entry_line = 0
        try:
            for lineno, event, elem in _events(path):
                if root is None:
                    root = elem
                    if elem.tag != ATOM + "feed":
                        on_bad(InputError(f"{path}:{lineno}: not an Atom feed (root <{elem.tag}>)"))
                        return
                elif elem.tag != ATOM + "entry":
                    continue
                elif event == "start":
                    entry_line = lineno
                else:
                    try:
                        yield _paper(elem, f"{path.name}:{entry_line}")
                    except BadRecord as exc:
                        on_bad(InputError(f"{path}:{entry_line}: {exc}"))
                    root.clear()  # drop finished entries: memory stays flat
        except _Cut as cut:  # a bad record under --skip-bad, as a parse error is
            on_bad(InputError(f"{cut.error.message}; rest of the file skipped"))
        except ET.ParseError as exc:
            line = exc.position[0] if exc.position else 0
            on_bad(InputError(f"{path}:{line}: malformed XML ({exc}); rest of the file skipped"))


READER = ArxivAtomReader()
