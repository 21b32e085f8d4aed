"""CSV tables (entities, assertions, documents) for pandas, R and spreadsheets."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from factiongraph.kb import KnowledgeBase

ENTITY_COLUMNS = ["id", "name", "kind", "category", "parent_id", "parent", "aliases", "note"]
ASSERTION_COLUMNS = [
    "id", "subject_id", "subject", "predicate", "object_id", "object", "valid_time",
    "valid_from", "valid_to", "time_text", "place", "modality", "claimant", "confidence",
    "document_key", "document_version_id", "span_start", "span_end", "quote",
    "subject_mention", "object_mention", "origin", "review_status", "fact_key",
]  # fmt: skip
DOCUMENT_COLUMNS = [
    "id", "key", "version", "title", "authors", "published", "publisher", "source_path",
    "content_hash", "format", "chars",
]  # fmt: skip


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if hasattr(value, "value"):
        return value.value
    return "" if value is None else value


def _write(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for row in rows:
            w.writerow({c: _cell(row.get(c)) for c in columns})


def write_csv(kb: KnowledgeBase, folder: Path, **query: Any) -> dict[str, Path]:
    """Write ``entities.csv``, ``assertions.csv`` and ``documents.csv`` into a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "entities": folder / "entities.csv",
        "assertions": folder / "assertions.csv",
        "documents": folder / "documents.csv",
    }
    _write(paths["entities"], ENTITY_COLUMNS, [e.model_dump() for e in kb.entities()])
    _write(paths["assertions"], ASSERTION_COLUMNS, [a.model_dump() for a in kb.assertions(**query)])
    _write(
        paths["documents"],
        DOCUMENT_COLUMNS,
        [d.model_dump() for d in kb.documents(all_versions=True)],
    )
    return paths
