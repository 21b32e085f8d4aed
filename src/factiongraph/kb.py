"""The knowledge base: the one Python API that the CLI, the web explorer and the tests use.

>>> kb = KnowledgeBase.open(":memory:")
>>> _ = kb.add_entity(EntityIn(name="Islamic State Khorasan Province", aliases=["ISIS-K"]))
>>> kb.find_entity("isis k").name
'Islamic State Khorasan Province'
>>> kb.close()
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, insert, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from factiongraph.errors import AmbiguousEntity, InvalidQuery, NotFound, UnknownEntity
from factiongraph.models import (
    SYMMETRIC,
    Assertion,
    AssertionIn,
    Document,
    Entity,
    EntityIn,
    EntityKind,
    Modality,
    Predicate,
    ReviewStatus,
)
from factiongraph.names import name_key
from factiongraph.store.database import make_engine, migrate, resolve_url, session_factory
from factiongraph.store.schema import (
    AliasRow,
    AssertionRow,
    DocumentRow,
    DocumentVersionRow,
    EntityRow,
    ReviewRow,
)
from factiongraph.timeutil import edtf_bounds, parse_day

EDITABLE_FIELDS = ("predicate", "subject", "object", "valid_time", "modality", "place", "claimant")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fact_key(document_key: str | None, subject: str, predicate: str, obj: str, quote: str) -> str:
    """A stable identity for a fact, the same whichever run or version extracts it.

    Symmetric predicates get one key for either order of their two entities.
    """
    s, o = name_key(subject), name_key(obj)
    if predicate in SYMMETRIC and o < s:
        s, o = o, s
    parts = [document_key or "", s, predicate, o, " ".join(name_key(quote or "").split())]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


class _EntityIndex:
    """Entity ids by alias key and by gazetteer id, for one bulk write.

    Storing an extraction resolves hundreds of names; asking the database for each one
    (and flushing before each question) costs more than the extraction itself.
    """

    def __init__(
        self,
        s: Session,
        keys: Iterable[str] | None = None,
        gazetteer_ids: Iterable[str] = (),
    ) -> None:
        """Index every entity, or with ``keys`` only those a write can touch: the entities
        known by one of these name keys or gazetteer ids (with all their aliases)."""
        self.by_key: dict[str, list[int]] = {}
        self.keys: dict[int, set[str]] = {}
        self.by_gid: dict[tuple[str, str], int] = {}
        aliases = select(AliasRow.entity_id, AliasRow.key)
        entities = select(EntityRow)
        if keys is not None:
            ids = set(s.scalars(select(AliasRow.entity_id).where(AliasRow.key.in_(set(keys)))))
            gids = sorted(set(gazetteer_ids))
            if gids:
                gid = EntityRow.external_ids["gazetteer"].as_string()
                ids.update(s.scalars(select(EntityRow.id).where(gid.in_(gids))))
            aliases = aliases.where(AliasRow.entity_id.in_(ids))
            entities = entities.where(EntityRow.id.in_(ids))
        for eid, key in s.execute(aliases).all():
            self.by_key.setdefault(key, []).append(eid)
            self.keys.setdefault(eid, set()).add(key)
        self.rows: dict[int, EntityRow] = {}  # one query; also keeps them in the identity map
        for row in s.scalars(entities).all():
            self.add_entity(row)

    def add_entity(self, row: EntityRow) -> None:
        self.rows[row.id] = row
        self.keys.setdefault(row.id, set())
        gid = (row.external_ids or {}).get("gazetteer")
        if gid:
            self.by_gid[(row.kind, gid)] = row.id

    def add_key(self, entity_id: int, key: str) -> None:
        self.keys.setdefault(entity_id, set()).add(key)
        ids = self.by_key.setdefault(key, [])
        if entity_id not in ids:
            ids.append(entity_id)

    def ids(self, key: str, kind: EntityKind | None) -> list[int]:
        found = sorted(self.by_key.get(key, []))
        return [i for i in found if kind is None or self.rows[i].kind == kind.value]


@dataclass
class DocumentStatus:
    """What storing a document did: ``new``, ``new_version`` or ``unchanged``."""

    document: Document
    status: str


class KnowledgeBase:
    """A store of documents, entities and sourced, timed assertions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        migrate(self.engine)
        self._sessions = session_factory(self.engine)

    # -- life cycle -------------------------------------------------------------------------

    @classmethod
    def open(cls, target: str | None = None) -> KnowledgeBase:
        """Open (creating and migrating if needed) the store at a path or URL.

        With no target, ``$FACTIONGRAPH_DB`` or ``./factiongraph.db`` is used.
        """
        return cls(resolve_url(target))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def _writing(self, session: Session | None) -> Iterator[Session]:
        """The caller's session, or a new one committed on success and rolled back on error."""
        if session is not None:
            yield session
            return
        s = self.session()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    # -- documents --------------------------------------------------------------------------

    def add_document(
        self,
        text: str | None,
        *,
        key: str,
        title: str | None = None,
        authors: Sequence[str] = (),
        published: str | None = None,
        publisher: str | None = None,
        genre: str | None = None,
        source_path: str | None = None,
        format: str | None = None,
        digest: str | None = None,
        session: Session | None = None,
    ) -> DocumentStatus:
        """Store a document version unless the same content is already its latest version.

        ``digest`` lets a citation be stored without its text (the bundled data set does this).
        Pass ``session`` to make the write part of a larger transaction.
        """
        digest = digest or content_hash(text or "")
        with self._writing(session) as s:
            doc = s.scalar(select(DocumentRow).where(DocumentRow.key == key))
            if doc is None:
                doc = DocumentRow(key=key)
                s.add(doc)
                s.flush()
                number, status = 1, "new"
            else:
                latest = s.scalar(
                    select(DocumentVersionRow)
                    .where(DocumentVersionRow.document_id == doc.id)
                    .order_by(DocumentVersionRow.version.desc())
                    .limit(1)
                )
                if latest is not None and latest.content_hash == digest:
                    if latest.text is None and text is not None:
                        self._attach_text(s, latest, text)
                    return DocumentStatus(self._document(latest), "unchanged")
                number, status = (latest.version + 1 if latest else 1), "new_version"
            version = DocumentVersionRow(
                document_id=doc.id,
                version=number,
                content_hash=digest,
                text=text,
                title=title,
                authors=list(authors),
                published=published,
                publisher=publisher,
                genre=genre,
                source_path=source_path,
                format=format,
                chars=len(text or ""),
            )
            s.add(version)
            s.flush()
            version.document = doc
            result = DocumentStatus(self._document(version), status)
            return result

    @staticmethod
    def _attach_text(s: Session, version: DocumentVersionRow, text: str) -> None:
        """Give a citation-only version its text, and its assertions their quotes."""
        version.text = text
        version.chars = len(text)
        rows = s.scalars(
            select(AssertionRow).where(
                AssertionRow.document_version_id == version.id, AssertionRow.quote.is_(None)
            )
        ).all()
        for r in rows:
            if r.span_start is not None and r.span_end is not None:
                r.quote = text[r.span_start : r.span_end]

    @staticmethod
    def _document(row: DocumentVersionRow) -> Document:
        return Document(
            id=row.id,
            key=row.document.key,
            version=row.version,
            title=row.title,
            authors=list(row.authors or []),
            published=row.published,
            publisher=row.publisher,
            source_path=row.source_path,
            content_hash=row.content_hash,
            format=row.format,
            chars=row.chars or 0,
        )

    def documents(self, *, all_versions: bool = False) -> list[Document]:
        """Documents in key order: the latest version of each, or every version."""
        with self.session() as s:
            rows = s.scalars(
                select(DocumentVersionRow)
                .options(joinedload(DocumentVersionRow.document))
                .join(DocumentRow)
                .order_by(DocumentRow.key, DocumentVersionRow.version)
            ).all()
        if all_versions:
            return [self._document(r) for r in rows]
        latest: dict[str, DocumentVersionRow] = {}
        for r in rows:
            latest[r.document.key] = r
        return [self._document(r) for r in latest.values()]

    def document(self, ref: int | str) -> Document:
        """A document version by id, or the latest version of a document by key."""
        with self.session() as s:
            row = self._version_row(s, ref)
            return self._document(row)

    def document_text(self, ref: int | str) -> str | None:
        with self.session() as s:
            return self._version_row(s, ref).text

    def _version_row(self, s: Session, ref: int | str) -> DocumentVersionRow:
        q = select(DocumentVersionRow).options(joinedload(DocumentVersionRow.document))
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            row = s.scalar(q.where(DocumentVersionRow.id == int(ref)))
        else:
            row = s.scalar(
                q.join(DocumentRow)
                .where(DocumentRow.key == ref)
                .order_by(DocumentVersionRow.version.desc())
                .limit(1)
            )
        if row is None:
            raise NotFound(f"no document {ref!r}")
        return row

    # -- entities ---------------------------------------------------------------------------

    def add_entity(self, entity: EntityIn, *, session: Session | None = None) -> Entity:
        """Add an entity, or merge it into the one of the same kind already known by its name.

        Aliases, note, category, parent and external ids are merged; nothing is removed.
        """
        with self._writing(session) as s:
            return self._entity(self._upsert_entity(s, entity))

    def _upsert_entity(
        self, s: Session, entity: EntityIn, index: _EntityIndex | None = None
    ) -> EntityRow:
        row = self._match_entity(s, entity, index)
        if row is None:
            row = EntityRow(
                name=entity.name,
                kind=entity.kind.value,
                category=entity.category.value if entity.category else None,
                note=entity.note,
                external_ids=dict(entity.external_ids),
            )
            s.add(row)
            s.flush()
            if index is not None:
                index.add_entity(row)
        else:
            if entity.category and not row.category:
                row.category = entity.category.value
            if entity.note and not row.note:
                row.note = entity.note
            if entity.external_ids and any(
                (row.external_ids or {}).get(k) != v for k, v in entity.external_ids.items()
            ):
                row.external_ids = {**(row.external_ids or {}), **entity.external_ids}
        known = index.keys.get(row.id, set()) if index else {a.key for a in row.aliases}
        for alias in [entity.name, *entity.aliases]:
            k = name_key(alias)
            if k and k not in known:
                if index is not None:
                    s.add(AliasRow(entity_id=row.id, alias=alias, key=k))
                    index.add_key(row.id, k)
                else:
                    row.aliases.append(AliasRow(alias=alias, key=k))
                    known.add(k)
        if entity.parent and row.parent_id is None:
            parent = self._resolve(
                s, entity.parent, kind=EntityKind.ORGANIZATION, create=True, index=index
            )
            if parent.id != row.id:
                row.parent_id = parent.id
        if index is None:
            s.flush()
        return row

    def _match_entity(
        self, s: Session, entity: EntityIn, index: _EntityIndex | None = None
    ) -> EntityRow | None:
        gid = entity.external_ids.get("gazetteer")
        if gid and index is not None:
            eid = index.by_gid.get((entity.kind.value, gid))
            if eid is not None:
                return index.rows[eid]
        elif gid:
            for row in s.scalars(
                select(EntityRow).where(EntityRow.kind == entity.kind.value)
            ).all():
                if (row.external_ids or {}).get("gazetteer") == gid:
                    return row
        rows = self._rows_by_key(s, name_key(entity.name), kind=entity.kind, index=index)
        if not rows:
            return None
        exact = [r for r in rows if name_key(r.name) == name_key(entity.name)]
        if len(exact) == 1:
            return exact[0]
        return rows[0] if len(rows) == 1 else None

    def _rows_by_key(
        self,
        s: Session,
        key: str,
        kind: EntityKind | None = None,
        index: _EntityIndex | None = None,
    ) -> list[EntityRow]:
        if index is not None:
            return [index.rows[i] for i in index.ids(key, kind)]
        q = (
            select(EntityRow)
            .join(AliasRow, AliasRow.entity_id == EntityRow.id)
            .where(AliasRow.key == key)
            .options(selectinload(EntityRow.aliases))
            .distinct()
            .order_by(EntityRow.id)
        )
        if kind is not None:
            q = q.where(EntityRow.kind == kind.value)
        return list(s.scalars(q).all())

    def _resolve(
        self,
        s: Session,
        name: str,
        *,
        kind: EntityKind | None = None,
        prefer: EntityKind | None = None,
        create: bool = False,
        index: _EntityIndex | None = None,
    ) -> EntityRow:
        """Find an entity by id, name or alias.

        ``kind`` restricts the search; ``prefer`` only breaks ties between entities of
        different kinds that share a name (the state and the country "Pakistan").
        """
        if name.isdigit():
            row = s.get(EntityRow, int(name))
            if row is not None:
                return row
        key = name_key(name)
        rows = self._rows_by_key(s, key, kind, index)
        if len(rows) > 1:
            exact = [r for r in rows if name_key(r.name) == key] or rows
            if prefer is not None and len(exact) > 1:
                exact = [r for r in exact if r.kind == prefer.value] or exact
            if len(exact) == 1:
                return exact[0]
            raise AmbiguousEntity(name, [f"{r.name} ({r.kind}, id {r.id})" for r in rows])
        if rows:
            return rows[0]
        if create:
            new_kind = kind or prefer or EntityKind.ORGANIZATION
            return self._upsert_entity(s, EntityIn(name=name, kind=new_kind), index)
        raise UnknownEntity(name, [e.name for e in self._search(s, name, limit=3)])

    def find_entity(self, name: str, *, kind: EntityKind | None = None) -> Entity:
        """The entity known by this name or alias (case, accents, hyphens and punctuation
        do not matter). Raises ``UnknownEntity`` or ``AmbiguousEntity``."""
        with self.session() as s:
            return self._entity(self._resolve(s, name, kind=kind))

    def get_entity(self, entity_id: int) -> Entity:
        with self.session() as s:
            row = s.get(EntityRow, entity_id)
            if row is None:
                raise NotFound(f"no entity with id {entity_id}")
            return self._entity(row)

    def entities(self, *, kind: EntityKind | None = None) -> list[Entity]:
        with self.session() as s:
            q = select(EntityRow).options(selectinload(EntityRow.aliases)).order_by(EntityRow.name)
            if kind is not None:
                q = q.where(EntityRow.kind == kind.value)
            rows = s.scalars(q).all()
            names = {r.id: r.name for r in rows}
            return [self._entity(r, names) for r in rows]

    def search_entities(
        self, text: str, *, kind: EntityKind | None = None, limit: int = 20
    ) -> list[Entity]:
        """Entities whose name or an alias starts with, then contains, the text."""
        with self.session() as s:
            return [self._entity(r) for r in self._search(s, text, kind=kind, limit=limit)]

    def _search(
        self, s: Session, text: str, *, kind: EntityKind | None = None, limit: int = 20
    ) -> list[EntityRow]:
        key = name_key(text)
        if not key:
            return []
        pattern = "%" + key.replace("%", "").replace("_", "") + "%"
        q = (
            select(EntityRow, AliasRow.key)
            .join(AliasRow, AliasRow.entity_id == EntityRow.id)
            .where(AliasRow.key.like(pattern))
        )
        if kind is not None:
            q = q.where(EntityRow.kind == kind.value)
        ranked: dict[int, tuple[int, str, EntityRow]] = {}
        for row, alias_key in s.execute(q.limit(2000)).all():
            rank = 0 if alias_key == key else 1 if alias_key.startswith(key) else 2
            prev = ranked.get(row.id)
            if prev is None or rank < prev[0]:
                ranked[row.id] = (rank, row.name.casefold(), row)
        return [r for _, _, r in sorted(ranked.values(), key=lambda t: t[:2])][:limit]

    def factions(self, ref: str | int, *, recursive: bool = True) -> list[Entity]:
        """The factions, branches and shuras whose parent is this entity."""
        with self.session() as s:
            root = self._resolve(s, str(ref))
            return [
                self._entity(s.get(EntityRow, i)) for i in self._descendants(s, root.id, recursive)
            ]

    @staticmethod
    def descendants(s: Session, entity_id: int, recursive: bool = True) -> list[int]:
        """Ids of the factions of an entity (all generations unless ``recursive=False``)."""
        return KnowledgeBase._descendants(s, entity_id, recursive)

    @staticmethod
    def _descendants(s: Session, entity_id: int, recursive: bool = True) -> list[int]:
        found: list[int] = []
        frontier = [entity_id]
        while frontier:
            children = list(
                s.scalars(select(EntityRow.id).where(EntityRow.parent_id.in_(frontier))).all()
            )
            children = [c for c in children if c not in found and c != entity_id]
            found.extend(children)
            frontier = children if recursive else []
        return found

    def _entity(self, row: EntityRow, names: dict[int, str] | None = None) -> Entity:
        parent_name = None
        if row.parent_id is not None:
            parent_name = names.get(row.parent_id) if names else None
            if parent_name is None and row.parent is not None:
                parent_name = row.parent.name
        return Entity(
            id=row.id,
            name=row.name,
            kind=EntityKind(row.kind),
            category=row.category,
            parent_id=row.parent_id,
            parent=parent_name,
            note=row.note,
            aliases=[a.alias for a in row.aliases if a.alias != row.name],
            external_ids=dict(row.external_ids or {}),
        )

    # -- assertions -------------------------------------------------------------------------

    def add_assertion(
        self,
        assertion: AssertionIn,
        *,
        document: int | str | None = None,
        create_entities: bool = True,
        session: Session | None = None,
    ) -> Assertion:
        """Store one assertion (an analyst's, unless ``origin`` says otherwise).

        ``document`` (version id or key) fills in the evidence's document when not given.
        Subject, object and place are found by name or alias, and created when unknown.
        """
        with self._writing(session) as s:
            row = self._insert_assertion(s, assertion, document, create_entities)
            return self._assertion(s, row)

    def _insert_assertion(
        self, s: Session, a: AssertionIn, document: int | str | None, create: bool, **options: Any
    ) -> AssertionRow:
        """Add one assertion row (``options`` as for :meth:`_assertion_values`)."""
        row = AssertionRow(**self._assertion_values(s, a, document, create, **options))
        s.add(row)
        if options.get("index") is None:
            s.flush()
        return row

    def _assertion_values(
        self,
        s: Session,
        a: AssertionIn,
        document: int | str | None,
        create: bool,
        *,
        machine: bool = False,
        key: str | None = None,
        status: str | None = None,
        index: _EntityIndex | None = None,
        versions: dict[int | str, DocumentVersionRow] | None = None,
    ) -> dict[str, Any]:
        """The column values of an assertion row, its entities found (or created)."""
        subject = self._resolve(
            s, a.subject, prefer=_subject_kind(a.predicate), create=create, index=index
        )
        obj = self._resolve(
            s, a.object, prefer=_object_kind(a.predicate), create=create, index=index
        )
        place = (
            self._resolve(s, a.place, prefer=EntityKind.PLACE, create=create, index=index)
            if a.place
            else None
        )
        version: DocumentVersionRow | None = None
        ref = a.evidence.document_version_id or document
        if ref is not None:
            version = versions.get(ref) if versions is not None else None
            if version is None:
                version = self._version_row(s, ref)
                if versions is not None:
                    versions[ref] = version
        doc_key = version.document.key if version else None
        quote = a.evidence.quote
        if quote is None and version is not None and version.text and a.evidence.start is not None:
            quote = version.text[a.evidence.start : a.evidence.end]
        if key is None and machine:
            key = fact_key(doc_key, subject.name, a.predicate.value, obj.name, quote or "")
        elif key is None:
            key = hashlib.sha1(uuid.uuid4().bytes).hexdigest()
        if status is None:
            status = ReviewStatus.MACHINE.value if machine else ReviewStatus.ACCEPTED.value
        return dict(
            fact_key=key,
            subject_id=subject.id,
            predicate=a.predicate.value,
            object_id=obj.id,
            time_text=a.time_text,
            place_id=place.id if place else None,
            attributes=dict(a.attributes),
            modality=a.modality.value,
            claimant=a.claimant,
            confidence=a.confidence,
            document_id=version.document_id if version else None,
            document_version_id=version.id if version else None,
            span_start=a.evidence.start,
            span_end=a.evidence.end,
            quote=quote,
            subject_mention=a.subject_mention,
            object_mention=a.object_mention,
            origin=a.origin,
            machine=machine,
            review_status=status,
            **_time_values(a.valid_time),
        )

    def replace_machine_assertions(
        self,
        document: int | str,
        assertions: Iterable[AssertionIn],
        entities: Iterable[EntityIn] = (),
        *,
        session: Session | None = None,
    ) -> int:
        """Swap a document's machine-made assertions for a new extraction's.

        Analysts' own assertions stay. Every review decision whose fact is extracted again
        is applied to the new assertion. Returns the number of assertions stored.
        """
        with self._writing(session) as s:
            version = self._version_row(s, document)
            s.execute(
                delete(AssertionRow).where(
                    AssertionRow.document_id == version.document_id,
                    AssertionRow.machine.is_(True),
                )
            )
            entities, assertions = list(entities), list(assertions)
            names = [n for e in entities for n in (e.name, *e.aliases, e.parent or "")]
            names += [n for a in assertions for n in (a.subject, a.object, a.place or "")]
            index = _EntityIndex(
                s,
                keys={name_key(n) for n in names if n},
                gazetteer_ids=[
                    e.external_ids["gazetteer"] for e in entities if "gazetteer" in e.external_ids
                ],
            )
            versions: dict[int | str, DocumentVersionRow] = {version.id: version}
            with s.no_autoflush:
                for e in entities:
                    self._upsert_entity(s, e, index)
                rows = [
                    self._assertion_values(
                        s, a, version.id, True, machine=True, index=index, versions=versions
                    )
                    for a in assertions
                ]
            s.flush()
            if rows:  # one multi-row insert: rows as objects cost more than the extraction
                s.execute(insert(AssertionRow), rows)
            self._apply_reviews(s, version.document_id)
            return len(rows)

    def restore_assertion(
        self,
        s: Session,
        assertion: AssertionIn,
        *,
        document: int | str | None,
        key: str,
        machine: bool,
        status: ReviewStatus,
        index: _EntityIndex | None = None,
    ) -> AssertionRow:
        """Re-create an exported assertion with its own fact key and review status.

        Used when loading a data set saved by another knowledge base.
        """
        return self._insert_assertion(
            s,
            assertion,
            document,
            True,
            machine=machine,
            key=key,
            status=status.value,
            index=index,
        )

    def bulk_index(self, s: Session) -> _EntityIndex:
        """An in-memory entity index for many writes in one session (see ``load_dataset``)."""
        return _EntityIndex(s)

    def merge_entity(self, s: Session, entity: EntityIn, index: _EntityIndex) -> None:
        """``add_entity`` inside a bulk write that uses ``bulk_index``."""
        self._upsert_entity(s, entity, index)

    def record_decision(
        self,
        s: Session,
        key: str,
        decision: ReviewStatus,
        changes: dict[str, Any] | None = None,
        *,
        reviewer: str | None = None,
        note: str | None = None,
    ) -> None:
        """Store a review decision for a fact key without touching any assertion."""
        s.add(
            ReviewRow(
                fact_key=key,
                decision=decision.value,
                changes=dict(changes or {}),
                reviewer=reviewer,
                note=note,
            )
        )

    def _apply_reviews(self, s: Session, document_id: int) -> None:
        reviewed = select(ReviewRow.fact_key)
        rows = s.scalars(
            select(AssertionRow).where(
                AssertionRow.document_id == document_id,
                AssertionRow.machine.is_(True),
                AssertionRow.fact_key.in_(reviewed),
            )
        ).all()
        by_key: dict[str, list[AssertionRow]] = {}
        for r in rows:
            by_key.setdefault(r.fact_key, []).append(r)
        if not by_key:
            return
        reviews = s.scalars(
            select(ReviewRow)
            .where(ReviewRow.fact_key.in_(list(by_key)))
            .order_by(ReviewRow.decided_at, ReviewRow.id)
        ).all()
        for review in reviews:
            for r in by_key.get(review.fact_key, []):
                self._apply_decision(s, r, review.decision, review.changes or {})

    def _apply_decision(
        self, s: Session, row: AssertionRow, decision: str, changes: dict[str, Any]
    ) -> None:
        if decision == ReviewStatus.EDITED.value:
            for field, value in changes.items():
                if field == "predicate":
                    row.predicate = Predicate(value).value
                elif field in ("subject", "object"):
                    target = self._resolve(
                        s, str(value), prefer=EntityKind.ORGANIZATION, create=True
                    )
                    setattr(row, f"{field}_id", target.id)
                elif field == "swap" and value:
                    row.subject_id, row.object_id = row.object_id, row.subject_id
                elif field == "valid_time":
                    _set_time(row, value or None)
                elif field == "modality":
                    row.modality = Modality(value).value
                elif field == "place":
                    place = self._resolve(s, value, prefer=EntityKind.PLACE, create=True)
                    row.place_id = place.id if value else None
                elif field == "claimant":
                    row.claimant = value or None
        row.review_status = decision

    def review(
        self,
        assertion_id: int,
        decision: ReviewStatus | str,
        *,
        changes: dict[str, Any] | None = None,
        reviewer: str | None = None,
        note: str | None = None,
    ) -> Assertion:
        """Accept, reject or edit an assertion; the decision outlives re-extraction.

        ``changes`` (for ``edited``) may set predicate, subject, object, swap (reverse the
        direction), valid_time (EDTF), modality, place and claimant.
        """
        decision = ReviewStatus(decision)
        if decision == ReviewStatus.MACHINE:
            raise InvalidQuery("a review decision is accepted, rejected or edited")
        changes = dict(changes or {})
        unknown = set(changes) - set(EDITABLE_FIELDS) - {"swap"}
        if unknown:
            raise InvalidQuery(
                f"cannot edit {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE_FIELDS)}"
            )
        if decision == ReviewStatus.EDITED and not changes:
            raise InvalidQuery("an edit needs at least one change")
        if "valid_time" in changes and changes["valid_time"]:
            edtf_bounds(str(changes["valid_time"]))
        if "predicate" in changes:
            try:
                Predicate(changes["predicate"])
            except ValueError as exc:
                raise InvalidQuery(f"unknown predicate {changes['predicate']!r}") from exc
        if "modality" in changes:
            try:
                Modality(changes["modality"])
            except ValueError as exc:
                raise InvalidQuery(f"unknown modality {changes['modality']!r}") from exc
        with self.session() as s:
            row = s.get(AssertionRow, assertion_id)
            if row is None:
                raise NotFound(f"no assertion with id {assertion_id}")
            s.add(
                ReviewRow(
                    fact_key=row.fact_key,
                    decision=decision.value,
                    changes=changes,
                    reviewer=reviewer,
                    note=note,
                )
            )
            self._apply_decision(s, row, decision.value, changes)
            s.commit()
            return self._assertion(s, row)

    def assertion(self, assertion_id: int) -> Assertion:
        with self.session() as s:
            row = s.get(AssertionRow, assertion_id)
            if row is None:
                raise NotFound(f"no assertion with id {assertion_id}")
            return self._assertion(s, row)

    def assertions(
        self,
        entity: str | int | None = None,
        *,
        include_factions: bool = False,
        between: tuple[str | int, str | int] | None = None,
        predicate: Predicate | str | Sequence[Predicate | str] | None = None,
        modality: Modality | str | Sequence[Modality | str] | None = None,
        on: str | None = None,
        start: str | None = None,
        end: str | None = None,
        fuzzy: bool = False,
        include_undated: bool = False,
        document: int | str | None = None,
        status: ReviewStatus | str | Sequence[ReviewStatus | str] | None = None,
        include_rejected: bool = False,
        limit: int | None = None,
    ) -> list[Assertion]:
        """Find assertions.

        ``entity``: as subject or object (``include_factions`` adds its factions).
        ``between``: assertions linking the two entities, either way round.
        ``on``: held on that date (any precision: "2017", "2017-10", "2017-10-18").
        ``start``/``end``: overlapped that window. Undated assertions are left out of time
        queries unless ``include_undated``. ``fuzzy`` widens approximate times ("2015~").
        Rejected assertions are left out unless asked for.
        """
        with self.session() as s:
            q = self._assertion_query(
                s,
                entity=entity,
                include_factions=include_factions,
                between=between,
                predicate=predicate,
                modality=modality,
                on=on,
                start=start,
                end=end,
                fuzzy=fuzzy,
                include_undated=include_undated,
                document=document,
                status=status,
                include_rejected=include_rejected,
            )
            q = q.order_by(
                AssertionRow.valid_from.is_(None), AssertionRow.valid_from, AssertionRow.id
            )
            if limit is not None:
                q = q.limit(limit)
            rows = s.scalars(q).unique().all()
            return [self._assertion(s, r) for r in rows]

    def _entity_ids(self, s: Session, ref: str | int, include_factions: bool) -> list[int]:
        root = self._resolve(s, str(ref))
        return [root.id, *(self._descendants(s, root.id) if include_factions else [])]

    def _assertion_query(
        self,
        s: Session,
        *,
        entity: str | int | None,
        include_factions: bool,
        between: tuple[str | int, str | int] | None,
        predicate: Any,
        modality: Any,
        on: str | None,
        start: str | None,
        end: str | None,
        fuzzy: bool,
        include_undated: bool,
        document: int | str | None,
        status: Any,
        include_rejected: bool,
    ) -> Select[tuple[AssertionRow]]:
        q = select(AssertionRow).options(
            joinedload(AssertionRow.subject),
            joinedload(AssertionRow.object),
            joinedload(AssertionRow.place),
            joinedload(AssertionRow.document),
        )
        if entity is not None:
            ids = self._entity_ids(s, entity, include_factions)
            q = q.where(or_(AssertionRow.subject_id.in_(ids), AssertionRow.object_id.in_(ids)))
        if between is not None:
            a = self._entity_ids(s, between[0], include_factions)
            b = self._entity_ids(s, between[1], include_factions)
            q = q.where(
                or_(
                    AssertionRow.subject_id.in_(a) & AssertionRow.object_id.in_(b),
                    AssertionRow.subject_id.in_(b) & AssertionRow.object_id.in_(a),
                )
            )
        preds = _values(predicate, Predicate, "predicate")
        if preds:
            q = q.where(AssertionRow.predicate.in_(preds))
        mods = _values(modality, Modality, "modality")
        if mods:
            q = q.where(AssertionRow.modality.in_(mods))
        statuses = _values(status, ReviewStatus, "review status")
        if statuses:
            q = q.where(AssertionRow.review_status.in_(statuses))
        elif not include_rejected:
            q = q.where(AssertionRow.review_status != ReviewStatus.REJECTED.value)
        if document is not None:
            version = self._version_row(s, document)
            q = q.where(AssertionRow.document_id == version.document_id)
        if on is not None:
            if start is not None or end is not None:
                raise InvalidQuery("give either a date (on) or a window (start/end), not both")
            start, end = on, on
        if start is not None or end is not None:
            lo_col = AssertionRow.fuzzy_from if fuzzy else AssertionRow.valid_from
            hi_col = AssertionRow.fuzzy_to if fuzzy else AssertionRow.valid_to
            conds = []
            try:
                if end is not None:
                    conds.append(or_(lo_col.is_(None), lo_col <= parse_day(end, end=True)))
                if start is not None:
                    conds.append(or_(hi_col.is_(None), hi_col >= parse_day(start)))
            except ValueError as exc:
                raise InvalidQuery(str(exc)) from exc
            dated = AssertionRow.valid_time.is_not(None)
            timed = dated
            for c in conds:
                timed = timed & c
            q = q.where(or_(timed, AssertionRow.valid_time.is_(None)) if include_undated else timed)
        return q

    def _assertion(self, s: Session, row: AssertionRow) -> Assertion:
        return Assertion(
            id=row.id,
            subject_id=row.subject_id,
            subject=row.subject.name,
            predicate=Predicate(row.predicate),
            object_id=row.object_id,
            object=row.object.name,
            valid_time=row.valid_time,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            time_text=row.time_text,
            place=row.place.name if row.place else None,
            attributes=dict(row.attributes or {}),
            modality=Modality(row.modality),
            claimant=row.claimant,
            confidence=row.confidence,
            document_version_id=row.document_version_id,
            document_key=row.document.key if row.document else None,
            span_start=row.span_start,
            span_end=row.span_end,
            quote=row.quote,
            subject_mention=row.subject_mention,
            object_mention=row.object_mention,
            origin=row.origin,
            review_status=ReviewStatus(row.review_status),
            fact_key=row.fact_key,
        )

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func

        with self.session() as s:
            return {
                "documents": s.scalar(select(func.count()).select_from(DocumentRow)) or 0,
                "entities": s.scalar(select(func.count()).select_from(EntityRow)) or 0,
                "assertions": s.scalar(select(func.count()).select_from(AssertionRow)) or 0,
            }


