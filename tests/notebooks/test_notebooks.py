"""The notebooks are stored executed, and what they store is what they show today.

Each test runs one notebook top to bottom on the seed data in a fresh kernel (a cell that
raises fails it), checks a few answers, then compares every output with the stored one
after ``normalised`` (scripts/execute_notebooks.py) has dropped what varies between runs
and machines: execution counts, timings, temporary paths, memory addresses, picture bytes.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from execute_notebooks import NEEDS_NEO4J, NOTEBOOKS, execute, normalised  # noqa: E402

REFRESH = ".venv/bin/python scripts/execute_notebooks.py"
TESTED = {"01_quickstart.ipynb", "02_analysis_networkx.ipynb", "03_neo4j.ipynb"}
ALL = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def stale(name: str, stored: nbformat.NotebookNode, fresh: nbformat.NotebookNode) -> str:
    """'' when the stored outputs are the fresh ones, else what differs, first cell first."""
    old, new = normalised(stored), normalised(fresh)
    for i, (was, now) in enumerate(zip(old, new, strict=True)):
        if was != now:
            diff = difflib.unified_diff(
                json.dumps(was, indent=1, ensure_ascii=False).splitlines(),
                json.dumps(now, indent=1, ensure_ascii=False).splitlines(),
                "stored", "fresh", lineterm="", n=1,
            )
            lines = list(diff)
            shown = "\n".join(lines[:40]) + ("\n…" if len(lines) > 40 else "")
            return f"code cell {i + 1} of {name}:\n{shown}"
    return ""


def run_checked(name: str, env: dict[str, str] | None = None) -> str:
    """Execute notebooks/NAME, fail when its stored outputs are stale, return its outputs
    as text for the answer checks."""
    path = NOTEBOOKS / name
    stored = nbformat.read(path, as_version=4)
    fresh = execute(path, env)
    difference = stale(name, stored, fresh)
    if difference:
        pytest.fail(
            f"{name}: the stored outputs are stale; re-execute and save it with "
            f"`{REFRESH} {name}` and commit the notebook. {difference}",
            pytrace=False,
        )
    return json.dumps([c.get("outputs", []) for c in fresh.cells], ensure_ascii=False)


def test_every_notebook_has_a_test() -> None:
    assert set(ALL) == TESTED
    assert NEEDS_NEO4J <= TESTED


@pytest.mark.parametrize("name", ALL)
def test_notebooks_are_stored_executed_without_errors(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    unrun = [i + 1 for i, c in enumerate(code) if c.get("execution_count") is None]
    assert not unrun, f"{name}: code cells {unrun} stored unexecuted; run `{REFRESH} {name}`"
    errors = [o for c in code for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, f"{name}: stored with an error output: {errors[0].get('ename')}"


def test_quickstart_notebook(seeds_dir: Path) -> None:
    text = run_checked("01_quickstart.ipynb")
    assert "398 papers" in text
    assert "triples written" in text
    assert "text/html" in text  # the view, shown in a frame
    assert "<html" in (ROOT / "out" / "notebooks" / "quickstart.html").read_text(encoding="utf-8")


def test_analysis_notebook(seeds_dir: Path) -> None:
    text = run_checked("02_analysis_networkx.ipynb")
    assert "communities; largest sizes" in text
    assert "0 of 398 papers have a date" in text  # Daily Papers dumps carry no paper dates
    assert "image/png" in text  # the degree plot, inline
    assert (ROOT / "out" / "notebooks" / "degrees.png").stat().st_size > 1000


@pytest.mark.neo4j
def test_neo4j_notebook(neo4j_uri: str, neo4j_store: object, seeds_dir: Path) -> None:
    """On the session's Neo4j, emptied first (``neo4j_store``), as the stored run was."""
    text = run_checked("03_neo4j.ipynb", env={"NEO4J_URI": neo4j_uri})
    assert "papers" in text
