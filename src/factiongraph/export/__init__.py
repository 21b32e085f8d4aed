"""Exports of a knowledge base, one module a format, each with a ``write_*`` function."""

FORMATS = ("facts", "csv", "graphml", "gexf", "stix")
