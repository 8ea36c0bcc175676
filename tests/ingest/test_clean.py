"""Shared normalisation: LaTeX in titles, arXiv ids in all their spellings, DOIs, dates."""

import pytest

from kg.ingest.clean import arxiv_id, clean_latex, doi, is_withdrawn, iso_date


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (r"$\alpha$-Net: Fast", "α-Net: Fast"),
        (r"{\em Deep} Nets and \textbf{Bold} Moves", "Deep Nets and Bold Moves"),
        (r"$O(n \log n)$ Sorting", "O(n log n) Sorting"),
        (r"$\mathcal{O}(1)$ Memory", "O(1) Memory"),
        (r"$\sqrt{n}$-consistent $\hat{y}$ and $\ell_1$", r"√n-consistent \hat y and ℓ_1"),
        (r"$\varepsilon$-greedy $\Lambda$-Nets", "ε-greedy Λ-Nets"),
        (r"Schr\"odinger, Erd\H{o}s, Mart\'{\i}nez", "Schrödinger, Erdős, Martínez"),
        (r"Fast \& Furious: 100\% \{sure\}", "Fast & Furious: 100% {sure}"),
        (r"R$^2$ score $\times 10$", "R^2 score × 10"),
        ("A title that\n  wraps over   lines ", "A title that wraps over lines"),
        ("Plain C++ title (no TeX) ~ 5x", "Plain C++ title (no TeX) ~ 5x"),
    ],
)
def test_clean_latex(raw: str, clean: str) -> None:
    assert clean_latex(raw) == clean


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2401.01234", "2401.01234"),
        ("2401.01234v12", "2401.01234"),
        ("http://arxiv.org/abs/1706.03762v7", "1706.03762"),
        ("https://arxiv.org/pdf/1706.03762v5.pdf", "1706.03762"),
        ("arXiv:0704.0001", "0704.0001"),
        ("oai:arXiv.org:2401.01234v1", "2401.01234"),
        ("10.48550/arXiv.2401.01234", "2401.01234"),
        ("https://doi.org/10.48550/arxiv.2401.01234", "2401.01234"),
        ("math/0406001", "math/0406001"),
        ("math.GT/0309136v2", "math/0309136"),
        ("http://arxiv.org/abs/hep-ex/0307015v1", "hep-ex/0307015"),
        ("https://openreview.net/forum?id=2401.01234", None),
        ("1706.037621", None),
        ("", None),
        (None, None),
    ],
)
def test_arxiv_id(text: str | None, expected: str | None) -> None:
    assert arxiv_id(text) == expected


def test_doi_and_date_normalisation() -> None:
    assert doi("https://doi.org/10.1038/S41586-021-03819-2") == "10.1038/s41586-021-03819-2"
    assert doi("10.1103/PhysRevD.76.013009 10.1103/other") == "10.1103/physrevd.76.013009"
    assert doi("not a doi") is None
    assert iso_date("2017-06-12T17:57:34Z") == "2017-06-12"
    assert iso_date("2019") == "2019"
    assert iso_date("Mon, 2 Apr 2007") is None


@pytest.mark.parametrize(
    ("text", "withdrawn"),
    [
        ("This paper has been withdrawn by the author due to an error.", True),
        ("Withdrawn.", True),
        ("We study a drug that has been withdrawn from the market.", False),
        ("The withdrawn-sample estimator is unbiased.", False),
    ],
)
def test_withdrawn_notices(text: str, withdrawn: bool) -> None:
    assert is_withdrawn(text) is withdrawn
