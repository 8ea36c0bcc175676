"""Name → key normalisation: the variants people write for one thing share a key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_ACRONYM_PLURAL = re.compile(r"^(.*[A-Z0-9]{2,})s$")
_WORD_PLURAL = re.compile(r"^(.*[a-z]{3,}[^su])s$")


def singular(name: str) -> str:
    """Drop an English plural 's' where it is safe: acronyms (GANs) and lowercase words."""
    m = _ACRONYM_PLURAL.match(name)
    if m:
        return m.group(1)
    last = name.rsplit(" ", 1)[-1]
    if last.islower() and _WORD_PLURAL.match(last):
        return name[:-1]
    return name


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Case-, hyphen-, space- and plural-insensitive key ("ImageNet 1K" = "imagenet-1k")."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = singular(text)
    return _NON_ALNUM.sub("", text.casefold())


def url_key(url: str) -> str:
    """Scheme-, www-, case- and trailing-slash-insensitive key of a URL."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
