"""One paper lookup for kg why and kg view, and the ids tables show."""

from __future__ import annotations

import pytest

from kg.errors import UsageError
from kg.model import (
    Entity,
    EntityKind,
    Evidence,
    Mention,
    Paper,
    PaperExtraction,
    Relation,
    paper_id,
)
from kg.query.papers import find_paper, find_stored_paper, short_id, shown_ids
from kg.query.why import explain
from kg.store import open_store
from kg.store.base import Table

ROWS = [
    ("arxiv:2111.00899", "Equivariant Contrastive Learning", "2111.00899"),
    ("title:45b423b0a21ec70e", "FlowAR: Scale-wise Autoregressive Image Generation", None),
    ("title:45b423b0ffffffff", "FlowAR Two", None),
    ("doi:10.1000/x", "A DOI paper", None),
]


def test_tables_show_arxiv_ids_dois_and_short_hashes() -> None:
    assert [short_id(pid) for pid, _, _ in ROWS] == [
        "2111.00899", "title:45b423b0", "title:45b423b0", "10.1000/x"]
    table = shown_ids(Table(["paper", "title"], [("arxiv:1", "T")]))
    assert table.rows == [("1", "T")]
    assert shown_ids(Table(["method"], [("BERT",)])).rows == [("BERT",)]


@pytest.mark.parametrize("given,expected", [
    ("arxiv:2111.00899", "arxiv:2111.00899"), ("2111.00899v2", "arxiv:2111.00899"),
    ("https://arxiv.org/abs/2111.00899", "arxiv:2111.00899"), ("10.1000/x", "doi:10.1000/x"),
    ("equivariant contrastive LEARNING", "arxiv:2111.00899"), ("FlowAR:", "title:45b423b0a21ec70e"),
])
def test_a_paper_is_found_by_any_of_its_names(given: str, expected: str) -> None:
    assert find_paper(ROWS, given) == expected


def test_ambiguous_or_unknown_names_are_errors_not_guesses() -> None:
    with pytest.raises(UsageError, match="starts 2 paper titles"):
        find_paper(ROWS, "flowar")
    with pytest.raises(UsageError, match="no paper 'title:45b423b0'"):  # shown id of two
        find_paper(ROWS, "title:45b423b0")
    with pytest.raises(UsageError, match="no paper 'nothing'"):
        find_paper(ROWS, "nothing")


def test_kg_why_finds_a_paper_with_an_arxiv_id_by_its_title_or_shown_id() -> None:
    resnet = Entity(EntityKind.METHOD, "resnet", "ResNet")
    paper = Paper(id="arxiv:2401.00001", title="Deep Nets", abstract="We use ResNet.",
                  arxiv_id="2401.00001")
    mention = Mention(Relation.USES, resnet, "ResNet", Evidence(7, 13, 0, 14, "test"))
    with open_store("memory") as store:
        store.upsert([PaperExtraction(paper, [mention])])
        for name in ("Deep Nets", "deep", "2401.00001", short_id(paper.id)):
            assert find_stored_paper(store, name) == paper.id
            assert "USES 'ResNet'" in next(explain(store, name, "ResNet"))


def test_kg_why_by_exact_title_finds_a_paper_also_stored_under_its_title_hash() -> None:
    """Built once from a source without ids and once with its arXiv id, one paper is two
    nodes of one title (issue 26, item 8): its exact title names the arXiv one."""
    resnet = Entity(EntityKind.METHOD, "resnet", "ResNet")
    mention = Mention(Relation.USES, resnet, "ResNet", Evidence(7, 13, 0, 14, "test"))
    by_title = Paper(id=paper_id(title="Deep Nets"), title="Deep Nets", abstract="We use ResNet.")
    by_arxiv = Paper(id="arxiv:2401.00001", title="Deep Nets", abstract="We use ResNet.",
                     arxiv_id="2401.00001")
    with open_store("memory") as store:
        store.upsert([PaperExtraction(by_title, [mention]), PaperExtraction(by_arxiv, [mention])])
        for name in ("Deep Nets", "deep nets", "Deep"):
            assert find_stored_paper(store, name) == by_arxiv.id
    rows = [("arxiv:1", "Intro", "1"), ("arxiv:2", "Intro", "2")]
    with pytest.raises(UsageError, match=r"starts 2 paper titles: Intro \(1\); Intro \(2\)"):
        find_paper(rows, "Intro")
