"""Train the result model on the annotated seed papers and write the shipped weights.

usage: .venv/bin/python scripts/train_results.py [SHARED_DIR] [-o kg/extract/models/results.json]

Trains on every gold file given (default: the shared dev.jsonl and train.jsonl, 160 papers);
the weights are deterministic (Newton's method, no randomness), so re-running on the same
data and rules rewrites the same file. Measure the model with benchmarks/results_quality.py
(cross-validated), never on the papers it was trained on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.extract.results_train import load_annotated, shipped_path, train

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("shared", nargs="?", type=Path, default=ROOT / ".." / "shared")
    parser.add_argument("--gold", nargs="+", default=["dev.jsonl", "train.jsonl"])
    parser.add_argument("-o", "--out", type=Path, default=shipped_path())
    args = parser.parse_args()
    papers = load_annotated(args.shared / "seeds", [args.shared / "eval" / g for g in args.gold])
    model = train(papers)
    args.out.write_text(model.to_json(), encoding="utf-8")
    n = sum(len(w) for w in model.weights.values())
    print(f"{model.name}: {n} weights from {len(papers)} papers written to {args.out}")


if __name__ == "__main__":
    main()
