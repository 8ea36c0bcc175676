"""Candidates and their features for the result model (kg.extract.results_model).

Rules here only propose: which numbers might be results, and for each kept number the
spans that might be its metric, dataset and method (always with "none" beside them). Each
proposal carries a few named binary features, among them what the hand-written rule of
kg.result.v1 would have chosen ("rule"); the learned weights make the decisions. Features
are plain strings, so the model is a dictionary lookup per feature at extraction time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from kg.extract.results_parse import MEASURE, QUAL, Value, parse_value
from kg.extract.results_spans import widened
from kg.model import Relation
from kg.resolve.metrics import MetricSpan

if TYPE_CHECKING:
    from kg.extract.components import RawMention, Reading

_DATASETS = {Relation.EVALUATED_ON, Relation.USES_DATASET, Relation.INTRODUCES}
_SETTING_AFTER = re.compile(
    r"\s*(?:of\s+(?:the\s+|all\s+)?(?:\w+\s+)?(?:data|training|parameters|labels|samples|examples"
    r"|tokens|dataset|annotations|compute|budget|images|queries|weights)\b|(?:\w+\s)?(?:sparsity"
    r"|trainable|parameters|params|labeled|labelled|data\b|confidence|masking|mask)"
    r"|(?:more|larger|bigger|longer)\b)"
)
_SETTING_BEFORE = re.compile(r"\b(?:only|using|use|keeping|retaining|top|prun\w+)\s+(?:the\s+)?$")
_COUNTED = re.compile(  # "14 benchmark datasets": a count, not a result
    r"\s+(?!(?:on|in|and|or|vs|versus|at|with|for|to|from|compared|than|over|when|while|which"
    r"|respectively|across|points?)\b)[A-Za-z]"
)
_IMPROVE_AFTER = re.compile(
    r"\s*(?:\w+\s){0,2}?(?:improvements?|gains?|reductions?|increases?|boosts?|speed[- ]?ups?"
    r"|higher|lower|better|faster|fewer|less|advantages?|relative|absolute|margins?|drops?"
    r"|decreases?|lifts?|savings?|smaller|cheaper)\b"
)
_IMPROVE_BEFORE = re.compile(
    r"\b(?:by|improv\w*|gains?|boost\w*|outperform\w*|surpass\w*|exceed\w*|increas\w*|reduc\w*"
    r"|sav(?:e|es|ing)|margins?|clos(?:e|es|ing)|cuts?|lower\w*|advantages?|faster|speedup"
    r"|better|higher|accelerat\w*|enhanc\w*|decreas\w*|lifts?|outperformance)\b"
)
_LINK_BEFORE = re.compile(
    rf"(?:\s(?:of|to|at|is|was|reaching|reaches|are)|\s?[=:>≥(])\s*(?:{QUAL}\s*)?$"
)
_ACHIEVE_BEFORE = re.compile(
    r"\b(?:achiev|obtain|reach|attain|scor|record|yield|get)\w*\s+(?:an?\s+|the\s+)?"
    r"(?:(?:average|mean|overall)\s+)?(?:of\s+)?$"
)
_MEASURED = re.compile(MEASURE + r"$")
_TO_END = re.compile(r"(?<!\bup )\bto\s*$")  # "to 47.69", not "up to 47.69"
_PARALLEL = re.compile(
    r"\s*\)?\s+(?:\w+\s+){0,3}?(?:on|for|in|at)\s+[^,;()]{1,40}?(?:,\s*|\s+)(?:and\s+|while\s+)?"
)
_BREAK = re.compile(r"[;()]|,\s*(?:and|while|but|whereas|which)\b")
_TITLE_VIA = re.compile(r"\b(?:via|through|with|using|by|needs)\s+((?:[A-Z][\w\-]*\s*){1,5})$")
_TITLE_NAME = re.compile(r"^\s*([^\s:][^:]{0,40}?)\s*:")
_YEAR = re.compile(r"(?:19|20)\d\d$")
_PREV_WORD = re.compile(r"([A-Za-z]+)\W{0,3}$")
_NEXT_WORD = re.compile(r"\W{0,3}([A-Za-z]+)")


class Choice(NamedTuple):
    """One option for a part of a result: a span as written (None: the part is absent)."""

    surface: str | None
    feats: tuple[str, ...]


class Sentence(NamedTuple):
    """What the part choices read of one sentence, made once a number in it is kept."""

    start: int
    end: int
    metrics: list[MetricSpan]
    methods: list[RawMention]  # proposed anywhere, used in this sentence
    datasets: list[RawMention]
    default: str | None  # what "our method" names
    titled: str | None  # the title's "… via Name"
    coined: frozenset[str]  # acronyms the abstract defines


def dist_bucket(d: int) -> str:
    return "0" if d <= 2 else "s" if d <= 15 else "m" if d <= 50 else "l" if d <= 120 else "xl"


def last_metric(metrics: Sequence[MetricSpan], s: int, e: int) -> MetricSpan | None:
    """The last of the sentence's metric spans inside [s, e)."""
    found = None
    for m in metrics:
        if m.start >= e:
            break
        if m.start >= s and m.end <= e:
            found = m
    return found


