"""Cutting a document into the pieces that are parsed, and the pieces that are not.

Documents are parsed a piece at a time so that pieces of many documents share a batch.
Reference lists and captions are not parsed at all: no relation is read from them, and
their dense punctuation makes them the dearest text to parse. They still become tokens
(with names merged, as elsewhere), each line one sentence, so that offsets, sentences and
names stay those of the whole text.

>>> [(c.start, c.parse) for c in plan_chunks("Prose here.\\n\\n[1] A. Author, https://x.org\\n")]
[(0, True), (13, False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["CITATION", "Chunk", "plan_chunks", "split_chunks", "is_reference_line", "flat_parse"]

CITATION = re.compile(
    r"^\s*\[?\d{1,3}[\].]?\s+\S.*[\u201c\"].*[\u201d\"]|\bpp?\.\s*\d|\bvol\.\s*\d|https?://|"
    r"\b(?:accessed|retrieved)\s+(?:on\s+)?\d|^\s*\[\d{1,3}\]|\(\w+(?: \w+)*: [A-Z][^)]*\d{4}\)|"
    r"University Press|^\s*\[[^\]]{10,}\]\.?\s*$|^\s*(?:FIGURE|Figure|Fig\.|TABLE|Table|MAP|Map)"
    r"\s*\d|"
    r"^\s*-?\s*['\u2018\u201c\"][^'\u2019\u201d\"]{5,}['\u2019\u201d\"]\.?\s*$",
    re.IGNORECASE,
)
"""A sentence or line that cites a source or labels a figure rather than states a fact."""

_NOTE_MARK = re.compile(r"^\s*(?:[-*\u2022]\s*)?\[\d{1,3}\]\s*")
_PARA_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LONGEST_REFERENCE = 500  # characters; a longer line is a paragraph, whatever it cites


@dataclass(frozen=True)
class Chunk:
    """A piece of a document: where it starts, its text, and whether to parse it."""

    start: int
    text: str
    parse: bool = True


def is_reference_line(line: str) -> bool:
    """A bibliography entry, link or caption line (not a note written as prose).

    >>> is_reference_line("[4] J. Smith, 'A title', Journal, pp. 4-9.")
    True
    >>> is_reference_line("[13] The group's leader was killed in May 2016.")
    False
    """
    if not line.strip() or len(line) > _LONGEST_REFERENCE or not CITATION.search(line):
        return False
    body = _NOTE_MARK.sub("", line, count=1)
    # a note marker alone makes a sentence a citation, but a note can state facts
    return body == line or bool(CITATION.search(body))


def split_chunks(text: str, size: int = 2000) -> list[tuple[int, str]]:
    """Cut ``text`` at paragraph breaks into pieces of about ``size`` characters.

    The pieces, joined, give back ``text``.

    >>> split_chunks("a b.\\n\\nc d.", size=3)
    [(0, 'a b.\\n\\n'), (6, 'c d.')]
    """
    out: list[tuple[int, str]] = []
    start = 0
    for m in _PARA_BREAK.finditer(text):
        cut = m.end()
        if cut - start >= size:
            out.append((start, text[start:cut]))
            start = cut
    if start < len(text) or not out:
        out.append((start, text[start:]))
    return out


def plan_chunks(text: str, size: int = 2000) -> list[Chunk]:
    """Runs of reference lines as unparsed chunks; the prose between cut by :func:`split_chunks`.

    The chunks, joined, give back ``text``.
    """
    runs: list[tuple[int, int]] = []  # (start, end) of each run of reference lines
    pos = 0
    run_start: int | None = None
    run_end = 0
    for line in text.splitlines(keepends=True):
        if is_reference_line(line):
            if run_start is None:
                run_start = pos
            run_end = pos + len(line)
        elif line.strip() and run_start is not None:
            runs.append((run_start, run_end))
            run_start = None
        elif not line.strip() and run_start is not None:
            run_end = pos + len(line)  # blank lines inside a reference list stay in it
        pos += len(line)
    if run_start is not None:
        runs.append((run_start, run_end))
    out: list[Chunk] = []
    prose_start = 0
    for start, end in runs:
        if start > prose_start:
            out.extend(
                Chunk(prose_start + k, piece)
                for k, piece in split_chunks(text[prose_start:start], size)
            )
        out.append(Chunk(start, text[start:end], parse=False))
        prose_start = end
    if prose_start < len(text) or not out:
        out.extend(
            Chunk(prose_start + k, piece) for k, piece in split_chunks(text[prose_start:], size)
        )
    return out


def flat_parse(doc: Doc) -> Doc:
    """Give an unparsed chunk a trivial tree: each line one sentence, its first word the root.

    Sentences, spans and the rest of the pipeline then work on it as on parsed text.
    """
    import numpy
    from spacy.attrs import DEP, HEAD

    if not len(doc):
        return doc
    root = doc.vocab.strings.add("ROOT")
    dep = doc.vocab.strings.add("dep")
    heads = numpy.zeros((len(doc), 2), dtype="uint64")
    line_root = 0
    starts_line = True
    for tok in doc:
        if starts_line and not tok.is_space:
            line_root = tok.i
            starts_line = False
        heads[tok.i, 0] = numpy.uint64(numpy.int64(line_root - tok.i).view("uint64"))
        heads[tok.i, 1] = root if tok.i == line_root else dep
        if tok.is_space and "\n" in tok.text:
            starts_line = True
    doc.from_array([HEAD, DEP], heads)
    if doc.tensor.size == 0:
        doc.tensor = numpy.zeros((len(doc), 0), dtype="float32")
    return doc
