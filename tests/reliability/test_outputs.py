"""Outputs are atomic (issue 26, item 5): a write that fails half-way, a full disk
included, leaves the previous file as it was and no temporary behind, and says so in one
line with exit 3."""

from __future__ import annotations

import errno
import stat
from pathlib import Path

import pytest

from kg.errors import OutputError
from kg.export import export
from kg.files import replacing, write_output
from kg.rdf import formats
from kg.rdf.store import OxigraphStore
from kg.viz import view_store
from tests.reliability.conftest import assert_one_line_error, kg

PREVIOUS = b"the previous good file\n"


def _full_disk(*_: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_failed_export_leaves_the_previous_file_intact(
    seed_store: OxigraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "graph.ttl"
    out.write_bytes(PREVIOUS)
    real = formats.write_turtle

    def half_then_full(sel: object, target: Path) -> int:
        real(sel, target)  # the whole graph written to the temporary file, then
        _full_disk()  # the disk fills up
        return 0

    monkeypatch.setattr(formats, "write_turtle", half_then_full)
    with pytest.raises(OutputError, match="graph.ttl: cannot write .No space left on device"):
        export(seed_store, "turtle", out)
    assert out.read_bytes() == PREVIOUS
    assert _only(tmp_path) == ["graph.ttl"]
    monkeypatch.undo()
    assert export(seed_store, "turtle", out) > 10_000  # and a good export replaces it
    assert out.read_bytes() != PREVIOUS


def test_a_failed_view_leaves_the_previous_page_intact(
    seed_store: OxigraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "graph.html"
    out.write_bytes(PREVIOUS)
    monkeypatch.setattr(Path, "write_bytes", _full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        view_store(seed_store, out, max_nodes=50)
    assert out.read_bytes() == PREVIOUS
    assert _only(tmp_path) == ["graph.html"]


def test_a_failed_directory_export_keeps_the_previous_files(
    seed_store: OxigraphStore, tmp_path: Path
) -> None:
    out = tmp_path / "csv"
    assert export(seed_store, "csv", out) > 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(RuntimeError), replacing(out, directory=True) as tmp:
        (tmp / "Paper.csv").write_text("half", encoding="utf-8")
        raise RuntimeError("killed half-way")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _only(tmp_path) == ["csv"]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """A temporary file is private; the file renamed into place must not stay so."""
    path = write_output(tmp_path / "x.txt", "hello")
    assert path.read_text(encoding="utf-8") == "hello"
    assert stat.S_IMODE(path.stat().st_mode) & 0o044  # readable by others, as open() gives


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    "args",
    [
        ["export", "--db", "{db}", "-o", "/dev/full"],
        ["export", "--db", "{db}", "--format", "jsonld", "-o", "/dev/full"],
        ["view", "--db", "{db}", "-o", "/dev/full"],
        ["extract", "{src}", "-o", "/dev/full"],
    ],
    ids=["turtle", "jsonld", "view", "extract"],
)
def test_a_full_disk_is_one_line_and_exit_3(
    args: list[str], good_db: Path, good_jsonl: Path
) -> None:
    """/dev/full fails every write with ENOSPC; it is a device, so it is written in place
    (a rename would replace the device itself) and must still be one afterwards."""
    result = kg(*(a.format(db=good_db, src=good_jsonl) for a in args))
    line = assert_one_line_error(result, 3)
    assert "[KG310] /dev/full: cannot write (No space left on device" in line
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)
