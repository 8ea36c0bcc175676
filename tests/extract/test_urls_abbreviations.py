"""URL edge cases and Schwartz–Hearst pairs in both orders, on sentences from the seeds."""

from __future__ import annotations

import pytest

from kg.extract import urls
from kg.extract.abbreviations import find_abbreviations
from kg.extract.urls import find_urls
from kg.model import Paper


@pytest.mark.parametrize(
    ("text", "url", "canonical", "is_code"),
    [
        ("(code: https://github.com/a/b).", "https://github.com/a/b",
         "https://github.com/a/b", True),
        ("see https://github.com/Owner/Repo.git.", "https://github.com/Owner/Repo.git",
         "https://github.com/Owner/Repo", True),
        ("at https://github.com/x/y/tree/main/src/z.", "https://github.com/x/y/tree/main/src/z",
         "https://github.com/x/y", True),
        ("Project page: https://var-clip.github.io.", "https://var-clip.github.io",
         "https://var-clip.github.io", False),
        ("Data: https://huggingface.co/datasets/o/n, and more",
         "https://huggingface.co/datasets/o/n", "https://huggingface.co/datasets/o/n", False),
        ("Code: https://anonymous.4open.science/r/ABC-123/.",
         "https://anonymous.4open.science/r/ABC-123/", "https://anonymous.4open.science/r/ABC-123",
         True),
        ("Code for experiments can be found at github.com/jacobdunefsky/ObservablePropagation.",
         "github.com/jacobdunefsky/ObservablePropagation",
         "https://github.com/jacobdunefsky/ObservablePropagation", True),
    ],
)
def test_url_kind_and_trailing_punctuation(text: str, url: str, canonical: str,
                                           is_code: bool) -> None:
    (found,) = find_urls(text)
    assert (found.url, found.canonical, found.is_code) == (url, canonical, is_code)
    assert text[found.start:found.end] == url


def test_text_without_links_has_no_urls() -> None:
    assert find_urls("We evaluate on ImageNet. Results improve by 2.3 points.") == []


def test_url_scan_of_stretches_finds_what_a_scan_of_the_whole_text_finds(
        seed_papers: list[Paper]) -> None:
    odd = ["(https://x.org/a),see\u00a0www.y.io\tor my-lab.github.io/p.\nEnd: HTTP://Z.DE",
           "a.b c:d https:///x e@github.com f.github.com,gitlab.com/g/h.git."]
    for text in [p.abstract for p in seed_papers] + odd:
        found = [m.span() for a, b in urls._stretches(text) for m in urls.URL_RE.finditer(text, a, b)]
        assert found == [m.span() for m in urls.URL_RE.finditer(text)], text


def test_long_form_then_acronym() -> None:
    text = ("We consider a natural approach of using Maximum Likelihood Estimation (MLE) for "
            "unsupervised pretraining and Empirical Risk Minimization (ERM) for learning.")
    pairs = {a.short: a for a in find_abbreviations(text)}
    assert pairs["MLE"].long == "Maximum Likelihood Estimation"
    assert pairs["ERM"].long == "Empirical Risk Minimization"
    a = pairs["MLE"]
    assert text[a.long_start:a.long_start + len(a.long)] == a.long
    assert text[a.short_start:a.short_start + 3] == "MLE"


def test_acronym_then_long_form() -> None:
    text = "GLUE (General Language Understanding Evaluation) is widely used."
    (a,) = find_abbreviations(text)
    assert (a.short, a.long, a.short_start, a.long_start) == (
        "GLUE", "General Language Understanding Evaluation", 0, 6)


def test_long_form_extends_to_the_start_of_a_hyphenated_word() -> None:
    text = "we propose Win-win Cooperation (WiCo) to exploit both"
    (a,) = find_abbreviations(text)
    assert a.long == "Win-win Cooperation"
