"""The README's command reference, generated from the CLI itself so it cannot drift."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main


def _walk(group: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    ctx = type(group).context_class(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        if hasattr(command, "list_commands"):
            yield from _walk(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def commands() -> list[tuple[str, Any]]:
    """(``kg build``, click command) for every command, sub-commands included."""
    from kg.cli import app

    return list(_walk(typer.main.get_command(app), "kg"))


def options(command: Any) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "option" and not p.hidden]


def example(command: Any) -> str | None:
    """The ``Example: kg …`` line of a command's help, if it has one."""
    for line in (command.help or "").splitlines():
        if line.strip().startswith("Example:"):
            return line.strip().removeprefix("Example:").strip()
    return None


def reference_markdown() -> str:
    """One entry per command: usage, summary, an example, and each option with its help."""
    out = []
    for path, command in commands():
        args = " ".join(p.name.upper() for p in command.params if p.param_type_name == "argument")
        out.append(f"#### `{path}{' ' + args if args else ''}`\n")
        out.append((command.help or "").strip().split("\n\n")[0].replace("\n", " ") + "\n")
        if example(command):
            out.append(f"Example: `{example(command)}`\n")
        for param in options(command):
            names = ", ".join(f"`{o}`" for o in param.opts)
            out.append(f"- {names}: {param.help}")
        out.append("")
    return "\n".join(out).strip() + "\n"
