"""The Typer application, shared options and output helpers used by every command module."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from factiongraph import __version__
from factiongraph.errors import FactiongraphError

app = typer.Typer(
    help="Build sourced, timed maps of how armed groups relate, from the reports about them.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="FACTIONGRAPH_DB",
        help="Store: a SQLite file or a database URL (default ./factiongraph.db).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]Error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def open_kb(db: str | None) -> Iterator[Any]:
    """Open the store, turning library errors into one ``Error:`` line and exit status 1."""
    from factiongraph.kb import KnowledgeBase

    try:
        kb = KnowledgeBase.open(db)
    except Exception as exc:  # a store that cannot be opened is the user's to fix
        raise fail(f"cannot open the store {db or ''}: {exc}".replace("  ", " ")) from None
    try:
        yield kb
    except FactiongraphError as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:
        raise fail(str(exc)) from None
    finally:
        kb.close()


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> None:
    t = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    console.print(t)


def version_callback(value: bool) -> None:
    if value:
        console.print(f"factiongraph {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = None,
) -> None:
    """With no command, serve the explorer on the bundled default data set."""
    if ctx.invoked_subcommand is None:
        serve = _default_command
        if serve is None:
            console.print(ctx.get_help())
            raise typer.Exit()
        ctx.invoke(serve)


_default_command: Callable[..., Any] | None = None


def set_default_command(func: Callable[..., Any]) -> None:
    global _default_command
    _default_command = func


COMMAND_MODULES = ("kb_commands", "serve_command", "analysis_commands")


def main() -> None:
    import importlib
    import importlib.util

    for name in COMMAND_MODULES:  # each module registers its commands on ``app``
        if importlib.util.find_spec(f"factiongraph.cli.{name}") is not None:
            importlib.import_module(f"factiongraph.cli.{name}")
    app()