def metric_starting(metrics: Sequence[MetricSpan], pos: int) -> MetricSpan | None:
    """The sentence's metric span that starts at ``pos``, if one does."""
    for m in metrics:
        if m.start >= pos:
            return m if m.start == pos else None
    return None


def parallel(text: str, prev_end: int, start: int) -> bool:
    """ "91.62 on CoNLL-2003 and 86.28 on OntoNotes": the second number repeats the first's
    pattern, so it is a result when the first is."""
    return bool(_PARALLEL.fullmatch(text, prev_end, start))


def value_features(
    text: str,
    v: Value,
    group: list[Value],
    before: int,
    metrics: Sequence[MetricSpan],
    after_result: bool = False,
) -> list[str]:
    """Is this number a result, and a score or an improvement? The hand rules' tests, each
    a feature, and their verdicts ("rule", "rule_improve"). ``after_result``: the previous
    group of the sentence was a result and this one follows it in parallel; ``metrics``: the
    sentence's metric spans (kg.resolve.metrics.metrics_in), read once per sentence."""
    f = ["bias"]
    unit = parse_value(v.text)[1]
    measure = bool(_MEASURED.search(v.text))
    shape = "bare" if v.bare else "measure" if measure else unit if unit in "%×points" else "other"
    dec = "." in v.text
    f += [f"u:{shape}", "dec" if dec else "int", f"role:{v.role}"]
    if v.text[0] in "+-−":
        f.append("signed")
    if len(group) > 1:
        f.append("grouped")
    prev = _PREV_WORD.search(text, max(before, v.start - 24), v.start)
    nxt = _NEXT_WORD.match(text, v.end, v.end + 24)
    f.append(f"w-1:{prev.group(1).lower() if prev else ''}")
    f.append(f"w+1:{nxt.group(1).lower() if nxt else ''}")
    setting = bool(_SETTING_AFTER.match(text, v.end)) or bool(
        _SETTING_BEFORE.search(text, max(before, v.start - 24), v.start)
    )
    counted = not dec and bool(_YEAR.match(v.text) or _COUNTED.match(text, v.end))
    linked = False
    link = _LINK_BEFORE.search(text, max(before, v.start - 12), v.start)
    if link:
        prior = last_metric(metrics, max(before, link.start() - 80), link.start())
        linked = bool(prior) and not text[prior.end if prior else 0 : link.start()].strip(" ()")
    gap = len(text[v.end : v.end + 3]) - len(text[v.end : v.end + 3].lstrip())
    metric_next = bool(metric_starting(metrics, v.end + gap))
    achieve = bool(_ACHIEVE_BEFORE.search(text, max(before, v.start - 40), v.start))
    to_metric = False  # "perplexities on PTB and WikiText-2 to 47.69 and 40.68"
    if _TO_END.search(text, max(before, group[0].start - 8), group[0].start):
        m = last_metric(metrics, before, group[0].start)
        to_metric = bool(m) and not _BREAK.search(text, m.end if m else 0, group[0].start)
    for name, on in (
        ("setting", setting),
        ("counted", counted),
        ("linked", linked),
        ("after_result", after_result),
        ("to_metric", to_metric),
    ):
        if on:
            f.append(name)
    for name, on in (("metric_next", metric_next), ("achieve", achieve)):
        if on:
            f.append(f"{name}&{'dec' if dec else 'int'}")
    if not v.bare and not measure:
        rule = not setting
    elif counted:
        rule = False
    elif v.role in ("from", "to") or any(u.role == "vs" for u in group):
        rule = any("." in u.text or not u.bare for u in group) or bool(
            last_metric(metrics, before, group[0].start)
        )
    else:
        rule = linked or (dec and (metric_next or achieve or after_result or to_metric))
    if rule:
        f.append("rule")
    if _IMPROVE_AFTER.match(text, group[-1].end):
        f.append("improve_after")
    window = text[max(before, group[0].start - 80) : group[0].start]
    if _IMPROVE_BEFORE.search(window):
        f.append("improve_before")
    if _TO_END.search(window, max(0, len(window) - 8)):
        f.append("to_before")
    if _rule_improves(text, v, group, before, unit, metrics):
        f.append("rule_improve")
    return f


