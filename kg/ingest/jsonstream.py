"""Streaming JSON records: JSON Lines, one big JSON array, or API pages wrapping a list.

Dumps such as Papers with Code's are one JSON array of gigabytes on a single line, so files
are decoded in chunks with ``raw_decode`` and never held whole; only one record at a time
is. Malformed JSON is reported with line and column, and reading resumes at the next line
that starts with ``{`` or ``[``: a JSON Lines file loses one line, a one-line array the rest.
A record over the size cap (``textio.RECORD_CAP``) is never decoded: it is scanned past
bracket by bracket, in bounded memory and without recursion, and reading goes on after it.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest import BadRecordHandler
from kg.ingest.clean import BadRecord
from kg.ingest.textio import RECORD_CAP, open_binary, too_large
from kg.model import Paper

CHUNK_BYTES = 1 << 20
_NON_SPACE = re.compile(r"[^ \t\r\n]")
_NEXT_RECORD = re.compile(r"\n(?=[\[{])")
_DECODER = json.JSONDecoder()
_TAIL = 16  # a decode error this close to the end of the buffer may only need more text
_LOOKAHEAD = 3  # "1e+" at the end of the buffer decodes as 1 but may go on as 1e+5
_IN_STRING = re.compile(r'["\\]')
_STRUCTURE = re.compile(r'["\[\]{}]')  # commas need no visit
_SCALAR_END = re.compile(r"[,\]}\s]")
_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
#: Deepest nesting read: deeper is malformed, whatever the stack depth a pass decodes at (a
#: RecursionError near the interpreter's limit made the check and write passes disagree).
MAX_DEPTH = 512
TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"  # one message: the passes compare them
_PASSED = object()  # what ``value`` gives for a record over the cap, reported already
_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "number",
    float: "number",
    type(None): "null",
}


class RecordTooLarge(Exception):
    """The value at the current position is over the cap; ``passed``: already moved past."""

    def __init__(self, passed: bool) -> None:
        super().__init__()
        self.passed = passed


def loads(text: str) -> Any:
    """``json.loads`` whose deep nesting and 4,300+ digit numbers are JSONDecodeErrors,
    not a RecursionError or ValueError that would stop a whole build."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise json.JSONDecodeError(TOO_DEEP, text, 0) from None
    except ValueError as exc:
        raise json.JSONDecodeError(str(exc).split(":")[0], text, 0) from None
    check_depth(text, 0, len(text))
    return value


def check_depth(text: str, start: int, end: int) -> None:
    """JSONDecodeError when ``text[start:end]`` nests deeper than ``MAX_DEPTH`` (scanned
    only when it holds that many brackets at all)."""
    if text.count("[", start, end) + text.count("{", start, end) <= MAX_DEPTH:
        return
    depth = 0
    for m in _BRACKET.finditer(text, start, end):
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(m.group(), 0)
        if depth > MAX_DEPTH:
            raise json.JSONDecodeError(TOO_DEEP, text, start)


class _Text:
    """A file's text decoded chunk by chunk on demand, with line and column for offsets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.buf = ""
        self.pos = 0  # next unread offset in buf
        self.base = 0  # characters dropped before buf[0]
        self.counted = 0  # offset in buf up to which lines are counted
        self.line = 1  # line number at ``counted``
        self.line_start = 0  # absolute offset where that line starts
        self._chunks = self._decode()

    def _decode(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        line, started = 1, False
        try:
            with open_binary(self.path) as fh:
                while True:
                    data = fh.read(CHUNK_BYTES)
                    pending = len(decoder.getstate()[0])
                    try:
                        text = decoder.decode(data, final=not data)
                    except UnicodeDecodeError as exc:
                        at = line + data.count(b"\n", 0, max(exc.start - pending, 0))
                        raise InputError(
                            f"{self.path}:{at}: not UTF-8 (byte 0x{exc.object[exc.start]:02x});"
                            " re-encode the file as UTF-8"
                        ) from None
                    if text and not started:
                        text, started = text.removeprefix("\ufeff"), True
                    line += data.count(b"\n")
                    yield text
                    if not data:
                        return
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise InputError(f"{self.path}:{line}: truncated or corrupt gzip ({exc})") from None
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read ({exc.strerror or exc})") from None

    def more(self) -> bool:
        """Append the next chunk, dropping what was consumed; False at end of file."""
        chunk = next(self._chunks, None)
        if chunk is None:
            return False
        self.mark()
        self.base += self.pos
        self.buf = self.buf[self.pos :] + chunk
        self.pos = self.counted = 0
        return True

    def where(self, pos: int) -> tuple[int, int]:
        """(line, column) of buffer offset ``pos``, which must not precede ``counted``."""
        last = self.buf.rfind("\n", self.counted, pos)
        if last < 0:
            return self.line, self.base + pos - self.line_start + 1
        return self.line + self.buf.count("\n", self.counted, pos), pos - last

    def mark(self) -> int:
        """Count lines up to the current position and return its line number."""
        self.line, column = self.where(self.pos)
        self.line_start = self.base + self.pos - column + 1
        self.counted = self.pos
        return self.line

    def peek(self) -> str:
        """Skip whitespace; the next character, or "" at end of file."""
        while not (m := _NON_SPACE.search(self.buf, self.pos)):
            self.pos = len(self.buf)
            if not self.more():
                return ""
        self.pos = m.start()
        return self.buf[self.pos]

    def value(self, cap: int) -> Any:
        """Decode the JSON value at the current position, reading on while it is cut off;
        RecordTooLarge once it proves longer than ``cap`` characters."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self.buf) - _TAIL or exc.msg.startswith("Unterminated")
                if cut and self._read_twice_as_much(cap):
                    continue
                raise
            except RecursionError:
                raise json.JSONDecodeError(TOO_DEEP, self.buf, self.pos) from None
            except ValueError as exc:  # 4300+ digit numbers
                raise json.JSONDecodeError(str(exc).split(":")[0], self.buf, self.pos) from None
            if len(self.buf) - end < _LOOKAHEAD and self.more():
                continue  # a number may go on in the next chunk
            check_depth(self.buf, self.pos, end)
            start, self.pos = self.pos, end
            if end - start > cap:
                raise RecordTooLarge(passed=True)
            return value

    def _read_twice_as_much(self, cap: int) -> bool:
        """Read on until twice what the cut-off value at ``pos`` had (so a long value is
        decoded O(log n) times, not once a chunk); False at end of file. RecordTooLarge
        once it is over ``cap`` characters."""
        had, grew = len(self.buf) - self.pos, False
        while True:
            if len(self.buf) - self.pos > cap:
                raise RecordTooLarge(passed=False) from None
            if len(self.buf) - self.pos >= 2 * had or not self.more():
                return grew
            grew = True

    def skip_value(self) -> None:
        """Move past the value at the current position without decoding it: strings and
        brackets are counted, chunk by chunk, so memory stays flat whatever its size."""
        if self.buf[self.pos] not in '[{"':
            while not (m := _SCALAR_END.search(self.buf, self.pos)):
                self.pos = len(self.buf)
                if not self.more():
                    return
            self.pos = m.start()
            return
        depth, in_string = 0, False
        while True:
            m = (_IN_STRING if in_string else _STRUCTURE).search(self.buf, self.pos)
            if m is None or (m.group() == "\\" and m.end() >= len(self.buf)):
                self.pos = m.start() if m else len(self.buf)  # an escape needs its next char
                if not self.more():
                    self.pos = len(self.buf)
                    return
                continue
            char, self.pos = m.group(), m.end()
            if in_string:
                if char == "\\":
                    self.pos += 1
                    continue
                in_string = False
                if depth == 0:
                    return
            elif char == '"':
                in_string = True
            elif char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return

    def skip_line(self) -> None:
        """Move to the next line that starts with ``{`` or ``[`` (or to the end of file)."""
        while not (m := _NEXT_RECORD.search(self.buf, self.pos)):
            self.pos = max(self.pos, len(self.buf) - 1)
            if not self.more():
                self.pos = len(self.buf)
                return
        self.pos = m.end()


