"""Pair counts answer methods-on and datasets-for as the full queries do, whatever the
upserts did."""

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from kg.errors import UsageError
from kg.model import Entity, EntityKind, Evidence, Mention, Paper, PaperExtraction, Relation
from kg.query import run_named
from kg.rdf import pairs
from kg.rdf.store import OxigraphStore
from kg.rdf.vocab import RELATION_PROPERTY

EVALUATED_ON = RELATION_PROPERTY[Relation.EVALUATED_ON]
PROPOSES = RELATION_PROPERTY[Relation.PROPOSES]
USES = RELATION_PROPERTY[Relation.USES]
USES_DATASET = RELATION_PROPERTY[Relation.USES_DATASET]


def test_a_paper_counts_once_per_pair_however_many_edges_make_it() -> None:
    edges = [(EVALUATED_ON, "d1"), (USES_DATASET, "d1"), (PROPOSES, "m1"), (USES, "m1")]
    found = Counter(pairs_of for pairs_of in pairs.pairs_of(edges))
    assert found == {
        ((pairs.METHODS_ON.predicate, "d1"), "m1"): 1,
        ((pairs.DATASETS_FOR.predicate, "m1"), "d1"): 1,
    }
    # a dataset only used, not evaluated on, is no methods-on pair
    assert list(pairs.pairs_of([(USES_DATASET, "d1"), (USES, "m1")])) == [
        ((pairs.DATASETS_FOR.predicate, "m1"), "d1")
    ]


paper_edges = st.frozensets(
    st.tuples(st.sampled_from([EVALUATED_ON, USES_DATASET, PROPOSES, USES]), st.sampled_from("ab")),
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), paper_edges), max_size=25))
def test_counts_moved_by_changes_equal_a_count_from_scratch(
    upserts: list[tuple[int, frozenset[tuple[str, str]]]],
) -> None:
    papers: dict[int, frozenset[tuple[str, str]]] = {}
    kept: dict[pairs.PairKey, pairs.Counts] = {}
    for paper, edges in upserts:  # as the store does: a paper upserted again is replaced
        changes = pairs.PairChanges()
        if paper in papers:
            changes.remove(papers[paper])
        changes.add(edges)
        papers[paper] = edges
        for key, delta in changes.changes():
            pairs.apply(kept.setdefault(key, {}), delta, lambda entity: entity.upper())
        scratch = pairs.PairChanges()
        for stored in papers.values():
            scratch.add(stored)
        truth = {key: {e: [e.upper(), n] for e, n in d.items()} for key, d in scratch.changes()}
        assert {key: counts for key, counts in kept.items() if counts} == truth


def _paired_questions(store: OxigraphStore) -> list[tuple[str, dict[str, object]]]:
    """methods-on every dataset and datasets-for every method of the graph."""
    keys = {
        kind: [
            row[0] for row in store.query(f"SELECT ?k WHERE {{ ?e a kg:{kind} ; kg:key ?k }}").rows
        ]
        for kind in ("Dataset", "Method")
    }
    return [("methods-on", {"dataset": d}) for d in keys["Dataset"]] + [
        ("datasets-for", {"method": m}) for m in keys["Method"]
    ]


def _answers(store: OxigraphStore, questions: list[tuple[str, dict[str, object]]]) -> list:
    return [
        run_named(store, name, args | {"limit": limit}).rows
        for name, args in questions
        for limit in (0, 2, pairs.FIRST, pairs.FIRST + 1)  # first rows kept, or counted
    ]


def _changed(extractions: list[PaperExtraction]) -> list[PaperExtraction]:
    """Papers upserted again: a third lose their methods, a third their datasets."""
    methods, datasets = {Relation.PROPOSES, Relation.USES}, {Relation.EVALUATED_ON}
    out = []
    for i, ex in enumerate(extractions):
        drop = (methods, datasets, set())[i % 3]
        out.append(replace(ex, mentions=[m for m in ex.mentions if m.relation not in drop]))
    return out


def test_paired_answers_equal_the_full_answers_after_replacements_and_a_recount(
    tmp_path: Path, seed_extractions: list[PaperExtraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = OxigraphStore(tmp_path / "db")
    store.upsert(seed_extractions[:300])  # bulk-loaded
    store.upsert(seed_extractions[300:])  # one transaction
    store.upsert(_changed(seed_extractions[::2]))
    questions = _paired_questions(store)
    answers = _answers(store, questions)
    assert sum(len(rows) > 1 for rows in answers) > 20  # counts of several entities
    with monkeypatch.context() as mp:  # the same questions answered by SPARQL
        mp.setattr(store.index, "paired", lambda *_: None)
        assert _answers(store, questions) == answers
    store.index.recount()  # counts rebuilt from a scan of the graph answer alike
    assert _answers(store, questions) == answers
    store.close()
    with OxigraphStore(tmp_path / "db", read_only=True) as reader:
        assert _answers(reader, questions) == answers


def _crowded(papers: int) -> list[PaperExtraction]:
    """One dataset every paper is evaluated on, each paper with methods of its own."""
    out = []
    for i in range(papers):
        abstract = f"We propose M{i} and M{i}b and evaluate on CrowdBench."
        ev = Evidence(0, 10, 0, len(abstract), "test")
        dataset = Entity(EntityKind.DATASET, "crowdbench", "CrowdBench")
        mentions = [Mention(Relation.EVALUATED_ON, dataset, "CrowdBench", ev)] + [
            Mention(Relation.PROPOSES, Entity(EntityKind.METHOD, k.lower(), k), k, ev)
            for k in (f"M{i}", f"M{i}b")[: 1 + i % 2]
        ]
        paper = Paper(id=f"title:crowd{i:04d}", title=f"Paper {i}", abstract=abstract)
        out.append(PaperExtraction(paper, mentions))
    return out


def test_first_rows_answer_as_the_counts_do(tmp_path: Path) -> None:
    """Counts of more than FIRST entities keep their first rows, which answer a first
    screen as the counts would, after more papers and after a recount; a store whose
    counts a kg before these rows wrote answers from the counts alike."""
    crowd = _crowded(pairs.FIRST)
    question = [("methods-on", {"dataset": "CrowdBench"})]
    first = NamedNode(pairs.METHODS_ON.first_predicate)
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(crowd[:40])
        assert not list(store._store.quads_for_pattern(None, first, None, None))  # 60 rows
        store.upsert(crowd[40:])
        kept = list(store._store.quads_for_pattern(None, first, None, None))
        assert len(kept) == 1
        answers = _answers(store, question)
        assert len(answers[0]) == 150 and len(answers[1]) == 2
        with pytest.MonkeyPatch.context() as mp:  # the same question answered by SPARQL
            mp.setattr(store.index, "paired", lambda *_: None)
            assert _answers(store, question) == answers
        store.index.recount()
        assert _answers(store, question) == answers
        store._store.remove(kept[0])
        assert _answers(store, question) == answers


def test_an_entity_without_pairs_answers_empty(seed_store: OxigraphStore) -> None:
    datasets = [row[0] for row in run_named(seed_store, "top-datasets", {"limit": 0}).rows]
    unpaired = [d for d in datasets if not run_named(seed_store, "methods-on", {"dataset": d}).rows]
    assert unpaired  # a dataset no method is counted against answers empty, not an error
    with pytest.raises(UsageError, match="no dataset 'no such dataset'"):
        run_named(seed_store, "methods-on", {"dataset": "no such dataset"})
