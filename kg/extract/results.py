"""Results: the numbers an abstract states about how a method does (GUIDELINES.md, Results).

Plain functions over a ``Reading`` (no tokens), run by the ``kg_results`` component after
the entity component, whose mentions give each number its method and dataset. A number is
a result only when its shape (a %, a ×, points) or its context (a metric named beside it,
"from X to Y", "X vs. Y") says so: sizes, counts, years and settings are not results, and
a bare number with no metric in sight is dropped rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from kg.model import Relation, ResultKind
from kg.resolve.metrics import MetricSpan, metric_at, metrics_in

if TYPE_CHECKING:
    from kg.extract.components import RawMention, Reading

EXTRACTOR = "kg.result.v1"


class RawResult(NamedTuple):
    """A result as the finder sees it: parts as written, offsets into the abstract."""

    value: str
    kind: ResultKind
    number: float | None
    unit: str
    method: str | None
    dataset: str | None
    metric: str | None
    start: int
    end: int
    sent_start: int
    sent_end: int
    extractor: str


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUAL = (
    r"(?:up to|more than|over|about|around|approximately|at least|nearly|almost|roughly|~|>|<|≥|≤)"
)
_PCT = r"\s?\\?%"
_MUL = r"\s?[x×X](?![\w])|\s?-?fold\b|\s(?:times)\b"
_PTS = r"\s(?:(?:F1|BLEU|ROUGE|mAP|AP|accuracy)\s)?(?:points|point|pts|pp|p\.p\.)"
_MEASURE = r"\s?(?:FPS|fps|GB|MB|ms|(?:GPU[ -])?hours)\b"
VALUE_RE = re.compile(
    rf"(?<![\w.^@/$\-{{\\])(?P<sign>[+\-−])?(?P<a>{_NUM})(?P<ua>{_PCT}\+?|{_MUL})?"
    rf"(?:\s?(?P<sep>-|–|—|to)\s?(?P<b>{_NUM}))?"
    rf"(?P<unit>{_PCT}\+?|{_MUL}|{_PTS}|{_MEASURE})?(?![\w/]|\.\d|-[A-Za-z])"
)
_POINTS = re.compile(r"(?:points?|pts|pp|p\.p\.)$")


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
    text = re.sub(rf"^{_QUAL}\s*", "", text)
    m = re.match(r"([+\-]?)(\d[\d,]*(?:\.\d+)?)(.*)$", text)
    if not m:
        return None, ""
    sign, digits, rest = m.groups()
    ranged = re.match(r"\s*(?:%\s*)?(?:-|–|—|to)\s*\+?\d[\d,]*(?:\.\d+)?(.*)$", rest)
    if ranged:
        return None, _unit(ranged.group(1))
    return float(sign + digits.replace(",", "")), _unit(rest)


_DATASETS = {Relation.EVALUATED_ON, Relation.USES_DATASET, Relation.INTRODUCES}
_JOIN_RE = re.compile(
    rf"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|(?P<vs>vs\.?|versus)\s+|/\s*|\(\s*)?(?:{_QUAL}\s*)?"
)
_FROM_RE = re.compile(r"\b(?P<ranging>rang\w+\s+|vary\w*\s+)?from\s+$")
_SETTING_AFTER = re.compile(
    r"\s*(?:of\s+(?:the\s+|all\s+)?(?:\w+\s+)?(?:data|training|parameters|labels|samples|examples"
    r"|tokens|dataset|annotations|compute|budget|images|queries|weights)\b|(?:\w+\s)?(?:sparsity"
    r"|trainable|parameters|params|labeled|labelled|data\b|confidence|masking|mask)"
    r"|(?:more|larger|bigger|longer)\b)"
)
_SETTING_BEFORE = re.compile(r"\b(?:only|using|use|keeping|retaining|top|prun\w+)\s+(?:the\s+)?$")
_COUNTED = re.compile(  # "14 benchmark datasets": a count, not a result
    r"\s+(?!(?:on|in|and|or|vs|versus|at|with|for|to|from|compared|than|over|when|while|which"
    r"|respectively|across|points?)\b)[A-Za-z]"
)
_IMPROVE_AFTER = re.compile(
    r"\s*(?:\w+\s){0,2}?(?:improvements?|gains?|reductions?|increases?|boosts?|speed[- ]?ups?"
    r"|higher|lower|better|faster|fewer|less|advantages?|relative|absolute|margins?|drops?"
    r"|decreases?|lifts?|savings?|smaller|cheaper)\b"
)
_IMPROVE_BEFORE = re.compile(
    r"\b(?:by|improv\w*|gains?|boost\w*|outperform\w*|surpass\w*|exceed\w*|increas\w*|reduc\w*"
    r"|sav(?:e|es|ing)|margins?|clos(?:e|es|ing)|cuts?|lower\w*|advantages?|faster|speedup"
    r"|better|higher|accelerat\w*|enhanc\w*|decreas\w*|lifts?|outperformance)\b"
)
_LINK_BEFORE = re.compile(
    rf"(?:\s(?:of|to|at|is|was|reaching|reaches|are)|\s?[=:>≥(])\s*(?:{_QUAL}\s*)?$"
)
_ACHIEVE_BEFORE = re.compile(
    r"\b(?:achiev|obtain|reach|attain|scor|record|yield|get)\w*\s+(?:an?\s+|the\s+)?"
    r"(?:(?:average|mean|overall)\s+)?(?:of\s+)?$"
)
_AFTER_METRIC = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:(?:relative|absolute|average|overall)\s+)?(?:(?:improvement|gain"
    r"|reduction|increase|speed[- ]?up|boost|decrease|drop|advantage|lift)s?\s+)?(?:(?:in|of|on"
    r"|for)\s+)?(?:(?:the|an?|terms of)\s+)?(?:[\w\-]+\s+and\s+[\w\-]+\s+)?"
)
_VERB_OBJECT = re.compile(
    rf"\b(?:reduc|improv|increas|boost|clos|lower|cut|sav|enhanc|decreas|accelerat|lift)\w*\s+"
    rf"(?:the\s+|its\s+)?(?P<np>[a-z][\w\-]*(?:\s[a-z][\w\-]*){{0,3}}?)\s+(?:by\s+)?(?:{_QUAL}\s*)?$"
)
_NOT_METRIC_NP = re.compile(r"\b(?:of|to|by|up|method|model|baseline|approach|state|existing|the)")
_TITLE_NAME = re.compile(r"^\s*([^\s:][^:]{0,40}?)\s*:")
_CLAUSE_BREAK = re.compile(r",\s*(?:and|while|but|whereas)\b|;")
_YEAR = re.compile(r"(?:19|20)\d\d$")


class _Value(NamedTuple):
    start: int
    end: int
    text: str
    bare: bool  # no %, ×, points or other unit of its own
    role: str  # "", "from" (a baseline's X), "to" (the method's Y), "vs" (a baseline after vs.)


def _values(text: str, s: int, e: int) -> list[_Value]:
    """The number-shaped spans of one sentence; "from X to Y" is two."""
    out = []
    for m in VALUE_RE.finditer(text, s, e):
        a0 = m.start("sign") if m.group("sign") else m.start("a")
        b = m.group("b")
        start_from = _FROM_RE.search(text, max(s, a0 - 20), a0)
        if b and start_from and m.group("sep") == "to":
            x_end = m.end("ua") if m.group("ua") else m.end("a")
            ranging = bool(start_from.group("ranging"))
            x_bare = not m.group("ua") and not m.group("unit")
            out.append(_Value(a0, x_end, text[a0:x_end], x_bare, "" if ranging else "from"))
            b0 = m.start("b")
            out.append(_Value(b0, m.end(), text[b0 : m.end()], x_bare, "" if ranging else "to"))
            continue
        if b and not (m.group("unit") or m.group("ua")):
            continue  # "1-2", "111 to 200": a span of counts, not a result
        bare = not (m.group("ua") or m.group("unit"))
        out.append(_Value(a0, m.end(), text[a0 : m.end()], bare, ""))
    return out


def _groups(text: str, values: list[_Value]) -> list[list[_Value]]:
    """Values joined by commas, "and", "vs." or a parenthesis share their context."""
    groups: list[list[_Value]] = []
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


def _last_metric(text: str, s: int, e: int) -> MetricSpan | None:
    found = metrics_in(text, s, e)
    return found[-1] if found else None


def _accepted(text: str, v: _Value, group: list[_Value], before: int) -> bool:
    """Is this number a result? Its unit or its context must say so."""
    if not v.bare and not re.search(_MEASURE + r"$", v.text):
        if _SETTING_AFTER.match(text, v.end):
            return False  # "75% sparsity", "1.25x parameters", "50% of the data"
        return not _SETTING_BEFORE.search(text, max(before, v.start - 24), v.start)
    if "." not in v.text and (_YEAR.match(v.text) or _COUNTED.match(text, v.end)):
        return False  # "in 2023", "14 benchmark datasets"
    if v.role in ("from", "to") or any(u.role == "vs" for u in group):
        return any("." in u.text or not u.bare for u in group) or bool(
            _last_metric(text, before, group[0].start)
        )
    link = _LINK_BEFORE.search(text, max(before, v.start - 12), v.start)
    if link:
        prior = _last_metric(text, max(before, link.start() - 80), link.start())
        if prior and not text[prior.end : link.start()].strip(" ()"):
            return True  # "an average score of 91.3", "memory of 25.8GB"
    gap = len(text[v.end : v.end + 3]) - len(text[v.end : v.end + 3].lstrip())
    if "." in v.text and metric_at(text, v.end + gap):
        return True  # "45.1 mAP"
    return "." in v.text and bool(_ACHIEVE_BEFORE.search(text, max(before, v.start - 40), v.start))


def _kind(text: str, v: _Value, group: list[_Value], before: int) -> ResultKind:
    if v.role or any(u.role == "vs" for u in group):
        return ResultKind.SCORE
    unit = parse_value(v.text)[1]
    if v.text[0] in "+-−" or unit in ("×", "points"):
        return ResultKind.IMPROVEMENT
    if re.search(r"(?<!\bup )\bto\s*$", text[max(before, v.start - 8) : v.start]):
        return ResultKind.SCORE
    if _IMPROVE_AFTER.match(text, group[-1].end):
        return ResultKind.IMPROVEMENT
    window = text[max(before, group[0].start - 80) : group[0].start]
    link = _LINK_BEFORE.search(window)
    if link:
        prior = _last_metric(window, 0, link.start())
        if prior and not window[prior.end : link.start()].strip(" ()"):
            cue = _IMPROVE_BEFORE.search(window, 0, prior.start)
            if not cue or not re.fullmatch(r"[\s\w\-]*", window[cue.end() : prior.start]):
                return ResultKind.SCORE
    if _IMPROVE_BEFORE.search(window):
        return ResultKind.IMPROVEMENT
    return ResultKind.SCORE


def _metric(text: str, group: list[_Value], before: int, after_end: int) -> tuple[str | None, int]:
    """The metric as written, and where it starts (-1 when after the numbers or none)."""
    points = re.search(r"\s(\S+)\s(?:points?|pts)$", group[-1].text)
    if points:
        return points.group(1), -1
    gap = _AFTER_METRIC.match(text, group[-1].end)
    if gap and gap.end() < after_end:
        m = metric_at(text, gap.end())
        if m and m.end <= after_end:
            return m.text, -1
    m = _last_metric(text, before, group[0].start)
    if m:
        return m.text, m.start
    vo = _VERB_OBJECT.search(text, before, group[0].start)
    if vo and not _NOT_METRIC_NP.search(vo.group("np")):
        return vo.group("np"), vo.start("np")
    return None, -1


def _datasets(
    text: str, mentions: Sequence[RawMention], metric_spans: list[tuple[int, int]]
) -> list[RawMention]:
    """Dataset mentions, and names the sentence uses as one ("WikiSQL denotation accuracy");
    not names inside a metric ("Inception score") nor models ("GPT-3 XL model")."""
    out = []
    for m in mentions:
        if any(a <= m.start < b for a, b in metric_spans) or re.match(
            r"\s+(?:models?|backbones?)\b", text[m.end : m.end + 12]
        ):
            continue
        if m.relation in _DATASETS or (
            m.relation is Relation.USES
            and (
                re.match(r"\s+(?:dataset|benchmark|corpus)", text[m.end : m.end + 12])
                or metric_at(text, m.end + 1)
            )
        ):
            out.append(m)
    return out


def _paper_method(reading: Reading) -> str | None:
    """What "our method" names: the title's "Name:" (one word, or words the abstract
    uses), else the first proposed method (its acronym when it has one), else None."""
    head = _TITLE_NAME.match(reading.title)
    if head:
        name = head.group(1)
        if " " not in name or (len(name.split()) <= 3 and name in reading.text):
            return name
    for m in reading.mentions:
        if m.relation is Relation.PROPOSES:
            short = [a.short for a in reading.abbreviations.values() if a.long == m.surface]
            return short[0] if short else m.surface
    return None


def _dataset(
    text: str,
    group: list[_Value],
    i: int,
    ds: list[RawMention],
    span: tuple[int, int, int],
    metric_pos: int,
) -> str | None:
    before, after_end, sent_start = span
    ahead = [d for d in ds if group[-1].end <= d.start < after_end]
    if len(group) > 1 and len(ahead) == len(group):
        return ahead[i].surface  # "1.3% and 3.6% … on CIFAR100 and ImageNet-R"
    if metric_pos >= 0:
        for d in ds:
            if d.end <= metric_pos and not text[d.end : metric_pos].strip():
                return d.surface  # "WikiSQL denotation accuracy to 89.5%"
    if ahead and not re.search(r"[,;()]", text[group[-1].end : ahead[0].start]):
        return ahead[0].surface
    behind = [
        d
        for d in ds
        if before <= d.start
        and d.end <= group[0].start
        and not _CLAUSE_BREAK.search(text, d.end, group[0].start)
    ]
    if behind:
        return behind[-1].surface
    for d in ds:
        if re.fullmatch(r"(?:On|For|In|Across)\s+(?:the\s+)?", text[sent_start : d.start]):
            return d.surface  # "On ImageNet-LT, …" holds for the whole sentence
    return None


def _method(
    text: str,
    v: _Value,
    group: list[_Value],
    before: int,
    methods: list[RawMention],
    default: str | None,
) -> str | None:
    if v.role == "from":
        return None
    if v.role == "vs":
        baselines = [
            m for m in methods if m.relation is Relation.USES and before <= m.start < group[0].start
        ]
        return baselines[-1].surface if baselines else None
    own = [m for m in methods if m.relation is Relation.PROPOSES]
    earlier = [m for m in own if m.end <= v.start]
    if earlier or own:
        return (earlier or own)[-1 if earlier else 0].surface
    for m in methods:
        if before <= m.start < group[0].start and re.match(
            r"\s+(?:\w+\s+)?(?:achiev|obtain|reach|attain|scores\b|outperform|surpass|get)\w*",
            text[m.end : m.end + 30],
        ):
            return m.surface
    return default


def find_results(reading: Reading) -> list[RawResult]:
    """Every result the abstract states, in text order (see the module docstring)."""
    text = reading.text
    if not re.search(r"\d", text):
        return []
    default = _paper_method(reading)
    out: list[RawResult] = []
    values = [
        v
        for v in _values(text, 0, len(text))
        if not any(a <= v.start < b for a, b in reading.masked)
    ]
    for ss, se in reading.sentences:  # one scan of the text, then split by sentence
        inside = [v for v in values if ss <= v.start and v.end <= se]
        if inside:
            out.extend(_sentence_results(reading, ss, se, _groups(text, inside), default))
    return out


def _sentence_results(
    reading: Reading, ss: int, se: int, groups: list[list[_Value]], default: str | None
) -> list[RawResult]:
    """The results of one sentence; its mentions are read only once a number is kept (most
    numbers are not results, and the metric scan costs)."""
    text, out = reading.text, []
    methods: list[RawMention] | None = None
    ds: list[RawMention] = []
    for gi, group in enumerate(groups):
        before = ss if gi == 0 else groups[gi - 1][-1].end
        before = max(before, text.rfind(";", before, group[0].start) + 1)
        after_end = groups[gi + 1][0].start if gi + 1 < len(groups) else se
        semi = text.find(";", group[-1].end, after_end)
        after_end = semi if semi >= 0 else after_end
        kept = [v for v in group if _accepted(text, v, group, before)]
        if not kept:
            continue
        if methods is None:
            mentions = [m for m in reading.mentions if ss <= m.start < se]
            spans = [(m.start, m.end) for m in metrics_in(text, ss, se)]
            methods = [
                m
                for m in mentions
                if m.relation in (Relation.PROPOSES, Relation.USES)
                and not any(a <= m.start < b for a, b in spans)
            ]
            ds = _datasets(text, mentions, spans)
        metric, metric_pos = _metric(text, group, before, after_end)
        for i, v in enumerate(group):
            if v in kept:
                kind = _kind(text, v, group, before)
                method = _method(text, v, group, before, methods, default)
                dataset = _dataset(text, group, i, ds, (before, after_end, ss), metric_pos)
                parts = (kind, *parse_value(v.text), method, dataset, metric, v.start, v.end)
                out.append(RawResult(v.text, *parts, ss, se, EXTRACTOR))
    return out
