"""Regenerate the README's generated regions (CLI reference, data-model diagram).

Run after changing a command or the model: .venv/bin/python scripts/update_readme.py
tests/test_docs.py fails when the README is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.cli.docs import reference_markdown  # noqa: E402
from kg.viz.diagram import mermaid  # noqa: E402

REGIONS = {
    "cli-reference": lambda: reference_markdown(),
    "data-model": lambda: f"```mermaid\n{mermaid()}\n```\n",
}


def render(readme: str) -> str:
    for name, make in REGIONS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        readme = pattern.sub(lambda m, make=make: m.group(1) + make() + m.group(2), readme)
    return readme


if __name__ == "__main__":
    path = ROOT / "README.md"
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
