"""Commands that ask the graph: named queries, raw SPARQL and Cypher, stats, evidence."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kg.cli.common import (
    DEFAULT_DB,
    Database,
    Db,
    Endpoint,
    Params,
    StoreName,
    Uri,
    app,
    bind_query_args,
    open_backend,
    parse_params,
)
from kg.cli.output import OutputFormat, print_stats, print_table, printable
from kg.store import DEFAULT_SERVER, DEFAULT_STORE


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="Named query; `kg queries` lists them.")],
    args: Annotated[
        list[str] | None, typer.Argument(help="Its arguments, e.g. a dataset.", show_default=False)
    ] = None,
    db: Db = DEFAULT_DB,
    store: StoreName = DEFAULT_STORE,
    uri: Uri = None,
    database: Database = None,
    endpoint: Endpoint = None,
    with_code: Annotated[bool, typer.Option("--with-code", help="Only papers with code.")] = False,
    metric: Annotated[
        str | None, typer.Option(help="leaderboard: only this metric.", show_default=False)
    ] = None,
    include_variants: Annotated[
        bool,
        typer.Option(
            "--include-variants",
            help="evaluated-on, leaderboard: also the dataset's variants (ImageNet-R for "
            "ImageNet); top-datasets: count variants under their dataset.",
        ),
    ] = False,
    limit: Annotated[
        int | None, typer.Option(help="Rows to show (default 20; 0 for all).", show_default=False)
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
) -> None:
    """Answer a named question: papers evaluated on ImageNet that release code, and more.

    Example: kg query evaluated-on ImageNet --with-code --db out/db

    Example: kg query leaderboard ImageNet --metric accuracy --db out/db
    """
    from kg.query import run_named
    from kg.query.named import LIMIT
    from kg.query.papers import shown_ids

    options = {
        "with_code": with_code,
        "metric": metric,
        "include_variants": include_variants,
        "limit": limit,
    }
    bound = bind_query_args(name, args or [], options)
    with open_backend(
        store, db, read_only=True, uri=uri, database=database, endpoint=endpoint
    ) as backend:
        table = run_named(backend, name, bound)
    print_table(shown_ids(table) if output is OutputFormat.table else table, output)
    cut_at = LIMIT.default if limit is None else limit
    if output is OutputFormat.table and cut_at and len(table.rows) == cut_at:
        print(f"(the first {len(table.rows)}; --limit N for more, 0 for all)", file=sys.stderr)


@app.command()
def queries() -> None:
    """List the named queries with their arguments.

    Example: kg queries
    """
    from kg.query import QUERIES

    for name in QUERIES.names():
        q = QUERIES.get(name)
        print(f"{name:18} {q.description}\n{'':18} e.g. {q.example}")


@app.command()
def sparql(
    text: Annotated[str, typer.Argument(help="A SPARQL SELECT/ASK/CONSTRUCT query.")],
    db: Db = DEFAULT_DB,
    store: StoreName = DEFAULT_STORE,
    endpoint: Endpoint = None,
    param: Params = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service", help="Let SERVICE clauses query other endpoints (default: offline)."
        ),
    ] = False,
) -> None:
    """Run raw SPARQL on the embedded store or a SPARQL endpoint (--store sparql), with
    the prefixes kg:, dcterms:, skos:, … predefined.

    The store keeps evidence as one kg:evidenceRecord per paper; kg:Evidence nodes are in
    exports (docs/rdf.md). A sharded store runs the query on each shard and concatenates
    the rows, so LIMIT, ORDER BY and aggregates apply per shard.

    Example: kg sparql 'SELECT ?t WHERE { ?p dcterms:title ?t } LIMIT 3'
    """
    from kg.cli.guards import check_sparql

    check_sparql(text, allow_service)
    with open_backend(store, db, read_only=True, language="sparql", endpoint=endpoint) as backend:
        print_table(backend.query(text, parse_params(param)), output)
        if backend.parts > 1:
            print(f"ran on each of {backend.parts} shards; rows concatenated", file=sys.stderr)


@app.command()
def cypher(
    text: Annotated[str, typer.Argument(help="A Cypher query.")],
    store: StoreName = DEFAULT_SERVER,
    uri: Uri = None,
    database: Database = None,
    param: Params = None,
    write: Annotated[
        bool,
        typer.Option("--write", help="Allow the query to change the graph (default: read-only)."),
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
) -> None:
    """Run raw Cypher on Neo4j (connection from --uri or NEO4J_URI / NEO4J_USERNAME / …),
    in a read transaction unless --write.

    Example: kg cypher 'MATCH (p:Paper)-[:EVALUATED_ON]->(d:Dataset {name: $d}) RETURN p.title' --param d=ImageNet
    """
    from kg.cli.guards import check_cypher

    check_cypher(text, write)
    with open_backend(store, DEFAULT_DB, uri=uri, database=database, language="cypher") as backend:
        print_table(backend.query(text, parse_params(param), write=write), output)


@app.command()
def stats(
    db: Db = DEFAULT_DB,
    store: StoreName = DEFAULT_STORE,
    uri: Uri = None,
    database: Database = None,
    endpoint: Endpoint = None,
) -> None:
    """Count papers, entities by kind and edges by type.

    Example: kg stats --db out/db
    """
    with open_backend(
        store, db, read_only=True, uri=uri, database=database, endpoint=endpoint
    ) as backend:
        print_stats(backend.stats())


@app.command()
def why(
    paper: Annotated[str, typer.Argument(help="Paper id or exact title.")],
    entity: Annotated[str, typer.Argument(help="Entity name.")],
    db: Db = DEFAULT_DB,
    store: StoreName = DEFAULT_STORE,
    uri: Uri = None,
    database: Database = None,
) -> None:
    """Show the evidence for every edge between a paper and an entity.

    Example: kg why 'Equivariant Contrastive Learning' ImageNet
    """
    from kg.query.why import explain

    with open_backend(store, db, read_only=True, uri=uri, database=database) as backend:
        for line in explain(backend, paper, entity):
            print(printable(line))
