"""Building is idempotent, incremental, and bad input leaves the store as it was."""

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.extract import Extractor
from kg.jobs.build import build, scan
from kg.jobs.limits import Limits
from kg.model import EntityKind
from kg.rdf.store import OxigraphStore
from kg.resolve import Resolver

ABSTRACT = "We propose FooNet and evaluate it on the CIFAR-10 benchmark. Code: github.com/x/foonet."


def write_jsonl(path: Path, titles: list[str], abstract: str = ABSTRACT) -> Path:
    path.write_text(
        "".join(json.dumps({"title": t, "abstract": abstract}) + "\n" for t in titles),
        encoding="utf-8",
    )
    return path


def test_rebuild_is_idempotent_and_does_no_work(seeds_dir: Path, tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        first = build([seeds_dir], store)
        quads = sorted(map(str, store.quads()))
        second = build([seeds_dir], store)
        assert (first.papers_written, second.papers_written, second.papers_unchanged) == (
            398,
            0,
            398,
        )
        assert sorted(map(str, store.quads())) == quads
        assert second.stats == first.stats


def test_new_and_changed_papers_only_are_extracted(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", ["One", "Two"])
    with OxigraphStore(tmp_path / "db") as store:
        build([src], store)
        write_jsonl(src, ["One", "Two", "Three"])
        assert build([src], store).papers_written == 1
        write_jsonl(src, ["One", "Two", "Three"], abstract=ABSTRACT + " Now on MNIST too.")
        report = build([src], store)
        assert report.papers_written == 3 and report.stats.papers == 3


def test_papers_are_extracted_again_when_the_rules_change(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", ["One", "Two"])
    renamed = Resolver.default()
    renamed = Resolver({**renamed.aliases, EntityKind.METHOD: {"foonet": "BarNet"}})

    def methods(store: OxigraphStore) -> list[str]:
        """Keys of the methods papers link (entities, once written, are never removed)."""
        text = "SELECT DISTINCT ?n WHERE { ?p kg:proposes|kg:uses ?m . ?m kg:key ?n }"
        return [row[0] for row in store.query(text).rows]

    with OxigraphStore(tmp_path / "db") as store:
        build([src], store)
        assert methods(store) == ["foonet"]
        report = build([src], store, extractor=Extractor(resolver=renamed))
        assert report.papers_written == 2 and methods(store) == ["barnet"]
        assert build([src], store, extractor=Extractor(resolver=renamed)).papers_written == 0
        assert build([src], store).papers_written == 2  # and back


def test_bad_record_stops_the_build_before_anything_is_written(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", ["One"])
    with OxigraphStore(tmp_path / "db") as store:
        build([good], store)
        before = sorted(map(str, store.quads()))
        bad = tmp_path / "bad.jsonl"
        bad.write_text(good.read_text() + json.dumps({"title": "New"}) + "\n{oops\n")
        with pytest.raises(InputError, match=r"bad.jsonl:2: record 'New' has no abstract"):
            build([bad], store)
        assert sorted(map(str, store.quads())) == before


def test_skip_bad_counts_and_continues(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", ["One", "Two"])
    src.write_text(src.read_text() + "{oops\n" + json.dumps({"title": "x" * 50}) + "\n")
    with OxigraphStore(tmp_path / "db") as store:
        report = build([src], store, skip_bad=True)
    assert report.papers_written == 2 and len(report.skipped) == 2


def test_limits_reject_huge_records(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", ["One"], abstract="words" * 30_000)
    with pytest.raises(InputError, match="abstract has 150,000 characters, over the limit"):
        scan([src], limits=Limits(max_abstract_chars=100_000))
    src = write_jsonl(tmp_path / "b.jsonl", ["T" * 1_000_000])
    with pytest.raises(InputError, match="title has 1,000,000 characters"):
        scan([src])


def test_zero_papers_is_an_error(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"title": "No abstract"}) + "\n")
    with pytest.raises(InputError, match="no papers found"):
        scan([src], skip_bad=True)
