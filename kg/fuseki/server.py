"""Start and stop a real Apache Jena Fuseki 5.6 with a TDB2 dataset, with no Docker.

The server runs from the Maven Central classpath in ``.fuseki/lib`` (see
kg/fuseki/pom.xml; 5.x is the line that runs on Java 17) through ``FusekiMainCmd``. Each
server lives in its own home directory (``conf/config.ttl``, ``tdb2/``, ``logs/``,
``run/``), listens on loopback only, and serves one dataset, ``/kg``, whose default graph
is the union of its named graphs: kg keeps every paper in a graph of its own and asks its
questions over all of them, as the embedded store does.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from kg.errors import StoreError
from kg.jvm import JvmServer, log_tail, port_free
from kg.jvm import free_port as free_port  # tests and benchmarks pick ports through here

MAIN = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"
#: The server as ``kg.jvm`` runs it; its pom ships inside the package, as Neo4j's does.
FUSEKI = JvmServer(
    "Fuseki 5", "kg.fuseki", "fuseki", "jena-fuseki-main-*.jar", MAIN, "run/kg-fuseki.json"
)
LIB_DIR = FUSEKI.lib_dir
ensure_jars = FUSEKI.ensure_jars
DATASET = "kg"
DEFAULT_HOME = Path(".kg/fuseki")
DEFAULT_PORT = 3030

# One service: queries, updates and the Graph Store Protocol on the dataset's own URL (a
# SPARQL client needs one address), also under the conventional /sparql, /update, /data.
CONFIG = """\
PREFIX fuseki: <http://jena.apache.org/fuseki#>
PREFIX tdb2:   <http://jena.apache.org/2016/tdb#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>

[] rdf:type fuseki:Server .

<#service> rdf:type fuseki:Service ;
    fuseki:name "{name}" ;
    fuseki:endpoint [ fuseki:operation fuseki:query ] ;
    fuseki:endpoint [ fuseki:operation fuseki:update ] ;
    fuseki:endpoint [ fuseki:operation fuseki:gsp-rw ] ;
    fuseki:endpoint [ fuseki:operation fuseki:query ; fuseki:name "sparql" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:update ; fuseki:name "update" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:gsp-rw ; fuseki:name "data" ] ;
    fuseki:dataset <#dataset> .

<#dataset> rdf:type tdb2:DatasetTDB2 ;
    tdb2:location {location} ;
    tdb2:unionDefaultGraph true .
"""


@dataclass(frozen=True)
class ServerHandle:
    """A running server: where it lives, its dataset's URL, how long it took to come up."""

    home: Path
    endpoint: str
    pid: int
    startup_s: float = 0.0


@dataclass(frozen=True)
class ServerStatus:
    home: Path
    running: bool
    pid: int | None = None
    endpoint: str | None = None
    auth: bool = False  # it asks for basic auth


def java_args(main: str, heap: str = "1g") -> list[str]:
    """``java`` plus heap and classpath to run ``main`` (the server or a TDB2 tool)."""
    return [FUSEKI.java_command(), f"-Xmx{heap}", "-cp", str(ensure_jars() / "*"), main]


def write_config(home: Path) -> Path:
    """The server's config: one TDB2 dataset in ``home/tdb2``."""
    home = Path(home).resolve()
    for name in ("conf", "logs", "run"):
        (home / name).mkdir(parents=True, exist_ok=True)
    config = home / "conf" / "config.ttl"
    location = json.dumps(str(home / "tdb2"))  # a Turtle string: quotes and \ escaped
    config.write_text(CONFIG.format(name=DATASET, location=location), encoding="utf-8")
    return config


def write_passwords(home: Path, auth: tuple[str, str]) -> Path:
    """Jetty's password file (``user: password``), readable by its owner only."""
    user, password = auth
    if not user or any(c in user + password for c in ":\r\n"):
        raise StoreError("a Fuseki user and password may not be empty or hold ':' or line breaks")
    path = Path(home).resolve() / "conf" / "passwd"
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(f"{user}: {password}\n", encoding="utf-8")
    return path


def _wait_ready(
    endpoint: str,
    auth: tuple[str, str] | None,
    proc: subprocess.Popen[bytes],
    home: Path,
    deadline: float,
) -> None:
    """Until the dataset answers a query: an open port alone is not a loaded dataset."""
    while True:
        if proc.poll() is not None:
            raise StoreError(
                f"Fuseki in {home} exited with code {proc.returncode} while starting; "
                f"log tail:\n{log_tail(home)}"
            )
        try:
            answer = httpx.get(endpoint, params={"query": "ASK {}"}, auth=auth, timeout=2.0)
            if answer.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    stop(home, timeout=10)
    raise StoreError(
        f"Fuseki in {home} did not answer at {endpoint} in time; log tail:\n{log_tail(home)}"
    )


def start(
    home: Path = DEFAULT_HOME,
    port: int = DEFAULT_PORT,
    heap: str = "1g",
    timeout: float = 90.0,
    auth: tuple[str, str] | None = None,
) -> ServerHandle:
    """Start a server in ``home`` (or return the one already running there); with
    ``auth`` (user, password) every request must give them by HTTP basic auth.

    The JVM is detached (own session, output in ``logs/console.log``), so it outlives the
    ``kg fuseki start`` that launched it; ``stop(home)`` ends it.
    """
    home = Path(home)
    current = status(home)
    if current.running and current.pid and current.endpoint:
        return ServerHandle(home.resolve(), current.endpoint, current.pid)
    if not port_free(port):
        raise StoreError(
            f"127.0.0.1:{port} is already in use; pick another --port or stop what listens there"
        )
    command = java_args(MAIN, heap)
    config = write_config(home)
    if auth is not None:
        command += ["--auth=basic", f"--passwd={write_passwords(home, auth)}"]
    home = home.resolve()
    endpoint = f"http://127.0.0.1:{port}/{DATASET}"
    began = time.monotonic()
    command += ["--localhost", f"--port={port}", f"--config={config}"]
    proc = FUSEKI.launch(home, command, endpoint, auth=auth is not None)
    _wait_ready(endpoint, auth, proc, home, began + timeout)
    return ServerHandle(home, endpoint, proc.pid, round(time.monotonic() - began, 2))


def stop(home: Path = DEFAULT_HOME, timeout: float = 30.0, kill: bool = False) -> bool:
    """SIGTERM (TDB2 commits are durable, so this only ends the JVM), SIGKILL after
    ``timeout``; ``kill`` skips to SIGKILL. Returns whether a server was running."""
    return FUSEKI.stop(home, timeout, kill)


def status(home: Path = DEFAULT_HOME) -> ServerStatus:
    running = FUSEKI.running(home)
    if running is None:
        return ServerStatus(Path(home), False)
    pid, endpoint, state = running
    return ServerStatus(Path(home), True, pid, endpoint, bool(state.get("auth")))
