"""Normalisation shared by the readers, so one paper looks the same from every source.

arXiv titles carry LaTeX and hard line wraps, DOIs come as URLs or bare, arXiv ids with or
without versions, URL prefixes or as arXiv DOIs. Cleaning them the same way everywhere makes
``paper_id`` and ``title_key`` agree when two sources describe the same paper.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kg.model import Paper, paper_id

_ACCENT = re.compile(
    r"""\\([`'^"~=.])\s*(?:\{\s*(\\i|[A-Za-z])\s*\}|(\\i\b|[A-Za-z]))"""  # \'e, \"{o}, \'{\i}
    r"|\\([cvuHkr])\{([A-Za-z])\}"  # \c{c}, \v{s}
)
_COMBINING = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    '"': "\u0308",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
    "k": "\u0328",
    "r": "\u030a",
}
_LATEX_HINT = re.compile(r"[\\{}$]")
_TOKEN = re.compile(r"\\([A-Za-z]+)(\s*)(\{)?|\\(.)|[{}$]", re.DOTALL)
#: Font and style commands: dropped, their argument kept ("\textbf{x}", "{\em x}" → "x").
_STYLE = frozenset(
    (
        "em",
        "bf",
        "it",
        "sc",
        "rm",
        "tt",
        "sf",
        "sl",
        "up",
        "emph",
        "textbf",
        "textit",
        "texttt",
        "textsc",
        "textrm",
        "textsf",
        "textsl",
        "textup",
        "textnormal",
        "text",
        "mathrm",
        "mathbf",
        "mathit",
        "mathcal",
        "mathbb",
        "mathsf",
        "mathtt",
        "mathfrak",
        "mathscr",
        "boldsymbol",
        "bm",
        "mbox",
        "operatorname",
    )
)
#: Operator names: kept as words ("$O(n \log n)$" → "O(n log n)").
_WORDS = frozenset(
    (
        "log",
        "ln",
        "exp",
        "sin",
        "cos",
        "tan",
        "max",
        "min",
        "arg",
        "argmax",
        "argmin",
        "det",
        "lim",
        "sup",
        "inf",
    )
)
_SYMBOLS = {
    "times": "×",
    "cdot": "·",
    "infty": "∞",
    "ell": "ℓ",
    "pm": "±",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "neq": "≠",
    "approx": "≈",
    "sim": "~",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "partial": "∂",
    "nabla": "∇",
    "sqrt": "√",
    "in": "∈",
    "ldots": "…",
    "dots": "…",
    "cdots": "⋯",
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "aa": "å",
    "AA": "Å",
    "oe": "œ",
    "l": "ł",
    "L": "Ł",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
}
_ESCAPED = {
    "&": "&",
    "%": "%",
    "_": "_",
    "#": "#",
    "$": "$",
    "{": "{",
    "}": "}",
    " ": " ",
    ",": " ",
    ";": " ",
    ":": " ",
    "!": "",
    "\\": " ",
    "\n": " ",
}

_ARXIV = re.compile(
    r"(?:^|arxiv\.org/(?:abs|pdf|html)/|arxiv[:.]|oai:arxiv\.org:)\s*"
    r"(?:(\d{4}\.\d{4,5})|([a-z]+(?:-[a-z]+)*)(?:\.[a-z]{2})?/(\d{7}))(?:v\d+)?(?:\.pdf)?(?:$|[/?#\s])",
    re.IGNORECASE,
)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_WITHDRAWN = re.compile(
    r"\b(?:this|the) (?:paper|article|manuscript|submission|preprint|work) "
    r"(?:has been|is being|was|is) withdrawn\b|^\W*withdrawn\b",
    re.IGNORECASE,
)


#: C0 and C1 control characters but tab, newline and CR (whitespace, squashed later):
#: an abstract's ESC or BEL would otherwise reach a terminal through ``kg why``.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Lone UTF-16 surrogates: JSON escapes like "\ud800" decode to them, and no store (nor
#: a hash of the id) can encode them.
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadRecord(ValueError):
    """Raised while converting one record: the reason it is skipped (goes to ``on_bad``)."""


def plain(value: str, name: str) -> str:
    """``value`` without control characters; BadRecord if it holds a lone surrogate. Every
    field a reader takes goes through here, ids and DOIs as much as titles."""
    if not value.isascii() and _SURROGATE.search(value):
        raise BadRecord(
            f"{name} is not valid Unicode (a lone surrogate such as a \\ud800 escape); "
            "fix or drop that record"
        )
    return _CONTROL.sub("", value)


def squash(text: str) -> str:
    """Collapse every run of whitespace (including hard line wraps) into one space."""
    return " ".join(text.split())


def _greek(name: str) -> str | None:
    base = name.removeprefix("var")
    case = "CAPITAL" if base[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {base.upper().replace('LAMBDA', 'LAMDA')}")
    except KeyError:
        return None


def _token(m: re.Match[str]) -> str:
    name, space, brace, escaped = m.groups()
    if escaped is not None:
        return _ESCAPED.get(escaped, m.group(0))
    if name is None:
        return ""  # a bare brace or math dollar
    if name in _STYLE:
        return ""
    if name in _WORDS:
        return name + (space or (" " if brace else ""))
    symbol = _SYMBOLS.get(name) or _greek(name)
    if symbol:
        return symbol + space
    return "\\" + name + (space or (" " if brace else ""))  # unknown: keep it, readable as TeX


def clean_latex(text: str) -> str:
    """Light LaTeX clean-up for titles and names: "$\\alpha$-Net" → "α-Net", "{\\em x}" → "x".

    Math stays readable rather than rendered: Greek letters and a few symbols become Unicode,
    style commands and braces go, unknown commands such as ``\\hat`` are kept.
    """
    if not _LATEX_HINT.search(text):
        return squash(text)
    text = _ACCENT.sub(
        lambda m: (
            (m.group(2) or m.group(3) or m.group(5)).replace("\\i", "i")
            + _COMBINING[m.group(1) or m.group(4)]
        ),
        text,
    )
    return squash(unicodedata.normalize("NFC", _TOKEN.sub(_token, text)))


def arxiv_id(text: str | None) -> str | None:
    """The version-less arXiv id in a bare id, an arXiv URL, "arXiv:…" or an arXiv DOI."""
    m = _ARXIV.search(text.strip()) if text else None
    if not m:
        return None
    return m.group(1) or f"{m.group(2).lower()}/{m.group(3)}"


def doi(text: str | None) -> str | None:
    """A bare, lower-case DOI from "10.…", "doi:10.…" or a doi.org URL."""
    m = _DOI.search(text) if text else None
    return m.group(0).rstrip(".,;").lower() if m else None


def iso_date(text: str | None) -> str | None:
    """The leading "YYYY", "YYYY-MM" or "YYYY-MM-DD" of an ISO date or timestamp."""
    m = _ISO_DATE.match(text.strip()) if text else None
    return m.group(0) if m else None


def is_withdrawn(text: str) -> bool:
    return "withdrawn" in text.lower() and bool(_WITHDRAWN.search(text))  # cheap test first


def make_paper(
    *,
    title: str,
    abstract: str,
    source: str,
    arxiv: str | None = None,
    doi_text: str | None = None,
    date: str | None = None,
    authors: Iterable[str] = (),
    url: str | None = None,
    comments: str = "",
    own_id: str | None = None,
) -> Paper:
    """A Paper with cleaned fields and the cross-source id; BadRecord when it cannot be one.
    ``own_id`` is the source's id for the record (``openalex:W…``): an alias, so the same
    work read again under another title still finds its paper."""
    title = clean_latex(plain(title, "title"))
    abstract = squash(plain(abstract, "abstract"))
    arxiv, doi_text, date, url = (
        plain(value, name) if value else None
        for name, value in (("arxiv_id", arxiv), ("doi", doi_text), ("date", date), ("url", url))
    )
    authors = [plain(name, "authors") for name in authors]
    comments = plain(comments, "comments")
    own_id = plain(own_id, "id") if own_id else None
    if not title:
        raise BadRecord("record has no title")
    if not abstract:
        raise BadRecord(f"record {title[:60]!r} has no abstract")
    if is_withdrawn(abstract) or is_withdrawn(comments):
        raise BadRecord(f"record {title[:60]!r} is a withdrawn paper (no abstract to read)")
    bare_doi = doi(doi_text)
    bare_arxiv = arxiv_id(arxiv) or arxiv_id(bare_doi)  # arXiv DOIs are 10.48550/arXiv.<id>
    return Paper(
        id=paper_id(title=title, arxiv_id=bare_arxiv, doi=bare_doi),
        title=title,
        abstract=abstract,
        date=date or None,
        source=source,
        arxiv_id=bare_arxiv,
        doi=bare_doi,
        authors=tuple(name for name in map(clean_latex, authors) if name),
        url=url or None,
        aliases=(own_id,) if own_id else (),
    )


#: kg's own ids as ``kg extract`` writes them: ``arxiv:…``, ``doi:…``, ``title:<hash>``.
_KG_ID = re.compile(r"(arxiv|doi|title):(\S+)\Z")


def read_id(value: str, reader: str) -> tuple[str | None, str | None, str | None]:
    """(arXiv id, DOI, alias) that a record's own ``id`` field stands for: kg's id forms
    and arXiv ids, URLs or DOIs are read as such; any other text is an id of ``reader``'s
    (an alias ``<reader>:<id>``); a bare number is a row number, not an id."""
    value = value.strip()
    if m := _KG_ID.match(value):
        scheme, rest = m.groups()
        if scheme == "arxiv":
            return arxiv_id(rest), None, None
        if scheme == "doi":
            return None, doi(rest), None
        return None, None, value
    if found := arxiv_id(value):
        return found, None, None
    if found := doi(value):
        return None, found, None
    if not value or value.isdigit():
        return None, None, None
    return None, None, f"{reader}:{value}"
