"""The package's face: ``import kg`` is cheap, its public names work end to end, and the
wheel carries what an installed kg needs (the Neo4j pom, the alias table, the view's
assets)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parents[1]


def test_import_kg_loads_no_heavy_dependency() -> None:
    probe = "import kg, sys; print(sorted({'spacy', 'pyoxigraph', 'neo4j', 'rdflib'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_version_is_the_installed_distributions() -> None:
    assert kg.__version__ == version("kg")
    assert kg.__version__.count(".") == 2


def test_every_public_name_resolves_and_nothing_else_does() -> None:
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name
    assert dir(kg) == sorted(kg.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        kg.nope  # noqa: B018


def test_the_library_walk_builds_asks_exports_and_views(tmp_path: Path, seeds_dir: Path) -> None:
    with kg.open_store("memory") as store:
        report = kg.build([seeds_dir], store)
        assert report.papers_written == store.stats().papers == 398
        table = kg.run_named(store, "evaluated-on", {"dataset": "ImageNet-1k", "limit": 0})
        assert "Equivariant Contrastive Learning" in {row[1] for row in table.rows}
        triples = kg.export_store(store, "turtle", tmp_path / "graph.ttl")
        dataset = kg.to_rdflib(store)
        assert len(dataset) == triples  # the same triples, read by rdflib
        view = kg.view_store(store, tmp_path / "graph.html", max_nodes=50)
        assert view.nodes <= 50 and (tmp_path / "graph.html").stat().st_size > 1000
        graph = kg.to_networkx(store.extractions())
        assert graph.number_of_nodes() > 398


@pytest.mark.slow
def test_the_wheel_carries_the_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = tmp_path.glob("kg-*.whl")
    assert wheel.name.startswith(f"kg-{kg.__version__}-")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert zf.read("kg/neo4j/pom.xml") == (ROOT / "kg/neo4j/pom.xml").read_bytes()
    assert {"kg/resolve/aliases.toml", "kg/viz/template.html", "kg/viz/view.js"} <= names
    assert not any(name.startswith(("tests/", "tools/")) for name in names)
