"""Gazetteer build from a fake wheel, gazetteer lookup, and evaluate() on known counts."""

from __future__ import annotations

import zipfile
from pathlib import Path

from kg.extract.evaluate import evaluate, format_report
from kg.extract.gazetteer import Gazetteer
from kg.extract.gazetteer_build import build_gazetteer

METADATA = "Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\nLicense: Apache 2.0\n\n"


def _wheel(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    path = tmp_path / f"{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}-1.0.dist-info/METADATA", METADATA.format(name=name))
        for inner, text in files.items():
            z.writestr(inner, text)
    return path


def test_build_reads_names_kinds_and_licence_from_wheels(tmp_path: Path) -> None:
    transformers = _wheel(tmp_path, "transformers", {
        "transformers/models/auto/configuration_auto.py":
            'MODEL_NAMES_MAPPING = OrderedDict(\n    [\n        ("llama", "LLaMA"),\n'
            '        ("bert", "BERT"),\n        ("aimv2_vision_model", "Aimv2VisionModel"),\n'
            '        ("encoder-decoder", "Encoder decoder"),\n    ]\n)\n'})
    tfds = _wheel(tmp_path, "tensorflow_datasets", {
        "tensorflow_datasets/datasets/imagenet2012/README.md": "",
        "tensorflow_datasets/datasets/titanic/README.md": "",
        "tensorflow_datasets/datasets/squad/TAGS.txt": "ml.task.question-answering\n"})
    other = _wheel(tmp_path, "unrelated", {"unrelated/x.py": "names = ['NotAName']"})
    out = tmp_path / "gaz.tsv"
    assert build_gazetteer([transformers, tfds, other], out) == 5
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert rows[0] == ["name", "kind", "aliases", "source", "licence"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["LLaMA"] == ["LLaMA", "Method", "llama", "transformers-1.0", "Apache-2.0"]
    assert by_name["imagenet2012"][1] == "Dataset"
    assert by_name["question answering"][1] == "Task"
    assert "Aimv2VisionModel" not in by_name and "Encoder decoder" not in by_name
    assert "titanic" not in by_name  # an English word, not a name papers use

    gaz = Gazetteer.from_tsv(out.read_text())
    assert gaz.kind("Llama-2-7B") == "Method"  # size and version suffixes stripped
    assert gaz.kind("ImageNet 2012") == "Dataset"
    assert gaz.kind("Mistral") is None


def test_shipped_gazetteer_has_rows_of_each_source() -> None:
    text = (Path(__file__).resolve().parents[2] / "kg/extract/data/gazetteer.tsv").read_text()
    sources = {line.split("\t")[3].split("-")[0] for line in text.splitlines()[1:]}
    assert {"transformers", "timm", "tensorflow_datasets", "torchvision", "scikit_learn"} <= sources
    assert Gazetteer.shipped().kind("CIFAR-10") == "Dataset"


def test_evaluate_counts_matches_misses_and_false_positives() -> None:
    gold = [{"title": "A Paper", "methods_proposed": [["Learned Embedding Propagation", "LEP"]],
             "methods_used": [["GPT-4"], ["CLIP"]], "datasets_evaluated": [["MS COCO", "COCO"]],
             "code_urls": ["https://github.com/a/b"], "releases_code": True}]
    pred = [{"title": "a paper!", "methods_proposed": ["LEP"],
             "methods_used": [["gpt 4"], ["BERT"]], "datasets_evaluated": ["Coco"],
             "code_urls": ["github.com/a/b.git"], "releases_code": False}]
    report = evaluate(gold, pred)
    used = report.fields["methods_used"]
    assert (used.tp, used.pred, used.gold) == (0, 2, 2)  # "gpt 4" ≠ "gpt-4" after norm
    assert report.fields["methods_proposed"].f1 == 1.0
    assert report.fields["datasets_evaluated"].tp == 1
    assert report.fields["code_urls"].tp == 1
    methods = report.fields["methods"]
    assert (methods.tp, methods.pred, methods.gold) == (1, 3, 3)
    assert round(methods.precision, 3) == round(methods.recall, 3) == 0.333
    assert report.releases_code_accuracy == 0.0
    missed, false_pos = report.errors["A Paper"]["methods_used"]
    assert missed == ["GPT-4", "CLIP"] and false_pos == ["gpt 4", "BERT"]
    text = format_report(report)
    assert "methods_used" in text and "+ BERT" in text and "- CLIP" in text


def test_full_name_with_acronym_in_parentheses_counts_as_both_parts() -> None:
    gold = [{"title": "t", "methods_used": [["MLE"]]}]
    pred = [{"title": "t", "methods_used": ["Maximum Likelihood Estimation (MLE)"]}]
    assert evaluate(gold, pred).fields["methods_used"].f1 == 1.0
