"""Metric names normalised, and which way each is better (``metrics.toml`` beside this).

A result says "Top-1 Acc. 84.5" or "top-1 accuracy of 84.5%": comparing results across
papers needs one name for both, and knowing that 1.65 FID beats 2.0 FID while 84.5%
accuracy beats 80% needs each metric's direction. The table is shipped, so it is part of
the extraction rules' fingerprint.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from importlib.resources import files
from typing import Literal, NamedTuple

Direction = Literal["higher", "lower"]

_FOLD = re.compile(r"[\s\-_.\u2010-\u2015]+")


def metric_key(name: str) -> str:
    """Case, space, hyphen, underscore and dot blind: "Top-1 Acc." and "top1 acc" meet."""
    return _FOLD.sub("", unicodedata.normalize("NFKC", name).casefold())


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[str, Direction | None]]:
    """Folded spelling → (canonical name, direction), from the shipped ``metrics.toml``."""
    text = files("kg.resolve").joinpath("metrics.toml").read_text(encoding="utf-8")
    out: dict[str, tuple[str, Direction | None]] = {}
    for canonical, entry in tomllib.loads(text).items():
        way = entry.get("direction")
        if way not in (None, "higher", "lower"):
            raise ValueError(f"metrics.toml: [{canonical}] direction must be higher or lower")
        for spelling in [canonical, *entry.get("aliases", [])]:
            out.setdefault(metric_key(spelling), (canonical, way))
    return out


def spellings() -> list[str]:
    """Every name the table knows, as written there (canonical names and aliases)."""
    text = files("kg.resolve").joinpath("metrics.toml").read_text(encoding="utf-8")
    return [
        name
        for canonical, entry in tomllib.loads(text).items()
        for name in [canonical, *entry.get("aliases", [])]
    ]


def canonical_metric(name: str) -> str | None:
    """The table's name for a metric as written, or None for one it does not know.

    A known head after modifiers also resolves ("tail-class accuracy" → "accuracy",
    "mean end-to-end latency" → "latency"): papers qualify metrics freely.
    """
    known = table()
    found = known.get(metric_key(name))
    if found:
        return found[0]
    words = name.split()
    for i in range(1, len(words)):
        found = known.get(metric_key(" ".join(words[i:])))
        if found:
            return found[0]
    if words and "-" in words[-1]:  # "macro-accuracy" → "accuracy"
        return canonical_metric(words[-1].split("-", 1)[1])
    return None


def direction(metric: str) -> Direction | None:
    """ "higher" or "lower" (which is better) for a metric the table knows, else None."""
    canonical = canonical_metric(metric)
    return table()[metric_key(canonical)][1] if canonical else None


# --- metrics as written in a sentence (the result finder's metric part) -----------------
# Words that end a metric's run of modifiers: "improves the top-1 accuracy" → "top-1 accuracy".
_STOP = (
    r"the|a|an|our|its|their|of|in|on|by|and|or|with|to|for|at|as|than|over|up|both|while"
    r"|is|are|was|were|be|median|higher|lower|better|worse|improv\w*|achiev\w*|reduc\w*"
    r"|increas\w*|boost\w*|clos\w*|sav\w*|gain\w*|obtain\w*|reach\w*|show\w*|strong|new"
    r"|significant\w*|state-of-the-art|sota|competitive|comparable|superior|high|low|only"
    r"|enhanc\w*|surpass\w*|outperform\w*|brings?|leads?|yields?"
)
_MOD = rf"(?!(?:{_STOP})\b)(?:[a-z][a-z0-9]*(?:-[A-Za-z0-9]+)*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+)"
_GENERIC = (
    r"accuracy|accuracies|scores?|errors?|latency|throughput|speeds?|speedups?|memory|FLOPs"
    r"|recall|precision|computation|revenue|sensitivity|specificity"
    r"|(?:success|error|win|hit|acceptance|pass|match) rate"
)
_NEEDS_MODIFIER = r"time|cost|gap"
_RISKY = {"IS", "SR", "return", "compute", "Dice", "TPR", "TNR", "FPR"}


class MetricSpan(NamedTuple):
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _head_re() -> re.Pattern[str]:
    """Metric heads ("accuracy", "FID", "time-to-first-token (TTFT)"). Names with capitals
    inside match case-sensitively ("AP" is not "ap"), the others in any case. Found head
    first, modifiers after: a scan that tried modifiers at every word cost a third of the
    whole extraction."""
    names = sorted({s for s in spellings() if s not in _RISKY}, key=len, reverse=True)
    names += [_GENERIC, _NEEDS_MODIFIER]
    heads = "|".join(
        n
        if n in (_GENERIC, _NEEDS_MODIFIER)
        else re.escape(n)
        if re.search(r"\w[A-Z]", n)
        else f"(?i:{re.escape(n)})"
        for n in names
    )
    first = "".join(dict.fromkeys(c for n in names for c in (n[0].lower(), n[0].upper())))
    acronym = r"(?:\s\([A-Za-z0-9@\-]{2,12}\))?"
    return re.compile(rf"(?<![\w@])(?=[{re.escape(first)}])(?:{heads})(?![\w@]){acronym}")


_MODS_RE = re.compile(rf"(?<![\w\-'’])(?:(?:{_MOD})\s){{1,3}}$")
_NEEDS_RE = re.compile(rf"(?:{_NEEDS_MODIFIER})(?![\w\-])")  # not "time-to-first-token"


def metrics_in(text: str, s: int, e: int) -> list[MetricSpan]:
    """Metrics as written: up to three modifiers and a known head ("mean end-to-end
    latency", "tail-class accuracy", "macro-accuracy", "FID")."""
    out: list[MetricSpan] = []
    for h in _head_re().finditer(text, s, e):
        start = h.start()
        if start > s and text[start - 1] == "-":
            joined = re.search(r"(?<![\w\-])[a-z]+-$", text[max(s, start - 16) : start])
            if not joined:
                continue
            start -= len(joined.group(0))
        mods = _MODS_RE.search(text, max(s, start - 60), start)
        if mods:
            start = mods.start()
        elif _NEEDS_RE.match(h.group(0)):
            continue  # "time" alone is no metric; "training time" is
        if out and out[-1].end > start:
            continue
        out.append(MetricSpan(start, h.end(), text[start : h.end()]))
    return out


def metric_at(text: str, pos: int) -> MetricSpan | None:
    """The metric that starts at ``pos``, if one does."""
    for m in metrics_in(text, max(0, pos - 1), min(len(text), pos + 90)):
        if m.start >= pos:
            return m if m.start == pos else None
    return None
