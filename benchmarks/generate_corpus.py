"""Synthetic arXiv-snapshot corpus for scale runs, recombined from the real seed abstracts.

Real text keeps the extractor's work realistic (sentence lengths, entity density, cue
phrases); recombination gives any number of distinct papers. Each seed sentence becomes a
template whose extracted entity mentions are slots; an abstract is 5-9 templates with the
slots refilled from names of the same kind (seen in the seeds or in kg's gazetteer), and
some proposed methods get a coined name so the entity set keeps growing like real data.
Deterministic for a given ``--seed``; written line by line, so 1M papers need no memory.

    python benchmarks/generate_corpus.py --papers 10000 --out /tmp/corpus-10k.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract import Extractor  # noqa: E402
from kg.ingest import iter_papers  # noqa: E402
from kg.model import EntityKind  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
GAZETTEER = ROOT / "kg" / "extract" / "data" / "gazetteer.tsv"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_SYLLABLES = ("var", "lo", "zen", "tra", "mi", "kor", "bel", "sa", "dro", "qui", "nex", "ta")
_SUFFIXES = ("Net", "Former", "GPT", "-XL", "Diff", "BERT", "GAN", "Flow", "RL", "Mixer")
_FIRST = ("Ana", "Bo", "Chen", "Dana", "Eli", "Fatima", "Goran", "Hiro", "Ines", "Jun", "Kofi")
_LAST = ("Ito", "Khan", "Li", "Moreau", "Novak", "Okafor", "Park", "Rossi", "Silva", "Wang")
PAPERS_PER_MONTH = 99_999  # arXiv's YYMM.NNNNN numbering


@dataclass(frozen=True)
class Template:
    """A seed sentence cut at its mentions: ``parts[0] slot parts[1] slot ... parts[-1]``."""

    parts: tuple[str, ...]
    slots: tuple[EntityKind, ...]


def _templates_and_names(seeds: Path) -> tuple[list[Template], dict[EntityKind, list[str]]]:
    """Sentence templates and the names seen per entity kind, from the extracted seeds."""
    templates: list[Template] = []
    names: dict[EntityKind, set[str]] = {kind: set() for kind in EntityKind}
    for ex in Extractor().extract(iter_papers([seeds])):
        text = ex.paper.abstract
        spans = sorted({(m.evidence.start, m.evidence.end, m.entity.kind) for m in ex.mentions})
        for m in ex.mentions:
            names[m.entity.kind].add(m.surface)
        start = 0
        for piece in _SENTENCE_END.split(text):
            begin = text.index(piece, start)
            end = start = begin + len(piece)
            parts, slots, cut = [], [], begin
            for s, e, kind in spans:
                if s >= cut and e <= end:
                    parts.append(text[cut:s])
                    slots.append(kind)
                    cut = e
            parts.append(text[cut:end])
            templates.append(Template(tuple(parts), tuple(slots)))
    with GAZETTEER.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            kind = next((k for k in EntityKind if k.value == row["kind"]), None)
            if kind is not None:
                names[kind].add(row["name"])
    return templates, {kind: sorted(found) for kind, found in names.items() if found}


def _coined(rng: random.Random) -> str:
    stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return stem + rng.choice(_SUFFIXES)


def _abstract(
    rng: random.Random, templates: list[Template], names: dict[EntityKind, list[str]]
) -> str:
    sentences = []
    for template in rng.sample(templates, rng.randint(5, 9)):
        out = [template.parts[0]]
        for kind, part in zip(template.slots, template.parts[1:], strict=True):
            if kind is EntityKind.METHOD and rng.random() < 0.1:
                out.append(_coined(rng))
            else:
                out.append(rng.choice(names.get(kind) or ["the baseline"]))
            out.append(part)
        sentences.append("".join(out))
    return " ".join(sentences)


def records(
    n: int, seed: int = 13, first: int = 0, seeds: Path = SEEDS
) -> Iterator[dict[str, object]]:
    """``n`` snapshot records; ids run 2401.00001, 2401.00002, ... then 2402.00001, ...

    ``first`` skips that many ids, so a second corpus can add papers instead of updating.
    """
    rng = random.Random(seed)
    templates, names = _templates_and_names(seeds)
    titles = [p.title for p in iter_papers([seeds])]
    for i in range(first, first + n):
        month, number = divmod(i, PAPERS_PER_MONTH)
        yymm = f"{24 + month // 12:02d}{month % 12 + 1:02d}"
        arxiv_id = f"{yymm}.{number + 1:05d}"
        created = date(2000 + int(yymm[:2]), int(yymm[2:]), 1) + timedelta(days=number % 28)
        authors = [(rng.choice(_LAST), rng.choice(_FIRST), "") for _ in range(rng.randint(1, 6))]
        yield {
            "id": arxiv_id,
            "submitter": f"{authors[0][1]} {authors[0][0]}",
            "authors": ", ".join(f"{first} {last}" for last, first, _ in authors),
            "title": f"{rng.choice(titles)} ({arxiv_id})",  # unique: readers dedupe by title
            "comments": f"{rng.randint(6, 40)} pages",
            "journal-ref": None,
            "doi": None,
            "report-no": None,
            "categories": rng.choice(("cs.LG", "cs.CL", "cs.CV", "cs.LG stat.ML", "cs.AI")),
            "license": "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
            "abstract": _abstract(rng, templates, names),
            "versions": [
                {"version": "v1", "created": created.strftime("%a, %d %b %Y 10:00:00 GMT")}
            ],
            "update_date": created.isoformat(),
            "authors_parsed": [list(a) for a in authors],
        }


def write_corpus(n: int, out: Path, seed: int = 13, first: int = 0) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for record in records(n, seed, first):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=1_000, help="how many papers (1k-1M)")
    parser.add_argument("--out", type=Path, required=True, help="JSON Lines file to write")
    parser.add_argument("--seed", type=int, default=13, help="random seed (same seed, same file)")
    parser.add_argument("--first", type=int, default=0, help="ids to skip (for new papers)")
    args = parser.parse_args(argv)
    write_corpus(args.papers, args.out, args.seed, args.first)
    print(f"wrote {args.papers:,} papers to {args.out}")


if __name__ == "__main__":
    main()
