"""Task and metric phrases: where one may be, and which span it would be.

Tasks and metrics are mostly lowercase noun phrases ("few-shot image classification",
"inference throughput"), which the name finder does not see. Every occurrence of a head
word (a task noun such as classification, adaptation, distillation; a metric noun or a
metric name such as accuracy, latency, FID) is a ``Site``; its options are "no phrase" and
the spans ending at the head with none to three words before it. The entity model chooses
one (kg.extract.entity_model); the hand rules' choice is one of the features, so the model
starts where the rules are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from kg.extract import cues, lexicon
from kg.extract.sentences import sentence_of, token_after, token_before

TASK, METRIC = "task", "metric"
#: head word -> the kind of phrase it ends
_HEAD_KIND = {h: TASK for h in lexicon.TASK_PHRASE_HEADS} | {
    h: METRIC for h in lexicon.METRIC_PHRASE_HEADS
}
_OLD_TASK_HEADS = frozenset(h.split()[-1] for h in cues.TASK_HEAD_NAMES)
_LOWER_RE = re.compile(r"[a-z][a-z\-]+")
MAX_MODIFIERS = {TASK: 3, METRIC: 2}


@dataclass(frozen=True, slots=True)
class Site:
    """One head occurrence: option 0 is "no phrase", option i > 0 the span ``spans[i - 1]``."""

    kind: str
    sent: tuple[int, int]
    spans: list[tuple[int, int]]
    options: list[list[str]]


def _words_before(text: str, start: int, sent_start: int, most: int) -> list[tuple[int, str]]:
    """Up to ``most`` + 1 tokens before ``start`` (nearest first), as (offset, token): the
    first ones are the phrase's possible modifiers, and the one after the last modifier is
    the word before the phrase."""
    found: list[tuple[int, str]] = []
    edge = start
    while len(found) <= most:
        token = token_before(text, edge, sent_start)
        if token is None:
            break
        found.append(token)
        edge = token[0]
    return found


def _modifier_count(text: str, start: int, chain: list[tuple[int, str]], most: int) -> int:
    """How many of ``chain`` are modifiers: words joined to the head by single spaces, up
    to a barrier word or punctuation."""
    edge, n = start, 0
    for s, word in chain[:most]:
        if s + len(word) != edge - 1 or text[edge - 1] != " " or not word[0].isalpha():
            break
        if word.casefold() in lexicon.PHRASE_BARRIER:
            break
        n, edge = n + 1, s
    return n


def _rule_start(kind: str, base: str, mods: list[tuple[int, str]], from_rule: bool) -> int | None:
    """The option the hand rules take (an index into the spans, or None for no phrase):
    a metric name as matched; a task of an old head with its lowercase modifiers (``mods``,
    nearest first) after the last word that cannot name one, when that leaves two words
    or more."""
    if kind == METRIC:
        return 0 if from_rule else None
    if base.casefold() not in _OLD_TASK_HEADS:
        return None
    keep = 0
    for _, word in mods:
        if not _LOWER_RE.fullmatch(word) or word in lexicon.TASK_STOP:
            break
        keep += 1
    return keep or None


def _site(head: Head, text: str, title: str) -> Site:
    """The site's options: "no phrase", with what the head and its surroundings say of
    the site as a whole, then each span with what its first word says."""
    (start, end), sent, kind = head.span, head.sent, head.kind
    chain = _words_before(text, start, sent[0], MAX_MODIFIERS[kind])
    mods = chain[: _modifier_count(text, start, chain, MAX_MODIFIERS[kind])]
    rule_option = _rule_start(kind, text[start:end], mods, head.rule)
    base = text[start:end].casefold()
    after = token_after(text, end, sent[1])
    none = ["none|bias", f"none|head:{base}", f"none|after:{after.casefold() if after else '.'}"]
    none += ["none|first_sentence"] if sent[0] == 0 else []
    none += ["none|title_head"] if base in title else []
    none += ["none|acronym_after"] if text.startswith(" (", end) else []
    none += ["none|rule"] if rule_option is None else []
    spans, options = [], [none]
    for k in range(len(mods) + 1):
        s = mods[k - 1][0] if k else start
        phrase = text[s:end]
        before = chain[k][1].casefold() if k < len(chain) else "."
        feats = [f"k:{k}", f"before:{before}"]
        if k:
            first = mods[k - 1][1]
            feats += [f"first:{first.casefold()}", f"first_suffix:{first[-2:].casefold()}"]
            feats += ["first_stop"] if first.casefold() in lexicon.TASK_STOP else []
            feats += ["first_cap"] if first[:1].isupper() and s != sent[0] else []
        feats += ["in_title"] if title and phrase.casefold() in title else []
        feats += ["rule"] if rule_option == k else []
        spans.append((s, end))
        options.append(feats)
    return Site(kind, sent, spans, options)


class Head(NamedTuple):
    """Where a phrase may end: its head's span and sentence, its kind, and whether the
    head is a metric name the rules take as it is."""

    span: tuple[int, int]
    sent: tuple[int, int]
    kind: str
    rule: bool


def heads(text: str, sents: list[tuple[int, int]], masked: list[tuple[int, int]]) -> list[Head]:
    """Every task and metric head of the abstract, in text order."""
    found = []
    for m in cues.PHRASE_HEAD_RE.finditer(text):
        start = m.start()
        if masked and any(a <= start < b for a, b in masked):
            continue
        metric = m.lastgroup == "metric"
        kind = METRIC if metric else _HEAD_KIND[m.group().lower()]
        found.append(Head(m.span(), sentence_of(sents, start), kind, metric))
    return found


def sites(
    text: str, title: str, sents: list[tuple[int, int]], masked: list[tuple[int, int]]
) -> list[Site]:
    """The task and metric sites of the abstract, in text order."""
    title = title.casefold()
    return [_site(head, text, title) for head in heads(text, sents, masked)]