def _rule_improves(
    text: str,
    v: Value,
    group: list[Value],
    before: int,
    unit: str,
    metrics: Sequence[MetricSpan],
) -> bool:
    """The v1 kind rule: signed, ×, points, or a gain word near, and no "to"."""
    if v.role or any(u.role == "vs" for u in group):
        return False
    if v.text[0] in "+-−" or unit in ("×", "points"):
        return True
    if _TO_END.search(text, max(before, v.start - 8), v.start):
        return False
    if _IMPROVE_AFTER.match(text, group[-1].end):
        return True
    w0, g0 = max(before, group[0].start - 80), group[0].start
    link = _LINK_BEFORE.search(text, w0, g0)
    if link:
        prior = last_metric(metrics, w0, link.start())
        if prior and not text[prior.end : link.start()].strip(" ()"):
            cue = _IMPROVE_BEFORE.search(text, w0, prior.start)
            if not cue or not re.fullmatch(r"[\s\w\-]*", text[cue.end() : prior.start]):
                return False
    return bool(_IMPROVE_BEFORE.search(text, w0, g0))


def sentence(
    reading: Reading, ss: int, se: int, metrics: list[MetricSpan], default: str | None
) -> Sentence:
    """The sentence's metric spans, datasets and methods (not names inside a metric, nor
    models named like a dataset: "GPT-3 XL model")."""
    text = reading.text
    spans = [(m.start, m.end) for m in metrics]
    methods, datasets = [], []
    for m in reading.by_rules:
        if m.relation is Relation.PROPOSES and not ss <= m.start < se:
            methods.append(m)
        if not ss <= m.start < se or any(a <= m.start < b for a, b in spans):
            continue
        if m.relation in (Relation.PROPOSES, Relation.USES):
            methods.append(m)
        if re.match(r"\s+(?:models?|backbones?)\b", text[m.end : m.end + 12]):
            continue
        if m.relation in _DATASETS or (
            m.relation is Relation.USES
            and (
                re.match(r"\s+(?:dataset|benchmark|corpus)", text[m.end : m.end + 12])
                or metric_starting(metrics, m.end + 1)
            )
        ):
            datasets.append(m)
    here = [m for m in reading.by_rules if ss <= m.start < se]
    datasets = sorted([*datasets, *widened(reading, ss, se, here, metrics)], key=lambda m: m.start)
    via = _TITLE_VIA.search(reading.title)
    titled = via.group(1).strip() if via else None
    coined = frozenset(reading.abbreviations)
    return Sentence(ss, se, metrics, methods, datasets, default, titled, coined)


def paper_method(reading: Reading) -> str | None:
    """What "our method" names: the title's "Name:" (one word, or words the abstract
    uses), else the first proposed method (its acronym when it has one), else None."""
    head = _TITLE_NAME.match(reading.title)
    if head:
        name = head.group(1)
        if " " not in name or (len(name.split()) <= 3 and name in reading.text):
            return name
    for m in reading.by_rules:
        if m.relation is Relation.PROPOSES:
            short = [a.short for a in reading.abbreviations.values() if a.long == m.surface]
            return short[0] if short else m.surface
    return None
