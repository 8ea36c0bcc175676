"""Cue patterns: the wording around a name that says what it is and what the paper does
with it. Plain compiled regexes over the raw text — the spaCy token Matcher costs ~0.1 ms
per pattern per document, these cost a few µs.
"""

from __future__ import annotations

import re


def _led(first: str, body: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """``\\b`` + ``body``, where ``first`` holds every letter a match can start with.

    Python's ``re`` tries an alternation at every position; the lookahead rejects most
    positions with one character test (2x faster on the tail searches that run for every
    candidate), and testing it before ``\\b`` is another third off a full-text scan.
    tests/extract/test_cues.py checks each led pattern matches as the plain one.
    """
    return re.compile(rf"(?=[{first}])\b(?:{body})", flags)


# --- sentences -------------------------------------------------------------------------
# A boundary is ". " before a capital/digit/bracket, except after common abbreviations.
# Written to start with a character set: ``re`` then skips to candidate positions in C.
SENT_END_RE = re.compile(r"[.!?\n](?:(?<=[.!?])(?=\s+[\"'(\[]?[A-Z0-9])|(?<=\n)\s*\n)")
NO_SENT_END_RE = re.compile(r"\b(?:e\.g|i\.e|et al|vs|cf|Eq|Fig|approx|resp|No)\.$")

# --- names -----------------------------------------------------------------------------
# A name-like word: capitalised, or with an inner capital or digit (wav2vec, iNaturalist).
_WORD = (
    r"(?:[A-Z][\w\-\.\^+/&']*[\w+]|[A-Z]|[a-z][\w\-]*[A-Z0-9][\w\-\.\^+/]*[\w+]"
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
NAMED_RE = _led(
    "cndt",
    r"(?:call(?:ed)?|name[ds]?|dub(?:bed)?|term(?:ed)?|coin(?:ed)?|namely)"
    r"(?:\s+(?:it|them|this|our|the\s+[\w\-]+(?:\s+[\w\-]+)?))?\s*:?\s*[\"'“(]?$",
)
NAMED_QUOTE_RE = re.compile(
    r"\b(?:called|named|dubbed|termed|coined)\s+[\"“]([^\"”]{3,60})[\"”]", re.IGNORECASE
)
OUR_RE = _led(
    "ota",
    r"(?:(?:our|the)\s+(?:proposed|new|novel)|our|(?:a|the)\s+(?:novel|new)"
    r"(?:\s+[\w\-]+){0,2})\s+$",
)
ENUMERATED_RE = re.compile(r"(?:^|[\s;:,])\(?(?:\d|i{1,3}|iv|v)\)\s*$")
NOVEL_APPOSITION_RE = re.compile(
    r"^\s*(?:,|:|\s-|\sis)\s+(?:a|an|the)\s+(?:\w+\s+)?(?:novel|new|simple|general|unified|"
    r"first|proposed|scalable|efficient|lightweight|generic|plug-and-play)\b",
    re.IGNORECASE,
)

DATASET_NOUN = (
    r"(?:data ?sets?|benchmarks?|corpus|corpora|suites?|testbeds?|leaderboards?|"
    r"challenges?|collections?|splits?|test ?sets?|subsets?|environments?|tasks?|"
    r"games|domains?|treebanks?)"
)
DATASET_AFTER_RE = re.compile(rf"^\s*(?:\)\s*)?(?:{DATASET_NOUN})\b", re.IGNORECASE)
DATASET_BEFORE_RE = _led(
    "dbcstleg",
    rf"(?:{DATASET_NOUN}|data)\s*(?:,|:|\(|such as|like|including|namely|e\.g\.,?|i\.e\.,?|"
    rf"from|of|are|is)?\s*(?:the\s+)?$",
)
ON_BEFORE_RE = _led(
    "oa",
    r"(?:on|across|over)\s+(?:the\s+)?(?:challenging\s+|popular\s+|"
    r"standard\s+|public\s+|large-scale\s+|real-world\s+)?$",
)
TRAINED_ON_RE = _led(
    "tpfcsde",
    r"(?:trained|pre-?trained|fine-?tuned|finetuned|train|pre-?train|fine-?tune|curated|"
    r"collected|sourced|derived|sampled|extracted)\s+(?:\w+\s+){0,3}(?:on|from)\s+(?:the\s+)?$",
)
# "language models such as X", "baselines like X": the list is of methods, whatever a
# gazetteer of dataset names says (TFDS has a "gpt3" dataset).
METHOD_BEFORE_RE = _led(
    "mlabnde",
    r"(?:models?|methods?|LLMs?|architectures?|baselines?|approaches|networks?|algorithms?|"
    r"detectors?|encoders?|backbones?)\s*(?:,|:|\(|such as|like|including|e\.g\.,?)\s*(?:the\s+)?$",
)
# "outperforming GPT-3 on SuperGLUE": a name applied "on" something is a method.
APPLIED_ON_RE = re.compile(r"^\s+(?:on|across)\s")
MODEL_ON_RE = _led(
    "brdficp",
    r"(?:based|built|relies|rely|relying|depends|depend|focus|focuses|"
    r"runs?|deployed|implemented|conditioned|plug|plugs)\s+(?:\w+\s+)?"
    r"(?:on|upon)\s+(?:the\s+)?$",
)
EVAL_RE = _led(
    "eboartsdpvy",
    r"(?:evaluat\w*|experiments?|experimental|benchmark(?:ed|ing|s)?|outperform\w*|achiev\w*|"
    r"results?|tested|test|state[- ]of[- ]the[- ]art|SOTA|surpass\w*|accuracy|scores?|"
    r"performance|demonstrat\w*|shows?|validat\w*|empirical\w*|attains?|yields?)\b",
)
DATASET_SHAPE_RE = re.compile(
    r"(?:Bench|bench|BENCH|QA|Eval|Set|set|Corpus|WILDS|Data)"
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
_METRIC_FIRST = "FKBRMCSpmAtawWPLINHrEeDsb"
_METRIC = (
    r"(?:FID|FVD|KID|BLEU(?:-\d)?|ROUGE(?:-[12L])?|METEOR|CIDEr|SPICE|pass@\d+|mAP|mIoU|"
    r"AUROC|AUC|AUPRC|F1(?:[- ]score)?|top-[15] (?:accuracy|error)|accuracy|perplexity|"
    r"word error rate|WER|CER|PSNR|SSIM|LPIPS|Inception Score|IoU|NDCG(?:@\d+)?|MRR|"
    r"[Rr]ecall@\d+|Hits@\d+|exact match|EM|FLOPs|BERTScore|CLIP score|CLIPScore|MAE|MSE|RMSE|"
    r"success rate|win rate|mean average precision|mean squared error|Spearman|Pearson|"
    r"precision|recall|BPC|bits per character|EER|Dice(?: score)?|ECE|AP)\b"
)
METRIC_RE = _led(_METRIC_FIRST, _METRIC, 0)
_TASK_HEAD_FIRST = "csdgrtqepfalu"
_TASK_HEAD = (
    r"(?:classification|segmentation|detection|generation|recognition|translation|"
    r"summarization|retrieval|question answering|reasoning|estimation|prediction|"
    r"recommendation|clustering|captioning|synthesis|tracking|parsing|forecasting|"
    r"reconstruction|completion|alignment|localization|understanding)\b"
)
# Metrics and task heads in one scan of the text (no metric shares a word with a task head,
# so neither hides the other); ``m.lastgroup`` says which matched.
METRIC_OR_TASK_RE = _led(
    _METRIC_FIRST + _TASK_HEAD_FIRST, rf"(?P<metric>{_METRIC})|(?P<task>{_TASK_HEAD})", 0
)
TASK_MODIFIERS_RE = re.compile(r"(?<![\w\-])(?:[a-z][a-z\-]+\s){1,3}$")
