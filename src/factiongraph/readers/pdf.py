"""PDF: text per page through pypdf, lines joined into paragraphs, metadata from the info dict.

pypdf gives lines but no paragraph marks, so paragraphs are rebuilt: a line ends its
paragraph when it is followed by a blank line or by a vertical gap clearly larger than the
page's usual line spacing, when the font size changes, when it is clearly shorter than the
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
GAP = 1.35  # a vertical gap over this multiple of the usual line spacing ends a paragraph
FONT_CHANGE = 1.15  # so does a change of font size by more than this factor
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|-\s*\d{1,4}\s*-", re.I)
_BULLET = re.compile(r"(?:[•▪●◦‣∙·*-]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")


@dataclass
class _Line:
    page: int
    text: str
    blank_after: bool = False
    y: float | None = None  # baseline height on the page, when known
    size: float | None = None  # font size, when known


@dataclass
class _Run:
    start: int  # offset of the run in the page text
    y: float
    size: float


def _extract(page: Any) -> tuple[str, list[_Run] | None]:
    """A page's text and, when they line up with it, the positions of its text runs."""
    runs: list[_Run] = []
    pieces: list[str] = []
    offset = 0

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        nonlocal offset
        if text.strip():
            try:
                y = float(tm[4]) * float(cm[1]) + float(tm[5]) * float(cm[3]) + float(cm[5])
                scale = abs(float(tm[3]) * float(cm[3])) or 1.0
                runs.append(_Run(offset, y, float(size) * scale))
            except (TypeError, ValueError, IndexError):
                pass
        pieces.append(text)
        offset += len(text)

    text = page.extract_text(visitor_text=visit) or ""
    return text, runs if "".join(pieces) == text else None


def _page_lines(page_no: int, raw: str, runs: list[_Run] | None = None) -> list[_Line]:
    """Stripped lines of one page, with positions when known; blank lines and large vertical
    gaps folded into ``blank_after``; lone page numbers at the top or bottom dropped."""
    lines: list[_Line] = []
    run_index = 0
    offset = 0
    for raw_line in raw.split("\n"):
        y = size = None
        if runs:
            end = offset + len(raw_line)
            while run_index < len(runs) and runs[run_index].start < offset:
                run_index += 1
            if run_index < len(runs) and runs[run_index].start < max(end, offset + 1):
                y, size = runs[run_index].y, runs[run_index].size
        offset += len(raw_line) + 1
        for i, text in enumerate(normalize_text(raw_line).split("\n")):
            text = text.strip()
            if not text:
                if lines:
                    lines[-1].blank_after = True
                continue
            lines.append(_Line(page_no, text, y=y if i == 0 else None, size=size))
    for edge in (0, -1):
        if lines and _PAGE_NUMBER.fullmatch(lines[edge].text):
            lines.pop(edge)
    _mark_gaps(lines)
    return lines


def _mark_gaps(lines: list[_Line]) -> None:
    """Set ``blank_after`` where the next line sits much lower than the usual spacing or
    uses a clearly different font size."""
    steps = [
        a.y - b.y
        for a, b in zip(lines, lines[1:], strict=False)
        if a.y is not None and b.y is not None and a.y - b.y > 0
    ]
    if len(steps) < 2:
        return
    steps.sort()
    usual = steps[len(steps) // 2]
    for a, b in zip(lines, lines[1:], strict=False):
        if a.y is None or b.y is None:
            continue
        sizes = sorted((a.size or 0.0, b.size or 0.0))
        resized = sizes[0] > 0 and sizes[1] > FONT_CHANGE * sizes[0]
        if a.y - b.y > GAP * usual or resized:
            a.blank_after = True


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


def assemble(
    pages: list[str], positions: list[list[_Run] | None] | None = None
) -> tuple[str, list[int]]:
    """Join page texts into paragraphs; return the text and each page's start offset."""
    positions = positions or [None] * len(pages)
    lines = [
        line
        for no, (raw, runs) in enumerate(zip(pages, positions, strict=True))
        for line in _page_lines(no, raw, runs)
    ]
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
    positions: list[list[_Run] | None] = []
    failed: list[int] = []
    for no, page in enumerate(page_list, start=1):
        try:
            text, runs = _extract(page)
        except Exception:  # one bad page should not lose the others
            text, runs = "", None
            failed.append(no)
        pages.append(text)
        positions.append(runs)
    if page_list and len(failed) == len(page_list):
        raise ReaderError(path, "unreadable PDF: no page could be decoded")
    text, page_starts = assemble(pages, positions)
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
