import itertools
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kg.errors import StoreError
from kg.jobs.build import build
from kg.model import EntityKind, PaperExtraction
from kg.query import QUERIES, run_named
from kg.rdf.sealed import FIRST_LABELS, SEALED, SEALED_HASHES
from kg.rdf.sharded import SEALED_COUNTS, ShardedStore
from kg.rdf.store import OxigraphStore
from kg.store import open_store

SHARD = 40  # the ~400 seed papers fill ten shards


def _upsert(store: Any, extractions: Sequence[PaperExtraction], batch: int = 64) -> None:
    for i in range(0, len(extractions), batch):
        store.upsert(extractions[i : i + batch])


@pytest.fixture(scope="module")
def stores(
    tmp_path_factory: pytest.TempPathFactory, seed_extractions: list[PaperExtraction]
) -> Iterator[tuple[OxigraphStore, ShardedStore]]:
    root = tmp_path_factory.mktemp("sharded")
    one, sharded = OxigraphStore(root / "one"), ShardedStore(root / "sharded", shard_papers=SHARD)
    _upsert(one, seed_extractions)
    _upsert(sharded, seed_extractions)
    yield one, sharded
    one.close()
    sharded.close()


def _keys(store: OxigraphStore, kind: EntityKind) -> list[str]:
    rows = store.query(f"SELECT ?k WHERE {{ ?e a kg:{kind.value} ; kg:key ?k }}").rows
    return sorted(str(row[0]) for row in rows)


