"""The ``factiongraph`` command: a thin layer that parses arguments and calls the library."""

from factiongraph.cli.app import app, main

__all__ = ["app", "main"]
