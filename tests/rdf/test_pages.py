"""First pages of the paper lists answer as the full queries do, whatever the upserts did."""

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import EntityKind, PaperExtraction, Relation
from kg.query import run_named
from kg.rdf import lookups, pages
from kg.rdf.index import IndexGraph
from kg.rdf.pages import Page, Row
from kg.rdf.store import MemoryStore, OxigraphStore

titles = st.text(alphabet="abc", max_size=3)
steps = st.lists(
    st.tuples(
        st.lists(st.integers(0, 40), max_size=6),  # papers to drop (if on the list)
        st.lists(st.tuples(st.integers(0, 40), titles), max_size=8),  # papers (re)added
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_a_page_holds_the_first_rows_of_its_list_through_any_changes(
    changes: list[tuple[list[int], list[tuple[int, str]]]],
) -> None:
    page_rows, cap = 3, 6
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages, "PAGE", page_rows)
        mp.setattr(pages, "CAP", cap)
        truth: dict[str, Row] = {}
        page = Page()
        for dropped, added in changes:
            # as in the store: a paper upserted again is first dropped from every list
            removed = {f"p{i}" for i in dropped} | {f"p{i}" for i, _ in added}
            new_rows = {f"p{i}": (title, f"p{i}", ()) for i, title in added}
            for paper in removed:
                truth.pop(paper, None)
            truth |= new_rows
            before = (list(page.rows), page.more)
            if not page.update(removed, new_rows.values()):
                assert (page.rows, page.more) == before
            if page.short:
                page = Page.of(truth.values())
            ordered = sorted(truth.values())
            assert page.rows == ordered[: len(page.rows)]
            assert page.more or page.rows == ordered  # `more` may linger: never wrong
            assert len(page.rows) >= min(page_rows, len(ordered))
            assert len(page.rows) <= cap


def _paper_lists(store: OxigraphStore) -> list[tuple[str, dict[str, object]]]:
    """Every named paper list of the graph: each dataset and task, with and without code."""
    keys = {
        kind: [
            row[0] for row in store.query(f"SELECT ?k WHERE {{ ?e a kg:{kind} ; kg:key ?k }}").rows
        ]
        for kind in ("Dataset", "Task")
    }
    lists: list[tuple[str, dict[str, object]]] = [("papers-with-code", {})]
    for dataset in keys["Dataset"]:
        lists += [("evaluated-on", {"dataset": dataset, "with_code": c}) for c in (False, True)]
    lists += [("papers-on-task", {"task": task}) for task in keys["Task"]]
    return lists


def _answers(store: OxigraphStore, lists: list[tuple[str, dict[str, object]]], limit: int) -> list:
    return [run_named(store, name, args | {"limit": limit}).rows for name, args in lists]


def _full_answers(
    store: OxigraphStore, lists: list[tuple[str, dict[str, object]]], limit: int
) -> list:
    return [run_named(store, name, args | {"limit": 0}).rows[:limit] for name, args in lists]


def _unlisted(ex: PaperExtraction) -> PaperExtraction:
    """The paper off every dataset, task and code list."""
    listed = {Relation.EVALUATED_ON, Relation.ADDRESSES, Relation.RELEASES_CODE}
    return replace(ex, mentions=[m for m in ex.mentions if m.relation not in listed])


def _changed(extractions: list[PaperExtraction]) -> list[PaperExtraction]:
    """Papers upserted again: a third move to the head of every list they are on (new
    titles), a third leave the lists, a third stay as they were."""
    out = []
    for i, ex in enumerate(extractions):
        if i % 3 == 0:
            out.append(replace(ex, paper=replace(ex.paper, title=f"0 {ex.paper.title}")))
        else:
            out.append(_unlisted(ex) if i % 3 == 1 else ex)
    return out


def test_paged_answers_equal_the_full_answers_after_replacements_and_a_recount(
    tmp_path: Path, seed_extractions: list[PaperExtraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    page_rows = 2  # small enough that the seed lists overflow their pages
    for module in (pages, lookups):
        monkeypatch.setattr(module, "PAGE", page_rows)
    monkeypatch.setattr(pages, "CAP", 2 * page_rows)
    refills = []
    list_rows = IndexGraph._list_rows
    monkeypatch.setattr(
        IndexGraph, "_list_rows", lambda self, key: refills.append(key) or list_rows(self, key)
    )
    store = OxigraphStore(tmp_path / "db")
    store.upsert(seed_extractions[:300])  # bulk-loaded
    store.upsert(seed_extractions[300:])  # one transaction
    store.upsert(_changed(seed_extractions[::2]))
    overflowing = [key for key, (page, _) in store.index._pages.items() if page.more]
    store.upsert([_unlisted(ex) for ex in seed_extractions[1::2]])  # pages shrink: refills
    lists = _paper_lists(store)
    assert len(lists) > 100 and len(overflowing) >= 3 and refills  # pages cut, and refilled
    for limit in (1, page_rows):
        assert _answers(store, lists, limit) == _full_answers(store, lists, limit)
    assert sum(bool(rows) for rows in _answers(store, lists, page_rows)) > 100
    assert store.index.first_page(pages.PaperList(None, True), None, page_rows + 1) is None
    answers = _answers(store, lists, page_rows)
    store.index.recount()  # pages rebuilt from a scan of the graph answer alike
    assert _answers(store, lists, page_rows) == answers
    store.close()
    with OxigraphStore(tmp_path / "db", read_only=True) as reader:
        assert _answers(reader, lists, page_rows) == answers


def test_the_code_column_is_the_least_label_of_the_papers_repositories(
    seed_extractions: list[PaperExtraction],
) -> None:
    ex = next(
        e for e in seed_extractions if any(m.entity.kind is EntityKind.CODE for m in e.mentions)
    )
    code = next(m for m in ex.mentions if m.entity.kind is EntityKind.CODE)
    second = replace(
        code, entity=replace(code.entity, key="github.com/0/0", name="https://github.com/0/0")
    )
    store = MemoryStore(None)
    store.upsert([replace(ex, mentions=[*ex.mentions, second])])
    paged = run_named(store, "papers-with-code", {"limit": 5}).rows
    assert paged == run_named(store, "papers-with-code", {"limit": 0}).rows
    assert paged == [(ex.paper.id, ex.paper.title, "https://github.com/0/0")]
