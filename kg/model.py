"""The vocabulary of kg: every other module speaks in these types.

Plain frozen dataclasses keep records cheap to create by the million, hashable for
de-duplication, and picklable for worker processes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from functools import lru_cache
from typing import Any


class EntityKind(StrEnum):
    """Kinds of node besides Paper; the value is the label used in every store."""

    METHOD = "Method"
    DATASET = "Dataset"
    TASK = "Task"
    METRIC = "Metric"
    CODE = "CodeRepository"
    URL = "URL"


class Relation(StrEnum):
    """Paper → entity edge types; each is valid for exactly one entity kind."""

    PROPOSES = "PROPOSES"
    USES = "USES"
    INTRODUCES = "INTRODUCES"
    EVALUATED_ON = "EVALUATED_ON"
    USES_DATASET = "USES_DATASET"
    ADDRESSES = "ADDRESSES"
    REPORTS_METRIC = "REPORTS_METRIC"
    RELEASES_CODE = "RELEASES_CODE"
    LINKS_TO = "LINKS_TO"

    @property
    def kind(self) -> EntityKind:
        return RELATION_KIND[self]


RELATION_KIND: dict[Relation, EntityKind] = {
    Relation.PROPOSES: EntityKind.METHOD,
    Relation.USES: EntityKind.METHOD,
    Relation.INTRODUCES: EntityKind.DATASET,
    Relation.EVALUATED_ON: EntityKind.DATASET,
    Relation.USES_DATASET: EntityKind.DATASET,
    Relation.ADDRESSES: EntityKind.TASK,
    Relation.REPORTS_METRIC: EntityKind.METRIC,
    Relation.RELEASES_CODE: EntityKind.CODE,
    Relation.LINKS_TO: EntityKind.URL,
}

#: The guidelines' JSONL field for each relation (see ../shared/eval/GUIDELINES.md).
RELATION_FIELD: dict[Relation, str] = {
    Relation.PROPOSES: "methods_proposed",
    Relation.USES: "methods_used",
    Relation.INTRODUCES: "datasets_introduced",
    Relation.EVALUATED_ON: "datasets_evaluated",
    Relation.USES_DATASET: "datasets_used",
    Relation.ADDRESSES: "tasks",
    Relation.REPORTS_METRIC: "metrics",
    Relation.RELEASES_CODE: "code_urls",
    Relation.LINKS_TO: "other_urls",
}


def title_key(title: str) -> str:
    """Case-, accent- and punctuation-insensitive key: the same paper from two sources agrees."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"\W+", " ", text).strip()


def short_hash(text: str, length: int = 16) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


@lru_cache(maxsize=1 << 16)  # a build asks for each paper's several times, close together
def title_id(title: str) -> str:
    """The title key as an id: what a paper is called when it has no arXiv id or DOI."""
    return "title:" + short_hash(title_key(title))


