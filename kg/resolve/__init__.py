"""Entity resolution: surface names → canonical entities, with user-editable aliases.

Aliases come from ``kg/resolve/aliases.toml`` (shipped) and any alias files the user
adds (``config/aliases.toml`` by default in pipelines, or ``--aliases FILE``); later
files win. Everything else resolves by normalised key, so "ImageNet 1K" and "imagenet-1k"
meet without an alias.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from kg.errors import UsageError
from kg.model import Entity, EntityKind
from kg.resolve.metrics import Direction, canonical_metric, direction
from kg.resolve.normalize import name_key, url_key

URL_KINDS = {EntityKind.CODE, EntityKind.URL}
RESOLUTION_SUFFIX = re.compile(r"(?<=[A-Za-z])[\s_-]*(64|128|256|512|1024)(?:\s*[x×]\s*\1)?$")


class Resolver:
    def __init__(self, aliases: dict[EntityKind, dict[str, str]] | None = None) -> None:
        # kind → variant key → canonical name
        self.aliases: dict[EntityKind, dict[str, str]] = aliases or {k: {} for k in EntityKind}

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Resolver:
        return cls.from_files([])

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> Resolver:
        resolver = cls()
        shipped = files("kg.resolve").joinpath("aliases.toml").read_text(encoding="utf-8")
        resolver.add_aliases(tomllib.loads(shipped), "kg/resolve/aliases.toml")
        for path in paths:
            try:
                data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"{path}: cannot read alias file ({exc})") from None
            except tomllib.TOMLDecodeError as exc:
                raise UsageError(f"{path}: invalid TOML ({exc})") from None
            resolver.add_aliases(data, str(path))
        return resolver

    def add_aliases(self, data: dict[str, object], origin: str) -> None:
        """``{"Dataset": {"ImageNet": ["ILSVRC-2012", …]}}`` → variant lookups."""
        for kind_name, table in data.items():
            try:
                kind = EntityKind(kind_name)
            except ValueError:
                raise UsageError(
                    f"{origin}: unknown entity kind [{kind_name}]; use one of "
                    f"{', '.join(k.value for k in EntityKind)}"
                ) from None
            if not isinstance(table, dict):
                raise UsageError(f"{origin}: [{kind_name}] must map names to lists of variants")
            lookup = self.aliases.setdefault(kind, {})
            for canonical, variants in table.items():
                if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
                    raise UsageError(f"{origin}: {canonical!r} must list its variants as strings")
                for variant in [canonical, *variants]:
                    lookup[name_key(variant)] = canonical

    def key(self, kind: EntityKind, name: str) -> str:
        return self.resolve(kind, name).key

    def result_entity(self, kind: EntityKind, name: str) -> Entity:
        """The entity a result's part links to: a metric by the metric table's name first,
        so "Top-1 Acc." and "top-1 accuracy" meet on one leaderboard."""
        if kind is EntityKind.METRIC:
            name = canonical_metric(name) or name
        return self.resolve(kind, name)

    def resolve(self, kind: EntityKind, name: str) -> Entity:
        """The canonical entity for ``name``: alias target if any, else the name itself."""
        if kind in URL_KINDS:
            return Entity(kind, url_key(name), name)
        if kind is EntityKind.DATASET:
            # "ImageNet-256", "ImageNet 512 x 512": the dataset at an image resolution
            name = RESOLUTION_SUFFIX.sub("", name) or name
        canonical = self.aliases.get(kind, {}).get(name_key(name), name)
        return Entity(kind, name_key(canonical), canonical)


def metric_direction(metric: Entity | None) -> Direction | None:
    """Which way a metric entity is better: by its key first, which every store keeps
    alike (its label is the first name a store saw, and may differ between stores)."""
    if metric is None:
        return None
    return direction(metric.key) or direction(metric.name)


__all__ = ["Resolver", "metric_direction", "name_key", "url_key"]
