"""Exports by format name: RDF (turtle, ntriples, nquads, trig, jsonld, jsonld-graphs),
graphml and csv.

Each format is an ``ExportFormat`` in the ``EXPORTERS`` registry; its writer is imported
on first use, so the neo4j-admin CSV writer costs nothing until asked for. Writers take
either the RDF ``Selection`` (quads, streamed) or the papers' extractions, as ``source``
says; third parties add formats through the ``kg.exporters`` entry-point group.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import UsageError
from kg.files import check_output, replacing
from kg.model import EntityKind
from kg.query import run_named
from kg.rdf.directory import check_base_iri
from kg.rdf.formats import Selection
from kg.rdf.vocab import KIND_CLASS
from kg.registry import Registry
from kg.store.base import Store


@dataclass(frozen=True)
class ExportFormat:
    name: str
    writer: str  # "module:function"
    source: str  # "quads": writer(Selection, out); "extractions": writer(extractions, out)
    suffix: str
    directory: bool = False  # writes several files into ``out``

    def load(self) -> Any:
        module, _, attr = self.writer.partition(":")
        return getattr(importlib.import_module(module), attr)


EXPORTERS: Registry[ExportFormat] = Registry("exporter")
for _fmt in (
    ExportFormat("turtle", "kg.rdf.formats:write_turtle", "quads", ".ttl"),
    ExportFormat("ntriples", "kg.rdf.formats:write_ntriples", "quads", ".nt"),
    ExportFormat("nquads", "kg.rdf.formats:write_nquads", "quads", ".nq"),
    ExportFormat("trig", "kg.rdf.formats:write_trig", "quads", ".trig"),
    ExportFormat("jsonld", "kg.rdf.formats:write_jsonld", "quads", ".jsonld"),
    ExportFormat("jsonld-graphs", "kg.rdf.formats:write_jsonld_graphs", "quads", ".jsonld"),
    ExportFormat("graphml", "kg.graph.graphml:write_graphml", "extractions", ".graphml"),
    ExportFormat("csv", "kg.neo4j.admin_csv:write_neo4j_csv", "extractions", "", directory=True),
):
    EXPORTERS.register(_fmt.name, _fmt)

_ENTITY_COLUMNS = {kind.value.lower(): kind for kind in EntityKind}


def _papers_of_entity(language: str, kind: EntityKind) -> str:
    if language == "sparql":
        return (
            f"SELECT DISTINCT ?id ?name WHERE {{ ?e a <{KIND_CLASS[kind]}> ; "
            "skos:prefLabel ?name . ?p a kg:Paper ; ?rel ?e ; dcterms:identifier ?id }"
        )
    return f"MATCH (p:Paper)-->(e:{kind.value} {{name: $name}}) RETURN DISTINCT p.id AS id"


def papers_for_query(store: Store, name: str, args: dict[str, Any] | None = None) -> list[str]:
    """Paper ids behind a named query's answer: its ``paper`` column, or else the papers
    that link to the entities it names (a ``method``/``dataset``/… column)."""
    table = run_named(store, name, args or {})
    if "paper" in table.columns:
        col = table.columns.index("paper")
        return list(dict.fromkeys(str(row[col]) for row in table.rows))
    found = [c for c in table.columns if c in _ENTITY_COLUMNS]
    if not found:
        raise UsageError(
            f"query {name!r} answers neither papers nor entities "
            f"(columns: {', '.join(table.columns)}); nothing to export"
        )
    col = table.columns.index(found[0])
    text = _papers_of_entity(store.query_language, _ENTITY_COLUMNS[found[0]])
    ids: dict[str, None] = {}
    for row in table.rows:
        ids.update(dict.fromkeys(str(r[0]) for r in store.query(text, {"name": row[col]}).rows))
    return list(ids)


def export(
    store: Store,
    fmt: str,
    out: Path | BinaryIO,
    query: str | None = None,
    query_args: dict[str, Any] | None = None,
    base_iri: str | None = None,
) -> int:
    """Write ``store`` (or the papers behind ``query``'s answer) as ``fmt`` to ``out``.

    ``base_iri`` re-bases instance IRIs for RDF formats. Returns the triples (quads for
    nquads/trig/jsonld) or records written. A path is written beside and renamed into
    place (``kg.files.replacing``): a failed export leaves the previous file as it was.
    """
    spec = EXPORTERS.get(fmt)
    if spec.directory and not isinstance(out, (str, Path)):
        raise UsageError(f"format {fmt!r} writes a directory of files: give a directory path")
    if isinstance(out, (str, Path)):
        check_output(Path(out), spec.directory)  # before any work
    if base_iri:
        check_base_iri(base_iri)
    paper_ids = papers_for_query(store, query, query_args) if query else None
    sel = Selection(store, paper_ids, base_iri)
    writer = spec.load()
    source = sel if spec.source == "quads" else sel.extractions()
    if not isinstance(out, (str, Path)):
        return int(writer(source, out))
    with replacing(Path(out), spec.directory) as target:
        # every writer's result converts to the number of records it wrote
        return int(writer(source, target))


__all__ = ["EXPORTERS", "ExportFormat", "Selection", "export", "papers_for_query"]
