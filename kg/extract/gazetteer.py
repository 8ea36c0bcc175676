"""Known names (data/gazetteer.tsv, built by gazetteer_build from PyPI wheels and a
permissive name list) as a dict.

Lookup is by ``name_key`` (case, hyphens, spaces and plurals ignored), tried on the name
as written and with size/version suffixes removed ("Llama-2-7B" → "Llama-2" → "Llama"),
so one row covers a family's variants. A hit types a candidate (method vs dataset) and
vouches for plain capitalised words the shape rules would otherwise drop; it never is the
only way a name gets in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from kg.model import EntityKind
from kg.resolve.normalize import name_key

_SUFFIXES = [
    re.compile(r"[\s\-_]?\d+(?:\.\d+)?[BMK]$", re.I),  # parameter/size: -7B, 350M, 1k
    re.compile(r"[\s\-_]?(?:v\d+(?:\.\d+)*|\d+(?:\.\d+)*)$", re.I),  # version: -2, v1.5, 2.0
    re.compile(r"[\s\-_](?:base|large|small|tiny|huge|xl|xxl|mini|instruct|chat)$", re.I),
]


@lru_cache(maxsize=1 << 16)
def variant_keys(name: str) -> tuple[str, ...]:
    """Keys to try for ``name``, most specific first."""
    keys, current = [name_key(name)], name
    for _ in range(3):
        for pattern in _SUFFIXES:
            stripped = pattern.sub("", current)
            if stripped != current and len(stripped) >= 2:
                current = stripped
                keys.append(name_key(current))
                break
        else:
            break
    return tuple(keys)


class Gazetteer:
    def __init__(self, rows: list[tuple[str, str, list[str]]]) -> None:
        # key → (kind, canonical name)
        self.kinds: dict[str, tuple[str, str]] = {}
        for name, kind, aliases in rows:
            for variant in (name, *aliases):
                self.kinds.setdefault(name_key(variant), (kind, name))

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> Gazetteer:
        text = files("kg.extract").joinpath("data/gazetteer.tsv").read_text(encoding="utf-8")
        return cls.from_tsv(text)

    @classmethod
    def from_tsv(cls, text: str) -> Gazetteer:
        rows = []
        for line in text.splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) >= 3:
                rows.append((parts[0], parts[1], [a for a in parts[2].split("|") if a]))
        return cls(rows)

    def with_aliases(self, aliases: dict[EntityKind, dict[str, str]]) -> Gazetteer:
        """A copy that also knows the resolver's alias variants ("Microsoft COCO" → Dataset),
        so user alias files type names too."""
        merged = Gazetteer([])
        merged.kinds = dict(self.kinds)
        for kind, table in aliases.items():
            if kind.value in ("Method", "Dataset", "Task", "Metric"):
                for variant_key, canonical in table.items():
                    merged.kinds.setdefault(variant_key, (kind.value, canonical))
        return merged

    def kind(self, name: str) -> str | None:
        """ "Method", "Dataset", "Task" or None for an unknown name."""
        for key in variant_keys(name):
            hit = self.kinds.get(key)
            if hit:
                return hit[0]
        return None

    def __len__(self) -> int:
        return len(self.kinds)
