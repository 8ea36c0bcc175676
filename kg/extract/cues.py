"""Cue patterns: the wording around a name that says what it is and what the paper does
with it. Plain compiled regexes over the raw text — the spaCy token Matcher costs ~0.1 ms
per pattern per document, these cost a few µs.
"""

from __future__ import annotations

import re

from kg.extract import lexicon


def _led(first: str, body: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """``\\b`` + ``body``, where ``first`` holds every letter a match can start with.

    Python's ``re`` tries an alternation at every position; the lookahead rejects most
    positions with one character test (2x faster on the tail searches that run for every
    candidate), and testing it after ``\\b`` (inline in ``re``'s loop, where the lookahead
    is a call) takes another 5-15% off every led pattern on CPython 3.11.
    tests/extract/test_cues.py checks each led pattern matches as the plain one.
    """
    return re.compile(rf"\b(?=[{first}])(?:{body})", flags)


def _one_of(alternatives: list[str], flags: int = re.IGNORECASE) -> str:
    """``(?:a|b|…)`` with the alternatives that start with one letter merged behind it, in
    their order: at each word ``re`` then tests a letter per group, not every alternative
    (a sixth off a full-text scan). Each alternative starts with a plain letter, so no two
    groups can match at one place and the first alternative that matches stays the same.
    """
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        groups.setdefault(alt[0].lower() if flags & re.IGNORECASE else alt[0], []).append(alt[1:])
    merged = (
        first + (rest[0] if len(rest) == 1 else f"(?:{'|'.join(rest)})")
        for first, rest in groups.items()
    )
    return f"(?:{'|'.join(merged)})"


def _first_letters(alternatives: list[str]) -> str:
    """The lead of a ``_led`` pattern over ``alternatives``."""
    return "".join(dict.fromkeys(alt[0] for alt in alternatives))


def _words_then(words: list[str], rest: str) -> tuple[str, str]:
    """(lead, body) for ``_led``: one of ``words``, then ``rest``."""
    return _first_letters(words), _one_of(words) + rest


# --- sentences -------------------------------------------------------------------------
# A boundary is ". " before a capital/digit/bracket, except after common abbreviations.
# Written to start with a character set: ``re`` then skips to candidate positions in C.
SENT_END_RE = re.compile(r"[.!?\n](?:(?<=[.!?])(?=\s+[\"'(\[]?[A-Z0-9])|(?<=\n)\s*\n)")
NO_SENT_END_RE = re.compile(r"\b(?:e\.g|i\.e|et al|vs|cf|Eq|Fig|approx|resp|No)\.$")

# --- names -----------------------------------------------------------------------------
# A name-like word: capitalised, or with an inner capital or digit (wav2vec, iNaturalist).
# The lookahead turns down a plain lowercase word in one pass over its letters, where ``re``
# would backtrack through it looking for the inner capital (a fifth of the scan).
_WORD = (
    r"(?:[A-Z](?:[\w\-\.\^+/&']*[\w+])?|[a-z](?=[a-z]*+[\w\-])[\w\-]*[A-Z0-9][\w\-\.\^+/]*[\w+]"
    r"|\d+(?:\.\d+)?[A-Za-z][\w\-\.]*[\w])"
)
_VERSION = r"(?:\d+(?:\.\d+)*[A-Za-z]?|v\d[\w\.]*)"
# Not after a word character, "-", ".", "@" or "/". Every word starts with a word character,
# so that is ``\b`` plus a lookbehind for the other four, which ``re`` tests far faster.
RUN_RE = re.compile(rf"\b(?<![\-\.@/]){_WORD}(?:[ ](?:{_WORD}|{_VERSION}(?![\w%])))*(?![\w\-])")
SHAPE_RE = re.compile(r"[a-z][A-Z]|[A-Z]{2}|\d|^[A-Z]\W|[A-Z][\-\^+]|\w[\-\^+][A-Z0-9]")
HYPHEN_ADJ_RE = re.compile(r"^[A-Z]?[a-z]+(?:-[a-z]+)+$|^[A-Z][a-z]+-[A-Z][a-z]+$")
SUFFIX_RE = re.compile(
    r"-(?:based|like|style|guided|aware|driven|specific|free|level|only|curated|generated|"
    r"augmented|enhanced|inspired|powered|friendly|tuned|pretrained|trained|sized|scale|"
    r"type|family|series|variants?|wise)$",
    re.IGNORECASE,
)
PLURAL_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9\-]*[A-Z]s$")
# --- roles -----------------------------------------------------------------------------
PROPOSE_RE = _led(
    "wtih",
    r"(?:we|this (?:paper|work|study)|in this (?:paper|work),? we|here,? we)\s+"
    r"(?:\w+ly\s+|first\s+|further\s+|also\s+|then\s+|therefore\s+|thus\s+)?"
    r"(?:\w+\s+and\s+)?"
    r"(?:propose|introduce|present|develop|design|devise|put forward|build|create|construct|"
    r"release|contribute|curate|collect|offer|establish)(?:s|d|ed)?\b",
)
NAMED_QUOTE_RE = re.compile(
    r"\b(?:called|named|dubbed|termed|coined)\s+[\"“]([^\"”]{3,60})[\"”]", re.IGNORECASE
)
ENUMERATED_RE = re.compile(r"(?:^|[\s;:,])\(?(?:\d|i{1,3}|iv|v)\)\s*$")
NOVEL_APPOSITION_RE = re.compile(
    r"^\s*(?:,|:|\s-|\sis)\s+(?:a|an|the)\s+(?:\w+\s+)?(?:novel|new|simple|general|unified|"
    r"first|proposed|scalable|efficient|lightweight|generic|plug-and-play)\b",
    re.IGNORECASE,
)