def iter_records(
    path: Path, on_bad: BadRecordHandler, wrapper: str | None = None
) -> Iterator[tuple[str, Any]]:
    """(where, value) of each record: top-level values, the items of top-level arrays, and
    the items of ``wrapper`` lists in API pages such as ``{"data": [...]}``.

    ``where`` is the line, plus a jq path for array items ("1:.[41]", "1:.data[3]"): a dump
    or API page is often a single line.
    """
    text = _Text(path)
    cap = RECORD_CAP.get()
    in_array, index = False, 0

    def value(where: str) -> Any:
        try:
            return text.value(cap)
        except RecordTooLarge as exc:
            on_bad(too_large(f"{path}:{where}", cap))
            if not exc.passed:
                text.skip_value()
            return _PASSED

    while char := text.peek():
        line = text.mark()
        try:
            if in_array:
                item = value(f"{line}:.[{index}]")
                if item is not _PASSED:
                    yield f"{line}:.[{index}]", item
                index += 1
                sep = text.peek()
                if sep not in (",", "]"):
                    raise json.JSONDecodeError("Expecting ',' delimiter", text.buf, text.pos)
                text.pos += 1
                in_array = sep == ","
            elif char == "[":
                text.pos += 1
                if text.peek() == "]":
                    text.pos += 1
                else:
                    in_array, index = True, 0
            else:
                record = value(str(line))
                items = record.get(wrapper) if wrapper and isinstance(record, dict) else None
                if isinstance(items, list):
                    for i, item in enumerate(items):
                        yield f"{line}:.{wrapper}[{i}]", item
                elif record is not _PASSED:
                    yield str(line), record
        except json.JSONDecodeError as exc:
            at, column = text.where(exc.pos)
            reason = exc.msg.removesuffix(" at")  # "Invalid control character at"
            on_bad(InputError(f"{path}:{at}: malformed JSON ({reason} at column {column})"))
            text.skip_line()
            index += 1  # count the bad item, so later items keep their place
            in_array = in_array and text.peek() != ""  # reported already if the rest is lost
    if in_array:
        on_bad(InputError(f"{path}: JSON array is not closed; is the file truncated?"))


def read_objects(
    path: Path,
    on_bad: BadRecordHandler,
    convert: Callable[[dict[str, Any], str], Paper],
    wrapper: str | None = None,
) -> Iterator[Paper]:
    """Papers from the JSON objects in ``path``; ``convert(record, source)`` raises BadRecord
    to skip one, and every skipped record goes to ``on_bad`` with its file and line."""
    for where, record in iter_records(path, on_bad, wrapper):
        try:
            if not isinstance(record, dict):
                raise BadRecord(f"expected a JSON object, got {_JSON_TYPES[type(record)]}")
            paper = convert(record, f"{path.name}:{where}")
        except BadRecord as exc:
            on_bad(InputError(f"{path}:{where}: {exc}"))
            continue
        yield paper


def mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one: sources leave fields null."""
    return value if isinstance(value, dict) else {}


def mappings(value: Any) -> list[dict[str, Any]]:
    """The JSON objects in ``value`` if it is an array, else none."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
