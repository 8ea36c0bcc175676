"""Each named query on a small hand-built graph whose answers are known."""

from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.query import QUERIES, run_named
from kg.rdf.store import OxigraphStore
from tests.graph_factory import RESULTS_GRAPH, SMALL_GRAPH


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    s = OxigraphStore(tmp_path_factory.mktemp("small") / "db")
    s.upsert(SMALL_GRAPH)
    return s


def titles(table) -> list[str]:
    return [r["title"] for r in table.records()]


def test_evaluated_on_joins_variants_of_a_dataset(store) -> None:
    # "ILSVRC-2012" is an alias of ImageNet; the query is given a variant spelling too
    assert titles(run_named(store, "evaluated-on", {"dataset": "imagenet-1k"})) == ["Alpha", "Beta"]


def test_evaluated_on_with_code_keeps_only_papers_with_a_repository(store) -> None:
    table = run_named(store, "evaluated-on", {"dataset": "ImageNet", "with_code": True})
    assert table.records() == [
        {"paper": table.rows[0][0], "title": "Alpha", "code": "https://github.com/a/alpha"}
    ]
    coco = run_named(store, "evaluated-on", {"dataset": "COCO", "with_code": True})
    # Gamma has two repositories; the answer names the first one alphabetically
    assert [(r["title"], r["code"]) for r in coco.records()] == [
        ("Alpha", "https://github.com/a/alpha"),
        ("Gamma", "https://github.com/g/gamma2"),
    ]


def test_methods_on_and_datasets_for(store) -> None:
    assert run_named(store, "methods-on", {"dataset": "COCO"}).rows == [
        ("ResNet-50", 2),
        ("AlphaNet", 1),
        ("GammaGPT", 1),
    ]
    assert run_named(store, "datasets-for", {"method": "resnet50"}).rows == [
        ("ImageNet", 2),
        ("MS COCO", 2),
        ("LAION-5B", 1),
    ]


def test_top_lists_and_papers_with_code(store) -> None:
    assert run_named(store, "top-methods", {"limit": 2}).rows == [("ResNet-50", 3), ("AlphaNet", 2)]
    assert run_named(store, "top-datasets", {}).rows[:2] == [("ImageNet", 2), ("MS COCO", 2)]
    assert titles(run_named(store, "papers-with-code")) == ["Alpha", "Gamma"]
    assert titles(run_named(store, "papers-on-task", {"task": "Image Classification"})) == [
        "Alpha",
        "Delta",
    ]


def test_arguments_are_checked(store) -> None:
    with pytest.raises(UsageError, match="needs DATASET"):
        run_named(store, "evaluated-on", {})
    with pytest.raises(UsageError, match="takes no argument 'colour'"):
        run_named(store, "top-methods", {"colour": "red"})
    with pytest.raises(UsageError, match="unknown query 'nope'"):
        run_named(store, "nope")


def test_injection_attempts_are_plain_data(store, tmp_path: Path) -> None:
    hostile = '" } } ; DROP ALL ; SELECT * { ?s ?p ?o'
    with pytest.raises(UsageError, match="no dataset"):  # a name, looked up, not run
        run_named(store, "evaluated-on", {"dataset": hostile})
    assert len(run_named(store, "papers-with-code").rows) == 2


def test_an_unknown_name_is_an_error_with_the_closest_names(seed_store) -> None:
    with pytest.raises(UsageError, match=r"no dataset 'ImagNet' in this graph; did you mean "
                                         r"ImageNet\b"):
        run_named(seed_store, "evaluated-on", {"dataset": "ImagNet"})
    with pytest.raises(UsageError, match=r"^\[KG200\] no method 'Zzyzx' in this graph$"):
        run_named(seed_store, "datasets-for", {"method": "Zzyzx"})
    # a name the graph holds answers, even with nothing to list
    assert run_named(seed_store, "evaluated-on", {"dataset": "ImageNet", "with_code": True}).rows


def test_every_named_query_has_both_languages_and_an_example() -> None:
    for name in QUERIES.names():
        q = QUERIES.get(name)
        assert "SELECT" in q.sparql and "RETURN" in q.cypher
        assert q.example.startswith(f"kg query {name}")


@pytest.fixture(scope="module")
def results_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    s = OxigraphStore(tmp_path_factory.mktemp("results") / "db")
    s.upsert(RESULTS_GRAPH)
    return s


def _board(store, **args) -> list[tuple[str, str, str, str]]:
    table = run_named(store, "leaderboard", args)
    return [(r["method"], r["value"], r["kind"], r["measure"]) for r in table.records()]


def test_leaderboard_ranks_by_each_metrics_direction_and_keeps_improvements_apart(
    results_store,
) -> None:
    # FID: lower is better, so 2.1 ranks above 3.4; the 0.5 gain is shown after the scores;
    # ILSVRC-2012 and "Top-1 Acc." are ImageNet and top-1 accuracy
    assert _board(results_store, dataset="ImageNet") == [
        ("EpsNet", "2.1", "score", "FID"),
        ("ZetaGAN", "3.4", "score", "FID"),
        ("EpsNet", "0.5", "improvement", "FID"),
        ("EtaViT", "84.0%", "score", "top-1 accuracy"),
    ]
    table = run_named(results_store, "leaderboard", {"dataset": "imagenet-1k", "limit": 1})
    assert table.columns == [
        "paper", "method", "value", "kind", "measure", "benchmark", "code", "evidence"
    ]
    assert table.records()[0]["code"] == "https://github.com/e/eps"
    assert table.records()[0]["evidence"].startswith("EpsNet reaches 2.1 FID on ImageNet")


def test_leaderboard_filters_by_metric_code_and_variants(results_store) -> None:
    assert [v for _, v, _, _ in _board(results_store, dataset="ImageNet", metric="fid")] == [
        "2.1", "3.4", "0.5"
    ]
    assert _board(results_store, dataset="ImageNet", metric="top1 acc") == [
        ("EtaViT", "84.0%", "score", "top-1 accuracy")
    ]
    assert {m for m, *_ in _board(results_store, dataset="ImageNet", with_code=True)} == {
        "EpsNet"
    }
    with_variants = run_named(
        results_store, "leaderboard", {"dataset": "ImageNet", "include_variants": True}
    )
    assert [r["benchmark"] for r in with_variants.records()][-1] == "ImageNet-R"
    assert len(with_variants.rows) == 5
    with pytest.raises(UsageError, match="no metric 'BLEURT'"):
        run_named(results_store, "leaderboard", {"dataset": "ImageNet", "metric": "BLEURT"})


def test_benchmarks_count_results_and_papers_per_dataset_and_metric(results_store) -> None:
    assert run_named(results_store, "benchmarks").rows == [
        ("ImageNet", "FID", 3, 2),
        ("ImageNet", "top-1 accuracy", 1, 1),
        ("ImageNet-R", "top-1 accuracy", 1, 1),
    ]
