"""kg's spaCy components. Each reads the abstract text once per document and leaves plain
Python records in ``doc.user_data`` (cheap to create, cheap to pickle to worker processes).

Sentence spans come from ``kg.extract.sentences``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import cues, lexicon, roles
from kg.extract.abbreviations import find_abbreviations
from kg.extract.gazetteer import Gazetteer
from kg.extract.names import find_names
from kg.extract.sentences import sentence_of, split_sentences
from kg.extract.urls import find_urls
from kg.model import Evidence, Mention, Relation
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


def _add(doc: Doc, mention: RawMention) -> None:
    doc.user_data.setdefault("kg_mentions", []).append(mention)


@Language.component("kg_sentences")
def sentence_component(doc: Doc) -> Doc:
    """Keep one copy of the text (``doc.text`` rebuilds it) and its sentence spans."""
    text = doc.user_data.get("kg_text") or doc.text
    doc.user_data["kg_text"] = text
    doc.user_data["kg_sents"] = split_sentences(text)
    return doc


@Language.component("kg_urls")
def url_component(doc: Doc) -> Doc:
    """Code repositories → RELEASES_CODE, every other link → LINKS_TO."""
    text, sents = doc.user_data["kg_text"], doc.user_data["kg_sents"]
    masked = []
    for url in find_urls(text):
        s, e = sentence_of(sents, url.start)
        relation = Relation.RELEASES_CODE if url.is_code else Relation.LINKS_TO
        _add(
            doc,
            RawMention(relation, url.canonical, url.url, url.start, url.end, s, e, "kg.urls.v2"),
        )
        masked.append((url.start, url.end))
        if url.is_code:
            doc.user_data["kg_releases_code"] = True
    doc.user_data["kg_masked"] = masked
    low = text.lower()  # cheap gate: the release pattern is costly on every abstract
    if ("code" in low or "implementation" in low) and cues.RELEASE_CODE_RE.search(text):
        doc.user_data["kg_releases_code"] = True
    return doc


@Language.component("kg_abbreviations")
def abbreviation_component(doc: Doc) -> Doc:
    """Short form → long form, so "LEP" and "Learned Embedding Propagation" are one entity."""
    text = doc.user_data["kg_text"]
    doc.user_data["kg_abbr"] = {a.short: a for a in find_abbreviations(text)} if "(" in text else {}
    return doc


@Language.factory("kg_entities", default_config={"gazetteer": True})
def make_entity_component(nlp: Language, name: str, gazetteer: bool) -> EntityComponent:
    return EntityComponent(Gazetteer.shipped() if gazetteer else Gazetteer([]))


class EntityComponent:
    """Methods, datasets, metrics and tasks with their roles (see names.py and roles.py)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        text, sents = doc.user_data["kg_text"], doc.user_data["kg_sents"]
        candidates = find_names(
            text,
            sents,
            doc.user_data.get("kg_masked", []),
            doc.user_data.get("kg_abbr", {}),
            self.gazetteer,
        )
        taken: set[tuple[int, int]] = set()
        for cand, relation in roles.assign(text, doc.user_data.get("kg_title", ""), candidates):
            if relation is Relation.ADDRESSES:
                tag = "task"
            else:
                tag = "abbr" if cand.is_long_form else "name"
            if (cand.start, cand.end) in taken:
                continue  # a long form found both as a name run and as an abbreviation
            taken.add((cand.start, cand.end))
            _add(
                doc,
                RawMention(
                    relation,
                    cand.name,
                    cand.surface,
                    cand.start,
                    cand.end,
                    *cand.sent,
                    f"kg.{tag}.v2",
                ),
            )
        metrics: list[re.Match[str]] = []
        task_heads: list[re.Match[str]] = []
        for m in cues.METRIC_OR_TASK_RE.finditer(text):
            (metrics if m.lastgroup == "metric" else task_heads).append(m)
        for m in metrics:
            if (m.start(), m.end()) not in taken:
                _add(
                    doc,
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
                self._task(doc, mods.group(0) + m.group(0), m.end(), sentence_of(sents, m.start()))
        return doc

    def _task(self, doc: Doc, phrase: str, end: int, sent: tuple[int, int]) -> None:
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
            _add(
                doc,
                RawMention(
                    Relation.ADDRESSES, phrase, phrase, end - len(phrase), end, *sent, "kg.task.v3"
                ),
            )
