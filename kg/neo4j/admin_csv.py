"""PaperExtractions → CSV files for ``neo4j-admin database import full``.

The offline importer is the fastest way to build a large Neo4j graph from scratch. The
rows come from the same ``graph_rows`` that ``Neo4jStore.upsert`` sends over Bolt, so both
paths build the same nodes, properties and relationships. Arrays are joined with U+001F
(the unit separator), which cannot clash with ``;`` or ``,`` in names; it is removed from
values. Abstracts may hold newlines, so fields are parsed as multiline (the v2 per-file
multiline parser of 5.26 rejects Python's CSV output).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from kg.model import EVIDENCE_FIELDS, PAPER_FIELDS, EntityKind, PaperExtraction, Relation
from kg.neo4j.mapping import graph_rows, variant_rows
from kg.neo4j.results import REPORTS_RESULT, RESULT_LINK, RESULT_PROPS
from kg.resolve.variants import VARIANT_OF

ARRAY_DELIMITER = "\x1f"
# (property, header) per column: the paper fields of kg.model, then the extraction's own
_TYPED = {"id": "id:ID(Paper)", "releases_code_stated": "releases_code_stated:boolean"}
PAPER_COLUMNS = tuple(
    (name, _TYPED.get(name, name))
    for name in (
        *(f.name for f in PAPER_FIELDS if f.required),
        "content_hash",
        "title_key",
        "releases_code_stated",
        *(f.name for f in PAPER_FIELDS if not f.required and not f.many),
    )
) + tuple((f.name, f"{f.name}:string[]") for f in PAPER_FIELDS if f.many)
EDGE_COLUMNS = tuple(
    (name, "string[]" if name in ("extractor", "surfaces") else "int[]")
    for name in (*EVIDENCE_FIELDS, "surfaces")
)
_RESULT_TYPES = {"number": "double", **{f: "int" for f in EVIDENCE_FIELDS[:4]}}
RESULT_COLUMNS = tuple((name, _RESULT_TYPES.get(name, "string")) for name in RESULT_PROPS)
CHUNK = 2000


@dataclass
class CsvExport:
    """What was written, and the neo4j-admin arguments that import it."""

    out_dir: Path
    nodes: dict[str, Path] = field(default_factory=dict)
    relationships: dict[str, Path] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def __int__(self) -> int:
        """Rows written: what ``kg.export.export`` reports for every format."""
        return self.rows

    def admin_args(self, database: str = "neo4j") -> list[str]:
        """``database import full …`` for org.neo4j.cli.AdminTool (the server must be down)."""
        return [
            "database",
            "import",
            "full",
            *(f"--nodes={label}={path}" for label, path in self.nodes.items()),
            *(f"--relationships={rel}={path}" for rel, path in self.relationships.items()),
            "--array-delimiter=U+001F",
            "--multiline-fields=true",
            f"--report-file={self.out_dir / 'import.report'}",
            "--overwrite-destination=true",
            database,
        ]


def _cell(value: Any) -> str:
    """One CSV field; the commonest kinds first (an export writes millions)."""
    if isinstance(value, str):
        return value.replace(ARRAY_DELIMITER, " ") if ARRAY_DELIMITER in value else value
    if isinstance(value, (list, tuple)):
        return ARRAY_DELIMITER.join([_cell(v) for v in value])
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _array(kind: str) -> Callable[[Any], str]:
    """How an edge column's list becomes one field: int[] columns without ``_cell``'s
    per-value dispatch (an export writes a few per edge, millions in all)."""
    if kind == "int[]":
        return lambda values: ARRAY_DELIMITER.join(map(str, values))
    return _cell


def _write_results(rows: list[dict[str, Any]], writer: Any) -> None:
    """Result nodes, the paper → result relationships and the result → entity ones."""
    header = ["id:ID(Result)", *(f"{name}:{kind}" for name, kind in RESULT_COLUMNS[1:])]
    for row in rows:
        writer("Result", header).writerow([_cell(row.get(name)) for name, _ in RESULT_COLUMNS])
        writer(REPORTS_RESULT, [":START_ID(Paper)", ":END_ID(Result)"]).writerow(
            [row["paper"], row["id"]]
        )
        for kind, key in row["links"].items():
            link = [":START_ID(Result)", f":END_ID({kind.value})"]
            writer(RESULT_LINK[kind], link).writerow([row["id"], key])


def write_neo4j_csv(extractions: Iterable[PaperExtraction], out_dir: str | Path) -> CsvExport:
    """Stream papers and edges to CSV; entities (far fewer) are gathered and written last.

    A paper id seen again in a later chunk is skipped: the importer rejects duplicate ids.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    export = CsvExport(out)
    files: dict[str, TextIO] = {}
    writers: dict[str, Any] = {}

    def writer(name: str, header: list[str], rows: int = 1) -> Any:
        """The file's CSV writer (opened with its header on first use); counts ``rows``."""
        if name not in writers:
            path = out / f"{name}.csv"
            files[name] = path.open("w", encoding="utf-8", newline="")
            writers[name] = csv.writer(files[name])
            writers[name].writerow(header)
            export.counts[name] = 0
        export.counts[name] += rows
        return writers[name]

    entities: dict[EntityKind, dict[str, dict[str, Any]]] = {}
    columns = [(name, _array(kind)) for name, kind in EDGE_COLUMNS]
    seen: set[str] = set()
    stream = iter(extractions)
    try:
        while chunk := list(islice(stream, CHUNK)):
            papers, chunk_entities, edges, results = graph_rows(
                [ex for ex in chunk if ex.paper.id not in seen]
            )
            for p in papers:
                seen.add(p["id"])
                writer("Paper", [h for _, h in PAPER_COLUMNS]).writerow(
                    [_cell(p.get(name)) for name, _ in PAPER_COLUMNS]
                )
            for kind, rows in chunk_entities.items():
                known = entities.setdefault(kind, {})
                for key, row in rows.items():
                    mine = known.setdefault(key, row)
                    if mine is not row:
                        mine["surfaces"] += [
                            s for s in row["surfaces"] if s not in mine["surfaces"]
                        ]
            for rel, by_pair in edges.items():
                header = [
                    ":START_ID(Paper)",
                    f":END_ID({rel.kind.value})",
                    *(f"{name}:{kind}" for name, kind in EDGE_COLUMNS),
                ]
                out_rel = writer(rel.value, header, len(by_pair))
                for (src, dst), props in by_pair.items():
                    out_rel.writerow([src, dst, *[cell(props[name]) for name, cell in columns]])
            _write_results(results, writer)
        for kind, rows in entities.items():
            header = [f"key:ID({kind.value})", "name", "surface_forms:string[]"]
            for row in rows.values():
                writer(kind.value, header).writerow(
                    [_cell(row["key"]), _cell(row["name"]), _cell(row["surfaces"])]
                )
        variant = [":START_ID(Dataset)", ":END_ID(Dataset)"]
        for row in variant_rows(entities):
            writer(VARIANT_OF, variant).writerow([row["key"], row["family"]])
    finally:
        for f in files.values():
            f.close()
    relationships = {r.value for r in Relation} | {
        REPORTS_RESULT,
        VARIANT_OF,
        *RESULT_LINK.values(),
    }
    for name in files:
        target = export.relationships if name in relationships else export.nodes
        target[name] = out / f"{name}.csv"
    return export
