"""The hostile cases of issue 26 as ``kg`` command lines, for ``reliability.py``'s replay.

A case names its arguments (``{db}`` is the seed store), the exit codes that are right for
it, and whether it must leave the seed store as it was (``guard``); ``check`` looks for a
side effect it must not have (a created folder, a device file replaced).
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reliability_fuzz import CAP_BYTES, JSON_READERS, template

from kg.jobs.distributed import extraction_to_json
from kg.model import Paper, PaperExtraction

DEEP = "[" * 100_000 + "]" * 100_000
BIG = "1" + "0" * 5000
SURROGATE = "\ud800"
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    + ']>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
    "<entry><id>http://arxiv.org/abs/2301.00001v1</id><title>&i;</title><summary>Laughs.</summary>"
    "</entry></feed>\n"
)


@dataclass
class Case:
    name: str
    args: list[str]
    expect: frozenset[int]
    guard: bool = True
    check: Callable[[], str | None] | None = None


def case(name: str, args: list[str | Path], *expect: int, guard: bool = True,
         check: Callable[[], str | None] | None = None) -> Case:
    return Case(name, [str(a) for a in args], frozenset(expect), guard, check)


def _absent(path: Path) -> Callable[[], str | None]:
    return lambda: f"{path} was created" if path.exists() else None


def _still_device() -> str | None:
    mode = Path("/dev/full").stat().st_mode
    return None if stat.S_ISCHR(mode) else "/dev/full is no longer a character device"


def _papers_are(db: Path, papers: int) -> Callable[[], str | None]:
    """The store at ``db`` holds ``papers`` papers: one paper by two ids is one node."""

    def check() -> str | None:
        from kg.rdf.store import OxigraphStore

        with OxigraphStore(db, read_only=True) as store:
            held = store.stats().papers
        return None if held == papers else f"{held} papers stored, {papers} distinct"

    return check


def _identity_cases(work: Path, papers: list[Paper], nquads: str) -> list[Case]:
    """One paper by two of its ids (a second source with arXiv ids and DOIs, in the same
    build and in a later one) stays one node; one identifier on two subjects is refused."""
    named = work / "named.jsonl"
    named.write_text("".join(
        json.dumps({"title": p.title.upper(), "abstract": p.abstract, "arxiv_id": f"2401.{10000 + i}v2",
                    **({"doi": f"10.1000/kg.{i}"} if i % 2 else {})}) + "\n"
        for i, p in enumerate(papers[:10])), encoding="utf-8")
    subject = re.search(r"^(<[^>]+>) <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                        r"<https://w3id.org/kg-ml/ns#Paper>", nquads, re.M)
    assert subject, "no kg:Paper in the export"
    twin = nquads.replace(subject.group(1), "<https://example.org/another-subject>")
    clash = work / "clash.nq"
    clash.write_text(nquads + twin, encoding="utf-8")
    both, after = work / "db-identity-both", work / "db-identity-after"
    distinct = len(papers)
    return [
        case("one paper by two ids, one build", ["build", "{seeds}", named, "--db", both], 0, guard=False,
             check=_papers_are(both, distinct)),
        case("one paper by two ids, two builds (1)", ["build", "{seeds}", "--db", after], 0, guard=False),
        case("one paper by two ids, two builds (2)", ["build", named, "--db", after], 0, guard=False,
             check=_papers_are(after, distinct)),
        case("import: one identifier on two subjects", ["import", clash, "--db", "{db}"], 2),
    ]


def _line(fmt: str, record: object) -> str:
    return json.dumps(record, ensure_ascii=False)


def _reader_file(work: Path, name: str, fmt: str, lines: list[str]) -> Path:
    path = work / f"{name}.{fmt}.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    return path


def _per_reader(work: Path, papers: list[Paper]) -> list[Case]:
    """Huge records, deep nesting, huge numbers, lone surrogates in every string field,
    bad UTF-8 and empty abstracts, in each JSON reader's own format."""
    cases = []
    for fmt in JSON_READERS:
        good = [_line(fmt, template(fmt, p, i)) for i, p in enumerate(papers[:3])]
        base = template(fmt, papers[3], 3)
        crafted: dict[str, str] = {
            "huge record": _line(fmt, {**base, "pad": "x" * (CAP_BYTES + 1024)}),
            "deep nesting": _line(fmt, {**base, "pad": 0}).replace('"pad": 0', f'"pad": {DEEP}'),
            "5,000-digit number": _line(fmt, {**base, "pad": 0}).replace('"pad": 0', f'"pad": {BIG}'),
            "empty abstract": _line(fmt, {**base, "abstract": "", "abstract_inverted_index": {}}),
        }
        opts = ["--format", fmt, "--max-record-bytes", str(CAP_BYTES)]
        for what, line in crafted.items():
            slug = re.sub(r"[^a-z0-9]+", "-", what)
            src = _reader_file(work, slug, fmt, [good[0], line, *good[1:]])
            cases.append(case(f"{fmt}: {what}", ["build", src, "--db", "{db}", *opts], 2))
            cases.append(case(f"{fmt}: {what}, --skip-bad",
                              ["build", src, "--db", work / f"db-{fmt}-{slug}", "--skip-bad", *opts], 0, guard=False))
        surrogates = []  # one record per string field, each with a lone surrogate there
        for n, path in enumerate(_string_paths(base)):
            record = template(fmt, papers[10 + n], 10 + n)  # another paper: none is a duplicate
            _put(record, path, _get(record, path) + SURROGATE)
            surrogates.append(json.dumps(record))  # ASCII escapes: "\ud800" as JSON text
        src = _reader_file(work, "surrogates", fmt, [*good, *surrogates])
        cases.append(case(f"{fmt}: lone surrogate in each of {len(surrogates)} fields, --skip-bad",
                          ["build", src, "--db", work / f"db-{fmt}-surrogates", "--skip-bad", *opts], 0, guard=False))
        bad = _reader_file(work, "latin1", fmt, good)
        bad.write_bytes(bad.read_bytes().replace(b"a", b"\xe9", 1))
        cases.append(case(f"{fmt}: bad UTF-8", ["build", bad, "--db", "{db}", "--format", fmt], 2))
    return cases