def _every_question(store: OxigraphStore) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each named question with each stored entity as argument, at several limits."""
    for name in QUERIES.names():
        query = QUERIES.get(name)
        entity = next((p for p in query.params if p.entity is not None), None)
        argsets = [{entity.name: k} for k in _keys(store, entity.entity)] if entity else [{}]
        flags = [p.name for p in query.params if p.name in ("with_code", "include_variants")]
        for args in argsets:
            for limit in (1, 20, 0):
                for on in itertools.product([False, True], repeat=len(flags)):
                    yield name, {**args, "limit": limit, **dict(zip(flags, on, strict=True))}


def test_seeds_fill_shards_of_the_set_size(stores: tuple[OxigraphStore, ShardedStore]) -> None:
    one, sharded = stores
    papers = one.stats().papers
    assert sharded.shard_count == papers // SHARD + 1
    assert [shard.stats().papers for shard in sharded.shards][:-1] == [SHARD] * (papers // SHARD)
    assert sharded.stats() == one.stats()  # entities in several shards count once


def test_every_named_question_has_the_answer_of_one_store(
    stores: tuple[OxigraphStore, ShardedStore],
) -> None:
    one, sharded = stores
    asked = 0
    for name, args in _every_question(one):
        expected = run_named(one, name, args)
        assert run_named(sharded, name, args) == expected, (name, args)
        asked += 1
    assert asked > 1_000


def test_papers_and_exports_read_back_alike(stores: tuple[OxigraphStore, ShardedStore]) -> None:
    one, sharded = stores
    by_id = {ex.paper.id: ex for ex in one.extractions()}
    back = {ex.paper.id: ex for ex in sharded.extractions()}
    assert back == by_id
    some = sorted(by_id)[::37]
    assert sorted(ex.paper.id for ex in sharded.extractions(some)) == some
    assert sharded.content_hashes(some) == one.content_hashes(some)
    quads = list(sharded.quads())
    assert len(quads) == len(set(quads))  # an entity held by several shards is written once
    assert set(quads) == set(one.quads())


def test_raw_sparql_rows_are_concatenated_over_the_shards(
    stores: tuple[OxigraphStore, ShardedStore],
) -> None:
    one, sharded = stores
    text = "SELECT ?id WHERE { ?p a kg:Paper ; dcterms:identifier ?id }"
    assert sorted(sharded.query(text).rows) == sorted(one.query(text).rows)


def test_a_changed_paper_replaces_itself_in_its_own_shard(
    tmp_path: Path, seed_extractions: list[PaperExtraction]
) -> None:
    with ShardedStore(tmp_path / "db", shard_papers=SHARD) as store:
        _upsert(store, seed_extractions)
        before = [shard.stats().papers for shard in store.shards]
        old = seed_extractions[3]
        changed = replace(old, paper=replace(old.paper, title="A new title"), mentions=[])
        store.upsert([changed])
        assert [shard.stats().papers for shard in store.shards] == before
        assert store.homes([old.paper.id, "arxiv:0000.00000"]) == [0, None]
        [back] = store.shard(0).extractions([old.paper.id])
        assert back.paper.title == "A new title" and back.mentions == []
        assert store.stats().papers == len(seed_extractions)


def test_a_writer_finds_sealed_papers_by_their_hashes_or_else_their_lists(
    tmp_path: Path, seed_extractions: list[PaperExtraction]
) -> None:
    db, papers = tmp_path / "db", seed_extractions[: 2 * SHARD + 3]
    with ShardedStore(db, shard_papers=SHARD) as store:
        _upsert(store, papers)
    ids = [ex.paper.id for ex in papers]
    expected = [0] * SHARD + [1] * SHARD + [None] * 3
    sealed = sorted(db.glob(f"shards/*/{SEALED_HASHES}"))
    assert len(sealed) == 2
    for hashes in [None, *sealed]:
        if hashes is not None:  # as a shard sealed by a kg that wrote only the id list
            hashes.unlink()
        with ShardedStore(db) as store:
            assert store.homes([*ids, "arxiv:0000.00000"]) == [*expected, None]
            _upsert(store, papers[::-1])  # each replaces itself where it is
            assert [shard.stats().papers for shard in store.shards] == [SHARD, SHARD, 3]
        assert sorted(db.glob(f"shards/*/{SEALED_HASHES}")) == sealed  # written again


def test_a_sealed_shards_counts_follow_a_change_in_it(
    tmp_path: Path, seed_extractions: list[PaperExtraction]
) -> None:
    papers = seed_extractions[: 2 * SHARD]
    old = next(ex for ex in papers[:SHARD] if ex.mentions)
    mention = old.mentions[0]
    coined = replace(mention.entity, key="a-name-no-paper-has", name="A name no paper has")
    changed = replace(old, mentions=[replace(mention, entity=coined)])
    counts = tmp_path / "db" / "shards" / "00000" / SEALED_COUNTS
    with ShardedStore(tmp_path / "db", shard_papers=SHARD) as store, OxigraphStore(
        tmp_path / "one"
    ) as one:
        _upsert(store, papers)
        _upsert(one, papers)
        assert counts.exists() and store.stats() == one.stats()
        before = one.stats()
        store.upsert([changed])
        one.upsert([changed])
        assert not counts.exists()  # a stale file is never left beside changed data
        after = one.stats()
        assert store.stats() == after != before
        assert counts.exists()
    with ShardedStore(tmp_path / "db", read_only=True) as reader:
        assert reader.stats() == after


def test_a_build_again_writes_nothing_and_a_reopened_writer_fills_on(
    tmp_path: Path, seeds_dir: Path
) -> None:
    db = tmp_path / "db"
    with ShardedStore(db, shard_papers=SHARD) as store:
        first = build([seeds_dir], store)
    with ShardedStore(db) as store:  # the shard size is the store's own
        again = build([seeds_dir], store)
        assert store.shard_papers == SHARD
    assert first.papers_written == first.stats.papers > 0
    assert again.papers_written == 0 and again.stats == first.stats


def test_a_shard_filled_but_not_sealed_is_sealed_by_the_next_writer(
    tmp_path: Path, seed_extractions: list[PaperExtraction]
) -> None:
    db = tmp_path / "db"
    with ShardedStore(db, shard_papers=SHARD) as store:
        store.upsert(seed_extractions[:SHARD])
        assert store.shard_count == 2
    # as if the build had stopped after filling shard 0, before its lists were written
    shutil.rmtree(db / "shards" / "00001")
    (db / "shards" / "00000" / SEALED).unlink()
    (db / "shards" / "00000" / FIRST_LABELS).unlink()
    with ShardedStore(db) as store:
        assert store.shard_count == 1
        store.upsert(seed_extractions[SHARD : 2 * SHARD + 5])
        assert [shard.stats().papers for shard in store.shards] == [SHARD, SHARD, 5]
        assert store.stats().papers == 2 * SHARD + 5


def test_a_sealed_shard_left_half_written_is_recounted_by_the_next_writer(
    tmp_path: Path, seed_extractions: list[PaperExtraction]
) -> None:
    db = tmp_path / "db"
    with ShardedStore(db, shard_papers=SHARD) as store:
        _upsert(store, seed_extractions[: 2 * SHARD])
        expected = store.stats()
    # as a replacement cut off: it removed the shard's counts, then began to write
    (db / "shards" / "00000" / SEALED_COUNTS).unlink()
    with OxigraphStore(db / "shards" / "00000") as shard:
        shard._store.add(shard.index.writing)
    with ShardedStore(db, read_only=True) as reader, pytest.raises(StoreError, match="stopped"):
        reader.stats()
    with ShardedStore(db) as store:
        assert store.stats() == expected
        assert not store.shard(0).read_only  # it had to be opened to write its counts
        assert store.shard(1).read_only  # the other sealed shard was only read
    with ShardedStore(db, read_only=True) as reader:
        assert reader.stats() == expected


def test_the_default_store_opens_either_layout_and_each_class_only_its_own(
    tmp_path: Path,
) -> None:
    ShardedStore(tmp_path / "sharded").close()
    OxigraphStore(tmp_path / "one").close()
    for name, cls in (("sharded", ShardedStore), ("one", OxigraphStore)):
        with open_store("oxigraph", path=tmp_path / name) as store:
            assert type(store) is cls
    with pytest.raises(StoreError, match="a sharded store; open it with --store sharded"):
        OxigraphStore(tmp_path / "sharded")
    with pytest.raises(StoreError, match="not sharded; use --store oxigraph"):
        ShardedStore(tmp_path / "one")


def test_one_writer_or_many_readers(
    tmp_path: Path, seed_extractions: list[PaperExtraction]
) -> None:
    db = tmp_path / "db"
    with open_store("sharded", path=db, shard_papers=SHARD) as store:
        store.upsert(seed_extractions[:50])
        with pytest.raises(StoreError, match="store is in use by another kg process"):
            ShardedStore(db)
        with pytest.raises(StoreError, match="a kg process is writing this store"):
            ShardedStore(db, read_only=True)
    with ShardedStore(db, read_only=True) as first, ShardedStore(db, read_only=True) as second:
        assert first.stats() == second.stats() and first.stats().papers == 50
        with pytest.raises(StoreError, match="store is in use by another kg process"):
            ShardedStore(db)
    with pytest.raises(StoreError, match="no kg store here"):
        ShardedStore(tmp_path / "missing", read_only=True)
