"""The errors factiongraph raises, each saying what went wrong and what to do."""

from __future__ import annotations


class FactiongraphError(Exception):
    """Base class: the message is one line a user can act on."""


class NotFound(FactiongraphError):
    pass


class UnknownEntity(NotFound):
    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        hint = f" (did you mean: {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"no entity is known as {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions or []


class AmbiguousEntity(FactiongraphError):
    def __init__(self, name: str, candidates: list[str]) -> None:
        super().__init__(
            f"{name!r} names several entities: {'; '.join(candidates)} — use the full name"
        )
        self.name = name
        self.candidates = candidates


class InvalidQuery(FactiongraphError):
    pass


class IngestError(FactiongraphError):
    """A file could not be ingested; ``str()`` names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
