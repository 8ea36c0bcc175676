"""One contract, every backend: what ``kg.store.base.Store`` promises, checked the same way
on each registered store, so a backend that drifts from the others fails here by name
rather than somewhere downstream (a build, an export, a named question)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.model import PaperExtraction, Relation, paper_id, title_id
from kg.query import QUERIES, run_named
from kg.store import STORES, Capability, Store, open_store

NAMES = ["memory", "oxigraph", "sharded", "neo4j", "sparql"]
BACKENDS = [
    *NAMES[:3],
    pytest.param("neo4j", marks=pytest.mark.neo4j),
    pytest.param("sparql", marks=pytest.mark.fuseki),
]
#: servers: the session fixture that empties one, and the option that opens it
SERVERS = {"neo4j": ("neo4j_store", "uri", "neo4j_uri"),
           "sparql": ("sparql_store", "endpoint", "fuseki_endpoint")}
SIZE = 60
#: small, so the batch spans several shards (some sealed) on the sharded store
SHARD_PAPERS = 25


def _open(name: str, request: pytest.FixtureRequest, path: Path) -> Store:
    if name in SERVERS:
        _, option, address = SERVERS[name]
        return open_store(name, **{option: request.getfixturevalue(address)})
    return open_store(name, path=path, shard_papers=SHARD_PAPERS)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param in SERVERS:
        yield request.getfixturevalue(SERVERS[request.param][0])
        return
    opened = _open(request.param, request, tmp_path / "db")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def batch(seed_extractions: list[PaperExtraction]) -> list[PaperExtraction]:
    """The first SIZE seed papers, one extraction per paper id."""
    first: dict[str, PaperExtraction] = {}
    for ex in seed_extractions:
        first.setdefault(ex.paper.id, ex)
        if len(first) == SIZE:
            break
    assert len(first) == SIZE
    return list(first.values())


def _edges(ex: PaperExtraction) -> list[tuple[str, str]]:
    return sorted({(m.relation.value, m.entity.key) for m in ex.mentions})


def _total(store: Store) -> int:
    return sum(store.stats().edges.values())


def _dataset(batch: list[PaperExtraction]) -> str:
    names = Counter(
        m.entity.name for ex in batch for m in ex.mentions if m.relation is Relation.EVALUATED_ON
    )
    assert names, "the batch evaluates on no dataset"
    return names.most_common(1)[0][0]


def _questions(batch: list[PaperExtraction]) -> list[tuple[str, dict[str, object]]]:
    return [
        ("evaluated-on", {"dataset": _dataset(batch), "limit": 0}),
        ("top-methods", {"limit": 0}),
        ("top-datasets", {"limit": 0}),
        ("papers-with-code", {"limit": 0}),
    ]


def test_class_facts(store: Store, request: pytest.FixtureRequest) -> None:
    name = request.node.callspec.params["store"]
    cls = type(store)
    assert cls.name == name
    assert isinstance(store, STORES.get(name))
    assert issubclass(cls, Store)
    assert cls.query_language in {"sparql", "cypher"}
    assert isinstance(cls.capabilities, frozenset)
    assert all(isinstance(c, Capability) for c in cls.capabilities)
    assert store.parts >= 1


def test_empty_store(store: Store, batch: list[PaperExtraction]) -> None:
    assert store.stats().papers == 0
    assert sum(store.stats().edges.values()) == 0
    assert store.content_hashes([ex.paper.id for ex in batch[:5]]) == {}
    assert list(store.extractions()) == []


def test_upsert_reads_back(store: Store, batch: list[PaperExtraction]) -> None:
    store.upsert(batch)
    ids = [ex.paper.id for ex in batch]
    assert store.stats().papers == len(set(ids))
    assert store.content_hashes(ids) == {ex.paper.id: ex.content_hash for ex in batch}
    assert store.content_hashes(["no-such-paper"]) == {}
    back = {ex.paper.id: ex for ex in store.extractions(ids)}
    assert sorted(back) == sorted(ids)
    for ex in batch:
        got = back[ex.paper.id]
        assert got.paper.title == ex.paper.title
        assert _edges(got) == _edges(ex), ex.paper.id
    assert sorted(ex.paper.id for ex in store.extractions()) == sorted(ids)
    if type(store).name == "sharded":
        assert store.parts == -(-SIZE // SHARD_PAPERS)


def test_upsert_is_idempotent(store: Store, batch: list[PaperExtraction]) -> None:
    store.upsert(batch)
    before = store.stats()
    store.upsert(batch)
    assert store.stats() == before
    assert store.stats().papers == len(batch)


def test_upsert_replaces_a_paper(store: Store, batch: list[PaperExtraction]) -> None:
    store.upsert(batch)
    # the first paper that loses distinct edges when its mentions are cut in half
    ex = next(e for e in batch if len(_edges(e)) > len(set(_edges(_cut(e)))))
    before, full = _total(store), _edges(ex)
    store.upsert([_cut(ex)])
    (got,) = store.extractions([ex.paper.id])
    assert len(_edges(got)) < len(full)
    assert _edges(got) == _edges(_cut(ex))
    after = _total(store)
    assert after < before
    assert before - after == len(full) - len(_edges(got))
    assert store.stats().papers == len(batch)


def _with_ids(ex: PaperExtraction, **ids: object) -> PaperExtraction:
    """``ex`` as a source with these identifiers would give it (``kg.ingest.identity``)."""
    paper = dataclasses.replace(ex.paper, **ids)
    fields = {f: getattr(paper, f) for f in ("arxiv_id", "doi")}
    return dataclasses.replace(
        ex, paper=dataclasses.replace(paper, id=paper_id(title=paper.title, **fields))
    )


def test_identities_find_a_paper_by_any_of_its_ids(
    store: Store, batch: list[PaperExtraction]
) -> None:
    named = _with_ids(batch[0], arxiv_id="2401.00001", doi="10.1/one", aliases=("openalex:W1",))
    store.upsert([named, *batch[1:]])
    title_key = title_id(named.paper.title)
    for key in ("arxiv:2401.00001", "doi:10.1/one", "openalex:W1", title_key):
        found = store.identities([key, "arxiv:9999.99999"])
        assert found == {"arxiv:2401.00001": frozenset(named.paper.identity_keys)}, key
    assert set(store.identities([title_id(batch[1].paper.title)])) == {batch[1].paper.id}
    assert store.identities(["doi:10.1/none", "title:0000000000000000"]) == {}


def test_upsert_removes_the_paper_merged_into_another_id(
    store: Store, batch: list[PaperExtraction]
) -> None:
    store.upsert(batch)
    before = store.stats()
    old = batch[SIZE // 2]  # stored under its title key; now it comes with an arXiv id
    new = _with_ids(old, arxiv_id="2401.00002")
    store.upsert([new])
    assert store.stats() == before  # one paper, under its new id: counts unchanged
    assert store.content_hashes([old.paper.id, new.paper.id]).keys() == {new.paper.id}
    (got,) = store.extractions([new.paper.id])
    assert (got.paper.arxiv_id, _edges(got)) == ("2401.00002", _edges(old))
    assert set(store.identities([old.paper.id])) == {new.paper.id}


def _cut(ex: PaperExtraction) -> PaperExtraction:
    return dataclasses.replace(ex, mentions=ex.mentions[: len(ex.mentions) // 2])


def test_named_questions_answer_as_memory(store: Store, batch: list[PaperExtraction]) -> None:
    store.upsert(batch)
    with open_store("memory") as reference:
        reference.upsert(batch)
        for name, args in _questions(batch):
            want = run_named(reference, name, args)
            got = run_named(store, name, args)
            assert want.rows, f"{name} {args}: nothing to compare"
            assert got.columns == want.columns, name
            assert got.rows == want.rows, name


def test_answer_hook(store: Store, batch: list[PaperExtraction]) -> None:
    store.upsert(batch)
    ready = store.answer(QUERIES.get("top-methods"), {}, 5)
    assert ready is None or ready == run_named(store, "top-methods", {"limit": 5})
    if ready is not None:
        assert len(ready.rows) == 5


def test_raw_query(store: Store, batch: list[PaperExtraction]) -> None:
    store.upsert(batch)
    if store.query_language == "sparql":
        table = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert len(table.columns) == 1
        assert len(table.rows) == store.parts
        assert all(row[0] > 0 for row in table.rows)
    else:
        table = store.query("MATCH (p:Paper) RETURN count(p) AS n")
        assert table.columns == ["n"]
        assert table.rows == [(len(batch),)]


@pytest.mark.parametrize("name", BACKENDS)
def test_flush_and_close(
    name: str,
    batch: list[PaperExtraction],
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if name in SERVERS:
        request.getfixturevalue(SERVERS[name][0])  # the session server, emptied
    closed: list[Store] = []
    opened = _open(name, request, tmp_path / "db")
    original = type(opened).close

    def close(self: Store) -> None:
        closed.append(self)
        original(self)

    monkeypatch.setattr(type(opened), "close", close)
    with opened as entered:
        assert entered is opened
        entered.upsert(batch[:10])
        entered.flush()
        entered.flush()
    assert closed == [opened]
    monkeypatch.undo()
    if name == "memory":
        return
    # what was upserted outlives the store that wrote it (and the store let go of it)
    with _open(name, request, tmp_path / "db") as again:
        assert again.stats().papers == 10
        assert again.content_hashes([batch[0].paper.id]) == {
            batch[0].paper.id: batch[0].content_hash
        }


def test_a_misspelt_name_is_named_alike_by_every_backend(store: Store, batch: list) -> None:
    store.upsert(batch)
    dataset = _dataset(batch)
    with pytest.raises(UsageError, match=f"did you mean {re.escape(dataset)}"):
        run_named(store, "evaluated-on", {"dataset": dataset + "x"})
