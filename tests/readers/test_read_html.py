"""HTML: main text, headings as paragraphs, metadata, no scripts or styles in the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from factiongraph.readers import ReaderError, read_document

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Old foes? | Example News</title>
  <meta name="author" content="Pat Writer">
  <meta property="og:title" content="Old foes or quiet partners?">
  <meta property="og:site_name" content="Example News">
  <meta property="article:published_time" content="2021-08-26T02:02:00-04:00">
  <style>body { color: red; } .STYLE_MARKER {}</style>
  <script>var SCRIPT_MARKER = "do not read me";</script>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/about">About</a></nav>
  <article>
    <h1>Old foes or quiet partners?</h1>
    <p>The Taliban and the Islamic State Khorasan have fought each other in Nangarhar
       since 2015, according to officials in Kabul.</p>
    <script>document.write("SCRIPT_MARKER_TWO")</script>
    <h2>A long rivalry</h2>
    <p>Some commanders defected from the Tehrik-e Taliban Pakistan to the new group,
       which drew <b>fighters</b> from several factions.<br>A second line.</p>
  </article>
  <footer>Copyright footer</footer>
</body>
</html>
"""


def test_html_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    result = read_document(path)
    assert result.format == "html"
    paragraphs = result.text.split("\n\n")
    assert paragraphs[0] == "Old foes or quiet partners?"
    assert "A long rivalry" in paragraphs
    assert any(
        p.startswith("The Taliban and the Islamic State Khorasan have fought") for p in paragraphs
    )
    assert "which drew fighters from several factions.\nA second line." in result.text
    assert "MARKER" not in result.text
    assert "color: red" not in result.text
    assert result.title == "Old foes or quiet partners?"
    assert result.authors == ["Pat Writer"]
    assert result.published == "2021-08-26"
    assert result.publisher == "Example News"
    assert result.extra["language"] == "en"


def test_citation_meta_takes_precedence(tmp_path: Path) -> None:
    html = """<html><head><title>Page title</title>
    <meta name="citation_title" content="Rival Banners">
    <meta name="citation_author" content="Lima, Ana">
    <meta name="citation_author" content="Okafor, Ben">
    <meta name="citation_publication_date" content="2018/04/30">
    <meta name="citation_journal_title" content="Journal of Examples">
    <meta name="DC.creator" content="Someone Else">
    </head><body><p>Rivalries between militant groups grew sharper in 2016.</p></body></html>"""
    path = tmp_path / "a.htm"
    path.write_text(html, encoding="utf-8")
    result = read_document(path)
    assert result.title == "Rival Banners"
    assert result.authors == ["Lima, Ana", "Okafor, Ben"]
    assert result.published == "2018-04-30"
    assert result.publisher == "Journal of Examples"


def test_dc_meta_and_time_element(tmp_path: Path) -> None:
    html = """<html><head><meta name="DC.title" content="Dublin Core title">
    <meta name="dc.creator" content="A. Author"></head>
    <body><p>Posted <time datetime="2019-03">March</time>.</p>
    <p>The shura council met twice that spring.</p></body></html>"""
    path = tmp_path / "a.html"
    path.write_text(html, encoding="utf-8")
    result = read_document(path)
    assert result.title == "Dublin Core title"
    assert result.authors == ["A. Author"]
    assert result.published == "2019-03"


def test_fallback_extraction_when_trafilatura_finds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tiny.html"
    path.write_text("<div>Tiny <script>SCRIPT_MARKER()</script>note</div>", encoding="utf-8")
    result = read_document(path)
    assert "Tiny" in result.text and "note" in result.text
    assert "SCRIPT_MARKER" not in result.text


def test_declared_legacy_charset(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="windows-1252"></head>'
        "<body><p>Caf\u00e9 talks in Doha.</p></body></html>"
    )
    path = tmp_path / "a.html"
    path.write_bytes(html.encode("cp1252"))
    assert "Caf\u00e9 talks in Doha." in read_document(path).text


def test_html_with_no_words(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>x = 1</script></head><body> </body></html>")
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: empty text after reading"


def test_binary_with_html_suffix(tmp_path: Path) -> None:
    path = tmp_path / "junk.html"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(ReaderError, match=r"junk\.html: binary data, not text$"):
        read_document(path)


def test_xml_declaration_encoding(tmp_path: Path) -> None:
    xhtml = (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>X</title></head>'
        "<body><p>G\u00fcnther reported on the shura council in Quetta.</p></body></html>"
    )
    path = tmp_path / "a.xhtml.html"
    path.write_bytes(xhtml.encode("latin-1"))
    result = read_document(path)
    assert "G\u00fcnther reported" in result.text
    assert result.extra["encoding"] == "iso-8859-1"


def test_comment_only_html_has_no_words(tmp_path: Path) -> None:
    path = tmp_path / "c.html"
    path.write_text("<!-- nothing here -->\n")
    with pytest.raises(ReaderError, match=r"c\.html: empty text after reading$"):
        read_document(path)
