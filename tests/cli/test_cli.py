"""The CLI as a user runs it: a real subprocess, exit codes, one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def kg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=300,
    )


@pytest.fixture(scope="module")
def built_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("cli") / "db"
    result = kg("build", str(seeds_dir), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "398 papers read, 398 extracted and stored" in result.stdout
    return db


def test_query_json_output(built_db: Path) -> None:
    result = kg("query", "papers-with-code", "--db", str(built_db), "--format", "json")
    rows = json.loads(result.stdout)
    assert result.returncode == 0 and len(rows) >= 70
    assert all(r["code"].startswith("https://") for r in rows)


def test_stats_and_sparql(built_db: Path) -> None:
    assert "papers: 398" in kg("stats", "--db", str(built_db)).stdout
    result = kg(
        "sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }",
        "--db",
        str(built_db),
        "--format",
        "csv",
    )
    assert result.stdout.splitlines() == ["n", "398"]


def test_sparql_param_is_bound_not_spliced(built_db: Path) -> None:
    text = "SELECT ?p ?t WHERE { ?p dcterms:title ?x . FILTER(STR(?x) = ?t) }"
    title = "Equivariant Contrastive Learning"
    result = kg("sparql", text, "--db", str(built_db), "--param", f"t={title}", "--format", "json")
    assert [r["t"] for r in json.loads(result.stdout)] == [title]


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["build", "/no/such/dir", "--db", "{db}"], 2, "/no/such/dir: no such file or directory"),
        (["query", "nope", "--db", "{db}"], 2, "unknown query 'nope'"),
        (["query", "evaluated-on", "--db", "{db}"], 2, "needs DATASET"),
        (["query", "evaluated-on", "A", "B", "--db", "{db}"], 2, "takes 1 name argument(s)"),
        (["sparql", "SELEKT nothing", "--db", "{db}"], 4, "SPARQL syntax error"),
        (["stats", "--db", "/no/such/db"], 3, "no kg store here"),
        (["build", "{seeds}", "--format", "bogus", "--db", "{db}"], 2, "unknown reader 'bogus'"),
    ],
)
def test_errors_are_one_line_with_a_meaningful_exit_code(
    built_db: Path, seeds_dir: Path, args, code, message
) -> None:
    args = [a.format(db=built_db, seeds=seeds_dir) for a in args]
    result = kg(*args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_extract_writes_guidelines_records(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "pred.jsonl"
    result = kg("extract", str(seeds_dir), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 398
    assert set(records[0]) >= {
        "title",
        "methods_proposed",
        "datasets_evaluated",
        "code_urls",
        "releases_code",
    }


def test_every_command_has_help() -> None:
    from kg.cli import app

    for command in app.registered_commands:
        assert command.callback.__doc__, command.name
    result = kg("--help")
    assert result.returncode == 0 and "Commands" in result.stdout
