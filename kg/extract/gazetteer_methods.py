"""Method names read out of the registries of machine-learning libraries' wheels.

The model-zoo sources (transformers, timm, torchvision) name architectures; papers also
name optimisers (Adam, RMSprop), classical learners (logistic regression, k-means, LASSO),
diffusion pipelines and samplers (Stable Diffusion, DDIM), adapters (LoRA, prefix tuning),
reinforcement-learning algorithms (PPO, SAC) and graph networks (GraphSAGE, Node2Vec).
Each reader takes the names a library exports for one of these, from its wheel's source
files, and turns code identifiers into the words papers write ("LogisticRegression" →
"logistic regression"; the gazetteer's keys ignore case, spaces and hyphens).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

Row = tuple[str, str, tuple[str, ...]]  # name, kind, aliases

# scikit-learn exports helpers beside its estimators; these parts of a class name mark them.
_SKLEARN_HELPER = re.compile(
    r"(?:Warning|Error|Display|Tags|Mixin|Callback|Context|Split|Fold|Out|Scaler|Encoder"
    r"|Binarizer|Imputer|Pipeline|Union|Grid|Sampler|Bunch|Normalizer|Centerer|Indicator"
    r"|Discretizer|Hasher|Chain|Estimator|Monitor|Log|Bar|Metric|Features|Coder|Transformer"
    r"|(?:Ball|KD)Tree|CV|IC)$"
    r"|^(?:Base|Select|Multi|OneVs|Output|Repeated|Stratified|Group|Leave|Predefined|Shuffle"
    r"|Parameter|Halving|Randomized|Generic|Variance|Frozen|Fixed|Tuned|Column|Function"
    r"|Transformed|Dict|Missing|Sequential|Unset)"
)
_SKLEARN_ROLE = re.compile(r"(?:Classifier|Regressor|Vectorizer)$")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def words_of(identifier: str) -> str:
    """A code identifier as a paper writes it: snake_case and CamelCase split into words,
    acronyms kept, other words lowercased ("GaussianProcess" → "gaussian process",
    "KernelPCA" → "kernel PCA", "prefix_tuning" → "prefix tuning")."""
    if "_" in identifier or identifier.islower():
        return " ".join(part for part in identifier.split("_") if part)
    parts = _CAMEL.findall(identifier)
    return " ".join(p if p.isupper() or p.isdigit() else p.lower() for p in parts)


def wheel_text(z: zipfile.ZipFile, path: str) -> str:
    """The text of one file of the wheel; empty when this version does not have it."""
    return z.read(path).decode("utf-8", "replace") if path in z.namelist() else ""


def exported(src: str) -> list[str]:
    """The names a module's ``__all__`` lists."""
    block = re.search(r"__all__\s*=[\w\s=]*[\[(](.*?)[\])]", src, re.S)
    return re.findall(r"[\"'](\w+)[\"']", block.group(1)) if block else []


def sklearn(z: zipfile.ZipFile) -> Iterator[Row]:
    """Estimators exported by scikit-learn's public modules, named without their role
    suffix ("RandomForestClassifier" → "random forest"); the class name is an alias."""
    for name in z.namelist():
        if not re.match(r"sklearn/(?:[a-z]\w*/)?(?:__init__|[a-z]\w*)\.py$", name):
            continue
        if "/tests/" in name or "/externals/" in name or "/utils/" in name:
            continue
        for cls in exported(wheel_text(z, name)):
            if not cls[:1].isupper() or (cls.isupper() and "_" in cls):
                continue
            base = _SKLEARN_ROLE.sub("", cls)
            if not base or _SKLEARN_HELPER.search(base):
                continue
            if base != cls and base.istitle() and len(_CAMEL.findall(base)) == 1:
                continue  # "CountVectorizer", "PoissonRegressor": the word alone is no method
            yield words_of(base), "Method", (cls,) if base != cls else ()


def keras(z: zipfile.ZipFile) -> Iterator[Row]:
    """Optimisers: classes of ``keras/src/optimizers`` deriving from an optimiser."""
    for name in z.namelist():
        if re.match(r"keras/src/optimizers/[a-z]\w*\.py$", name) and not name.endswith("_test.py"):
            src = z.read(name).decode("utf-8", "replace")
            for cls in re.findall(r"^class (\w+)\([\w.]*(?:Optimizer|Adam)\)", src, re.M):
                if not cls.endswith("Optimizer"):
                    yield cls, "Method", ()


