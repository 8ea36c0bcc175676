"""kg.graph.networkx: extractions → networkx, neighbourhoods and node budgets."""

from __future__ import annotations

import pickle

import pytest

from kg.errors import UsageError
from kg.graph.networkx import neighbourhood, to_networkx, top_k
from kg.model import Paper, PaperExtraction, Relation, paper_id
from kg.resolve.variants import VARIANT_OF, family
from tests.graph_factory import SMALL_GRAPH, make_extraction

R = Relation


def pid(title: str) -> str:
    return paper_id(title=title)


def test_small_graph_counts_and_attributes() -> None:
    g = to_networkx(SMALL_GRAPH)
    papers = [n for n, a in g.nodes(data=True) if a["kind"] == "Paper"]
    assert len(papers) == 4
    entities = {m.entity.id for ex in SMALL_GRAPH for m in ex.mentions}
    assert g.number_of_nodes() == 4 + len(entities)
    assert g.number_of_edges() == len(
        {(ex.paper.id, m.entity.id, m.relation) for ex in SMALL_GRAPH for m in ex.mentions}
    )
    alpha = g.nodes[pid("Alpha")]
    assert (alpha["title"], alpha["label"], alpha["url"]) == ("Alpha", "Alpha", None)
    # "ImageNet" and "ILSVRC-2012" resolve to one dataset node that keeps both spellings
    imagenet = next(n for n, a in g.nodes(data=True) if a["label"] == "ImageNet")
    assert g.nodes[imagenet]["kind"] == "Dataset"
    assert g.nodes[imagenet]["surface_forms"] == ["ImageNet", "ILSVRC-2012"]
    code = g.nodes["coderepository:github.com/a/alpha"]
    assert code["url"] == "https://github.com/a/alpha"
    assert g.in_degree("method:resnet50") == 3


def test_edges_are_keyed_by_relation_with_evidence_sentences() -> None:
    abstract = "We propose AlphaNet. AlphaNet beats all. We test on ImageNet."
    ex = make_extraction(
        "Alpha", [(R.PROPOSES, "AlphaNet"), (R.EVALUATED_ON, "ImageNet")], abstract=abstract
    )
    g = to_networkx([ex])
    edge = g.edges[pid("Alpha"), "method:alphanet", "PROPOSES"]
    assert edge["relation"] == "PROPOSES"
    [evidence] = edge["evidence"]
    assert evidence["sentence"] == abstract  # the factory's sentence spans the abstract
    assert (evidence["surface"], evidence["extractor"]) == ("AlphaNet", "test.v1")
    assert abstract[evidence["start"] : evidence["end"]] == "AlphaNet"


def test_a_dataset_variant_links_to_its_family_once() -> None:
    graph = to_networkx(
        [
            make_extraction(
                "One", [(R.EVALUATED_ON, "ImageNet-R"), (R.EVALUATED_ON, "CIFAR10-LT")]
            ),
            make_extraction("Two", [(R.EVALUATED_ON, "ImageNet-R"), (R.EVALUATED_ON, "ImageNet")]),
        ]
    )
    variant_edges = [(u, v) for u, v, k in graph.edges(keys=True) if k == VARIANT_OF]
    assert sorted(variant_edges) == [
        ("dataset:cifar10lt", "dataset:cifar10"),
        ("dataset:imagenetr", "dataset:imagenet"),
    ]
    # the family no paper names is a node of its own; the one a paper names keeps its form
    assert graph.nodes["dataset:cifar10"]["name"] == "CIFAR-10"
    assert graph.nodes["dataset:cifar10"]["surface_forms"] == []
    assert graph.nodes["dataset:imagenet"]["surface_forms"] == ["ImageNet"]
    assert graph.in_degree("dataset:imagenet") == 2  # paper Two and the variant


def test_paper_urls_prefer_arxiv_and_only_http_links() -> None:
    arxiv = Paper(
        id="arxiv:2401.00001",
        title="A",
        abstract="",
        arxiv_id="2401.00001",
        url="https://example.org/a",
    )
    doi = Paper(id="doi:10.1/x", title="B", abstract="", doi="10.1/x", url="javascript:alert(1)")
    g = to_networkx([PaperExtraction(arxiv), PaperExtraction(doi)])
    assert g.nodes["arxiv:2401.00001"]["url"] == "https://arxiv.org/abs/2401.00001"
    assert g.nodes["doi:10.1/x"]["url"] == "https://doi.org/10.1/x"


def test_seed_graph_counts(seed_extractions) -> None:
    g = to_networkx(seed_extractions)
    papers = {ex.paper.id for ex in seed_extractions}
    named = {m.entity for ex in seed_extractions for m in ex.mentions}
    variants = {(e.id, family(e).id) for e in named if family(e)}
    entities = {e.id for e in named} | {f for _, f in variants}
    assert ("dataset:imagenetr", "dataset:imagenet") in variants
    assert g.number_of_nodes() == len(papers | entities)
    assert g.number_of_edges() == len(variants) + len(
        {
            (ex.paper.id, m.entity.id, m.relation.value)
            for ex in seed_extractions
            for m in ex.mentions
        }
    )
    assert sum(len(d["evidence"]) for *_, d in g.edges(data=True)) <= sum(
        len(ex.mentions) for ex in seed_extractions
    )
    assert pickle.loads(pickle.dumps(g)).number_of_edges() == g.number_of_edges()


def test_neighbourhood_follows_edges_both_ways() -> None:
    g = to_networkx(SMALL_GRAPH)
    one = neighbourhood(g, pid("Beta"), 1)
    assert set(one) == {pid("Beta"), "method:resnet50", "dataset:imagenet", "dataset:laion5b"}
    two = neighbourhood(g, pid("Beta"), 2)
    assert {pid("Alpha"), pid("Gamma")} <= set(two) and pid("Delta") not in two
    assert set(neighbourhood(g, "method:resnet50", 1)) == {
        "method:resnet50",
        pid("Alpha"),
        pid("Beta"),
        pid("Gamma"),
    }
    assert set(neighbourhood(g, [pid("Beta"), pid("Delta")], 0)) == {pid("Beta"), pid("Delta")}
    assert one.edges[pid("Beta"), "method:resnet50", "USES"]["evidence"]
    with pytest.raises(UsageError, match="no node"):
        neighbourhood(g, "paper:missing", 1)


def test_top_k_keeps_best_connected_and_counts_the_cut() -> None:
    g = to_networkx(SMALL_GRAPH)
    cut = top_k(g, 5)
    assert cut.graph.number_of_nodes() == 5
    assert cut.dropped_nodes == g.number_of_nodes() - 5
    assert cut.dropped_edges == g.number_of_edges() - cut.graph.number_of_edges()
    # shared entities and the papers naming them come before one-off entities
    assert "method:resnet50" in cut.graph and "method:gammagpt" not in cut.graph
    assert list(top_k(g, 5).graph) == list(cut.graph)  # deterministic
    pinned = top_k(g, 2, keep=["method:gammagpt", "missing"])
    assert "method:gammagpt" in pinned.graph and pinned.graph.number_of_nodes() == 2
    assert top_k(g, 100) == (g, 0, 0)
    assert top_k(g, 0).graph.number_of_nodes() == 0
    with pytest.raises(UsageError):
        top_k(g, -1)
