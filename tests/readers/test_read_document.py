"""read_document's own checks, the reader registry and folder expansion."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from factiongraph.readers import (
    READERS,
    SUPPORTED_SUFFIXES,
    ReaderError,
    ReadResult,
    iter_documents,
    read_document,
    register_reader,
)


def one_line(err: ReaderError) -> str:
    message = str(err)
    assert "\n" not in message
    return message


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert one_line(info.value) == f"{path}: no such file"
    assert info.value.path == path
    assert info.value.reason == "no such file"


def test_folder_is_not_a_document(tmp_path: Path) -> None:
    with pytest.raises(ReaderError) as info:
        read_document(tmp_path)
    assert one_line(info.value) == f"{tmp_path}: is a folder, not a file"


def test_unsupported_suffix_lists_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "data.xyz"
    path.write_text("words")
    with pytest.raises(ReaderError) as info:
        read_document(path)
    message = one_line(info.value)
    assert message.startswith(f"{path}: unsupported file type .xyz (supported: ")
    for suffix in (".docx", ".htm", ".html", ".md", ".pdf", ".txt"):
        assert suffix in message


def test_no_suffix(tmp_path: Path) -> None:
    path = tmp_path / "README"
    path.write_text("words")
    with pytest.raises(ReaderError, match=r"unsupported file type \(no suffix\)"):
        read_document(path)


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "NOTES.TXT"
    path.write_text("Upper-case suffix.")
    assert read_document(path).text == "Upper-case suffix."


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert one_line(info.value) == f"{path}: empty file"


def test_whitespace_only_file_yields_no_words(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n\t \n")
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert one_line(info.value) == f"{path}: empty text after reading"


def test_oversize_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 600)  # 3000 bytes
    with pytest.raises(ReaderError) as info:
        read_document(path, max_bytes=2048)
    assert one_line(info.value) == f"{path}: file is 2.9 KB, over the 2 KB limit"
    assert read_document(path, max_bytes=4096).text.startswith("word word")


def test_oversize_message_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (3 * 1024 * 1024 + 200 * 1024))
    with pytest.raises(ReaderError, match=r"file is 3\.2 MB, over the 1 MB limit$"):
        read_document(path, max_bytes=1024 * 1024)


def test_reader_crash_becomes_reader_error(tmp_path: Path) -> None:
    def broken(path: Path, data: bytes) -> ReadResult:
        raise RuntimeError("boom\nsecond line")

    register_reader(".broken", broken)
    try:
        path = tmp_path / "x.broken"
        path.write_text("words")
        with pytest.raises(ReaderError) as info:
            read_document(path)
        assert one_line(info.value) == f"{path}: reader failed: boom second line"
        assert isinstance(info.value.__cause__, RuntimeError)
    finally:
        READERS.pop(".broken")


def test_register_reader_extends_the_registry(tmp_path: Path) -> None:
    def read_upper(path: Path, data: bytes) -> ReadResult:
        return ReadResult(text=data.decode().upper(), format="text")

    register_reader([".UPR", ".upper"], read_upper)
    try:
        assert ".upr" in SUPPORTED_SUFFIXES and ".upper" in SUPPORTED_SUFFIXES
        path = tmp_path / "a.upr"
        path.write_text("shout")
        assert read_document(path).text == "SHOUT"
    finally:
        READERS.pop(".upr")
        READERS.pop(".upper")
    with pytest.raises(ValueError, match="not a file suffix"):
        register_reader("rtf", read_upper)


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "corpus"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for rel in (
        "b.txt",
        "a.md",
        "catalog.json",
        "notes.xyz",
        ".secret.txt",
        "sub/c.html",
        "sub/deeper/d.PDF",
        ".hidden/e.txt",
    ):
        (root / rel).write_text("x")
    yield root


def test_iter_documents_walks_folders_sorted(tree: Path) -> None:
    found = [p.relative_to(tree).as_posix() for p in iter_documents([tree])]
    assert found == ["a.md", "b.txt", "sub/c.html", "sub/deeper/d.PDF"]


def test_iter_documents_keeps_named_files_of_any_suffix(tree: Path) -> None:
    named = tree / "notes.xyz"
    missing = tree / "missing.txt"
    found = list(iter_documents([named, tree / "sub", missing, tree / "sub" / "c.html"]))
    assert found == [named, tree / "sub" / "c.html", tree / "sub" / "deeper" / "d.PDF", missing]
    with pytest.raises(ReaderError, match="unsupported file type .xyz"):
        read_document(found[0])


def test_default_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:  # sparse: no data is written
        handle.truncate(int(73.2 * 1024 * 1024))
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert one_line(info.value) == f"{path}: file is 73.2 MB, over the 50 MB limit"
