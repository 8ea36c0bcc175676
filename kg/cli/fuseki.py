"""``kg fuseki start|stop|status``: a local Apache Jena Fuseki without Docker."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import app

fuseki_app = typer.Typer(
    help="A local Apache Jena Fuseki 5.6 with a TDB2 dataset, without Docker (jars from "
    "Maven Central).",
    no_args_is_help=True,
)
app.add_typer(fuseki_app, name="fuseki")
Home = Annotated[
    Path,
    typer.Option("--home", envvar="KG_FUSEKI_HOME", help="Server directory (conf, TDB2 data)."),
]
DEFAULT_FUSEKI_HOME = Path(".kg/fuseki")


@fuseki_app.command("start")
def fuseki_start(
    home: Home = DEFAULT_FUSEKI_HOME,
    port: Annotated[int, typer.Option(help="Loopback HTTP port.")] = 3030,
    heap: Annotated[str, typer.Option(help="JVM heap.")] = "1g",
    password: Annotated[
        str | None,
        typer.Option(
            envvar="KG_SPARQL_PASSWORD",
            help="Ask every request for basic auth as user kg (or KG_SPARQL_USERNAME) with "
            "this password (env KG_SPARQL_PASSWORD).",
        ),
    ] = None,
    username: Annotated[
        str, typer.Option(envvar="KG_SPARQL_USERNAME", help="User for --password.")
    ] = "kg",
) -> None:
    """Fetch the jars if needed, start the server and wait until its dataset answers.

    Example: kg fuseki start --port 3030
    """
    from kg.fuseki import server as fuseki_server

    auth = (username, password) if password else None
    handle = fuseki_server.start(home, port=port, heap=heap, auth=auth)
    print(
        f"fuseki running at {handle.endpoint} (pid {handle.pid}); "
        f"export KG_SPARQL_ENDPOINT={handle.endpoint}"
    )


@fuseki_app.command("stop")
def fuseki_stop(home: Home = DEFAULT_FUSEKI_HOME) -> None:
    """Stop the server (TDB2 commits are durable).

    Example: kg fuseki stop
    """
    from kg.fuseki import server as fuseki_server

    print("stopped" if fuseki_server.stop(home) else "not running")


@fuseki_app.command("status")
def fuseki_status(home: Home = DEFAULT_FUSEKI_HOME) -> None:
    """Say whether the server runs, and where; exit 1 when it does not.

    Example: kg fuseki status
    """
    from kg.fuseki import server as fuseki_server

    state = fuseki_server.status(home)
    print(f"running at {state.endpoint} (pid {state.pid})" if state.running else "not running")
    raise typer.Exit(0 if state.running else 1)


@fuseki_app.command("import")
def fuseki_import(
    source: Annotated[
        Path, typer.Option("--from", help="Embedded store (one or sharded) to import.")
    ],
    home: Home = DEFAULT_FUSEKI_HOME,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace a dataset that holds quads.")
    ] = False,
    port: Annotated[int, typer.Option(help="Loopback HTTP port of a server not running.")] = 3030,
    heap: Annotated[str, typer.Option(help="JVM heap of the loader and the server.")] = "1g",
) -> None:
    """Bulk-load an embedded store with Jena's TDB2 loader into a new dataset (faster than
    `kg load --store sparql`), then restart the server on it and check the counts.

    Example: kg fuseki import --from out/db
    """
    from kg.fuseki.bulk import bulk_import

    report = bulk_import(source, home, overwrite, port, heap)
    print(report.summary())
