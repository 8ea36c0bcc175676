"""Training the entity model on annotated papers, and measuring extraction on papers the
model never saw.

Gold records (../shared/eval/GUIDELINES.md) carry no abstract; their papers are found by
normalised title. Every entity the candidate finder pools in an abstract is one training
decision: the gold field one of its surface forms is annotated in (its class), else "none".
``cross_validate`` trains on K-1 folds of papers and extracts the held-out fold with the
whole pipeline, scored by the shared scorer's matching: papers never split across folds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, cast

from kg.extract import components, phrases
from kg.extract.entity_model import (
    CLASSES,
    NONE,
    PHRASE_PRIOR,
    PRIOR,
    EntityModel,
    features,
    options,
)
from kg.extract.eval_format import to_record
from kg.extract.evaluate import Report, evaluate, load_jsonl, norm, surfaces
from kg.extract.logit import Decision, fit_tuned
from kg.extract.phrases import Site
from kg.extract.pipeline import Extractor
from kg.extract.results_model import ResultModel
from kg.extract.results_train import fold_of
from kg.extract.roles import Entity, judge
from kg.model import RELATION_FIELD, Paper, Relation, title_key

#: A field's class, in the order that settles a name annotated in two fields.
FIELD_CLASS = {
    RELATION_FIELD[r]: r.value
    for r in (
        Relation.PROPOSES,
        Relation.INTRODUCES,
        Relation.EVALUATED_ON,
        Relation.USES_DATASET,
        Relation.USES,
        Relation.REPORTS_METRIC,
        Relation.ADDRESSES,
    )
}
#: Features seen in fewer training entities than this get no weight (noise, and size).
MIN_COUNT = 3


class Annotated(NamedTuple):
    """A gold record and the paper it annotates."""

    gold: dict[str, Any]
    paper: Paper


def annotated(papers: Iterable[Paper], gold: Iterable[dict[str, Any]]) -> list[Annotated]:
    """The gold records paired with their papers by title; a record without one is an error."""
    by_title = {title_key(p.title): p for p in papers}
    out = []
    for g in gold:
        paper = by_title.get(title_key(str(g["title"])))
        if paper is None:
            raise ValueError(f"gold paper {g['title']!r} has no abstract among the papers")
        out.append(Annotated(g, paper))
    return out


def load_annotated(seeds: Path, gold_files: Sequence[Path]) -> list[Annotated]:
    """The annotated papers of these gold files, in file order, read from ``seeds``."""
    from kg.ingest import iter_papers

    gold = [g for path in gold_files for g in load_jsonl(path)]
    return annotated(iter_papers([seeds]), gold)


class Read(NamedTuple):
    """What the model decides for one paper: its pooled names and its phrase sites."""

    entities: list[Entity]
    sites: list[Site]


def read(extractor: Extractor, papers: Sequence[Paper]) -> list[Read]:
    """Each paper's pooled candidates and phrase sites, as the entity component sees them."""
    nlp = extractor.nlp
    component = cast(components.EntityComponent, nlp.get_pipe("kg_entities"))
    docs = (doc for doc, _ in extractor.docs(papers))
    out = []
    with nlp.select_pipes(disable=["kg_entities", "kg_results"]):
        for doc in nlp.pipe(docs):
            state = components.reading(doc)
            pooled = judge(state.text, state.title, component.candidates(state))
            found = phrases.sites(state.text, state.title, state.sentences, state.masked)
            out.append(Read(pooled, found))
    return out


def label(entity: Entity, gold: dict[str, Any]) -> str:
    """The class of the first field (``FIELD_CLASS`` order) annotating one of its forms."""
    forms = {norm(j.cand.surface) for j in entity.judged} | {
        norm(j.cand.name) for j in entity.judged
    }
    for field, cls in FIELD_CLASS.items():
        if any(surfaces(e) & forms for e in gold.get(field, [])):
            return cls
    return NONE


def site_label(site: Site, text: str, gold: dict[str, Any]) -> int:
    """The option a site should take: the span annotated as written; for tasks (scored
    leniently) else the longest span inside an annotated one; else none (0)."""
    field = "tasks" if site.kind == phrases.TASK else "metrics"
    forms = {f for e in gold.get(field, []) for f in surfaces(e)}
    spans = [norm(text[s:e]) for s, e in site.spans]
    exact = [i for i, span in enumerate(spans) if span in forms]
    if exact:
        return exact[0] + 1
    if site.kind == phrases.TASK:
        inside = [i for i, span in enumerate(spans) if any(f" {span} " in f" {f} " for f in forms)]
        if inside:
            return max(inside) + 1
    return 0


#: One paper's training decisions: "entity", and one list per phrase kind.
Decisions = dict[str, list[Decision]]


