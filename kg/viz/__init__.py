"""Interactive HTML views of the graph: one offline file, safe with untrusted titles."""

from __future__ import annotations

from kg.viz.render import ViewResult, render, show
from kg.viz.store import view_store

__all__ = ["ViewResult", "render", "show", "view_store"]
