"""The options for a kept number's metric, dataset and method, each with its features
(see kg.extract.results_features). One option is always "none" (surface None)."""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple

from kg.extract.results_features import (
    Choice,
    Sentence,
    dist_bucket,
    last_metric,
    metric_starting,
)
from kg.extract.results_parse import QUAL, Value
from kg.model import Relation
from kg.resolve.metrics import MetricSpan, canonical_metric

_AFTER_METRIC = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:(?:relative|absolute|average|overall)\s+)?(?:(?:improvement|gain"
    r"|reduction|increase|speed[- ]?up|boost|decrease|drop|advantage|lift)s?\s+)?(?:(?:in|of|on"
    r"|for)\s+)?(?:(?:the|an?|terms of)\s+)?(?P<pair>[\w\-]+\s+and\s+[\w\-]+\s+)?"
)
_VERB_OBJECT = re.compile(
    rf"\b(?:reduc|improv|increas|boost|clos|lower|cut|sav|enhanc|decreas|accelerat|lift)\w*\s+"
    rf"(?:the\s+|its\s+)?(?P<np>[a-z][\w\-]*(?:\s[a-z][\w\-]*){{0,3}}?)\s+(?:by\s+)?(?:{QUAL}\s*)?$"
)
_NOT_METRIC_NP = re.compile(r"\b(?:of|to|by|up|method|model|baseline|approach|state|existing|the)")
_CLAUSE_BREAK = re.compile(r",\s*(?:and|while|but|whereas)\b|;")
_SUBJECT = re.compile(
    r"\s+(?:\w+\s+)?(?:achiev|obtain|reach|attain|scores\b|outperform|surpass|get)\w*"
)
_OUR = re.compile(
    r"\b(?:our|the proposed|this)\s+(?:[\w\-]+\s+)?(?:method|approach|model|framework|system"
    r"|algorithm|technique|design)s?\b|\bours\b"
)
_ON_BEFORE = re.compile(r"\b(?:on|in|for|across|of)\s+(?:the\s+)?(?:challenging\s+)?$")
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|/\s*)")
_SENT_HEAD = re.compile(r"(?:On|For|In|Across)\s+(?:the\s+)?")


class Place(NamedTuple):
    """Where a group of numbers sits: its context starts at ``before`` (the previous group
    or the sentence start) and ends at ``after_end`` (the next group or a semicolon)."""

    text: str
    group: list[Value]
    before: int
    after_end: int
    metrics: list[MetricSpan]  # the sentence's


def _rule_metric(p: Place, s: Sentence) -> tuple[str | None, int]:
    """kg.result.v1's metric: "12.6 F1 points", a metric right after the numbers, the last
    one before them, or the object of "reduces X by"; and where it starts (-1: after)."""
    text, group = p.text, p.group
    points = re.search(r"\s(\S+)\s(?:points?|pts)$", group[-1].text)
    if points:
        return points.group(1), -1
    gap = _AFTER_METRIC.match(text, group[-1].end)
    # "in precision and recall": the metric after the pair; "in throughput and a 2X": the first
    for at in (
        (gap.end(), gap.start("pair")) if gap and gap.group("pair") else (gap.end(),) if gap else ()
    ):
        m = metric_starting(p.metrics, at) if at < p.after_end else None
        if m and m.end <= p.after_end:
            return m.text, -1
    m = last_metric(p.metrics, p.before, group[0].start)
    if m:
        return m.text, m.start
    vo = _VERB_OBJECT.search(text, p.before, group[0].start)
    if vo and not _NOT_METRIC_NP.search(vo.group("np")):
        return vo.group("np"), vo.start("np")
    return None, -1


def _listed(p: Place, s: Sentence, n: int) -> list[int]:
    """ "UAS and LAS are 95.9% and 94.1%": as many metrics listed before the group as it has
    numbers, the i-th number's the i-th metric; their starts (empty: no such list)."""
    if n < 2:
        return []
    before = [m for m in s.metrics if p.before <= m.start and m.end <= p.group[0].start]
    run = before[-n:]
    if len(run) < n or any(
        not _LIST_JOIN.fullmatch(p.text, a.end, b.start) for a, b in itertools.pairwise(run)
    ):
        return []
    return [m.start for m in run]


