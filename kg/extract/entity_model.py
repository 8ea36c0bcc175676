"""The learned kind and role of each named entity of an abstract.

Every candidate name (kg.extract.names), accepted by the rules or not, is pooled with the
other mentions of its name (kg.extract.roles.Entity); the model then chooses one of
``CLASSES`` for the entity: not an entity, or one relation. Its features are what the
rules look at (their verdict, the dataset/method lean of the cues, gazetteer kind, shapes,
proposal and evaluation cues, the title) and what they do not: the words next to each
mention, the name's head word and casing, how often it is mentioned. The decision is a
conditional logit (kg.extract.logit) whose prior is the rules' verdict, so where the
annotated papers say nothing the model decides as the rules do.

The weights ship in ``models/entities.json``; ``kg train`` rebuilds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from itertools import repeat
from typing import Any

from kg.extract import cues, lexicon
from kg.extract.names import is_task_phrase
from kg.extract.phrases import Site
from kg.extract.roles import Entity, rule_relation, shape_lean
from kg.extract.sentences import token_after, token_before
from kg.model import Relation

FORMAT = "kg.entity-model/2"
NONE = "none"
#: What the model chooses between; "none" is the reference option (no features).
CLASSES = (
    NONE,
    Relation.PROPOSES.value,
    Relation.USES.value,
    Relation.INTRODUCES.value,
    Relation.EVALUATED_ON.value,
    Relation.USES_DATASET.value,
    Relation.REPORTS_METRIC.value,
    Relation.ADDRESSES.value,
)


def _heads(word: str) -> list[str]:
    w = word.casefold().rstrip("s")
    found = [
        kind
        for kind, heads in (
            ("method", lexicon.METHOD_HEADS),
            ("task", lexicon.TASK_HEADS),
            ("metric", lexicon.METRIC_HEADS),
        )
        if w in heads or word.casefold() in heads
    ]
    return found


def _context(text: str, start: int, end: int, sent: tuple[int, int]) -> list[str]:
    """The two words (or brackets, commas) before a mention and the one after it."""
    out = []
    first = token_before(text, start, sent[0])
    if first:
        out.append(f"prev:{first[1].casefold()}")
        second = token_before(text, first[0], sent[0])
        if second:
            out.append(f"prev2:{second[1].casefold()} {first[1].casefold()}")
    after = token_after(text, end, sent[1])
    if after:
        out.append(f"next:{after.casefold()}")
    return out


def word_shape(name: str) -> str:
    """ "MentalXLNet" → "AaAa", "GPT-4" → "A-9", "wav2vec 2.0" → "a9a 9.9": letter case, digits and
    punctuation runs, so unseen names of a familiar make share weights."""
    out: list[str] = []
    for ch in name:
        c = "A" if ch.isupper() else "a" if ch.isalpha() else "9" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


def features(entity: Entity) -> list[str]:
    """The entity's features: binary, named, every one a reason a reader could give."""
    js = entity.judged
    name = js[0].cand.name
    rule = rule_relation(entity)
    lean = sum(j.dataset for j in js)
    facts = entity.facts
    out = {
        "bias",
        f"rule:{rule.value if rule else NONE}",
        "lean:" + ("+" if lean > 0 else "-" if lean < 0 else "0"),
        f"mentions:{min(len(js), 3)}",
    }
    if abs(lean) >= 3:
        out.add("lean:" + ("++" if lean > 0 else "--"))
    add, text = out.add, facts.text
    for j in js:
        c = j.cand
        add(f"gaz:{c.gaz or NONE}")
        for cue in j.cues:
            add(f"cue:{cue}")
        out.update(_context(text, c.start, c.end, c.sent))
        if facts.proposes(c.sent):
            add("sentence:proposes")
        if c.sent[0] == 0:
            add("sentence:first")
        if c.start == c.sent[0]:
            add("opens_sentence")
        if c.shaped:
            add("shaped")
        if j.proposed:
            add("proposed")
        if j.trained:
            add("trained")
        if j.accepted:
            add("accepted")
        if c.abbr is not None:
            add("long_form" if c.is_long_form else "acronym")
            out.update(_abbr_features(c.abbr.long))
    out.update(_name_features(name))
    if entity.in_title(js):
        out.add("in_title")
    if entity.evaluated():
        out.add("evaluated")
    return sorted(out)


@lru_cache(maxsize=1 << 12)
def _abbr_features(long_form: str) -> tuple[str, ...]:
    """What an acronym's long form says: its head noun's kind, whether it names a task."""
    out = [f"abbr_head:{h}" for h in _heads(long_form.split()[-1])]
    return (*out, "abbr_task_phrase") if is_task_phrase(long_form) else tuple(out)


