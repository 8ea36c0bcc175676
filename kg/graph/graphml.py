"""GraphML for Gephi, yEd and networkx: the ``kg.graph.networkx`` networkx graph with flat attributes.

GraphML holds only scalars, so lists become ``"; "``-joined strings and the evidence list
becomes JSON; characters XML 1.0 forbids (most C0 controls) are dropped rather than making
the whole file unreadable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from kg.graph.networkx import to_networkx
from kg.model import PaperExtraction

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def _flat(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "; ".join(value)
        elif isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        out[name] = _clean(value) if isinstance(value, str) else value
    return out


def write_graphml(extractions: Iterable[PaperExtraction], out: Path | str | BinaryIO) -> int:
    """Write papers and entities as nodes, relations as edges; returns nodes + edges."""
    graph = to_networkx(extractions)
    flat = nx.MultiDiGraph()
    flat.add_nodes_from((_clean(n), _flat(a)) for n, a in graph.nodes(data=True))
    flat.add_edges_from(
        (_clean(u), _clean(v), k, _flat(a)) for u, v, k, a in graph.edges(keys=True, data=True)
    )
    nx.write_graphml(flat, out if not isinstance(out, Path) else str(out))
    return int(flat.number_of_nodes() + flat.number_of_edges())
