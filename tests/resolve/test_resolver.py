"""Resolution: variant spellings meet on one key; aliases (shipped and user) merge names."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.extract import Extractor
from kg.extract.pipeline import ExtractConfig
from kg.model import EntityKind, Paper, Relation
from kg.resolve import Resolver, name_key, url_key


@pytest.mark.parametrize(("a", "b"), [("ImageNet 1K", "imagenet-1k"), ("GANs", "GAN"),
                                      ("transformers", "Transformer"), ("CIFAR10", "CIFAR-10")])
def test_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_shipped_aliases_merge_dataset_variants() -> None:
    r = Resolver.default()
    names = {r.resolve(EntityKind.DATASET, n).name for n in
             ("ImageNet-1k", "ImageNet 1K", "ILSVRC 2012", "ILSVRC")}
    assert names == {"ImageNet"}
    assert r.key(EntityKind.DATASET, "COCO") == r.key(EntityKind.DATASET, "MS COCO")
    assert r.key(EntityKind.METHOD, "COCO") != r.key(EntityKind.DATASET, "COCO")


def test_url_keys_ignore_scheme_www_slash_and_git() -> None:
    assert url_key("https://www.github.com/A/b.git/") == url_key("http://github.com/A/b")


def test_user_alias_file_adds_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text('[Method]\n"Llama 2" = ["Llama-2", "LLaMA2"]\n', encoding="utf-8")
    r = Resolver.from_files([path])
    assert r.resolve(EntityKind.METHOD, "LLaMA2").name == "Llama 2"
    bad = tmp_path / "bad.toml"
    bad.write_text('[Gadget]\n"X" = ["Y"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match="unknown entity kind"):
        Resolver.from_files([bad])


def test_acronym_and_long_form_are_one_entity_keeping_both_surfaces() -> None:
    text = ("We propose Learned Embedding Propagation (LEP), and LEP outperforms the "
            "baselines on CIFAR10 and CIFAR-10 variants.")
    ex = Extractor().extract_one(Paper(id="t", title="t", abstract=text))
    proposed = ex.surfaces(Relation.PROPOSES)
    assert list(proposed.values()) == [["Learned Embedding Propagation", "LEP"]]
    datasets = ex.surfaces(Relation.EVALUATED_ON)
    assert list(datasets.values()) == [["CIFAR10", "CIFAR-10"]]


def test_user_aliases_also_type_names_in_extraction(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text('[Dataset]\n"Blorp Corpus" = ["Blorp-X"]\n', encoding="utf-8")
    text = "We fine-tune BERT and report gains with Blorp-X."  # no cue says what Blorp-X is
    resolver = Resolver.from_files([path])
    ex = Extractor(ExtractConfig(learned=False), resolver).extract_one(
        Paper(id="t", title="t", abstract=text))
    kinds = {m.surface: m.entity for m in ex.mentions}
    assert kinds["Blorp-X"].kind is EntityKind.DATASET  # the rules type it by the alias alone
    assert kinds["Blorp-X"].name == "Blorp Corpus"
    # the learned default sees the same typing, as one feature among the others
    entities = Extractor(resolver=resolver).nlp.get_pipe("kg_entities")
    assert entities.gazetteer.kind("Blorp-X") == "Dataset"  # type: ignore[attr-defined]
