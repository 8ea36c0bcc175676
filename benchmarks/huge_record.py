"""One 200 MB record in every reader: refused by the record cap, in bounded time and memory.

For each reader, a file of three records (a seed paper, one whose abstract is ``--mb`` MB,
another seed paper) goes through ``kg build --skip-bad`` in a child process; the table
shows its wall time and peak RSS beside the same build of the file without the huge record
(the peer, same run). Issue 26's target: peak RSS ≤ 1 GB, or refused by the cap in < 5 s.

    .venv/bin/python benchmarks/huge_record.py [--mb 200] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.reliability_fuzz import ATOM_HEAD, DAILY_HEAD, READERS, template  # noqa: E402
from kg.ingest import iter_papers  # noqa: E402
from kg.model import Paper  # noqa: E402


def write(fmt: str, papers: list[Paper], path: Path, pad: int) -> None:
    """The three records of ``fmt``; the middle one's abstract is ``pad`` bytes."""
    records = [template(fmt, p, i) for i, p in enumerate(papers)]
    if pad and len(records) > 1:
        words = ("lorem " * (pad // 6)).strip()
        key = {"openalex": None, "arxiv-atom": "summary", "daily-papers": "summary"}.get(
            fmt, "abstract"
        )
        if key is None:  # the inverted index: one word at every position
            records[1]["abstract_inverted_index"] = {"lorem": list(range(pad // 8))}
        else:
            records[1][key] = words
    with path.open("w", encoding="utf-8") as out:
        if fmt == "arxiv-atom":
            out.write(ATOM_HEAD)
            for r in records:
                out.write(
                    f"<entry><id>{r['id']}</id><title>{escape(r['title'])}</title>"
                    f"<summary>{escape(r['summary'])}</summary>"
                    f"<published>{r['published']}</published></entry>\n"
                )
            out.write("</feed>\n")
        elif fmt == "daily-papers":
            out.write(DAILY_HEAD)
            out.writelines(f"{r['title']}\n{r['summary']}\n\n" for r in records)
        elif fmt == "pwc":
            out.write(json.dumps(records))
        else:
            out.writelines(json.dumps(r) + "\n" for r in records)


def run(fmt: str, path: Path, db: Path) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB, exit code, last stderr line) of one ``kg build``."""
    args = [sys.executable, "-m", "kg", "build", str(path), "--format", fmt, "--db", str(db)]
    start = time.perf_counter()
    child = subprocess.Popen(
        [*args, "--skip-bad"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert child.stderr is not None
    err = child.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    last = next((line for line in reversed(err.splitlines()) if "skipped" in line), "")
    return seconds, usage.ru_maxrss / 1024, child.returncode, last


def write_apart(fmt: str, path: Path, pad: int, skip_middle: bool) -> None:
    """``write`` in a child process: a parent that held the 200 MB text would pass its
    peak RSS on to the builds it starts (Linux keeps ru_maxrss across fork and exec)."""
    args = ["--write", fmt, str(path), str(pad), "1" if skip_middle else "0"]
    subprocess.run([sys.executable, __file__, *args], check=True)


def _write_child(fmt: str, path: str, pad: str, skip_middle: str) -> None:
    papers = list(iter_papers([ROOT.parent / "shared" / "seeds"]))[:3]
    write(fmt, [papers[0], papers[2]] if skip_middle == "1" else papers, Path(path), int(pad))


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        _write_child(*sys.argv[2:6])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the huge record")
    parser.add_argument("--out", type=Path, help="also write the table here")
    options = parser.parse_args()
    lines = [
        f"kg huge-record benchmark: one {options.mb} MB record per reader, "
        f"`kg build --skip-bad`, {os.cpu_count()} CPUs",
        f"{'reader':18} {'huge: s':>8} {'peak MB':>8} {'exit':>5}   "
        f"{'peer: s':>8} {'peak MB':>8}   verdict",
    ]
    print(lines[0], lines[1], sep="\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="kg-huge-") as tmp:
        work = Path(tmp)
        for fmt in READERS:
            huge, small = work / f"{fmt}-huge", work / f"{fmt}-small"
            write_apart(fmt, huge, options.mb << 20, skip_middle=False)
            write_apart(fmt, small, 0, skip_middle=True)
            s, rss, code, said = run(fmt, huge, work / f"db-{fmt}-huge")
            peer_s, peer_rss, _, _ = run(fmt, small, work / f"db-{fmt}-small")
            ok = code == 0 and "skipped" in said and (rss <= 1024 or s < 5)
            line = (
                f"{fmt:18} {s:8.1f} {rss:8.0f} {code:5d}   {peer_s:8.1f} {peer_rss:8.0f}   "
                f"{'met' if ok else 'MISSED'} ({said[:60]})"
            )
            print(line, flush=True)
            lines.append(line)
            huge.unlink()
    if options.out:
        options.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
