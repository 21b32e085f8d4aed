"""``catalog.json``: per-folder bibliographic metadata, and how it merges with a file's own.

A catalog is a JSON list of objects, each with ``file`` and any of ``title``, ``authors``,
``publisher``, ``published``, ``genre`` (other keys are kept under ``extra``); or a JSON
object keyed by file name whose values are such objects (``file`` optional).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factiongraph.readers.base import ReaderError, ReadResult, clean_field, split_authors
from factiongraph.readers.base import to_iso_date as _to_iso_date

CATALOG_NAME = "catalog.json"
METADATA_FIELDS = ("title", "authors", "published", "publisher", "genre")


def _entry(catalog: Path, where: str, raw: object) -> dict[str, Any]:
    """Validate one catalog entry and normalise its values."""
    if not isinstance(raw, dict):
        raise ReaderError(catalog, f"malformed catalog: {where} is not an object")
    entry: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "file" or value is None:
            continue
        if key in ("title", "publisher", "genre"):
            if not isinstance(value, str):
                raise ReaderError(catalog, f"malformed catalog: {where} has a non-text '{key}'")
            if cleaned := clean_field(value):
                entry[key] = cleaned
        elif key in ("authors", "author"):
            if not isinstance(value, str | list) or (
                isinstance(value, list) and not all(isinstance(a, str) for a in value)
            ):
                raise ReaderError(
                    catalog, f"malformed catalog: {where} has '{key}' that is not a list of names"
                )
            entry["authors"] = split_authors(value) if isinstance(value, str) else value
        elif key in ("published", "date"):
            iso = _to_iso_date(value)
            if iso is None:
                raise ReaderError(
                    catalog,
                    f"malformed catalog: {where} has an unreadable date {value!r} "
                    "(use YYYY, YYYY-MM or YYYY-MM-DD)",
                )
            entry["published"] = iso
        else:
            entry.setdefault("extra", {})[key] = value
    return entry


def load_catalog(folder: Path) -> dict[str, dict[str, Any]]:
    """Read ``folder/catalog.json`` into ``{file name: entry}``; ``{}`` when there is none.

    Raises :class:`ReaderError` naming the catalog when it is not valid JSON or not in the
    expected shape.
    """
    catalog = Path(folder) / CATALOG_NAME
    if not catalog.is_file():
        return {}
    try:
        raw = json.loads(catalog.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ReaderError(catalog, "malformed catalog: not UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise ReaderError(
            catalog, f"malformed catalog: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except OSError as exc:
        raise ReaderError(catalog, f"cannot read catalog: {exc.strerror or exc}") from exc
    out: dict[str, dict[str, Any]] = {}
    if isinstance(raw, list):
        for i, item in enumerate(raw, start=1):
            where = f"entry {i}"
            if not isinstance(item, dict):
                raise ReaderError(catalog, f"malformed catalog: {where} is not an object")
            name = item.get("file")
            if not isinstance(name, str) or not name.strip():
                raise ReaderError(catalog, f"malformed catalog: {where} has no 'file'")
            if name in out:
                raise ReaderError(catalog, f"malformed catalog: {name!r} is listed twice")
            out[name] = _entry(catalog, f"{where} ({name})", item)
    elif isinstance(raw, dict):
        for name, item in raw.items():
            out[name] = _entry(catalog, f"entry {name!r}", item)
    else:
        raise ReaderError(
            catalog, "malformed catalog: expected a list of entries or an object keyed by file"
        )
    return out


def lookup_catalog(
    path: Path, cache: dict[Path, dict[str, dict[str, Any]]] | None = None
) -> dict[str, Any] | None:
    """The catalog entry for ``path`` from the ``catalog.json`` beside it, or None.

    Pass the same ``cache`` dict across calls to read each catalog once.
    """
    path = Path(path)
    folder = path.parent
    if cache is not None and folder in cache:
        entries = cache[folder]
    else:
        entries = load_catalog(folder)
        if cache is not None:
            cache[folder] = entries
    return entries.get(path.name)


def merge_metadata(
    result: ReadResult,
    catalog_entry: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
) -> ReadResult:
    """Return a copy of ``result`` with metadata merged: overrides > catalog > the file's own.

    Missing, ``None``, empty-string and empty-list values do not override. The source of each
    field ends up in ``extra["metadata_sources"]``. Unknown override keys are a ValueError.
    """
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(METADATA_FIELDS)
    if unknown:
        raise ValueError(
            f"unknown metadata field(s) {', '.join(sorted(unknown))} "
            f"(valid: {', '.join(METADATA_FIELDS)})"
        )
    if overrides.get("published") not in (None, ""):
        iso = _to_iso_date(overrides["published"])
        if iso is None:
            raise ValueError(
                f"unreadable date {overrides['published']!r} (use YYYY, YYYY-MM or YYYY-MM-DD)"
            )
        overrides["published"] = iso
    if isinstance(overrides.get("authors"), str):
        overrides["authors"] = split_authors(overrides["authors"])
    catalog_entry = catalog_entry or {}
    fields: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in METADATA_FIELDS:
        for source, values in (("override", overrides), ("catalog", catalog_entry)):
            value = values.get(name)
            if value not in (None, "", []):
                fields[name] = value
                sources[name] = source
                break
        else:
            if getattr(result, name) not in (None, []):
                sources[name] = "file"
    extra = dict(result.extra)
    if catalog_entry.get("extra"):
        extra["catalog"] = dict(catalog_entry["extra"])
    extra["metadata_sources"] = sources
    data = result.model_dump()
    data.update(fields, extra=extra)
    return ReadResult.model_validate(data)
