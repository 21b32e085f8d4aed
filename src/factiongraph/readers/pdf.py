"""PDF: text per page through pypdf, lines joined into paragraphs, metadata from the info dict.

pypdf gives lines but no paragraph marks, so paragraphs are rebuilt: a line ends its
paragraph when it is followed by a blank line, when it is clearly shorter than the
document's usual line (a heading or the last line of a paragraph), or when the next line
starts a bullet. Words hyphenated across lines are joined ("organiza-" + "tion" becomes
"organization"; "IS-" + "Khorasan" keeps its hyphen). Lone page numbers at the top or
bottom of a page are dropped. ``extra["page_starts"]`` holds the offset in the text where
each page begins.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factiongraph.readers.base import (
    ReaderError,
    ReadResult,
    clean_field,
    normalize_text,
    split_authors,
    to_iso_date,
)

SHORT_LINE = 0.7  # a line shorter than this share of the usual line length ends a paragraph
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|-\s*\d{1,4}\s*-", re.I)
_BULLET = re.compile(r"(?:[•▪●◦‣∙·*–—-]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")


@dataclass
class _Line:
    page: int
    text: str
    blank_after: bool = False


def _page_lines(page_no: int, raw: str) -> list[_Line]:
    """Stripped lines of one page, blank lines folded into ``blank_after``, page numbers out."""
    lines: list[_Line] = []
    for text in normalize_text(raw).split("\n"):
        text = text.strip()
        if not text:
            if lines:
                lines[-1].blank_after = True
            continue
        lines.append(_Line(page_no, text))
    for edge in (0, -1):
        if lines and _PAGE_NUMBER.fullmatch(lines[edge].text):
            lines.pop(edge)
    return lines


def _usual_length(lines: list[_Line]) -> int:
    lengths = sorted(len(line.text) for line in lines)
    return lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0


def _joiner(cur: _Line, nxt: _Line, usual: int) -> tuple[str, str]:
    """How ``cur`` connects to ``nxt``: ``(cur text to emit, separator)``."""
    text = cur.text
    if cur.blank_after or _BULLET.match(nxt.text):
        return text, "\n\n"
    if text.endswith("\u00ad"):
        return text[:-1], ""
    if len(text) > 1 and text[-1] in "-\u2010" and text[-2].isalnum():
        if nxt.text[:1].islower() and text[-2].islower():
            return text[:-1], ""
        return text, ""
    if len(text) < SHORT_LINE * usual:
        return text, "\n\n"
    if nxt.page != cur.page and (_SENTENCE_END.search(text) or not nxt.text[:1].islower()):
        return text, "\n\n"
    return text, " "


def assemble(pages: list[str]) -> tuple[str, list[int]]:
    """Join page texts into paragraphs; return the text and each page's start offset."""
    lines = [line for no, raw in enumerate(pages) for line in _page_lines(no, raw)]
    usual = _usual_length(lines)
    parts: list[str] = []
    length = 0
    page_starts: list[int | None] = [None] * len(pages)
    for i, line in enumerate(lines):
        if page_starts[line.page] is None:
            page_starts[line.page] = length
        if i + 1 < len(lines):
            text, sep = _joiner(line, lines[i + 1], usual)
        else:
            text, sep = line.text, ""
        parts.append(text + sep)
        length += len(text) + len(sep)
    # Pages without text start where the next text begins.
    starts: list[int] = []
    nxt = length
    for value in reversed(page_starts):
        nxt = value if value is not None else nxt
        starts.append(nxt)
    return "".join(parts), starts[::-1]


def _metadata(info: Any) -> dict[str, Any]:
    """Title, authors and creation date from the document info dictionary."""
    out: dict[str, Any] = {"extra": {}}
    if not info:
        return out

    def get(key: str) -> str | None:
        try:
            value = info.get(key)
        except Exception:  # a broken info dictionary is not worth failing for
            return None
        return clean_field(value) if value is not None else None

    title = get("/Title")
    if title:
        title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)
        if re.search(r"\.(?:docx?|pdf|rtf|odt|indd|tex|pptx?)$", title, re.I):
            out["extra"]["file_title"] = title
            title = None
    out["title"] = title
    out["authors"] = split_authors(get("/Author"))
    created = get("/CreationDate")
    out["published"] = to_iso_date(created)
    for key in ("/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate"):
        if value := get(key):
            out["extra"][key[1:].lower()] = value
    return out


def read_pdf(path: Path, data: bytes) -> ReadResult:
    """Read a PDF's text and metadata; encrypted, corrupt and image-only files are errors."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise ReaderError(path, "unreadable PDF: not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")
            except DependencyError as exc:
                raise ReaderError(path, f"encrypted PDF (cannot decrypt: {exc})") from exc
            if not decrypted:
                raise ReaderError(path, "encrypted PDF (password required)")
        page_list = list(reader.pages)
        info = reader.metadata
    except ReaderError:
        raise
    except FileNotDecryptedError as exc:
        raise ReaderError(path, "encrypted PDF (password required)") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ReaderError(path, f"unreadable PDF: {_cause(exc)}") from exc

    pages: list[str] = []
    failed: list[int] = []
    for no, page in enumerate(page_list, start=1):
        try:
            pages.append(page.extract_text() or "")
        except Exception:  # one bad page should not lose the others
            pages.append("")
            failed.append(no)
    if page_list and len(failed) == len(page_list):
        raise ReaderError(path, "unreadable PDF: no page could be decoded")
    text, page_starts = assemble(pages)
    if not re.search(r"\w", text):
        raise ReaderError(path, "no extractable text (scanned PDF?)")
    meta = _metadata(info)
    extra: dict[str, Any] = {"pages": len(page_list), "page_starts": page_starts}
    extra.update(meta.pop("extra"))
    if failed:
        extra["unreadable_pages"] = failed
    return ReadResult(text=text, format="pdf", extra=extra, **meta)


def _cause(exc: BaseException) -> str:
    """A short, lower-case, one-line cause."""
    msg = " ".join(str(exc).split()) or type(exc).__name__
    msg = msg[:1].lower() + msg[1:]
    return msg if len(msg) <= 120 else msg[:117] + "..."
