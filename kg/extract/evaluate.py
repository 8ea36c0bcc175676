"""Score predicted guideline records against gold ones, per field, with per-paper errors.

The matching rules are those of the shared scorer (GUIDELINES.md, "Scoring"), re-implemented
here so kg does not depend on files outside the package: case-insensitive after normalising
whitespace, hyphens and dashes; "Full Name (ACR)" also counts as its two parts; entities match
when any surface forms agree; each gold entity matches at most once.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.jsonstream import loads
from kg.model import Paper, paper_id, title_key

ENTITY_FIELDS = [
    "methods_proposed",
    "methods_used",
    "datasets_introduced",
    "datasets_evaluated",
    "datasets_used",
    "tasks",
    "metrics",
]
UNIONS = {
    "methods": ["methods_proposed", "methods_used"],
    "datasets": ["datasets_introduced", "datasets_evaluated", "datasets_used"],
}
URL_FIELDS = ["code_urls", "other_urls"]
FIELDS = [*ENTITY_FIELDS, "tasks_lenient", *UNIONS, *URL_FIELDS]
#: results, scored where the gold record has the key: the number alone; number, dataset and
#: metric; all four.
RESULT_LEVELS = {
    "results_value": (),
    "results": ("dataset", "metric"),
    "results_method": ("dataset", "metric", "method"),
}
_PAREN = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")
_QUALIFIERS = re.compile(
    r"^(?:up to|more than|over|about|around|approximately|at least|nearly|almost|~|>|<|≥|≤)\s*"
)


def norm(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    s = re.sub(r"[\u2010-\u2015\u2212_-]+", "-", s)
    s = re.sub(r"\s*-\s*", "-", s)
    return re.sub(r"\s+", " ", s).strip(" .,;:")


def surfaces(entity: str | list[str]) -> set[str]:
    forms = [entity] if isinstance(entity, str) else list(entity)
    out = set()
    for f in forms:
        out.add(norm(f))
        m = _PAREN.match(str(f))
        if m:
            out.update({norm(m.group(1)), norm(m.group(2))})
    out.discard("")
    return out


def norm_url(url: object) -> str:
    u = str(url).strip().rstrip(".,;:)]}'\"")
    u = re.sub(r"^[a-z]+://", "", u, flags=re.I)
    u = re.sub(r"^www\.", "", u, flags=re.I)
    host, _, path = u.partition("/")
    path = re.sub(r"\.git$", "", path.rstrip("/"))
    return host.lower() + ("/" + path if path else "")


def norm_value(value: object) -> str:
    """ "up to +1,000\\%" and "1000%" are one value: qualifiers, backslashes, spaces,
    thousands separators and a leading "+" dropped."""
    v = unicodedata.normalize("NFKC", str(value)).casefold().replace("\\", "")
    v = _QUALIFIERS.sub("", v.strip())
    v = re.sub(r"(?<=\d),(?=\d{3})", "", v)
    return re.sub(r"\s+", "", v).lstrip("+").rstrip(".,;:")


def same_part(gold: Any, pred: Any) -> bool:
    """Two result parts agree: both absent, or any surface forms in common."""
    if not gold or not pred:
        return not gold and not pred
    return bool(surfaces(gold) & surfaces(pred))


def match_results(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]], parts: tuple[str, ...]
) -> tuple[int, list[str], list[str]]:
    """Greedy one-to-one: a prediction matches the first unused gold result with its value
    and the ``parts`` named → (true positives, missed gold, false positives)."""
    used = [False] * len(gold)
    tp, false_pos = 0, []
    for p in pred:
        for i, g in enumerate(gold):
            if (
                not used[i]
                and norm_value(g.get("value", "")) == norm_value(p.get("value", ""))
                and all(same_part(g.get(k), p.get(k)) for k in parts)
            ):
                used[i] = True
                tp += 1
                break
        else:
            false_pos.append(_result_display(p))
    return tp, [_result_display(g) for g, u in zip(gold, used, strict=True) if not u], false_pos


def _result_display(r: dict[str, Any]) -> str:
    parts = (r.get(k) for k in ("method", "dataset", "metric"))
    return f"{r.get('value')} ({r.get('kind')}) " + " / ".join(str(x or "-") for x in parts)


def _display(entity: str | list[str]) -> str:
    return entity if isinstance(entity, str) else " | ".join(entity)


def _greedy(
    gold: list[Any], pred: list[Any], same: Callable[[set[str], set[str]], bool]
) -> tuple[int, list[str], list[str]]:
    """Greedy one-to-one matching of surface-form sets → (true positives, missed gold,
    false positives): each prediction takes the first unmatched gold entity it is ``same``
    as."""
    gold_sets = [surfaces(g) for g in gold]
    used = [False] * len(gold_sets)
    tp, false_pos = 0, []
    for p in pred:
        ps = surfaces(p)
        for i, gs in enumerate(gold_sets):
            if not used[i] and same(ps, gs):
                used[i] = True
                tp += 1
                break
        else:
            false_pos.append(_display(p))
    missed = [_display(g) for g, u in zip(gold, used, strict=True) if not u]
    return tp, missed, false_pos


def match(gold: list[Any], pred: list[Any]) -> tuple[int, list[str], list[str]]:
    """Entities match when any of their surface forms agree."""
    return _greedy(gold, pred, lambda ps, gs: bool(ps & gs))


def _holds_either(ps: set[str], gs: set[str]) -> bool:
    return any(f" {a} " in f" {b} " or f" {b} " in f" {a} " for a in ps for b in gs)


def match_lenient(gold: list[Any], pred: list[Any]) -> tuple[int, list[str], list[str]]:
    """Tasks: a predicted phrase matches a gold one when either holds the other as whole
    words ("image classification" and "few-shot image classification")."""
    return _greedy(gold, pred, _holds_either)


def dedupe(entities: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    seen: list[Any] = []
    for e in entities:
        s = surfaces(e)
        if s and not any(s & t for t in seen):
            seen.append(s)
            out.append(e)
    return out


@dataclass
class FieldScore:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        """None with no predictions: no figure rather than a perfect one."""
        return self.tp / self.pred if self.pred else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        """2·tp / (pred + gold): the harmonic mean where both are defined, 0 where one side
        is empty, None where both are (nothing to score is no score of 1.0)."""
        total = self.pred + self.gold
        return 2 * self.tp / total if total else None


@dataclass
class Report:
    fields: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    releases_code_ok: int = 0
    releases_code_n: int = 0
    papers: int = 0
    without_prediction: int = 0
    # title → field → (missed gold, false positives)
    errors: dict[str, dict[str, tuple[list[str], list[str]]]] = field(default_factory=dict)

    @property
    def releases_code_accuracy(self) -> float | None:
        return self.releases_code_ok / self.releases_code_n if self.releases_code_n else None

    def add(self, title: str, name: str, tp: int, missed: list[str], false_pos: list[str]) -> None:
        s = self.fields[name]
        s.tp += tp
        s.pred += tp + len(false_pos)
        s.gold += tp + len(missed)
        if missed or false_pos:
            self.errors.setdefault(title, {})[name] = (missed, false_pos)


def evaluate(
    gold_records: Iterable[dict[str, Any]], pred_records: Iterable[dict[str, Any]]
) -> Report:
    """Micro P/R/F1 per field and union, paired by normalised title (ids may differ)."""
    preds = {title_key(str(r.get("title", ""))): r for r in pred_records}
    report = Report()
    for g in gold_records:
        report.papers += 1
        p = preds.get(title_key(str(g["title"])))
        if p is None:
            report.without_prediction += 1
            p = {}
        title = g["title"]
        for name in ENTITY_FIELDS:
            role_fields_missing = name not in g and any(name in fs for fs in UNIONS.values())
            if role_fields_missing and any(u in g for u in UNIONS):
                continue  # gold annotates only the union for this role
            report.add(title, name, *match(g.get(name, []), p.get(name) or []))
            if name == "tasks":
                lenient = match_lenient(g.get(name, []), p.get(name) or [])
                report.add(title, "tasks_lenient", *lenient)
        for name, parts in UNIONS.items():
            gold_u = dedupe(g[name] if name in g else [e for f in parts for e in g.get(f, [])])
            pred_u = dedupe([e for f in parts for e in (p.get(f) or [])])
            report.add(title, name, *match(gold_u, pred_u))
        for name in URL_FIELDS:
            gs = {norm_url(u) for u in g.get(name, [])}
            ps = {norm_url(u) for u in (p.get(name) or [])}
            report.add(title, name, len(gs & ps), sorted(gs - ps), sorted(ps - gs))
        if "results" in g:
            pred_results = p.get("results") or []
            for level, wanted in RESULT_LEVELS.items():
                report.fields.setdefault(level, FieldScore())
                report.add(title, level, *match_results(g["results"], pred_results, wanted))
        if "releases_code" in g:
            report.releases_code_n += 1
            report.releases_code_ok += bool(p.get("releases_code", False)) == bool(
                g["releases_code"]
            )
    return report


def format_report(report: Report, errors: bool = True, only: Iterable[str] = ()) -> str:
    """A P/R/F1 table, then per paper the misses (-) and false positives (+) per field."""
    lines = [f"{'field':22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}"]
    for name, s in report.fields.items():
        figures = " ".join(_figure(x) for x in (s.precision, s.recall, s.f1))
        lines.append(f"{name:22} {figures} {s.tp:5} {s.pred:5} {s.gold:5}")
    acc = report.releases_code_accuracy
    lines.append(
        f"releases_code accuracy {'-' if acc is None else f'{acc:.3f}'}  papers "
        f"{report.papers}  without prediction {report.without_prediction}"
    )
    wanted = set(only)
    if errors:
        for title, per_field in report.errors.items():
            shown = {k: v for k, v in per_field.items() if not wanted or k in wanted}
            if not shown:
                continue
            lines.append(f"\n## {title}")
            for name, (missed, false_pos) in shown.items():
                lines.extend(f"  {name:20} - {m}" for m in missed)
                lines.extend(f"  {name:20} + {f}" for f in false_pos)
    return "\n".join(lines)


def _figure(x: float | None) -> str:
    return f"{x:6.3f}" if x is not None else f"{'-':>6}"


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The records of a JSONL file; an unreadable file or line is an InputError (exit 2)."""
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                record = loads(line)  # deep nesting, huge numbers: a JSONDecodeError
                if not isinstance(record, dict):
                    raise InputError(f"{path}:{n}: a record must be a JSON object")
                records.append(record)
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise InputError(f"{path}: cannot read ({reason or error})") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}:{n}: not JSON ({error.msg})") from None
    return records


def papers_from_records(records: Iterable[dict[str, Any]]) -> Iterator[Paper]:
    """Gold-style records that carry their own text (``text`` or ``abstract``) → Papers, so
    external evaluation sets (e.g. SciREX abstracts) run through the same extractor."""
    for r in records:
        text = r.get("abstract") or r.get("text") or ""
        title = r.get("title", "")
        yield Paper(
            id=r.get("id") or paper_id(title=title), title=title, abstract=text, source="eval"
        )
