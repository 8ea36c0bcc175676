"""Commands that measure and train extraction: evaluate, train."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli.common import app
from kg.errors import InputError, UsageError

if TYPE_CHECKING:
    from kg.extract.entity_train import Annotated as AnnotatedPaper

SHARED = Path("..") / "shared"
Seeds = Annotated[
    Path, typer.Option("--seeds", help="Papers the gold records annotate (any readable source).")
]


@app.command()
def evaluate(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="GOLD PRED: gold JSONL (annotation guidelines format) and predictions, e.g. "
            "from kg extract. With --cv: the gold files only.",
            show_default=False,
        ),
    ],
    cv: Annotated[
        int,
        typer.Option(
            "--cv",
            help="Cross-validate instead: train on K-1 folds of the gold papers, extract "
            "the held-out fold, score every fold together.",
        ),
    ] = 0,
    rules: Annotated[
        bool,
        typer.Option(
            "--rules", help="With --cv: the hand rules decide kinds and roles (the baseline)."
        ),
    ] = False,
    seeds: Seeds = SHARED / "seeds",
    errors: Annotated[
        bool,
        typer.Option("--errors/--no-errors", help="List each paper's misses and false positives."),
    ] = True,
    field: Annotated[
        list[str] | None, typer.Option("--field", help="Only this field in the error list.")
    ] = None,
) -> None:
    """Score predictions against gold annotations: per-field precision, recall and F1.

    Example: kg evaluate ../shared/eval/dev.jsonl pred.jsonl --no-errors

    Example: kg evaluate --cv 5 ../shared/eval/dev.jsonl ../shared/eval/train.jsonl --no-errors
    """
    from kg.extract.evaluate import evaluate as score
    from kg.extract.evaluate import format_report, load_jsonl

    if cv:
        if cv < 2:
            raise UsageError(f"--cv {cv}: needs at least 2 folds")
        from kg.extract.entity_train import cross_validate

        papers = _annotated(seeds, files)
        if len(papers) < cv:
            raise InputError(f"{len(papers)} gold papers cannot make {cv} folds")
        print(f"{len(papers)} papers, {cv} folds: training...", file=sys.stderr)
        report, _ = cross_validate(papers, k=cv, rules=rules)
    else:
        if len(files) != 2:
            raise UsageError("give GOLD and PRED (or --cv K and the gold files)")
        gold_records = load_jsonl(files[0])
        if not gold_records:
            raise InputError(f"{files[0]}: holds no gold records; there is nothing to score")
        report = score(gold_records, load_jsonl(files[1]))
    print(format_report(report, errors=errors, only=field or ()))


@app.command()
def train(
    gold: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Gold JSONL files (default: ../shared/eval/dev.jsonl and train.jsonl).",
            show_default=False,
        ),
    ] = None,
    seeds: Seeds = SHARED / "seeds",
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--out",
            help="Folder for entities.json and results.json "
            "(default: the models kg ships, in the source tree).",
        ),
    ] = None,
) -> None:
    """Train the entity and result models on annotated papers (deterministic).

    Example: kg train ../shared/eval/dev.jsonl ../shared/eval/train.jsonl
    """
    from kg.extract.entity_train import models_dir, train_models

    files = gold or [SHARED / "eval" / "dev.jsonl", SHARED / "eval" / "train.jsonl"]
    papers = _annotated(seeds, files)
    print(f"{len(papers)} papers: training...", file=sys.stderr)
    target = out or models_dir()
    entity, result = train_models(papers, target)
    print(
        f"{len(papers)} papers: entity model {entity.name} ({len(entity.weights)} weights), "
        f"result model {result.name}, written to {target}"
    )


def _annotated(seeds: Path, gold_files: list[Path]) -> list[AnnotatedPaper]:
    """The gold papers with their abstracts; a missing file or paper is one line, exit 2."""
    from kg.extract.entity_train import load_annotated

    for path in [seeds, *gold_files]:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
    try:
        papers = load_annotated(seeds, gold_files)
    except ValueError as error:
        raise InputError(f"{error} (papers read from {seeds})") from None
    if not papers:
        raise InputError(f"{', '.join(map(str, gold_files))}: hold no gold records")
    return papers
