"""Orchestration: the jobs that tie the stages together.

``build`` (sources → papers → extraction → store), ``pipeline`` (a declarative TOML
job), ``distributed`` (extraction on a Dask cluster), ``transfer`` (store to store) and
``limits`` (per-record bounds every build checks). Importing this package is cheap: the
CLI reads ``limits`` without loading spaCy.
"""
