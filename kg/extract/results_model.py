"""The result finder's learned decisions: a log-linear choice model over named features.

Every decision is a choice among options, each option a tuple of binary features
(kg.extract.results_features): is a number a result (the number against an empty option),
a score or an improvement (likewise), and which option is its metric, its dataset and its
method (spans of the sentence and "none"). An option's score is the sum of its features'
weights, so extraction costs a dictionary lookup per feature; training is kg.extract.logit's
conditional logit: no randomness, the same weights on every run.

The weights ship in ``models/results.json``; ``kg train`` rebuilds it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

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
