"""Candidate names, filters and the hand rules' roles on sentences quoted from the seed
abstracts. The rules' verdicts are features of the entity model (test_entity_model.py), so
these tests pin the rules alone."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.extract.pipeline import ExtractConfig
from kg.model import Paper, Relation


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(ExtractConfig(learned=False))


def _roles(rules: Extractor, text: str, title: str = "A paper") -> dict[str, Relation]:
    ex = rules.extract_one(Paper(id="t", title=title, abstract=text))
    for m in ex.mentions:
        assert text[m.evidence.start:m.evidence.end] == m.surface
    return {m.surface: m.relation for m in ex.mentions}


def test_release_verb_coordinated_names_are_proposed_base_models_used(
        rules: Extractor) -> None:
    text = ("Specifically, we train and release MentalXLNet and MentalLongformer based on XLNet "
            "and Longformer.")
    assert _roles(rules, text) == {
        "MentalXLNet": Relation.PROPOSES, "MentalLongformer": Relation.PROPOSES,
        "XLNet": Relation.USES, "Longformer": Relation.USES}


def test_introduced_name_with_acronym_is_one_proposed_entity(rules: Extractor) -> None:
    text = ("We introduce Programming Every Example (ProX), a novel framework that treats data "
            "refinement as a programming task.")
    ex = rules.extract_one(Paper(id="t", title="t", abstract=text))
    proposed = ex.surfaces(Relation.PROPOSES)
    assert list(proposed.values()) == [["Programming Every Example", "ProX"]]


def test_datasets_in_a_list_are_evaluated(rules: Extractor) -> None:
    text = ("Experiments on the Camelyon17-WILDS, RxRx1-WILDS, and RCC subtyping datasets show "
            "that ContriMix improves accuracy.")
    roles = _roles(rules, text)
    assert roles["Camelyon17-WILDS"] is Relation.EVALUATED_ON
    assert roles["RxRx1-WILDS"] is Relation.EVALUATED_ON
    assert roles["accuracy"] is Relation.REPORTS_METRIC


def test_title_name_is_the_papers_own_method(rules: Extractor) -> None:
    text = "ContriMix separates content and attribute and improves accuracy on RxRx1-WILDS."
    roles = _roles(rules, text, title="ContriMix: Unsupervised disentanglement")
    assert roles["ContriMix"] is Relation.PROPOSES
    assert roles["RxRx1-WILDS"] is Relation.EVALUATED_ON


def test_pretraining_corpora_are_used_not_evaluated(rules: Extractor) -> None:
    text = "We pre-train models on C4 and evaluate them on MMLU."
    roles = _roles(rules, text)
    assert roles["C4"] is Relation.USES_DATASET
    assert roles["MMLU"] is Relation.EVALUATED_ON


def test_generic_phrases_and_shapes_are_filtered(rules: Extractor) -> None:
    text = ("In this work, Large Language Models (LLMs) and deep neural networks (DNNs) are "
            "compared with state-of-the-art methods. Zero-shot and Similarity-based approaches "
            "use 512x512 images, but our method uses GPT-4's outputs.")
    roles = _roles(rules, text)
    assert roles == {"GPT-4": Relation.USES}


def test_task_acronym_is_a_task_not_a_method(rules: Extractor) -> None:
    text = "Knowledge graph embedding (KGE) aims to represent entities and relations."
    roles = _roles(rules, text)
    assert roles["KGE"] is Relation.ADDRESSES


def test_based_suffix_is_stripped(rules: Extractor) -> None:
    text = "We compare against SBERT-based retrieval."
    assert _roles(rules, text) == {"SBERT": Relation.USES}


def test_release_statement_without_link(rules: Extractor) -> None:
    ex = rules.extract_one(Paper(id="t", title="t",
                                     abstract="Our code will be made publicly available."))
    assert ex.releases_code
    ex = rules.extract_one(Paper(id="t", title="t", abstract="We release a dataset."))
    assert not ex.releases_code


def test_task_phrase_starts_after_the_last_word_that_cannot_name_a_task(
        rules: Extractor) -> None:
    text = ("When the manifolds are assumed to be linear subspaces, this reduces to the classical "
            "problem of subspace clustering, which has been studied extensively over the past "
            "two decades. This paper addresses this gap by conducting a systematic evaluation of "
            "different similarity-based and zero-shot approaches for text classification of "
            "unseen classes. The quality of learned representations is evaluated on standard "
            "imaging tasks (classification and semantic segmentation).")
    tasks = [s for s, r in _roles(rules, text).items() if r is Relation.ADDRESSES]
    assert sorted(tasks) == ["semantic segmentation", "subspace clustering", "text classification"]


def test_no_seed_task_phrase_holds_a_word_that_cannot_name_a_task(
        rules: Extractor, seed_papers: list[Paper]) -> None:
    from kg.extract.lexicon import TASK_STOP

    tasks = [m.surface for ex in rules.extract(seed_papers) for m in ex.mentions
             if m.relation is Relation.ADDRESSES and m.evidence.extractor == "kg.task.v3"]
    assert len(tasks) > 100
    assert [t for t in tasks if TASK_STOP & set(t.split())] == []