def optax(z: zipfile.ZipFile) -> Iterator[Row]:
    """Optimisers: the public functions of optax's alias module (adam, lamb, yogi, …)."""
    for fn in re.findall(r"^def ([a-z]\w*)\(", wheel_text(z, "optax/_src/alias.py"), re.M):
        yield words_of(fn), "Method", ((fn,) if "_" in fn else ())


_STEP_MODE = re.compile(r"(?:_(?:multistep|singlestep|discrete|ancestral|inverse|parallel))+$")


def diffusers(z: zipfile.ZipFile) -> Iterator[Row]:
    """Pipeline families (``diffusers/pipelines/<name>/``) and samplers named by one word
    once their step-mode words go (``scheduling_dpmsolver_multistep`` → dpmsolver)."""
    seen = {"deprecated", "utils"}
    for name in z.namelist():
        pipeline = re.match(r"diffusers/pipelines/([a-z]\w*)/", name)
        sampler = re.match(r"diffusers/schedulers/scheduling_([a-z]\w*)\.py$", name)
        found = pipeline.group(1) if pipeline else None
        if sampler and "_" not in (stem := _STEP_MODE.sub("", sampler.group(1))):
            found = stem
        if found and found not in seen:
            seen.add(found)
            yield words_of(found), "Method", ((found,) if "_" in found else ())


def peft(z: zipfile.ZipFile) -> Iterator[Row]:
    """Adapter methods of the ``PeftType`` enum: multiword ones as words ("prefix tuning"),
    acronyms of three characters or LoRA-derived (a four-letter enum such as ROAD or MISS
    is an English word more often than a method in an abstract)."""
    src = wheel_text(z, "peft/utils/peft_types.py")
    start = src.find("class PeftType")
    block = src[start : src.find("\nclass ", start + 1)] if start >= 0 else ""
    for value in re.findall(r'^\s+\w+ = "(\w+)"', block, re.M):
        if "_" in value:
            yield words_of(value.lower()), "Method", ()
        elif len(value) <= 3 or "LORA" in value:
            yield value.replace("LORA", "LoRA"), "Method", ()


_SB3_ALGO = re.compile(r"stable_baselines3/([a-z]\w*)/__init__\.py$")


def stable_baselines3(z: zipfile.ZipFile) -> Iterator[Row]:
    """Reinforcement-learning algorithms: the package's algorithm folders (ppo, sac, …)."""
    for algo in sorted({m.group(1) for n in z.namelist() if (m := _SB3_ALGO.match(n))}):
        if algo != "common":
            yield algo.upper(), "Method", ()


def torch_geometric(z: zipfile.ZipFile) -> Iterator[Row]:
    """Graph-learning models exported by ``torch_geometric.nn.models``."""
    for cls in exported(wheel_text(z, "torch_geometric/nn/models/__init__.py")):
        if cls[:1].isupper() and not re.search(r"(?:Encoder|Decoder|Layer|Memory)$", cls):
            yield cls, "Method", ()


def lightly(z: zipfile.ZipFile) -> Iterator[Row]:
    """Self-supervised methods: the augmentation pipelines (``SimCLRTransform``) and losses
    (``BarlowTwinsLoss``) lightly exports per method; view halves and version suffixes
    dropped ("MoCoV2Transform" → MoCo)."""
    for path, suffix in (
        ("lightly/transforms/__init__.py", "Transform"),
        ("lightly/loss/__init__.py", "Loss"),
    ):
        for cls in sorted(set(re.findall(rf"\b([A-Z]\w*){suffix}\b", wheel_text(z, path)))):
            if "View" in cls or re.match(r"(?:Random|Add|Multi|To)[A-Z]", cls):
                continue
            stem = re.sub(r"V\d+$", "", cls)
            yield (stem if sum(c.isupper() for c in stem) > 1 else words_of(stem)), "Method", ()


READERS = {
    "lightly": lightly,
    "scikit_learn": sklearn,
    "keras": keras,
    "optax": optax,
    "diffusers": diffusers,
    "peft": peft,
    "stable_baselines3": stable_baselines3,
    "torch_geometric": torch_geometric,
}
