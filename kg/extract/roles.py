"""Kind and role of each candidate: method or dataset, proposed/used, introduced/evaluated/used.

Evidence is local (the words before and after the name in its sentence), spreads through
coordinated lists ("on CIFAR-10, SVHN and STL-10"), and is pooled per entity over the whole
abstract: a name keeps the strongest kind and role it gets anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.extract import cues, lexicon
from kg.extract.names import Candidate, is_task_phrase
from kg.model import Relation
from kg.resolve.normalize import name_key

_ORDER = [
    Relation.PROPOSES,
    Relation.INTRODUCES,
    Relation.EVALUATED_ON,
    Relation.USES_DATASET,
    Relation.USES,
    Relation.ADDRESSES,
]


@dataclass(slots=True)
class Judged:
    cand: Candidate
    dataset: int = 0  # > 0 leans dataset, < 0 leans method
    proposed: bool = False
    evaluated: bool = False  # by its own "on X" cue or its list's; see ``_evaluated``
    trained: bool = False  # "trained on X": data, not a benchmark
    accepted: bool = False
    cues: frozenset[str] = frozenset()  # the tail cues before this mention


class Facts:
    """What is known of one abstract, each fact searched once and only when asked: whether
    a sentence reports results (asked by an "on X" cue or a dataset's role: one sentence in
    seven of those with candidates, where each search costs about as much as a candidate's
    other rules), and whether it proposes something (the entity model's)."""

    __slots__ = ("known", "proposing", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[tuple[int, int], bool] = {}
        self.proposing: dict[tuple[int, int], bool] = {}

    def __call__(self, sent: tuple[int, int]) -> bool:
        """Whether the sentence reports results."""
        if sent not in self.known:
            self.known[sent] = bool(cues.EVAL_RE.search(self.text, *sent))
        return self.known[sent]

    def proposes(self, sent: tuple[int, int]) -> bool:
        if sent not in self.proposing:
            self.proposing[sent] = bool(cues.PROPOSE_RE.search(self.text, *sent))
        return self.proposing[sent]


def _evaluated(j: Judged, facts: Facts) -> bool:
    """Evaluated on: by its cue or list, else by its sentence unless it was trained on."""
    return j.evaluated or (not j.trained and facts(j.cand.sent))


def title_names(title: str) -> set[str]:
    """Keys of the name a title leads with ("WiCo: …", "CodeT5 - …") — the paper's own."""
    head = title.split(":", 1)[0] if ":" in title else title.split(" - ", 1)[0]
    if head == title or len(head.split()) > 4:
        return set()
    return {name_key(head)} | {name_key(w) for w in head.split() if cues.SHAPE_RE.search(w)}


def _method_like(long_form: str) -> bool:
    """An acronym's long form names a method when its head noun is a method noun
    ("Belief Propagation") — not for "Polar Negative (PN)"-style labels."""
    head = long_form.replace("-", " ").split()[-1].casefold()
    return (
        head in lexicon.METHOD_HEADS
        or head.rstrip("s") in lexicon.METHOD_HEADS
        or is_task_phrase(long_form)
    )


@lru_cache(maxsize=1 << 14)
def shape_lean(name: str) -> int:
    """+1 for a dataset-shaped name ("…Bench", "…-1k"), -1 for a method-shaped one."""
    if cues.DATASET_SHAPE_RE.search(name):
        return 1
    return -1 if cues.METHOD_SHAPE_RE.search(name) else 0


def tail_cues(tail: str) -> set[str]:
    """The ``cues.TAIL_CUES_RE`` cues that match ``tail``, in one pass where a search per cue
    would cost six: no two cues can match at one place (each starts with words of its own),
    so the search that goes on after each match's start finds every one."""
    found: set[str] = set()
    m = cues.TAIL_CUES_RE.search(tail)
    while m and m.lastgroup:  # every cue is a named group
        found.add(m.lastgroup)
        m = cues.TAIL_CUES_RE.search(tail, m.start() + 1)
    return found


def _local(j: Judged, text: str, facts: Facts) -> None:
    """Evidence from the words around one mention. ``$``-anchored cues run on a short tail:
    their cost grows with the length searched."""
    c = j.cand
    s, e = c.sent
    before, after = text[max(s, c.start - 70) : c.start], text[c.end : min(e, c.end + 60)]
    tail = before[-40:]
    trained = (
        bool(cues.TRAINED_ON_RE.search(before[-50:])) if "on " in tail or "from " in tail else False
    )
    found = tail_cues(tail)
    j.cues = frozenset(found)
    if cues.DATASET_AFTER_RE.match(after) or "dataset_before" in found:
        j.dataset += 3
    elif trained:
        j.dataset += 2
    elif "model_on" in found or cues.APPLIED_ON_RE.match(after):
        j.dataset -= 2
    elif "method_before" in found:
        j.dataset -= 3
    elif "on_before" in found and facts(c.sent):
        j.dataset += 1
        j.evaluated = True
    if c.gaz == "Dataset":
        j.dataset += 2
    elif c.gaz == "Method":
        j.dataset -= 2
    j.dataset += shape_lean(c.name)
    j.trained = trained
    named = "named" in found
    if c.gaz is None:  # the clause's own cue; no need to ask whether the text has one
        clause = before[max(before.rfind(";"), before.rfind(". ")) + 1 :]
        propose = cues.PROPOSE_RE.search(clause)
        between = clause[propose.end() :] if propose else ""
        if propose and len(between.split()) <= 6 and "," not in between:
            j.proposed = True
    if (
        named
        or "our" in found
        or cues.NOVEL_APPOSITION_RE.match(after)
        # a numbered contribution, "(1) Foo Bar (FB)", of an abstract that proposes: rare
        # enough to search the whole text each time
        or (c.is_long_form and cues.ENUMERATED_RE.search(tail) and cues.PROPOSE_RE.search(text))
    ):
        j.proposed = True
    multiword = " " in c.surface
    initial = c.start == s
    j.accepted = (
        c.shaped
        or c.gaz is not None
        or named
        or j.dataset >= 3
        or (j.dataset >= 1 and not initial)
        or (c.abbr is not None and (j.proposed or _method_like(c.abbr.long)))
        or (j.proposed and multiword)
    )


def _spread_lists(judged: list[Judged], text: str, facts: Facts) -> None:
    """Coordinated names share kind evidence and evaluation: "on X, Y and Z datasets"."""
    groups: list[list[Judged]] = []
    for j in judged:
        prev = groups[-1][-1] if groups else None
        if (
            prev is not None
            and prev.cand.sent == j.cand.sent
            and prev.cand.end <= j.cand.start
            and cues.LIST_SEP_RE.match(text[prev.cand.end : j.cand.start])
        ):
            groups[-1].append(j)
        else:
            groups.append([j])
    for group in groups:
        if len(group) < 2:
            continue
        strongest = max(group, key=lambda g: abs(g.dataset)).dataset
        evaluated = any(_evaluated(g, facts) for g in group)
        proposed = group[0].proposed and group[0].cand.gaz is None
        for g in group:
            g.proposed = g.proposed or (proposed and g.cand.gaz is None)
            if abs(g.dataset) < abs(strongest) and g.cand.gaz is None:
                g.dataset = strongest
            g.evaluated = g.evaluated or evaluated
            g.accepted = g.accepted or (g.dataset >= 3 and g.cand.start > g.cand.sent[0])


@dataclass(slots=True)
class Entity:
    """One name's mentions in an abstract, pooled: the unit a kind and role is decided for.
    Every candidate joins its entity; ``accepted`` says whether the rules vouch for any."""

    key: str
    judged: list[Judged]
    own: set[str]  # title_names of the paper's title
    facts: Facts

    @property
    def accepted(self) -> list[Judged]:
        return [j for j in self.judged if j.accepted]

    def in_title(self, js: list[Judged]) -> bool:
        """Whether the title leads with this name, as one of these mentions writes it."""
        return self.key in self.own or any(name_key(j.cand.surface) in self.own for j in js)

    def evaluated(self) -> bool:
        return any(_evaluated(j, self.facts) for j in self.judged)


#: What decides an entity's relation (None: not an entity): the rules, or a learned model.
Decide = Callable[[Entity], "Relation | None"]


def judge(
    text: str, title: str, candidates: list[Candidate], facts: Facts | None = None
) -> list[Entity]:
    """Every candidate's local and list evidence, pooled by name, in text order."""
    judged = [Judged(c) for c in sorted(candidates, key=lambda c: c.start)]
    facts = facts or Facts(text)
    for j in judged:
        _local(j, text, facts)
    _spread_lists(judged, text, facts)
    own = title_names(title)
    pooled: dict[str, list[Judged]] = {}
    for j in judged:
        pooled.setdefault(name_key(j.cand.name), []).append(j)
    return [Entity(key, js, own, facts) for key, js in pooled.items()]


def rule_relation(entity: Entity) -> Relation | None:
    """The hand-written decision, over the mentions the rules accept."""
    accepted = entity.accepted
    if not accepted:
        return None
    return _relation(accepted, entity.in_title(accepted), entity.facts)


def assign(
    text: str,
    title: str,
    candidates: list[Candidate],
    decide: Decide = rule_relation,
    facts: Facts | None = None,
) -> list[tuple[Candidate, Relation]]:
    """(candidate, relation) for every mention of an entity ``decide`` keeps; one kind and
    role per entity. The rules keep the mentions they accept; a model keeps them all."""
    return assign_each(text, title, candidates, (decide,), facts)[0]


def assign_each(
    text: str,
    title: str,
    candidates: list[Candidate],
    decides: Sequence[Decide],
    facts: Facts | None = None,
) -> list[list[tuple[Candidate, Relation]]]:
    """``assign`` for each of ``decides``, over one judging of the names."""
    outs: list[list[tuple[Candidate, Relation]]] = [[] for _ in decides]
    for entity in judge(text, title, candidates, facts):
        for out, decide in zip(outs, decides, strict=True):
            relation = decide(entity)
            if relation is None:
                continue
            kept = entity.accepted if decide is rule_relation else entity.judged
            out.extend((j.cand, relation) for j in kept)
    return [sorted(out, key=lambda p: p[0].start) for out in outs]


def _relation(js: list[Judged], in_title: bool, facts: Facts) -> Relation | None:
    dataset = sum(j.dataset for j in js)
    proposed = in_title or any(j.proposed for j in js)
    long_form = next((j.cand.abbr.long for j in js if j.cand.abbr), None)
    if long_form and not proposed and is_task_phrase(long_form):
        return Relation.ADDRESSES
    if dataset > 0:
        if proposed and any(j.cand.gaz is None for j in js):
            return Relation.INTRODUCES
        evaluated = any(_evaluated(j, facts) for j in js)
        return Relation.EVALUATED_ON if evaluated else Relation.USES_DATASET
    if long_form and long_form.split()[-1].casefold() in lexicon.METRIC_HEADS:
        return Relation.REPORTS_METRIC
    return Relation.PROPOSES if proposed else Relation.USES


def strength(relation: Relation) -> int:
    return _ORDER.index(relation) if relation in _ORDER else len(_ORDER)
