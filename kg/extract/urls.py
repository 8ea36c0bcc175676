"""Find URLs in abstracts and tell code repositories from other links.

Abstracts cut URLs with sentence punctuation ("…/repo." or "(…/repo)"), write them without
a scheme ("github.com/owner/repo"), and point into repositories ("/tree/main/…"). Code
URLs are normalised to the repository root so two papers linking one repo share a node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

URL_RE = re.compile(
    r"(?:https?://|www\.|(?<![\w@.])(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co"
    r"|anonymous\.4open\.science|[\w-]+\.github\.io)\b)[^\s<>\"'`]*",
    re.IGNORECASE,
)
TRAILING = ".,;:!?'\"*"
PAIRS = {")": "(", "]": "[", "}": "{"}
CODE_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "anonymous.4open.science",
              "codeberg.org", "git.io"}
GITHUB_RESERVED = {"orgs", "topics", "features", "sponsors", "marketplace", "apps", "about",
                   "settings", "collections", "explore", "trending"}


@dataclass(frozen=True, slots=True)
class FoundUrl:
    start: int
    end: int
    url: str  # as written, trailing punctuation removed
    canonical: str  # what the graph stores
    is_code: bool


def strip_trailing(url: str) -> str:
    """Remove sentence punctuation and unbalanced closing brackets from the end."""
    while url:
        last = url[-1]
        if last in TRAILING or (last in PAIRS and url.count(last) > url.count(PAIRS[last])):
            url = url[:-1]
        else:
            break
    return url


def _with_scheme(url: str) -> str:
    return url if re.match(r"^[a-z]+://", url, re.I) else "https://" + url


def canonical_url(url: str) -> tuple[str, bool]:
    """(canonical form, is it source code?) for one URL as written."""
    full = _with_scheme(url)
    parts = urlsplit(full)
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host == "github.com" and len(segments) >= 2 and segments[0].lower() not in GITHUB_RESERVED:
        repo = segments[1].removesuffix(".git")
        return f"https://github.com/{segments[0]}/{repo}", True
    if host == "gitlab.com" and segments:
        path = "/".join(segments).split("/-/", 1)[0].removesuffix(".git")
        return f"https://gitlab.com/{path}", len(path.split("/")) >= 2
    if host == "bitbucket.org" and len(segments) >= 2:
        return f"https://bitbucket.org/{segments[0]}/{segments[1].removesuffix('.git')}", True
    if host == "anonymous.4open.science" and len(segments) >= 2 and segments[0] == "r":
        return f"https://anonymous.4open.science/r/{segments[1]}", True
    if host in CODE_HOSTS and host not in {"github.com", "gitlab.com"}:
        return full.rstrip("/"), True
    if parts.path in ("", "/"):
        return f"{parts.scheme}://{parts.netloc}", False
    return full.rstrip("/"), False


_HINTS = ("://", "www.", ".com", ".io", ".org", ".co", ".science", ".ly", ".net", ".ai")


def find_urls(text: str) -> list[FoundUrl]:
    if not any(h in text for h in _HINTS):
        return []  # the full pattern is the slowest rule; most abstracts have no link
    found = []
    for m in URL_RE.finditer(text):
        url = strip_trailing(m.group(0))
        if "." not in url.split("://", 1)[-1]:
            continue
        canonical, is_code = canonical_url(url)
        found.append(FoundUrl(m.start(), m.start() + len(url), url, canonical, is_code))
    return found