_DATASET_NOUNS = [
    "data ?sets?", "benchmarks?", "corpus", "corpora", "suites?", "testbeds?", "leaderboards?",
    "challenges?", "collections?", "splits?", "test ?sets?", "subsets?", "environments?",
    "tasks?", "games", "domains?", "treebanks?",
]  # fmt: skip
DATASET_NOUN = _one_of(_DATASET_NOUNS)
DATASET_AFTER_RE = re.compile(rf"^\s*(?:\)\s*)?(?:{DATASET_NOUN})\b", re.IGNORECASE)
TRAINED_ON_RE = _led(
    "tpfcsde",
    r"(?:trained|pre-?trained|fine-?tuned|finetuned|train|pre-?train|fine-?tune|curated|"
    r"collected|sourced|derived|sampled|extracted)\s+(?:\w+\s+){0,3}(?:on|from)\s+(?:the\s+)?$",
)
# "outperforming GPT-3 on SuperGLUE": a name applied "on" something is a method.
APPLIED_ON_RE = re.compile(r"^\s+(?:on|across)\s")
_MODEL_ON_VERBS = [
    "based", "built", "relies", "rely", "relying", "depends", "depend", "focus", "focuses",
    "runs?", "deployed", "implemented", "conditioned", "plug", "plugs",
]  # fmt: skip
_METHOD_NOUNS = [
    "models?", "methods?", "LLMs?", "architectures?", "baselines?", "approaches", "networks?",
    "algorithms?", "detectors?", "encoders?", "backbones?",
]  # fmt: skip
# The words that end right before a name, in one pattern (roles.tail_cues): a cue each.
_TAIL_CUES = {
    "dataset_before": _words_then(
        [*_DATASET_NOUNS, "data"],
        r"\s*(?:,|:|\(|such as|like|including|namely|e\.g\.,?|i\.e\.,?|from|of|are|is)?\s*"
        r"(?:the\s+)?$",
    ),
    "model_on": _words_then(_MODEL_ON_VERBS, r"\s+(?:\w+\s+)?(?:on|upon)\s+(?:the\s+)?$"),
    # "language models such as X", "baselines like X": the list is of methods, whatever a
    # gazetteer of dataset names says (TFDS has a "gpt3" dataset).
    "method_before": _words_then(
        _METHOD_NOUNS, r"\s*(?:,|:|\(|such as|like|including|e\.g\.,?)\s*(?:the\s+)?$"
    ),
    "on_before": _words_then(
        ["on", "across", "over"],
        r"\s+(?:the\s+)?(?:challenging\s+|popular\s+|standard\s+|public\s+|large-scale\s+|"
        r"real-world\s+)?$",
    ),
    "named": _words_then(
        ["call(?:ed)?", "name[ds]?", "dub(?:bed)?", "term(?:ed)?", "coin(?:ed)?", "namely"],
        r"(?:\s+(?:it|them|this|our|the\s+[\w\-]+(?:\s+[\w\-]+)?))?\s*:?\s*[\"'“(]?$",
    ),
    "our": (
        "ota",
        r"(?:(?:our|the)\s+(?:proposed|new|novel)|our|(?:a|the)\s+(?:novel|new)"
        r"(?:\s+[\w\-]+){0,2})\s+$",
    ),
}
TAIL_CUES_RE = _led(
    "".join(first for first, _ in _TAIL_CUES.values()),
    "|".join(f"(?P<{name}>{body})" for name, (_, body) in _TAIL_CUES.items()),
)
_EVAL_WORDS = [
    r"evaluat\w*", r"experiments?", r"experimental", r"benchmark(?:ed|ing|s)?", r"outperform\w*",
    r"achiev\w*", r"results?", r"tested", r"test", r"state[- ]of[- ]the[- ]art", r"SOTA",
    r"surpass\w*", r"accuracy", r"scores?", r"performance", r"demonstrat\w*", r"shows?",
    r"validat\w*", r"empirical\w*", r"attains?", r"yields?",
]  # fmt: skip
EVAL_RE = _led(_first_letters(_EVAL_WORDS), rf"{_one_of(_EVAL_WORDS)}\b")
DATASET_SHAPE_RE = re.compile(
    r"(?:Bench|bench|BENCH|QA|Eval|Set|set|Corpus|Data)"
    r"(?:[\-\s]?[\w.]+)?$|^(?:Bench|Eval)|-\d+[kK]$"
)
METHOD_SHAPE_RE = re.compile(
    r"[\-\s]\d+(?:\.\d+)?[BM]\b|(?:Net|Former|former|GPT|BERT|GAN|LM|"
    r"Diffusion|Mamba|Llama|LLaMA)(?:[\-\s]?[\w.]+)?$"
)
LIST_SEP_RE = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*|&\s*)(?:the\s+)?$")

