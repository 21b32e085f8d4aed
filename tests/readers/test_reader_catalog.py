"""catalog.json loading and the metadata precedence: overrides > catalog > file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factiongraph.readers import (
    ReaderError,
    ReadResult,
    iter_documents,
    load_catalog,
    lookup_catalog,
    merge_metadata,
    read_document,
)

ENTRIES = [
    {
        "file": "one.txt",
        "title": "Catalog Title One",
        "authors": ["Ann Analyst"],
        "publisher": "Catalog Press",
        "published": "2017-12-14",
        "genre": "analytical report",
    },
    {
        "file": "two.md",
        "title": "Catalog Title Two",
        "authors": [],
        "publisher": "Encyclopedia (snapshot)",
        "published": "2023",
        "genre": "encyclopedia article",
        "url": "https://example.org/two",
    },
]


def test_load_catalog_list_shape(tmp_path: Path) -> None:
    (tmp_path / "catalog.json").write_text(json.dumps(ENTRIES))
    catalog = load_catalog(tmp_path)
    assert set(catalog) == {"one.txt", "two.md"}
    assert catalog["one.txt"]["title"] == "Catalog Title One"
    assert catalog["two.md"]["published"] == "2023"
    assert catalog["two.md"]["extra"] == {"url": "https://example.org/two"}


def test_load_catalog_dict_shape(tmp_path: Path) -> None:
    data = {"one.txt": {"title": "T", "authors": "A. One; B. Two", "published": "2018-04"}}
    (tmp_path / "catalog.json").write_text(json.dumps(data))
    assert load_catalog(tmp_path) == {
        "one.txt": {"title": "T", "authors": ["A. One", "B. Two"], "published": "2018-04"}
    }


def test_no_catalog_is_empty(tmp_path: Path) -> None:
    assert load_catalog(tmp_path) == {}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[{", "malformed catalog: Expecting property name enclosed in double quotes at line 1"),
        ('"just a string"', "malformed catalog: expected a list of entries or an object"),
        ('[{"title": "no file"}]', "malformed catalog: entry 1 has no 'file'"),
        ('[{"file": "a.txt", "published": "someday"}]', "unreadable date 'someday'"),
        ('[{"file": "a.txt", "authors": 7}]', "'authors' that is not a list of names"),
        ('[{"file": "a.txt"}, {"file": "a.txt"}]', "'a.txt' is listed twice"),
    ],
)
def test_malformed_catalog_names_the_catalog(tmp_path: Path, content: str, problem: str) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_text(content)
    with pytest.raises(ReaderError) as info:
        load_catalog(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{catalog}: ")
    assert problem in message
    assert "\n" not in message


def test_merge_precedence() -> None:
    own = ReadResult(
        text="Body.",
        title="File Title",
        authors=["File Author"],
        published="2016",
        publisher="File Publisher",
        format="text",
    )
    entry = {"title": "Catalog Title", "authors": [], "published": "2017-12-14", "genre": "report"}
    merged = merge_metadata(own, entry, {"title": "Flag Title", "publisher": None})
    assert merged.title == "Flag Title"
    assert merged.authors == ["File Author"]  # an empty catalog list does not erase
    assert merged.published == "2017-12-14"
    assert merged.publisher == "File Publisher"
    assert merged.genre == "report"
    assert merged.extra["metadata_sources"] == {
        "title": "override",
        "authors": "file",
        "published": "catalog",
        "publisher": "file",
        "genre": "catalog",
    }
    assert own.title == "File Title"  # the input is not changed


def test_merge_rejects_bad_overrides() -> None:
    own = ReadResult(text="Body.", format="text")
    with pytest.raises(ValueError, match=r"unknown metadata field\(s\) colour"):
        merge_metadata(own, None, {"colour": "red"})
    with pytest.raises(ValueError, match="unreadable date 'soon'"):
        merge_metadata(own, None, {"published": "soon"})
    merged = merge_metadata(own, None, {"published": "14 December 2017", "authors": "A; B"})
    assert merged.published == "2017-12-14"
    assert merged.authors == ["A", "B"]


def test_folder_recursion_with_catalog_merge(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "more").mkdir(parents=True)
    (root / "catalog.json").write_text(json.dumps(ENTRIES))
    (root / "one.txt").write_text("Title: Header Title\nAuthor: Header Author\n\nFirst body.")
    (root / "two.md").write_text("# Markdown heading\n\nSecond body.")
    (root / "more" / "three.txt").write_text("Third body.")
    (root / "more" / "catalog.json").write_text(
        json.dumps({"three.txt": {"title": "Nested Title", "published": "2021-08"}})
    )

    cache: dict[Path, dict[str, dict]] = {}
    merged = {}
    for path in iter_documents([root]):
        result = read_document(path)
        merged[path.name] = merge_metadata(result, lookup_catalog(path, cache))

    assert list(merged) == ["one.txt", "two.md", "three.txt"]
    one = merged["one.txt"]
    assert one.text == "First body."
    assert one.title == "Catalog Title One"
    assert one.authors == ["Ann Analyst"]
    assert one.publisher == "Catalog Press"
    two = merged["two.md"]
    assert two.title == "Catalog Title Two"
    assert two.authors == []
    assert two.extra["catalog"] == {"url": "https://example.org/two"}
    three = merged["three.txt"]
    assert (three.title, three.published) == ("Nested Title", "2021-08")
    assert set(cache) == {root, root / "more"}
