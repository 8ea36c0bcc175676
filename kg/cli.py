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
DEFAULT_DB = Path(".kg/db")


def _open(store: str, db: Path, read_only: bool = False, base_iri: str | None = None) -> Any:
    from kg.store import open_store

    return open_store(store, path=db, read_only=read_only, base_iri=base_iri)


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
    sources: Sources,
    db: Db = DEFAULT_DB,
    store: StoreName = "oxigraph",
    fmt: Fmt = None,
    skip_bad: SkipBad = False,
    aliases: Aliases = None,
    base_iri: Annotated[str | None, typer.Option(help="Base IRI for new stores.")] = None,
    batch_size: Annotated[int, typer.Option(help="Papers per extraction/store batch.")] = 512,
    max_abstract_chars: Annotated[int, typer.Option(help="Longest abstract accepted.")] = 100_000,
    workers: Workers = 1,
) -> None:
    """Read papers, extract entities and edges, and upsert them into the store.

    Re-running is idempotent; only new or changed papers are extracted again.
    Example: kg build ../shared/seeds --db out/db
    """
    from kg.build import Limits
    from kg.build import build as run_build
    from kg.extract import Extractor

    limits = Limits(batch_size=batch_size, max_abstract_chars=max_abstract_chars)
    extractor = Extractor(resolver=_resolver(aliases))
    with _open(store, db, base_iri=base_iri) as graph, progress_bar("building") as (total, step):
        report = run_build(
            sources,
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
    out: Annotated[Path, typer.Option("-o", "--out", help="JSONL file to write ('-' = stdout).")],
    fmt: Fmt = None,
    skip_bad: SkipBad = False,
    aliases: Aliases = None,
    workers: Workers = 1,
) -> None:
    """Extract entities per paper into JSONL in the annotation guidelines' format.

    Example: kg extract ../shared/seeds -o pred.jsonl
    """
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
    with _open(store, db, read_only=True) as graph:
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
def stats(db: Db = DEFAULT_DB, store: StoreName = "oxigraph") -> None:
    """Count papers, entities by kind and edges by type."""
    with _open(store, db, read_only=True) as graph:
        print_stats(graph.stats())


@app.command()
def why(
    paper: Annotated[str, typer.Argument(help="Paper id or exact title.")],
    entity: Annotated[str, typer.Argument(help="Entity name.")],
    db: Db = DEFAULT_DB,
    store: StoreName = "oxigraph",
) -> None:
    """Show the evidence for every edge between a paper and an entity.

    Example: kg why 'Equivariant Contrastive Learning' ImageNet
    """
    from kg.query.why import explain

    with _open(store, db, read_only=True) as graph:
        for line in explain(graph, paper, entity):
            print(line)


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

        if isinstance(error, click.exceptions.ClickException):
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
