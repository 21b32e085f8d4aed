"""What an extractor returns for one document, before it is stored."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from factiongraph.models import EntityKind, Modality, Predicate


class EntityRecord(BaseModel):
    """An entity seen in a document, named by its canonical name."""

    name: str
    kind: EntityKind
    category: str | None = None  # OrgCategory value for organizations
    aliases: list[str] = Field(default_factory=list)
    parent: str | None = None  # canonical name of the parent organization
    note: str | None = None
    external_ids: dict[str, str] = Field(default_factory=dict)  # e.g. {"gazetteer": "iskp"}


class AssertionRecord(BaseModel):
    """One relation stated in a document, with its evidence span."""

    subject: str  # canonical name of an EntityRecord
    predicate: Predicate
    object: str
    subject_mention: str | None = None
    object_mention: str | None = None
    valid_time: str | None = None  # EDTF
    time_text: str | None = None
    place: str | None = None  # canonical name of a place EntityRecord
    attributes: dict[str, Any] = Field(default_factory=dict)
    modality: Modality = Modality.ASSERTED
    claimant: str | None = None
    confidence: float = 0.5
    start: int  # character offsets into the document text
    end: int
    quote: str


class Extraction(BaseModel):
    """Everything one extractor run found in one document."""

    extractor: str
    version: str
    entities: list[EntityRecord] = Field(default_factory=list)
    assertions: list[AssertionRecord] = Field(default_factory=list)
