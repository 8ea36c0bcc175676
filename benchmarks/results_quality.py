"""Results extraction quality measured on papers the model never saw.

1. K-fold cross-validation over the annotated seed papers (dev.jsonl + train.jsonl, 160
   papers, 95 results): papers never split across folds, folds fixed by --seed; each fold
   is extracted by a model trained on the other folds and scored with the shared scorer's
   matching (../shared/eval/score.py, imported by path to check kg's copy of it agrees).
   The hand rules alone (their verdicts as fixed weights, no training) run through the same
   folds as the baseline. Caveat: the rules that propose candidates and give the "rule"
   features were written from train.jsonl (and NLP-TDMS errors), so the train papers'
   figures flatter both; the dev rows are papers no rule was written from.
2. dev.jsonl held out entirely: a model trained on train.jsonl only, scored on dev.
3. Yardsticks nobody here wrote: NLP-TDMS and SciREX (dataset, metric, score) tuples from
   full papers, restricted to scores that occur in the abstract text, read by the shipped
   model (kg.extract.results_yardstick).

--no-dev leaves dev.jsonl out entirely (CV over train.jsonl only, no held-out section): the
figures to develop against, so that dev stays a test nobody tuned to.

usage: python benchmarks/results_quality.py [SHARED_DIR] [--k 5] [--seed 0] [--no-dev]
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path
from typing import Any

from kg.extract.evaluate import Report, evaluate, load_jsonl
from kg.extract.results_model import shipped
from kg.extract.results_train import (
    RULE_MODEL,
    cross_validate,
    load_annotated,
    predict,
    train,
)
from kg.extract.results_yardstick import line, yardstick

LEVELS = ("results_value", "results", "results_method")


def _row(name: str, report: Report) -> str:
    cells = []
    for level in LEVELS:
        s = report.fields[level]
        p, r, f = (f"{x:.3f}" if x is not None else "-" for x in (s.precision, s.recall, s.f1))
        cells.append(f"{p} {r} {f}")
    return f"{name:34} " + "   ".join(cells)


def _header() -> str:
    return f"{'':34} " + "   ".join(f"{lv + ' P/R/F1':>17}" for lv in LEVELS)


def _check_against_shared_scorer(
    scorer: Path, gold: list[Any], pred: list[Any], report: Report
) -> None:
    spec = importlib.util.spec_from_file_location("shared_score", scorer)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    theirs = module.score(gold, pred)
    for level in LEVELS:
        ours = report.fields[level]
        assert (ours.tp, ours.pred, ours.gold) == tuple(
            theirs[level][k] for k in ("tp", "pred", "gold")
        ), level


def main() -> None:
    default = Path(__file__).resolve().parents[1] / ".." / "shared"
    parser = argparse.ArgumentParser()
    parser.add_argument("shared", nargs="?", type=Path, default=default)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-dev", action="store_true", help="never read dev.jsonl")
    parser.add_argument("--no-cv", action="store_true", help="only the external yardsticks")
    args = parser.parse_args()
    ev = args.shared / "eval"
    if not args.no_cv:
        _annotated(args, ev)
    models = [(f"shipped {shipped().name}", shipped()), ("hand rules", RULE_MODEL)]
    if args.no_dev:  # the shipped weights were fitted on dev.jsonl too
        models[0] = (
            "fit on train.jsonl",
            train(load_annotated(args.shared / "seeds", [ev / "train.jsonl"])),
        )
    for path in (
        ev / "external" / "nlp_tdms_abstracts_grounded.jsonl",
        ev / "external" / "scirex_abstracts.jsonl",
    ):
        records = load_jsonl(path)
        print(f"\n{path.name} yardstick: the tuples' scores that occur in the abstract text")
        for name, model in models:
            print(line(name, yardstick(records, model)))


def _annotated(args: argparse.Namespace, ev: Path) -> None:
    dev = [] if args.no_dev else load_annotated(args.shared / "seeds", [ev / "dev.jsonl"])
    train_papers = load_annotated(args.shared / "seeds", [ev / "train.jsonl"])
    papers = dev + train_papers
    gold = [{"title": p.title, "results": p.gold} for p in papers]
    n_results = sum(len(p.gold) for p in papers)
    print(
        f"{len(papers)} annotated papers, {n_results} results; {args.k}-fold CV, seed {args.seed}"
    )
    print(_header())
    t = time.perf_counter()
    for name, model in (("learned (CV)", None), ("hand rules, no training", RULE_MODEL)):
        report, preds = cross_validate(papers, args.k, args.seed, model)
        if model is None:
            _check_against_shared_scorer(ev.parent / "eval" / "score.py", gold, preds, report)
        print(_row(f"{name}, all {len(papers)}", report))
        n = len(dev)
        if dev:
            print(_row(f"{name}, dev papers", evaluate(gold[:n], preds[:n])))
            print(_row(f"{name}, train papers", evaluate(gold[n:], preds[n:])))
    print(f"(CV took {time.perf_counter() - t:.1f}s; score.py agrees with kg's matching)")
    if not dev:
        return
    held = train(train_papers)
    dev_gold = gold[: len(dev)]
    print("\ndev.jsonl held out (40 papers, never used to write rules or fit weights)")
    print(_header())
    print(_row("learned on train.jsonl only", evaluate(dev_gold, [predict(p, held) for p in dev])))
    print(
        _row("hand rules, no training", evaluate(dev_gold, [predict(p, RULE_MODEL) for p in dev]))
    )


if __name__ == "__main__":
    main()
