"""Declarative pipelines: one TOML file names the inputs, extraction settings, store,
queries, view and exports of a job (``kg run pipelines/daily_papers.toml``).

Relative paths are taken from the directory ``kg run`` is started in. The file is
validated up front with messages that name the offending key; its JSON Schema is
``schemas/pipeline.schema.json``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import UsageError

SECTIONS = {"input", "extract", "store", "query", "view", "export"}


@dataclass
class Pipeline:
    sources: list[str]
    format: str | None = None
    skip_bad: bool = False
    batch_size: int = 512
    aliases: list[str] = field(default_factory=list)
    store: str = "oxigraph"
    db: str = ".kg/db"
    base_iri: str | None = None
    queries: list[dict[str, Any]] = field(default_factory=list)
    view: dict[str, Any] | None = None
    exports: list[dict[str, Any]] = field(default_factory=list)


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise UsageError(f"pipeline: {where} must be {names}, got {type(value).__name__}")
    return value


def parse_pipeline(data: dict[str, Any], origin: str = "pipeline") -> Pipeline:
    unknown = set(data) - SECTIONS
    if unknown:
        raise UsageError(
            f"{origin}: unknown section [{sorted(unknown)[0]}]; "
            f"sections are {', '.join(sorted(SECTIONS))}"
        )
    inp = _expect(data.get("input"), dict, "[input]")
    sources = _expect(inp.get("sources"), list, "input.sources")
    extract = _expect(data.get("extract", {}), dict, "[extract]")
    store = _expect(data.get("store", {}), dict, "[store]")
    pipe = Pipeline(
        sources=[str(_expect(s, str, "input.sources[]")) for s in sources],
        format=inp.get("format"),
        skip_bad=bool(_expect(inp.get("skip_bad", False), bool, "input.skip_bad")),
        batch_size=_expect(extract.get("batch_size", 512), int, "extract.batch_size"),
        aliases=[str(a) for a in _expect(extract.get("aliases", []), list, "extract.aliases")],
        store=_expect(store.get("backend", "oxigraph"), str, "store.backend"),
        db=_expect(store.get("db", ".kg/db"), str, "store.db"),
        base_iri=store.get("base_iri"),
        queries=[
            _expect(q, dict, "[[query]]") for q in _expect(data.get("query", []), list, "[[query]]")
        ],
        view=_expect(data.get("view"), (dict, type(None)), "[view]"),
        exports=[
            _expect(e, dict, "[[export]]")
            for e in _expect(data.get("export", []), list, "[[export]]")
        ],
    )
    for q in pipe.queries:
        _expect(q.get("name"), str, "query.name")
        _expect(q.get("args", {}), dict, "query.args")
    for e in pipe.exports:
        _expect(e.get("format"), str, "export.format")
        _expect(e.get("out"), str, "export.out")
    return pipe


def load_pipeline(path: str | Path) -> Pipeline:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read pipeline ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: invalid TOML ({exc})") from None
    return parse_pipeline(data, str(path))


def run_pipeline(pipe: Pipeline, echo: Callable[[str], None] = print) -> None:
    """Build, then answer the queries, write the view and the exports, in that order."""
    from kg.cli.output import OutputFormat, print_stats, print_table
    from kg.export import export
    from kg.extract import Extractor
    from kg.jobs.build import build
    from kg.jobs.limits import Limits
    from kg.query import run_named
    from kg.query.papers import shown_ids
    from kg.resolve import Resolver
    from kg.store import open_store
    from kg.viz import view_store

    resolver = Resolver.from_files(pipe.aliases)
    with open_store(pipe.store, path=Path(pipe.db), base_iri=pipe.base_iri) as store:
        report = build(
            pipe.sources,
            store,
            fmt=pipe.format,
            skip_bad=pipe.skip_bad,
            extractor=Extractor(resolver=resolver),
            limits=Limits(batch_size=pipe.batch_size),
        )
        echo(
            f"built {pipe.db}: {report.papers_read} papers read, {report.papers_written} "
            f"extracted, {report.papers_unchanged} unchanged, {len(report.skipped)} skipped"
        )
        if report.stats:
            print_stats(report.stats)
        for q in pipe.queries:
            args = q.get("args", {})
            echo(
                f"\nkg query {q['name']} "
                + " ".join(filter(None, (_as_option(k, v) for k, v in args.items())))
            )
            print_table(shown_ids(run_named(store, q["name"], args, resolver)), OutputFormat.table)
        if pipe.view:
            out = Path(pipe.view.get("out", "graph.html"))
            result = view_store(store, out, max_nodes=int(pipe.view.get("max_nodes", 2000)))
            echo(f"view: {out} ({result.nodes} nodes, {result.edges} edges)")
        for e in pipe.exports:
            n = export(store, e["format"], Path(e["out"]))
            echo(f"export: {e['out']} ({e['format']}, {n} records)")


def _as_option(name: str, value: Any) -> str:
    """A query argument as the CLI would take it: ``--with-code``, ``--limit 10``, a name."""
    if isinstance(value, bool):
        return f"--{name.replace('_', '-')}" if value else ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"--{name} {value}"
    return str(value)