def paper_id(*, title: str, arxiv_id: str | None = None, doi: str | None = None) -> str:
    """Stable id: arXiv id, else DOI, else a hash of the normalised title."""
    if arxiv_id:
        return "arxiv:" + re.sub(r"v\d+$", "", arxiv_id.strip())
    if doi:
        return "doi:" + doi.strip().lower()
    return title_id(title)


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as read from a source; ``id`` is stable across sources and runs."""

    id: str
    title: str
    abstract: str
    date: str | None = None
    source: str = ""
    arxiv_id: str | None = None
    doi: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    #: other ids the paper is known by: a reader's own id, or a paper's id before it was
    #: merged into this one (``kg.ingest.identity``)
    aliases: tuple[str, ...] = ()

    @property
    def content_hash(self) -> str:
        """Changes when anything extraction sees of the paper changes."""
        return short_hash("\x1f".join((self.title, self.abstract, self.date or "")))

    @property
    def identity_keys(self) -> tuple[str, ...]:
        """Every id this paper answers to, in id form: its id, ``arxiv:…``, ``doi:…``, its
        title key (``title:…``) and its aliases. Two papers sharing one are the same
        paper, by the rule in ``kg.ingest.identity``."""
        keys = [self.id, title_id(self.title), *self.aliases]
        if self.arxiv_id:
            keys.append(paper_id(title="", arxiv_id=self.arxiv_id))
        if self.doi:
            keys.append(paper_id(title="", doi=self.doi))
        return tuple(dict.fromkeys(keys))


def extraction_hash(paper: Paper, rules: str) -> str:
    """What a store keeps to skip a paper next time (``PaperExtraction.content_hash``): the
    paper's content hash and the fingerprint of the rules that read it
    (``kg.extract.pipeline.rules_fingerprint``), so a kg whose rules changed re-extracts
    the papers its rules would read otherwise, and an unchanged re-run does no work."""
    ids = "\x1e".join(sorted(paper.identity_keys))  # a paper that gained an id is written again
    return short_hash(f"{paper.content_hash}\x1f{ids}\x1f{rules}")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where in the abstract an edge comes from: character offsets into ``Paper.abstract``."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int
    extractor: str

    def as_tuple(self) -> tuple[int, int, int, int, str]:
        """The evidence codec: ``EVIDENCE_FIELDS`` in order; ``Evidence(*t)`` reads it back."""
        return (self.start, self.end, self.sentence_start, self.sentence_end, self.extractor)


#: Evidence's fields in the order of ``Evidence.as_tuple``: stores, part files and CSV
#: columns name them from here.
EVIDENCE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Evidence))


@dataclass(frozen=True, slots=True)
class PaperField:
    """One field of ``Paper`` as stores and files carry it."""

    name: str
    #: always present (``id``, ``title``, ``abstract``); the others are left out when empty
    required: bool
    #: several strings (``authors``), stored as a list
    many: bool


#: Every field of ``Paper``, in declaration order: the one table from which the RDF
#: mapping, the Neo4j properties, the CSV columns, part files and the networkx graph
#: take their paper fields, so a field added to ``Paper`` reaches all of them.
PAPER_FIELDS: tuple[PaperField, ...] = tuple(
    PaperField(f.name, required=f.default is MISSING, many=f.default == ()) for f in fields(Paper)
)


def paper_record(paper: Paper) -> dict[str, Any]:
    """The paper's fields by name: required ones always, others only when set; lists
    for ``many`` fields."""
    record: dict[str, Any] = {}
    for f in PAPER_FIELDS:
        value = getattr(paper, f.name)
        if f.required or value:
            record[f.name] = list(value) if f.many else value
    return record


def paper_from_record(record: Mapping[str, Any]) -> Paper:
    """The inverse of ``paper_record``: absent or empty fields take their defaults."""
    values: dict[str, Any] = {}
    for f in PAPER_FIELDS:
        value = record.get(f.name)
        if f.required:
            values[f.name] = value or ""
        elif value:
            values[f.name] = tuple(value) if f.many else value
    return Paper(**values)


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity: ``key`` joins variants, ``name`` is what people read."""

    kind: EntityKind
    key: str
    name: str

    @property
    def id(self) -> str:
        return f"{self.kind.value.lower()}:{self.key}"


@dataclass(frozen=True, slots=True)
class Mention:
    """One edge candidate: a surface form in a paper with its role and evidence."""

    relation: Relation
    entity: Entity
    surface: str
    evidence: Evidence


def stored_order(m: Mention) -> tuple[int, int, str, str, str]:
    """The order stores read a paper's mentions back in: total, so every store agrees."""
    return (m.evidence.start, m.evidence.end, m.relation.value, m.entity.key, m.evidence.extractor)


class ResultKind(StrEnum):
    """An absolute score, or a stated gain or reduction relative to something."""

    SCORE = "score"
    IMPROVEMENT = "improvement"


