import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import SkipCounter, iter_papers


def test_malformed_lines_are_reported_or_skipped_with_a_count(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    good = {"title": "Good", "abstract": "An abstract. " * 20, "arxiv_id": "2401.00001v2"}
    src.write_text(
        json.dumps(good) + "\n{broken\n" + json.dumps({"title": "No abstract"}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"p.jsonl:2: malformed JSON"):
        list(iter_papers([src]))
    skipped = SkipCounter()
    [paper] = iter_papers([src], on_bad=skipped)
    assert paper.id == "arxiv:2401.00001"  # version suffix dropped
    assert [str(e).split(": ", 1)[1] for e in skipped.errors] == [
        "malformed JSON (Expecting property name enclosed in double quotes at column 2)",
        "record 'No abstract' has no abstract",
    ]
