"""Dataset variants: which dataset a name is a variant of, decided from the name alone."""

from __future__ import annotations

import pytest

from kg.model import Entity, EntityKind, Evidence, Mention, Paper, PaperExtraction, Relation
from kg.resolve import Resolver
from kg.resolve.variants import described_entities, family

DATASET = EntityKind.DATASET


def _family_name(name: str) -> str | None:
    parent = family(Resolver.default().resolve(DATASET, name))
    return None if parent is None else parent.name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ImageNet-R", "ImageNet"),
        ("ImageNet-LT", "ImageNet"),
        ("imagenet sketch", "ImageNet"),
        ("CIFAR10-LT", "CIFAR-10"),  # the family's alias, then the qualifier
        ("CIFAR-10-C", "CIFAR-10"),
        ("COCO-Stuff", "MS COCO"),
        ("Something-Something V2", "Something-Something"),  # a family with a hyphen
        ("Kinetics-400", "Kinetics"),
        ("SQuAD 2.0", "SQuAD"),
    ],
)
def test_a_family_name_and_a_qualifier_make_a_variant(name: str, expected: str) -> None:
    assert _family_name(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "ImageNet",  # the family itself
        "ImageNet-1k",  # an alias: ImageNet itself
        "ImageNet 256x256",  # a resolution: ImageNet itself
        "CIFAR-100",  # CIFAR is no family, and CIFAR-10 no prefix of it
        "mini-ImageNet",  # the family name is not at the start
        "TinyImageNet-200",
        "Penn Treebank",  # "Penn" is no family
        "Zorblax-7",  # unknown
    ],
)
def test_other_names_have_no_family(name: str) -> None:
    assert _family_name(name) is None


def test_cub_spellings_are_one_dataset() -> None:
    keys = {Resolver.default().key(DATASET, n) for n in ("CUB", "CUB-200-2011", "Caltech CUB")}
    assert keys == {"cub2002011"}


def test_only_datasets_have_families() -> None:
    assert family(Entity(EntityKind.METHOD, "imagenetr", "ImageNet-R")) is None


def test_stores_describe_a_variants_family_with_no_surface_of_its_own() -> None:
    abstract = "We evaluate on ImageNet-R."
    variant = Resolver.default().resolve(DATASET, "ImageNet-R")
    mention = Mention(
        Relation.EVALUATED_ON, variant, "ImageNet-R", Evidence(15, 25, 0, 26, "test")
    )
    ex = PaperExtraction(Paper(id="p1", title="T", abstract=abstract), [mention])
    assert described_entities(ex) == {
        variant: ["ImageNet-R"],
        Entity(DATASET, "imagenet", "ImageNet"): [],
    }
