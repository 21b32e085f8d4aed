"""Ingest: read files, store each document with its extracted assertions in one transaction.

A batch goes on past bad files (each gets a one-line reason) and can be resumed by running it
again: a document is either stored whole, with its assertions, or not at all, and documents
already stored unchanged are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factiongraph.errors import IngestError, NotFound
from factiongraph.kb import KnowledgeBase, content_hash
from factiongraph.models import AssertionIn, Document, EntityIn, EvidenceIn
from factiongraph.readers import ReaderError, ReadResult, iter_documents, read_document
from factiongraph.readers.catalog import load_catalog, merge_metadata

if TYPE_CHECKING:
    from factiongraph.extract.records import Extraction

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class FileOutcome:
    path: str
    key: str | None
    status: str  # new | new_version | unchanged | failed
    reason: str | None = None
    assertions: int = 0
    chars: int = 0


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def stored(self) -> int:
        return self.count("new") + self.count("new_version")

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class _Pending:
    path: Path
    key: str
    read: ReadResult
    digest: str


ProgressCallback = Callable[[FileOutcome], None]


def _targets(paths: Sequence[str | os.PathLike[str]]) -> Iterator[tuple[Path, str, Path]]:
    """Each file to read with its document key and the folder whose catalog applies."""
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            for path in iter_documents([root]):
                yield path, path.relative_to(root).as_posix(), path.parent
        else:
            yield root, root.name, root.parent


def plan(paths: Sequence[str | os.PathLike[str]]) -> list[tuple[Path, str, Path]]:
    return list(_targets(paths))


def ingest(
    kb: KnowledgeBase,
    paths: Sequence[str | os.PathLike[str]],
    *,
    overrides: dict[str, Any] | None = None,
    extract: bool = True,
    workers: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    extractor: Any = None,
    on_file: ProgressCallback | None = None,
) -> IngestReport:
    """Read, store and (by default) extract every file under ``paths``.

    ``overrides`` (title, authors, published, publisher, genre) beat the catalog and the
    file's own metadata. ``on_file`` is called once per file as it is finished.
    """
    report = IngestReport()
    overrides = {k: v for k, v in (overrides or {}).items() if v}
    catalogs: dict[Path, dict[str, dict[str, Any]]] = {}
    pending: list[_Pending] = []

    def finish(outcome: FileOutcome) -> None:
        report.outcomes.append(outcome)
        if on_file:
            on_file(outcome)

    for path, key, folder in _targets(paths):
        try:
            if folder not in catalogs:
                catalogs[folder] = load_catalog(folder)
            read = read_document(path, max_bytes=max_bytes)
            read = merge_metadata(read, catalogs[folder].get(path.name), overrides)
        except (ReaderError, IngestError) as exc:
            finish(FileOutcome(str(path), key, "failed", _reason(exc, path)))
            continue
        digest = content_hash(read.text)
        existing = _latest(kb, key)
        if existing is not None and existing.content_hash == digest:
            if not existing.chars:  # a stored citation: attach the text, keep its assertions
                kb.add_document(read.text, key=key, digest=digest)
            finish(FileOutcome(str(path), key, "unchanged", chars=len(read.text)))
            continue
        pending.append(_Pending(path, key, read, digest))

    extractions: Iterable[Extraction | None]
    if extract and pending:
        if extractor is None:
            from factiongraph.extract.pipeline import Extractor

            extractor = Extractor(workers=workers)
        extractions = extractor.pipe(
            (
                (p.read.text, {"published": p.read.published, "title": p.read.title})
                for p in pending
            ),
            workers=workers,
        )
    else:
        extractions = (None for _ in pending)

    for item, extraction in zip(pending, extractions, strict=True):
        try:
            outcome = store_document(kb, item.path, item.key, item.read, extraction)
        except Exception as exc:  # one document's failure must not stop the batch
            outcome = FileOutcome(str(item.path), item.key, "failed", _reason(exc, item.path))
        finish(outcome)
    return report


def _reason(exc: Exception, path: Path) -> str:
    if isinstance(exc, ReaderError):
        return getattr(exc, "reason", None) or str(exc)
    if isinstance(exc, IngestError):
        return exc.reason
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"could not store: {text}"


def _latest(kb: KnowledgeBase, key: str) -> Document | None:
    try:
        return kb.document(key)
    except NotFound:
        return None


def store_document(
    kb: KnowledgeBase,
    path: Path,
    key: str,
    read: ReadResult,
    extraction: Extraction | None,
) -> FileOutcome:
    """Store one document version and its machine assertions in a single transaction."""
    with kb.session() as s, s.begin():
        status = kb.add_document(
            read.text,
            key=key,
            title=read.title,
            authors=read.authors,
            published=read.published,
            publisher=read.publisher,
            genre=read.genre,
            source_path=str(path),
            format=read.format,
            session=s,
        )
        count = 0
        if extraction is not None and status.status != "unchanged":
            entities, assertions = extraction_to_inputs(extraction)
            count = kb.replace_machine_assertions(
                status.document.id, assertions, entities, session=s
            )
            _mark_extracted(s, status.document.id, f"{extraction.extractor}/{extraction.version}")
    return FileOutcome(str(path), key, status.status, assertions=count, chars=len(read.text))


def _mark_extracted(session: Any, version_id: int, extractor: str) -> None:
    from factiongraph.store.schema import DocumentVersionRow

    row = session.get(DocumentVersionRow, version_id)
    row.extracted_by = extractor


def extraction_to_inputs(extraction: Extraction) -> tuple[list[EntityIn], list[AssertionIn]]:
    """Turn an extractor's records into the knowledge base's input models."""
    from factiongraph.models import OrgCategory

    categories = {c.value for c in OrgCategory}
    entities = [
        EntityIn(
            name=e.name,
            kind=e.kind,
            category=e.category if e.category in categories else None,
            aliases=e.aliases,
            parent=e.parent,
            note=e.note,
            external_ids=e.external_ids,
        )
        for e in extraction.entities
    ]
    origin = f"{extraction.extractor}/{extraction.version}"
    assertions = [
        AssertionIn(
            subject=a.subject,
            predicate=a.predicate,
            object=a.object,
            valid_time=a.valid_time,
            time_text=a.time_text,
            place=a.place,
            attributes=a.attributes,
            modality=a.modality,
            claimant=a.claimant,
            confidence=a.confidence,
            evidence=EvidenceIn(start=a.start, end=a.end, quote=a.quote),
            subject_mention=a.subject_mention,
            object_mention=a.object_mention,
            origin=origin,
        )
        for a in extraction.assertions
    ]
    return entities, assertions


def reextract(
    kb: KnowledgeBase,
    *,
    workers: int = 1,
    extractor: Any = None,
    on_document: Callable[[str, int], None] | None = None,
) -> int:
    """Run extraction again over every stored document that has text.

    Machine assertions are replaced; analysts' assertions and review decisions are kept.
    Returns the number of assertions stored.
    """
    if extractor is None:
        from factiongraph.extract.pipeline import Extractor

        extractor = Extractor(workers=workers)
    docs = [d for d in kb.documents() if d.chars]
    texts = (
        (kb.document_text(d.id) or "", {"published": d.published, "title": d.title}) for d in docs
    )
    total = 0
    for doc, extraction in zip(docs, extractor.pipe(texts, workers=workers), strict=True):
        entities, assertions = extraction_to_inputs(extraction)
        with kb.session() as s, s.begin():
            n = kb.replace_machine_assertions(doc.id, assertions, entities, session=s)
            _mark_extracted(s, doc.id, f"{extraction.extractor}/{extraction.version}")
        total += n
        if on_document:
            on_document(doc.key, n)
    return total
