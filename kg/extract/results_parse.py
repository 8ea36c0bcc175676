"""Numbers as written in an abstract: which spans are number-shaped, their unit, and how
they join. The result finder (kg.extract.results) decides which of them are results."""

from __future__ import annotations

import re
from typing import NamedTuple

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
QUAL = (
    r"(?:up to|more than|over|about|around|approximately|at least|nearly|almost|roughly|~|>|<|≥|≤)"
)
_PCT = r"\s?\\?%"
_MUL = r"\s?[x×X](?![\w])|\s?-?fold\b|\s(?:times)\b"
_PTS = r"\s(?:(?:F1|BLEU|ROUGE|mAP|AP|accuracy)\s)?(?:points|point|pts|pp|p\.p\.)"
MEASURE = r"\s?(?:FPS|fps|GB|MB|ms|(?:GPU[ -])?hours)\b"
VALUE_RE = re.compile(
    rf"(?<![\w.^@/$\-{{\\])(?P<sign>[+\-−])?(?P<a>{NUM})(?P<ua>{_PCT}\+?|{_MUL})?"
    rf"(?:\s?(?P<sep>-|–|—|(?:down\s)?to)\s?(?P<b>{NUM}))?"
    rf"(?P<unit>{_PCT}\+?|{_MUL}|{_PTS}|{MEASURE})?(?![\w/]|\.\d|-[A-Za-z])"
)
_POINTS = re.compile(r"(?:points?|pts|pp|p\.p\.)$")
_FROM_RE = re.compile(r"\b(?P<ranging>rang\w+\s+|vary\w*\s+)?from\s+$")
_JOIN_RE = re.compile(
    rf"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|(?P<vs>vs\.?|versus)\s+|/\s*|\(\s*)?(?:{QUAL}\s*)?"
)


def _unit(rest: str) -> str:
    rest = rest.strip().rstrip("+").strip()
    if rest.startswith("%"):
        return "%"
    if re.fullmatch(r"[x×X]|-?fold|times", rest):
        return "×"
    return "points" if _POINTS.search(rest) else rest


def parse_value(value: str) -> tuple[float | None, str]:
    """ "84.5%" → (84.5, "%"), "3x" → (3.0, "×"), "+2.3 pp" → (2.3, "points"), "1.65" →
    (1.65, ""), "119 FPS" → (119.0, "FPS"). A range ("66%-73%", "8 to 24 times") is not
    one number: (None, unit). LaTeX's "\\%" is a %, a Unicode minus a minus."""
    text = value.strip().replace("\\", "").replace("−", "-")
    text = re.sub(rf"^{QUAL}\s*", "", text)
    m = re.match(r"([+\-]?)(\d[\d,]*(?:\.\d+)?)(.*)$", text)
    if not m:
        return None, ""
    sign, digits, rest = m.groups()
    ranged = re.match(r"\s*(?:%\s*)?(?:-|–|—|to)\s*\+?\d[\d,]*(?:\.\d+)?(.*)$", rest)
    if ranged:
        return None, _unit(ranged.group(1))
    return float(sign + digits.replace(",", "")), _unit(rest)


class Value(NamedTuple):
    """One number-shaped span of a sentence."""

    start: int
    end: int
    text: str
    bare: bool  # no %, ×, points or other unit of its own
    role: str  # "", "from" (a baseline's X), "to" (the method's Y), "vs" (a baseline after vs.)


def find_values(text: str, s: int, e: int) -> list[Value]:
    """The number-shaped spans of ``text[s:e]``; "from X to Y" is two, "1-2" (a span of
    counts with no unit) none."""
    out = []
    for m in VALUE_RE.finditer(text, s, e):
        a0 = m.start("sign") if m.group("sign") else m.start("a")
        b = m.group("b")
        start_from = _FROM_RE.search(text, max(s, a0 - 20), a0)
        if b and start_from and m.group("sep").endswith("to"):
            x_end = m.end("ua") if m.group("ua") else m.end("a")
            ranging = bool(start_from.group("ranging"))
            x_bare = not m.group("ua") and not m.group("unit")
            out.append(Value(a0, x_end, text[a0:x_end], x_bare, "" if ranging else "from"))
            b0 = m.start("b")
            out.append(Value(b0, m.end(), text[b0 : m.end()], x_bare, "" if ranging else "to"))
            continue
        if b and not (m.group("unit") or m.group("ua")):
            continue
        bare = not (m.group("ua") or m.group("unit"))
        out.append(Value(a0, m.end(), text[a0 : m.end()], bare, ""))
    return out


def group_values(text: str, values: list[Value]) -> list[list[Value]]:
    """Values joined by commas, "and", "vs." or a parenthesis share their context; the one
    after "vs." is a baseline's."""
    groups: list[list[Value]] = []
    for v in values:
        if groups:
            last = groups[-1][-1]
            j = _JOIN_RE.fullmatch(text, last.end, v.start)
            if j or (last.role == "from" and v.role == "to"):
                if j and j.group("vs") and v.role == "":
                    v = v._replace(role="vs")
                groups[-1].append(v)
                continue
        groups.append([v])
    return groups
