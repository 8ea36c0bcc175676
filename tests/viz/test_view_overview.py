"""The default view (an overview), finding a paper by id, arXiv id or title, page titles."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.graph.networkx import PAPER, to_networkx
from kg.model import Paper, PaperExtraction, paper_id
from kg.query.papers import find_stored_paper, paper_keys
from kg.rdf.store import MemoryStore, OxigraphStore
from kg.viz import view_store
from kg.viz.store import (
    OVERVIEW_NODES,
    SHARED_BY,
    first_sentence,
    overview,
    query_title,
    view_graph,
)
from tests.graph_factory import RESULTS_GRAPH, SMALL_GRAPH, R, make_extraction

ENTITY_KINDS = {"Method", "Dataset", "Task", "Metric"}


def data_of(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert block, "data block missing"
    return json.loads(block.group(1))


def papers(*titles: str, arxiv: dict[str, str] | None = None) -> list[PaperExtraction]:
    arxiv = arxiv or {}
    out = []
    for title in titles:
        ex = make_extraction(title, [(R.USES, "ResNet-50")])
        aid = arxiv.get(title)
        paper = Paper(
            id=paper_id(title=title, arxiv_id=aid),
            title=title,
            abstract=ex.paper.abstract,
            arxiv_id=aid,
        )
        out.append(PaperExtraction(paper, ex.mentions))
    return out


TITLES = (
    "FlowAR: Scale-wise Autoregressive Image Generation Meets Flow Matching",
    "Flow Matching for Generative Modeling",
    "Flow Straight and Fast",
    "Beta",
    "Beta Two",
)
GRAPH = to_networkx(papers(*TITLES, arxiv={"Flow Straight and Fast": "2209.03003v2"}))


def find_paper(extractions: list[PaperExtraction], given: str) -> str:
    """The id ``kg view --paper`` centres on, over a store of ``extractions``."""
    with MemoryStore(None) as store:
        store.upsert(extractions)
        return find_stored_paper(store, given)


FLOW_PAPERS = papers(*TITLES, arxiv={"Flow Straight and Fast": "2209.03003v2"})


@pytest.mark.parametrize(
    ("given", "title"),
    [
        ("FlowAR", TITLES[0]),  # a unique prefix
        ("  flowar:  scale-WISE ", TITLES[0]),  # case and spaces do not matter
        ("flow matching for generative modeling", TITLES[1]),
        ("Beta", "Beta"),  # an exact title wins over the longer one it starts
        ("2209.03003", TITLES[2]),  # arXiv id, bare, prefixed, versioned or as a URL
        ("arxiv:2209.03003", TITLES[2]),
        ("arXiv:2209.03003v5", TITLES[2]),
        ("https://arxiv.org/abs/2209.03003v1", TITLES[2]),
        (paper_id(title="Beta Two"), "Beta Two"),  # the id itself
    ],
)
def test_find_paper(given: str, title: str) -> None:
    assert GRAPH.nodes[find_paper(FLOW_PAPERS, given)]["title"] == title


def test_find_paper_errors_are_one_line() -> None:
    with pytest.raises(UsageError) as ambiguous:
        find_paper(FLOW_PAPERS, "flow")
    text = str(ambiguous.value)
    assert "'flow' starts 3 paper titles" in text and "\n" not in text
    assert all(t[:40] in text for t in TITLES[:3]) and "Beta" not in text
    many = papers(*(f"Flow {i}" for i in range(8)))
    shown = r"starts 8 paper titles: Flow 0 \(title:[0-9a-f]{8}\); .*Flow 4 \(title:\w+\); …;"
    with pytest.raises(UsageError, match=shown) as cut:  # each with the id that picks it
        find_paper(many, "Flow")
    assert "Flow 5" not in str(cut.value)
    for nothing in ("Gamma", "", "2301.00001"):
        with pytest.raises(UsageError, match="no paper") as missing:
            find_paper(FLOW_PAPERS, nothing)
        assert "\n" not in str(missing.value)


def test_paper_keys_fold_versions() -> None:
    assert paper_keys("2111.00899v2") == ["2111.00899v2", "arxiv:2111.00899"]
    assert paper_keys("FlowAR") == ["FlowAR"]
    assert paper_keys("doi:10.1000/ABC") == ["doi:10.1000/ABC", "doi:10.1000/abc"]


def test_view_by_arxiv_id_and_title_prefix(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert([*SMALL_GRAPH, *papers(*TITLES[:3], arxiv={TITLES[0]: "2412.15205v1"})])
        by_id = view_store(store, None, paper="2412.15205v3")
        by_title = view_store(store, None, paper="flowar")
        ids = [{n["id"] for n in data_of(v.html)["nodes"]} for v in (by_id, by_title)]
        assert ids[0] == ids[1] == {"arxiv:2412.15205", "method:resnet50"}
        assert data_of(by_id.html)["title"] == f"kg: {TITLES[0]}"
        with pytest.raises(UsageError, match="starts 3 paper titles: Flow Matching"):
            view_store(store, None, paper="flow")


def test_query_titles_are_readable() -> None:
    assert query_title("evaluated-on", {"dataset": "ImageNet", "with_code": True}) == (
        "kg: evaluated-on ImageNet (with code)"
    )
    assert query_title("evaluated-on", {"dataset": "COCO", "with_code": False}) == (
        "kg: evaluated-on COCO"
    )
    assert query_title("top-datasets", {"limit": 10}) == "kg: top-datasets (first 10)"
    assert query_title("papers-with-code", None) == "kg: papers-with-code"


def test_query_view_title_shows_no_python(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(SMALL_GRAPH)
        args = {"dataset": "COCO", "with_code": False}
        page = view_store(store, None, query="evaluated-on", query_args=args).html
    assert "<title>kg: evaluated-on COCO</title>" in page
    assert "with_code" not in page.split("</title>")[0] and "False" not in data_of(page)["title"]


def test_first_sentence() -> None:
    assert first_sentence("We study X. Then Y.") == "We study X. Then Y."  # too short alone
    assert first_sentence("Models, e.g. GPT-3.5, scale well. We show why.") == (
        "Models, e.g. GPT-3.5, scale well."
    )
    assert first_sentence("A  long\nline " + "word " * 100).endswith("…")
    assert len(first_sentence("word " * 100)) == 280


def test_paper_tooltips_carry_summary_and_code(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(SMALL_GRAPH)
        result = view_store(store, None)  # four papers: the whole graph, overview styling
    data = data_of(result.html)
    assert data["title"] == "kg: whole graph" and result.message == ""
    alpha = next(n for n in data["nodes"] if n["name"] == "Alpha")
    assert alpha["summary"] == "It mentions AlphaNet."
    assert alpha["code"] == "https://github.com/a/alpha"
    gamma = next(n for n in data["nodes"] if n["name"] == "Gamma")
    assert gamma["code"] == "https://github.com/g/gamma2"  # the first of two, by URL
    assert all("summary" not in n for n in data["nodes"] if n["kind"] != PAPER)
    assert data["options"]["nodes"]["scaling"]["label"]["min"] >= 30  # entity labels large


def test_overview_of_the_seed_graph(seed_extractions, seed_store, tmp_path: Path) -> None:
    graph = view_graph(seed_extractions)
    cut = overview(graph)
    shown = cut.graph
    kinds = Counter(a["kind"] for _n, a in shown.nodes(data=True))
    assert shown.number_of_nodes() <= OVERVIEW_NODES < graph.number_of_nodes()
    assert set(kinds) == {PAPER} | ENTITY_KINDS  # one-paper kinds (code, links) are leaves
    assert min(kinds[k] for k in ENTITY_KINDS - {"Metric"}) >= 15  # kinds take turns
    assert cut.dropped_nodes == graph.number_of_nodes() - shown.number_of_nodes()
    assert cut.dropped_edges == graph.number_of_edges() - shown.number_of_edges()
    for kind in ENTITY_KINDS:  # the most connected entity of every kind is in
        entities = [n for n, a in graph.nodes(data=True) if a["kind"] == kind]
        top = max(entities, key=lambda n: len(set(graph.predecessors(n))))
        assert top in shown, (kind, graph.nodes[top]["name"])
    names = {a["name"] for _n, a in shown.nodes(data=True)}
    assert {"ImageNet", "BERT", "accuracy", "CIFAR-10"} <= names
    for node, attrs in shown.nodes(data=True):  # no isolated dots
        assert shown.degree(node) >= 1, attrs["name"]
        if attrs["kind"] != PAPER:
            assert len(set(graph.predecessors(node))) >= SHARED_BY
    assert overview(graph).graph.nodes == shown.nodes  # the same graph, the same cut
    small = overview(graph, 40).graph
    assert (
        small.number_of_nodes() <= 40
        and {a["kind"] for _n, a in small.nodes(data=True)} | {PAPER} > ENTITY_KINDS
    )

    result = view_store(seed_store, tmp_path / "overview.html")
    data = data_of(result.html)
    assert result.nodes == len(data["nodes"]) <= OVERVIEW_NODES
    assert data["title"] == "kg: overview" and "Overview:" in result.message
    assert "methods" in result.message and f"{result.dropped_nodes:,}" in result.message
    assert view_store(seed_store, None, max_nodes=50).nodes <= 50  # max_nodes caps it too
    flowar = next(n for n in data["nodes"] if n["name"].startswith("FlowAR"))
    assert flowar["code"] == "https://github.com/OliverRensu/FlowAR"
    assert flowar["summary"].startswith("Autoregressive (AR) modeling has achieved")


def test_the_leaderboard_view_draws_the_benchmark_papers_with_their_results(
    tmp_path: Path,
) -> None:
    with OxigraphStore(tmp_path / "db") as store:
        store.upsert(RESULTS_GRAPH)
        result = view_store(store, None, query="leaderboard", query_args={"dataset": "ImageNet"})
    data = data_of(result.html)
    assert data["title"] == "kg: leaderboard ImageNet"
    papers = {n["name"]: n for n in data["nodes"] if n["kind"] == PAPER}
    assert set(papers) == {"Epsilon", "Zeta", "Eta"}
    assert papers["Eta"]["results"] == ["84.0% Top-1 Acc. on ILSVRC-2012 — EtaViT"]
    assert len(papers["Zeta"]["results"]) == 2


def test_overview_counts_papers_not_variants_as_an_entity_s_links() -> None:
    # CIFAR-10 is named by no paper: its variants link to it, which does not share it
    variants = [
        make_extraction(f"Long tail {i}", [(R.EVALUATED_ON, f"CIFAR10-{tag}")])
        for i, tag in enumerate(["LT", "C"])
    ]
    filler = papers(*(f"Filler {i}" for i in range(OVERVIEW_NODES)))
    graph = to_networkx([*variants, *filler])
    assert graph.in_degree("dataset:cifar10") == SHARED_BY
    drawn = overview(graph).graph
    assert "method:resnet50" in drawn and "dataset:cifar10" not in drawn
