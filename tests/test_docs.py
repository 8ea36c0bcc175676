"""Docs are tested: the README's reference and diagram are current, every command and
option has help and is in the README, README commands run, architecture examples run."""

from __future__ import annotations

import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli.docs import commands, example, options
from kg.export import EXPORTERS
from kg.ingest import READERS
from kg.query import QUERIES
from kg.store import STORES

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


#: What each README command must print (regexes on stdout, multiline): a command that
#: exits 0 but answers wrongly fails too. Every README command needs an entry.
README_OUTPUT = {
    "kg build": [r"^398 papers read, 398 extracted and stored", r"^papers: 398$"],
    "kg query evaluated-on ImageNet --with-code": [
        r"Equivariant Contrastive Learning .*https://github\.com/rdangovs/essl"
    ],
    "kg query top-datasets": [r"\Adataset,papers\nImageNet,\d+\n(.+,\d+\n){4}\Z"],
    "kg query leaderboard": [r"^│ title:531d9b27 +│ E-SSL +│ 72\.5% +│ score +│ accuracy +│ ImageNet "],
    "kg query benchmarks": [r"dataset +┃ metric +┃ results +┃ papers"],
    "kg queries": [rf"^{name} " for name in ("evaluated-on", "methods-on", "top-methods")],
    "kg why": [r"^EVALUATED_ON 'ImageNet'", r"72\.5% linear probe accuracy on ImageNet"],
    "kg sparql": [r"\A(?:(?!│).*\n)*(?:│.*│\n){3}└"],
    "kg stats": [r"^papers: 398$", r"^edges: .*EVALUATED_ON \d+"],
    "kg extract": [r"^398 records written to out/pred\.jsonl"],
    "kg evaluate": [r"^datasets_evaluated +0\.\d{3} +0\.\d{3} +0\.\d{3}"],
    "kg view --db out/db -o": [r"^out/graph\.html: \d{3,} nodes, \d{3,} edges"],
    "kg view --db out/db --query": [r"^out/imagenet\.html: \d+ nodes"],
    "kg export --db out/db --format turtle": [r"^\d{5,} records written to out/graph\.ttl"],
    "kg export --db out/db --format jsonld": [r"^\d{5,} records written to out/graph\.jsonld"],
    "kg validate": [r"^out/db: 0 violation\(s\) of kg's shapes$"],
    "kg run": [r"^view: out/graph\.html", r"^export: out/seed\.ttl \(turtle",
               r"^kg query evaluated-on ImageNet --with-code\n", r"│ title:[0-9a-f]{8} │"],
}


def test_readme_commands_run_on_the_seed_data(tmp_path: Path, seeds_dir: Path) -> None:
    """Run in a scratch project beside a ../shared that holds the real seeds, and check
    each command's answer, not only its exit code."""
    work = tmp_path / "project"
    work.mkdir()
    (tmp_path / "shared").symlink_to(seeds_dir.parent)
    (work / "pipelines").symlink_to(ROOT / "pipelines")
    (work / "config").symlink_to(ROOT / "config")  # the alias file pipelines name
    env = {**os.environ, "COLUMNS": "200"}
    for line in readme_commands():
        expected = [v for k, v in README_OUTPUT.items() if line.startswith(k)]
        assert len(expected) == 1, f"README_OUTPUT needs one entry for: {line}"
        argv = shlex.split(line)
        result = subprocess.run([sys.executable, "-m", "kg", *argv[1:]], cwd=work, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{line}\n{result.stderr}"
        said = result.stdout + result.stderr  # counts of written files go to stderr
        for pattern in expected[0]:
            assert re.search(pattern, said, re.M), f"{line}: no {pattern!r} in\n{said}"


def test_readme_library_example_runs(tmp_path: Path, seeds_dir: Path) -> None:
    """The README's Python runs as written, in a project beside ../shared."""
    [block] = re.findall(r"```python\n(.*?)```", README, re.S)
    work = tmp_path / "project"
    (work / "out").mkdir(parents=True)
    (tmp_path / "shared").symlink_to(seeds_dir.parent)
    result = subprocess.run([sys.executable, "-c", block], cwd=work, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Equivariant Contrastive Learning https://github.com/rdangovs/essl" in result.stdout
    assert re.search(r"^\d+\.\d+\.\d+ 398 \d+ \d+$", result.stdout, re.M)
    assert (work / "out" / "library.ttl").stat().st_size > 10**6


def test_architecture_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the examples register plug-ins: they stay this test's, not every later test's
    for registry in (READERS, STORES, QUERIES, EXPORTERS):
        monkeypatch.setattr(registry, "_targets", dict(registry._targets))
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 4
    for block in blocks:
        exec(compile(block, "docs/architecture.md", "exec"), {"tmp": str(tmp_path)})


def _resolves(dotted: str) -> bool:
    """Whether ``kg.a.b.C.d`` names a module, or an attribute reached from one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(target, attr):
                return False
            target = getattr(target, attr)
        return True
    return False


def test_architecture_names_only_what_exists_and_every_folder_and_module() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    groups = {registry.group for registry in (READERS, STORES, EXPORTERS, QUERIES)}
    named = set(re.findall(r"`(kg(?:\.\w+)+)", text))
    assert groups <= named  # the entry-point groups are documented by their real names
    missing = sorted(n for n in named - groups if not _resolves(n))
    assert not missing, f"docs/architecture.md names what is gone: {missing}"
    rows = dict(re.findall(r"^\| `kg/(\w+)/` \| (.*) \|$", text, re.M))
    folders = {p.name for p in (ROOT / "kg").iterdir() if (p / "__init__.py").is_file()}
    assert set(rows) == folders
    for folder, row in rows.items():
        modules = {p.name for p in (ROOT / "kg" / folder).glob("*.py")} - {"__init__.py"}
        mentioned = set(re.findall(r"`(\w+\.py)`", row)) - {"__init__.py"}
        assert mentioned == modules, f"kg/{folder}/: {sorted(mentioned ^ modules)}"
    loose = {p.name for p in (ROOT / "kg").glob("*.py")} - {"__init__.py", "__main__.py"}
    top = text.split("Top-level modules")[1].split("##")[0]
    assert set(re.findall(r"`(\w+\.py)`", top)) == loose
