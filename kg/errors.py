"""One root exception; the CLI turns each subclass into one stderr line and its exit code.

Exit codes (also in the README):
  2  bad input or usage (unreadable file, malformed record, unknown name, wrong arguments)
  3  store or output unavailable (Neo4j unreachable, wrong credentials, store locked by
     another build, disk full, an output file that cannot be written)
  4  query failed (syntax error in raw SPARQL/Cypher)
"""

from __future__ import annotations


class KgError(Exception):
    """Root of every error kg raises on purpose."""

    exit_code = 1
    code = "KG000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(KgError):
    """The input cannot be read as papers: say which file and line, and how to fix it."""

    exit_code = 2
    code = "KG100"


class UsageError(KgError):
    """Unknown plug-in name, wrong query arguments, invalid pipeline file."""

    exit_code = 2
    code = "KG200"


class StoreError(KgError):
    """The store cannot be opened or written: unreachable server, lock held, bad credentials."""

    exit_code = 3
    code = "KG300"


class OutputError(KgError):
    """A file kg writes cannot be written (disk full, no permission, read-only disk): the
    previous file, if any, is left as it was."""

    exit_code = 3
    code = "KG310"


class QueryError(KgError):
    """A query the user wrote was rejected by the engine."""

    exit_code = 4
    code = "KG400"
