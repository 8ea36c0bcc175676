"""The result finder's learned decisions: a log-linear choice model over named features.

Every decision is a choice among options, each option a tuple of binary features
(kg.extract.results_features): is a number a result (the number against an empty option),
a score or an improvement (likewise), and which option is its metric, its dataset and its
method (spans of the sentence and "none"). An option's score is the sum of its features'
weights, so extraction costs a dictionary lookup per feature; training is a conditional
logit (softmax over each choice's options) with an L2 penalty, fitted by Newton's method:
no randomness, no learning rate, the same weights on every run.

The weights ship in ``models/results.json``; ``scripts/train_results.py`` rebuilds it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

from kg.extract.results_features import Choice

#: The decisions the model makes, each a table of feature weights.
DECISIONS = ("accept", "kind", "metric", "dataset", "method")
FORMAT = "kg.results-model/1"
#: kg.result.v1's hand-written decisions as weights ("rule": what v1 chose). Training starts
#: from these, scaled, and moves only as far as the data pulls (the L2 penalty is on the
#: distance from them): with ~90 gold results, a model fitted from zero lost to the rules.
RULES = {
    "accept": {"rule": 1.0, "bias": -0.5},
    "kind": {"rule_improve": 1.0, "bias": -0.5},
    "metric": {"m:rule": 1.0, "null&rule:True": 1.0},
    "dataset": {"d:rule": 1.0, "null&rule:True": 1.0},
    "method": {"me:rule": 1.0, "null&rule:True": 1.0},
}
#: (prior scale, L2) pairs training picks from, per decision, by held-out likelihood.
GRID = ((1.0, 0.3), (1.0, 1.0), (2.0, 0.3), (2.0, 1.0))


@dataclass(frozen=True)
class ResultModel:
    """Feature weights per decision, and the name that tags what they extract."""

    weights: dict[str, dict[str, float]]
    name: str

    def score(self, decision: str, feats: Sequence[str]) -> float:
        w = self.weights[decision]
        return sum(w.get(f, 0.0) for f in feats)

    def says(self, decision: str, feats: Sequence[str]) -> bool:
        """A yes/no decision ("accept", "kind"): yes when more likely than not."""
        return self.score(decision, feats) > 0.0

    def choose(self, decision: str, options: Sequence[Choice]) -> str | None:
        """The option with the highest score (the first of equals)."""
        best, best_score = options[0].surface, self.score(decision, options[0].feats)
        for o in options[1:]:
            s = self.score(decision, o.feats)
            if s > best_score:
                best, best_score = o.surface, s
        return best

    def to_json(self) -> str:
        body = {"format": FORMAT, "name": self.name, "weights": self.weights}
        return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ResultModel:
        body: dict[str, Any] = json.loads(text)
        if body.get("format") != FORMAT or set(body["weights"]) != set(DECISIONS):
            raise ValueError(f"not a {FORMAT} file")
        return cls({d: dict(body["weights"][d]) for d in DECISIONS}, str(body["name"]))


@lru_cache(maxsize=1)
def shipped() -> ResultModel:
    """The weights shipped with kg, read once."""
    path = files("kg.extract").joinpath("models", "results.json")
    return ResultModel.from_json(path.read_text(encoding="utf-8"))


#: One training decision: its options' features, and the index of the right one.
Decision = tuple[Sequence[Sequence[str]], int]


def fit(
    decisions: Sequence[Decision],
    prior: dict[str, float] | None = None,
    l2: float = 1.0,
    rounds: int = 50,
) -> dict[str, float]:
    """Weights maximising the log-likelihood of the right options, less ``l2`` times their
    squared distance from ``prior`` (absent features: 0)."""
    prior = prior or {}
    names = sorted({f for opts, _ in decisions for o in opts for f in o} | set(prior))
    if not names:
        return {}
    index = {f: i for i, f in enumerate(names)}
    sizes = [len(opts) for opts, _ in decisions]
    starts = np.cumsum([0, *sizes[:-1]])
    x = np.zeros((sum(sizes), len(names)))
    y = np.zeros(sum(sizes))
    row = 0
    for (opts, right), _ in zip(decisions, sizes, strict=True):
        for j, o in enumerate(opts):
            x[row, [index[f] for f in o]] = 1.0
            y[row] = j == right
            row += 1
    w0 = np.array([prior.get(f, 0.0) for f in names])
    w = w0.copy()

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        s -= np.repeat(np.maximum.reduceat(s, starts), sizes)
        log_z = np.log(np.add.reduceat(np.exp(s), starts))
        loss = float(log_z.sum() - s @ y + 0.5 * l2 * np.sum((w - w0) ** 2))
        return loss, np.exp(s - np.repeat(log_z, sizes))

    loss, p = objective(w)
    for _ in range(rounds):
        grad = x.T @ (y - p) - l2 * (w - w0)
        mean = np.add.reduceat(p[:, None] * x, starts)
        hess = x.T @ (p[:, None] * x) - mean.T @ mean + l2 * np.eye(len(names))
        step = np.linalg.solve(hess, grad)
        while True:  # halve a step that would not lower the loss (Newton can overshoot)
            new_loss, new_p = objective(w + step)
            if new_loss <= loss or float(np.abs(step).max()) < 1e-12:
                break
            step /= 2
        w, loss, p = w + step, new_loss, new_p
        if float(np.abs(step).max()) < 1e-10:
            break
    return {f: round(float(v), 6) for f, v in zip(names, w, strict=True) if abs(v) >= 5e-7}


def log_likelihood(weights: dict[str, float], decisions: Sequence[Decision]) -> float:
    """How well ``weights`` predict the right options (natural log, summed)."""
    total = 0.0
    for opts, right in decisions:
        scores = np.array([sum(weights.get(f, 0.0) for f in o) for o in opts])
        top = scores.max()
        total += float(scores[right] - top - np.log(np.exp(scores - top).sum()))
    return total


def fit_tuned(
    by_paper: Sequence[Sequence[Decision]], prior: dict[str, float], folds: int = 3
) -> tuple[dict[str, float], tuple[float, float]]:
    """Weights fitted with the GRID setting whose fits on all but one of ``folds`` slices of
    the papers (paper i in slice i mod folds) best predict the slice left out."""
    slices = [[d for ds in by_paper[k::folds] for d in ds] for k in range(folds)]

    def held_out(setting: tuple[float, float]) -> float:
        scaled = {f: setting[0] * w for f, w in prior.items()}
        total = 0.0
        for k in range(folds):
            rest = [d for j, ds in enumerate(slices) if j != k for d in ds]
            total += log_likelihood(fit(rest, scaled, setting[1]), slices[k])
        return total

    best = max(GRID, key=lambda g: (held_out(g), -GRID.index(g)))
    everything = [d for ds in by_paper for d in ds]
    return fit(everything, {f: best[0] * w for f, w in prior.items()}, best[1]), best