_PERSON_SUBJECT = {Predicate.LEADS, Predicate.MEMBER_OF, Predicate.KILLED_BY}


def _subject_kind(predicate: Predicate) -> EntityKind:
    return EntityKind.PERSON if predicate in _PERSON_SUBJECT else EntityKind.ORGANIZATION


def _object_kind(predicate: Predicate) -> EntityKind:
    return EntityKind.PLACE if predicate == Predicate.OPERATES_IN else EntityKind.ORGANIZATION


def _time_values(value: str | None) -> dict[str, str | None]:
    """The time columns of an assertion valid at ``value`` (EDTF)."""
    if not value:
        return dict(valid_time=None, valid_from=None, valid_to=None, fuzzy_from=None, fuzzy_to=None)
    b = edtf_bounds(value)
    return dict(
        valid_time=value,
        valid_from=b.start,
        valid_to=b.end,
        fuzzy_from=b.fuzzy_start,
        fuzzy_to=b.fuzzy_end,
    )


def _set_time(row: AssertionRow, value: str | None) -> None:
    for column, v in _time_values(value).items():
        setattr(row, column, v)


def _values(value: Any, enum: Any, label: str) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) or not isinstance(value, Iterable) else list(value)
    out = []
    for v in items:
        try:
            out.append(enum(v).value)
        except ValueError as exc:
            choices = ", ".join(m.value for m in enum)
            raise InvalidQuery(f"unknown {label} {v!r} (choose from: {choices})") from exc
    return out