def _string_paths(record: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(record, str):
        return [prefix]
    items = record.items() if isinstance(record, dict) else enumerate(record) if isinstance(record, list) else []
    return [p for key, value in items for p in _string_paths(value, (*prefix, key))]


def _get(record: object, path: tuple[object, ...]) -> str:
    for key in path:
        record = record[key]  # type: ignore[index]
    return str(record)


def _put(record: object, path: tuple[object, ...], value: str) -> None:
    for key in path[:-1]:
        record = record[key]  # type: ignore[index]
    record[path[-1]] = value  # type: ignore[index]


def _parts(work: Path, extractions: list[PaperExtraction], name: str, bad: str | None,
           first_id: str | None = None) -> Path:
    """Two part files of ``kg extract --engine dask``; ``bad`` in the middle of the second,
    ``first_id`` given to the first paper."""
    out = work / f"parts-{name}"
    out.mkdir()
    rows = [extraction_to_json(ex) for ex in extractions]
    if first_id:
        rows[0]["paper"]["id"] = first_id
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    second = lines[3:]
    if bad is not None:
        second.insert(1, bad)
    (out / "part-00000.jsonl").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    (out / "part-00001.jsonl").write_text("\n".join(second) + "\n", encoding="utf-8")
    return out


def replay_cases(work: Path, papers: list[Paper], extractions: list[PaperExtraction],
                 nquads: str) -> list[Case]:
    """Every case, its input files written under ``work``."""
    good = work / "good.jsonl"
    good.write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n"
                            for p in papers[:3]), encoding="utf-8")
    hostile = work / "hostile.jsonl"
    hostile.write_text("".join(json.dumps({"title": t, "abstract": papers[5].abstract}) + "\n" for t in (
        "<script>alert(1)</script>", 'x"}) DETACH DELETE n //', "'; DROP TABLE papers; --",
        "} ; DELETE WHERE { ?s ?p ?o } #", '"""quoted""" \\ back', "Clear \x1b[2J\x07 \u202eRTL",
    )), encoding="utf-8")
    (work / "a-dir").mkdir()
    (work / "a-file").write_text("keep\n", encoding="utf-8")
    (work / "loop1").symlink_to(work / "loop2")
    (work / "loop2").symlink_to(work / "loop1")
    laughs = work / "laughs.xml"
    laughs.write_text(LAUGHS, encoding="utf-8")
    pipeline = work / "lots.toml"
    pipeline.write_text(f'[input]\nsources = ["{good}"]\n[store]\ndb = "{work / "pipe-db"}"\n'
                        f'[view]\nout = "{work / "v.html"}"\nmax_nodes = "lots"\n', encoding="utf-8")
    reserved = {}
    for rid in ("entities", "index"):
        ident = re.search(r'terms/identifier> "([^"]+)"', nquads)
        assert ident, "no dcterms:identifier in the export"
        path = work / f"reserved-{rid}.nq"
        path.write_text(nquads.replace(f'"{ident.group(1)}"', f'"{rid}"'), encoding="utf-8")
        reserved[rid] = path
    bad_start = work / "bad-start.nq"
    bad_start.write_text(re.sub(r'(start> )"(\d+)"\^\^<[^>]+>', r'\1"abc"', nquads, count=1), encoding="utf-8")
    latin1 = work / "latin1.jsonl"
    latin1.write_bytes("Caf\xe9\n".encode("latin-1"))
    gold = {"title": "T", "methods_used": ["ResNet"]}
    evaluation = {name: work / f"eval-{name}.jsonl" for name in ("deep", "number", "surrogate")}
    evaluation["deep"].write_text(json.dumps(gold)[:-1] + f', "x": {DEEP}}}\n', encoding="utf-8")
    evaluation["number"].write_text(json.dumps(gold)[:-1] + f', "x": {BIG}}}\n', encoding="utf-8")
    evaluation["surrogate"].write_text(json.dumps({**gold, "methods_used": ["Res\ud800"]}) + "\n", encoding="utf-8")
    empty = work / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    unreachable = ["--store", "neo4j", "--uri", "bolt://127.0.0.1:9"]
    cases = [
        *(case(f"reserved paper id '{rid}' via kg import", ["import", path, "--db", "{db}"], 2)
          for rid, path in reserved.items()),
        *(case(f"reserved paper id '{rid}' via --from-extracted",
               ["build", "--from-extracted", _parts(work, extractions, rid, None, rid), "--db", "{db}"], 2)
          for rid in ("entities", "index")),
        case("malformed later part file (--from-extracted)",
             ["build", "--from-extracted", _parts(work, extractions, "bad", '{"paper": {"id"'), "--db", "{db}"], 2),
        case("import: kg:start \"abc\"", ["import", bad_start, "--db", "{db}"], 2),
        case("import: not RDF", ["import", good, "--db", "{db}", "--format", "turtle"], 2),
        *_identity_cases(work, papers, nquads),
        *_per_reader(work, papers),
        case("<script>/quotes/RTL in titles", ["build", hostile, "--db", work / "db-hostile"], 0, guard=False),
        case("XML entity expansion (billion laughs)", ["build", laughs, "--db", "{db}"], 2),
        case("symlink loop as input", ["build", work / "loop1", "--db", "{db}"], 2),
        case("seed store rebuilt (nothing to change)", ["build", "{seeds}", "--db", "{db}"], 0),
        case("--batch-size 0", ["build", good, "--db", "{db}", "--batch-size", "0"], 2),
        case("--workers 100000", ["build", good, "--db", "{db}", "-j", "100000"], 2),
        case("--format bogus", ["build", good, "--db", "{db}", "--format", "bogus"], 2),
        case("--base-iri 'not an iri'", ["build", good, "--db", "{db}", "--base-iri", "not an iri"], 2),
        case("export --base-iri 'a b'", ["export", "--db", "{db}", "--base-iri", "a b", "-o", work / "b.ttl"], 2),
        case("pipeline [view] max_nodes = \"lots\"", ["run", pipeline], 2, check=_absent(work / "pipe-db")),
        *(case(f"{cmd} -o a directory", [*args, "-o", work / "a-dir"], 2)
          for cmd, args in (("export", ["export", "--db", "{db}"]), ("view", ["view", "--db", "{db}"]),
                            ("extract", ["extract", good]))),
        case("export --format csv -o a file", ["export", "--db", "{db}", "--format", "csv", "-o", work / "a-file"], 2),
        *(case(f"{cmd} -o /proc/x", [*args, "-o", "/proc/x"], 2, 3)
          for cmd, args in (("export", ["export", "--db", "{db}"]), ("view", ["view", "--db", "{db}"]))),
        case("export -o /nonexistent/x", ["export", "--db", "{db}", "-o", "/nonexistent/x"], 2,
             check=_absent(Path("/nonexistent"))),
        case("extract -o /nonexistent/x", ["extract", good, "-o", "/nonexistent/x"], 2,
             check=_absent(Path("/nonexistent"))),
        *(case(f"{cmd} -o /dev/full (disk full)", [*args, "-o", "/dev/full"], 3, check=_still_device)
          for cmd, args in (("export", ["export", "--db", "{db}"]), ("view", ["view", "--db", "{db}"]),
                            ("extract", ["extract", good]))),
        case("sparql SERVICE", ["sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }", "--db", "{db}"], 2, 4),
        case("sparql DELETE WHERE", ["sparql", "DELETE WHERE { ?s ?p ?o }", "--db", "{db}"], 2, 4),
        case("sparql INSERT DATA", ["sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--db", "{db}"], 2, 4),
        case("sparql syntax error", ["sparql", "SELEKT nothing", "--db", "{db}"], 4),
        case("sparql --param 'a b=x'", ["sparql", "SELECT ?p WHERE { ?p ?q ?t }", "--param", "a b=x", "--db", "{db}"], 2),
        case("cypher CREATE without --write (refused before connecting)",
             ["cypher", "CREATE (n:X) RETURN n", "--uri", "bolt://127.0.0.1:9"], 2),
        case("cypher DETACH DELETE without --write",
             ["cypher", "MATCH (n) DETACH DELETE n", "--uri", "bolt://127.0.0.1:9"], 2),
        case("unreachable Neo4j (build)", ["build", good, *unreachable], 3),
        case("unreachable Neo4j (stats)", ["stats", *unreachable], 3),
        case("Neo4j URI http://", ["build", good, "--store", "neo4j", "--uri", "http://127.0.0.1:7474"], 2),
        case("query: unknown dataset", ["query", "evaluated-on", "ImagNet", "--db", "{db}"], 2),
        case("query: --limit x", ["query", "top-datasets", "--limit", "x", "--db", "{db}"], 2),
        case("why: unknown paper", ["why", "No Such Paper", "ImageNet", "--db", "{db}"], 2),
        case("stats: no store here", ["stats", "--db", work / "nowhere"], 3),
        case("build: --db is a file", ["build", good, "--db", work / "a-file"], 3),
        case("build: missing input", ["build", work / "missing.jsonl", "--db", "{db}"], 2),
        case("build: empty file", ["build", empty, "--db", "{db}"], 2),
        case("build: Latin-1 file", ["build", latin1, "--db", "{db}"], 2),
        case("load a store onto itself", ["load", "--from", "{db}", "--db", "{db}"], 0, 2, 3),
        case("validate the seed store", ["validate", "--db", "{db}"], 0, 1),
        case("evaluate: missing file", ["evaluate", work / "missing.jsonl", good], 2),
        case("evaluate: a directory", ["evaluate", work / "a-dir", good], 2),
        case("evaluate: bad UTF-8", ["evaluate", latin1, latin1], 2),
        case("evaluate: empty gold and predictions", ["evaluate", empty, empty], 2),
        case("evaluate: deep nesting", ["evaluate", evaluation["deep"], empty], 2),
        case("evaluate: 5,000-digit number", ["evaluate", evaluation["number"], empty], 2),
        case("evaluate: lone surrogate", ["evaluate", evaluation["surrogate"], evaluation["surrogate"]], 0, 2),
    ]
    return cases
