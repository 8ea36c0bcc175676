"""kg's learner: a conditional logit (softmax over each decision's options) with an L2
penalty towards prior weights, fitted by Newton's method.

Each decision is a choice among options, each option a tuple of binary features; an
option's score is the sum of its features' weights, so applying a model costs a dictionary
lookup per feature. No randomness and no learning rate: the same data gives the same
weights on every run. The result model and the entity model both train with it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: (prior scale, L2) pairs training picks from, per decision, by held-out likelihood.
GRID = ((1.0, 0.3), (1.0, 1.0), (2.0, 0.3), (2.0, 1.0))


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
    if not decisions:
        return dict(prior)
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
