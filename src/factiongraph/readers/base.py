"""The result every reader returns, the error every reader raises, and shared helpers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator

# Formats of the built-in readers; readers registered later may add their own.
FORMATS = ("text", "markdown", "html", "pdf", "docx")

# Characters dropped by normalisation: C0/C1 controls other than tab and newline.
_DROP = {c: None for c in range(0x20) if c not in (0x09, 0x0A)}
_DROP.update({c: None for c in range(0x7F, 0xA0)})
_DROP[0xFEFF] = None  # byte order mark / zero-width no-break space
# Form feed, vertical tab and Unicode line/paragraph separators become line breaks.
_DROP.update({0x0B: "\n", 0x0C: "\n\n", 0x2028: "\n", 0x2029: "\n\n", 0x85: "\n"})

_SPECIAL = re.compile("[" + "".join(re.escape(chr(c)) for c in _DROP) + "]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+(?=\n)")
_BLANK_RUNS = re.compile(r"\n{3,}")


class ReaderError(Exception):
    """A document could not be read; ``str(err)`` is ``"<path>: <reason>"`` on one line."""

    def __init__(self, path: Path | str, reason: str) -> None:
        reason = " ".join(str(reason).split())
        super().__init__(path, reason)
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def normalize_text(text: str) -> str:
    """Return ``text`` in the stored form: NFC, ``\\n`` line ends, no control characters,
    no trailing spaces on lines, paragraphs separated by exactly one blank line.

    The function is idempotent.

    >>> normalize_text("a\\r\\nb \\r\\n\\r\\n\\r\\n\\x00c")
    'a\\nb\\n\\nc'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if _SPECIAL.search(text):  # str.translate is slow on long texts: only when needed
        text = text.translate(_DROP)
    text = _TRAILING_SPACE.sub("", text + "\n")
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


class ReadResult(BaseModel):
    """Text and metadata read from one document.

    ``text`` is always normalised (see :func:`normalize_text`); evidence offsets refer to it.
    """

    text: str
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = None  # ISO date of any precision: "2017", "2018-04", "2017-12-14"
    publisher: str | None = None
    genre: str | None = None
    format: str  # "text", "markdown", "html", "pdf", "docx", or a plug-in reader's own
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("text")
    @classmethod
    def _normalized(cls, v: str) -> str:
        return normalize_text(v)

    @field_validator("title", "publisher", "genre")
    @classmethod
    def _clean_str(cls, v: str | None) -> str | None:
        return clean_field(v)

    @field_validator("authors")
    @classmethod
    def _clean_authors(cls, v: list[str]) -> list[str]:
        out: list[str] = []
        for name in v:
            name = clean_field(name)
            if name and name not in out:
                out.append(name)
        return out

    @field_validator("published")
    @classmethod
    def _iso_date(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        iso = to_iso_date(v)
        if iso is None:
            raise ValueError(f"not an ISO date: {v!r}")
        return iso

    @field_validator("format")
    @classmethod
    def _format_name(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("format must not be empty")
        return v


def clean_field(value: object) -> str | None:
    """Collapse whitespace in a metadata value; empty values become ``None``."""
    if value is None:
        return None
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    return text or None


def split_authors(value: object) -> list[str]:
    """Split an author field into names.

    Splits on ``;``, line breaks, `` and `` and ``&``; splits on commas only when every
    part looks like a full name (so "Roe, Jane" stays one name).

    >>> split_authors("Ana Lima, Ben Okafor, and Chen Wei")
    ['Ana Lima', 'Ben Okafor', 'Chen Wei']
    >>> split_authors("Roe, Jane")
    ['Roe, Jane']
    """
    if value is None:
        return []
    if isinstance(value, list | tuple):
        names: list[str] = []
        for item in value:
            if isinstance(item, dict):
                item = item.get("name")
            names.extend(split_authors(item))
        return names
    text = clean_field(value) if not isinstance(value, str) else value
    if not text:
        return []
    parts: list[str] = []
    for chunk in re.split(r"\s*(?:;|\n|\s&\s|\band\b)\s*", text.strip()):
        commas = [p.strip() for p in chunk.split(",") if p.strip()]
        if len(commas) > 1 and all(" " in p for p in commas):
            parts.extend(commas)
        else:
            parts.append(chunk)
    out = []
    for p in parts:
        p = clean_field(re.sub(r"^(?:by|and)\s+", "", p.strip(), flags=re.IGNORECASE))
        if p and p not in out:
            out.append(p)
    return out


_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def to_iso_date(value: object) -> str | None:
    """Return an ISO date of the precision given ("2017", "2018-04", "2017-12-14"), or None.

    Accepts ISO dates and timestamps (the date part is kept as written), PDF dates
    (``D:20171214...``), ``YYYY/MM/DD``, and English forms such as "14 December 2017",
    "August 26, 2021" or "Apr 2018".

    >>> to_iso_date("D:20171214093000+01'00'")
    '2017-12-14'
    >>> to_iso_date("August 26, 2021")
    '2021-08-26'
    >>> to_iso_date("2018-04")
    '2018-04'
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return _iso(value.year, value.month, value.day)
    if isinstance(value, int):
        return _iso(value)
    text = " ".join(str(value).split()).strip()
    if not text:
        return None
    if m := re.fullmatch(r"D:(\d{4})(\d{2})?(\d{2})?.*", text):
        y, mo, d = m.groups()
        return _iso(int(y), int(mo) if mo else None, int(d) if d else None)
    if m := re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ].*)?", text):
        y, mo, d = m.groups()
        return _iso(int(y), int(mo) if mo else None, int(d) if d else None)
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T.*)?", text):
        return _iso(*(int(g) for g in m.groups()))
    low = text.lower()
    # Drop a leading weekday ("Thursday, 14 December 2017").
    low = re.sub(r"^[a-z]+day,?\s+", "", low)
    if m := re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RE},?\s+(\d{{4}})\b.*", low):
        return _iso(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    if m := re.fullmatch(rf"{_MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b.*", low):
        return _iso(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
    if m := re.fullmatch(rf"{_MONTH_RE},?\s+(\d{{4}})", low):
        return _iso(int(m.group(2)), _MONTHS[m.group(1)])
    return None


# Bytes that do not occur in text: C0 controls other than tab, line feed, vertical tab,
# form feed, carriage return and escape; and DEL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
BINARY_CONTROL_SHARE = 0.02


def looks_binary(data: bytes) -> bool:
    """True when ``data`` (without a UTF-16/32 byte order mark) is not text: it holds a NUL
    byte or more than 2% control bytes."""
    if b"\x00" in data:
        return True
    sample = data[: 1 << 20]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > BINARY_CONTROL_SHARE * len(sample)
