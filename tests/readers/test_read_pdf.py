"""PDF: paragraphs, hyphenation, page offsets, metadata, encrypted/corrupt/scanned files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from factiongraph.readers import ReaderError, read_document
from factiongraph.readers.pdf import assemble


def test_pdf_text_paragraphs_and_metadata(paragraph: str, pdf_file: Callable[..., Path]) -> None:
    path = pdf_file(paragraphs=["Introduction", paragraph, "A short closing paragraph."])
    result = read_document(path)
    assert result.format == "pdf"
    assert result.text.split("\n\n") == ["Introduction", paragraph, "A short closing paragraph."]
    assert result.title == "Rivals in the Hills"
    assert result.authors == ["Jane Roe", "John Doe"]
    assert result.published == "2018-04-03"
    assert result.extra["pages"] == 1


def test_page_starts_point_at_each_page(paragraph: str, pdf_file: Callable[..., Path]) -> None:
    path = pdf_file(pages=[["Page one opens here.", paragraph], ["Page two opens here."]])
    result = read_document(path)
    starts = result.extra["page_starts"]
    assert len(starts) == 2
    assert result.text[starts[0] :].startswith("Page one opens here.")
    assert result.text[starts[1] :].startswith("Page two opens here.")


def test_pdf_without_metadata(paragraph: str, pdf_file: Callable[..., Path]) -> None:
    result = read_document(pdf_file(title=None, author=None, created=None))
    assert result.title is None and result.authors == []
    assert result.text == paragraph


def test_assemble_joins_hyphenated_words_and_drops_page_numbers() -> None:
    long = "x" * 60
    pages = [
        f"{long} the organiza-\ntion grew and IS-\nKhorasan {long}\nspread.\n3",
        "1\ncontinued on the next page.",
    ]
    text, starts = assemble(pages)
    assert "the organization grew and IS-Khorasan" in text
    assert "\n3" not in text and "1\n" not in text
    assert text.endswith("spread.\n\ncontinued on the next page.")
    assert text[starts[1] :] == "continued on the next page."


def test_assemble_continues_a_paragraph_across_pages() -> None:
    long = "word " * 14
    text, _ = assemble([f"{long}\n{long}and the", "talks went on in Doha."])
    assert text == f"{long.strip()} {long.strip()} and the talks went on in Doha."


def test_encrypted_pdf_needs_password(pdf_file: Callable[..., Path]) -> None:
    path = pdf_file("locked.pdf", user_password="secret")
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: encrypted PDF (password required)"


def test_encrypted_pdf_with_empty_user_password_is_read(
    paragraph: str, pdf_file: Callable[..., Path]
) -> None:
    path = pdf_file("owner-only.pdf", owner_password="owner")
    assert read_document(path).text == paragraph


def test_truncated_pdf_is_unreadable(pdf_file: Callable[..., Path]) -> None:
    path = pdf_file()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReaderError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(f"{path}: unreadable PDF: ")
    assert "\n" not in message


def test_not_a_pdf_at_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("this is not a PDF")
    with pytest.raises(ReaderError, match=r"fake\.pdf: unreadable PDF: not a PDF file"):
        read_document(path)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text: like a scanned page
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: no extractable text (scanned PDF?)"


def test_paragraph_gaps_and_font_sizes_split_paragraphs(tmp_path: Path) -> None:
    from fpdf import FPDF

    sentence = (
        "Militant groups in the region shifted alliances repeatedly between 2014 and 2019, "
        "and local commanders moved between organizations as funding changed."
    )
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.multi_cell(0, 6, "Shifting Alliances", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    # Justified text whose last line is nearly full: only the gap marks the break.
    paragraph = " ".join([sentence] * 3) + " The fighting continued through the long winter months."
    for _ in range(3):
        pdf.multi_cell(0, 5, paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    path = tmp_path / "gaps.pdf"
    path.write_bytes(bytes(pdf.output()))
    paragraphs = read_document(path).text.split("\n\n")
    assert paragraphs == ["Shifting Alliances"] + [paragraph] * 3
