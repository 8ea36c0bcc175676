"""The one field table and the evidence codec: every format derives its paper fields and
evidence columns from ``kg.model``, so the tables must cover ``Paper`` and round-trip."""

from __future__ import annotations

from dataclasses import fields

from hypothesis import given
from hypothesis import strategies as st

from kg.model import (
    EVIDENCE_FIELDS,
    PAPER_FIELDS,
    Evidence,
    Paper,
    paper_from_record,
    paper_record,
)
from kg.neo4j.admin_csv import PAPER_COLUMNS
from kg.rdf.vocab import PAPER_FIELD_PROPERTY

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
OPTIONAL = st.none() | TEXT.filter(bool)


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    return Paper(
        id=draw(TEXT.filter(bool)),
        title=draw(TEXT),
        abstract=draw(TEXT),
        date=draw(OPTIONAL),
        source=draw(TEXT),
        arxiv_id=draw(OPTIONAL),
        doi=draw(OPTIONAL),
        authors=tuple(draw(st.lists(TEXT.filter(bool), max_size=3))),
        url=draw(OPTIONAL),
    )


def test_the_field_table_is_papers_fields() -> None:
    assert [f.name for f in PAPER_FIELDS] == [f.name for f in fields(Paper)]
    assert [f.name for f in PAPER_FIELDS if f.required] == ["id", "title", "abstract"]
    assert [f.name for f in PAPER_FIELDS if f.many] == ["authors", "aliases"]


def test_every_format_carries_every_field() -> None:
    names = {f.name for f in PAPER_FIELDS}
    assert set(PAPER_FIELD_PROPERTY) == names  # RDF
    assert names <= {prop for prop, _ in PAPER_COLUMNS}  # neo4j-admin CSV
    assert ("authors", "authors:string[]") in PAPER_COLUMNS


@given(papers())
def test_a_paper_record_round_trips_and_leaves_out_empty_fields(paper: Paper) -> None:
    record = paper_record(paper)
    assert paper_from_record(record) == paper
    assert all(record[f.name] != "" or f.required for f in PAPER_FIELDS if f.name in record)
    assert {"id", "title", "abstract"} <= set(record)


@given(st.integers(0, 10**6), st.integers(0, 10**6), TEXT)
def test_the_evidence_codec_round_trips(start: int, length: int, extractor: str) -> None:
    evidence = Evidence(start, start + length, 0, start + length, extractor)
    assert Evidence(*evidence.as_tuple()) == evidence
    assert dict(zip(EVIDENCE_FIELDS, evidence.as_tuple(), strict=True))["end"] == start + length


def test_the_result_codec_round_trips() -> None:
    from kg.model import Result, ResultKind

    result = Result("72.5%", ResultKind.SCORE, 72.5, "%", "E-SSL", "ImageNet",
                    "linear probe accuracy", Evidence(10, 15, 0, 40, "kg.result.v1"))
    assert Result.of(result.as_tuple()) == result
    assert Result.of(list(result.as_tuple())) == result  # as JSON part files carry it
