"""The embedded store's index kept on a real Fuseki (kg.fuseki.remote): what two writers
taking turns, a write cut off half-way and a server that takes no uploads leave behind is,
quad for quad, what the embedded store holds after the same batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.fuseki import remote
from kg.fuseki.protocol import SparqlClient
from kg.fuseki.remote import ServerIndex, quad_text
from kg.fuseki.store import SparqlStore
from kg.model import PaperExtraction
from kg.rdf.store import OxigraphStore
from tests.fuseki.test_store import _embedded, _stored
from tests.neo4j.test_store import answer

pytestmark = pytest.mark.fuseki


def _batches(extractions: list[PaperExtraction]) -> list[list[PaperExtraction]]:
    """Three batches; the second replaces ten papers of the first."""
    third = len(extractions) // 3
    return [extractions[:third], extractions[third - 10 : 2 * third], extractions[2 * third :]]


def _embedded_after(tmp_path: Path, batches: list[list[PaperExtraction]]) -> OxigraphStore:
    store = OxigraphStore(tmp_path / "embedded")
    for batch in batches:
        store.upsert(batch)
    return store


def test_two_writers_taking_turns_keep_the_index_whole(
    sparql_store: SparqlStore, fuseki_endpoint: str, tmp_path: Path,
    seed_extractions: list[PaperExtraction],
) -> None:
    """The first writer's third batch comes after another writer's: what it read of the
    index before is stale, and the stamp tells it so."""
    first, second, third = _batches(seed_extractions)
    sparql_store.upsert(first)
    with SparqlStore.open(endpoint=fuseki_endpoint) as other:
        other.upsert(second)
    sparql_store.upsert(third)
    with _embedded_after(tmp_path, [first, second, third]) as embedded:
        assert _stored(sparql_store) == _embedded(embedded)
        assert sparql_store.stats() == embedded.stats()
        for name in ("top-methods", "top-datasets", "papers-with-code"):
            assert answer(sparql_store, name, {}) == answer(embedded, name, {})


@pytest.mark.parametrize("gsp", ["none", "no-such-service"])
def test_a_server_without_uploads_is_sent_updates(
    gsp: str, sparql_store: SparqlStore, fuseki_endpoint: str, tmp_path: Path,
    seed_extractions: list[PaperExtraction], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Told not to upload, or answered 404 where it uploads, the store writes the same
    quads by SPARQL Update alone."""
    url = "none" if gsp == "none" else f"{fuseki_endpoint}/{gsp}"
    monkeypatch.setenv("KG_SPARQL_GSP_ENDPOINT", url)
    batches = _batches(seed_extractions)
    with SparqlStore.open(endpoint=fuseki_endpoint) as store:
        for batch in batches:
            store.upsert(batch)
        assert store.client.gsp_endpoint is None
        with _embedded_after(tmp_path, batches) as embedded:
            assert _stored(sparql_store) == _embedded(embedded)


def test_a_write_cut_off_in_its_index_is_recounted(
    sparql_store: SparqlStore, fuseki_endpoint: str, tmp_path: Path,
    seed_extractions: list[PaperExtraction], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The papers are written, the index not moved: readers see it a batch behind, and
    the next writer recounts it whole."""
    first, second, _ = _batches(seed_extractions)
    sparql_store.upsert(first)

    def cut_off(*_: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(ServerIndex, "count_pairs", cut_off)
        with pytest.raises(KeyboardInterrupt):
            sparql_store.upsert(second)
    with SparqlStore.open(endpoint=fuseki_endpoint, read_only=True) as reader:
        assert reader.stats().papers == len({ex.paper.id for ex in first})  # a batch behind
    with SparqlStore.open(endpoint=fuseki_endpoint) as writer:
        assert not writer.index.holds(writer.index.writing)
        recounted = _stored(writer)
    with _embedded_after(tmp_path, [first, second]) as embedded:
        answers = {name: answer(embedded, name, {}) for name in ("top-methods", "top-datasets")}
        with SparqlStore.open(endpoint=fuseki_endpoint, read_only=True) as reader:
            for name, expected in answers.items():
                assert answer(reader, name, {}) == expected
        embedded_quads = _embedded(embedded)
    # a recount ranks every entity at once where batches raised the floor step by step
    rankings = {q for q in embedded_quads if q[2].endswith("#ranking>")}
    assert recounted - {q for q in recounted if q[2].endswith("#ranking>")} == (
        embedded_quads - rankings
    )


def test_the_writing_mark_is_cleared_after_the_index_it_guards_is_sent(
    sparql_store: SparqlStore, fuseki_endpoint: str, seed_store: OxigraphStore,
    seed_extractions: list[PaperExtraction], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A recount (a writer opening on a marked index) sends the new index in uploads; the
    update that clears the mark comes after the last of them, so a recount cut off
    anywhere leaves the mark for the next writer."""
    sparql_store.upsert(seed_extractions)
    mark = sparql_store.index.writing
    sparql_store.client.update(f"INSERT DATA {{ {quad_text(mark)} }}")
    sent: list[tuple[str, str]] = []
    update, upload = SparqlClient.update, SparqlClient.upload

    def recorded_update(client: SparqlClient, text: str) -> None:
        sent.append(("update", text))
        update(client, text)

    def recorded_upload(client: SparqlClient, nquads: bytes) -> bool:
        sent.append(("upload", nquads.decode()))
        return upload(client, nquads)

    with monkeypatch.context() as patch:
        patch.setattr(remote, "UPLOAD_MIN", 1)  # every write an upload, as at scale
        patch.setattr(SparqlClient, "update", recorded_update)
        patch.setattr(SparqlClient, "upload", recorded_upload)
        with SparqlStore.open(endpoint=fuseki_endpoint) as writer:
            assert not writer.index.holds(writer.index.writing)
            assert writer.stats() == seed_store.stats()
            assert answer(writer, "top-methods", {}) == answer(seed_store, "top-methods", {})
    uploads = [i for i, (kind, _) in enumerate(sent) if kind == "upload"]
    cleared = [i for i, (kind, text) in enumerate(sent)
               if kind == "update" and f"({mark.subject} {mark.predicate})" in text
               and "DELETE" in text]
    assert uploads and cleared
    assert cleared[-1] > uploads[-1]
