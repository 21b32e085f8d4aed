"""Plain text and Markdown: encoding detection, YAML front matter and a ``Key: value`` header.

Encodings: UTF-8 (with or without a byte order mark) and UTF-16/UTF-32 with a byte order
mark. Bytes that are not valid UTF-8 are read as Windows-1252 (a superset of the printable
Latin-1 range, the usual encoding of older Western reports) when every byte decodes and
the result looks like prose; otherwise the file is rejected with the offset of the first
bad byte.

Metadata comes from YAML front matter (``---`` ... ``---`` at the very start) or, failing
that, from a header block of ``Key: value`` lines at the start followed by a blank line
(keys: Title, Author, Authors, By, Date, Published, Publisher, Genre, Source, URL). Either
block is removed from the text; everything else, including Markdown markup, is kept as
written so that offsets refer to the stored text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from factiongraph.readers.base import (
    ReaderError,
    ReadResult,
    clean_field,
    looks_binary,
    split_authors,
    to_iso_date,
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Legacy fallback is refused when more than this share of letters is non-ASCII.
MAX_LEGACY_NON_ASCII = 0.3


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; raise ReaderError for non-text."""
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        if looks_binary(body):
            raise ReaderError(path, "binary data, not text")
        try:
            return body.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            offset = exc.start + len(codecs.BOM_UTF8)
            raise ReaderError(
                path, f"not valid UTF-8 text (byte 0x{data[offset]:02x} at offset {offset})"
            ) from exc
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReaderError(
                    path, f"not valid {encoding.upper()} text (bad bytes at offset {exc.start})"
                ) from exc
            if _control_share(text) > 0.02:
                raise ReaderError(path, "binary data, not text")
            return text, encoding
    if looks_binary(data):
        if _utf16_without_bom(data):
            raise ReaderError(
                path, "UTF-16 text without a byte order mark (save it as UTF-8 or add a BOM)"
            )
        raise ReaderError(path, "binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        legacy = _decode_legacy(data)
        if legacy is not None:
            return legacy, "cp1252"
        bad = data[exc.start]
        raise ReaderError(
            path, f"not valid UTF-8 text (byte 0x{bad:02x} at offset {exc.start})"
        ) from exc


def _utf16_without_bom(data: bytes) -> bool:
    """True when NUL bytes sit in every other position, as in ASCII-range UTF-16."""
    sample = data[: 4096 - 4096 % 2]
    half = len(sample) // 2
    if half < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) > 0.9 * half and others.count(0) < 0.1 * half:
            try:
                data[: len(data) - len(data) % 2].decode(encoding)
            except UnicodeDecodeError:
                return False
            return True
    return False


def _control_share(text: str) -> float:
    sample = text[: 1 << 20]
    if not sample:
        return 0.0
    controls = sum(
        1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v\x1b"
    )
    return controls / len(sample)


def _decode_legacy(data: bytes) -> str | None:
    """Windows-1252 text when the bytes decode and read like prose, else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text[: 1 << 20] if ch.isalpha()]
    if not letters:
        return None
    non_ascii = sum(1 for ch in letters if ord(ch) > 0x7F)
    if non_ascii / len(letters) > MAX_LEGACY_NON_ASCII:
        return None
    return text


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADER_KEYS = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "author(s)": "authors",
    "by": "authors",
    "date": "published",
    "published": "published",
    "publisher": "publisher",
    "genre": "genre",
    "source": "source",
    "url": "url",
}
_HEADER_LINE = re.compile(r"([A-Za-z()]+)[ \t]*:[ \t]*(.*)")


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any] | None, str]:
    """Return ``(front matter mapping or None, text without it)``.

    A block that parses as a YAML mapping is front matter; a block that is not a mapping is
    left in the text; a block that is not valid YAML is an error.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text
    try:
        data = yaml.safe_load(m.group(1) or "")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ReaderError(path, f"malformed YAML front matter{where}: {problem}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, text
    return {str(k).lower(): v for k, v in data.items()}, text[m.end() :]


def split_header(text: str) -> tuple[dict[str, str] | None, str]:
    """Return ``(header fields or None, text without the header block)``.

    The block is the run of lines at the start of the text up to the first blank line;
    it counts only when every line is ``Key: value`` with a known key.
    """
    stripped = text.lstrip("\n")
    block, sep, rest = stripped.partition("\n\n")
    fields: dict[str, str] = {}
    for line in block.split("\n"):
        m = _HEADER_LINE.fullmatch(line.strip())
        if not m or m.group(1).lower() not in _HEADER_KEYS or not m.group(2).strip():
            return None, text
        fields[_HEADER_KEYS[m.group(1).lower()]] = m.group(2).strip()
    return fields, rest


def _metadata(fields: dict[str, Any]) -> dict[str, Any]:
    """Map front-matter or header fields onto ReadResult fields; the rest go to extra."""
    out: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in fields.items():
        if key in ("title", "publisher", "genre"):
            out[key] = clean_field(value)
        elif key in ("author", "authors", "author(s)", "by"):
            out["authors"] = split_authors(value)
        elif key in ("date", "published"):
            iso = to_iso_date(value)
            out["published"] = iso
            if iso is None and value not in (None, ""):
                extra["published_raw"] = str(value)
        else:
            extra[key] = value if isinstance(value, str | int | float | bool) else str(value)
    out["extra"] = extra
    return out


_MD_TITLE = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\n|\Z)")


def read_text(path: Path, data: bytes, *, fmt: str = "text") -> ReadResult:
    """Read a plain text or Markdown file."""
    text, encoding = decode_text(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta: dict[str, Any] = {"extra": {}}
    source = None
    front, text = split_front_matter(path, text)
    if front is not None:
        meta, source = _metadata(front), "front_matter"
    else:
        header, text = split_header(text)
        if header is not None:
            meta, source = _metadata(header), "header"
    extra: dict[str, Any] = {"encoding": encoding, **meta.pop("extra")}
    if source:
        extra["metadata_from"] = source
    if fmt == "markdown" and not meta.get("title") and (m := _MD_TITLE.match(text)):
        meta["title"] = m.group(1)
    return ReadResult(text=text, format=fmt, extra=extra, **meta)


def read_markdown(path: Path, data: bytes) -> ReadResult:
    """Read a Markdown file (text kept as written; only front matter is removed)."""
    return read_text(path, data, fmt="markdown")
