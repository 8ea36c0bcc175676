"""The in-memory wing: extractions as a networkx graph (``networkx``) for analysis and
the view, and its GraphML export (``graphml``)."""
