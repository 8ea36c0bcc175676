"""The data-model picture in the README, generated from kg.model so it cannot drift."""

from __future__ import annotations

from kg.model import RELATION_KIND
from kg.neo4j.results import REPORTS_RESULT, RESULT_LINK
from kg.resolve.variants import VARIANT_OF


def mermaid() -> str:
    """A Mermaid flowchart: Paper → each entity kind, one arrow per relation, and the
    results a paper reports with the entities each names, and a dataset variant's family."""
    lines = ["flowchart LR"]
    for relation, kind in RELATION_KIND.items():
        lines.append(f"    Paper -- {relation.value} --> {kind.value}")
    lines.append(f"    Paper -- {REPORTS_RESULT} --> Result")
    for kind, link in RESULT_LINK.items():
        lines.append(f"    Result -- {link} --> {kind.value}")
    lines.append(f"    Dataset -- {VARIANT_OF} --> Dataset")
    return "\n".join(lines)
