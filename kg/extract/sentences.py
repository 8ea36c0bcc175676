"""Sentence spans and the words next to a span, read from the text, not from spaCy's
sentencizer and tokenizer: iterating Token objects in Python cost more than all the
extraction rules together."""

from __future__ import annotations

import re

from kg.extract import cues


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences, whitespace excluded."""
    spans, start = [], 0
    for m in cues.SENT_END_RE.finditer(text):
        if cues.NO_SENT_END_RE.search(text, max(0, m.start() - 8), m.end()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_of(sents: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The span holding ``pos``, else the last one (for a position in no sentence)."""
    for start, end in sents:
        if start <= pos < end:
            return start, end
    return sents[-1] if sents else (0, 0)


_TOKEN_RE = re.compile(r"[A-Za-z][\w\-]*|[(),:;]")
_PUNCT = frozenset("(),:;")


def token_before(text: str, pos: int, lo: int) -> tuple[int, str] | None:
    """The word (or bracket, comma, colon) that ends before ``pos``, not starting before
    ``lo``, as (start, token): a walk back over characters, so the features that look a
    word or two around a span cost about a microsecond each, not a tokenisation of the
    whole abstract."""
    i = pos
    while i > lo and text[i - 1].isspace():
        i -= 1
    if i <= lo:
        return None
    if text[i - 1] in _PUNCT:
        return i - 1, text[i - 1]
    j = i
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in "-_"):
        j -= 1
    while j < i and not text[j].isalpha():
        j += 1
    return (j, text[j:i]) if j < i else None


def token_after(text: str, pos: int, hi: int) -> str | None:
    """The first word (or bracket, comma, colon) after ``pos``, before ``hi``."""
    m = _TOKEN_RE.search(text, pos, min(hi, pos + 40))
    return m.group() if m else None
