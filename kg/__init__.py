"""kg: knowledge graphs of ML research — which papers use which methods, on which
datasets, with which code.

The public face for library users: read papers, build a graph into a store, ask it a
named question, export it, view it. Everything else is reachable by its folder (stages
``ingest``, ``extract``, ``resolve``, ``query``, ``viz``, ``export``; storage wings
``rdf`` and ``neo4j``; jobs in ``jobs``). Names load on first use, so ``import kg``
costs nothing and the CLI starts without spaCy::

    import kg

    with kg.open_store("memory") as store:
        kg.build(["../shared/seeds"], store)
        table = kg.run_named(store, "evaluated-on", {"dataset": "ImageNet"})
        kg.export_store(store, "turtle", "graph.ttl")
        kg.view_store(store, "graph.html")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

#: public name → the module that defines it (or module and its own name for the object)
_PUBLIC: dict[str, str | tuple[str, str]] = {
    "Paper": "kg.model",
    "Entity": "kg.model",
    "EntityKind": "kg.model",
    "Relation": "kg.model",
    "Mention": "kg.model",
    "Evidence": "kg.model",
    "PaperExtraction": "kg.model",
    "KgError": "kg.errors",
    "Store": "kg.store",
    "Table": "kg.store",
    "Stats": "kg.store",
    "STORES": "kg.store",
    "open_store": "kg.store",
    "iter_papers": "kg.ingest",
    "Extractor": "kg.extract",
    "Resolver": "kg.resolve",
    "build": "kg.jobs.build",
    "BuildReport": "kg.jobs.build",
    "QUERIES": "kg.query",
    "run_named": "kg.query",
    "export_store": ("kg.export", "export"),  # not ``export``: the subpackage's name
    "EXPORTERS": "kg.export",
    "view_store": "kg.viz",
    "to_networkx": "kg.graph.networkx",
    "to_rdflib": "kg.rdf.formats",
}

__all__ = [
    "EXPORTERS",
    "QUERIES",
    "STORES",
    "BuildReport",
    "Entity",
    "EntityKind",
    "Evidence",
    "Extractor",
    "KgError",
    "Mention",
    "Paper",
    "PaperExtraction",
    "Relation",
    "Resolver",
    "Stats",
    "Store",
    "Table",
    "__version__",
    "build",
    "export_store",
    "iter_papers",
    "open_store",
    "run_named",
    "to_networkx",
    "to_rdflib",
    "view_store",
]

if TYPE_CHECKING:
    from kg.errors import KgError
    from kg.export import EXPORTERS
    from kg.export import export as export_store
    from kg.extract import Extractor
    from kg.graph.networkx import to_networkx
    from kg.ingest import iter_papers
    from kg.jobs.build import BuildReport, build
    from kg.model import Entity, EntityKind, Evidence, Mention, Paper, PaperExtraction, Relation
    from kg.query import QUERIES, run_named
    from kg.rdf.formats import to_rdflib
    from kg.resolve import Resolver
    from kg.store import STORES, Stats, Store, Table, open_store
    from kg.viz import view_store


def __getattr__(name: str) -> Any:
    target = _PUBLIC.get(name)
    if target is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module, attr = target if isinstance(target, tuple) else (target, name)
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
