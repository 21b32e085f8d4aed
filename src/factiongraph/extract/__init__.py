"""Extraction: from a document's text to entities and sourced, timed relation assertions.

The entry point is :class:`factiongraph.extract.pipeline.Extractor`; heavy dependencies
(spaCy and its model) load on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Extractor", "EXTRACTOR_NAME", "EXTRACTOR_VERSION"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from factiongraph.extract import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
