"""Extraction on a Dask cluster: partitions of the input → ``part-NNNNN.jsonl`` files.

Each partition is a whole file or a line-aligned byte range of a large JSON Lines file (one
arXiv snapshot splits across all workers). Workers run ``kg.jobs.build.extract_records`` — the
same reader, limits and Extractor as ``kg extract`` — and write their own part file, so only
counts travel through the scheduler; ``out_dir`` must therefore be visible to every worker
(any path on a LocalCluster, a shared filesystem on a real one). ``load_partitions`` reads
the parts back in input order with the same de-duplication as a single-process read.
Dask rather than Ray: see docs/scaling.md.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.errors import InputError, UsageError
from kg.extract import Extractor
from kg.files import output_directory
from kg.ingest import BadRecordHandler, detect_format, expand_sources, raise_bad
from kg.ingest.clean import BadRecord
from kg.ingest.identity import StreamIdentity
from kg.ingest.jsonstream import loads
from kg.ingest.textio import GZIP_MAGIC, iter_lines
from kg.jobs.build import (
    ProgressCallback,
    Recheck,
    counted,
    extract_records,
    invalid_text_field,
    store_extractions,
)
from kg.jobs.limits import Limits
from kg.model import (
    Entity,
    EntityKind,
    Evidence,
    Mention,
    PaperExtraction,
    Relation,
    Result,
    paper_from_record,
    paper_record,
)
from kg.rdf.vocab import check_paper_id
from kg.store.base import Store

PART_GLOB = "part-*.jsonl"
#: Files smaller than this are never split: a partition should outweigh its task overhead.
MIN_SPLIT_BYTES = 1 << 20
DEFAULT_LIMITS = Limits()

_worker_extractor: Extractor | None = None


@dataclass(frozen=True)
class Partition:
    """Bytes ``[start, end)`` of ``path`` (``end`` None: to the end), read as ``fmt``.

    ``first_line`` is the file line at ``start``, so sources and errors keep real lines.
    """

    path: str
    fmt: str
    start: int = 0
    end: int | None = None
    first_line: int = 1


# -- records ---------------------------------------------------------------------------
def extraction_to_json(ex: PaperExtraction) -> dict[str, Any]:
    """Everything needed to rebuild ``ex`` exactly (unlike the eval format's surfaces)."""
    return {
        "paper": paper_record(ex.paper),
        "releases_code": ex.releases_code,
        "content_hash": ex.content_hash,
        "mentions": [
            {
                "relation": m.relation.value,
                "kind": m.entity.kind.value,
                "key": m.entity.key,
                "name": m.entity.name,
                "surface": m.surface,
                "evidence": list(m.evidence.as_tuple()),
            }
            for m in ex.mentions
        ],
        "results": [list(r.as_tuple()) for r in ex.results],
    }


def extraction_from_json(record: dict[str, Any]) -> PaperExtraction:
    paper = paper_from_record(record["paper"])
    mentions = [
        Mention(
            relation=Relation(m["relation"]),
            entity=Entity(EntityKind(m["kind"]), m["key"], m["name"]),
            surface=m["surface"],
            evidence=Evidence(*m["evidence"]),
        )
        for m in record["mentions"]
    ]
    results = [Result.of(row) for row in record.get("results", [])]
    code, content_hash = bool(record["releases_code"]), record.get("content_hash", "")
    return PaperExtraction(paper, mentions, code, content_hash, results)


# -- planning --------------------------------------------------------------------------
def _is_json_lines(path: Path) -> bool:
    """Splittable: uncompressed, and the first line alone is a complete JSON object."""
    with path.open("rb") as fh:
        if fh.read(2) == GZIP_MAGIC:
            return False
        fh.seek(0)
        first = fh.readline()
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _split(path: Path, fmt: str, target: int) -> list[Partition]:
    """Ranges of about ``target`` bytes, each ending after a newline; one pass over the file."""
    parts: list[Partition] = []
    start, line = 0, 1
    with path.open("rb") as fh:
        while True:
            fh.seek(start + target)
            fh.readline()  # finish the line the cut fell in
            end = fh.tell()
            if not fh.readline():  # nothing after: last range
                parts.append(Partition(str(path), fmt, start, None, line))
                return parts
            lines = _count_newlines(fh, start, end)
            parts.append(Partition(str(path), fmt, start, end, line))
            start, line = end, line + lines


def _count_newlines(fh: Any, start: int, end: int, chunk: int = 1 << 20) -> int:
    fh.seek(start)
    n = 0
    while start < end:
        data = fh.read(min(chunk, end - start))
        n += data.count(b"\n")
        start += len(data)
    return n


def plan_partitions(
    sources: Sequence[str | Path], partitions: int, fmt: str | None = None
) -> list[Partition]:
    """About ``partitions`` pieces of similar size, in input order."""
    files = expand_sources(sources)
    total = sum(f.stat().st_size for f in files)
    target = max(MIN_SPLIT_BYTES, -(-total // max(partitions, 1)))
    plan: list[Partition] = []
    for path in files:
        name = fmt or detect_format(path).name
        if path.stat().st_size > target and _is_json_lines(path):
            plan.extend(_split(path, name, target))
        else:
            plan.append(Partition(str(path), name))
    return plan


# -- work ------------------------------------------------------------------------------
def _relined(text: str, old: str, new: str, offset: int) -> str:
    """``old:LINE…`` → ``new:LINE+offset…`` (sources and error messages of a range copy)."""
    return re.sub(
        rf"^{re.escape(old)}:(\d+)", lambda m: f"{new}:{int(m[1]) + offset}", text, count=1
    )


def extract_partition(
    part: Partition, out_file: str, limits: Limits = DEFAULT_LIMITS, skip_bad: bool = False
) -> int:
    """Extract one partition into ``out_file`` (JSON Lines); the number of papers written.

    A byte range is copied to a file of the same name in a temporary directory so the
    ordinary reader reads it; sources and errors are shifted back to the real lines.
    """
    global _worker_extractor
    _worker_extractor = _worker_extractor or Extractor()
    path = Path(part.path)
    tmp_dir = None
    try:
        if part.start or part.end is not None:
            tmp_dir = Path(tempfile.mkdtemp(prefix="kg-part-"))
            with path.open("rb") as src, (tmp_dir / path.name).open("wb") as dst:
                src.seek(part.start)
                _copy_range(src, dst, None if part.end is None else part.end - part.start)
            read_path, offset = tmp_dir / path.name, part.first_line - 1
        else:
            read_path, offset = path, 0
        n = 0
        with Path(out_file).open("w", encoding="utf-8") as out:
            try:
                records = extract_records(
                    [read_path],
                    fmt=part.fmt,
                    extractor=_worker_extractor,
                    limits=limits,
                    skip_bad=skip_bad,
                )
                for ex in records:
                    if offset:
                        source = _relined(ex.paper.source, path.name, path.name, offset)
                        ex.paper = replace(ex.paper, source=source)
                    out.write(json.dumps(extraction_to_json(ex), ensure_ascii=False) + "\n")
                    n += 1
            except InputError as exc:
                raise InputError(_relined(exc.message, str(read_path), str(path), offset)) from None
        return n
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)


def _copy_range(src: Any, dst: Any, size: int | None, chunk: int = 1 << 20) -> None:
    while size is None or size > 0:
        data = src.read(chunk if size is None else min(chunk, size))
        if not data:
            return
        dst.write(data)
        if size is not None:
            size -= len(data)


def extract_dask(
    sources: Sequence[str | Path],
    out_dir: str | Path,
    *,
    scheduler: str | None = None,
    partitions: int | None = None,
    fmt: str | None = None,
    workers: int = 2,
    limits: Limits = DEFAULT_LIMITS,
    skip_bad: bool = False,
) -> list[Path]:
    """Extract ``sources`` on Dask into ``out_dir/part-NNNNN.jsonl``; the part files, in order.

    Without ``scheduler`` a LocalCluster of ``workers`` single-threaded processes is started
    (and stopped); with one, its workers do the work. ``partitions`` defaults to four per
    worker so a slow partition does not hold the others up.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("the dask engine needs Dask: pip install 'kg[dask]'") from None

    out = output_directory(Path(out_dir))
    for stale in out.glob(PART_GLOB):
        stale.unlink()
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    try:
        with Client(scheduler or cluster) as client:
            n_workers = len(client.scheduler_info(n_workers=-1)["workers"]) or workers
            plan = plan_partitions(sources, partitions or 4 * n_workers, fmt)
            files = [out / f"part-{i:05d}.jsonl" for i in range(len(plan))]
            futures = client.map(
                extract_partition,
                plan,
                [str(f.resolve()) for f in files],
                limits=limits,
                skip_bad=skip_bad,
                pure=False,
            )
            client.gather(futures)
    finally:
        if cluster is not None:
            cluster.close()
    return files


def load_partitions(
    out_dir: str | Path, on_bad: BadRecordHandler = raise_bad
) -> Iterator[PaperExtraction]:
    """The extractions in ``out_dir``'s part files, in order, each paper once; a line
    that is not one goes to ``on_bad`` with its file and line.

    Partitions are read apart, so a paper in two of them is dropped here by the rule
    ``iter_papers`` applies within one read (``kg.ingest.identity``).
    """
    parts = sorted(Path(out_dir).glob(PART_GLOB))
    if not parts:
        raise InputError(f"{out_dir}: no {PART_GLOB} files; run `kg extract --engine dask`")
    identity = StreamIdentity(named=frozenset())
    for part in parts:
        for lineno, line in iter_lines(part, on_bad):
            try:
                ex = _checked_extraction(line)
            except BadRecord as exc:
                on_bad(InputError(f"{part}:{lineno}: {exc}"))
                continue
            if identity.admit(ex.paper) is not None:
                yield ex


def _checked_extraction(line: str) -> PaperExtraction:
    """One part-file line as an extraction; BadRecord when it is not one a store can take."""
    try:
        record = loads(line)
        json.dumps(record, ensure_ascii=False).encode("utf-8")  # lone surrogates anywhere
        ex = extraction_from_json(record)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"malformed JSON ({exc.msg} at column {exc.colno})") from None
    except UnicodeEncodeError:
        raise BadRecord("not valid Unicode (a lone surrogate such as a \\ud800 escape)") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadRecord(f"not a kg extraction record ({type(exc).__name__}: {exc})") from None
    if not ex.paper.id or not ex.paper.title or invalid_text_field(ex.paper):
        raise BadRecord("not a kg extraction record (a paper needs an id and a title)")
    try:
        check_paper_id(ex.paper.id)
    except InputError as exc:
        raise BadRecord(exc.message) from None
    return ex


def store_partitions(
    out_dir: str | Path,
    store: Store,
    batch_size: int,
    skip_bad: bool = False,
    progress: ProgressCallback | None = None,
) -> tuple[int, list[InputError]]:
    """Check every part file, then store them: (papers stored, bad lines skipped). A bad
    line in a later part stops the build before anything is written, as in ``build``."""
    _, skipped = counted(lambda on_bad: load_partitions(out_dir, on_bad), skip_bad, str(out_dir))
    parts = load_partitions(out_dir, Recheck(set(map(str, skipped))))
    return store_extractions(parts, store, batch_size, progress, merge=True), skipped
