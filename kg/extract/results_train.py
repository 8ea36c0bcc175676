"""Training the result model on gold results, and measuring it on papers it never saw.

Gold records (GUIDELINES.md format) carry no abstract; the papers they annotate are paired
by normalised title. Each gold result is aligned to a number of the abstract with the same
value (the first such number whose options hold most of its parts); every number then gives
one "accept" decision, and each aligned one a "kind" decision and a metric, dataset and
method decision where the gold part is among the options. ``cross_validate`` trains on
K-1 folds of papers and scores the held-out fold with the shared scorer's matching.
The external yardsticks are in kg.extract.results_yardstick.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from spacy.tokens import Doc

from kg.extract import components
from kg.extract.evaluate import Report, evaluate, norm_value, same_part
from kg.extract.logit import Decision, fit_tuned
from kg.extract.pipeline import COMPONENTS, ExtractConfig, Extractor
from kg.extract.results import OptionReader, find_results, numbers
from kg.extract.results_model import DECISIONS, RULES, ResultModel
from kg.model import Paper, title_key

#: kg.result.v1's decisions: the baseline the model must beat.
RULE_MODEL = ResultModel(RULES, "rules")


class Annotated(NamedTuple):
    """An annotated paper: its reading (everything but results) and its gold results."""

    title: str
    reading: components.Reading
    gold: list[dict[str, Any]]


def readings(papers: Iterable[Paper]) -> list[components.Reading]:
    """Each paper read by the extraction pipeline up to, not including, the results. The
    results read names as the hand rules decide them (``Reading.by_rules``), so no entity
    model changes what a result model is trained on."""
    nlp = Extractor(ExtractConfig(components=COMPONENTS[:-1])).nlp
    docs = []
    for p in papers:
        doc = Doc(nlp.vocab)
        doc.user_data[components.READING] = components.Reading(p.abstract, p.title)
        docs.append(doc)
    return [components.reading(d) for d in nlp.pipe(docs)]


def annotated(papers: Iterable[Paper], gold: Iterable[dict[str, Any]]) -> list[Annotated]:
    """The gold records that annotate results, paired with their papers by title (read as
    ``readings`` reads them)."""
    by_title = {title_key(p.title): p for p in papers}
    pairs = [(g, by_title.get(title_key(str(g["title"])))) for g in gold if "results" in g]
    missing = [g["title"] for g, p in pairs if p is None]
    if missing:
        raise ValueError(f"{len(missing)} gold papers have no abstract, e.g. {missing[0]!r}")
    found = [(g, p) for g, p in pairs if p is not None]
    read = readings(p for _, p in found)
    return [Annotated(g["title"], r, g["results"]) for (g, _), r in zip(found, read, strict=True)]


def decisions(paper: Annotated) -> dict[str, list[Decision]]:
    """The training decisions one annotated paper gives (see the module docstring)."""
    nums = list(numbers(paper.reading))
    reader = OptionReader(paper.reading)
    options = [reader.options(n) for n in nums]
    aligned: dict[int, dict[str, Any]] = {}
    for r in paper.gold:
        same = [
            i
            for i, n in enumerate(nums)
            if i not in aligned and norm_value(n.value.text) == norm_value(r.get("value", ""))
        ]
        if same:
            aligned[max(same, key=lambda i: (_covered(r, options[i]), -i))] = r
    out: dict[str, list[Decision]] = {d: [] for d in DECISIONS}
    for i, n in enumerate(nums):
        out["accept"].append(((n.feats, ()), 0 if i in aligned else 1))
        if i not in aligned:
            continue
        gold = aligned[i]
        out["kind"].append(((n.feats, ()), 0 if gold.get("kind") == "improvement" else 1))
        for part, choices in zip(("metric", "dataset", "method"), options[i], strict=True):
            right = [j for j, c in enumerate(choices) if same_part(gold.get(part), c.surface)]
            if right:
                out[part].append(([c.feats for c in choices], right[0]))
    return out


def _covered(gold: dict[str, Any], options: Sequence[Any]) -> int:
    parts = ("metric", "dataset", "method")
    return sum(
        any(same_part(gold.get(k), c.surface) for c in cs)
        for k, cs in zip(parts, options, strict=True)
    )


def train(papers: Sequence[Annotated]) -> ResultModel:
    """The model fitted to these papers (each decision's setting tuned on them alone);
    named by a digest of its weights."""
    by_paper = [decisions(p) for p in papers]
    weights = {}
    for d in DECISIONS:
        weights[d], _ = fit_tuned([found[d] for found in by_paper], RULES[d])
    digest = hashlib.sha1(repr(sorted((d, sorted(w.items())) for d, w in weights.items())).encode())
    return ResultModel(weights, f"lr-{digest.hexdigest()[:8]}")


def predict(paper: Annotated, model: ResultModel) -> dict[str, Any]:
    """A guidelines record holding only the title and the results."""
    found = find_results(paper.reading, model)
    results = [
        {"method": r.method, "dataset": r.dataset, "metric": r.metric, "value": r.value}
        | {"kind": r.kind.value}
        for r in found
    ]
    return {"title": paper.title, "results": results}


def fold_of(n: int, k: int, seed: int = 0) -> list[int]:
    """Each paper's fold: a seeded permutation dealt round-robin (folds differ by ≤ 1)."""
    out = [0] * n
    for j, i in enumerate(np.random.default_rng(seed).permutation(n)):
        out[int(i)] = j % k
    return out


def cross_validate(
    papers: Sequence[Annotated], k: int = 5, seed: int = 0, model: ResultModel | None = None
) -> tuple[Report, list[dict[str, Any]]]:
    """Each fold predicted by a model trained on the other folds (or by ``model``, the same
    for every fold: a fixed baseline), scored together; with the predictions."""
    folds = fold_of(len(papers), k, seed)
    preds: list[dict[str, Any]] = [{}] * len(papers)
    for f in range(k):
        fitted = model or train([p for p, g in zip(papers, folds, strict=True) if g != f])
        for i, p in enumerate(papers):
            if folds[i] == f:
                preds[i] = predict(p, fitted)
    gold = [{"title": p.title, "results": p.gold} for p in papers]
    return evaluate(gold, preds), preds


def shipped_path() -> Path:
    """Where the shipped weights live in a source tree."""
    return Path(__file__).parent / "models" / "results.json"


def load_annotated(seeds: Path, gold_files: Sequence[Path]) -> list[Annotated]:
    """The annotated papers of these gold files, in file order, read from ``seeds``."""
    from kg.extract.evaluate import load_jsonl
    from kg.ingest import iter_papers

    gold = [g for path in gold_files for g in load_jsonl(path)]
    return annotated(iter_papers([seeds]), gold)
