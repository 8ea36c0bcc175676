"""The first-letter lookaheads of cues' led patterns never change what they match."""

from __future__ import annotations

import re

import pytest

from kg.extract import cues, roles
from kg.model import Paper

LED = {
    name: pattern
    for name, pattern in vars(cues).items()
    if isinstance(pattern, re.Pattern) and pattern.pattern.startswith(r"\b(?=[")
}


def test_the_tail_and_sentence_cues_are_led() -> None:
    assert {"EVAL_RE", "TAIL_CUES_RE", "METRIC_RE", "METRIC_OR_TASK_RE"} <= set(LED)


@pytest.mark.parametrize("name", sorted(LED))
def test_led_pattern_matches_like_the_plain_one(name: str, seed_papers: list[Paper]) -> None:
    led = LED[name]
    plain = re.compile(re.sub(r"^\\b\(\?=\[[^\]]+\]\)", r"\\b", led.pattern), led.flags)
    assert plain.pattern != led.pattern
    hits = 0
    for paper in seed_papers:
        text = paper.abstract
        found = [m.span() for m in led.finditer(text)]
        assert found == [m.span() for m in plain.finditer(text)], (name, paper.title)
        for end in range(40, len(text), 97):  # the tail searches of roles._local
            tail = text[end - 40 : end]
            assert bool(led.search(tail)) == bool(plain.search(tail)), (name, tail)
        hits += len(found)
    assert hits > 0 or name in {"TRAINED_ON_RE", "TAIL_CUES_RE"}


# The fast spellings below against the plain ones they replace, on every seed abstract.
PLAIN_WORD = (
    r"(?:[A-Z][\w\-\.\^+/&']*[\w+]|[A-Z]|[a-z][\w\-]*[A-Z0-9][\w\-\.\^+/]*[\w+]"
    r"|\d+(?:\.\d+)?[A-Za-z][\w\-\.]*[\w])"
)
PLAIN_RUN_RE = re.compile(
    rf"(?<![\w\-\.@/]){PLAIN_WORD}(?:[ ](?:{PLAIN_WORD}|{cues._VERSION}(?![\w%])))*(?![\w\-])"
)
PLAIN_SENT_END_RE = re.compile(r"[.!?](?=\s+[\"'(\[]?[A-Z0-9])|\n\s*\n")


@pytest.mark.parametrize(
    ("fast", "plain"),
    [(cues.RUN_RE, PLAIN_RUN_RE), (cues.SENT_END_RE, PLAIN_SENT_END_RE)],
    ids=["RUN_RE", "SENT_END_RE"],
)
def test_fast_spelling_matches_like_the_plain_one(
    fast: re.Pattern[str], plain: re.Pattern[str], seed_papers: list[Paper]
) -> None:
    assert fast.pattern != plain.pattern
    hits = 0
    for paper in seed_papers:
        found = [m.span() for m in fast.finditer(paper.abstract)]
        assert found == [m.span() for m in plain.finditer(paper.abstract)], paper.title
        hits += len(found)
    assert hits > 1000