def decisions(paper: Read, gold: dict[str, Any], text: str) -> Decisions:
    out: Decisions = {"entity": [], phrases.TASK: [], phrases.METRIC: []}
    for e in paper.entities:
        out["entity"].append((options(features(e)), CLASSES.index(label(e, gold))))
    for site in paper.sites:
        out[site.kind].append((site.options, site_label(site, text, gold)))
    return out


def _pruned(by_paper: Sequence[list[Decision]], entity: bool) -> list[list[Decision]]:
    """Features of fewer than MIN_COUNT decisions dropped from every option (an entity
    feature counts once for all its classes)."""

    def key(f: str) -> str:
        return f.split("|", 1)[1] if entity else f

    counts: dict[str, int] = {}
    for ds in by_paper:
        for opts, _ in ds:
            for f in {key(f) for o in opts for f in o}:
                counts[f] = counts.get(f, 0) + 1
    keep = {f for f, n in counts.items() if n >= MIN_COUNT}
    return [
        [([[f for f in o if key(f) in keep] for o in opts], y) for opts, y in ds] for ds in by_paper
    ]


def train_on(by_paper: Sequence[Decisions]) -> EntityModel:
    """The model fitted to these papers' decisions; named by a digest of its weights."""
    weights, _ = fit_tuned(_pruned([d["entity"] for d in by_paper], True), PRIOR)
    phrase_weights = {
        kind: fit_tuned(_pruned([d[kind] for d in by_paper], False), PHRASE_PRIOR)[0]
        for kind in (phrases.TASK, phrases.METRIC)
    }
    everything = [sorted(weights.items())] + [
        sorted(phrase_weights[k].items()) for k in phrase_weights
    ]
    digest = hashlib.sha1(repr(everything).encode()).hexdigest()[:8]
    return EntityModel(weights, f"lr-{digest}", phrase_weights)


def train(papers: Sequence[Annotated], extractor: Extractor | None = None) -> EntityModel:
    extractor = extractor or Extractor()
    found = read(extractor, [a.paper for a in papers])
    return train_on(
        [decisions(r, a.gold, a.paper.abstract) for r, a in zip(found, papers, strict=True)]
    )


def cross_validate(
    papers: Sequence[Annotated], k: int = 5, seed: int = 0, rules: bool = False
) -> tuple[Report, list[dict[str, Any]]]:
    """Each fold extracted by models trained on the other folds, scored together; with the
    predicted records. With ``rules``, the hand rules decide kinds and roles in every
    fold; the result model is trained on the other folds either way."""
    from kg.extract import results_train

    results_read = results_train.annotated([a.paper for a in papers], [a.gold for a in papers])
    extractor = Extractor()
    found = read(extractor, [a.paper for a in papers])
    by_paper = [decisions(r, a.gold, a.paper.abstract) for r, a in zip(found, papers, strict=True)]
    folds = fold_of(len(papers), k, seed)
    component = cast(components.EntityComponent, extractor.nlp.get_pipe("kg_entities"))
    preds: list[dict[str, Any]] = [{}] * len(papers)
    for f in range(k):
        rest = [d for d, g in zip(by_paper, folds, strict=True) if g != f]
        model = None if rules else train_on(rest)
        component.use(model)
        held_out = [i for i, g in enumerate(folds) if g == f]
        extracted = extractor.extract(papers[i].paper for i in held_out)
        fitted = results_train.train(
            [r for r, g in zip(results_read, folds, strict=True) if g != f]
        )
        for i, ex in zip(held_out, extracted, strict=True):
            preds[i] = to_record(ex)
            preds[i]["results"] = results_train.predict(results_read[i], fitted)["results"]
    return evaluate([a.gold for a in papers], preds), preds


def models_dir() -> Path:
    """Where the shipped weights live in a source tree."""
    return Path(__file__).parent / "models"


def train_models(
    papers: Sequence[Annotated], out: Path | None = None
) -> tuple[EntityModel, ResultModel]:
    """Train the entity model and the result model (on the papers' names as the rules read
    them, ``Reading.by_rules``); write both to ``out`` (default: the shipped ones).
    Deterministic: the same papers and rules
    write the same files."""
    from kg.extract import entity_model, results_model, results_train

    out = out or models_dir()
    entity = train(papers)
    read = results_train.annotated([a.paper for a in papers], [a.gold for a in papers])
    result = results_train.train(read)
    out.mkdir(parents=True, exist_ok=True)
    (out / "entities.json").write_text(entity.to_json(), encoding="utf-8")
    (out / "results.json").write_text(result.to_json(), encoding="utf-8")
    entity_model.shipped.cache_clear()
    results_model.shipped.cache_clear()
    return entity, result
