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
from kg.registry import Registry

#: Each section's keys and their types, as ``schemas/pipeline.schema.json`` has them: the
#: whole file is checked against this before the build runs, so a bad ``[view]`` is found
#: in a second, not after an hour of building.
KEYS: dict[str, dict[str, type]] = {
    "input": {"sources": list, "format": str, "skip_bad": bool},
    "extract": {"batch_size": int, "aliases": list},
    "store": {"backend": str, "db": str, "base_iri": str},
    "query": {"name": str, "args": dict},
    "view": {"out": str, "max_nodes": int},
    "export": {"format": str, "out": str},
}
REQUIRED = {"input": ("sources",), "query": ("name",), "export": ("format", "out")}
SECTIONS = set(KEYS)
#: Sections written as ``[[name]]``: a list of tables.
LISTS = {"query", "export"}


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
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # TOML's true is a Python int too; a count must not be a boolean
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise UsageError(f"pipeline: {where} must be {names}, got {type(value).__name__}")
    return value


def _table(value: Any, section: str, where: str) -> dict[str, Any]:
    """``value`` checked as one ``[section]`` table: known keys of the right types."""
    table: dict[str, Any] = _expect(value, dict, where)
    unknown = sorted(set(table) - set(KEYS[section]))
    if unknown:
        raise UsageError(
            f"pipeline: unknown key {section}.{unknown[0]}; keys are {', '.join(KEYS[section])}"
        )
    for key, kind in KEYS[section].items():
        if key in table:
            _expect(table[key], kind, f"{section}.{key}")
        elif key in REQUIRED.get(section, ()):
            _expect(None, kind, f"{section}.{key}")
    return table


def parse_pipeline(data: dict[str, Any], origin: str = "pipeline") -> Pipeline:
    """A checked Pipeline: types first, then values (names known, counts positive)."""
    unknown = set(data) - SECTIONS
    if unknown:
        raise UsageError(
            f"{origin}: unknown section [{sorted(unknown)[0]}]; "
            f"sections are {', '.join(sorted(SECTIONS))}"
        )
    inp = _table(data.get("input"), "input", "[input]")
    extract = _table(data.get("extract", {}), "extract", "[extract]")
    store = _table(data.get("store", {}), "store", "[store]")
    view = None if data.get("view") is None else _table(data["view"], "view", "[view]")
    listed = {
        name: [
            _table(t, name, f"[[{name}]]") for t in _expect(data.get(name, []), list, f"[[{name}]]")
        ]
        for name in sorted(LISTS)
    }
    pipe = Pipeline(
        sources=[_expect(s, str, "input.sources[]") for s in inp["sources"]],
        format=inp.get("format"),
        skip_bad=inp.get("skip_bad", False),
        batch_size=extract.get("batch_size", 512),
        aliases=[_expect(a, str, "extract.aliases[]") for a in extract.get("aliases", [])],
        store=store.get("backend", "oxigraph"),
        db=store.get("db", ".kg/db"),
        base_iri=store.get("base_iri"),
        queries=listed["query"],
        view=view,
        exports=listed["export"],
    )
    for q in pipe.queries:
        for name, value in q.get("args", {}).items():
            _expect(value, (str, int, bool), f"query.args.{name}")
    return pipe


def check_values(pipe: Pipeline) -> Pipeline:
    """What types cannot say: sources given, counts at least 1, every reader, store,
    query and export format named exists, the base IRI is one."""
    from kg.export import EXPORTERS
    from kg.ingest import READERS
    from kg.jobs.limits import at_least
    from kg.query import QUERIES
    from kg.rdf.directory import check_base_iri
    from kg.store import STORES

    if not pipe.sources:
        raise UsageError("pipeline: input.sources names no files")
    at_least("pipeline: extract.batch_size", pipe.batch_size)
    if pipe.view is not None:
        at_least("pipeline: view.max_nodes", pipe.view.get("max_nodes", 2000))
    named: list[tuple[Registry[Any], str | None]] = [(READERS, pipe.format), (STORES, pipe.store)]
    named += [(QUERIES, q["name"]) for q in pipe.queries]
    named += [(EXPORTERS, e["format"]) for e in pipe.exports]
    for registry, name in named:
        if name is not None and name not in registry.names():
            registry.get(name)  # the registry's own error, naming the known ones
    if pipe.base_iri is not None:
        check_base_iri(pipe.base_iri)
    return pipe


def load_pipeline(path: str | Path) -> Pipeline:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read pipeline ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: invalid TOML ({exc})") from None
    return check_values(parse_pipeline(data, str(path)))


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

    check_values(pipe)  # a pipeline built in code is checked too, before the build
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
        n = len(report.duplicates)
        twice = f" ({n} duplicate records read once)" if n else ""
        echo(
            f"built {pipe.db}: {report.papers_read} papers read{twice}, {report.papers_written} "
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
        if pipe.view is not None:
            out = Path(pipe.view.get("out", "graph.html"))
            result = view_store(store, out, max_nodes=pipe.view.get("max_nodes", 2000))
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
