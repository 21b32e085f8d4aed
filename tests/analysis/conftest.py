"""Small knowledge bases written by the tests, one assertion a call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from factiongraph.analysis.snapshot import Snapshot, snapshot
from factiongraph.kb import KnowledgeBase
from factiongraph.models import AssertionIn, EntityIn, EvidenceIn


class Builder:
    """Adds documents, entities and assertions to a test's knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.docs: set[str] = set()

    def doc(self, key: str, title: str | None = None) -> str:
        if key not in self.docs:
            self.kb.add_document(f"Text of {key}.", key=key, title=title or f"Report {key}")
            self.docs.add(key)
        return key

    def entity(
        self, name: str, *, parent: str | None = None, aliases: list[str] | None = None
    ) -> None:
        self.kb.add_entity(EntityIn(name=name, parent=parent, aliases=aliases or []))

    def say(
        self,
        subject: str,
        predicate: str,
        obj: str,
        when: str | None = None,
        *,
        doc: str | None = "d1",
        modality: str = "asserted",
        claimant: str | None = None,
        quote: str | None = None,
        **attributes: Any,
    ) -> int:
        if doc is not None:
            self.doc(doc)
        a = self.kb.add_assertion(
            AssertionIn(
                subject=subject,
                predicate=predicate,
                object=obj,
                valid_time=when,
                modality=modality,
                claimant=claimant,
                attributes=attributes,
                evidence=EvidenceIn(quote=quote or f"{subject} {predicate} {obj}"),
            ),
            document=doc,
        )
        return a.id

    def snapshot(self) -> Snapshot:
        return snapshot(self.kb)


@pytest.fixture
def build(kb: KnowledgeBase) -> Builder:
    return Builder(kb)


@pytest.fixture
def frame_of(build: Builder) -> Callable[[], Any]:
    return lambda: build.snapshot().assertions
