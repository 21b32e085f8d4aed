"""The tables of a knowledge base, as SQLAlchemy 2 ORM classes.

Documents keep every version they had; entities carry their aliases under a normalised key;
assertions keep their evidence, time, provenance and review status. Review decisions are
stored apart from the assertions they judge, keyed by a stable fact key, so that they survive
the replacement of machine assertions by a new extraction run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class DocumentRow(Base):
    """A document as a stable identity (its key), across versions."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    versions: Mapped[list[DocumentVersionRow]] = relationship(
        back_populates="document", order_by="DocumentVersionRow.version"
    )


class DocumentVersionRow(Base):
    """One version of a document: its text and metadata as read at one ingest."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str | None] = mapped_column(Text)  # None for citations shipped without text
    title: Mapped[str | None] = mapped_column(String(1000))
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    published: Mapped[str | None] = mapped_column(String(40))
    publisher: Mapped[str | None] = mapped_column(String(500))
    genre: Mapped[str | None] = mapped_column(String(200))
    source_path: Mapped[str | None] = mapped_column(String(2000))
    format: Mapped[str | None] = mapped_column(String(20))
    chars: Mapped[int] = mapped_column(Integer, default=0)
    extracted_by: Mapped[str | None] = mapped_column(String(100))
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    document: Mapped[DocumentRow] = relationship(back_populates="versions")


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    category: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    external_ids: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    aliases: Mapped[list[AliasRow]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="AliasRow.id"
    )
    parent: Mapped[EntityRow | None] = relationship(remote_side=[id])


class AliasRow(Base):
    """A name an entity goes by; ``key`` is its normalised form, used for look-ups."""

    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("entity_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500), index=True)

    entity: Mapped[EntityRow] = relationship(back_populates="aliases")


class AssertionRow(Base):
    __tablename__ = "assertions"
    __table_args__ = (
        Index("ix_assertions_subject_predicate", "subject_id", "predicate"),
        Index("ix_assertions_object_predicate", "object_id", "predicate"),
        Index("ix_assertions_valid", "valid_from", "valid_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fact_key: Mapped[str] = mapped_column(String(64), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    predicate: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    valid_time: Mapped[str | None] = mapped_column(String(100))
    valid_from: Mapped[str | None] = mapped_column(String(10))
    valid_to: Mapped[str | None] = mapped_column(String(10))
    fuzzy_from: Mapped[str | None] = mapped_column(String(10))
    fuzzy_to: Mapped[str | None] = mapped_column(String(10))
    time_text: Mapped[str | None] = mapped_column(String(500))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    modality: Mapped[str] = mapped_column(String(20), index=True)
    claimant: Mapped[str | None] = mapped_column(String(500))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    document_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE")
    )
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str | None] = mapped_column(Text)
    subject_mention: Mapped[str | None] = mapped_column(String(500))
    object_mention: Mapped[str | None] = mapped_column(String(500))
    origin: Mapped[str] = mapped_column(String(100))
    machine: Mapped[bool] = mapped_column(default=False, index=True)
    review_status: Mapped[str] = mapped_column(String(20), default="machine", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    subject: Mapped[EntityRow] = relationship(foreign_keys=[subject_id])
    object: Mapped[EntityRow] = relationship(foreign_keys=[object_id])
    place: Mapped[EntityRow | None] = relationship(foreign_keys=[place_id])
    document: Mapped[DocumentRow | None] = relationship()
    document_version: Mapped[DocumentVersionRow | None] = relationship()


class ReviewRow(Base):
    """An analyst's decision on a fact; re-applied whenever the fact is extracted again."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    fact_key: Mapped[str] = mapped_column(String(64), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # accepted | rejected | edited
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reviewer: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
