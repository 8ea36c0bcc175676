"""Candidate names in one abstract: runs of name-like words, trimmed and filtered.

Recall comes from shape (inner capitals, digits, all caps: ResNet-50, GPT-4, wav2vec 2.0),
from abbreviation long forms, and from the gazetteer for plain capitalised names
(Cityscapes). Precision comes from the filters: function words that start a sentence,
hyphenated adjectives ("Zero-shot"), "-based" suffixes, plural family acronyms ("CNNs"),
organisation and field acronyms, all-generic phrases ("Large Language Models").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.extract import cues, lexicon
from kg.extract.abbreviations import Abbreviation
from kg.extract.gazetteer import Gazetteer
from kg.extract.sentences import sentence_of
from kg.resolve.normalize import name_key


@dataclass(slots=True)
class Candidate:
    name: str  # what resolution sees: the long form when an acronym has one
    surface: str
    start: int
    end: int
    sent: tuple[int, int]
    gaz: str | None  # gazetteer kind, if known
    shaped: bool  # looks like a name by its characters alone
    abbr: Abbreviation | None = None
    is_long_form: bool = False


def _generic_part(part: str) -> bool:
    return part in lexicon.GENERIC_NAMES or part.rstrip("s") in lexicon.GENERIC_NAMES


@lru_cache(maxsize=1 << 16)
def is_generic(name: str) -> bool:
    key = name.casefold()
    if _generic_part(key) or all(_generic_part(p) for p in key.split("-")):
        return True
    words = key.replace("-", " ").split()
    return all(
        w in lexicon.GENERIC_WORDS or w.rstrip("s") in lexicon.GENERIC_WORDS
        for w in [*words, *key.split()]
    ) or not any(c.isalpha() for c in name)


@lru_cache(maxsize=1 << 14)
def is_task_phrase(long_form: str) -> bool:
    """ "knowledge graph embedding (KGE)" names a problem; "Retrieval-Augmented Generation" a
    method: task when the head is a task noun and the modifiers are lowercase or generic."""
    words = long_form.replace("-", " ").split()
    if not words or words[-1].casefold() not in lexicon.TASK_HEADS:
        return False
    return long_form[:1].islower() or all(w.casefold() in lexicon.GENERIC_WORDS for w in words[:-1])


def _generic_long(long_form: str) -> bool:
    return is_generic(long_form) and not is_task_phrase(long_form)


def _opens_sentence(text: str, start: int, sent_start: int) -> bool:
    """Only quotes, brackets and spaces between the sentence start and ``start``."""
    i = start
    while i > sent_start and text[i - 1] in " \"'([":
        i -= 1
    return i == sent_start


@lru_cache(maxsize=1 << 16)
def _trimmed(run: str, initial: bool) -> tuple[int, str] | None:
    """(offset, surface) of the name in a run, None if no word is left: leading function
    words go, and a sentence-initial ordinary capitalised word; then a possessive and a
    "-based"-style suffix. Only a run's first word can open its sentence (``initial``), so
    the two arguments decide it, and the same runs recur from abstract to abstract."""
    start = 0
    while start < len(run):
        word_end = run.find(" ", start)
        word_end = len(run) if word_end < 0 else word_end
        word = run[start:word_end]
        plain = word[:1].isupper() and word[1:].islower() and word.isalpha()
        if word.casefold() in lexicon.STOP_CAPS or (initial and plain and word_end < len(run)):
            start, initial = word_end + 1, False
            continue
        break
    if start >= len(run):
        return None
    surface = run[start:]
    if surface.endswith(("'s", "’s")):
        surface = surface[:-2]
    suffix = cues.SUFFIX_RE.search(surface)
    if suffix and suffix.start() > 0:
        surface = surface[: suffix.start()]
    return start, surface


def find_names(
    text: str,
    sents: list[tuple[int, int]],
    masked: list[tuple[int, int]],
    abbrs: dict[str, Abbreviation],
    gazetteer: Gazetteer,
) -> list[Candidate]:
    out: list[Candidate] = []
    # One scan of the whole text: a run never spans a sentence end (its words end in a
    # letter, digit or "+", and the words of a run are joined by single spaces).
    sent_iter = iter(sents)
    sent = next(sent_iter, (0, 0))
    for m in cues.RUN_RE.finditer(text):
        start = m.start()
        while start >= sent[1]:
            sent = next(sent_iter, (len(text), len(text) + 1))
        if start < sent[0]:
            continue  # whitespace between sentences holds no name
        trimmed = _trimmed(m.group(), _opens_sentence(text, start, sent[0]))
        if trimmed is None:
            continue
        start += trimmed[0]
        if masked and any(a <= start < b for a, b in masked):
            continue
        cand = _candidate(trimmed[1], start, sent, abbrs, gazetteer)
        if cand is not None:
            out.append(cand)
    quoted = '"' in text or "“" in text  # cheap gate: the pattern is costly on every abstract
    for m in cues.NAMED_QUOTE_RE.finditer(text) if quoted else ():
        s, e = sentence_of(sents, m.start(1))
        if not is_generic(m.group(1)):
            out.append(
                Candidate(
                    m.group(1),
                    m.group(1),
                    m.start(1),
                    m.end(1),
                    (s, e),
                    gazetteer.kind(m.group(1)),
                    True,
                )
            )
    for a in abbrs.values():
        for s, e in sents:
            if s <= a.long_start < e and not _generic_long(a.long) and not is_generic(a.short):
                out.append(
                    Candidate(
                        a.long,
                        a.long,
                        a.long_start,
                        a.long_start + len(a.long),
                        (s, e),
                        gazetteer.kind(a.long) or gazetteer.kind(a.short),
                        True,
                        a,
                        True,
                    )
                )
    return out


@dataclass(frozen=True, slots=True)
class _Surface:
    """What a surface string says about itself, whatever abstract it is in."""

    gaz: str | None
    rejected: bool  # generic, a number or run-together text: never a name
    plain_rejected: bool  # rejected unless an abbreviation or the gazetteer vouches for it
    shaped: bool


@lru_cache(maxsize=1 << 16)
def _surface(surface: str, gazetteer: Gazetteer) -> _Surface:
    gaz = gazetteer.kind(surface)
    # "2nd", "512x512", "0.15dB"; run-together PDF text
    junk = gaz is None and (surface[0].isdigit() or max(map(len, surface.split())) > 30)
    plain_rejected = gaz is None and bool(
        cues.PLURAL_ACRONYM_RE.match(surface)
        or (len(name_key(surface)) <= 2 and not surface.isupper())
        or cues.METRIC_RE.fullmatch(surface)
    )
    shaped = bool(cues.SHAPE_RE.search(surface)) and not cues.HYPHEN_ADJ_RE.match(surface)
    if len(surface) <= 2 and surface[:1].isalpha() and surface[1:].isdigit() and gaz is None:
        shaped = False  # "P1", "Q2": enumerations, not names, unless context says so
    return _Surface(gaz, is_generic(surface) or junk, plain_rejected, shaped)


def _candidate(
    surface: str,
    start: int,
    sent: tuple[int, int],
    abbrs: dict[str, Abbreviation],
    gazetteer: Gazetteer,
) -> Candidate | None:
    facts = _surface(surface, gazetteer)
    if facts.rejected:
        return None
    abbr = abbrs.get(surface)
    if abbr is None and surface.endswith("s") and surface[:-1] in abbrs:
        abbr = abbrs[surface[:-1]]
    if abbr is None:
        if facts.plain_rejected:
            return None  # "CNNs", "F1", "BLEU": not names on their own
        return Candidate(
            surface, surface, start, start + len(surface), sent, facts.gaz, facts.shaped
        )
    if _generic_long(abbr.long):
        return None
    return Candidate(
        abbr.long, surface, start, start + len(surface), sent, facts.gaz, facts.shaped, abbr
    )
