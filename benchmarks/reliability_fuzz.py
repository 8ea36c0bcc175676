"""Seeded fuzz inputs for ``reliability.py``: real seed papers written in each reader's
format, then mutated (truncation, byte flips, wrong types, missing keys, huge strings, deep
nesting, huge numbers, control characters, lone surrogates, wrong encodings).

Every fifth file of a reader is a "fatal" one: it also gets the mutations that end a whole
file (bad UTF-8, NUL bytes, broken XML), so the others keep testing record by record.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from kg.model import Paper

JSON_READERS = ("jsonl", "arxiv-snapshot", "openalex", "semantic-scholar", "pwc")
READERS = (*JSON_READERS, "arxiv-atom", "daily-papers")
CAP_BYTES = 1 << 20  # --max-record-bytes for fuzz runs: a "huge" record is a bit over it
HUGE_VALUES = ("1" + "0" * 5000, "-" + "9" * 5000, "1e999999", "NaN", "-Infinity", "1.5e-400")
WRONG_TYPES: tuple[Any, ...] = (None, 0, -1, 1.5, True, [], {}, [1, "a"], {"a": 1}, "", " ")
NASTY = "\x00\x01\x07\x08\x0b\x0c\x1b[2J\x7f\x85\x9b\u2028\u2029\u202e\u200b\ufeff\U0001f600"
ATOM_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom">\n<title>arXiv fuzz</title>\n'
)
DAILY_HEAD = "Get trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"


def template(fmt: str, paper: Paper, i: int) -> dict[str, Any]:
    """``paper`` as one record of ``fmt``, with the fields that reader takes."""
    arxiv, doi, date = f"{2301 + i % 12}.{10000 + i:05d}", f"10.1234/fuzz.{i}", "2023-03-12"
    t, a = paper.title, paper.abstract
    if fmt == "jsonl":
        return {"title": t, "abstract": a, "arxiv_id": arxiv, "doi": doi, "date": date}
    if fmt == "arxiv-snapshot":
        return {"id": arxiv, "submitter": "A. Author", "authors": "A. Author and B. Writer",
                "title": t, "comments": "10 pages", "doi": doi, "abstract": a,
                "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
                "update_date": date, "authors_parsed": [["Author", "A.", ""]]}
    if fmt == "openalex":
        index: dict[str, list[int]] = {}
        for pos, word in enumerate(a.split()):
            index.setdefault(word, []).append(pos)
        return {"id": f"https://openalex.org/W{i}", "doi": f"https://doi.org/{doi}", "title": t,
                "publication_year": 2023, "publication_date": date, "ids": {"arxiv": arxiv},
                "primary_location": {"landing_page_url": f"https://arxiv.org/abs/{arxiv}"},
                "authorships": [{"author": {"display_name": "A. Author"}}],
                "abstract_inverted_index": index}
    if fmt == "semantic-scholar":
        return {"paperId": f"{i:040x}", "externalIds": {"ArXiv": arxiv, "DOI": doi}, "title": t,
                "abstract": a, "year": 2023, "publicationDate": date,
                "authors": [{"name": "A. Author"}], "url": f"https://www.semanticscholar.org/p/{i}"}
    if fmt == "pwc":
        return {"paper_url": f"https://paperswithcode.com/paper/p{i}", "arxiv_id": arxiv,
                "title": t, "abstract": a, "url_abs": f"https://arxiv.org/abs/{arxiv}",
                "authors": ["A. Author"], "date": date}
    return {"id": f"http://arxiv.org/abs/{arxiv}v1", "title": t, "summary": a, "published": date,
            "doi": doi, "author": "A. Author"}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into ``value`` (dict keys and list indexes), ``value`` itself first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for at, inner in enumerate(value[:3]):
            found += _paths(inner, (*prefix, at))
    return found


def _set(record: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = record
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return record


def _text_field(rng: random.Random, record: Any) -> tuple[Any, ...]:
    texts = [p for p in _paths(record) if isinstance(_get(record, p), str)]
    return rng.choice(texts) if texts else ()


def _get(record: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        record = record[key]
    return record


def _insert(rng: random.Random, text: str, junk: str) -> str:
    at = rng.randint(0, len(text))
    return text[:at] + junk + text[at:]


#: structured mutations: (record, rng, placeholders) → record; a placeholder string is
#: replaced in the serialised text by raw JSON that json.dumps cannot write
Mutation = Callable[[Any, random.Random, dict[str, str]], Any]


def _drop_key(r: Any, rng: random.Random, _: dict[str, str]) -> Any:
    keys = [p for p in _paths(r) if p and isinstance(_get(r, p[:-1]), dict)]
    if keys:
        path = rng.choice(keys)
        del _get(r, path[:-1])[path[-1]]
    return r


def _wrong_type(r: Any, rng: random.Random, _: dict[str, str]) -> Any:
    return _set(r, rng.choice(_paths(r)), rng.choice(WRONG_TYPES))


def _huge(rng: random.Random) -> str:
    """Over the title cap (most), the abstract cap (1 in 12) or the record cap (1 in 50)."""
    roll = rng.random()
    return "ab " * ((CAP_BYTES + 4096 if roll < 0.02 else 120_000 if roll < 0.1 else 2_500) // 3)


def _huge_string(r: Any, rng: random.Random, _: dict[str, str]) -> Any:
    return _set(r, _text_field(rng, r), _huge(rng))


def _nesting(r: Any, rng: random.Random, holes: dict[str, str]) -> Any:
    depth = rng.choice((50, 1_000, 1_000, 5_000, 100_000 if rng.random() < 0.2 else 50))
    key = f"@@deep{len(holes)}@@"
    holes[key] = "[" * depth + "]" * depth if rng.random() < 0.5 else '{"a":' * depth + "1" + "}" * depth
    return _set(r, rng.choice(_paths(r)), key)


def _huge_number(r: Any, rng: random.Random, holes: dict[str, str]) -> Any:
    key = f"@@num{len(holes)}@@"
    holes[key] = rng.choice(HUGE_VALUES)
    return _set(r, rng.choice(_paths(r)[1:] or [()]), key)


def _control(r: Any, rng: random.Random, _: dict[str, str]) -> Any:
    path = _text_field(rng, r)
    junk = "".join(rng.choice(NASTY) for _ in range(rng.randint(1, 6)))
    return _set(r, path, _insert(rng, str(_get(r, path)), junk))


def _surrogate(r: Any, rng: random.Random, _: dict[str, str]) -> Any:
    path = _text_field(rng, r)
    return _set(r, path, _insert(rng, str(_get(r, path)), rng.choice(("\ud800", "\udfff"))))


def _not_an_object(r: Any, rng: random.Random, _: dict[str, str]) -> Any:
    return rng.choice((None, [], "paper", 42, [r]))


JSON_MUTATIONS: tuple[Mutation, ...] = (
    _drop_key, _wrong_type, _huge_string, _nesting, _huge_number, _control, _surrogate,
    _not_an_object,
)


def _bytes_mutation(rng: random.Random, data: bytes, fatal: bool) -> bytes:
    """Truncation or byte flips (any file); bad UTF-8 or NUL bytes (fatal files only)."""
    choice = rng.choice(("truncate", "flip", "encoding", "nul") if fatal else ("truncate", "flip"))
    if choice == "truncate":
        return data[: rng.randint(0, max(len(data) - 1, 0))]
    if choice == "flip":  # outside fatal files only ASCII to ASCII: still UTF-8, no NUL
        out = bytearray(data)
        for _ in range(rng.randint(1, 4) if out else 0):
            at = rng.randrange(len(out))
            flipped = out[at] ^ (1 << rng.randrange(8 if fatal else 7))
            if fatal or (out[at] < 0x80 and flipped):
                out[at] = flipped
        return bytes(out).replace(b"\n", b" ")
    if choice == "encoding":
        text = data.decode("utf-8", "replace") + " café naïve"
        return rng.choice((text.encode("latin-1", "replace"), data + b"\xc3(", b"\xed\xa0\x80" + data))
    return _insert_bytes(rng, data, b"\x00")


def _insert_bytes(rng: random.Random, data: bytes, junk: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + junk + data[at:]


def json_line(rng: random.Random, record: dict[str, Any], fatal: bool) -> bytes:
    """One mutated JSON Lines record (1 in 10 left whole)."""
    holes: dict[str, str] = {}
    out: Any = record
    if rng.random() >= 0.1:
        for _ in range(rng.randint(1, 3)):
            out = rng.choice(JSON_MUTATIONS)(out, rng, holes)
    text = json.dumps(out, ensure_ascii=rng.random() < 0.5)
    if not fatal and not text.isascii():  # a raw lone surrogate would be bad UTF-8
        text = json.dumps(out)
    for key, raw in holes.items():
        text = text.replace(f'"{key}"', raw)
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.15:
        data = _bytes_mutation(rng, data, fatal)
    return data + b"\n"


def atom_entry(rng: random.Random, record: dict[str, Any], fatal: bool) -> bytes:
    """One ``<entry>``: fields dropped, emptied, huge, nested or junk-filled; broken XML,
    control characters and bad bytes only in fatal files."""
    fields = {k: escape(str(v)) for k, v in record.items()}
    for _ in range(rng.randint(0, 3)):
        key, what = rng.choice(list(fields)), rng.choice(("drop", "empty", "huge", "nest", "junk"))
        if what == "drop":
            fields.pop(key)
        elif what == "empty":
            fields[key] = ""
        elif what == "huge":
            fields[key] = _huge(rng)
        elif what == "nest":
            depth = rng.choice((10, 1_000, 20_000))
            fields[key] = "<b>" * depth + "x" + "</b>" * depth
        else:
            fields[key] = _insert(rng, fields.get(key, ""), escape("\u202e\u200b<script>\"'&"))
    tags = {"id": "id", "title": "title", "summary": "summary", "published": "published",
            "doi": "arxiv:doi"}
    body = "".join(f"<{tags[k]}>{v}</{tags[k]}>" for k, v in fields.items() if k in tags)
    if "author" in fields:
        body += f"<author><name>{fields['author']}</name></author>"
    data = f"<entry>{body}</entry>\n".encode()
    if fatal and rng.random() < 0.1:
        data = _bytes_mutation(rng, data, True) + b"\n"
        if rng.random() < 0.5:
            data = _insert_bytes(rng, data, rng.choice((b"\x01", b"&bogus;", b"<", b"]]>")))
    return data


def daily_record(rng: random.Random, record: dict[str, Any], fatal: bool) -> bytes:
    """A title line and an abstract line, with lines dropped, swapped, huge or junk-filled."""
    title, abstract = str(record["title"]), str(record["summary"])
    what = rng.choice(("whole", "no title", "no abstract", "huge", "junk", "short", "swap"))
    if what == "huge":
        abstract = _huge(rng)
    elif what == "junk":
        title = _insert(rng, title, "".join(rng.choice(NASTY[2:]) for _ in range(3)))
        abstract = _insert(rng, abstract, "\t\x1b]0;x\x07\u202e")
    lines = {"whole": [title, abstract], "no title": [abstract], "no abstract": [title],
             "short": [title, "Too short."], "swap": [abstract, title]}.get(what, [title, abstract])
    data = ("\n".join(lines) + "\n\n").encode("utf-8", "surrogatepass")
    if fatal and rng.random() < 0.1:
        data = _bytes_mutation(rng, data, True) + b"\n"
    return data


def write_fuzz_files(
    fmt: str, papers: list[Paper], records: int, per_file: int, seed: int, out: Path
) -> list[tuple[Path, int]]:
    """``records`` mutated records of ``fmt`` in files of ``per_file``: (path, records)."""
    rng = random.Random(f"{seed}:{fmt}")
    files = []
    for n, start in enumerate(range(0, records, per_file)):
        count, fatal = min(per_file, records - start), n % 5 == 4
        chunks = []
        for i in range(start, start + count):
            record = template(fmt, papers[i % len(papers)], i)
            if fmt == "arxiv-atom":
                chunks.append(atom_entry(rng, record, fatal))
            elif fmt == "daily-papers":
                chunks.append(daily_record(rng, record, fatal))
            else:
                chunks.append(json_line(rng, record, fatal))
        head = {"arxiv-atom": ATOM_HEAD, "daily-papers": DAILY_HEAD}.get(fmt, "").encode()
        tail = b"</feed>\n" if fmt == "arxiv-atom" else b""
        path = out / f"fuzz-{fmt}-{n:03d}{'.xml' if fmt == 'arxiv-atom' else '.txt'}"
        path.write_bytes(head + b"".join(chunks) + tail)
        files.append((path, count))
    return files