def metric_choices(p: Place, s: Sentence, v: Value) -> tuple[list[Choice], int]:
    """Every metric span of the sentence, "F1" of "12.6 F1 points", the object of
    "reduces X by", and none; with where the v1 rule's metric starts."""
    text, g0, g1 = p.text, p.group[0].start, p.group[-1].end
    rule, rule_pos = _rule_metric(p, s)
    listed = _listed(p, s, len(p.group))
    if listed:  # the list's i-th metric is the rule's for the i-th number
        mine = next(m for m in s.metrics if m.start == listed[p.group.index(v)])
        rule, rule_pos = mine.text, mine.start
    spans = [(m.start, m.end, m.text, "span") for m in s.metrics]
    points = re.search(r"\s(\S+)\s(?:points?|pts)$", p.group[-1].text)
    if points:
        spans.append((g1, g1, points.group(1), "points"))
    vo = _VERB_OBJECT.search(text, p.before, g0)
    if vo and not _NOT_METRIC_NP.search(vo.group("np")):
        spans.append((vo.start("np"), vo.end("np"), vo.group("np"), "object"))
    if rule is not None and all(a[2] != rule for a in spans):
        spans.append(
            (g1, g1, rule, "near")
        )  # the window read "top-1 accuracy" in "ImageNet top-1 accuracy"
    after = [a for a in spans if a[0] >= g1]
    behind = [a for a in spans if a[1] <= g0]
    out = [
        Choice(
            None, ("null", "null&none" if not spans else "null&some", f"null&rule:{rule is None}")
        )
    ]
    seen: set[str] = set()
    for a in sorted(spans, key=lambda a: abs(a[0] - g1) if a[0] >= g1 else abs(g0 - a[1])):
        start, end, surface, how = a
        if surface.casefold() in seen:
            continue
        seen.add(surface.casefold())
        side = "after" if start >= g1 else "before"
        gap = start - g1 if side == "after" else g0 - end
        inside = p.before <= start and end <= p.after_end
        f = [f"m:{how}", f"m:{side}", f"m:{side}:{dist_bucket(gap)}", f"m:seg:{inside}"]
        if surface == rule:
            f.append("m:rule")
        if (after and a is after[0]) or (behind and a is behind[-1]):
            f.append(f"m:nearest_{side}")
        if canonical_metric(surface) is None:
            f.append("m:unknown")
        if listed and listed[p.group.index(v)] == start:
            f.append("m:index")
        lo, hi = (g1, start) if side == "after" else (end, g0)
        if _CLAUSE_BREAK.search(text, lo, hi):
            f.append("m:clause")
        if re.search(r"\d", text[lo:hi]):
            f.append("m:across_number")
        out.append(Choice(surface, tuple(f)))
        head = surface.rsplit(" ", 1)[-1]
        if (
            head != surface
            and how == "span"
            and canonical_metric(head)
            and head.casefold() not in seen
        ):
            seen.add(head.casefold())  # "average sensitivity" may be read as "sensitivity"
            out.append(Choice(head, (*f, "m:head_only")))
    return out, rule_pos


def _rule_dataset(p: Place, s: Sentence, i: int, metric_pos: int) -> str | None:
    """kg.result.v1's dataset: one per number ("… on CIFAR100 and ImageNet-R"), the one
    before the metric, the next one, the last one before, or "On X," heading the sentence."""
    text, group, ds = p.text, p.group, s.datasets
    ahead = [d for d in ds if group[-1].end <= d.start < p.after_end]
    if len(group) > 1 and len(ahead) == len(group):
        return ahead[i].surface
    if metric_pos >= 0:
        for d in ds:
            if d.end <= metric_pos and not text[d.end : metric_pos].strip():
                return d.surface
    if ahead and not re.search(r"[,;()]", text[group[-1].end : ahead[0].start]):
        return ahead[0].surface
    behind = [
        d
        for d in ds
        if p.before <= d.start
        and d.end <= group[0].start
        and not _CLAUSE_BREAK.search(text, d.end, group[0].start)
    ]
    if behind:
        return behind[-1].surface
    for d in ds:
        if _SENT_HEAD.fullmatch(text, s.start, d.start):
            return d.surface
    return None


