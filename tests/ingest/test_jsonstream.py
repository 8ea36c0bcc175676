"""The chunked JSON decoder: any chunk size gives the same records; errors name line/column."""

import gzip
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import SkipCounter, jsonstream
from kg.ingest.jsonstream import iter_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def records(path: Path, wrapper: str | None = None) -> tuple[list[tuple[str, object]], list[str]]:
    skipped = SkipCounter()
    out = list(iter_records(path, skipped, wrapper))
    return out, [e.message.removeprefix(f"{path}:") for e in skipped.errors]


@pytest.mark.parametrize("chunk", [1, 2, 7, 64])
@pytest.mark.parametrize(
    ("name", "wrapper"),
    [("pwc.json", None), ("semantic_scholar.json", "data"), ("openalex.jsonl", "results"),
     ("arxiv_snapshot.jsonl", None)],
)
def test_any_chunk_size_gives_the_same_records(
    name: str, wrapper: str | None, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = records(FIXTURES / name, wrapper)
    monkeypatch.setattr(jsonstream, "CHUNK_BYTES", chunk)
    assert records(FIXTURES / name, wrapper) == expected
    assert expected[0]


def test_numbers_and_multibyte_characters_split_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "v.json"
    src.write_text('123456 "α-Net ∞"\n[true, 1.5e3]', encoding="utf-8")
    monkeypatch.setattr(jsonstream, "CHUNK_BYTES", 1)
    assert records(src) == ([("1", 123456), ("1", "α-Net ∞"), ("2:.[0]", True),
                             ("2:.[1]", 1500.0)], [])


def test_bad_json_lines_are_skipped_and_reading_resumes(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    src.write_text('{"a": 1}\n{"a": 2\n{"a": 3}\n{"a": tru}\n[{"a": 4}, {"a": 5} {"a": 6}]\n')
    assert records(src) == (
        [("1", {"a": 1}), ("3", {"a": 3}), ("5:.[0]", {"a": 4}), ("5:.[1]", {"a": 5})],
        [
            "3: malformed JSON (Expecting ',' delimiter at column 1)",
            "4: malformed JSON (Expecting value at column 7)",
            "5: malformed JSON (Expecting ',' delimiter at column 21)",  # rest of line lost
        ],
    )


def test_array_items_on_their_own_lines_resume_after_a_bad_item(tmp_path: Path) -> None:
    src = tmp_path / "a.json"
    src.write_text('[\n{"a": 1},\n{"a": ,\n{"a": 3}\n]\n')
    got, errors = records(src)
    assert got == [("2:.[0]", {"a": 1}), ("4:.[2]", {"a": 3})]
    assert errors == ["3: malformed JSON (Expecting value at column 7)"]


def test_truncated_array_and_pathological_values_are_reported(tmp_path: Path) -> None:
    src = tmp_path / "cut.json"
    src.write_text('[{"a": 1}, {"b"')
    assert records(src) == (
        [("1:.[0]", {"a": 1})], ["1: malformed JSON (Expecting ':' delimiter at column 16)"]
    )
    src.write_text('[{"a": 1},')
    assert records(src)[1] == [" JSON array is not closed; is the file truncated?"]
    src.write_text('{"a": ' + "[" * 100_000 + '\n{"n": ' + "9" * 5000 + '}\n{"ok": 1}\n')
    got, errors = records(src)
    assert got == [("3", {"ok": 1})]
    assert errors[0].startswith("1: malformed JSON (nested deeper than 512 levels")
    assert errors[1].startswith("2: malformed JSON (Exceeds the limit (4300 digits)")


def test_nesting_past_the_depth_limit_is_one_error_at_any_stack_depth(tmp_path: Path) -> None:
    """Found by benchmarks/reliability.py: nesting near the interpreter's recursion limit
    failed in one build pass and not the other, or with another message, so a --skip-bad
    build stopped with "this record changed after the input was checked"."""
    src = tmp_path / "deep.json"
    src.write_text("".join(f'{{"a": {"[" * d}1{"]" * d}}}\n' for d in (510, 512, 973)) + "\n")

    def nested(frames: int) -> tuple[list[tuple[str, object]], list[str]]:
        return records(src) if frames == 0 else nested(frames - 1)

    for frames in (0, 100, 300):
        got, errors = nested(frames)
        assert [where for where, _ in got] == ["1"]
        assert errors == [f"{n}: malformed JSON (nested deeper than 512 levels at column 1)" for n in (2, 3)]


def test_wrapper_items_are_yielded_and_other_objects_kept_whole(tmp_path: Path) -> None:
    src = tmp_path / "page.json"
    src.write_text('{"total": 2, "data": [{"x": 1}, {"x": 2}]}\n{"data": "not a list"}\n[]\n')
    assert records(src, "data")[0] == [("1:.data[0]", {"x": 1}), ("1:.data[1]", {"x": 2}),
                                       ("2", {"data": "not a list"})]


def test_bad_utf8_and_corrupt_gzip_raise_input_errors(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    src.write_bytes(b'{"a": 1}\n{"a": 2}\n{"a": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"p.jsonl:3: not UTF-8 \(byte 0xe9\)"):
        records(src)
    gz = tmp_path / "p.jsonl.gz"
    whole = gzip.compress("".join(json.dumps({"a": i}) + "\n" for i in range(9999)).encode())
    gz.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match="truncated or corrupt gzip"):
        records(gz)
