"""DOCX: paragraphs, headings, tables and core properties; damaged files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factiongraph.readers import ReaderError, read_document


def make_docx(path: Path, *, properties: bool = True) -> Path:
    import docx

    document = docx.Document()
    if properties:
        props = document.core_properties
        props.title = "Friends of Convenience"
        props.author = "Antonio Example; Second Author"
        props.created = dt.datetime(2017, 12, 14, 9, 30)
        props.subject = "Afghanistan"
    document.add_heading("Background", level=1)
    document.add_paragraph("The Taliban and IS-K clashed in Nangarhar in 2015.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Group"
    table.cell(0, 1).text = "Leader"
    table.cell(1, 0).text = "IS-K"
    table.cell(1, 1).text = "Hafiz Saeed Khan"
    document.add_paragraph("")
    document.add_paragraph("Closing remarks follow the table.")
    document.save(str(path))
    return path


def test_docx_text_and_core_properties(tmp_path: Path) -> None:
    result = read_document(make_docx(tmp_path / "report.docx"))
    assert result.format == "docx"
    assert result.text == (
        "Background\n\n"
        "The Taliban and IS-K clashed in Nangarhar in 2015.\n\n"
        "Group | Leader\n\n"
        "IS-K | Hafiz Saeed Khan\n\n"
        "Closing remarks follow the table."
    )
    assert result.title == "Friends of Convenience"
    assert result.authors == ["Antonio Example", "Second Author"]
    assert result.published == "2017-12-14"
    assert result.extra["subject"] == "Afghanistan"


def test_blank_template_properties_are_ignored(tmp_path: Path) -> None:
    result = read_document(make_docx(tmp_path / "plain.docx", properties=False))
    assert result.authors == []
    assert result.published is None


def test_damaged_docx(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "broken.docx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: unreadable DOCX: damaged zip archive"


def test_old_word_file_renamed_to_docx(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ReaderError, match=r"old\.docx: unreadable DOCX: not a \.docx file"):
        read_document(path)
