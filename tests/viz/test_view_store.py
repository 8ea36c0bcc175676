"""view_store: the whole store, a named query's answer, a paper's or an entity's surroundings."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.graph.networkx import to_networkx
from kg.model import paper_id
from kg.rdf.store import OxigraphStore
from kg.viz import view_store
from tests.graph_factory import SMALL_GRAPH


@pytest.fixture
def small_store(tmp_path: Path):
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(SMALL_GRAPH)
        yield store


def test_whole_store(small_store, tmp_path: Path) -> None:
    result = view_store(small_store, tmp_path / "all.html")
    g = to_networkx(SMALL_GRAPH)
    assert (result.nodes, result.edges) == (g.number_of_nodes(), g.number_of_edges())
    assert result.path and result.path.is_file()


def test_paper_answers_bring_their_entities(small_store) -> None:
    result = view_store(small_store, None, query="evaluated-on", query_args={"dataset": "COCO"})
    answers = {paper_id(title="Alpha"), paper_id(title="Gamma")}
    g = to_networkx(ex for ex in SMALL_GRAPH if ex.paper.id in answers)
    assert (result.nodes, result.edges) == (g.number_of_nodes(), g.number_of_edges())
    assert "evaluated-on" in result.html


def test_entity_answers_bring_their_papers(small_store) -> None:
    result = view_store(small_store, None, query="top-methods")
    methods = {
        m.entity.id for ex in SMALL_GRAPH for m in ex.mentions if m.entity.kind.value == "Method"
    }
    papers = {ex.paper.id for ex in SMALL_GRAPH if any(m.entity.id in methods for m in ex.mentions)}
    assert result.nodes == len(methods | papers)


def test_paper_and_entity_neighbourhoods(small_store) -> None:
    beta = view_store(small_store, None, paper=paper_id(title="Beta"))
    assert beta.nodes == 4
    assert view_store(small_store, None, paper="beta").nodes == 4  # by title
    assert view_store(small_store, None, paper=paper_id(title="Beta"), hops=2).nodes > 4
    resnet = view_store(small_store, None, entity="resnet 50")  # resolved like queries
    assert resnet.nodes == 4
    budget = view_store(small_store, None, entity="ResNet-50", hops=2, max_nodes=3)
    assert budget.nodes == 3 and budget.dropped_nodes > 0 and "the entity" in budget.message


def test_usage_errors(small_store) -> None:
    with pytest.raises(UsageError, match="one focus"):
        view_store(small_store, None, paper="x", entity="y")
    with pytest.raises(UsageError, match="no paper"):
        view_store(small_store, None, paper="no such paper")
    with pytest.raises(UsageError, match="no entity"):
        view_store(small_store, None, entity="no such thing")


def test_seed_store_query_view(seed_store, tmp_path: Path) -> None:
    result = view_store(seed_store, tmp_path / "q.html", query="top-datasets", max_nodes=300)
    assert 0 < result.nodes <= 300
    assert result.path and result.path.read_text(encoding="utf-8") == result.html
