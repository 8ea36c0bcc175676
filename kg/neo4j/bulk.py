"""``kg neo4j import``: an embedded store into a kg-run Neo4j through ``neo4j-admin``.

The online loader (``kg load``: MERGE over Bolt) adds papers to a live graph; the offline
importer builds a whole database several times faster, but only into a stopped server and
only from CSV. This module runs that path end to end for a server ``kg neo4j start`` runs.

A failure leaves the database as it was: everything that reads the user's input (the
source store, its export) runs before the server is touched, and ``neo4j-admin`` writes
into a staging database whose directories replace the target's only once it succeeded.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, KgError, OutputError, StoreError, UsageError
from kg.jobs.bulk import check_counts, open_source, peak_rss_mb, unreadable
from kg.neo4j import server
from kg.neo4j.admin_csv import CsvExport, write_neo4j_csv
from kg.neo4j.store import Neo4jStore
from kg.store import Stats, Store

#: neo4j-admin's target; Community serves one user database, so a stray one stays offline.
STAGING = "kgstaging"


@dataclass(frozen=True)
class BulkReport:
    """Where the time went, so the benchmark and the summary line read the same figures."""

    stats: Stats
    rows: int
    export_s: float
    import_s: float
    restart_s: float
    total_s: float
    peak_rss_mb: float

    def summary(self) -> str:
        rels = sum(self.stats.edges.values())
        return (
            f"{self.stats.papers} papers, {rels} relationships ({self.rows} CSV rows) imported "
            f"in {self.total_s:.1f} s: export {self.export_s:.1f} s, neo4j-admin "
            f"{self.import_s:.1f} s, restart and checks {self.restart_s:.1f} s; counts match; "
            f"exporter peak RSS {self.peak_rss_mb:.0f} MB"
        )


def read_conf(home: Path) -> dict[str, str]:
    """The ``key=value`` settings of the home's neo4j.conf (empty for a new home)."""
    try:
        text = (Path(home) / "conf" / "neo4j.conf").read_text(encoding="utf-8")
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def _credentials(auth_on: bool) -> tuple[str, str] | None:
    """A server with auth on needs NEO4J_PASSWORD, checked before anything is touched."""
    if not auth_on:
        return None
    password = os.environ.get("NEO4J_PASSWORD")
    if not password:
        raise StoreError("this Neo4j server has auth on; set NEO4J_PASSWORD")
    return os.environ.get("NEO4J_USERNAME") or "neo4j", password


def export_csv(src: Store, source: Path, out_dir: Path) -> CsvExport:
    """Stream the store to neo4j-admin CSV (papers and edges never held all at once)."""
    try:
        return write_neo4j_csv(src.extractions(), out_dir)
    except StoreError as exc:
        raise unreadable(source, exc) from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
            raise OutputError(f"{out_dir}: cannot write the CSV files ({exc})") from None
        raise InputError(f"{source}: cannot read the store ({exc})") from None
    except (RuntimeError, ValueError) as exc:  # RocksDB corruption, undecodable terms
        raise InputError(f"{source}: cannot read the store ({exc})") from None


def _holds_nodes(uri: str, auth: tuple[str, str] | None, database: str) -> bool:
    user, password = auth if auth else (None, None)
    with Neo4jStore.open(uri=uri, username=user, password=password, database=database) as db:
        return bool(db.query("MATCH (n) WITH n LIMIT 1 RETURN count(n)", {}).rows[0][0])


def _swap_in(home: Path, database: str) -> None:
    """The staged store and its transaction logs replace the database's (server stopped)."""
    for sub in ("databases", "transactions"):
        target, staged = home / "data" / sub / database, home / "data" / sub / STAGING
        shutil.rmtree(target, ignore_errors=True)
        staged.rename(target)


def _drop_staging(home: Path) -> None:
    for sub in ("databases", "transactions"):
        shutil.rmtree(home / "data" / sub / STAGING, ignore_errors=True)


def bulk_import(
    source: Path,
    home: Path = server.DEFAULT_HOME,
    database: str = "neo4j",
    overwrite: bool = False,
    bolt_port: int = 7687,
    heap: str = "1g",
    progress: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> BulkReport:
    """Export ``source``, import it offline into ``home``'s ``database``, restart the
    server, apply the constraints and check the counts against the source."""
    began = time.monotonic()
    home, source = Path(home).resolve(), Path(source)
    conf = read_conf(home)
    if database != conf.get("initial.dbms.default_database", "neo4j"):
        raise UsageError(
            f"--database {database!r}: Neo4j Community serves one database, the home's "
            "default (neo4j); import into that"
        )
    address = conf.get("server.bolt.listen_address")
    port = int(address.rsplit(":", 1)[1]) if address else bolt_port
    auth = _credentials(conf.get("dbms.security.auth_enabled") == "true")
    pagecache = conf.get("server.memory.pagecache.size", "256m")
    with open_source(source) as src:
        expected = src.stats()
        if not overwrite and (
            server.status(home).running or (home / "data" / "databases" / database).is_dir()
        ):
            progress(f"asking the server in {home} whether {database!r} is empty")
            handle = server.start(home, port, auth, heap, pagecache, timeout=300)
            if _holds_nodes(handle.uri, auth, database):
                raise UsageError(
                    f"{home}: database {database!r} is not empty; pass --overwrite to "
                    "replace it, or add papers with `kg load`"
                )
        home.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".kg-import-", dir=home.parent))
        try:
            progress(f"exporting {expected.papers} papers from {source} to {work}")
            t = time.monotonic()
            export = export_csv(src, source, work)
            export_s = time.monotonic() - t
            progress(f"wrote {export.rows} rows in {export_s:.1f} s")
            stopped = server.stop(home)
            if stopped:
                progress(f"stopped the server in {home}")
            progress(f"neo4j-admin database import full ({len(export.nodes)} node files)")
            try:
                import_s = server.admin_import(
                    home, export.admin_args(STAGING), bolt_port=port, heap=heap
                )
                _swap_in(home, database)
            except KgError:
                if stopped:  # the database as it was, served again
                    server.start(home, port, auth, heap, pagecache, timeout=300)
                raise
            finally:
                _drop_staging(home)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    progress(f"imported in {import_s:.1f} s; starting the server")
    t = time.monotonic()
    handle = server.start(home, port, auth, heap, pagecache, timeout=300)
    user, password = auth if auth else (None, None)
    # opening the store applies the constraints and waits for their indexes
    with Neo4jStore.open(handle.uri, user, password, database) as dst:
        progress("constraints applied; checking counts")
        check_counts(expected, dst.stats())
    return BulkReport(
        expected,
        export.rows,
        round(export_s, 2),
        round(import_s, 2),
        round(time.monotonic() - t, 2),
        round(time.monotonic() - began, 2),
        round(peak_rss_mb(), 1),
    )
