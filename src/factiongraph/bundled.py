"""The bundled default data set: the Khorasan web, built from five reports and reviewed.

The data set ships entities, assertions and citations (title, authors, date, paragraph,
character span and content hash of each document) but never the documents' text. When a user
ingests a document whose content hash matches a citation, the text is attached and the quotes
appear in the evidence.

``build_dataset`` regenerates the file from the corpus, the project's extraction and the
analyst's review decisions (``data/khorasan/decisions.yaml``); ``open_bundled`` loads it into
an embedded SQLite store.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from factiongraph import __version__
from factiongraph.kb import KnowledgeBase
from factiongraph.models import (
    SYMMETRIC,
    AssertionIn,
    EntityIn,
    EvidenceIn,
    ReviewStatus,
)
from factiongraph.names import name_key

DATA_DIR = Path(__file__).parent / "data" / "khorasan"
DATASET = DATA_DIR / "dataset.json.gz"
DECISIONS = DATA_DIR / "decisions.yaml"
FORMAT_VERSION = 1


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "factiongraph"


def dataset_digest(path: Path = DATASET) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def open_bundled(path: Path | None = None, *, dataset: Path = DATASET) -> KnowledgeBase:
    """Open the bundled data set in its own SQLite store, loading it on first use.

    The store lives in the user's cache folder, one file per data set version, so analysts'
    decisions made in the explorer persist across restarts.
    """
    if path is None:
        path = cache_dir() / f"khorasan-{dataset_digest(dataset)}.db"
    fresh = not path.exists()
    if fresh:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".loading")
        partial.unlink(missing_ok=True)
        kb = KnowledgeBase.open(str(partial))
        try:
            load_dataset(kb, read_dataset(dataset))
        finally:
            kb.close()
        partial.replace(path)  # only a complete store gets the final name
    return KnowledgeBase.open(str(path))


def read_dataset(path: Path = DATASET) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path}: data set format {data.get('format')!r} is not supported")
    return data


def load_dataset(kb: KnowledgeBase, data: dict[str, Any]) -> None:
    """Load an exported data set (citations, entities, assertions, decisions) into ``kb``."""
    with kb.session() as s, s.begin():
        for d in data["documents"]:
            kb.add_document(
                None,
                key=d["key"],
                title=d.get("title"),
                authors=d.get("authors") or [],
                published=d.get("published"),
                publisher=d.get("publisher"),
                genre=d.get("genre"),
                format=d.get("format"),
                digest=d["content_hash"],
                session=s,
            )
        index = kb.bulk_index(s)
        for e in data["entities"]:
            kb.merge_entity(s, EntityIn(**e), index)
        for a in data["assertions"]:
            item = AssertionIn(
                subject=a["subject"],
                predicate=a["predicate"],
                object=a["object"],
                valid_time=a.get("valid_time"),
                time_text=a.get("time_text"),
                place=a.get("place"),
                attributes=a.get("attributes") or {},
                modality=a["modality"],
                claimant=a.get("claimant"),
                confidence=a.get("confidence", 1.0),
                evidence=EvidenceIn(start=a.get("start"), end=a.get("end")),
                subject_mention=a.get("subject_mention"),
                object_mention=a.get("object_mention"),
                origin=a["origin"],
            )
            kb.restore_assertion(
                s,
                item,
                document=a.get("doc"),
                key=a["fact_key"],
                machine=a.get("machine", False),
                status=ReviewStatus(a["review_status"]),
                index=index,
            )
        for r in data.get("reviews", []):
            kb.record_decision(
                s, r["fact_key"], ReviewStatus(r["decision"]), r.get("changes"), note=r.get("note")
            )


# -- building ---------------------------------------------------------------------------------


def _paragraph(text: str, start: int | None) -> int | None:
    if start is None:
        return None
    return text.count("\n\n", 0, start) + 1


def _matches(a: Any, rule: dict[str, Any]) -> bool:
    if rule.get("doc") and a.document_key != rule["doc"]:
        return False
    if rule.get("predicate") and a.predicate.value != rule["predicate"]:
        return False
    if rule.get("entity"):  # every fact that names this entity on either side
        return name_key(rule["entity"]) in (name_key(a.subject), name_key(a.object))
    pair = (name_key(a.subject), name_key(a.object))
    want = (name_key(rule.get("subject", "")), name_key(rule.get("object", "")))
    if a.predicate in SYMMETRIC:
        return pair == want or pair[::-1] == want
    return pair == want


def apply_decisions(
    kb: KnowledgeBase, decisions: dict[str, Any], unmatched: list[str] | None = None
) -> dict[str, int]:
    """Apply an analyst's decisions file to a freshly extracted knowledge base.

    Each rule names a fact by document, subject, predicate and object (symmetric predicates
    in either order) and rejects, accepts or edits every assertion it matches; additions are
    new analyst assertions with their evidence span. Rules that match nothing are described
    in ``unmatched`` when a list is given.
    """
    counts = {"rejected": 0, "accepted": 0, "edited": 0, "added": 0, "unmatched": 0}
    verbs = {"reject": "rejected", "accept": "accepted", "edit": "edited"}
    everything = kb.assertions(include_rejected=True)
    for rule in decisions.get("decisions", []):
        hits = [a for a in everything if _matches(a, rule)]
        if not hits:
            counts["unmatched"] += 1
            if unmatched is not None:
                unmatched.append(_describe(rule))
            continue
        decision = verbs[rule["decision"]]
        for a in hits:
            kb.review(a.id, decision, changes=rule.get("changes"), note=rule.get("note"))
            counts[decision] += 1
    for add in decisions.get("additions", []):
        kb.add_assertion(
            AssertionIn(
                subject=add["subject"],
                predicate=add["predicate"],
                object=add["object"],
                valid_time=add.get("valid_time"),
                time_text=add.get("time_text"),
                place=add.get("place"),
                modality=add.get("modality", "asserted"),
                claimant=add.get("claimant"),
                evidence=EvidenceIn(start=add.get("start"), end=add.get("end")),
                origin="analyst:bundled",
            ),
            document=add["doc"],
        )
        counts["added"] += 1
    return counts


def _describe(rule: dict[str, Any]) -> str:
    if "entity" in rule:
        return f"{rule['decision']} every fact naming {rule['entity']}"
    fact = f"{rule.get('subject')} {rule.get('predicate')} {rule.get('object')}"
    return f"{rule['decision']} {fact} in {rule.get('doc')}"


def export_dataset(kb: KnowledgeBase) -> dict[str, Any]:
    """The knowledge base as a data set without any document text or quotes."""
    from sqlalchemy import select

    from factiongraph.store.schema import AssertionRow, ReviewRow

    docs = kb.documents()
    texts = {d.key: kb.document_text(d.id) or "" for d in docs}
    entities = kb.entities()
    used = set()
    assertions = kb.assertions(include_rejected=True)
    with kb.session() as s:
        machine = dict(s.execute(select(AssertionRow.id, AssertionRow.machine)).all())
        reviews = s.scalars(select(ReviewRow).order_by(ReviewRow.id)).all()
        review_rows = [
            {"fact_key": r.fact_key, "decision": r.decision, "changes": r.changes, "note": r.note}
            for r in reviews
        ]
    rows = []
    for a in assertions:
        used.update((a.subject_id, a.object_id))
        rows.append(
            {
                "doc": a.document_key,
                "subject": a.subject,
                "predicate": a.predicate.value,
                "object": a.object,
                "valid_time": a.valid_time,
                "time_text": a.time_text,
                "place": a.place,
                "attributes": a.attributes,
                "modality": a.modality.value,
                "claimant": a.claimant,
                "confidence": a.confidence,
                "start": a.span_start,
                "end": a.span_end,
                "paragraph": _paragraph(texts.get(a.document_key or "", ""), a.span_start),
                "subject_mention": a.subject_mention,
                "object_mention": a.object_mention,
                "origin": a.origin,
                "machine": machine.get(a.id, False),
                "review_status": a.review_status.value,
                "fact_key": a.fact_key,
            }
        )
    by_id = {e.id: e for e in entities}
    keep = set(used)
    for eid in list(used):  # parents of used entities stay, so factions keep their family
        e = by_id[eid]
        while e.parent_id is not None and e.parent_id not in keep:
            keep.add(e.parent_id)
            e = by_id[e.parent_id]
    ordered = _parents_first([by_id[i] for i in sorted(keep)], by_id)
    return {
        "format": FORMAT_VERSION,
        "built_with": f"factiongraph {__version__}",
        "documents": [
            {
                "key": d.key,
                "title": d.title,
                "authors": d.authors,
                "published": d.published,
                "publisher": d.publisher,
                "format": d.format,
                "content_hash": d.content_hash,
                "chars": d.chars,
            }
            for d in docs
        ],
        "entities": [
            {
                "name": e.name,
                "kind": e.kind.value,
                "category": e.category,
                "aliases": e.aliases,
                "parent": e.parent,
                "note": e.note,
                "external_ids": e.external_ids,
            }
            for e in ordered
        ],
        "assertions": rows,
        "reviews": review_rows,
    }


def _parents_first(entities: list[Any], by_id: dict[int, Any]) -> list[Any]:
    def depth(e: Any) -> int:
        n = 0
        while e.parent_id is not None and n < 20:
            e = by_id[e.parent_id]
            n += 1
        return n

    return sorted(entities, key=lambda e: (depth(e), e.name))


def build_dataset(
    corpus: Path,
    *,
    decisions: Path = DECISIONS,
    out: Path = DATASET,
    workers: int = 1,
    extractor: Any = None,
    on_file: Callable[..., None] | None = None,
    unmatched: list[str] | None = None,
) -> dict[str, int]:
    """Regenerate the bundled data set from a corpus folder and the decisions file.

    Decisions that no longer match any extracted fact are described in ``unmatched``.
    """
    from factiongraph.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase.open(str(Path(tmp) / "build.db"))
        try:
            report = ingest(kb, [corpus], workers=workers, extractor=extractor, on_file=on_file)
            if report.failed:
                raise ValueError("; ".join(f"{o.path}: {o.reason}" for o in report.failed))
            rules = (
                yaml.safe_load(decisions.read_text(encoding="utf-8")) if decisions.exists() else {}
            )
            counts = apply_decisions(kb, rules or {}, unmatched)
            data = export_dataset(kb)
        finally:
            kb.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
    with out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
        f.write(payload)  # a fixed mtime keeps the file identical across rebuilds
    counts["assertions"] = len(data["assertions"])
    counts["entities"] = len(data["entities"])
    return counts
