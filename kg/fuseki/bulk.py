"""``kg fuseki import``: an embedded store into a kg-run Fuseki through Jena's TDB2 loader.

The online path (``kg load --store sparql``) sends a SPARQL Update a batch; Jena's bulk
loader (``tdb2.tdbloader``) builds TDB2's indexes in sorted passes, many times faster,
but only into a dataset no server holds. So the source's quads, as stored, stream into
the loader's stdin, which builds a staging dataset beside the served one while Fuseki
keeps answering; only once the loader succeeded is the server stopped, the staging
dataset put in place of the old one and the server started on it.

A failure leaves the dataset as it was: the source is opened before anything else, a
fault met while reading it (exit 2) or a failed loader (exit 3) only drops the staging
dataset, and the served one is replaced after the loader is done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from kg.errors import InputError, StoreError, UsageError
from kg.fuseki import server
from kg.fuseki.protocol import SparqlClient
from kg.fuseki.store import SparqlStore
from kg.jobs.bulk import check_counts, open_source, peak_rss_mb
from kg.rdf.sharded import ShardedStore
from kg.rdf.store import OxigraphStore
from kg.rdf.tally import COUNT, PAPER_COUNT
from kg.rdf.vocab import KIND_CLASS, PAPER_CLASS, RELATION_PROPERTY
from kg.store import Stats, Store

LOADER = "tdb2.tdbloader"
STAGING = "tdb2.loading"  # beside the served ``tdb2``, in the server's home
LOADER_LOG = "logs/loader.log"
PROGRESS_EVERY = 1_000_000  # quads between progress lines


@dataclass(frozen=True)
class BulkReport:
    """Where the time went, so the benchmark and the summary line read the same figures."""

    stats: Stats
    quads: int
    load_s: float  # reading the source and the loader, which run side by side
    restart_s: float
    total_s: float
    peak_rss_mb: float

    @property
    def quads_per_s(self) -> float:
        return self.quads / self.load_s if self.load_s else 0.0

    def summary(self) -> str:
        edges = sum(self.stats.edges.values())
        return (
            f"{self.stats.papers} papers, {edges} edges ({self.quads} quads) imported in "
            f"{self.total_s:.1f} s: tdb2.tdbloader {self.load_s:.1f} s "
            f"({self.quads_per_s:,.0f} quads/s), restart and checks {self.restart_s:.1f} s; "
            f"counts match; exporter peak RSS {self.peak_rss_mb:.0f} MB"
        )


def stored_quads(src: Store) -> Iterator[Quad]:
    """What the ``sparql`` store holds for ``src``, quad for quad. One store: its quads as
    stored, the index graph's too. Shards: each one's quads as stored (an entity
    described in several shards repeats; the loader keeps one), then the running counts
    summed; the rankings, pages and pair counts are recounted on the server once it runs,
    since one shard's cannot be added to another's."""
    if isinstance(src, OxigraphStore):
        yield from src.stored_quads()
        return
    assert isinstance(src, ShardedStore)  # what kg.jobs.bulk.open_source opens
    paper_count, count = NamedNode(PAPER_COUNT), NamedNode(COUNT)
    papers_of: Counter[str] = Counter()  # a paper lives in one shard: counts add up
    index = None
    for part in src.shards:
        index = part.index_graph
        for q in part.stored_quads():
            if q.graph_name != index:
                yield q
            elif q.predicate == paper_count:
                assert isinstance(q.subject, NamedNode) and isinstance(q.object, Literal)
                papers_of[q.subject.value] += int(q.object.value)
    if index is None:
        return
    stats = src.stats()
    kinds = {kind.value: iri for kind, iri in KIND_CLASS.items()}
    relations = {rel.value: iri for rel, iri in RELATION_PROPERTY.items()}
    totals = {
        PAPER_CLASS: stats.papers,
        **{kinds[k]: n for k, n in stats.entities.items()},
        **{relations[r]: n for r, n in stats.edges.items()},
    }
    for counts, predicate in ((totals, count), (papers_of, paper_count)):
        for iri, n in counts.items():
            if n:
                yield Quad(NamedNode(iri), predicate, Literal(n), index)


def _counted(
    quads: Iterator[Quad], seen: list[int], progress: Callable[[str], None]
) -> Iterator[Quad]:
    for n, quad in enumerate(quads, 1):
        if n % PROGRESS_EVERY == 0:
            progress(f"{n:,} quads sent to the loader")
        seen[0] = n
        yield quad


def load_tdb2(
    src: Store, source: Path, location: Path, heap: str, log: Path, progress: Callable[[str], None]
) -> int:
    """Stream ``src`` into a new TDB2 dataset at ``location``; returns the quads sent."""
    shutil.rmtree(location, ignore_errors=True)
    command = [*server.java_args(LOADER, heap), f"--loc={location}", "--syntax=nquads"]
    seen = [0]
    with open(log, "wb") as out:
        loader = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=out)
        assert loader.stdin is not None
        try:
            serialize(_counted(stored_quads(src), seen, progress), loader.stdin, RdfFormat.N_QUADS)
            loader.stdin.close()
        except BrokenPipeError:
            pass  # the loader stopped reading: its exit code and log say why
        except (RuntimeError, ValueError, OSError) as exc:  # RocksDB corruption and kin
            loader.kill()
            loader.wait()
            shutil.rmtree(location, ignore_errors=True)
            raise InputError(f"{source}: cannot read the store ({exc})") from None
        except BaseException:
            loader.kill()
            loader.wait()
            shutil.rmtree(location, ignore_errors=True)
            raise
        if loader.wait() != 0:
            shutil.rmtree(location, ignore_errors=True)
            lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            tail = " | ".join(lines[-3:])
            raise StoreError(f"{LOADER} failed (exit {loader.returncode}), see {log}: {tail}")
    return seen[0]


def _auth(home: Path) -> tuple[str, str] | None:
    """KG_SPARQL_USERNAME/PASSWORD; a server that asks for them cannot go without."""
    if password := os.environ.get("KG_SPARQL_PASSWORD"):
        return os.environ.get("KG_SPARQL_USERNAME") or "kg", password
    if server.status(home).auth:
        raise StoreError(f"{home}: this Fuseki asks for basic auth; set KG_SPARQL_PASSWORD")
    return None


def _holds_quads(endpoint: str, auth: tuple[str, str] | None) -> bool:
    client = SparqlClient(endpoint, auth=auth)
    try:
        return bool(client.solutions("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"))
    finally:
        client.close()


def bulk_import(
    source: Path,
    home: Path = server.DEFAULT_HOME,
    overwrite: bool = False,
    port: int = server.DEFAULT_PORT,
    heap: str = "1g",
    progress: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> BulkReport:
    """Load ``source`` with the TDB2 bulk loader into ``home``'s dataset, restart the
    server on it and check the counts against the source."""
    began = time.monotonic()
    home, source = Path(home).resolve(), Path(source)
    with open_source(source) as src:
        expected, base = src.stats(), getattr(src, "base", None)
        auth = _auth(home)
        state = server.status(home)
        if state.running and state.endpoint:
            port = int(state.endpoint.rsplit(":", 1)[1].split("/", 1)[0])
        if not overwrite and (state.running or (home / "tdb2").is_dir()):
            progress(f"asking the server in {home} whether its dataset is empty")
            handle = server.start(home, port, heap, timeout=300, auth=auth)
            if _holds_quads(handle.endpoint, auth):
                raise UsageError(
                    f"{home}: the Fuseki dataset is not empty; pass --overwrite to replace "
                    "it, or add papers with `kg load --store sparql`"
                )
        server.write_config(home)  # the home's directories
        staging = home / STAGING
        progress(f"loading {expected.papers} papers from {source} with {LOADER} into {staging}")
        t = time.monotonic()
        quads = load_tdb2(src, source, staging, heap, home / LOADER_LOG, progress)
        load_s = time.monotonic() - t
    progress(f"loaded {quads:,} quads in {load_s:.1f} s; swapping the dataset in")
    if server.stop(home):
        progress(f"stopped the server in {home}")
    shutil.rmtree(home / "tdb2", ignore_errors=True)
    staging.rename(home / "tdb2")
    t = time.monotonic()
    handle = server.start(home, port, heap, timeout=300, auth=auth)
    progress(f"started at {handle.endpoint}; checking counts")
    if isinstance(src, ShardedStore):
        progress("ranking, paging and pairing the shards' papers on the server")
    with SparqlStore(SparqlClient(handle.endpoint, auth=auth), base) as dst:
        check_counts(expected, dst.stats())
    return BulkReport(
        expected,
        quads,
        round(load_s, 2),
        round(time.monotonic() - t, 2),
        round(time.monotonic() - began, 2),
        round(peak_rss_mb(), 1),
    )
