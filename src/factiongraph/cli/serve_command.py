"""``factiongraph serve``: the local web explorer (also what plain ``factiongraph`` runs)."""

from __future__ import annotations

import importlib
import importlib.util
import ipaddress
import os
import threading
import webbrowser
from typing import Annotated, Any

import typer

from factiongraph.cli.app import app, console, fail, set_default_command

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server on this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def open_store(db: str | None) -> tuple[Any, str]:
    """The store to serve and a description of it: ``--db``, ``$FACTIONGRAPH_DB``, or the
    bundled data set (an empty store if that is not installed)."""
    from factiongraph.kb import KnowledgeBase

    db = db or os.environ.get("FACTIONGRAPH_DB") or None
    if db:
        return KnowledgeBase.open(db), db
    if importlib.util.find_spec("factiongraph.bundled") is not None:
        bundled = importlib.import_module("factiongraph.bundled")
        return bundled.open_bundled(), "the bundled data set"
    return KnowledgeBase.open(":memory:"), "an empty in-memory store (no bundled data set)"


@app.command()
def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Store to explore: a SQLite file or database URL "
            "(default $FACTIONGRAPH_DB, else the bundled data set).",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; beyond loopback, writes need a token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the explorer in a web browser.")
    ] = True,
) -> None:
    """Explore the knowledge base in a web browser: the network on any date, each group's
    story, the evidence of every relation, and a review queue.

    Same as ``uvicorn.run(factiongraph.web.app.create_app(kb))`` in Python.
    """
    import uvicorn

    from factiongraph.web.app import create_app, new_token, prepare_to_serve

    try:
        kb, label = open_store(db)
    except Exception as exc:
        raise fail(f"cannot open the store {db or ''}: {exc}".replace("  ", " ")) from None
    local = is_loopback(host)
    token = None if local else new_token()
    hosts = {host, "127.0.0.1", "localhost", "::1"} if local else None
    application = create_app(kb, token=token, allowed_hosts=hosts)
    prepare_to_serve(application)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    console.print(f"factiongraph explorer on {address} — serving {label}", highlight=False)
    if token:
        console.print(
            f"Listening beyond this machine: changes need the token {token}\n"
            f"Open {address}?token={token} to use it from a browser.",
            highlight=False,
        )
    console.print("Press Ctrl+C to stop.", style="dim")
    if open_browser:
        target = address + (f"?token={token}" if token else "")
        threading.Timer(1.0, lambda: webbrowser.open(target)).start()
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        kb.close()


def _serve_default() -> None:
    serve(db=None, host="127.0.0.1", port=8765, open_browser=True)


set_default_command(_serve_default)
