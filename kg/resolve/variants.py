"""Dataset variants: ImageNet-R and ImageNet-LT are ImageNet's, CIFAR10-LT is CIFAR-10's.

A dataset is a variant of a family when its name is the family's name (or one of its
aliases) followed by "-" or a space and a qualifier. Families are the datasets of the
shipped alias table (``kg/resolve/aliases.toml``), so a store decides from an entity's
name alone, the same way in every store and on every read-back, whichever resolver the
build ran with; user alias files rename datasets, they do not add families. Spellings of
one dataset (ImageNet-1k, ImageNet 256x256) are aliases, not variants: they resolve to
the family itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from kg.model import Entity, EntityKind, PaperExtraction
from kg.resolve.normalize import name_key

_CUT = re.compile(r"[-\s]")
#: The link's name where a graph names its edges (Neo4j, networkx, GraphML)
VARIANT_OF = "VARIANT_OF"


def family(entity: Entity) -> Entity | None:
    """The dataset ``entity`` is a variant of, or None (not a dataset, or no family)."""
    if entity.kind is not EntityKind.DATASET:
        return None
    return _family(entity.name, entity.key)


@lru_cache(maxsize=1 << 14)
def _family(name: str, key: str) -> Entity | None:
    names = _families()
    for cut in reversed([m.start() for m in _CUT.finditer(name)]):  # longest prefix first
        canonical = names.get(name_key(name[:cut]))
        if canonical is not None and name_key(canonical) != key:
            return Entity(EntityKind.DATASET, name_key(canonical), canonical)
    return None


@lru_cache(maxsize=1)
def _families() -> Mapping[str, str]:
    """Alias key → canonical name, for the shipped table's datasets."""
    from kg.resolve import Resolver

    return Resolver.from_files([]).aliases.get(EntityKind.DATASET, {})


def described_entities(ex: PaperExtraction) -> dict[Entity, list[str]]:
    """What stores describe for a paper: every entity it names with its surface forms
    (``PaperExtraction.entity_surfaces``), then each variant's family, with none."""
    described = ex.entity_surfaces()
    for entity in list(described):
        if (parent := family(entity)) is not None:
            described.setdefault(parent, [])
    return described


__all__ = ["VARIANT_OF", "described_entities", "family"]
