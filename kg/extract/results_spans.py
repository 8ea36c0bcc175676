"""Dataset spans the entity component did not tag, offered to the result model as options
(kg.extract.results_parts): a dataset the abstract names elsewhere, written again in this
sentence ("echo"), and a name-shaped span where sentences put datasets ("pattern": after
"on", "in", "across" or "for", or before "dataset", "benchmark", "corpus"). A name is one
to five words, the first capitalised or holding a digit ("CIFAR-10", "text8", "WMT'14
English-German"). Each carries ``extractor`` "results:echo" or "results:pattern", so the
model weighs them apart from the entity component's mentions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kg.model import Relation
from kg.resolve.metrics import MetricSpan, canonical_metric

if TYPE_CHECKING:
    from kg.extract.components import RawMention, Reading

_FIRST = (
    r"(?:[A-Z][\w\-'’.+/]*[\w'’+]|[A-Z]|[a-z]+\d[\w\-]*|[a-z]{1,3}[A-Z][\w\-]*|\d+[A-Za-z][\w\-]*)"
)
_NEXT = r"(?:[A-Z][\w\-'’.+/]*[\w'’+]|[A-Z]|[a-z]*\d[\w\-]*|[A-Za-z]+-\d[\w\-]*|\d+[A-Za-z]*)"
_NAME = rf"{_FIRST}(?:\s(?:/\s)?{_NEXT}){{0,4}}"
_CUE_BEFORE = re.compile(
    rf"(?i:\b(?:on|in|across|for)\s+(?:the\s+|both\s+)?(?:(?:standard|popular|challenging|public"
    rf"|benchmark|well-known|widely[- ]used|large-scale|recent|held-out|official)\s+)*)"
    rf"(?P<name>{_NAME})"
)
_CUE_AFTER = re.compile(
    rf"(?P<name>{_NAME})\s+(?:data\s?sets?|benchmarks?|corpus|corpora|test[- ]sets?|test-dev"
    rf"|leaderboard|challenge)\b"
)
_NOT_NAME = re.compile(
    r"(?i:^(?:gpus?|tpus?|cpus?|table|figure|fig|section|appendix|english|we|our|this|these"
    r"|it|in|on|the|a|an|average|all|both|each|addition|particular|contrast|terms|total"
    r"|comparison|practice|general|summary|order|fact|short|most|many|some)$)"
)

_COMPOUND = re.compile(r"-[a-z]{3,}$")  # "AI-generated", "GPU-based": a modifier, no name


def _trim(name: str) -> tuple[int, str]:
    """Drop leading and trailing words the name regex may take that are no part of a name
    ("On", "Table"); with how many characters went from the front."""
    words = name.split(" ")
    cut = 0
    while words and _NOT_NAME.match(words[0]):
        cut += len(words.pop(0)) + 1
    while words and _NOT_NAME.match(words[-1]):
        words.pop()
    return cut, " ".join(words).rstrip(".'’/ ")


def widened(
    reading: Reading,
    ss: int,
    se: int,
    tagged: Sequence[RawMention],
    metrics: Sequence[MetricSpan],
) -> list[RawMention]:
    """Echo and pattern dataset spans of the sentence [ss, se) that overlap no mention the
    entity component made (``tagged``: all of the sentence's), no metric span and no other
    widened span; in text order."""
    from kg.extract.components import RawMention  # components imports the result finder

    text = reading.text
    taken = [(m.start, m.end) for m in tagged] + [(m.start, m.end) for m in metrics]
    out: list[RawMention] = []

    def add(start: int, end: int, how: str, relation: Relation) -> None:
        surface = text[start:end]
        if not surface or any(a < end and start < b for a, b in taken):
            return
        if canonical_metric(surface) or _COMPOUND.search(surface):
            return
        taken.append((start, end))
        out.append(RawMention(relation, surface, surface, start, end, ss, se, f"results:{how}"))

    names = {
        m.surface: m.relation
        for m in reading.by_rules
        if m.relation in (Relation.EVALUATED_ON, Relation.USES_DATASET, Relation.INTRODUCES)
    }
    for surface, relation in names.items():
        for hit in re.finditer(rf"(?<![\w\-]){re.escape(surface)}(?![\w\-])", text[ss:se]):
            add(ss + hit.start(), ss + hit.end(), "echo", relation)
    for pattern in (_CUE_BEFORE, _CUE_AFTER):
        for hit in pattern.finditer(text, ss, se):
            cut, name = _trim(hit.group("name"))
            if name:
                start = hit.start("name") + cut
                add(start, start + len(name), "pattern", Relation.USES_DATASET)
    return sorted(out, key=lambda m: m.start)
