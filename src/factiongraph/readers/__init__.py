"""Document readers: turn report files into normalised text plus metadata.

One module a format, registered by file suffix in :data:`READERS`::

    from factiongraph.readers import read_document
    result = read_document(Path("report.pdf"))
    result.text, result.title, result.published

Every failure is a :class:`ReaderError` whose message names the file and the problem on
one line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from factiongraph.readers.base import ReaderError, ReadResult, normalize_text, to_iso_date
from factiongraph.readers.catalog import CATALOG_NAME, load_catalog, lookup_catalog, merge_metadata

__all__ = [
    "DEFAULT_MAX_BYTES",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "ReadResult",
    "Reader",
    "ReaderError",
    "iter_documents",
    "load_catalog",
    "lookup_catalog",
    "merge_metadata",
    "normalize_text",
    "read_document",
    "register_reader",
    "to_iso_date",
]

Reader = Callable[[Path, bytes], ReadResult]
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def _read_text(path: Path, data: bytes) -> ReadResult:
    from factiongraph.readers.text import read_text

    return read_text(path, data)


def _read_markdown(path: Path, data: bytes) -> ReadResult:
    from factiongraph.readers.text import read_markdown

    return read_markdown(path, data)


def _read_html(path: Path, data: bytes) -> ReadResult:
    from factiongraph.readers.html import read_html

    return read_html(path, data)


def _read_pdf(path: Path, data: bytes) -> ReadResult:
    from factiongraph.readers.pdf import read_pdf

    return read_pdf(path, data)


def _read_docx(path: Path, data: bytes) -> ReadResult:
    from factiongraph.readers.docx import read_docx

    return read_docx(path, data)


# Suffix (lower case, with the dot) -> reader. Format modules are imported on first use.
READERS: dict[str, Reader] = {
    ".txt": _read_text,
    ".text": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}

# A live view of the registered suffixes: readers registered later are included.
SUPPORTED_SUFFIXES = READERS.keys()


def register_reader(suffixes: str | Iterable[str], func: Reader) -> None:
    """Register ``func`` as the reader for ``suffixes`` (e.g. ``".rtf"``), replacing any
    reader already registered for them."""
    if isinstance(suffixes, str):
        suffixes = [suffixes]
    for suffix in suffixes:
        suffix = suffix.lower()
        if not re.fullmatch(r"\.[a-z0-9][a-z0-9._-]*", suffix):
            raise ValueError(f"not a file suffix: {suffix!r} (expected e.g. '.rtf')")
        READERS[suffix] = func


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _supported_list() -> str:
    return ", ".join(sorted(READERS))


def _size(n: float) -> str:
    """Human size: "812 bytes", "3.4 KB", "73.2 MB" (powers of 1024)."""
    if n < 1024:
        return f"{int(n)} bytes"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            text = f"{n:.1f}"
            return f"{text.removesuffix('.0')} {unit}"
    raise AssertionError("unreachable")


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one document with the reader registered for its suffix.

    Raises :class:`ReaderError` for a missing path, a folder, an unsupported suffix, an
    empty or oversized file, content that is not what the suffix promises, and a file
    that yields no words.
    """
    path = Path(path)
    if not path.exists():
        raise ReaderError(path, "no such file")
    if path.is_dir():
        raise ReaderError(path, "is a folder, not a file")
    if not path.is_file():
        raise ReaderError(path, "not a regular file")
    suffix = _suffix(path)
    reader = READERS.get(suffix)
    if reader is None:
        kind = f"unsupported file type {suffix}" if suffix else "unsupported file type (no suffix)"
        raise ReaderError(path, f"{kind} (supported: {_supported_list()})")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReaderError(path, f"file is {_size(size)}, over the {_size(max_bytes)} limit")
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if not data:
        raise ReaderError(path, "empty file")
    if len(data) > max_bytes:  # the file grew since stat()
        raise ReaderError(path, f"file is {_size(len(data))}, over the {_size(max_bytes)} limit")
    try:
        result = reader(path, data)
    except ReaderError:
        raise
    except Exception as exc:
        cause = " ".join(str(exc).split()) or type(exc).__name__
        raise ReaderError(path, f"reader failed: {cause[:200]}") from exc
    if not re.search(r"\w", result.text):
        raise ReaderError(path, "empty text after reading")
    return result


def _hidden(name: str) -> bool:
    return name.startswith(".")


def iter_documents(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand ``paths`` into document files.

    Folders are walked recursively in sorted order, skipping hidden files and folders and
    ``catalog.json``, keeping files whose suffix has a reader. Files named explicitly are
    yielded whatever their suffix (so that reading them reports the problem). Each file is
    yielded once.
    """
    seen: set[Path] = set()

    def once(p: Path) -> bool:
        key = p.resolve() if p.exists() else p.absolute()
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in paths:
        path = Path(path)
        if not path.is_dir():
            if once(path):
                yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not _hidden(d))
            for name in sorted(files):
                if _hidden(name) or name == CATALOG_NAME:
                    continue
                file = Path(root) / name
                if _suffix(file) in READERS and file.is_file() and once(file):
                    yield file
