"""kg's spaCy components. They share one ``Reading`` of each abstract, kept under one key
of ``doc.user_data`` (a ``doc._`` extension costs a few µs an access): the text, its
sentence spans, and the plain records each component adds (cheap to create, cheap to
pickle to worker processes). Components read the text, not tokens, so the extractor
hands them docs it did not tokenise.

Sentence spans come from ``kg.extract.sentences``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import cues, entity_model, lexicon, phrases, roles
from kg.extract.abbreviations import Abbreviation, find_abbreviations
from kg.extract.gazetteer import Gazetteer
from kg.extract.names import Candidate, find_names
from kg.extract.results import find_results
from kg.extract.sentences import sentence_of, split_sentences
from kg.extract.urls import find_urls
from kg.model import Evidence, Mention, Relation, Result
from kg.resolve import Resolver


class RawMention(NamedTuple):
    """A tuple, not a frozen dataclass, which sets each field through ``object.__setattr__``
    at five times the cost."""

    relation: Relation
    name: str  # what resolution sees: the long form when an acronym has one
    surface: str
    start: int
    end: int
    sent_start: int
    sent_end: int
    extractor: str

    def to_mention(self, resolver: Resolver) -> Mention:
        return Mention(
            self.relation,
            resolver.resolve(self.relation.kind, self.name),
            self.surface,
            Evidence(self.start, self.end, self.sent_start, self.sent_end, self.extractor),
        )


@dataclass(slots=True)
class Reading:
    """What kg's components know of one abstract, filled in pipeline order
    (``kg.extract.pipeline.COMPONENTS``): the extractor sets ``text`` and ``title``,
    ``kg_sentences`` the sentence spans, ``kg_urls`` the spans of links (``masked``, so no
    name is read inside one) and ``releases_code``, ``kg_abbreviations`` the acronyms;
    every component appends its ``mentions``; ``kg_entities`` also keeps the mentions as
    the hand rules read the names (``by_rules``), which ``kg_results`` reads into ``results``."""

    text: str
    title: str = ""
    sentences: list[tuple[int, int]] = field(default_factory=list)
    masked: list[tuple[int, int]] = field(default_factory=list)
    abbreviations: dict[str, Abbreviation] = field(default_factory=dict)
    mentions: list[RawMention] = field(default_factory=list)
    #: the mentions as the hand rules decide kinds and roles (``mentions`` itself when they
    #: do): where results find their methods and datasets, since the rules' recall of
    #: names gives results their method more often (see kg.extract.results)
    by_rules: list[RawMention] = field(default_factory=list)
    releases_code: bool = False
    results: list[Result] = field(default_factory=list)


RULES_VERSION = "v2"  # tags the mentions of names the hand rules decide
READING = "kg"  # the key of ``doc.user_data`` that holds the Reading


def reading(doc: Doc) -> Reading:
    """The doc's Reading; a doc the extractor did not make gets one of its own text."""
    found: Reading | None = doc.user_data.get(READING)
    if found is None:
        found = doc.user_data[READING] = Reading(doc.text)
    return found


@Language.component("kg_sentences")
def sentence_component(doc: Doc) -> Doc:
    """The sentence spans every later component places its evidence in."""
    state = reading(doc)
    state.sentences = split_sentences(state.text)
    return doc


@Language.component("kg_urls")
def url_component(doc: Doc) -> Doc:
    """Code repositories → RELEASES_CODE, every other link → LINKS_TO."""
    state = reading(doc)
    text, sents = state.text, state.sentences
    for url in find_urls(text):
        s, e = sentence_of(sents, url.start)
        relation = Relation.RELEASES_CODE if url.is_code else Relation.LINKS_TO
        state.mentions.append(
            RawMention(relation, url.canonical, url.url, url.start, url.end, s, e, "kg.urls.v2")
        )
        state.masked.append((url.start, url.end))
        state.releases_code |= url.is_code
    low = text.lower()  # cheap gate: the release pattern is costly on every abstract
    if ("code" in low or "implementation" in low) and cues.RELEASE_CODE_RE.search(text):
        state.releases_code = True
    return doc


@Language.component("kg_abbreviations")
def abbreviation_component(doc: Doc) -> Doc:
    """Short form → long form, so "LEP" and "Learned Embedding Propagation" are one entity."""
    state = reading(doc)
    if "(" in state.text:
        state.abbreviations = {a.short: a for a in find_abbreviations(state.text)}
    return doc


@Language.factory("kg_entities", default_config={"gazetteer": True, "learned": True})
def make_entity_component(
    nlp: Language, name: str, gazetteer: bool, learned: bool
) -> EntityComponent:
    """``learned``: kinds and roles from the shipped model, else from the hand rules."""
    component = EntityComponent(Gazetteer.shipped() if gazetteer else Gazetteer([]))
    if learned:
        component.use(entity_model.shipped())
    return component