@dataclass(frozen=True, slots=True)
class Result:
    """One number an abstract states about how a method does (the guidelines' Results):
    ``value`` as written ("72.5%", "+2.3 points", "3x"), its ``number`` and ``unit`` parsed
    (72.5, "%"), and the method, dataset and metric as written (None where the sentence
    names none; "our method" is the paper's proposed method when it names one)."""

    value: str
    kind: ResultKind
    number: float | None
    unit: str
    method: str | None
    dataset: str | None
    metric: str | None
    evidence: Evidence
    #: the canonical entities of ``method``, ``dataset`` and ``metric`` (resolved like
    #: mentions; the metric by its table name), which stores link the result to
    method_entity: Entity | None = None
    dataset_entity: Entity | None = None
    metric_entity: Entity | None = None

    @property
    def entities(self) -> tuple[Entity | None, Entity | None, Entity | None]:
        """Method, dataset and metric entities (``RESULT_KINDS`` order)."""
        return (self.method_entity, self.dataset_entity, self.metric_entity)

    def links(self) -> Iterator[tuple[Entity, str]]:
        """(entity, name as written) for each part the result names."""
        written = (self.method, self.dataset, self.metric)
        for entity, name in zip(self.entities, written, strict=True):
            if entity is not None:
                yield entity, name or entity.name

    def as_tuple(self) -> tuple[Any, ...]:
        """The result codec: plain values (worker processes, part files); ``Result.of``
        reads it back."""
        parts = (self.value, self.kind.value, self.number, self.unit)
        links = tuple(None if e is None else (e.key, e.name) for e in self.entities)
        named = (self.method, self.dataset, self.metric)
        return (*parts, *named, *self.evidence.as_tuple(), *links)

    @classmethod
    def of(cls, row: Sequence[Any]) -> Result:
        value, kind, number, unit, method, dataset, metric, *rest = row
        spans, links = rest[: len(EVIDENCE_FIELDS)], rest[len(EVIDENCE_FIELDS) :]
        entities = (
            None if link is None else Entity(k, *link)
            for k, link in zip(RESULT_KINDS, links, strict=True)
        )
        parts = (value, ResultKind(kind), number, unit, method, dataset, metric)
        return cls(*parts, Evidence(*spans), *entities)


def result_order(r: Result) -> tuple[int, int, str, str, str, str]:
    """The order stores read a paper's results back in: total, so every store agrees."""
    named = (r.method or "", r.dataset or "", r.metric or "")
    return (r.evidence.start, r.evidence.end, r.value, *named)


def result_id(paper_id: str, result: Result) -> str:
    """A result's stable id: its paper, its value at its span, and what it is about."""
    parts = (paper_id, result.value, *result.evidence.as_tuple(), result.method, result.dataset)
    return short_hash("\x1f".join(map(str, (*parts, result.metric))))


#: The entity kinds a result links to, in the order of its ``*_entity`` fields.
RESULT_KINDS = (EntityKind.METHOD, EntityKind.DATASET, EntityKind.METRIC)


@dataclass(slots=True)
class PaperExtraction:
    """Everything kg learned from one paper; the unit that stores upsert atomically."""

    paper: Paper
    mentions: list[Mention] = field(default_factory=list)
    releases_code: bool = False
    #: ``extraction_hash`` of the paper and the rules that made this, set by the Extractor
    #: and carried through stores, part files and exports ("" where no rules are known)
    content_hash: str = ""
    #: the numbers the abstract states, each linked to its method, dataset and metric
    results: list[Result] = field(default_factory=list)

    def entity_surfaces(self) -> dict[Entity, list[str]]:
        """Every entity the paper names, by a mention or a result, with its distinct
        surface forms (first seen first): what stores describe entities from."""
        out: dict[Entity, list[str]] = {}
        named = [(m.entity, m.surface) for m in self.mentions]
        named += [link for r in self.results for link in r.links()]
        for entity, surface in named:
            forms = out.setdefault(entity, [])
            if surface not in forms:
                forms.append(surface)
        return out

    def surfaces(self, relation: Relation) -> dict[str, list[str]]:
        """Entity key → distinct surface forms (first seen first) for one relation."""
        out: dict[str, list[str]] = {}
        for m in self.mentions:
            if m.relation is relation:
                forms = out.setdefault(m.entity.key, [])
                if m.surface not in forms:
                    forms.append(m.surface)
        return out
