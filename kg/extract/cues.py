"""Cue patterns: the wording around a name that says what it is and what the paper does
with it. Plain compiled regexes over one sentence's text — the spaCy token Matcher costs
~0.1 ms per pattern per document, these cost a few µs.
"""

from __future__ import annotations

import re

# A name-like token: inner capital, digit or all caps (ResNet-50, GPT-4, DNIS, wav2vec).
NAME_TOKEN = r"(?:[A-Z][\w]*[A-Z0-9][\w\-\.\^/+]*|[A-Z]{2,}[\w\-\.\^+]*|[a-z]+[A-Z0-9][\w\-\.]*|[A-Z][a-z]+(?:-[\w]+)+)"
TITLE_WORD = r"(?:[A-Z][\w\-]*)"
NAME_RE = re.compile(rf"(?<![\w\-]){NAME_TOKEN}(?:[ ](?:{NAME_TOKEN}|\d[\w\.]*))*(?![\w\-])")

PROPOSE_RE = re.compile(
    r"\b(?:we|this (?:paper|work)|in this (?:paper|work),? we)\s+(?:first\s+|further\s+|also\s+)?"
    r"(?:propose|introduce|present|develop|design|devise|put forward|term|call)s?d?\b",
    re.IGNORECASE,
)
NAMED_RE = re.compile(r"\b(?:called|named|dubbed|termed|coined)\s+", re.IGNORECASE)
NOVEL_APPOSITION_RE = re.compile(r"^\s*,\s+(?:a|an)\s+(?:novel|new|simple|general|unified)\b",
                                 re.IGNORECASE)

DATASET_NOUN = r"(?:data ?sets?|benchmarks?|corpus|corpora|suites?|collections?|testbeds?)"
DATASET_AFTER_RE = re.compile(rf"^\s*(?:{DATASET_NOUN})\b", re.IGNORECASE)
DATASET_BEFORE_RE = re.compile(rf"\b(?:{DATASET_NOUN})\s*(?:,|:|such as|like|including)?\s*$",
                               re.IGNORECASE)
EVAL_RE = re.compile(
    r"\b(?:evaluat\w*|experiments?|experimental|benchmark(?:ed|ing)?|outperform\w*|achiev\w*|"
    r"results?|tested|state[- ]of[- ]the[- ]art|SOTA|surpass\w*|improv\w*|accuracy|score)\b",
    re.IGNORECASE,
)
INTRODUCE_DATA_RE = re.compile(
    rf"\b(?:we|this (?:paper|work))\s+(?:\w+\s+){{0,2}}(?:introduce|present|propose|release|"
    rf"construct|collect|create|build|curate|contribute)s?d?\b.*\b{DATASET_NOUN}\b",
    re.IGNORECASE,
)
RELEASE_CODE_RE = re.compile(
    r"\b(?:code|implementation|source code|codebase|models? and code|code and (?:data|models?))"
    r"\b[^.]{0,60}\b(?:is|are|will be|has been|have been|be)\s+(?:made\s+)?(?:publicly\s+|freely\s+|"
    r"openly\s+)?(?:available|released|open[- ]sourced|public)\b"
    r"|\b(?:release|open[- ]source|make)\s+(?:our|the|all)\s+(?:\w+\s+){0,3}(?:code|implementation)",
    re.IGNORECASE,
)
METRIC_RE = re.compile(
    r"\b(?:FID|BLEU(?:-\d)?|ROUGE(?:-[12L])?|METEOR|CIDEr|SPICE|pass@\d+|mAP|mIoU|AUROC|AUC|"
    r"AUPRC|F1(?:[- ]score)?|top-[15] accuracy|accuracy|perplexity|word error rate|WER|PSNR|SSIM|"
    r"LPIPS|Inception Score|IoU|NDCG(?:@\d+)?|MRR|recall@\d+|Hits@\d+|exact match|EM|FLOPs|"
    r"BERTScore|CLIP score|CLIPScore|MAE|MSE|RMSE|success rate|win rate)\b"
)
TASK_RE = re.compile(
    r"\b((?:[a-z][a-z\-]+\s){0,3}(?:classification|segmentation|detection|generation|recognition|"
    r"translation|summarization|retrieval|question answering|reasoning|estimation|prediction|"
    r"recommendation|clustering|captioning|synthesis|tracking|parsing|forecasting|"
    r"reconstruction|completion|alignment|localization|understanding))\b"
)
TASK_STOP = {"the", "a", "an", "of", "for", "and", "or", "in", "on", "to", "with", "our",
             "this", "that", "these", "its", "their", "such", "both", "via", "from", "by"}
GENERIC_NAMES = {
    "we", "our", "the", "this", "these", "in", "however", "moreover", "furthermore",
    "specifically", "finally", "additionally", "recently", "large language models", "llms",
    "llm", "ai", "ml", "dl", "nlp", "cv", "sota", "gpu", "gpus", "cpu", "i.e", "e.g", "et al",
}
