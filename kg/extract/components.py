"""kg's spaCy components. Each reads the abstract text once per document and leaves plain
Python records in ``doc.user_data`` (cheap to create, cheap to pickle to worker processes).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import cues
from kg.extract.abbreviations import find_abbreviations
from kg.extract.urls import find_urls
from kg.model import Evidence, Mention, Relation
from kg.resolve import Resolver


@dataclass(frozen=True, slots=True)
class RawMention:
    relation: Relation
    name: str  # what resolution sees: the long form when an acronym has one
    surface: str
    start: int
    end: int
    sent_start: int
    sent_end: int
    extractor: str

    def to_mention(self, resolver: Resolver) -> Mention:
        return Mention(self.relation, resolver.resolve(self.relation.kind, self.name),
                       self.surface,
                       Evidence(self.start, self.end, self.sent_start, self.sent_end,
                                self.extractor))


def _text(doc: Doc) -> str:
    """``doc.text`` rebuilds the string on each call; keep one copy per document."""
    if "kg_text" not in doc.user_data:
        doc.user_data["kg_text"] = doc.text
    return str(doc.user_data["kg_text"])


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    if "kg_sents" not in doc.user_data:
        doc.user_data["kg_sents"] = [(s.start_char, s.end_char) for s in doc.sents]
    return list(doc.user_data["kg_sents"])


def _sentence_of(sents: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in sents:
        if start <= pos < end:
            return start, end
    return sents[-1] if sents else (0, 0)


def _add(doc: Doc, mention: RawMention) -> None:
    doc.user_data.setdefault("kg_mentions", []).append(mention)


@Language.component("kg_urls")
def url_component(doc: Doc) -> Doc:
    """Code repositories → RELEASES_CODE, every other link → LINKS_TO."""
    text, sents = _text(doc), _sentences(doc)
    for url in find_urls(text):
        s, e = _sentence_of(sents, url.start)
        relation = Relation.RELEASES_CODE if url.is_code else Relation.LINKS_TO
        _add(doc, RawMention(relation, url.canonical, url.url, url.start, url.end, s, e,
                             "kg.urls.v1"))
        if url.is_code:
            doc.user_data["kg_releases_code"] = True
    if cues.RELEASE_CODE_RE.search(text):
        doc.user_data["kg_releases_code"] = True
    return doc


@Language.component("kg_abbreviations")
def abbreviation_component(doc: Doc) -> Doc:
    """Short form → long form, so "LEP" and "Learned Embedding Propagation" are one entity."""
    pairs = find_abbreviations(_text(doc))
    doc.user_data["kg_abbr"] = {a.short: a for a in pairs}
    return doc


def _is_generic(name: str) -> bool:
    return name.casefold() in cues.GENERIC_NAMES or name.isdigit() or len(name) < 2


@Language.component("kg_candidates")
def candidate_component(doc: Doc) -> Doc:
    """Names, metrics and tasks in each sentence, typed by their surrounding cues."""
    text, sents = _text(doc), _sentences(doc)
    abbr = doc.user_data.get("kg_abbr", {})
    candidates = []
    for s, e in sents:
        sent = text[s:e]
        for m in cues.METRIC_RE.finditer(sent):
            candidates.append(("metric", m.group(0), m.group(0), s + m.start(), s + m.end(), s, e))
        for m in cues.TASK_RE.finditer(sent):
            words = m.group(1).split()
            while words and words[0] in cues.TASK_STOP:
                words.pop(0)
            if len(words) >= 2:
                phrase = " ".join(words)
                start = s + m.end(1) - len(phrase)
                candidates.append(("task", phrase, phrase, start, s + m.end(1), s, e))
        for m in cues.NAME_RE.finditer(sent):
            surface = m.group(0).rstrip(".-")
            if _is_generic(surface) or cues.METRIC_RE.fullmatch(surface):
                continue
            start = s + m.start()
            long = abbr.get(surface)
            name = long.long if long else surface
            candidates.append(("name", name, surface, start, start + len(surface), s, e))
        for a in abbr.values():
            if s <= a.long_start < e and not a.long[0].islower() or s <= a.long_start < e:
                candidates.append(("name", a.long, a.long, a.long_start,
                                   a.long_start + len(a.long), s, e))
    doc.user_data["kg_candidates"] = candidates
    return doc


def _role(kind: str, text: str, sent: tuple[int, int], start: int, end: int) -> Relation:
    s, e = sent
    before, after = text[s:start], text[end:e]
    sentence = text[s:e]
    if kind == "metric":
        return Relation.REPORTS_METRIC
    if kind == "task":
        return Relation.ADDRESSES
    is_dataset = bool(cues.DATASET_AFTER_RE.match(after) or cues.DATASET_BEFORE_RE.search(before))
    if is_dataset:
        if cues.INTRODUCE_DATA_RE.search(sentence):
            return Relation.INTRODUCES
        if cues.EVAL_RE.search(sentence):
            return Relation.EVALUATED_ON
        return Relation.USES_DATASET
    propose = cues.PROPOSE_RE.search(before)
    if propose and not cues.DATASET_BEFORE_RE.search(before) and (
        len(before) - propose.end() < 80 or cues.NAMED_RE.search(before[propose.end():])
    ):
        return Relation.PROPOSES
    if cues.NOVEL_APPOSITION_RE.match(after):
        return Relation.PROPOSES
    return Relation.USES


@Language.component("kg_roles")
def role_component(doc: Doc) -> Doc:
    """Give each candidate its relation; one mention per (relation, name) and position."""
    text = _text(doc)
    seen: set[tuple[Relation, int]] = set()
    roles: dict[str, Relation] = {}
    for kind, name, surface, start, end, s, e in doc.user_data.get("kg_candidates", []):
        relation = _role(kind, text, (s, e), start, end)
        # a name keeps the strongest role it gets anywhere in the abstract
        key = name.casefold()
        if key in roles and roles[key].kind is relation.kind:
            relation = min(roles[key], relation, key=_strength)
        roles[key] = relation
        if (relation, start) in seen:
            continue
        seen.add((relation, start))
        _add(doc, RawMention(relation, name, surface, start, end, s, e, f"kg.{kind}.v1"))
    # re-label earlier weaker mentions of a name that later got a stronger role
    doc.user_data["kg_mentions"] = [
        RawMention(roles.get(m.name.casefold(), m.relation) if roles.get(
            m.name.casefold(), m.relation).kind is m.relation.kind else m.relation,
            m.name, m.surface, m.start, m.end, m.sent_start, m.sent_end, m.extractor)
        for m in doc.user_data.get("kg_mentions", [])
    ]
    return doc


_ORDER = [Relation.PROPOSES, Relation.INTRODUCES, Relation.EVALUATED_ON,
          Relation.USES_DATASET, Relation.USES]


def _strength(relation: Relation) -> int:
    return _ORDER.index(relation) if relation in _ORDER else len(_ORDER)
