"""``kg neo4j start|stop|status``: a local Neo4j without Docker."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import app

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
    """Fetch the jars if needed, start the server and wait until Bolt answers.

    Example: kg neo4j start --bolt-port 7687
    """
    from kg.neo4j import server as neo4j_server

    neo4j_server.ensure_jars()
    auth = ("neo4j", password) if password else None
    handle = neo4j_server.start(
        home, bolt_port=bolt_port, auth=auth, heap=heap, pagecache=pagecache
    )
    print(f"neo4j running at {handle.uri} (pid {handle.pid}); export NEO4J_URI={handle.uri}")


@neo4j_app.command("stop")
def neo4j_stop(home: Home = DEFAULT_NEO4J_HOME) -> None:
    """Stop the server cleanly.

    Example: kg neo4j stop
    """
    from kg.neo4j import server as neo4j_server

    print("stopped" if neo4j_server.stop(home) else "not running")


@neo4j_app.command("status")
def neo4j_status(home: Home = DEFAULT_NEO4J_HOME) -> None:
    """Say whether the server runs, and where; exit 1 when it does not.

    Example: kg neo4j status
    """
    from kg.neo4j import server as neo4j_server

    state = neo4j_server.status(home)
    print(f"running at {state.uri} (pid {state.pid})" if state.running else "not running")
    raise typer.Exit(0 if state.running else 1)


@neo4j_app.command("import")
def neo4j_import(
    source: Annotated[
        Path, typer.Option("--from", help="Embedded store (one or sharded) to import.")
    ],
    home: Home = DEFAULT_NEO4J_HOME,
    database: Annotated[str, typer.Option(help="Database to fill (Community: neo4j).")] = "neo4j",
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace a database that holds nodes.")
    ] = False,
    bolt_port: Annotated[int, typer.Option(help="Bolt port of a new --home.")] = 7687,
    heap: Annotated[str, typer.Option(help="JVM heap of neo4j-admin and the server.")] = "1g",
) -> None:
    """Bulk-import an embedded store with neo4j-admin (offline, several times faster than
    `kg load`), then restart the server, apply the constraints and check the counts.

    Example: kg neo4j import --from out/db
    """
    from kg.neo4j.bulk import bulk_import

    report = bulk_import(source, home, database, overwrite, bolt_port, heap)
    print(report.summary())
