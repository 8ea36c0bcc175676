"""kg validate: the shipped shapes find what is wrong in a store or a file, one line each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.export import export
from kg.rdf.validate import validate_file, validate_store


def test_the_seed_store_and_its_export_conform(seed_store, tmp_path: Path) -> None:
    assert validate_store(seed_store) == []
    out = tmp_path / "seed.jsonld"
    export(seed_store, "jsonld", out)
    assert validate_file(out) == []


def test_a_broken_file_gives_one_line_per_violation_and_exit_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix kg: <https://w3id.org/kg-ml/ns#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/kg-ml/id/paper/p1> a kg:Paper ; dcterms:identifier \"p1\" ;\n"
        "  kg:colour \"red\" .\n",
        encoding="utf-8",
    )
    violations = validate_file(broken)
    paths = {v.path for v in violations}
    assert "http://purl.org/dc/terms/title" in paths  # missing: at least one
    assert "https://w3id.org/kg-ml/ns#colour" in paths  # not in the closed shape
    result = subprocess.run([sys.executable, "-m", "kg", "validate", str(broken)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(violations) and all(ln.startswith("https://") for ln in lines)
    assert f"{len(violations)} violation(s)" in result.stderr


def test_an_unreadable_file_is_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError, match="not readable RDF"):
        validate_file(bad)
    with pytest.raises(InputError, match="no such file"):
        validate_file(tmp_path / "missing.ttl")
