"""The notebooks run top to bottom on the seed data (stored without outputs)."""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"


def run_notebook(name: str, env: dict[str, str] | None = None) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    if env:
        import os

        old = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            client.execute()
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    else:
        client.execute()
    return nb


def outputs_text(nb: nbformat.NotebookNode) -> str:
    return json.dumps([c.get("outputs", []) for c in nb.cells])


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebooks_are_stored_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_quickstart_notebook(seeds_dir: Path) -> None:
    nb = run_notebook("01_quickstart.ipynb")
    text = outputs_text(nb)
    assert "398 papers" in text
    assert "triples written" in text
    assert "text/html" in text  # the inline view rendered


def test_analysis_notebook(seeds_dir: Path) -> None:
    nb = run_notebook("02_analysis_networkx.ipynb")
    assert "communities; largest sizes" in outputs_text(nb)
    assert (ROOT / "out" / "notebooks" / "degrees.png").stat().st_size > 1000


@pytest.mark.neo4j
def test_neo4j_notebook(neo4j_uri: str, seeds_dir: Path) -> None:
    nb = run_notebook("03_neo4j.ipynb", env={"NEO4J_URI": neo4j_uri})
    assert "papers" in outputs_text(nb)
