"""Semantic Scholar Graph API paper objects, as saved from the API.

Accepts what the endpoints return: a search or list page (``{"data": [...]}``), the batch
endpoint's JSON array (``null`` for each unknown id, reported as a bad record), a single paper,
or JSON Lines of any of these. Citation and reference pages nest the paper under
``citingPaper``/``citedPaper``; it is unwrapped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.ingest import BadRecordHandler
from kg.ingest.clean import iso_date, make_paper
from kg.ingest.jsonl import first
from kg.ingest.jsonstream import mapping, mappings, read_objects
from kg.model import Paper

NESTED = ("citingPaper", "citedPaper")


def _paper(record: dict[str, Any], source: str) -> Paper:
    record = next((record[k] for k in NESTED if isinstance(record.get(k), dict)), record)
    ids = mapping(record.get("externalIds"))
    year = record.get("year")
    paper_url = first(record, ("paperId",))
    return make_paper(
        title=first(record, ("title",)),
        abstract=first(record, ("abstract",)),
        source=source,
        arxiv=first(ids, ("ArXiv",)),
        doi_text=first(ids, ("DOI",)),
        date=iso_date(first(record, ("publicationDate",)))
        or (str(year) if type(year) is int else None),
        authors=[first(a, ("name",)) for a in mappings(record.get("authors"))],
        url=first(record, ("url",))
        or (f"https://www.semanticscholar.org/paper/{paper_url}" if paper_url else None),
        own_id=f"s2:{paper_url}" if paper_url else None,
    )


class SemanticScholarReader:
    name = "semantic-scholar"

    def sniff(self, head: str, path: Path) -> bool:
        return '"paperId"' in head

    def read(self, path: Path, on_bad: BadRecordHandler) -> Iterator[Paper]:
        return read_objects(path, on_bad, _paper, wrapper="data")


READER = SemanticScholarReader()
