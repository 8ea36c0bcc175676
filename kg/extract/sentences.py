"""Sentence spans from a regex over the text, not spaCy's sentencizer: iterating Token
objects in Python cost more than all the extraction rules together."""

from __future__ import annotations

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
