"""Yardsticks nobody on this project wrote: (dataset, metric, score) tuples from full papers
(NLP-TDMS, SciREX), kept where the score occurs literally in the abstract.

The tuples name datasets and metrics the way leaderboards do ("CoNLL 2003 (English)",
"Test perplexity"), not as the abstract writes them ("CoNLL-2003", "perplexity"), so each
part is compared three ways: as written (the shared scorer's ``same_part``), loosely (one
name, folded to letters and digits without its parenthesis, holds the other) and, for
metrics, by kg's canonical name. ``offered`` counts how often the tuple's part was among
the options the model chose from (loosely), which bounds what any weights can reach.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kg.extract.evaluate import same_part
from kg.extract.results import OptionReader, find_results, numbers
from kg.extract.results_model import ResultModel
from kg.extract.results_parse import parse_value
from kg.model import Paper
from kg.resolve.metrics import canonical_metric

_SCORE = re.compile(r"(\d+(?:\.\d+)?)\s*%?")


def _fold(name: object) -> str:
    text = re.sub(r"\([^()]*\)", " ", str(name or "")).casefold()
    return re.sub(r"[^a-z0-9]+", "", text)


def loosely_same(gold: object, pred: object) -> bool:
    """Both absent, or one folded name holds the other (at least 3 characters)."""
    g, p = _fold(gold), _fold(pred)
    if not g or not p:
        return not g and not p
    return len(min(g, p, key=len)) >= 3 and (g in p or p in g)


def _same_number(number: float, score: str) -> bool:
    parsed = parse_value(score)[0]
    return parsed is not None and abs(parsed - number) < 1e-9


def _grounded(rec: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The record's tuples whose score (digits, an optional %) is in the abstract text."""
    out = []
    seen: set[tuple[str, str, str]] = set()
    for g in rec.get("results", []):
        m = _SCORE.fullmatch(str(g.get("score", "")).strip())
        if not m:
            continue
        score = m.group(1)
        if not re.search(rf"(?<![\d.]){re.escape(score)}(?![\d]|\.\d)", rec.get("text", "")):
            continue
        key = (score, _fold(g.get("dataset")), canonical_metric(str(g.get("metric", ""))) or "")
        if key in seen:  # SciREX lists one score under several tasks or metric spellings
            continue
        seen.add(key)
        out.append((g, score))
    return out


def yardstick(records: Sequence[dict[str, Any]], model: ResultModel) -> dict[str, float | int]:
    """How many grounded scores the model finds (by number, one to one), how often its
    dataset and metric agree with the tuple's, and how often the tuple's were offered."""
    from kg.extract.results_train import readings

    papers = [
        Paper(str(r.get("id", i)), r.get("title", ""), r.get("text", ""))
        for i, r in enumerate(records)
    ]
    c = dict.fromkeys(
        ("scores_in_text", "found", "ds", "ds_loose", "met", "met_loose", "met_canon"), 0
    )
    c |= {"ds_offered": 0, "met_offered": 0, "predicted": 0}
    for rec, reading in zip(records, readings(papers), strict=True):
        results = find_results(reading, model)
        c["predicted"] += len(results)
        offered = _offered(reading)
        free = list(results)
        for g, score in _grounded(rec):
            c["scores_in_text"] += 1
            same = [r for r in free if r.number is not None and _same_number(r.number, score)]
            if not same:
                continue
            r = same[0]
            free.remove(r)
            c["found"] += 1
            c["ds"] += same_part(g.get("dataset"), r.dataset)
            c["ds_loose"] += loosely_same(g.get("dataset"), r.dataset)
            c["met"] += same_part(g.get("metric"), r.metric)
            c["met_loose"] += loosely_same(g.get("metric"), r.metric)
            cm = canonical_metric(str(g.get("metric", "")))
            c["met_canon"] += cm is not None and cm == canonical_metric(r.metric or "")
            ds_opts, met_opts = offered.get(r.evidence.start, ([], []))
            c["ds_offered"] += any(loosely_same(g.get("dataset"), o) for o in ds_opts if o)
            c["met_offered"] += any(
                loosely_same(g.get("metric"), o)
                or (cm is not None and cm == canonical_metric(o or ""))
                for o in met_opts
                if o
            )
    hit = c["found"] or 1
    out: dict[str, float | int] = {"abstracts": len(records), **c}
    out["value_recall"] = c["found"] / (c["scores_in_text"] or 1)
    for k in ("ds", "ds_loose", "met", "met_loose", "met_canon", "ds_offered", "met_offered"):
        out[k + "_rate"] = c[k] / hit
    return out


def _offered(reading: Any) -> dict[int, tuple[list[str | None], list[str | None]]]:
    reader = OptionReader(reading)
    out = {}
    for n in numbers(reading):
        o = reader.options(n)
        out[n.value.start] = ([c.surface for c in o.dataset], [c.surface for c in o.metric])
    return out


def line(name: str, y: dict[str, float | int]) -> str:
    return (
        f"{name:22} value recall {y['value_recall']:.3f} ({y['found']}/{y['scores_in_text']})"
        f"  dataset agrees {y['ds_rate']:.3f} / loosely {y['ds_loose_rate']:.3f}"
        f" (offered {y['ds_offered_rate']:.3f})  metric agrees {y['met_rate']:.3f} / loosely "
        f"{y['met_loose_rate']:.3f} / canonical {y['met_canon_rate']:.3f} (offered "
        f"{y['met_offered_rate']:.3f})  predicted {y['predicted']} in {y['abstracts']}"
    )
