"""What every ``kg`` command shares: the app, option types and store opening."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from kg.errors import KgError, UsageError
from kg.store import STORES, Capability, Store, open_speaking, open_store

app = typer.Typer(
    name="kg",
    help="Build knowledge graphs of ML research: which papers propose or use which methods, "
    "on which datasets, with which code.\n\nQuick start: kg build ../shared/seeds --db out/db "
    "&& kg query evaluated-on ImageNet --db out/db",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _print_version(asked: bool) -> None:
    if asked:
        from kg import __version__

        print(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print kg's version and exit."
        ),
    ] = False,
) -> None:
    """Options before any command (the app's help says what kg does)."""


Sources = Annotated[
    list[Path], typer.Argument(help="Files or directories of papers.", show_default=False)
]
Db = Annotated[
    Path, typer.Option("--db", envvar="KG_DB", help="Embedded store directory (env KG_DB).")
]
StoreName = Annotated[
    str,
    typer.Option(
        "--store",
        help="Store backend: oxigraph (embedded, opens either layout), sharded (build a "
        "new oxigraph store in shards of KG_SHARD_PAPERS papers, for millions), neo4j, "
        "memory (nothing kept), sparql (a SPARQL 1.1 triplestore such as Fuseki), or one a "
        "plug-in registers.",
    ),
]
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
Endpoint = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        envvar="KG_SPARQL_ENDPOINT",
        help="SPARQL endpoint URL for --store sparql (env KG_SPARQL_ENDPOINT; updates go to "
        "KG_SPARQL_UPDATE_ENDPOINT and N-Quads uploads to KG_SPARQL_GSP_ENDPOINT if set, "
        "'none' for no uploads; basic auth from KG_SPARQL_USERNAME / KG_SPARQL_PASSWORD).",
    ),
]
UpdateEndpoint = Annotated[
    str | None,
    typer.Option(
        "--update-endpoint",
        envvar="KG_SPARQL_UPDATE_ENDPOINT",
        help="SPARQL Update URL for --store sparql, if not --endpoint's "
        "(env KG_SPARQL_UPDATE_ENDPOINT).",
    ),
]
GspEndpoint = Annotated[
    str | None,
    typer.Option(
        "--gsp-endpoint",
        envvar="KG_SPARQL_GSP_ENDPOINT",
        help="URL that takes N-Quads uploads for --store sparql, if not --endpoint's; "
        "'none': updates only (env KG_SPARQL_GSP_ENDPOINT).",
    ),
]
DEFAULT_DB = Path(".kg/db")


def open_backend(
    store: str,
    db: Path,
    read_only: bool = False,
    base_iri: str | None = None,
    uri: str | None = None,
    database: str | None = None,
    language: str | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    gsp_endpoint: str | None = None,
) -> Store:
    """Open ``store`` with the options every command shares; with ``language``, only a
    store that runs raw queries in it."""
    options = {"path": db, "read_only": read_only, "base_iri": base_iri}
    options |= {"uri": uri, "database": database, "endpoint": endpoint}
    options |= {"update_endpoint": update_endpoint, "gsp_endpoint": gsp_endpoint}
    if language is not None:
        return open_speaking(language, store, **options)
    return open_store(store, **options)


@contextmanager
def writing(store: str, db: Path, **options: Any) -> Iterator[Store]:
    """``store`` opened to write; if it lives in a directory this command creates and the
    command fails before any paper is stored, the directory goes again: a failed first
    build or import leaves nothing behind, as it found nothing."""
    created = Capability.DIRECTORY in STORES.get(store).capabilities and not db.exists()
    empty = False
    try:
        with open_backend(store, db, **options) as backend:
            try:
                yield backend
            except BaseException:
                empty = created and _holds_no_papers(backend)
                raise
    finally:
        if empty:
            shutil.rmtree(db, ignore_errors=True)


def _holds_no_papers(backend: Store) -> bool:
    try:
        return backend.stats().papers == 0
    except Exception:  # a store too broken to count is left for the user to look at
        return False


def resolver_for(aliases: list[Path] | None) -> Any:
    from kg.resolve import Resolver

    return Resolver.from_files(aliases) if aliases else Resolver.default()


def report_skipped(skipped: Sequence[KgError]) -> None:
    for error in skipped[:20]:
        print(f"skipped: {error}", file=sys.stderr)
    if skipped:
        print(f"{len(skipped)} bad record(s) skipped", file=sys.stderr)


def bind_query_args(name: str, positional: list[str], options: dict[str, Any]) -> dict[str, Any]:
    from kg.query import QUERIES

    query = QUERIES.get(name)
    entity_params = [p.name for p in query.params if p.positional]
    if len(positional) > len(entity_params):
        raise UsageError(
            f"query {name!r} takes {len(entity_params)} name argument(s), got "
            f"{len(positional)}; try: {query.example}"
        )
    args = dict(zip(entity_params, positional, strict=False))
    known = {p.name for p in query.params}
    stray = [k for k, v in options.items() if k not in known and v not in (None, False)]
    if stray:
        raise UsageError(f"query {name!r} takes no --{stray[0].replace('_', '-')}")
    args.update({k: v for k, v in options.items() if k in known and v is not None})
    return args


def parse_params(pairs: list[str] | None) -> dict[str, str]:
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


QueryName = Annotated[
    str | None, typer.Option("--query", help="A named query whose answer to keep.")
]
QueryWithCode = Annotated[
    bool, typer.Option("--with-code", help="With --query: only papers with code.")
]
QueryArgs = Annotated[
    list[str] | None,
    typer.Option("--arg", help="The named query's argument (e.g. a dataset); repeatable."),
]


def focus_args(name: str | None, args: list[str] | None, with_code: bool) -> dict[str, Any]:
    if name is None:
        if args or with_code:
            raise UsageError("--arg and --with-code go with --query NAME")
        return {}
    return bind_query_args(name, args or [], {"with_code": with_code})
