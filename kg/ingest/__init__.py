"""Readers: files of any supported source format → a de-duplicated stream of Papers.

A reader is a module-level object with ``name``, ``sniff(head, path)`` and
``read(path, on_bad)``; it is registered in ``READERS`` by name. The format of each file is
detected from its content unless the user names one.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kg.errors import InputError
from kg.ingest.textio import DEFAULT_MAX_RECORD_BYTES, RECORD_CAP, read_head
from kg.ingest.textio import raise_bad as raise_bad  # re-exported: the default on_bad
from kg.model import Paper
from kg.registry import Registry

if TYPE_CHECKING:  # numpy-backed: loaded when papers are read, not when the CLI starts
    from kg.ingest.identity import StreamIdentity

BadRecordHandler = Callable[[InputError], None]


class Reader(Protocol):
    name: str

    def sniff(self, head: str, path: Path) -> bool:
        """True when ``head`` (the first few KB, decoded) looks like this format."""

    def read(self, path: Path, on_bad: BadRecordHandler) -> Iterator[Paper]:
        """Yield papers; report each unusable record to ``on_bad`` (which may raise)."""


READERS: Registry[Reader] = Registry("reader")
READERS.register("daily-papers", "kg.ingest.daily_papers:READER")
READERS.register("jsonl", "kg.ingest.jsonl:READER")
READERS.register("arxiv-atom", "kg.ingest.arxiv_atom:READER")
READERS.register("arxiv-snapshot", "kg.ingest.arxiv_snapshot:READER")
READERS.register("openalex", "kg.ingest.openalex:READER")
READERS.register("semantic-scholar", "kg.ingest.semantic_scholar:READER")
READERS.register("pwc", "kg.ingest.pwc:READER")

#: Order in which content sniffing tries the readers: most specific first.
SNIFF_ORDER: list[str] = [
    "arxiv-atom",
    "arxiv-snapshot",
    "openalex",
    "semantic-scholar",
    "pwc",
    "jsonl",
    "daily-papers",
]

SKIPPED_NAMES = {".DS_Store", "README", "README.md", "LICENSE"}


@dataclass
class SkipCounter:
    """``on_bad`` handler for ``--skip-bad``: keeps going and remembers what it skipped."""

    errors: list[InputError] = field(default_factory=list)

    def __call__(self, error: InputError) -> None:
        self.errors.append(error)


def expand_sources(sources: Iterable[str | Path]) -> list[Path]:
    """Files named, plus the files inside directories named (sorted, hidden files skipped)."""
    files: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.name not in SKIPPED_NAMES
            )
            if not inside:
                raise InputError(f"{path}: directory holds no files to read")
            files.extend(inside)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file")
        else:
            raise InputError(f"{path}: {_missing(path)}")
    return files


def _missing(path: Path) -> str:
    """Why ``path`` is not there: gone, or a symbolic link loop or dangling link."""
    try:
        path.stat()
    except FileNotFoundError:
        return "a symbolic link to nothing" if path.is_symlink() else "no such file or directory"
    except OSError as exc:
        return f"cannot read ({exc.strerror})"  # "Too many levels of symbolic links"
    return "cannot read"


def detect_format(path: Path) -> Reader:
    head = read_head(path)
    for name in SNIFF_ORDER + [n for n in READERS.names() if n not in SNIFF_ORDER]:
        reader = READERS.get(name)
        if reader.sniff(head, path):
            return reader
    raise InputError(
        f"{path}: not a recognised paper file (tried {', '.join(READERS.names())}); "
        "name one with --format"
    )


def iter_papers(
    sources: Iterable[str | Path],
    fmt: str | None = None,
    on_bad: BadRecordHandler = raise_bad,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    identity: StreamIdentity | None = None,
) -> Iterator[Paper]:
    """All papers in ``sources``, each paper once by the rule of ``kg.ingest.identity``
    (``identity`` keeps the duplicates met); a record over ``max_record_bytes`` goes to
    ``on_bad`` unread."""
    from kg.ingest.identity import StreamIdentity

    forced = READERS.get(fmt) if fmt else None
    identity = StreamIdentity() if identity is None else identity
    # each reader step runs in a context holding the cap (see textio.RECORD_CAP), so
    # two reads in progress at once never see each other's cap
    context = contextvars.copy_context()
    context.run(RECORD_CAP.set, max_record_bytes)
    for path in expand_sources(sources):
        reader = forced or detect_format(path)
        papers = reader.read(path, on_bad)
        while (paper := context.run(next, papers, None)) is not None:
            if (kept := identity.admit(paper)) is not None:
                yield kept
