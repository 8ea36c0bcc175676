"""Opening input files the same way for every reader: gzip, BOM, CRLF, strict UTF-8.

Decoding problems become an InputError naming the file and line, never a traceback. A line
over the record size cap is passed over unread (bounded memory), never decoded.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import IO

from kg.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 8192
#: Largest record (a line, or one JSON value) a reader decodes: a 200 MB record used to
#: cost 3.5 GB and a minute before the build could say it was bad.
DEFAULT_MAX_RECORD_BYTES = 16 << 20
#: The cap of the read in progress: ``kg.ingest.iter_papers`` sets it around each reader
#: step, so readers (plug-ins included) keep the ``read(path, on_bad)`` signature.
RECORD_CAP: ContextVar[int] = ContextVar("kg_record_cap", default=DEFAULT_MAX_RECORD_BYTES)
_SKIP_BYTES = 1 << 20


def too_large(where: str, cap: int) -> InputError:
    """The one error for a record over the cap, the same from every reader."""
    return InputError(
        f"{where}: record is over {cap:,} bytes (--max-record-bytes); passed over unread"
    )


def open_binary(path: Path) -> IO[bytes]:
    try:
        raw = path.open("rb")
        if raw.read(2) == GZIP_MAGIC:
            raw.close()
            return gzip.open(path, "rb")  # type: ignore[return-value]
        raw.seek(0)
        return raw
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_head(path: Path, size: int = HEAD_BYTES) -> str:
    """The first ``size`` bytes decoded leniently: enough to sniff a format."""
    try:
        with open_binary(path) as fh:
            data = fh.read(size)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: truncated or corrupt gzip ({exc})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
    if not data.strip():
        raise InputError(f"{path}: file is empty")
    return data.decode("utf-8-sig", errors="replace")


def iter_lines(
    path: Path, on_bad: Callable[[InputError], None] | None = None
) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without newline), strict UTF-8, BOM and CR dropped.

    A line over ``RECORD_CAP`` goes to ``on_bad`` (raised without one) and is skipped
    without being held in memory."""
    lineno = 0
    cap = RECORD_CAP.get()
    try:
        with open_binary(path) as fh:
            while raw := fh.readline(cap + 1):
                lineno += 1
                if len(raw) > cap and not raw.endswith(b"\n"):
                    while (rest := fh.readline(_SKIP_BYTES)) and not rest.endswith(b"\n"):
                        pass
                    (on_bad or raise_bad)(too_large(f"{path}:{lineno}", cap))
                    continue
                yield lineno, _decoded(path, lineno, raw)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}:{lineno + 1}: truncated or corrupt gzip ({exc})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _decoded(path: Path, lineno: int, raw: bytes) -> str:
    if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}:{lineno}: not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
            f"{exc.start + 1}); re-encode the file as UTF-8"
        ) from None
    if "\x00" in line:
        raise InputError(f"{path}:{lineno}: contains NUL bytes; is it a binary file?")
    return line.rstrip("\r\n")


def raise_bad(error: InputError) -> None:
    """The ``on_bad`` handler without ``--skip-bad``: the first bad record stops the read."""
    raise error


def read_text(path: Path) -> str:
    """Whole file as text, with the same checks as ``iter_lines``."""
    buf = io.StringIO()
    for _, line in iter_lines(path):
        buf.write(line)
        buf.write("\n")
    return buf.getvalue()
