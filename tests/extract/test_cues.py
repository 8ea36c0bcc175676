"""The first-letter lookaheads of cues' led patterns never change what they match."""

from __future__ import annotations

import re

import pytest

from kg.extract import cues
from kg.model import Paper

LED = {
    name: pattern
    for name, pattern in vars(cues).items()
    if isinstance(pattern, re.Pattern) and pattern.pattern.startswith(r"\b(?=[")
}


def test_the_tail_and_sentence_cues_are_led() -> None:
    assert {"EVAL_RE", "DATASET_BEFORE_RE", "METRIC_RE", "TASK_HEAD_RE"} <= set(LED)


@pytest.mark.parametrize("name", sorted(LED))
def test_led_pattern_matches_like_the_plain_one(name: str, seed_papers: list[Paper]) -> None:
    led = LED[name]
    plain = re.compile(re.sub(r"^\\b\(\?=\[[^\]]+\]\)", r"\\b", led.pattern), led.flags)
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
