"""Load kg RDF (Turtle, N-Triples, N-Quads, TriG, JSON-LD) back into a store: the round trip.

Graph names in the file are ignored: triples are regrouped by what they describe (a
kg:Paper, an Evidence whose rdf:subject is that paper, or a Result it reports) into PaperExtractions, which
the store upserts into its own layout (one named graph per paper plus the entities
graph) under its own base IRI. So a file exported with ``--base-iri X`` imports into any
store, and importing twice replaces rather than duplicates.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from pyoxigraph import Quad, RdfFormat, parse

from kg.errors import InputError, UsageError
from kg.ingest.identity import StreamIdentity, extractions_against_store
from kg.model import Entity, PaperExtraction
from kg.rdf.mapping import read_paper_graph
from kg.rdf.results import R
from kg.rdf.terms import RDF_TYPE, P
from kg.rdf.vocab import CLASS_KIND, PAPER_CLASS, check_paper_id
from kg.store.base import Store

#: The formats ``kg import`` reads, by the names ``kg export`` writes them under.
FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
    "jsonld-graphs": RdfFormat.JSON_LD,
}
REPORTS_RESULT = R["paper"]
_SUFFIXES = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
}


def read_extractions(path: str | Path, fmt: str | None = None) -> list[PaperExtraction]:
    """Every paper described in the RDF file at ``path`` (in format ``fmt``, one of
    ``FORMATS``, else told by the file's suffix), sorted by paper id."""
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r}; use one of {', '.join(FORMATS)}")
    rdf_format = FORMATS[fmt] if fmt else _SUFFIXES.get(path.suffix.lower())
    if rdf_format is None:
        raise InputError(
            f"{path}: cannot tell the RDF format from the name; give --format "
            f"({', '.join(FORMATS)})"
        )
    fmt_name = rdf_format.name
    by_subject: dict[str, list[Any]] = defaultdict(list)
    try:
        for item in parse(path=str(path), format=rdf_format):
            triple = item.triple if isinstance(item, Quad) else item
            by_subject[triple.subject.value].append(Quad(*triple))
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: not valid {fmt_name}: {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    entities, papers = _entities(by_subject), []
    statements: dict[str, list[str]] = defaultdict(list)
    for subject, quads in by_subject.items():
        for q in quads:
            if q.predicate == P["subject"]:
                statements[q.object.value].append(subject)
    described: dict[str, str] = {}  # paper id → the subject describing it
    for subject, quads in by_subject.items():
        if any(q.predicate == RDF_TYPE and q.object.value == PAPER_CLASS for q in quads):
            group = list(quads)
            for ev in statements.get(subject, ()):
                group.extend(by_subject[ev])
            for q in quads:
                if q.predicate == REPORTS_RESULT:
                    group.extend(by_subject.get(q.object.value, ()))
            try:
                papers.append(read_paper_graph(group, entities))
            except KeyError:
                raise InputError(f"{path}: paper <{subject}> has no dcterms:identifier") from None
            except (ValueError, TypeError) as exc:  # kg:start "abc": a value of the wrong type
                raise InputError(f"{path}: paper <{subject}> has a bad value ({exc})") from None
            pid = papers[-1].paper.id
            if (other := described.setdefault(pid, subject)) != subject:
                raise InputError(
                    f"{path}: <{other}> and <{subject}> both describe paper {pid!r}; one "
                    "identifier names one paper, so keep one description"
                )
    return sorted(papers, key=lambda ex: ex.paper.id)


def _entities(by_subject: dict[str, list[Any]]) -> dict[str, Entity]:
    out = {}
    for subject, quads in by_subject.items():
        kinds = [
            CLASS_KIND[q.object.value]
            for q in quads
            if q.predicate == RDF_TYPE and q.object.value in CLASS_KIND
        ]
        if kinds:
            values = {q.predicate.value: q.object.value for q in quads}
            key = values.get(P["key"].value, "")
            out[subject] = Entity(kinds[0], key, values.get(P["prefLabel"].value, key))
    return out


def import_rdf(
    store: Store, path: str | Path, fmt: str | None = None, batch_size: int = 1000
) -> int:
    """Upsert the papers in the RDF file at ``path`` into ``store``; returns how many.
    Papers are one paper by the rule builds follow (``kg.ingest.identity``): one the file
    describes twice (by another id with the same arXiv id, DOI or title) is read once,
    and one the store holds under another id is merged into it."""
    papers = read_extractions(path, fmt)
    for ex in papers:
        try:
            for key in ex.paper.identity_keys:
                check_paper_id(key)
        except InputError as exc:
            raise InputError(f"{path}: {exc.message}") from None
    identity = StreamIdentity()
    papers = [ex for ex in papers if identity.admit(ex.paper) is not None]
    for i in range(0, len(papers), batch_size):
        batch = papers[i : i + batch_size]
        store.upsert(extractions_against_store(batch, store))
    store.flush()
    return len(papers)
