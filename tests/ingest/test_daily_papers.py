from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import SkipCounter, detect_format, iter_papers
from kg.ingest.daily_papers import BOILERPLATE

BOILER_WORDS = ("Subscribe", "Get trending papers", "byAK", "by AK", "Daily Papers")


def test_every_seed_file_is_detected_as_daily_papers(seeds_dir: Path) -> None:
    files = sorted(seeds_dir.iterdir())
    assert len(files) == 5
    assert {detect_format(f).name for f in files} == {"daily-papers"}


def test_per_file_counts_and_cross_file_dedup(seeds_dir: Path) -> None:
    per_file = {f.name: len(list(iter_papers([f]))) for f in sorted(seeds_dir.iterdir())}
    # the file without blank lines parses like the others: 328 content lines, 164 papers
    assert per_file["001_b43f695b1f3eda30.txt"] == 164
    total_records = sum(per_file.values())
    unique = list(iter_papers([seeds_dir]))
    assert 420 <= total_records <= 440
    assert len(unique) == 398
    assert len({p.id for p in unique}) == len(unique)


def test_glued_subscribe_is_cut_from_the_first_title(seeds_dir: Path) -> None:
    papers = list(iter_papers([seeds_dir / "001_b43f695b1f3eda30.txt"]))
    assert (
        papers[0].title == "VAR-CLIP: Text-to-Image Generator with Visual Auto-Regressive Modeling"
    )


def test_no_boilerplate_leaks_into_titles_or_abstracts(seed_papers) -> None:
    for paper in seed_papers:
        assert not any(paper.title.startswith(w) for w in BOILER_WORDS), paper.title
        assert not BOILERPLATE.match(paper.title)
        assert len(paper.abstract) > 100


def test_title_without_abstract_is_reported_with_its_line(tmp_path: Path) -> None:
    src = tmp_path / "dump.txt"
    src.write_text(
        "Get trending papers in your email inbox!\n\nSubscribe\n\nA Title\n\n"
        "Another Title\n\n" + "An abstract sentence that is long enough. " * 5 + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"dump.txt:5: title 'A Title' has no abstract"):
        list(iter_papers([src]))
    skipped = SkipCounter()
    papers = list(iter_papers([src], on_bad=skipped))
    assert [p.title for p in papers] == ["Another Title"]
    assert len(skipped.errors) == 1