def dataset_choices(p: Place, s: Sentence, i: int, metric_pos: int) -> list[Choice]:
    """Every dataset of the sentence, and none."""
    text, g0, g1 = p.text, p.group[0].start, p.group[-1].end
    rule = _rule_dataset(p, s, i, metric_pos)
    out = [
        Choice(
            None,
            ("null", "null&none" if not s.datasets else "null&some", f"null&rule:{rule is None}"),
        )
    ]
    ahead = [d for d in s.datasets if d.start >= g1]
    seen: set[str] = set()
    for d in sorted(s.datasets, key=lambda d: d.start - g1 if d.start >= g1 else g0 - d.end):
        if d.surface in seen:
            continue
        seen.add(d.surface)
        side = "after" if d.start >= g1 else "before"
        gap = d.start - g1 if side == "after" else g0 - d.end
        f = [f"d:{side}", f"d:{side}:{dist_bucket(gap)}", f"d:rel:{d.relation.name}"]
        f.append(f"d:seg:{p.before <= d.start < p.after_end}")
        if d.extractor.startswith("results:"):
            f.append("d:src:" + d.extractor[8:])
        if d.surface == rule:
            f.append("d:rule")
        if _ON_BEFORE.search(text, max(s.start, d.start - 30), d.start):
            f.append("d:on")
        if _SENT_HEAD.fullmatch(text, s.start, d.start):
            f.append("d:head")
        if len(p.group) > 1 and len(ahead) == len(p.group) and ahead[i] is d:
            f.append("d:index")
        lo, hi = (g1, d.start) if side == "after" else (d.end, g0)
        if _CLAUSE_BREAK.search(text, lo, hi):
            f.append("d:clause")
        if metric_starting(s.metrics, d.end + 1):
            f.append("d:before_metric")
        out.append(Choice(d.surface, tuple(f)))
    return out


def _rule_method(p: Place, s: Sentence, v: Value) -> str | None:
    """kg.result.v1's method: none for "from X", the baseline before "vs.", the paper's
    own method (the last named before the number), a subject that "achieves", or the
    paper's method."""
    if v.role == "from":
        return None
    g0 = p.group[0].start
    if v.role == "vs":
        baselines = [
            m for m in s.methods if m.relation is Relation.USES and p.before <= m.start < g0
        ]
        return baselines[-1].surface if baselines else None
    own = [m for m in s.methods if m.relation is Relation.PROPOSES and s.start <= m.start < s.end]
    earlier = [m for m in own if m.end <= v.start]
    if earlier or own:
        return (earlier or own)[-1 if earlier else 0].surface
    for m in s.methods:
        if p.before <= m.start < g0 and _SUBJECT.match(p.text, m.end, m.end + 30):
            return m.surface
    return s.default


def method_choices(p: Place, s: Sentence, v: Value) -> list[Choice]:
    """The paper's method, every method it proposes, those the sentence uses, and none."""
    rule = _rule_method(p, s, v)
    g0 = p.group[0].start
    r = f"&role:{v.role}"
    our = bool(_OUR.search(p.text, s.start, v.start))
    null = ["null", "null" + r, f"null&rule:{rule is None}"] + ["null&our"] * our
    out = [Choice(None, tuple(null))]
    options: dict[str, list[str]] = {}
    if s.default:
        options[s.default] = ["me:default", "me:default" + r] + ["me:our"] * our
    if s.titled:
        options.setdefault(s.titled, []).extend(["me:titled"] + ["me:our"] * our)
    for m in s.methods:
        f = options.setdefault(m.surface, [])
        here = s.start <= m.start < s.end
        f.append(f"me:{m.relation.name}" + ("" if here else ":elsewhere"))
        if m.surface in s.coined:
            f.append(f"me:coined:{m.relation.name}")
        if our and m.relation is Relation.PROPOSES:
            f.append("me:our")
        if here and m.start < g0:
            f.append("me:before" + (r if m.relation is Relation.USES else ""))
            if p.before <= m.start and _SUBJECT.match(p.text, m.end, m.end + 30):
                f.append("me:subject")
        elif here:
            f.append("me:after")
    for surface, f in options.items():
        if surface == rule:
            f.append("me:rule")
        out.append(Choice(surface, tuple(dict.fromkeys(f))))
    return out
