"""The data-model picture in the README, generated from kg.model so it cannot drift."""

from __future__ import annotations

from kg.model import RELATION_KIND


def mermaid() -> str:
    """A Mermaid flowchart: Paper → each entity kind, one arrow per relation."""
    lines = ["flowchart LR"]
    for relation, kind in RELATION_KIND.items():
        lines.append(f"    Paper -- {relation.value} --> {kind.value}")
    return "\n".join(lines)
