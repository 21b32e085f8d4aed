"""Plain text and Markdown: encodings, front matter, header blocks, normalisation."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from factiongraph.readers import ReaderError, read_document
from factiongraph.readers.base import normalize_text


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_plain_utf8_keeps_text_and_normalises(tmp_path: Path) -> None:
    raw = "First line\r\nsecond line  \r\n\r\n\r\n\r\nNew para\x07graph with tab\there.\r\n"
    result = read_document(write(tmp_path, "a.txt", raw))
    assert result.text == "First line\nsecond line\n\nNew paragraph with tab\there."
    assert result.format == "text"
    assert result.extra["encoding"] == "utf-8"
    assert result.title is None and result.authors == []


def test_nfc_normalisation(tmp_path: Path) -> None:
    decomposed = "Kunduz cafe\u0301 attack"
    result = read_document(write(tmp_path, "a.txt", decomposed))
    assert result.text == "Kunduz caf\u00e9 attack"


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    result = read_document(write(tmp_path, "a.txt", codecs.BOM_UTF8 + b"Hello world"))
    assert result.text == "Hello world"
    assert result.extra["encoding"] == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    text = "Hizb-e Islami signed a peace deal in 2016.\n\nA second paragraph."
    result = read_document(write(tmp_path, "a.txt", bom + text.encode(encoding)))
    assert result.text == text
    assert result.extra["encoding"] == "utf-16"


def test_cp1252_bytes_are_accepted(tmp_path: Path) -> None:
    data = "The \u201cTaliban\u201d met in Qu\u00e9bec \u2013 d\u00e9j\u00e0 vu.".encode("cp1252")
    result = read_document(write(tmp_path, "a.txt", data))
    assert result.text == "The \u201cTaliban\u201d met in Qu\u00e9bec \u2013 d\u00e9j\u00e0 vu."
    assert result.extra["encoding"] == "cp1252"


def test_latin1_bytes_are_accepted(tmp_path: Path) -> None:
    data = "Fran\u00e7ois and G\u00fcnther reported from Kabul.".encode("latin-1")
    result = read_document(write(tmp_path, "a.txt", data))
    assert result.text == "Fran\u00e7ois and G\u00fcnther reported from Kabul."


def test_undecodable_text_names_byte_and_offset(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252 and invalid as a UTF-8 start byte.
    path = write(tmp_path, "bad.txt", b"Plain words \x81 then more")
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: not valid UTF-8 text (byte 0x81 at offset 12)"


def test_mostly_non_ascii_legacy_bytes_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", bytes(range(0xC0, 0xFF)) * 4)
    with pytest.raises(ReaderError, match=r"not valid UTF-8 text \(byte 0xc0 at offset 0\)"):
        read_document(path)


def test_binary_junk_with_text_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "junk.txt", bytes(range(256)) * 8)
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: binary data, not text"


def test_control_heavy_bytes_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "junk.md", b"ab\x01\x02\x03\x04cd\x05\x06" * 50)
    with pytest.raises(ReaderError, match="binary data, not text"):
        read_document(path)


def test_yaml_front_matter(tmp_path: Path) -> None:
    raw = (
        "---\n"
        "title: Friends of Convenience\n"
        "authors: [Jane Roe, John Doe]\n"
        "date: 2017-12-14\n"
        "publisher: Some Institute\n"
        "genre: analytical report\n"
        "url: https://example.org/x\n"
        "---\n"
        "\n"
        "Body text starts here.\n"
    )
    result = read_document(write(tmp_path, "a.txt", raw))
    assert result.text == "Body text starts here."
    assert result.title == "Friends of Convenience"
    assert result.authors == ["Jane Roe", "John Doe"]
    assert result.published == "2017-12-14"
    assert result.publisher == "Some Institute"
    assert result.genre == "analytical report"
    assert result.extra["url"] == "https://example.org/x"
    assert result.extra["metadata_from"] == "front_matter"


def test_malformed_front_matter_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "---\ntitle: [unclosed\n---\nBody.\n")
    with pytest.raises(ReaderError, match=r"a\.md: malformed YAML front matter"):
        read_document(path)


def test_dashes_that_are_not_front_matter_stay(tmp_path: Path) -> None:
    raw = "---\nJust a rule above a sentence.\n---\nMore.\n"
    result = read_document(write(tmp_path, "a.txt", raw))
    assert result.text == raw.strip()


def test_key_value_header_block(tmp_path: Path) -> None:
    raw = (
        "Title: IS-Khorasan and its rivals\n"
        "Authors: Ana Lima, Ben Okafor\n"
        "Published: April 2018\n"
        "Publisher: Journal of Examples\n"
        "\n"
        "Summary: New factions drew fighters from older ones.\n"
    )
    result = read_document(write(tmp_path, "a.txt", raw))
    assert result.text == "Summary: New factions drew fighters from older ones."
    assert result.title == "IS-Khorasan and its rivals"
    assert result.authors == ["Ana Lima", "Ben Okafor"]
    assert result.published == "2018-04"
    assert result.publisher == "Journal of Examples"


def test_unknown_key_is_not_a_header(tmp_path: Path) -> None:
    raw = "Summary: New factions appeared.\nSecond line.\n\nBody.\n"
    result = read_document(write(tmp_path, "a.txt", raw))
    assert result.text == raw.strip()
    assert result.title is None


def test_markdown_kept_as_written(tmp_path: Path) -> None:
    raw = "---\nauthor: Jane Roe\n---\n# The Split\n\nSome *emphasis* and a [link](x).\n"
    result = read_document(write(tmp_path, "a.md", raw))
    assert result.format == "markdown"
    assert result.text == "# The Split\n\nSome *emphasis* and a [link](x)."
    assert result.title == "The Split"
    assert result.authors == ["Jane Roe"]


def test_header_only_file_has_no_words(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "---\ntitle: Only metadata\n---\n")
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: empty text after reading"


def test_normalize_text_is_idempotent() -> None:
    raw = "a\u2028b\u2029c\x0cd \t\n\n\n e\u0065\u0301"
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert "\x0c" not in once


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_gets_its_own_message(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "a.txt", "Plain words in UTF-16, no mark.".encode(encoding))
    with pytest.raises(ReaderError, match=r"a\.txt: UTF-16 text without a byte order mark"):
        read_document(path)


def test_utf8_bom_with_bad_bytes_reports_file_offset(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", codecs.BOM_UTF8 + b"abc\xff")
    with pytest.raises(ReaderError, match=r"not valid UTF-8 text \(byte 0xff at offset 6\)$"):
        read_document(path)
