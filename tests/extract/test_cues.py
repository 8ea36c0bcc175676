"""The first-letter lookaheads of cues' led patterns never change what they match."""

from __future__ import annotations

import re

import pytest

from kg.extract import cues
from kg.model import Paper

LED = {
    name: pattern
    for name, pattern in vars(cues).items()
    if isinstance(pattern, re.Pattern) and pattern.pattern.startswith("(?=[")
}


def test_the_tail_and_sentence_cues_are_led() -> None:
    assert {"EVAL_RE", "DATASET_BEFORE_RE", "METRIC_RE", "METRIC_OR_TASK_RE"} <= set(LED)


@pytest.mark.parametrize("name", sorted(LED))
def test_led_pattern_matches_like_the_plain_one(name: str, seed_papers: list[Paper]) -> None:
    led = LED[name]
    plain = re.compile(re.sub(r"^\(\?=\[[^\]]+\]\)", "", led.pattern), led.flags)
    assert plain.pattern != led.pattern
    hits = 0
    for paper in seed_papers:
        text = paper.abstract
        found = [m.span() for m in led.finditer(text)]
        assert found == [m.span() for m in plain.finditer(text)], (name, paper.title)
        for end in range(40, len(text), 97):  # the tail searches of roles._local
            tail = text[end - 40 : end]
            assert bool(led.search(tail)) == bool(plain.search(tail)), (name, tail)
        hits += len(found)
    assert hits > 0 or name in {"NAMED_RE", "ON_BEFORE_RE", "TRAINED_ON_RE", "MODEL_ON_RE",
                                "DATASET_BEFORE_RE", "METHOD_BEFORE_RE", "OUR_RE"}


# The fast spellings below against the plain ones they replace, on every seed abstract.
PLAIN_RUN_RE = re.compile(
    rf"(?<![\w\-\.@/]){cues._WORD}(?:[ ](?:{cues._WORD}|{cues._VERSION}(?![\w%])))*(?![\w\-])"
)
PLAIN_SENT_END_RE = re.compile(r"[.!?](?=\s+[\"'(\[]?[A-Z0-9])|\n\s*\n")


@pytest.mark.parametrize(
    ("fast", "plain"),
    [(cues.RUN_RE, PLAIN_RUN_RE), (cues.SENT_END_RE, PLAIN_SENT_END_RE)],
    ids=["RUN_RE", "SENT_END_RE"],
)
def test_fast_spelling_matches_like_the_plain_one(
    fast: re.Pattern[str], plain: re.Pattern[str], seed_papers: list[Paper]
) -> None:
    assert fast.pattern != plain.pattern
    hits = 0
    for paper in seed_papers:
        found = [m.span() for m in fast.finditer(paper.abstract)]
        assert found == [m.span() for m in plain.finditer(paper.abstract)], paper.title
        hits += len(found)
    assert hits > 1000


def test_metric_or_task_scan_finds_each_pattern_s_matches(seed_papers: list[Paper]) -> None:
    task_head_re = re.compile(rf"\b{cues._TASK_HEAD}")  # the head words on their own
    kinds = {"metric": cues.METRIC_RE, "task": task_head_re}
    both = 0
    for paper in seed_papers:
        text = paper.abstract
        joint = list(cues.METRIC_OR_TASK_RE.finditer(text))
        for kind, pattern in kinds.items():
            spans = [m.span() for m in joint if m.lastgroup == kind]
            assert spans == [m.span() for m in pattern.finditer(text)], (kind, paper.title)
        both += {m.lastgroup for m in joint} == set(kinds)
    assert both > 50  # abstracts with metrics and tasks both
