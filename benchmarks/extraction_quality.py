"""Entity extraction quality on papers the models never saw, beside the hand rules.

1. 5-fold cross-validation over the 160 annotated seed papers (../shared/eval dev.jsonl +
   train.jsonl): both models trained on four folds, the fifth extracted; the peer is the
   same folds with the hand rules deciding kinds and roles (``kg evaluate --cv 5 --rules``).
2. Every external set (../shared/eval/external, written by nobody on this project), read by
   the shipped models (trained on the 160 seed papers only) and by the hand rules.

usage: python benchmarks/extraction_quality.py [SHARED_DIR] [--k 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.extract import Extractor, to_record
from kg.extract.entity_train import cross_validate, load_annotated
from kg.extract.evaluate import Report, evaluate, load_jsonl, papers_from_records
from kg.extract.pipeline import ExtractConfig

CV_FIELDS = (
    "methods",
    "datasets",
    "datasets_evaluated",
    "methods_proposed",
    "tasks_lenient",
    "metrics",
    "code_urls",
    "results_value",
    "results",
    "results_method",
)
#: external set -> the fields it annotates (README in ../shared/eval/external)
EXTERNAL = {
    "tdmsci_test.jsonl": ("datasets", "tasks_lenient", "metrics"),
    "nlp_tdms_abstracts_grounded.jsonl": ("datasets_evaluated",),
    "leaderboard_grounded.jsonl": ("datasets_evaluated",),
    "scirex_abstracts.jsonl": ("methods", "datasets", "tasks_lenient", "metrics"),
}


def _cells(report: Report, field: str) -> str:
    s = report.fields[field]
    return " ".join(f"{x:.3f}" if x is not None else "  -  " for x in (s.precision, s.recall, s.f1))


def _table(title: str, fields: tuple[str, ...], reports: dict[str, Report]) -> None:
    print(f"\n{title}")
    print(f"{'field':20} " + "   ".join(f"{name + ' P/R/F1':>19}" for name in reports))
    for field in fields:
        print(f"{field:20} " + "   ".join(_cells(r, field) for r in reports.values()))


def main() -> None:
    parser = argparse.ArgumentParser()
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("shared", nargs="?", type=Path, default=root / ".." / "shared")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    ev = args.shared / "eval"
    papers = load_annotated(args.shared / "seeds", [ev / "dev.jsonl", ev / "train.jsonl"])
    started = time.perf_counter()
    learned, _ = cross_validate(papers, k=args.k, seed=args.seed)
    rules, _ = cross_validate(papers, k=args.k, seed=args.seed, rules=True)
    _table(
        f"{args.k}-fold CV over {len(papers)} annotated seed papers "
        f"({time.perf_counter() - started:.0f} s)",
        CV_FIELDS,
        {"model": learned, "rules": rules},
    )
    extractors = {"model": Extractor(), "rules": Extractor(ExtractConfig(learned=False))}
    for name, fields in EXTERNAL.items():
        gold = load_jsonl(ev / "external" / name)
        papers_of = list(papers_from_records(gold))
        reports = {
            label: evaluate(gold, [to_record(e) for e in ex.extract(papers_of)])
            for label, ex in extractors.items()
        }
        _table(f"{name} ({len(gold)} records)", fields, reports)


if __name__ == "__main__":
    main()
