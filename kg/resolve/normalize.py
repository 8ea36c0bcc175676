"""Name → key normalisation: the variants people write for one thing share a key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_NOT_PLURAL = ("ss", "us", "is", "as", "os", "ys")


def singular(key: str) -> str:
    """Drop an English plural 's' from a key ("gans", "imagenets", "datasets").

    It works on the folded, joined key, so it is case- and separator-blind and idempotent:
    what it leaves never ends in a strippable 's' ("class", "corpus", "atlas" stay whole).
    """
    if len(key) >= 4 and key.endswith("s") and not key.endswith(_NOT_PLURAL):
        return key[:-1]
    return key


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Case-, hyphen-, space- and plural-insensitive key ("ImageNet 1K" = "imagenet-1k")."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return singular(_NON_ALNUM.sub("", text))


def url_key(url: str) -> str:
    """Scheme-, www-, case- and trailing-slash-insensitive key of a URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # a malformed [IPv6] host: no parts to normalise
        return url.strip().lower()
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