RELEASE_CODE_RE = _led(
    "cismdrop",
    r"(?:code|codes|implementation|source code|codebase|models? and code|code and (?:data|"
    r"models?|datasets?)|data and code)\b[^.]{0,60}\b(?:is|are|will be|"
    r"has been|have been|be|was|were)\s+(?:made\s+)?(?:publicly\s+|freely\s+|openly\s+)?"
    r"(?:available|released|open[- ]sourced|public|accessible)\b"
    r"|\b(?:release|open[- ]source|make|publish|share)\s+(?:our|the|all|its)\s+(?:\w+\s+){0,3}"
    r"(?:code|implementation|codebase)"
    r"|\b(?:code|implementation)\s+(?:is\s+)?(?:available|released)\s+(?:at|on|in)\b",
)
_METRICS = [
    r"FID", r"FVD", r"KID", r"BLEU(?:-\d)?", r"ROUGE(?:-[12L])?", r"METEOR", r"CIDEr", r"SPICE",
    r"pass@\d+", r"mAP", r"mIoU", r"AUROC", r"AUC", r"AUPRC", r"F1(?:[- ]score)?",
    r"top-[15] (?:accuracy|error)", r"accuracy", r"perplexity", r"word error rate", r"WER", r"CER",
    r"PSNR", r"SSIM", r"LPIPS", r"Inception Score", r"IoU", r"NDCG(?:@\d+)?", r"MRR",
    r"Recall@\d+", r"recall@\d+", r"Hits@\d+", r"exact match", r"EM", r"FLOPs", r"BERTScore",
    r"CLIP score", r"CLIPScore", r"MAE", r"MSE", r"RMSE", r"success rate", r"win rate",
    r"mean average precision", r"mean squared error", r"Spearman", r"Pearson", r"precision",
    r"recall", r"BPC", r"bits per character", r"EER", r"Dice(?: score)?", r"ECE", r"AP",
]  # fmt: skip
_METRIC = rf"{_one_of(_METRICS, 0)}\b"
METRIC_RE = _led(_first_letters(_METRICS), _METRIC, 0)
_TASK_HEADS = [
    "classification", "segmentation", "detection", "generation", "recognition", "translation",
    "summarization", "retrieval", "question answering", "reasoning", "estimation", "prediction",
    "recommendation", "clustering", "captioning", "synthesis", "tracking", "parsing",
    "forecasting", "reconstruction", "completion", "alignment", "localization", "understanding",
]  # fmt: skip
TASK_HEAD_NAMES = frozenset(_TASK_HEADS)
_TASK_HEAD = rf"{_one_of(_TASK_HEADS, 0)}\b"
# Metrics and task heads in one scan of the text (no metric shares a word with a task head,
# so neither hides the other); ``m.lastgroup`` says which matched.
METRIC_OR_TASK_RE = _led(
    _first_letters(_METRICS + _TASK_HEADS), rf"(?P<metric>{_METRIC})|(?P<task>{_TASK_HEAD})", 0
)
# Where a task or metric phrase may end (kg.extract.phrases): a metric name (case-sensitive,
# as METRIC_RE) or a head word of lexicon's lists (any case, not after a hyphen), in one
# scan; a metric name wins where both match ("word error rate", not "rate").
_PHRASE_HEADS = sorted(
    lexicon.TASK_PHRASE_HEADS | lexicon.METRIC_PHRASE_HEADS, key=lambda h: (-len(h), h)
)
PHRASE_HEAD_RE = _led(
    _first_letters(_METRICS + _PHRASE_HEADS + [h.upper() for h in _PHRASE_HEADS]),
    rf"(?P<metric>{_METRIC})|(?<!-)(?P<head>(?i:{_one_of(_PHRASE_HEADS)}))(?![\w\-])",
    0,
)
TASK_MODIFIERS_RE = re.compile(r"(?<![\w\-])(?:[a-z][a-z\-]+\s){1,3}$")
