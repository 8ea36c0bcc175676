"""Commands that move the graph out and in: view, export, import, load, validate, schemas."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import (
    DEFAULT_DB,
    Database,
    Db,
    Endpoint,
    GspEndpoint,
    QueryArgs,
    QueryName,
    QueryWithCode,
    StoreName,
    UpdateEndpoint,
    Uri,
    app,
    focus_args,
    open_backend,
    writing,
)
from kg.cli.output import print_stats, progress_bar
from kg.files import check_output
from kg.jobs.limits import at_least
from kg.store import DEFAULT_SERVER, DEFAULT_STORE


@app.command()
def view(
    out: Annotated[Path, typer.Option("-o", "--out", help="HTML file to write.")] = Path(
        "graph.html"
    ),
    db: Db = DEFAULT_DB,
    store: StoreName = DEFAULT_STORE,
    uri: Uri = None,
    database: Database = None,
    query: QueryName = None,
    arg: QueryArgs = None,
    with_code: QueryWithCode = False,
    paper: Annotated[
        str | None,
        typer.Option(
            help="Show this paper (id, arXiv id, or the start of its title) and its surroundings."
        ),
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

    args = focus_args(query, arg, with_code)
    check_output(out)
    at_least("--hops", hops, 0)
    at_least("--max-nodes", max_nodes)
    with open_backend(store, db, read_only=True, uri=uri, database=database) as backend:
        result = view_store(
            backend,
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
            help="turtle, ntriples, jsonld (compact, one graph), nquads, trig, jsonld-graphs (named graphs kept), graphml, or csv (neo4j-admin import files, a directory).",
        ),
    ] = "turtle",
    out: Annotated[
        Path, typer.Option("-o", "--out", help="File to write (a directory for csv).")
    ] = Path("graph.ttl"),
    db: Db = DEFAULT_DB,
    store: StoreName = DEFAULT_STORE,
    uri: Uri = None,
    database: Database = None,
    endpoint: Endpoint = None,
    query: QueryName = None,
    arg: QueryArgs = None,
    with_code: QueryWithCode = False,
    base_iri: Annotated[
        str | None, typer.Option(help="Re-base instance IRIs (RDF formats).")
    ] = None,
) -> None:
    """Export the graph, or the papers behind a named query's answer, in a standard format.

    Example: kg export --format turtle -o graph.ttl --query evaluated-on --arg ImageNet
    """
    from kg.export import export

    args = focus_args(query, arg, with_code)
    with open_backend(
        store, db, read_only=True, uri=uri, database=database, endpoint=endpoint
    ) as backend:
        n = export(backend, fmt, out, query=query, query_args=args, base_iri=base_iri)
    print(f"{n} records written to {out} ({fmt})")


@app.command("import")
def import_cmd(
    file: Annotated[
        Path, typer.Argument(help="kg RDF (Turtle, N-Triples, N-Quads, TriG, JSON-LD).")
    ],
    db: Db = DEFAULT_DB,
    store: StoreName = DEFAULT_STORE,
    uri: Uri = None,
    database: Database = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="turtle, ntriples, nquads, trig, jsonld or jsonld-graphs (default: from the "
            "file name).",
        ),
    ] = None,
) -> None:
    """Load papers exported by `kg export` back into a store (round trip); a failed import
    into a new --db leaves no directory behind.

    Example: kg import graph.ttl --db other/db
    """
    from kg.rdf.parse import import_rdf

    with writing(store, db, uri=uri, database=database) as backend:
        print(f"{import_rdf(backend, file, fmt)} papers imported from {file}")


@app.command()
def load(
    source: Annotated[Path, typer.Option("--from", help="Embedded store to copy from.")],
    store: StoreName = DEFAULT_SERVER,
    db: Db = DEFAULT_DB,
    uri: Uri = None,
    database: Database = None,
    endpoint: Endpoint = None,
    update_endpoint: UpdateEndpoint = None,
    gsp_endpoint: GspEndpoint = None,
    batch_size: Annotated[int, typer.Option(help="Papers per transaction.")] = 1000,
) -> None:
    """Copy an embedded store into another store, e.g. Neo4j; safe to re-run after a crash.

    Example: kg load --from out/db --store neo4j
    """
    from kg.jobs.transfer import load_store

    at_least("--batch-size", batch_size)
    with (
        open_backend(DEFAULT_STORE, source, read_only=True) as src,
        open_backend(
            store,
            db,
            uri=uri,
            database=database,
            endpoint=endpoint,
            update_endpoint=update_endpoint,
            gsp_endpoint=gsp_endpoint,
        ) as dst,
        progress_bar("loading") as (total, step),
    ):
        total(src.stats().papers)
        n = load_store(src, dst, batch_size, on_batch=step)
        print_stats(dst.stats())
    print(f"{n} papers loaded")


@app.command()
def validate(
    file: Annotated[
        Path | None,
        typer.Argument(help="An RDF file to check instead of a store.", show_default=False),
    ] = None,
    db: Db = DEFAULT_DB,
    store: StoreName = DEFAULT_STORE,
    uri: Uri = None,
    database: Database = None,
) -> None:
    """Check a store (or an RDF file) against kg's SHACL shapes: one line per violation,
    exit 1 when there is any.

    Example: kg validate --db out/db
    """
    from kg.rdf.validate import validate_file, validate_store

    if file is not None:
        violations, what = validate_file(file), str(file)
    else:
        with open_backend(store, db, read_only=True, uri=uri, database=database) as backend:
            violations, what = validate_store(backend), str(db if store == DEFAULT_STORE else store)
    for violation in violations:
        print(violation)
    print(f"{what}: {len(violations)} violation(s) of kg's shapes", file=sys.stderr)
    raise typer.Exit(1 if violations else 0)


@app.command()
def schemas(
    out: Annotated[Path, typer.Option("-o", "--out", help="Directory to write.")] = Path("schemas"),
    check: Annotated[
        bool, typer.Option("--check", help="Only report files that differ; exit 1 if any.")
    ] = False,
) -> None:
    """Regenerate the ontology, SHACL shapes and JSON Schema from kg's vocabulary.

    Example: kg schemas --check
    """
    from kg.rdf.schema import stale_schemas, write_schemas

    if check:
        stale = stale_schemas(out)
        for name in stale:
            print(f"stale: {out / name}")
        raise typer.Exit(1 if stale else 0)
    for path in write_schemas(out):
        print(path)
