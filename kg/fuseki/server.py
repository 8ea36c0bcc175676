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
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import httpx

from kg.errors import StoreError

#: The pom that names Fuseki's classpath ships inside the package, as Neo4j's does.
POM = files("kg.fuseki").joinpath("pom.xml")
MAIN = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"
DATASET = "kg"
DEFAULT_HOME = Path(".kg/fuseki")
DEFAULT_PORT = 3030
CONSOLE_LOG = "logs/console.log"
STATE_FILE = "run/kg-fuseki.json"
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}  # servers this process started

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


def _default_lib_dir() -> Path:
    """``KG_FUSEKI_LIB``, else the checkout's ``.fuseki/lib`` (what ``make`` fills), else a
    per-user cache for an installed kg."""
    if env := os.environ.get("KG_FUSEKI_LIB"):
        return Path(env)
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():
        return checkout / ".fuseki" / "lib"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "kg" / "fuseki-lib"


LIB_DIR = _default_lib_dir()


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


def java_command() -> str:
    java = shutil.which("java")
    if java is None:
        raise StoreError(
            "java not found on PATH; Fuseki 5 needs Java 17 (apt-get install "
            "openjdk-17-jre-headless)"
        )
    return java


def ensure_jars(lib_dir: Path = LIB_DIR) -> Path:
    """The server classpath, fetched from Maven Central with ``mvn`` the first time."""
    if any(lib_dir.glob("jena-fuseki-main-*.jar")):
        return lib_dir
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StoreError(
            f"{lib_dir}: no Fuseki jars and no mvn to fetch them (apt-get install maven), "
            "or point KG_FUSEKI_LIB at a copied classpath"
        )
    lib_dir.mkdir(parents=True, exist_ok=True)
    pom = lib_dir.parent / "kg-fuseki-pom.xml"  # maven works beside its pom
    pom.write_text(POM.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        [
            mvn,
            "-B",
            "-q",
            "-f",
            str(pom),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={lib_dir.resolve()}",
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not any(lib_dir.glob("jena-fuseki-main-*.jar")):
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise StoreError(f"mvn could not fetch Fuseki into {lib_dir}: {' | '.join(tail)}")
    return lib_dir


def java_args(main: str, heap: str = "1g") -> list[str]:
    """``java`` plus heap and classpath to run ``main`` (the server or a TDB2 tool)."""
    return [java_command(), f"-Xmx{heap}", "-cp", str(ensure_jars() / "*"), main]


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


def port_free(port: int) -> bool:
    """Nothing listens on ``port`` (TIME_WAIT leftovers of a killed server do not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def log_tail(home: Path, lines: int = 15) -> str:
    try:
        text = (Path(home) / CONSOLE_LOG).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.strip().splitlines()[-lines:])


def _alive(pid: int, home: Path) -> bool:
    """True when ``pid`` is still our server for ``home`` (pids get reused)."""
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return MAIN in cmdline and str(Path(home).resolve()) in cmdline


def status(home: Path = DEFAULT_HOME) -> ServerStatus:
    home = Path(home)
    try:
        state = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ServerStatus(home, False)
    pid = int(state.get("pid", 0))
    if pid and _alive(pid, home):
        return ServerStatus(home, True, pid, state.get("endpoint"), bool(state.get("auth")))
    return ServerStatus(home, False)


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
    with open(home / CONSOLE_LOG, "ab") as log:
        proc = subprocess.Popen(
            [*command, "--localhost", f"--port={port}", f"--config={config}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=home,
        )
    _CHILDREN[proc.pid] = proc
    state = {"pid": proc.pid, "endpoint": endpoint, "auth": auth is not None}
    (home / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    _wait_ready(endpoint, auth, proc, home, began + timeout)
    return ServerHandle(home, endpoint, proc.pid, round(time.monotonic() - began, 2))


def stop(home: Path = DEFAULT_HOME, timeout: float = 30.0, kill: bool = False) -> bool:
    """SIGTERM (TDB2 commits are durable, so this only ends the JVM), SIGKILL after
    ``timeout``; ``kill`` skips to SIGKILL. Returns whether a server was running."""
    home = Path(home)
    current = status(home)
    if not current.running or current.pid is None:
        (home / STATE_FILE).unlink(missing_ok=True)
        return False
    pid = current.pid
    os.kill(pid, signal.SIGKILL if kill else signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid, home) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid, home):
        os.kill(pid, signal.SIGKILL)
        while _alive(pid, home):
            time.sleep(0.1)
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        child.wait()
    (home / STATE_FILE).unlink(missing_ok=True)
    return True
