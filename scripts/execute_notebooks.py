"""Re-execute the notebooks and save them with their outputs.

    .venv/bin/python scripts/execute_notebooks.py                     # every notebooks/*.ipynb
    .venv/bin/python scripts/execute_notebooks.py 02_analysis_networkx.ipynb

The notebooks are stored executed so that they show their answers where they are browsed;
tests/notebooks/test_notebooks.py re-executes them and fails when a stored output differs
from a fresh one (after ``normalised``, which drops what legitimately varies between runs and
machines). Run this after changing a notebook or anything whose output it shows.

A cell that raises stops the run and nothing is saved. ``03_neo4j.ipynb`` needs a Neo4j with
an empty database: by default one is started with kg's own launcher (Java 17 and
``.neo4j/lib``: ``make neo4j-jars``) in a temporary home and stopped afterwards;
``--neo4j-uri URI`` uses a running one instead (refused unless it holds no papers).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
#: Notebooks that talk to a Neo4j server (given NEO4J_URI).
NEEDS_NEO4J = {"03_neo4j.ipynb"}
TIMEOUT_S = 600

# What varies between runs and machines, not between versions of the notebook.
_VARYING = [
    (re.compile(re.escape(str(ROOT))), "<root>"),
    # an installed package's path (a warning's source) depends on where the venv lives
    (re.compile(r"[^\s'\"]*/site-packages/"), "<site-packages>/"),
    (re.compile(re.escape(tempfile.gettempdir()) + r"/[^\s'\"]*"), "<tmp>"),
    (re.compile(r"\bat 0x[0-9a-fA-F]+"), "at 0x…"),
    (re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?"), "<time>"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|seconds)\b(?= |$|[,;)\n])"), "<dur>"),
    (re.compile(r"bolt://127\.0\.0\.1:\d+"), "bolt://127.0.0.1:<port>"),
]
# Pictures are compared by kind, not by bytes: the rendering differs with font libraries.
_PICTURES = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf")
# stderr lines a fresh machine prints once, whatever the notebook.
_CHATTER = re.compile(r"^Matplotlib is building the font cache.*\n?", re.M)


def _text(value: Any) -> str:
    text = "".join(value) if isinstance(value, list) else str(value)
    for pattern, replacement in _VARYING:
        text = pattern.sub(replacement, text)
    return text


def normalised(nb: nbformat.NotebookNode) -> list[list[dict[str, Any]]]:
    """Each code cell's outputs, minus what legitimately varies: execution counts, metadata,
    timings and timestamps, temporary and project paths, memory addresses, ports, the bytes
    of pictures."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            kind = out["output_type"]
            if kind == "stream":
                text = _text(out["text"])
                if out["name"] == "stderr":
                    text = _CHATTER.sub("", text)
                if text:
                    outputs.append({"stream": out["name"], "text": text})
            elif kind in ("display_data", "execute_result"):
                data = {
                    mime: f"<{mime}>" if mime in _PICTURES else _text(value)
                    for mime, value in sorted(out.get("data", {}).items())
                }
                outputs.append({"data": data})
            elif kind == "error":
                outputs.append({"error": f"{out['ename']}: {_text(out['evalue'])}"})
        cells.append(outputs)
    return cells


@contextmanager
def _environ(env: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute(path: Path, env: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """Run ``path`` top to bottom in a fresh kernel started in notebooks/, ``env`` added to
    the kernel's environment; a cell that raises raises ``CellExecutionError``."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        record_timing=False,  # no per-cell timestamps in the stored notebook
        resources={"metadata": {"path": str(path.parent)}},
    )
    with _environ(env or {}):
        client.execute()
    nb.metadata.get("language_info", {}).pop("version", None)  # the machine's Python
    return nb


@contextmanager
def neo4j_for_notebooks(uri: str | None) -> Iterator[str]:
    """The URI of an empty Neo4j: ``uri`` (checked) or a temporary server of our own."""
    sys.path.insert(0, str(ROOT))
    from kg.neo4j import server
    from kg.neo4j.store import Neo4jStore

    if uri:
        with Neo4jStore.open(uri=uri) as store:
            if store.stats().papers:
                raise SystemExit(f"{uri} holds papers; the stored outputs need an empty database")
        yield uri
        return
    with tempfile.TemporaryDirectory(prefix="kg-notebooks-neo4j-") as home:
        handle = server.start(
            Path(home), bolt_port=server.free_port(), heap="768m", pagecache="64m", timeout=240.0
        )
        try:
            yield handle.uri
        finally:
            server.stop(Path(home))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="notebook file names (default: all)")
    parser.add_argument("--neo4j-uri", help="an empty running Neo4j for " + ", ".join(NEEDS_NEO4J))
    args = parser.parse_args(argv)
    paths = [NOTEBOOKS / Path(n).name for n in args.names] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        print(f"executing {path.relative_to(ROOT)} …", flush=True)
        if path.name in NEEDS_NEO4J:
            with neo4j_for_notebooks(args.neo4j_uri) as uri:
                nb = execute(path, {"NEO4J_URI": uri})
        else:
            nb = execute(path)
        nbformat.write(nb, path)
        print(f"saved {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