# The alternations cues merges by first letter (``_one_of``), as first written.
PLAIN_METRIC = (
    r"(?:FID|FVD|KID|BLEU(?:-\d)?|ROUGE(?:-[12L])?|METEOR|CIDEr|SPICE|pass@\d+|mAP|mIoU|"
    r"AUROC|AUC|AUPRC|F1(?:[- ]score)?|top-[15] (?:accuracy|error)|accuracy|perplexity|"
    r"word error rate|WER|CER|PSNR|SSIM|LPIPS|Inception Score|IoU|NDCG(?:@\d+)?|MRR|"
    r"[Rr]ecall@\d+|Hits@\d+|exact match|EM|FLOPs|BERTScore|CLIP score|CLIPScore|MAE|MSE|RMSE|"
    r"success rate|win rate|mean average precision|mean squared error|Spearman|Pearson|"
    r"precision|recall|BPC|bits per character|EER|Dice(?: score)?|ECE|AP)\b"
)
PLAIN_TASK_HEAD = (
    r"(?:classification|segmentation|detection|generation|recognition|translation|"
    r"summarization|retrieval|question answering|reasoning|estimation|prediction|"
    r"recommendation|clustering|captioning|synthesis|tracking|parsing|forecasting|"
    r"reconstruction|completion|alignment|localization|understanding)\b"
)
PLAIN_ALTERNATIONS = {
    "METRIC_RE": re.compile(rf"\b{PLAIN_METRIC}"),
    "METRIC_OR_TASK_RE": re.compile(
        rf"\b(?:(?P<metric>{PLAIN_METRIC})|(?P<task>{PLAIN_TASK_HEAD}))"
    ),
    "EVAL_RE": re.compile(
        r"\b(?:evaluat\w*|experiments?|experimental|benchmark(?:ed|ing|s)?|outperform\w*|achiev\w*|"
        r"results?|tested|test|state[- ]of[- ]the[- ]art|SOTA|surpass\w*|accuracy|scores?|"
        r"performance|demonstrat\w*|shows?|validat\w*|empirical\w*|attains?|yields?)\b",
        re.IGNORECASE,
    ),
}


def test_one_of_merges_alternatives_behind_their_first_letter() -> None:
    assert cues._one_of(["ab", "b", "ac"], 0) == "(?:a(?:b|c)|b)"
    assert cues._one_of(["Ab", "ac"]) == "(?:a(?:b|c))"  # one letter, whatever its case


@pytest.mark.parametrize("name", sorted(PLAIN_ALTERNATIONS))
def test_merged_alternation_matches_like_the_plain_one(name: str, seed_papers: list[Paper]) -> None:
    merged, plain = getattr(cues, name), PLAIN_ALTERNATIONS[name]
    hits = 0
    for paper in seed_papers:
        found = [(m.span(), m.lastgroup) for m in merged.finditer(paper.abstract)]
        assert found == [(m.span(), m.lastgroup) for m in plain.finditer(paper.abstract)], (
            name,
            paper.title,
        )
        hits += len(found)
    assert hits > 100


def test_metric_or_task_scan_finds_each_pattern_s_matches(seed_papers: list[Paper]) -> None:
    task_head_re = re.compile(rf"\b{cues._TASK_HEAD}")  # the head words on their own
    kinds = {"metric": cues.METRIC_RE, "task": task_head_re}
    both = 0
    for paper in seed_papers:
        text = paper.abstract
        joint = list(cues.METRIC_OR_TASK_RE.finditer(text))
        for kind, pattern in kinds.items():
            spans = [m.span() for m in joint if m.lastgroup == kind]
            assert spans == [m.span() for m in pattern.finditer(text)], (kind, paper.title)
        both += {m.lastgroup for m in joint} == set(kinds)
    assert both > 50  # abstracts with metrics and tasks both


@pytest.fixture(scope="module")
def tails(seed_papers: list[Paper]) -> list[str]:
    """The 40 characters before every word of the seed abstracts, as roles._local cuts them."""
    return [
        paper.abstract[max(0, i - 40) : i]
        for paper in seed_papers
        for i in range(1, len(paper.abstract))
        if paper.abstract[i - 1] == " "
    ]


def test_tail_cues_names_each_cue_that_matches_alone(tails: list[str]) -> None:
    alone = {name: cues._led(first, body) for name, (first, body) in cues._TAIL_CUES.items()}
    hits: set[str] = set()
    for tail in tails:
        found = roles.tail_cues(tail)
        assert found == {name for name, pattern in alone.items() if pattern.search(tail)}, tail
        hits |= found
    assert hits == set(alone)


def test_no_two_tail_cues_match_at_one_place(tails: list[str]) -> None:
    """What tail_cues counts on: each cue starts with words of its own."""
    alone = [cues._led(first, body) for first, body in cues._TAIL_CUES.values()]
    for tail in tails:
        starts: list[int] = []
        for pattern in alone:
            m = pattern.search(tail)
            while m:
                starts.append(m.start())
                m = pattern.search(tail, m.start() + 1)
        assert len(starts) == len(set(starts)), tail
