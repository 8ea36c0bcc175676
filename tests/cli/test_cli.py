"""The CLI as a user runs it: a real subprocess, exit codes, one-line errors."""

import json
from pathlib import Path

import pytest

from tests.kg_cli import ROOT
from tests.kg_cli import run_kg as kg


@pytest.fixture(scope="module")
def built_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("cli") / "db"
    result = kg("build", str(seeds_dir), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "398 papers read, 398 extracted and stored" in result.stdout
    return db


def test_query_json_output(built_db: Path) -> None:
    result = kg("query", "papers-with-code", "--db", str(built_db), "--format", "json")
    first = json.loads(result.stdout)
    assert result.returncode == 0 and len(first) == 20  # the default --limit
    result = kg(
        "query", "papers-with-code", "--db", str(built_db), "--format", "json", "--limit", "0"
    )
    rows = json.loads(result.stdout)
    assert result.returncode == 0 and len(rows) >= 70 and rows[:20] == first
    assert all(r["code"].startswith("https://") for r in rows)


def test_a_cut_answer_says_how_to_see_more(built_db: Path) -> None:
    result = kg("query", "papers-with-code", "--db", str(built_db), "--limit", "5")
    assert result.returncode == 0 and "5 row(s)" in result.stdout
    assert "the first 5; --limit N for more, 0 for all" in result.stderr
    assert (
        "for all"
        not in kg("query", "papers-with-code", "--db", str(built_db), "--limit", "0").stderr
    )
    bad = kg("query", "papers-with-code", "--db", str(built_db), "--limit", "-1")
    assert bad.returncode == 2 and "limit must be 0 or more, not -1" in bad.stderr


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


def test_sparql_refuses_updates(built_db: Path) -> None:
    before = kg("stats", "--db", str(built_db)).stdout
    update = kg("sparql", "INSERT DATA { <http://a> <http://b> <http://c> }", "--db", str(built_db),
                "--param", "x=1")
    assert update.returncode == 4 and len(update.stderr.strip().splitlines()) == 1
    assert kg("stats", "--db", str(built_db)).stdout == before


def test_sparql_param_binds_a_variable_the_query_does_not_project(built_db: Path) -> None:
    text = "SELECT ?title WHERE { ?d kg:key ?k . ?p kg:evaluatedOn ?d ; dcterms:title ?title }"
    result = kg("sparql", text, "--db", str(built_db), "--param", "k=imagenet", "--format", "json")
    titles = [r["title"] for r in json.loads(result.stdout)]
    assert "Equivariant Contrastive Learning" in titles and "k" not in json.loads(result.stdout)[0]
    hostile = 'imagenet" } ?p ?q ?r . FILTER(true) { "'
    result = kg("sparql", text, "--db", str(built_db), "--param", f"k={hostile}", "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout) == []  # one literal, no match


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


@pytest.mark.parametrize("store", ["oxigraph", "sharded"])
def test_a_failed_first_build_leaves_no_store_behind(tmp_path: Path, store: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "A paper", "abstract": "We use BERT."}\n{not json\n')
    db = tmp_path / "new"
    result = kg("build", str(bad), "--db", str(db), "--store", store)
    assert result.returncode == 2 and "bad.jsonl" in result.stderr
    assert not db.exists()
    (tmp_path / "good.jsonl").write_text('{"title": "A paper", "abstract": "We use BERT."}\n')
    assert kg("build", str(tmp_path / "good.jsonl"), "--db", str(db)).returncode == 0
    again = kg("build", str(bad), "--db", str(db))  # a store found is never removed
    assert again.returncode == 2 and "papers: 1" in kg("stats", "--db", str(db)).stdout


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


def test_a_sharded_build_answers_as_the_default_store_does(
    built_db: Path, seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "sharded"
    monkeypatch.setenv("KG_SHARD_PAPERS", "100")
    built = kg("build", str(seeds_dir), "--db", str(db), "--store", "sharded")
    assert built.returncode == 0, built.stderr
    assert len(list((db / "shards").iterdir())) == 4
    for question in (["evaluated-on", "ImageNet"], ["top-methods"], ["methods-on", "COCO"]):
        answers = [
            kg("query", *question, "--db", str(where), "--format", "json").stdout
            for where in (built_db, db)  # the default store opens either layout
        ]
        assert answers[0] == answers[1] and json.loads(answers[0]), question
    assert "papers: 398" in kg("stats", "--db", str(db), "--store", "sharded").stdout
    ids = "SELECT ?id WHERE { ?p a kg:Paper ; dcterms:identifier ?id }"
    raw = kg("sparql", ids, "--db", str(db), "--format", "json")
    assert raw.returncode == 0 and len(json.loads(raw.stdout)) == 398
    assert "ran on each of 4 shards; rows concatenated" in raw.stderr
    wrong = kg("stats", "--db", str(built_db), "--store", "sharded")
    assert wrong.returncode == 3 and "not sharded; use --store oxigraph" in wrong.stderr
    monkeypatch.setenv("KG_SHARD_PAPERS", "many")
    bad = kg("build", str(seeds_dir), "--db", str(tmp_path / "new"), "--store", "sharded")
    assert bad.returncode == 2 and "KG_SHARD_PAPERS must be a whole number" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_every_command_has_help() -> None:
    from kg.cli import app

    for command in app.registered_commands:
        assert command.callback.__doc__, command.name
    result = kg("--help")
    assert result.returncode == 0 and "Commands" in result.stdout


def test_view_of_a_query_writes_one_page(built_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "imagenet.html"
    args = ("--query", "evaluated-on", "--arg", "ImageNet", "--with-code", "-o", str(out))
    result = kg("view", "--db", str(built_db), *args)
    assert result.returncode == 0, result.stderr
    assert "Equivariant Contrastive Learning" in out.read_text(encoding="utf-8")
    assert list(tmp_path.iterdir()) == [out]  # no lib/ folder beside it
    bad = kg("view", "--db", str(built_db), "--arg", "ImageNet", "-o", str(out))
    assert bad.returncode == 2 and "--query" in bad.stderr


def test_export_then_import_round_trips(built_db: Path, tmp_path: Path) -> None:
    ttl = tmp_path / "sub.ttl"
    result = kg(
        "export",
        "--db",
        str(built_db),
        "-o",
        str(ttl),
        "--query",
        "evaluated-on",
        "--arg",
        "ImageNet",
    )
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "copy"
    imported = kg("import", str(ttl), "--db", str(copy))
    assert imported.returncode == 0, imported.stderr
    n = int(imported.stdout.split()[0])
    answer = kg("query", "evaluated-on", "ImageNet", "--db", str(copy), "--format", "json")
    original = kg("query", "evaluated-on", "ImageNet", "--db", str(built_db), "--format", "json")
    assert n >= 3 and json.loads(answer.stdout) == json.loads(original.stdout)


def test_schemas_check_finds_the_shipped_schemas_current(tmp_path: Path) -> None:
    assert kg("schemas", "--check", "-o", str(ROOT / "schemas")).returncode == 0
    stale = kg("schemas", "--check", "-o", str(tmp_path))
    assert stale.returncode == 1 and "stale:" in stale.stdout


def test_build_takes_sources_or_extracted_parts_not_both(tmp_path: Path) -> None:
    result = kg("build", "--db", str(tmp_path / "db"))
    assert result.returncode == 2 and "--from-extracted" in result.stderr


@pytest.mark.slow
def test_dask_extract_then_build_from_parts(seeds_dir: Path, tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    result = kg("extract", str(seeds_dir), "--engine", "dask", "--workers", "2", "-o", str(parts))
    assert result.returncode == 0, result.stderr
    built = kg("build", "--from-extracted", str(parts), "--db", str(tmp_path / "db"))
    assert built.returncode == 0, built.stderr
    assert "398 papers stored" in built.stdout


def test_neo4j_commands_against_the_session_server(neo4j_uri: str, built_db: Path) -> None:
    env_uri = ("--uri", neo4j_uri)
    loaded = kg("load", "--from", str(built_db), *env_uri)
    assert loaded.returncode == 0, loaded.stderr
    assert "398 papers loaded" in loaded.stdout
    cypher = kg(
        "cypher",
        "MATCH (p:Paper {title: $t}) RETURN count(p) AS n",
        *env_uri,
        "--param",
        "t=Equivariant Contrastive Learning",
        "--format",
        "csv",
    )
    assert cypher.stdout.splitlines() == ["n", "1"], cypher.stderr
    on_neo4j = kg(
        "query",
        "evaluated-on",
        "ImageNet",
        "--with-code",
        "--store",
        "neo4j",
        *env_uri,
        "--format",
        "json",
    )
    on_oxigraph = kg(
        "query",
        "evaluated-on",
        "ImageNet",
        "--with-code",
        "--db",
        str(built_db),
        "--format",
        "json",
    )
    assert json.loads(on_neo4j.stdout) == json.loads(on_oxigraph.stdout) != []


@pytest.mark.neo4j
def test_kg_cypher_reads_unless_told_to_write(neo4j_uri: str) -> None:
    count = ("cypher", "MATCH (n:KgProbe) RETURN count(n) AS n", "--uri", neo4j_uri,
             "--format", "csv")
    refused = kg("cypher", "CREATE (:KgProbe)", "--uri", neo4j_uri)
    assert refused.returncode == 2 and "read-only unless given --write" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert kg(*count).stdout.splitlines() == ["n", "0"]  # nothing was written
    written = kg("cypher", "CREATE (:KgProbe)", "--uri", neo4j_uri, "--write")
    assert written.returncode == 0, written.stderr
    assert kg(*count).stdout.splitlines() == ["n", "1"]
    kg("cypher", "MATCH (n:KgProbe) DELETE n", "--uri", neo4j_uri, "--write")


def test_the_embedded_store_refuses_writes_through_queries() -> None:
    from kg.errors import UsageError
    from kg.store import open_store

    with open_store("memory") as store, pytest.raises(UsageError, match="kg build and kg import"):
        store.query("ASK { ?s ?p ?o }", write=True)


def test_unreachable_neo4j_is_one_line_exit_3() -> None:
    result = kg("stats", "--store", "neo4j", "--uri", "bolt://127.0.0.1:1")
    assert result.returncode == 3 and len(result.stderr.strip().splitlines()) == 1
    assert "bolt://127.0.0.1:1" in result.stderr


@pytest.mark.slow
def test_neo4j_start_status_stop(tmp_path: Path) -> None:
    from kg.neo4j.server import free_port
    from tests.neo4j_fixture import require_java

    require_java()
    home = ("--home", str(tmp_path / "neo4j"))
    port = str(free_port())
    started = kg("neo4j", "start", *home, "--bolt-port", port, "--heap", "512m")
    try:
        assert started.returncode == 0, started.stderr
        assert f"bolt://127.0.0.1:{port}" in started.stdout
        status = kg("neo4j", "status", *home)
        assert status.returncode == 0 and "running at" in status.stdout
    finally:
        stopped = kg("neo4j", "stop", *home)
    assert stopped.stdout.strip() == "stopped"
    assert kg("neo4j", "status", *home).returncode == 1


def test_version_is_the_packages() -> None:
    import kg as package

    result = kg("--version")
    assert result.returncode == 0 and result.stdout == f"kg {package.__version__}\n"


def test_a_piped_table_never_cuts_a_value() -> None:
    import io

    from kg.cli.output import OutputFormat, print_table
    from kg.store.base import Table

    url = "https://github.com/" + "very-long-organisation-name/" * 6 + "repo"
    out = io.StringIO()
    print_table(Table(["paper", "code"], [("arxiv:2401.00001", url)]), OutputFormat.table, out)
    lines = out.getvalue().splitlines()
    assert any(url in line for line in lines)  # whole, on one line, however wide
    assert not any("…" in line for line in lines)


def test_build_counts_duplicates_and_lists_them_with_verbose(tmp_path: Path) -> None:
    src = tmp_path / "papers.jsonl"
    rows = [
        {"title": "Flow Matching", "abstract": "We evaluate on the CIFAR-10 dataset.", "id": "arxiv:2210.02747"},
        {"title": "Other Paper", "abstract": "We use ImageNet."},
        {"title": "FLOW MATCHING", "abstract": "We evaluate on the CIFAR-10 dataset.", "doi": "10.1000/fm"},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "db")
    quiet = kg("build", str(src), "--db", db)
    assert quiet.returncode == 0, quiet.stderr
    assert "1 duplicate record(s) read once (--verbose lists them)" in quiet.stdout
    assert "duplicate:" not in quiet.stderr
    loud = kg("build", str(src), "--db", db, "-v")
    assert loud.returncode == 0, loud.stderr
    assert f"duplicate: {src.name}:3: same title as {src.name}:1; read once" in loud.stderr
    why = kg("why", "10.1000/fm", "CIFAR-10", "--db", db)  # the DOI the duplicate brought
    assert why.returncode == 0, why.stderr
    assert "We evaluate on the CIFAR-10 dataset." in why.stdout
