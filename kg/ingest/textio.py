"""Opening input files the same way for every reader: gzip, BOM, CRLF, strict UTF-8.

Decoding problems become an InputError naming the file and line, never a traceback.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kg.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 8192


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


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without newline), strict UTF-8, BOM and CR dropped."""
    lineno = 0
    try:
        with open_binary(path) as fh:
            for lineno, raw in enumerate(fh, start=1):
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
                yield lineno, line.rstrip("\r\n")
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}:{lineno + 1}: truncated or corrupt gzip ({exc})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_text(path: Path) -> str:
    """Whole file as text, with the same checks as ``iter_lines``."""
    buf = io.StringIO()
    for _, line in iter_lines(path):
        buf.write(line)
        buf.write("\n")
    return buf.getvalue()
