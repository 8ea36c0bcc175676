"""The files kg writes: checked before any work starts, written beside the target, renamed
into place on success.

A failed or killed write (full disk, no permission, a crash) leaves the previous file as it
was and no temporary behind; full disks and unwritable places are an ``OutputError``
(exit 3), a target that cannot be one (a directory given for a file, a file for a
directory, a folder that does not exist) a ``UsageError`` (exit 2). kg creates at most the
last level of an output directory, never a file's folder: ``-o /nonexistent/x`` is an
error, not a new ``/nonexistent``. Devices and pipes (``/dev/stdout``) are written in
place: a rename would replace the device itself.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import OutputError, UsageError


def _mode(path: Path) -> int | None:
    """``st_mode`` of what ``path`` names (links followed); None where nothing is."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:  # a symlink loop, a component that is a file, no permission
        raise UsageError(f"{path}: cannot write here ({exc.strerror})") from None


def check_output(path: Path, directory: bool = False) -> Path:
    """``path`` when kg can write a file there (a directory with ``directory``): what it
    names now is of that kind or nothing, and the folder above it exists."""
    mode = _mode(path)
    if mode is not None and stat.S_ISDIR(mode) != directory:
        if directory:
            raise UsageError(f"{path}: exists and is not a directory; this format writes one")
        raise UsageError(f"{path}: is a directory; give a file name")
    parent = path.parent
    parent_mode = _mode(parent)
    if parent_mode is None:
        raise UsageError(f"{parent}: no such directory; create it first")
    if not stat.S_ISDIR(parent_mode):
        raise UsageError(f"{parent}: not a directory")
    return path


def _special(path: Path) -> bool:
    """A device, pipe or socket: written in place, never replaced."""
    mode = _mode(path)
    return mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write then rename: a process killed here never leaves a truncated file. OSError
    propagates (store internals say which store failed)."""
    tmp = _temporary(path)
    try:
        # O_EXCL and the usual 0o666 & ~umask, as open() would give the file itself
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def replacing(path: Path, directory: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path`` to write (a directory with ``directory``), put in
    its place when the block ends without error and removed otherwise. A directory replaces
    the files of the same name in ``path`` one by one, keeping others there."""
    check_output(path, directory)
    if _special(path):
        with _as_output_error(path):
            yield path
        return
    tmp = _temporary(path)
    try:
        with _as_output_error(path):
            if directory:
                tmp.mkdir()
            yield tmp
            if not directory:
                os.replace(tmp, path)
            elif not path.exists():
                os.rename(tmp, path)
            else:
                for item in sorted(tmp.iterdir()):
                    os.replace(item, path / item.name)
    finally:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)


def write_output(path: Path, data: str | bytes) -> Path:
    """Write a whole output file at once, as ``replacing`` does; returns ``path``."""
    with replacing(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def output_directory(path: Path) -> Path:
    """``path`` as a directory to write files into: created if missing (that level only)."""
    check_output(path, directory=True)
    with _as_output_error(path):
        path.mkdir(exist_ok=True)
    return path


@contextmanager
def _as_output_error(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
