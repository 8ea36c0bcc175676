"""Results: the numbers an abstract states about how a method does (GUIDELINES.md, Results).

Run by the ``kg_results`` component after the entity component, whose names give each
number its method and dataset: the names as the hand rules decide them
(``Reading.by_rules``), whichever decides the graph's edges. Their higher recall of method
names gives more results their method than the entity model's choices (5-fold CV over the
160 gold papers, results_method: see benchmarks/results/extraction_quality.txt).
Rules propose (kg.extract.results_parse finds the
number-shaped spans, kg.extract.results_features and results_parts the options for each
part); a small learned model decides (kg.extract.results_model): which numbers are results,
score or improvement, and which option is the metric, the dataset and the method. Sizes,
counts, years and settings are numbers too, so the model sees the cues that tell them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from kg.extract.results_features import (
    Choice,
    Sentence,
    paper_method,
    parallel,
    sentence,
    value_features,
)
from kg.extract.results_model import ResultModel, shipped
from kg.extract.results_parse import Value, find_values, group_values, parse_value
from kg.extract.results_parts import Place, dataset_choices, method_choices, metric_choices
from kg.model import Evidence, Result, ResultKind
from kg.resolve.metrics import metrics_in

if TYPE_CHECKING:
    from kg.extract.components import Reading

#: The tag of every result's evidence: the rules' version and the shipped weights' name.
EXTRACTOR = f"kg.result.v2+{shipped().name}"


class Number(NamedTuple):
    """A number-shaped span of the abstract, where it sits, and its features."""

    value: Value
    position: int  # its place in its group
    place: Place
    sent: tuple[int, int]
    feats: list[str]


def numbers(reading: Reading) -> Iterator[Number]:
    """Every number-shaped span outside links, in text order, grouped by sentence."""
    text = reading.text
    if not re.search(r"\d", text):
        return
    values = [
        v
        for v in find_values(text, 0, len(text))
        if not any(a <= v.start < b for a, b in reading.masked)
    ]
    for ss, se in reading.sentences:  # one scan of the text, then split by sentence
        groups = group_values(text, [v for v in values if ss <= v.start and v.end <= se])
        metrics = metrics_in(text, ss, se) if groups else []
        result_before = False
        for gi, group in enumerate(groups):
            before = ss if gi == 0 else groups[gi - 1][-1].end
            before = max(before, text.rfind(";", before, group[0].start) + 1)
            after_end = groups[gi + 1][0].start if gi + 1 < len(groups) else se
            semi = text.find(";", group[-1].end, after_end)
            place = Place(text, group, before, semi if semi >= 0 else after_end, metrics)
            follows = gi > 0 and result_before and parallel(text, before, group[0].start)
            for i, v in enumerate(group):
                feats = value_features(text, v, group, before, metrics, follows)
                yield Number(v, i, place, (ss, se), feats)
            result_before = "rule" in feats


class Options(NamedTuple):
    metric: list[Choice]
    dataset: list[Choice]
    method: list[Choice]


class OptionReader:
    """Each sentence's metrics, datasets and methods, read once a number in it is kept
    (most numbers are not results, and the metric scan costs)."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.default: str | None = None
        self.done: dict[int, Sentence] = {}

    def options(self, n: Number) -> Options:
        if not self.done:
            self.default = paper_method(self.reading)
        s = self.done.get(n.sent[0])
        if s is None:
            s = self.done[n.sent[0]] = sentence(
                self.reading, *n.sent, n.place.metrics, self.default
            )
        metric, pos = metric_choices(n.place, s, n.value)
        return Options(
            metric,
            dataset_choices(n.place, s, n.position, pos),
            method_choices(n.place, s, n.value),
        )


def find_results(reading: Reading, model: ResultModel | None = None) -> list[Result]:
    """Every result the abstract states, in text order, decided by ``model`` (default: the
    shipped weights); the extractor resolves their parts to entities."""
    model = model or shipped()
    tag = EXTRACTOR if model is shipped() else f"kg.result.v2+{model.name}"
    out: list[Result] = []
    reader = OptionReader(reading)
    for n in numbers(reading):
        if not model.says("accept", n.feats):
            continue
        o = reader.options(n)
        v = n.value
        kind = ResultKind.IMPROVEMENT if model.says("kind", n.feats) else ResultKind.SCORE
        parts = (
            model.choose("method", o.method),
            model.choose("dataset", o.dataset),
            model.choose("metric", o.metric),
        )
        evidence = Evidence(v.start, v.end, *n.sent, tag)
        out.append(Result(v.text, kind, *parse_value(v.text), *parts, evidence))
    return out
