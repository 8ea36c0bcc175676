"""Extraction: abstracts → typed mentions with roles and evidence (spaCy, offline rules)."""

from kg.extract.eval_format import to_record
from kg.extract.pipeline import ExtractConfig, Extractor, build_nlp

__all__ = ["ExtractConfig", "Extractor", "build_nlp", "to_record"]
