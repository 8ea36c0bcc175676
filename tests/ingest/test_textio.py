"""Bad bytes become one InputError naming the file and line, never a traceback."""

import gzip
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import iter_papers

ABSTRACT = "We propose FooNet, evaluated on ImageNet with strong results across the board. " * 3


def _jsonl(title: str = "A Paper") -> str:
    return json.dumps({"title": title, "abstract": ABSTRACT.strip()}, ensure_ascii=False) + "\n"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + _jsonl().encode().replace(b"\n", b"\r\n"))
    [paper] = iter_papers([src])
    assert paper.title == "A Paper" and not paper.abstract.endswith("\r")


def test_non_utf8_byte_names_file_line_and_byte(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    src.write_bytes(_jsonl().encode() + _jsonl("Caf\xe9").encode("latin-1"))
    with pytest.raises(InputError, match=r"p.jsonl:2: not UTF-8 \(byte 0xe9"):
        list(iter_papers([src]))


def test_nul_bytes_are_rejected(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    src.write_bytes(_jsonl().encode() + b'{"title": "x\x00"}\n')
    with pytest.raises(InputError, match="NUL"):
        list(iter_papers([src]))


def test_gzip_is_read_transparently_and_truncation_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl.gz"
    src.write_bytes(gzip.compress((_jsonl("One") + _jsonl("Two")).encode()))
    assert [p.title for p in iter_papers([src])] == ["One", "Two"]
    data = gzip.compress("".join(_jsonl(f"Paper {i}") for i in range(200)).encode())
    src.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated or corrupt gzip"):
        list(iter_papers([src]))


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "file is empty"),
        (b"just some words, not papers\n", "not a recognised paper file"),
    ],
)
def test_empty_and_unrecognised_files(tmp_path: Path, content: bytes, message: str) -> None:
    src = tmp_path / "x.txt"
    src.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(iter_papers([src]))


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(iter_papers([tmp_path / "nope"]))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="holds no files"):
        list(iter_papers([tmp_path / "empty"]))
