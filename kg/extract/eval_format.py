"""PaperExtraction → the annotation guidelines' JSONL record (../shared/eval/GUIDELINES.md)."""

from __future__ import annotations

from typing import Any

from kg.model import RELATION_FIELD, PaperExtraction, Relation

URL_RELATIONS = {Relation.RELEASES_CODE, Relation.LINKS_TO}


def to_record(ex: PaperExtraction) -> dict[str, Any]:
    """One guidelines record: each entity as its surface forms, long form first."""
    record: dict[str, Any] = {"id": ex.paper.id, "title": ex.paper.title}
    for relation, field in RELATION_FIELD.items():
        groups = ex.surfaces(relation)
        if relation in URL_RELATIONS:
            record[field] = [forms[0] for forms in groups.values()]
        else:
            record[field] = [sorted(forms, key=len, reverse=True) for forms in groups.values()]
    record["releases_code"] = ex.releases_code
    record["results"] = [
        {
            "method": r.method,
            "dataset": r.dataset,
            "metric": r.metric,
            "value": r.value,
            "kind": r.kind.value,
        }
        for r in ex.results
    ]
    return record
