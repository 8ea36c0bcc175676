"""Declarative pipelines: the shipped files are valid, bad files are one clear error, and a
run builds, queries, views and exports the seed papers."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import rdflib

import kg.store
from kg.errors import UsageError
from kg.jobs.pipeline import Pipeline, load_pipeline, parse_pipeline, run_pipeline
from kg.store import Stats, Store

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "pipeline.schema.json").read_text(encoding="utf-8"))
PIPELINES = sorted((ROOT / "pipelines").glob("*.toml"))


@pytest.mark.parametrize("path", PIPELINES, ids=lambda p: p.name)
def test_shipped_pipelines_match_the_schema_and_parse(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)  # every file in pipelines/ is a pipeline
    assert load_pipeline(path).sources


def _from_root_into(pipe: Pipeline, out: Path) -> Pipeline:
    """The pipeline as `kg run` runs it from the project root, its outputs put under out."""

    def root(path: str) -> str:
        return str(ROOT / path)  # an absolute path stays as it is

    def moved(path: str) -> str:
        return str(out / Path(path).name)

    return replace(
        pipe,
        sources=[root(s) for s in pipe.sources],
        aliases=[root(a) for a in pipe.aliases],
        db=moved(pipe.db),
        view=pipe.view and {**pipe.view, "out": moved(pipe.view.get("out", "graph.html"))},
        exports=[{**e, "out": moved(e["out"])} for e in pipe.exports],
    )


@pytest.mark.parametrize("path", PIPELINES, ids=lambda p: p.name)
def test_shipped_pipelines_run_and_build_a_graph_with_entities(
    path: Path, tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kg run pipelines/NAME.toml` from the project root (outputs in tmp_path) builds a graph
    with entities, whatever the store: its stats are taken as the run closes it."""
    built: list[Stats] = []
    real_open = kg.store.open_store

    def open_and_watch(name: str, **options: object) -> Store:
        store = real_open(name, **options)
        close = store.close

        def stats_then_close() -> None:
            built.append(store.stats())
            close()

        store.close = stats_then_close  # type: ignore[method-assign]
        return store

    monkeypatch.setattr(kg.store, "open_store", open_and_watch)
    pipe = _from_root_into(load_pipeline(path), tmp_path)
    run_pipeline(pipe, echo=lambda line: None)
    [stats] = built
    assert stats.papers > 0, f"{path.name}: no papers"
    assert stats.entities, f"{path.name}: {stats.papers} papers but no entities"
    assert all(Path(e["out"]).exists() for e in pipe.exports)


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, r"\[input\] must be dict"),
        ({"input": {"sources": "seeds"}}, "input.sources must be list"),
        ({"input": {"sources": []}, "stor": {}}, r"unknown section \[stor\]"),
        ({"input": {"sources": []}, "export": [{"format": "turtle"}]}, "export.out must be str"),
    ],
)
def test_bad_pipelines_are_rejected_by_both_the_parser_and_the_schema(
    data: dict, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        parse_pipeline(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_invalid_toml_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("[input\nsources = 1", encoding="utf-8")
    with pytest.raises(UsageError, match="invalid TOML"):
        load_pipeline(path)


def test_run_builds_queries_views_and_exports(tmp_path: Path, seeds_dir: Path) -> None:
    pipe = parse_pipeline(
        {
            "input": {"sources": [str(seeds_dir)], "format": "daily-papers"},
            "store": {"db": str(tmp_path / "db")},
            "query": [{"name": "evaluated-on", "args": {"dataset": "ImageNet", "with_code": True}}],
            "view": {"out": str(tmp_path / "graph.html"), "max_nodes": 300},
            "export": [{"format": "turtle", "out": str(tmp_path / "seed.ttl")}],
        }
    )
    said: list[str] = []
    run_pipeline(pipe, echo=said.append)
    assert said[0].startswith(
        f"built {tmp_path / 'db'}: 398 papers read (36 duplicate records read once), "
        "398 extracted"
    )
    graph = rdflib.Graph().parse(tmp_path / "seed.ttl", format="turtle")
    titles = {str(t) for t in graph.objects(None, rdflib.DCTERMS.title)}
    assert "Equivariant Contrastive Learning" in titles and len(titles) == 398
    assert "<html" in (tmp_path / "graph.html").read_text(encoding="utf-8").lower()
    said.clear()
    run_pipeline(pipe, echo=said.append)  # a second run is idempotent: nothing re-extracted
    assert "0 extracted, 398 unchanged" in said[0]


def test_memory_backend_runs_the_job_and_leaves_no_store(tmp_path: Path, seeds_dir: Path) -> None:
    pipe = parse_pipeline(
        {
            "input": {"sources": [str(seeds_dir)]},
            "store": {"backend": "memory", "db": str(tmp_path / "db")},
            "export": [{"format": "turtle", "out": str(tmp_path / "seed.ttl")}],
        }
    )
    said: list[str] = []
    run_pipeline(pipe, echo=said.append)
    assert "398 extracted" in said[0]
    graph = rdflib.Graph().parse(tmp_path / "seed.ttl", format="turtle")
    assert len(set(graph.objects(None, rdflib.DCTERMS.title))) == 398
    assert not (tmp_path / "db").exists()