@lru_cache(maxsize=1 << 14)
def _name_features(name: str) -> tuple[str, ...]:
    """What the name says of itself, wherever it is written."""
    shape = shape_lean(name)
    words = name.replace("-", " ").split()
    out = [
        "shape:" + ("dataset" if shape > 0 else "method" if shape < 0 else NONE),
        *(f"head:{h}" for h in _heads(words[-1])),
        f"last:{words[-1].casefold()}",
        f"word_shape:{word_shape(name)}",
    ]
    out += [
        flag
        for flag, on in (
            ("multiword", len(words) > 1),
            ("all_caps", name.isupper()),
            ("digit", any(ch.isdigit() for ch in name)),
            ("lowercase", name[:1].islower()),
            ("metric_name", bool(cues.METRIC_RE.fullmatch(name))),
        )
        if on
    ]
    return tuple(out)


def options(feats: list[str]) -> list[list[str]]:
    """The decision's options in ``CLASSES`` order: each class's copy of the features."""
    return [[], *([f"{c}|{f}" for f in feats] for c in CLASSES[1:])]


#: The rules' verdicts as weights: training starts there and moves as far as the data pulls
#: (for phrases: the span the rules take, or none).
PRIOR = {f"{c}|rule:{c}": 2.0 for c in CLASSES[1:]} | {
    f"{c}|rule:{NONE}": -2.0 for c in CLASSES[1:]
}
PHRASE_PRIOR = {"rule": 2.0, "none|rule": 2.0}


@dataclass(frozen=True, eq=False)  # hashed by identity: _table caches per model
class EntityModel:
    """Per-class feature weights, and the name that tags what the model extracts."""

    weights: dict[str, float]  # "class|feature" -> weight
    name: str
    #: kg.extract.phrases decisions: site kind ("task", "metric") -> feature -> weight
    phrases: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def table(self) -> dict[str, tuple[float, ...]]:
        return _table(self)

    def choose(self, feats: list[str]) -> str:
        """The class with the highest score (none at 0; the first of equals)."""
        table = self.table
        rows = [table[f] for f in feats if f in table]
        scores: list[float] = (
            [sum(col) for col in zip(*rows, strict=True)] if rows else [0.0] * len(CLASSES)
        )
        return CLASSES[scores.index(max(scores))]  # the first of equals

    def relation(self, entity: Entity) -> Relation | None:
        """kg.extract.roles.Decide: the relation this model gives the entity."""
        chosen = self.choose(features(entity))
        return None if chosen == NONE else Relation(chosen)

    def phrase(self, site: Site) -> int:
        """The chosen option of a task or metric site: 0 for none, i for ``spans[i - 1]``."""
        w = self.phrases.get(site.kind, {})
        scores = [sum(map(w.get, option, repeat(0.0))) for option in site.options]
        return scores.index(max(scores))  # the first of equals

    def to_json(self) -> str:
        body = {
            "format": FORMAT,
            "name": self.name,
            "classes": CLASSES,
            "weights": self.weights,
            "phrases": self.phrases,
        }
        return json.dumps(body, indent=0, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> EntityModel:
        body: dict[str, Any] = json.loads(text)
        if body.get("format") != FORMAT or tuple(body.get("classes", ())) != CLASSES:
            raise ValueError(f"not a {FORMAT} file")
        phrases = {
            str(kind): {str(f): float(w) for f, w in weights.items()}
            for kind, weights in body["phrases"].items()
        }
        weights = {str(k): float(v) for k, v in body["weights"].items()}
        return cls(weights, str(body["name"]), phrases)


@lru_cache(maxsize=4)
def _table(model: EntityModel) -> dict[str, tuple[float, ...]]:
    """feature -> its weight for each class (none: 0): one lookup per feature at extraction
    time, and a column sum."""
    index = {c: i for i, c in enumerate(CLASSES)}
    rows: dict[str, list[float]] = {}
    for key, w in model.weights.items():
        cls, feat = key.split("|", 1)
        rows.setdefault(feat, [0.0] * len(CLASSES))[index[cls]] = w
    return {f: tuple(row) for f, row in rows.items()}


@lru_cache(maxsize=1)
def shipped() -> EntityModel:
    """The weights shipped with kg, read once."""
    path = files("kg.extract").joinpath("models", "entities.json")
    return EntityModel.from_json(path.read_text(encoding="utf-8"))
