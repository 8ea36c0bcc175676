"""Method names read from fake wheels laid out as the real libraries lay theirs out."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.extract import gazetteer_methods
from kg.extract.gazetteer import Gazetteer
from kg.extract.gazetteer_build import build_gazetteer


def _zip(tmp_path: Path, files: dict[str, str]) -> zipfile.ZipFile:
    path = tmp_path / "lib-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        for inner, text in files.items():
            z.writestr(inner, text)
    return zipfile.ZipFile(path)


def _names(reader, z: zipfile.ZipFile) -> dict[str, tuple[str, ...]]:  # type: ignore[no-untyped-def]
    rows = list(reader(z))
    assert {kind for _, kind, _ in rows} <= {"Method"}
    return {name: aliases for name, _, aliases in rows}


@pytest.mark.parametrize(
    ("identifier", "words"),
    [
        ("LogisticRegression", "logistic regression"),
        ("KMeans", "K means"),
        ("KernelPCA", "kernel PCA"),
        ("TSNE", "TSNE"),
        ("prefix_tuning", "prefix tuning"),
        ("stable_diffusion_3", "stable diffusion 3"),
        ("adam", "adam"),
    ],
)
def test_identifiers_become_the_words_papers_write(identifier: str, words: str) -> None:
    assert gazetteer_methods.words_of(identifier) == words


def test_sklearn_keeps_estimators_without_role_suffix_and_drops_helpers(tmp_path: Path) -> None:
    z = _zip(tmp_path, {
        "sklearn/linear_model/__init__.py": '__all__ = ["LogisticRegression", '
        '"LogisticRegressionCV", "Lasso", "PoissonRegressor", "SGDClassifier"]',
        "sklearn/ensemble/__init__.py": '__all__ = [\n    "RandomForestClassifier",\n'
        '    "RandomForestRegressor",\n    "BaseEnsemble",\n]',
        "sklearn/model_selection/__init__.py": '__all__ = ["GridSearchCV", "KFold", "ParameterGrid"]',
        "sklearn/exceptions.py": '__all__ = ["ConvergenceWarning", "NotFittedError"]',
        "sklearn/utils/__init__.py": '__all__ = ["Bunch", "Tags"]',
    })  # fmt: skip
    names = _names(gazetteer_methods.sklearn, z)
    assert set(names) == {"logistic regression", "lasso", "random forest", "SGD"}
    assert names["random forest"] in {("RandomForestClassifier",), ("RandomForestRegressor",)}


def test_optimisers_from_keras_classes_and_optax_functions(tmp_path: Path) -> None:
    keras = _zip(tmp_path, {
        "keras/src/optimizers/adam.py": "class Adam(optimizer.Optimizer):\n    pass\n",
        "keras/src/optimizers/adamw.py": "class AdamW(adam.Adam):\n    pass\n",
        "keras/src/optimizers/adam_test.py": "class AdamTest(testing.TestCase):\n    pass\n",
        "keras/src/optimizers/loss_scale_optimizer.py":
            "class LossScaleOptimizer(optimizer.Optimizer):\n    pass\n",
    })  # fmt: skip
    assert set(_names(gazetteer_methods.keras, keras)) == {"Adam", "AdamW"}
    optax = _zip(tmp_path, {"optax/_src/alias.py": "def lamb(\n  lr):\n\ndef noisy_sgd(lr):\n"})
    assert _names(gazetteer_methods.optax, optax) == {"lamb": (), "noisy sgd": ("noisy_sgd",)}


def test_diffusers_pipelines_and_one_word_samplers(tmp_path: Path) -> None:
    z = _zip(tmp_path, {
        "diffusers/pipelines/stable_diffusion/pipeline.py": "",
        "diffusers/pipelines/deprecated/x.py": "",
        "diffusers/schedulers/scheduling_dpmsolver_multistep.py": "",
        "diffusers/schedulers/scheduling_ddim.py": "",
        "diffusers/schedulers/scheduling_flow_match_euler_discrete.py": "",
    })  # fmt: skip
    names = _names(gazetteer_methods.diffusers, z)
    assert set(names) == {"stable diffusion", "dpmsolver", "ddim"}


def test_peft_keeps_tuning_phrases_short_acronyms_and_lora_kin(tmp_path: Path) -> None:
    z = _zip(tmp_path, {"peft/utils/peft_types.py": (
        "class PeftType(str, enum.Enum):\n"
        '    PREFIX_TUNING = "PREFIX_TUNING"\n    LORA = "LORA"\n    ADALORA = "ADALORA"\n'
        '    IA3 = "IA3"\n    ROAD = "ROAD"\n\n\nclass TaskType(str, enum.Enum):\n'
        '    SEQ_CLS = "SEQ_CLS"\n'
    )})  # fmt: skip
    assert set(_names(gazetteer_methods.peft, z)) == {"prefix tuning", "LoRA", "ADALoRA", "IA3"}


def test_rl_algorithms_graph_models_and_self_supervised_methods(tmp_path: Path) -> None:
    sb3 = _zip(
        tmp_path,
        {"stable_baselines3/ppo/__init__.py": "", "stable_baselines3/common/__init__.py": ""},
    )
    assert set(_names(gazetteer_methods.stable_baselines3, sb3)) == {"PPO"}
    pyg = _zip(tmp_path, {"torch_geometric/nn/models/__init__.py":
        "__all__ = classes = [\n    'GraphSAGE',\n    'InnerProductDecoder',\n    'to_captum',\n]"})  # fmt: skip
    assert set(_names(gazetteer_methods.torch_geometric, pyg)) == {"GraphSAGE"}
    lightly = _zip(tmp_path, {
        "lightly/transforms/__init__.py": "from a import SimCLRTransform, SimCLRViewTransform\n"
        "from b import MoCoV2Transform\nfrom c import RandomRotateTransform\n",
        "lightly/loss/__init__.py": "from d import BarlowTwinsLoss\n",
    })  # fmt: skip
    assert set(_names(gazetteer_methods.lightly, lightly)) == {"SimCLR", "MoCo", "BarlowTwins"}


def test_built_rows_type_method_names_as_papers_write_them(tmp_path: Path) -> None:
    wheel = tmp_path / "scikit_learn-1.0-cp311-cp311-linux_x86_64.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr(
            "scikit_learn-1.0.dist-info/METADATA", "Name: scikit-learn\nLicense: BSD-3-Clause\n\n"
        )
        z.writestr("sklearn/cluster/__init__.py", '__all__ = ["KMeans"]')
    out = tmp_path / "gaz.tsv"
    assert build_gazetteer([wheel], out) == 1
    assert out.read_text().splitlines()[1].split("\t")[3:] == ["scikit_learn-1.0", "BSD-3-Clause"]
    assert Gazetteer.from_tsv(out.read_text()).kind("K-means") == "Method"


def test_shipped_gazetteer_knows_optimisers_learners_and_ssl_methods() -> None:
    gaz = Gazetteer.shipped()
    for name in ("Adam", "logistic regression", "Lasso", "Barlow Twins", "SimCLR", "PPO", "LoRA"):
        assert gaz.kind(name) == "Method", name


def test_name_lists_add_datasets_and_methods_but_not_a_yardstick_s_own_answers(
    tmp_path: Path,
) -> None:
    entries = [
        {"type": "dataset", "name": "WikiSQL", "aliases": ["WikiSQL val - execution"],
         "sources": ["paperswithcode/sota-extractor (Apache-2.0)"], "licence": "Apache-2.0"},
        {"type": "method", "name": "BiDAF", "aliases": ["BiDAF + Self Attention"],
         "sources": ["paperswithcode/sota-extractor (Apache-2.0)"], "licence": "Apache-2.0"},
        {"type": "dataset", "name": "OnlyInTheYardstick", "aliases": [],
         "sources": ["IBM TDMSci (Apache-2.0)"], "licence": "Apache-2.0"},
        {"type": "task", "name": "question answering", "aliases": [],
         "sources": ["paperswithcode/sota-extractor (Apache-2.0)"], "licence": "Apache-2.0"},
        {"type": "dataset", "name": "Bad|Name", "aliases": [], "sources": ["x"], "licence": "MIT"},
    ]  # fmt: skip
    names = tmp_path / "names.jsonl"
    names.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    out = tmp_path / "gaz.tsv"
    assert build_gazetteer([], out, [names]) == 2
    rows = {r.split("\t")[0]: r.split("\t") for r in out.read_text().splitlines()[1:]}
    assert rows["WikiSQL"][1:4] == ["Dataset", "", "paperswithcode/sota-extractor (Apache-2.0)"]
    assert rows["BiDAF"][1:3] == ["Method", "BiDAF + Self Attention"]


def test_shipped_gazetteer_knows_leaderboard_names_from_the_permissive_list() -> None:
    gaz = Gazetteer.shipped()
    assert gaz.kind("WikiSQL") == "Dataset"
    assert gaz.kind("BiDAF") == "Method"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "dataset", "name": \n', "names.jsonl:1: malformed JSON"),
        (b'{"type": "dataset", "name": "A"}\n["a list"]\n', "names.jsonl:2: a name-list entry"),
        (b'{"type": "dataset", "sources": ["x"]}\n', 'needs a string "name"'),
        (b"\xff\xfe{}\n", "names.jsonl: not UTF-8 text"),
    ],
)
def test_a_broken_name_list_is_an_input_error_that_says_where(
    tmp_path: Path, content: bytes, message: str
) -> None:
    names = tmp_path / "names.jsonl"
    names.write_bytes(content)
    out = tmp_path / "gaz.tsv"
    with pytest.raises(InputError, match=re.escape(message)):
        build_gazetteer([], out, [names])
    assert not out.exists()  # nothing half-written