class EntityComponent:
    """Methods, datasets, metrics and tasks with their roles (see names.py and roles.py)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.model: entity_model.EntityModel | None = None  # None: the hand rules decide

    def use(self, model: entity_model.EntityModel | None) -> None:
        """Decide kinds and roles with ``model``, or the rules when None (cross-validation
        swaps one in per fold)."""
        self.model = model

    @property
    def decide(self) -> roles.Decide:
        return roles.rule_relation if self.model is None else self.model.relation

    @property
    def version(self) -> str:
        """What tags each mention's extractor: the rules' version, or the model's name."""
        return RULES_VERSION if self.model is None else self.model.name

    def candidates(self, state: Reading) -> list[Candidate]:
        return find_names(
            state.text, state.sentences, state.masked, state.abbreviations, self.gazetteer
        )

    def __call__(self, doc: Doc) -> Doc:
        state = reading(doc)
        text = state.text
        decides: list[roles.Decide]
        if self.model is None:
            state.by_rules, decides = state.mentions, [roles.rule_relation]
        else:  # the rules' reading starts from the links kg_urls found, as the model's does
            state.by_rules, decides = list(state.mentions), [self.decide, roles.rule_relation]
        assigned = roles.assign_each(
            text, state.title, self.candidates(state), decides, roles.Facts(text)
        )
        if self.model is not None:
            taken = self._named(state.mentions, assigned[0], self.version)
            self._phrases(state, taken, self.model)
        taken = self._named(state.by_rules, assigned[-1], RULES_VERSION)
        self._rule_phrases(state, state.by_rules, taken)
        return doc

    @staticmethod
    def _named(
        out: list[RawMention], assigned: list[tuple[Candidate, Relation]], version: str
    ) -> set[tuple[int, int]]:
        """The assigned names as mentions added to ``out``; their spans."""
        taken: set[tuple[int, int]] = set()
        for cand, relation in assigned:
            if relation is Relation.ADDRESSES:
                tag = "task"
            else:
                tag = "abbr" if cand.is_long_form else "name"
            if (cand.start, cand.end) in taken:
                continue  # a long form found both as a name run and as an abbreviation
            taken.add((cand.start, cand.end))
            out.append(
                RawMention(
                    relation,
                    cand.name,
                    cand.surface,
                    cand.start,
                    cand.end,
                    *cand.sent,
                    f"kg.{tag}.{version}",
                ),
            )
        return taken

    def _phrases(
        self, state: Reading, taken: set[tuple[int, int]], model: entity_model.EntityModel
    ) -> None:
        """Task and metric phrases where the model takes a span (kg.extract.phrases)."""
        text = state.text
        for site in phrases.sites(text, state.title, state.sentences, state.masked):
            chosen = model.phrase(site)
            if not chosen or site.spans[chosen - 1] in taken:
                continue
            s, e = site.spans[chosen - 1]
            relation = Relation.ADDRESSES if site.kind == phrases.TASK else Relation.REPORTS_METRIC
            tag = f"kg.{site.kind}.{self.version}"
            state.mentions.append(RawMention(relation, text[s:e], text[s:e], s, e, *site.sent, tag))

    def _rule_phrases(
        self, state: Reading, out: list[RawMention], taken: set[tuple[int, int]]
    ) -> None:
        """Metric names as matched, and tasks of the rules' head nouns (see ``_task``)."""
        text, sents, add = state.text, state.sentences, out.append
        metrics: list[re.Match[str]] = []
        task_heads: list[re.Match[str]] = []
        for m in cues.METRIC_OR_TASK_RE.finditer(text):
            (metrics if m.lastgroup == "metric" else task_heads).append(m)
        for m in metrics:
            if (m.start(), m.end()) not in taken:
                add(
                    RawMention(
                        Relation.REPORTS_METRIC,
                        m.group(0),
                        m.group(0),
                        m.start(),
                        m.end(),
                        *sentence_of(sents, m.start()),
                        "kg.metric.v2",
                    ),
                )
        for m in task_heads:
            mods = cues.TASK_MODIFIERS_RE.search(text, max(0, m.start() - 48), m.start())
            if mods:
                _task(out, mods.group(0) + m.group(0), m.end(), sentence_of(sents, m.start()))


def _task(out: list[RawMention], phrase: str, end: int, sent: tuple[int, int]) -> None:
    """ "the semantic segmentation" → "semantic segmentation", "approaches for text
    classification" → "text classification": a task name is the run of modifiers that
    ends at the head word, so it starts after the last word that cannot modify one."""
    words = phrase.split(" ")
    start = len(words) - 1
    while start > 0 and words[start - 1] not in lexicon.TASK_STOP:
        start -= 1
    words = words[start:]
    if len(words) >= 2:
        phrase = " ".join(words)
        out.append(
            RawMention(
                Relation.ADDRESSES, phrase, phrase, end - len(phrase), end, *sent, "kg.task.v3"
            ),
        )


@Language.component("kg_results")
def result_component(doc: Doc) -> Doc:
    """The numbers the abstract states, tied to the methods, datasets and metrics the
    earlier components found (kg.extract.results)."""
    state = reading(doc)
    state.results = find_results(state)
    return doc
