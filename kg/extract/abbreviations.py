"""Schwartz–Hearst abbreviation pairs: "Learned Embedding Propagation (LEP)".

Both orders are found: "LONG FORM (SF)" and "SF (LONG FORM)". The long form is the
shortest run of preceding words whose letters cover the short form's characters in order,
with the short form's first character starting a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAREN_RE = re.compile(r"\(([^()]{1,60})\)")
CLAUSE_BREAK_RE = re.compile(r"[.;:,\"“”]\s|\s[\"“]|\(")
SHORT_RE = re.compile(r"^[\w][\w\-\.\^/&+]*[\w+]?$|^\w$")


@dataclass(frozen=True, slots=True)
class Abbreviation:
    short: str
    short_start: int
    long: str
    long_start: int


def _is_short_form(text: str) -> bool:
    return (
        2 <= len(text) <= 12
        and bool(SHORT_RE.match(text))
        and text[0].isalnum()
        and any(c.isupper() for c in text)
        and len(text.split()) == 1
    )


def _best_long_form(short: str, candidate: str) -> int | None:
    """Start index in ``candidate`` of the long form for ``short``, or None."""
    s = [c.lower() for c in short if c.isalnum()]
    if not s:
        return None
    si, li = len(s) - 1, len(candidate) - 1
    while si >= 0:
        c = s[si]
        while li >= 0 and (
            candidate[li].lower() != c or (si == 0 and li > 0 and candidate[li - 1].isalnum())
        ):
            li -= 1
        if li < 0:
            return None
        li -= 1
        si -= 1
    return li + 1


def _last_words(text: str, n: int) -> str:
    """The tail of ``text`` from the start of its ``n``-th last word."""
    parts = text.rsplit(None, n)
    if len(parts) > n:  # words before the window: drop them and the space after them
        return text[len(parts[0]) :].lstrip()
    return text.lstrip()


def find_abbreviations(text: str) -> list[Abbreviation]:
    out: list[Abbreviation] = []
    for m in PAREN_RE.finditer(text):
        inner = m.group(1).strip()
        base = max(0, m.start() - 160)  # the long form is within a few words
        before = text[base : m.start()].rstrip()
        if _is_short_form(inner):
            # LONG (SHORT): look back at most min(|SF|+5, 2|SF|) words, within the clause
            n_words = min(len(inner) + 5, 2 * len(inner))
            window = _last_words(before, n_words)
            if not window:
                continue
            window = CLAUSE_BREAK_RE.split(window)[-1]
            window_start = base + len(before) - len(window)
            start = _best_long_form(inner, window)
            if start is None:
                continue
            while start > 0 and not window[start - 1].isspace():
                start -= 1  # "Win-win Cooperation (WiCo)": the long form starts at a word
            long = window[start:].strip()
            if (len(long) > len(inner) and " " in long) or "-" in long:
                out.append(
                    Abbreviation(
                        inner, m.start(1) + m.group(1).index(inner), long, window_start + start
                    )
                )
        elif len(inner.split()) >= 2:
            # SHORT (LONG FORM)
            prev = before.rsplit(None, 1)  # ``before`` is stripped: its last word comes last
            if prev and _is_short_form(prev[-1]):
                short = prev[-1]
                if _best_long_form(short, inner) == 0 or inner[0].lower() == short[0].lower():
                    start = base + len(before) - len(short)
                    out.append(Abbreviation(short, start, inner, m.start(1)))
    return out
