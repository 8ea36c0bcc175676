"""The paper-identity rule (``kg.ingest.identity``): which records are one paper, which id
the paper gets, and what a reader's own ``id`` stands for."""

from __future__ import annotations

import json
from itertools import permutations
from pathlib import Path

import pytest

from kg.ingest import iter_papers
from kg.ingest.clean import read_id
from kg.ingest.identity import StreamIdentity, against_store, merged, shared_key
from kg.model import Paper, paper_id, title_id

TITLE = "Flow Matching for Generative Modeling"


def paper(title: str = TITLE, source: str = "x", **ids: object) -> Paper:
    arxiv, doi = ids.get("arxiv_id"), ids.get("doi")
    pid = paper_id(title=title, arxiv_id=arxiv, doi=doi)  # type: ignore[arg-type]
    return Paper(id=pid, title=title, abstract="An abstract.", source=source, **ids)  # type: ignore[arg-type]


def test_a_paper_answers_to_every_id_it_has_with_versions_folded() -> None:
    p = paper(arxiv_id="2210.02747v2", doi="10.1/ABC", aliases=("openalex:W1",))
    assert p.id == "arxiv:2210.02747"
    assert set(p.identity_keys) == {
        "arxiv:2210.02747",
        "doi:10.1/abc",
        title_id(TITLE),
        "openalex:W1",
    }


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"arxiv_id": "2210.02747"}, {"arxiv_id": "2210.02747v3"}, "arxiv:2210.02747"),
        ({"doi": "10.1/x"}, {"arxiv_id": "2210.02747", "doi": "10.1/x"}, "doi:10.1/x"),
        ({}, {"arxiv_id": "2210.02747"}, title_id(TITLE)),  # by title: nothing disagrees
        ({"arxiv_id": "2210.02747"}, {"doi": "10.1/x"}, title_id(TITLE)),  # different kinds
        ({"arxiv_id": "2210.02747"}, {"arxiv_id": "2301.00001"}, None),  # two arXiv ids
        ({"doi": "10.1/x"}, {"doi": "10.1/y"}, None),  # two DOIs: two papers of one title
    ],
)
def test_shared_key(a: dict, b: dict, same: str | None) -> None:
    assert shared_key(paper(**a).identity_keys, paper(**b).identity_keys) == same


def test_merged_takes_the_strongest_id_and_keeps_the_others() -> None:
    p = paper()  # title only
    joined = merged(p, ["doi:10.1/x", "arxiv:2210.02747", "s2:abc", p.id])
    assert (joined.id, joined.arxiv_id, joined.doi) == ("arxiv:2210.02747", "2210.02747", "10.1/x")
    assert joined.aliases == ("s2:abc",)  # the title key is implied, not an alias
    assert merged(joined, joined.identity_keys) is joined
    # a title-only paper matched to a stored title-only one keeps the stored id
    renamed = paper(title=TITLE + " (v2)")
    assert merged(renamed, [p.id], stored_id=p.id).id == p.id


def read_all(records: list[Paper]) -> tuple[list[Paper], StreamIdentity]:
    """Two reads, as a build does: the first finds duplicates, the second merges them."""
    first = StreamIdentity(named=frozenset())
    for record in records:
        first.admit(record)
    second = first.hand_over()
    kept = [p for record in records if (p := second.admit(record)) is not None]
    return kept, second


def test_records_of_one_paper_in_any_order_give_one_paper_with_all_its_ids() -> None:
    records = [
        paper(source="a"),
        paper(source="b", arxiv_id="2210.02747v1"),
        paper(source="c", doi="10.1/x", aliases=("openalex:W9",)),
    ]
    for order in permutations(records):
        kept, identity = read_all(list(order))
        assert len(kept) == 1
        assert kept[0].source == order[0].source  # the first record is the one read
        assert (kept[0].id, kept[0].doi) == ("arxiv:2210.02747", "10.1/x")
        assert "openalex:W9" in kept[0].aliases
        assert [d.first for d in identity.duplicates] == [order[0].source] * 2
        assert all(str(d).endswith(f"as {order[0].source}; read once") for d in identity.duplicates)


def test_a_title_shared_by_two_arxiv_papers_is_two_papers() -> None:
    kept, identity = read_all(
        [paper(source="a", arxiv_id="2101.00001"), paper(source="b", arxiv_id="2101.00002")]
    )
    assert [p.id for p in kept] == ["arxiv:2101.00001", "arxiv:2101.00002"]
    assert identity.duplicates == []
    # a third record of that title with no id is taken for the first
    kept, identity = read_all([*map(lambda p: p, kept), paper(source="c")])
    assert len(kept) == 2 and identity.duplicates[0].why == "same title"


class Held:
    """A store's ``identities`` over papers held in a dict (the contract is tested on
    real stores in tests/store/test_contract.py)."""

    def __init__(self, *papers: Paper) -> None:
        self.papers = {p.id: p for p in papers}

    def identities(self, keys: list[str]) -> dict[str, frozenset[str]]:
        return {
            pid: frozenset(p.identity_keys)
            for pid, p in self.papers.items()
            if set(keys) & set(p.identity_keys)
        }


def test_against_store_renames_to_the_stored_paper_or_replaces_it() -> None:
    stored_title, stored_arxiv = paper(), paper(title="Other", arxiv_id="2301.00001")
    store = Held(stored_title, stored_arxiv)
    new = [
        paper(arxiv_id="2210.02747"),  # the stored title-only paper, now with its arXiv id
        paper(title="other"),  # the stored arXiv paper, by title alone
        paper(title="Unrelated"),
    ]
    out, replacing = against_store(new, store)
    assert [p.id for p in out] == ["arxiv:2210.02747", "arxiv:2301.00001", title_id("Unrelated")]
    assert replacing == {"arxiv:2210.02747"}  # it replaces title:…, which upsert removes
    assert stored_title.id in out[0].identity_keys


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("arxiv:2210.02747v2", ("2210.02747", None, None)),
        ("https://arxiv.org/abs/2210.02747", ("2210.02747", None, None)),
        ("doi:10.1000/ABC", (None, "10.1000/abc", None)),
        ("10.1000/abc", (None, "10.1000/abc", None)),
        ("title:0123456789abcdef", (None, None, "title:0123456789abcdef")),
        ("W2741809807", (None, None, "jsonl:W2741809807")),
        ("17", (None, None, None)),  # a row number, not an id
        ("", (None, None, None)),
    ],
)
def test_a_records_own_id(value: str, expected: tuple) -> None:
    assert read_id(value, "jsonl") == expected


def test_jsonl_id_names_the_paper(tmp_path: Path) -> None:
    lines = [
        {"id": "arxiv:2210.02747v1", "title": TITLE, "abstract": "A."},
        {"id": "W1", "title": "Second", "abstract": "B."},
        {"id": "W1", "title": "Second, retitled", "abstract": "B2."},
    ]
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    identity = StreamIdentity()
    papers = list(iter_papers([path], identity=identity))
    assert [p.id for p in papers] == ["arxiv:2210.02747", title_id("Second")]
    assert papers[1].aliases == ("jsonl:W1",)
    assert [d.why for d in identity.duplicates] == ["same id 'jsonl:W1'"]
