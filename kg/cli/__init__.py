"""The ``kg`` command line: a few lines per command over the library.

Errors kg raises on purpose become one line on stderr and an exit code (see kg.errors);
anything else is a bug and says so in one line (KG_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import os
import sys

import typer

from kg.cli import build, fuseki, graph, learn, neo4j, query  # noqa: F401  (register the commands, in order)
from kg.cli.common import app
from kg.cli.output import printable
from kg.errors import KgError, UsageError

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: KgError → one stderr line and its exit code."""
    try:
        for arg in sys.argv[1:]:
            # undecodable bytes arrive as lone surrogates, which no store can take
            if any("\udc80" <= ch <= "\udcff" for ch in arg):
                raise UsageError(
                    f"argument {arg!a} is not valid UTF-8; re-encode it or use a UTF-8 locale"
                )
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except KgError as error:
        print(printable(f"kg: error: {error}"), file=sys.stderr)  # it may quote the data
        sys.exit(error.exit_code)
    except typer.Abort:
        sys.exit(130)
    except Exception as error:
        import click

        # typer >= 0.29 vendors its own click: its usage errors are not click's classes
        usage_errors = (click.exceptions.ClickException, getattr(typer, "TyperException", ()))
        if isinstance(error, usage_errors) and hasattr(error, "show"):
            error.show()
            sys.exit(error.exit_code)
        if os.environ.get("KG_DEBUG"):
            raise
        print(
            f"kg: internal error: {type(error).__name__}: {error} "
            "(set KG_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        sys.exit(70)
