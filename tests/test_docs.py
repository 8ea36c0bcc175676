"""Docs are tested: the README's reference and diagram are current, every command and
option has help and is in the README, README commands run, architecture examples run."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli.docs import commands, example, options

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "scripts"))
from update_readme import render  # noqa: E402


def test_generated_readme_regions_are_current() -> None:
    assert render(README) == README, "run: .venv/bin/python scripts/update_readme.py"


@pytest.mark.parametrize("path,command", commands(), ids=lambda x: str(x))
def test_command_and_options_have_help_and_are_documented(path: str, command) -> None:
    assert command.help, f"{path} has no help"
    assert (example(command) or "").startswith(path), f"{path} has no 'Example: {path} …' line"
    assert f"`{path}" in README, f"{path} missing from README"
    for option in options(command):
        assert option.help, f"{path} {option.opts} has no help"


def readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    lines = [ln.strip() for block in blocks for ln in block.splitlines()]
    return [ln for ln in lines if ln.startswith("kg ") and "neo4j" not in ln]


def test_readme_shows_kg_commands() -> None:
    assert len(readme_commands()) >= 8


def test_readme_commands_run_on_the_seed_data(tmp_path: Path, seeds_dir: Path) -> None:
    """Run in a scratch project beside a ../shared that holds the real seeds."""
    work = tmp_path / "project"
    work.mkdir()
    (tmp_path / "shared").symlink_to(seeds_dir.parent)
    (work / "pipelines").symlink_to(ROOT / "pipelines")
    env = {**os.environ, "COLUMNS": "120"}
    for line in readme_commands():
        argv = shlex.split(line)
        result = subprocess.run([sys.executable, "-m", "kg", *argv[1:]], cwd=work, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{line}\n{result.stderr}"


def test_architecture_examples_run(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 4
    for block in blocks:
        exec(compile(block, "docs/architecture.md", "exec"), {"tmp": str(tmp_path)})
