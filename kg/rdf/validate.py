"""Check a graph against kg's SHACL shapes with pySHACL: a store, or an RDF file.

The shapes are those ``schemas/kg.shacl.ttl`` holds, rendered from the ontology table
(``kg.rdf.schema``), so an installed kg checks with the shapes it writes by. Each
violation is one line: the focus node, the property path, pySHACL's message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.rdf.formats import to_rdflib
from kg.rdf.schema import render_shapes
from kg.store.base import Store

if TYPE_CHECKING:
    import rdflib


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


def validate_graph(graph: rdflib.Graph) -> list[Violation]:
    """The shapes' violations in ``graph`` (a Dataset is checked as its union), sorted."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    if isinstance(graph, rdflib.Dataset):
        triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
    else:
        triples = graph.triples((None, None, None))
    union = rdflib.Graph()
    for triple in triples:
        union.add(triple)
    shapes = rdflib.Graph().parse(data=render_shapes(), format="turtle")
    _, report, _ = pyshacl.validate(union, shacl_graph=shapes)
    found = [
        Violation(
            str(report.value(result, SH.focusNode)),
            str(report.value(result, SH.resultPath) or "-"),
            " ".join(str(report.value(result, SH.resultMessage) or "").split()),
        )
        for result in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    ]
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))


def validate_file(path: str | Path) -> list[Violation]:
    """Violations in the RDF file at ``path`` (format told by its name)."""
    import rdflib

    try:
        dataset = rdflib.Dataset().parse(str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except Exception as exc:  # rdflib's parsers raise many kinds; each is bad input here
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: not readable RDF ({first})") from None
    return validate_graph(dataset)


def validate_store(store: Store) -> list[Violation]:
    """Violations in the store's graph, as its exports carry it (held in memory)."""
    return validate_graph(to_rdflib(store))
