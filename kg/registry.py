"""Name → plug-in registries, the one extension pattern of kg (as in rdflib and spaCy).

Entries are ``"module:attr"`` strings imported on first use, so optional backends such as
neo4j cost nothing until asked for. Third parties register through the registry's
entry-point group (``kg.stores``, ``kg.readers``, ``kg.exporters``, ``kg.queries``) without
touching kg.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from kg.errors import UsageError

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str, plural: str | None = None) -> None:
        """``kind`` names an entry in messages; its plural names the entry-point group."""
        self.kind = kind
        self.group = f"kg.{plural or kind + 's'}"
        self._targets: dict[str, str | T] = {}
        self._entry_points_loaded = False

    def register(self, name: str, target: str | T) -> None:
        """Register ``target`` (an object or a lazy ``"module:attr"`` path) under ``name``."""
        self._targets[name] = target

    def names(self) -> list[str]:
        self._load_entry_points()
        return sorted(self._targets)

    def get(self, name: str) -> T:
        self._load_entry_points()
        try:
            target = self._targets[name]
        except KeyError:
            raise UsageError(
                f"unknown {self.kind} {name!r}; available: {', '.join(self.names())}"
            ) from None
        if isinstance(target, str):
            module, _, attr = target.partition(":")
            target = getattr(importlib.import_module(module), attr)
            self._targets[name] = target
        return target

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        for ep in entry_points(group=self.group):
            self._targets.setdefault(ep.name, ep.value)
