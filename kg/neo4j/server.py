"""Start and stop a real Neo4j 5.26 Community server with no Docker and no tarball.

The server runs from the Maven Central classpath in ``.neo4j/lib`` (see
kg/neo4j/pom.xml) through ``org.neo4j.server.CommunityEntryPoint``: 5.26 is the last
line that runs on Java 17. Each server lives in its own home directory (conf, data, logs,
run), so tests can run throw-away servers beside the user's ``.kg/neo4j``. Bolt listens
on loopback only and HTTP is off: kg talks Bolt and nothing else.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import StoreError
from kg.jvm import JvmServer, log_tail, port_free
from kg.jvm import free_port as free_port  # tests and benchmarks pick ports through here

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
#: The server as ``kg.jvm`` runs it; its pom ships inside the package, so an installed
#: wheel fetches the server as a checkout does.
NEO4J = JvmServer(
    "Neo4j 5.26", "kg.neo4j", "neo4j", "neo4j-5*.jar", ENTRY_POINT, "run/kg-neo4j.json"
)
LIB_DIR = NEO4J.lib_dir
ensure_jars = NEO4J.ensure_jars


DEFAULT_HOME = Path(".kg/neo4j")
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
# What the official launcher puts in server.jvm.additional; without java.nio the page
# cache dies with "Cannot to link java.nio.DirectByteBuffer".
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseG1GC",
)


@dataclass(frozen=True)
class ServerHandle:
    """A running server: where it lives, how to reach it, how long it took to come up."""

    home: Path
    uri: str
    pid: int
    startup_s: float = 0.0

    def stop(self, timeout: float = 30.0) -> bool:
        return stop(self.home, timeout)


@dataclass(frozen=True)
class ServerStatus:
    home: Path
    running: bool
    pid: int | None = None
    uri: str | None = None


def java_args(main: str, *, heap: str = "1g") -> list[str]:
    """``java`` plus flags and classpath to run ``main`` (the server or neo4j-admin)."""
    # -Xms = -Xmx as the official launcher advises: no heap resizing under load.
    return [
        NEO4J.java_command(),
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_FLAGS,
        "-cp",
        str(ensure_jars() / "*"),
        main,
    ]


def admin_env(home: Path) -> dict[str, str]:
    """Environment under which AdminTool finds the same conf and data as the server."""
    home = Path(home).resolve()
    return {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}


def write_conf(home: Path, bolt_port: int, auth: bool, pagecache: str) -> Path:
    home = Path(home).resolve()
    dirs = {name: home / name for name in ("data", "logs", "run", "import", "plugins")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    lines = [f"server.directories.{name}={path}" for name, path in dirs.items()]
    lines += [
        f"server.directories.transaction.logs.root={dirs['data'] / 'transactions'}",
        "server.default_listen_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
        f"server.bolt.advertised_address=127.0.0.1:{bolt_port}",
        "server.http.enabled=false",
        "server.https.enabled=false",
        f"dbms.security.auth_enabled={'true' if auth else 'false'}",
        "dbms.usage_report.enabled=false",
        f"server.memory.pagecache.size={pagecache}",
        # Netty's graceful shutdown otherwise idles 2 x 5 s after the databases are closed.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        "internal.dbms.bolt.netty_server_shutdown_timeout=1s",
    ]
    conf = home / "conf" / "neo4j.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return conf


def _set_initial_password(home: Path, password: str) -> None:
    """Only possible before the first start, while the system database does not exist."""
    if (home / "data" / "databases" / "system").exists():
        return
    done = subprocess.run(
        [*java_args(ADMIN_TOOL, heap="256m"), "dbms", "set-initial-password", password],
        env=admin_env(home),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise StoreError(
            f"{home}: cannot set the initial Neo4j password: "
            f"{(done.stdout + done.stderr).strip().splitlines()[-1:]}"
        )


def _wait_bolt(
    uri: str,
    auth: tuple[str, str] | None,
    proc: subprocess.Popen[bytes],
    home: Path,
    deadline: float,
) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import DriverError, Neo4jError

    port = int(uri.rsplit(":", 1)[1])
    while True:
        if proc.poll() is not None:
            raise StoreError(
                f"Neo4j in {home} exited with code {proc.returncode} while "
                f"starting; log tail:\n{log_tail(home)}"
            )
        try:
            # A bare connect first: cheaper than a driver per poll on a busy machine.
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            with GraphDatabase.driver(uri, auth=auth, connection_timeout=2) as driver:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1")
            return
        except (DriverError, Neo4jError, OSError):
            if time.monotonic() > deadline:
                break
            time.sleep(0.25)
    stop(home, timeout=10)
    raise StoreError(
        f"Neo4j in {home} did not answer on {uri} in time; log tail:\n{log_tail(home)}"
    )


def start(
    home: Path = DEFAULT_HOME,
    bolt_port: int = 7687,
    auth: tuple[str, str] | None = None,
    heap: str = "1g",
    pagecache: str = "256m",
    timeout: float = 90.0,
) -> ServerHandle:
    """Start a server in ``home`` (or return the one already running there).

    The JVM is detached (own session, output in ``logs/console.log``), so it outlives the
    ``kg neo4j start`` that launched it; ``stop(home)`` ends it.
    """
    home = Path(home)
    current = status(home)
    if current.running and current.pid and current.uri:
        return ServerHandle(home.resolve(), current.uri, current.pid)
    if not port_free(bolt_port):
        raise StoreError(
            f"127.0.0.1:{bolt_port} is already in use; pick another --bolt-port "
            "or stop what listens there"
        )
    command = java_args(ENTRY_POINT, heap=heap)
    write_conf(home, bolt_port, auth is not None, pagecache)
    if auth is not None:
        _set_initial_password(home.resolve(), auth[1])
    home = home.resolve()
    uri = f"bolt://127.0.0.1:{bolt_port}"
    began = time.monotonic()
    command += [f"--home-dir={home}", f"--config-dir={home / 'conf'}", "--console-mode"]
    proc = NEO4J.launch(home, command, uri)
    _wait_bolt(uri, auth, proc, home, began + timeout)
    return ServerHandle(home, uri, proc.pid, round(time.monotonic() - began, 2))


def stop(home: Path = DEFAULT_HOME, timeout: float = 30.0, kill: bool = False) -> bool:
    """SIGTERM (a clean checkpoint), SIGKILL after ``timeout``; ``kill`` skips to SIGKILL.

    Returns whether a server was running.
    """
    return NEO4J.stop(home, timeout, kill)


def status(home: Path = DEFAULT_HOME) -> ServerStatus:
    running = NEO4J.running(home)
    if running is None:
        return ServerStatus(Path(home), False)
    pid, uri, _ = running
    return ServerStatus(Path(home), True, pid, uri)


def admin_import(home: Path, args: list[str], bolt_port: int = 7687, heap: str = "1g") -> float:
    """Run ``neo4j-admin <args>`` (e.g. ``CsvExport.admin_args()``) against a stopped server
    in ``home``; returns the seconds it took. The conf is written first when missing, so a
    fresh home can be imported into and then started."""
    home = Path(home)
    if status(home).running:
        raise StoreError(f"{home}: stop the Neo4j server before an offline import")
    if not (home / "conf" / "neo4j.conf").exists():
        write_conf(home, bolt_port, False, "256m")
    began = time.monotonic()
    done = subprocess.run(
        [*java_args(ADMIN_TOOL, heap=heap), *args],
        env=admin_env(home),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-8:]
        raise StoreError(f"neo4j-admin {' '.join(args[:3])} failed in {home}:\n" + "\n".join(tail))
    return time.monotonic() - began
