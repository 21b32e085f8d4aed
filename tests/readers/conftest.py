"""Builders for small documents written into a test's tmp_path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

PARAGRAPH = (
    "The Islamic State Khorasan fought the Taliban in Nangarhar during 2015 and 2016, while "
    "several commanders of the Tehrik-e Taliban Pakistan defected to the new group and "
    "pledged allegiance to its leadership in the months that followed."
)


@pytest.fixture
def paragraph() -> str:
    return PARAGRAPH


def make_pdf(
    path: Path,
    paragraphs: list[str] | None = None,
    *,
    pages: list[list[str]] | None = None,
    title: str | None = "Rivals in the Hills",
    author: str | None = "Jane Roe; John Doe",
    created: dt.datetime | None = dt.datetime(2018, 4, 3, 10, 0, tzinfo=dt.UTC),
    user_password: str | None = None,
    owner_password: str | None = None,
) -> Path:
    """Write a PDF; each inner list of ``pages`` is one page of paragraphs."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if created:
        pdf.set_creation_date(created)
    if user_password is not None or owner_password is not None:
        pdf.set_encryption(owner_password=owner_password or "owner", user_password=user_password)
    pdf.set_font("helvetica", size=11)
    for page in pages or [paragraphs or [PARAGRAPH]]:
        pdf.add_page()
        for para in page:
            pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    path.write_bytes(bytes(pdf.output()))
    return path


@pytest.fixture
def pdf_file(tmp_path: Path) -> Callable[..., Path]:
    def build(name: str = "report.pdf", *args: object, **kwargs: object) -> Path:
        return make_pdf(tmp_path / name, *args, **kwargs)  # type: ignore[arg-type]

    return build
