"""Validated data models shared by the store, the extractors, the API and the exports."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Predicate(StrEnum):
    COOPERATES_WITH = "cooperates_with"
    CEASEFIRE_WITH = "ceasefire_with"
    NEGOTIATES_WITH = "negotiates_with"
    FIGHTS = "fights"
    RIVAL_OF = "rival_of"
    CRITICIZES = "criticizes"
    DEFECTED_TO = "defected_to"
    PLEDGED_ALLEGIANCE_TO = "pledged_allegiance_to"
    PART_OF = "part_of"
    SPLIT_FROM = "split_from"
    SUPPORTS = "supports"
    MEDIATES = "mediates"
    LEADS = "leads"
    MEMBER_OF = "member_of"
    KILLED_BY = "killed_by"
    OPERATES_IN = "operates_in"


SYMMETRIC: frozenset[Predicate] = frozenset(
    {
        Predicate.COOPERATES_WITH,
        Predicate.CEASEFIRE_WITH,
        Predicate.NEGOTIATES_WITH,
        Predicate.FIGHTS,
        Predicate.RIVAL_OF,
    }
)

# The kind of relation each predicate expresses, used for colours, signs and lenient matching.
PREDICATE_KIND: dict[Predicate, str] = {
    Predicate.COOPERATES_WITH: "cooperation",
    Predicate.SUPPORTS: "cooperation",
    Predicate.CEASEFIRE_WITH: "ceasefire",
    Predicate.NEGOTIATES_WITH: "negotiation",
    Predicate.MEDIATES: "negotiation",
    Predicate.RIVAL_OF: "rivalry",
    Predicate.CRITICIZES: "criticism",
    Predicate.FIGHTS: "fighting",
    Predicate.DEFECTED_TO: "defection",
    Predicate.PLEDGED_ALLEGIANCE_TO: "allegiance",
    Predicate.PART_OF: "structure",
    Predicate.SPLIT_FROM: "split",
    Predicate.LEADS: "membership",
    Predicate.MEMBER_OF: "membership",
    Predicate.KILLED_BY: "fighting",
    Predicate.OPERATES_IN: "place",
}

# Sign of a relation in the signed graph: +1 friendly, -1 hostile.
PREDICATE_SIGN: dict[Predicate, int] = {
    Predicate.COOPERATES_WITH: 1,
    Predicate.CEASEFIRE_WITH: 1,
    Predicate.SUPPORTS: 1,
    Predicate.RIVAL_OF: -1,
    Predicate.CRITICIZES: -1,
    Predicate.FIGHTS: -1,
}


class Modality(StrEnum):
    ASSERTED = "asserted"
    REPORTED = "reported"
    ALLEGED = "alleged"
    DENIED = "denied"


class ReviewStatus(StrEnum):
    MACHINE = "machine"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EDITED = "edited"


class EntityKind(StrEnum):
    ORGANIZATION = "organization"
    PERSON = "person"
    PLACE = "place"


class OrgCategory(StrEnum):
    ARMED_GROUP = "armed_group"
    FACTION = "faction"
    SHURA = "shura"
    PARTY = "party"
    STATE = "state"
    STATE_AGENCY = "state_agency"
    INTERNATIONAL_BODY = "international_body"


class EntityIn(BaseModel):
    """An entity to add or merge into the knowledge base."""

    name: str = Field(min_length=1)
    kind: EntityKind = EntityKind.ORGANIZATION
    category: OrgCategory | None = None
    aliases: list[str] = Field(default_factory=list)
    parent: str | None = None  # name or alias of the parent organization
    note: str | None = None
    external_ids: dict[str, str] = Field(default_factory=dict)


class EvidenceIn(BaseModel):
    """Where an assertion is stated: a document version, a character span and the quote."""

    document_version_id: int | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None


class AssertionIn(BaseModel):
    """An assertion to store: who relates to whom, how, when, where, according to whom."""

    subject: str = Field(min_length=1)
    predicate: Predicate
    object: str = Field(min_length=1)
    valid_time: str | None = None  # EDTF date or interval, e.g. "2017-22", "2015~/2016"
    time_text: str | None = None
    place: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    modality: Modality = Modality.ASSERTED
    claimant: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    evidence: EvidenceIn = Field(default_factory=EvidenceIn)
    subject_mention: str | None = None
    object_mention: str | None = None
    origin: str = "analyst"

    @field_validator("valid_time")
    @classmethod
    def _valid_edtf(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        from factiongraph.timeutil import edtf_bounds

        edtf_bounds(v)  # raises ValueError on a malformed value
        return v


class Entity(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: EntityKind
    category: str | None = None
    parent_id: int | None = None
    parent: str | None = None
    note: str | None = None
    aliases: list[str] = Field(default_factory=list)
    external_ids: dict[str, str] = Field(default_factory=dict)


class Document(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int  # the document version id
    key: str
    version: int
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = None
    publisher: str | None = None
    source_path: str | None = None
    content_hash: str
    format: str | None = None
    chars: int = 0


class Assertion(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject_id: int
    subject: str
    predicate: Predicate
    object_id: int
    object: str
    valid_time: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    time_text: str | None = None
    place: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    modality: Modality
    claimant: str | None = None
    confidence: float = 1.0
    document_version_id: int | None = None
    document_key: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    quote: str | None = None
    subject_mention: str | None = None
    object_mention: str | None = None
    origin: str
    review_status: ReviewStatus
    fact_key: str
