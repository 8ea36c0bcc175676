"""Terminal output for the CLI: tables, JSON, CSV, progress bars (all via rich/stdlib).

Data reaches the screen through here only, cleaned for it: control characters (ESC, BEL,
bidirectional overrides) are dropped from text a terminal shows, and a CSV cell that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) gets a
leading ``'``. JSON is left as the data is: it is for programs.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table as RichTable
from rich.text import Text

from kg.store.base import Stats, Table

err_console = Console(stderr=True)
#: What a terminal would act on rather than show: C0 and C1 controls but tab and newline,
#: DEL, and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: its control characters dropped."""
    return _CONTROL.sub("", text)


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs: text that starts like a formula gets a
    leading ``'`` (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def print_table(table: Table, fmt: OutputFormat, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if fmt is OutputFormat.json:
        json.dump(table.records(), out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt is OutputFormat.csv:
        writer = csv.writer(out)
        writer.writerow(map(csv_cell, table.columns))
        writer.writerows(map(csv_cell, row) for row in table.rows)
    else:
        # a cell is never cut: in a terminal a long one folds onto more lines; piped, the
        # table is as wide as its longest row, so every line holds whole values
        rich_table = RichTable(show_lines=False)
        for column in table.columns:
            rich_table.add_column(_cell(column), overflow="fold")
        cells = [[_cell(v) for v in row] for row in table.rows]
        for row in cells:
            # markup=False semantics: rich renders str cells as markup, so escape them
            rich_table.add_row(*row)
        console = Console(file=out, soft_wrap=False)
        if not console.is_terminal:
            console = Console(file=out, soft_wrap=False, width=_natural_width(table, cells))
        console.print(rich_table)
        console.print(f"{len(table.rows)} row(s)", style="dim")


def _natural_width(table: Table, cells: list[list[str]]) -> int:
    """The width at which no column of the table needs to fold: each column's longest
    value (markup escapes count once), plus borders and padding."""
    widths = [len(c) for c in table.columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    return sum(widths) + 3 * len(widths) + 1


def _cell(value: Any) -> str:
    return "" if value is None else escape(printable(str(value)))


def print_stats(stats: Stats, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(f"papers: {stats.papers}\n")
    out.write("entities: " + ", ".join(f"{k} {v}" for k, v in stats.entities.items()) + "\n")
    out.write("edges: " + ", ".join(f"{k} {v}" for k, v in stats.edges.items()) + "\n")


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f} papers/s" if task.speed else "", style="cyan")


@contextmanager
def progress_bar(description: str) -> Iterator[tuple[Any, Any]]:
    """(set_total, advance) callbacks driving a rich bar on stderr with rate and ETA."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
        disable=not err_console.is_terminal,
    )
    task = progress.add_task(description, total=None)
    with progress:
        yield (
            lambda total: progress.update(task, total=total),
            lambda n: progress.advance(task, n),
        )
