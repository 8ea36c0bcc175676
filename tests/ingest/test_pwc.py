"""Papers with Code's papers-with-abstracts dump: one JSON array on one line, streamed."""

import gzip
import json
from pathlib import Path

import pytest

from kg.ingest import SkipCounter, detect_format, iter_papers, jsonstream
from kg.model import Paper

DUMP = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "pwc.json"


def read(path: Path) -> tuple[list[Paper], list[str]]:
    skipped = SkipCounter()
    papers = list(iter_papers([path], on_bad=skipped))
    return papers, [e.message for e in skipped.errors]


def test_dump_records_become_papers() -> None:
    papers, errors = read(DUMP)
    attention, knet = papers
    assert (attention.arxiv_id, attention.date) == ("1706.03762", "2017-06-12")  # "v5" dropped
    assert attention.url == "https://arxiv.org/abs/1706.03762v5"
    assert knet.id.startswith("title:") and knet.arxiv_id is None
    assert knet.title == "K-Net: Towards Unified Image Segmentation"
    assert knet.source == "pwc.json:1:.[1]"
    assert errors == [f"{DUMP}:1:.[2]: record 'No Abstract Here' has no abstract"]


def test_large_dump_is_streamed_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = json.loads(DUMP.read_text())[0]
    src = tmp_path / "papers-with-abstracts.json.gz"
    records = [{**record, "arxiv_id": f"2101.{i:05d}", "title": f"Paper {i}"} for i in range(3000)]
    src.write_bytes(gzip.compress(json.dumps(records).encode()))
    monkeypatch.setattr(jsonstream, "CHUNK_BYTES", 4096)  # far smaller than the file
    buffers: list[int] = []
    original = jsonstream._Text.more

    def more(self: jsonstream._Text) -> bool:
        buffers.append(len(self.buf))
        return original(self)

    monkeypatch.setattr(jsonstream._Text, "more", more)
    assert detect_format(src).name == "pwc"
    papers = read(src)[0]
    assert [p.id for p in papers] == [f"arxiv:2101.{i:05d}" for i in range(3000)]
    assert max(buffers) < 3 * 4096  # never more than a chunk or so held
