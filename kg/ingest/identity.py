"""Paper identity: when two records, or a record and a stored paper, are one paper.

The rule, applied within one read and across builds alike:

- A paper's **identity keys** are its id, ``arxiv:<id>`` (version dropped), ``doi:<doi>``,
  its title key ``title:<hash of the normalised title>`` and its aliases (a reader's own
  id, ids it had before a merge) — ``Paper.identity_keys``.
- Two papers are **the same paper** when they share a key other than the title key, or
  share the title key and do not carry two different arXiv ids or two different DOIs.
- The merged paper's **id** is the strongest it has: arXiv id, else DOI, else the title
  key already stored (a title-only paper keeps the id it was first stored under).
- **Which record is read**: within one read the first record of a paper is kept and later
  ones are duplicates (reported, and their ids join the kept one); across builds the new
  record replaces the stored paper, which leaves its ids behind as aliases where they
  differ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from kg.keyindex import KeyMap
from kg.model import Paper, PaperExtraction, paper_id, title_id

#: Schemes whose keys are unique to a paper: two different ones mean two papers.
_EXCLUSIVE = ("arxiv:", "doi:")


def _scheme(key: str) -> str:
    return next((s for s in (*_EXCLUSIVE, "title:") if key.startswith(s)), "")


def conflict(a: Iterable[str], b: Iterable[str]) -> str | None:
    """The exclusive scheme (``arxiv:``/``doi:``) on which key sets ``a`` and ``b``
    disagree, if any: both have keys of it and share none."""
    a, b = set(a), set(b)
    for scheme in _EXCLUSIVE:
        mine = {k for k in a if k.startswith(scheme)}
        theirs = {k for k in b if k.startswith(scheme)}
        if mine and theirs and not mine & theirs:
            return scheme
    return None


def shared_key(a: Iterable[str], b: Iterable[str]) -> str | None:
    """The key by which key sets ``a`` and ``b`` are one paper, or None; the title key
    counts only where no arXiv id or DOI disagrees."""
    shared = set(a) & set(b)
    if not shared:
        return None
    strong = sorted(k for k in shared if _scheme(k) != "title:")
    if strong:
        return strong[0]
    return None if conflict(a, b) else min(shared)


def reason(key: str) -> str:
    """How two records matched, for reports: "same arXiv id", "same title", …"""
    return {
        "arxiv:": "same arXiv id",
        "doi:": "same DOI",
        "title:": "same title",
    }.get(_scheme(key), f"same id {key!r}")


def merged(paper: Paper, keys: Iterable[str], stored_id: str | None = None) -> Paper:
    """``paper`` with every identity in ``keys`` joined to it: an arXiv id or DOI it lacked,
    the strongest id (``stored_id`` where the merged paper has neither), and the rest as
    aliases."""
    keys = list(keys)
    arxiv = paper.arxiv_id or next((k[6:] for k in keys if k.startswith("arxiv:")), None)
    doi = paper.doi or next((k[4:] for k in keys if k.startswith("doi:")), None)
    pid = paper_id(title="", arxiv_id=arxiv, doi=doi) if arxiv or doi else stored_id or paper.id
    implied = {pid, title_id(paper.title)}
    implied |= {paper_id(title="", arxiv_id=arxiv)} if arxiv else set()
    implied |= {paper_id(title="", doi=doi)} if doi else set()
    aliases = sorted({*paper.aliases, paper.id, *keys} - implied)
    if (pid, arxiv, doi, tuple(aliases)) == (paper.id, paper.arxiv_id, paper.doi, paper.aliases):
        return paper
    return replace(paper, id=pid, arxiv_id=arxiv, doi=doi, aliases=tuple(aliases))


@dataclass(frozen=True)
class Duplicate:
    """A record not read because an earlier record (``first``) is the same paper."""

    source: str
    first: str
    why: str

    def __str__(self) -> str:
        return f"{self.source}: {self.why} as {self.first}; read once"


_SCHEME_BIT = {"arxiv:": 1, "doi:": 2}


@dataclass
class StreamIdentity:
    """The rule applied to one read, record by record: ``admit`` returns the paper to
    keep (with the ids its later duplicates bring, once an earlier read found them) or
    None for a duplicate. Keys are kept as 64-bit hashes (``kg.keyindex``) and a byte a
    paper, so a read of all arXiv fits; ``hand_over`` passes what a first read found to
    the next read of the same input."""

    #: paper number → identity keys its duplicates bring (found by an earlier read)
    gained: Mapping[int, Sequence[str]] = field(default_factory=dict)
    #: papers whose first record's source to keep for reports (None: every paper's)
    named: frozenset[int] | None = None
    duplicates: list[Duplicate] = field(default_factory=list)
    brings: defaultdict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    _groups: KeyMap = field(default_factory=KeyMap)
    _schemes: bytearray = field(default_factory=bytearray)
    _sources: dict[int, str] = field(default_factory=dict)
    _duplicated: set[int] = field(default_factory=set)

    def admit(self, paper: Paper) -> Paper | None:
        keys = paper.identity_keys
        group, key = self._match(keys)
        if group is None:
            group = len(self._schemes)
            self._schemes.append(sum(_SCHEME_BIT.get(_scheme(k), 0) for k in set(keys)) & 3)
            for k in keys:
                if self._groups.get(k) is None:
                    self._groups.put(k, group)
            if self.named is None or group in self.named:
                self._sources[group] = paper.source
            gained = self.gained.get(group)
            return merged(paper, gained) if gained else paper
        first = self._sources.get(group, "an earlier record")
        self.duplicates.append(Duplicate(paper.source, first, reason(key)))
        self._duplicated.add(group)
        if extra := [k for k in keys if self._groups.get(k) != group]:
            self.brings[group].extend(extra)
        return None

    def _match(self, keys: Sequence[str]) -> tuple[int | None, str]:
        """(paper number, shared key) of the paper met before that ``keys`` are, if any."""
        exclusive = [k for k in keys if _scheme(k) in _SCHEME_BIT]
        for k in keys:
            group = self._groups.get(k)
            if group is None:
                continue
            if _scheme(k) != "title:":
                return group, k
            # a title match is another paper when its arXiv id or DOI differs
            mine = {_SCHEME_BIT[_scheme(e)] for e in exclusive if self._groups.get(e) is None}
            if not any(bit & self._schemes[group] for bit in mine):
                return group, k
        return None, ""

    def hand_over(self) -> StreamIdentity:
        """A fresh identity for the next read of the same input: it joins the ids this
        read found in duplicates to their first records, and names those records."""
        return StreamIdentity(gained=dict(self.brings), named=frozenset(self._duplicated))


class IdentityLookup(Protocol):
    def identities(self, keys: Sequence[str]) -> dict[str, frozenset[str]]: ...


def against_store(batch: Sequence[Paper], store: IdentityLookup) -> tuple[list[Paper], set[str]]:
    """``batch`` with each paper merged into the stored paper(s) it is: their ids and
    identities joined (``merged``); a paper matching none is unchanged. Also the ids of
    the merged papers that replace a stored paper of another id: they must be written
    even if their content is stored, since upserting them removes the other."""
    keys = sorted({k for p in batch for k in p.identity_keys})
    stored = store.identities(keys)
    by_key: defaultdict[str, list[str]] = defaultdict(list)
    for sid, stored_keys in stored.items():
        for k in stored_keys:
            by_key[k].append(sid)
    out, replacing = [], set()
    for paper in batch:
        mine = paper.identity_keys
        matches = sorted(
            {sid for k in mine for sid in by_key.get(k, ()) if shared_key(mine, stored[sid])}
        )
        if not matches:
            out.append(paper)
            continue
        keep = paper.id if paper.id in matches else matches[0]
        joined = [k for sid in matches for k in sorted(stored[sid])]
        paper = merged(paper, joined, stored_id=keep)
        out.append(paper)
        if any(sid != paper.id for sid in matches):
            replacing.add(paper.id)
    return out, replacing


def extractions_against_store(
    batch: Sequence[PaperExtraction], store: IdentityLookup
) -> list[PaperExtraction]:
    """``against_store`` for ready-made extractions (an import, part files): each keeps
    its mentions and results, under the paper it merges into."""
    papers, _ = against_store([ex.paper for ex in batch], store)
    return [replace(ex, paper=p) for ex, p in zip(batch, papers, strict=True)]
