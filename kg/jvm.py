"""The JVM servers kg runs itself (Neo4j, Fuseki): classpath, process, state, stop.

Both come from Maven Central (a pom shipped in their package, copied with ``mvn
dependency:copy-dependencies``), run detached in a home directory of their own (output in
``logs/console.log``, pid and address in a state file under ``run/``), listen on loopback
only, and stop with SIGTERM, then SIGKILL. What differs between them (the conf, how to
tell the server is ready) stays in ``kg.neo4j.server`` and ``kg.fuseki.server``.
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

from kg.errors import StoreError

CONSOLE_LOG = "logs/console.log"
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}  # servers this process started: reaped on stop


@dataclass(frozen=True)
class JvmServer:
    """One kind of server: ``name`` for messages, ``package`` holding its ``pom.xml``,
    ``lib`` its classpath folder name (``.neo4j`` → ``.neo4j/lib``; env ``KG_<LIB>_LIB``
    overrides), ``marker`` a jar glob that proves the classpath is there, ``main`` the
    class whose command line identifies a running server, ``state`` its state file."""

    name: str
    package: str
    lib: str
    marker: str
    main: str
    state: str

    @property
    def lib_dir(self) -> Path:
        """``KG_<LIB>_LIB``, else the checkout's ``.<lib>/lib`` (what ``make`` fills), else
        a per-user cache for an installed kg."""
        if env := os.environ.get(f"KG_{self.lib.upper()}_LIB"):
            return Path(env)
        checkout = Path(__file__).resolve().parents[1]
        if (checkout / "pyproject.toml").is_file():
            return checkout / f".{self.lib}" / "lib"
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return cache / "kg" / f"{self.lib}-lib"

    def java_command(self) -> str:
        java = shutil.which("java")
        if java is None:
            raise StoreError(
                f"java not found on PATH; {self.name} needs Java 17 (apt-get install "
                "openjdk-17-jre-headless)"
            )
        return java

    def ensure_jars(self, lib_dir: Path | None = None) -> Path:
        """The server classpath, fetched from Maven Central with ``mvn`` the first time."""
        lib_dir = lib_dir or self.lib_dir
        if any(lib_dir.glob(self.marker)):
            return lib_dir
        mvn = shutil.which("mvn")
        if mvn is None:
            raise StoreError(
                f"{lib_dir}: no {self.name} jars and no mvn to fetch them (apt-get install "
                f"maven), or point KG_{self.lib.upper()}_LIB at a copied classpath"
            )
        lib_dir.mkdir(parents=True, exist_ok=True)
        # maven works beside its pom: a copy keeps an installed package's folder untouched
        pom = lib_dir.parent / f"kg-{self.lib}-pom.xml"
        pom.write_text(files(self.package).joinpath("pom.xml").read_text("utf-8"), "utf-8")
        copy = ["dependency:copy-dependencies", "-DincludeScope=runtime"]
        done = subprocess.run(
            [mvn, "-B", "-q", "-f", str(pom), *copy, f"-DoutputDirectory={lib_dir.resolve()}"],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0 or not any(lib_dir.glob(self.marker)):
            tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
            raise StoreError(f"mvn could not fetch {self.name} into {lib_dir}: {' | '.join(tail)}")
        return lib_dir

    def launch(
        self, home: Path, command: list[str], address: str, **facts: object
    ) -> subprocess.Popen[bytes]:
        """Start ``command`` detached in ``home`` (its own session, so it outlives the kg
        that launched it) and note its pid, ``address`` and ``facts`` in the state file."""
        with open(home / CONSOLE_LOG, "ab") as log:
            proc = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=home,
            )
        _CHILDREN[proc.pid] = proc
        state = {**facts, "pid": proc.pid, "address": address}
        (home / self.state).write_text(json.dumps(state), encoding="utf-8")
        return proc

    def running(self, home: Path) -> tuple[int, str, dict[str, object]] | None:
        """(pid, address, state file) of the server running in ``home``, if one is."""
        try:
            state = json.loads((Path(home) / self.state).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        pid = int(state.get("pid", 0))
        if pid and self._alive(pid, home):  # "uri"/"endpoint": a state file of kg 0.1
            address = state.get("address") or state.get("uri") or state.get("endpoint")
            return pid, str(address), state
        return None

    def stop(self, home: Path, timeout: float = 30.0, kill: bool = False) -> bool:
        """SIGTERM, SIGKILL after ``timeout``; ``kill`` skips to SIGKILL. Returns whether a
        server was running."""
        home = Path(home)
        current = self.running(home)
        if current is None:
            (home / self.state).unlink(missing_ok=True)
            return False
        pid = current[0]
        os.kill(pid, signal.SIGKILL if kill else signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self._alive(pid, home) and time.monotonic() < deadline:
            time.sleep(0.1)
        if self._alive(pid, home):
            os.kill(pid, signal.SIGKILL)
            while self._alive(pid, home):
                time.sleep(0.1)
        child = _CHILDREN.pop(pid, None)
        if child is not None:
            child.wait()
        (home / self.state).unlink(missing_ok=True)
        return True

    def _alive(self, pid: int, home: Path) -> bool:
        """True when ``pid`` is still our server for ``home`` (pids get reused)."""
        child = _CHILDREN.get(pid)
        if child is not None:
            return child.poll() is None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return False
        return self.main in cmdline and str(Path(home).resolve()) in cmdline


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_free(port: int) -> bool:
    """Nothing listens on ``port`` (TIME_WAIT leftovers of a killed server do not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def log_tail(home: Path, lines: int = 15) -> str:
    try:
        text = (Path(home) / CONSOLE_LOG).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.strip().splitlines()[-lines:])
