"""HTML: main text through trafilatura, metadata from the page head."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Any

from factiongraph.readers.base import (
    ReaderError,
    ReadResult,
    clean_field,
    looks_binary,
    split_authors,
    to_iso_date,
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head")
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "li",
    "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "figure", "figcaption", "address", "hr", "form", "fieldset", "details",
    "summary", "caption", "body",
}  # fmt: skip


def decode_html(path: Path, data: bytes) -> tuple[str, str]:
    """Decode HTML bytes: byte order mark, then a declared charset, then UTF-8, then cp1252."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    if looks_binary(data):
        raise ReaderError(path, "binary data, not text")
    candidates = []
    if m := _META_CHARSET.search(data[:4096]):
        candidates.append((m.group(1) or m.group(2)).decode("ascii").lower())
    candidates += ["utf-8", "cp1252"]
    for enc in candidates:
        try:
            codecs.lookup(enc)
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace"), "utf-8"


def _inline_text(el: Any) -> str:
    """Text of an element with whitespace collapsed and ``<lb/>``/``<br>`` kept as newlines."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag in ("lb", "br"):
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _blocks_from_xml(xml: str) -> list[str]:
    """Paragraphs from trafilatura's XML output: headings, paragraphs, list items, rows."""
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    if main is None:
        return []
    blocks: list[str] = []

    def visit(el: Any) -> None:
        tag = el.tag
        if tag in ("list",):
            for child in el:
                visit(child)
        elif tag == "item" and any(c.tag == "list" for c in el):
            own = [c for c in el if c.tag != "list"]
            text = " ".join(
                filter(None, [" ".join((el.text or "").split())] + [_inline_text(c) for c in own])
            )
            if text:
                blocks.append(text)
            for c in el:
                if c.tag == "list":
                    visit(c)
        elif tag == "table":
            for row in el.iter("row"):
                cells = [_inline_text(c) for c in row if c.tag == "cell"]
                cells = [c.replace("\n", " ") for c in cells if c]
                if cells:
                    blocks.append(" | ".join(cells))
        elif tag in ("div", "main", "quote") and len(el) and el.text is None:
            for child in el:
                visit(child)
        else:
            text = _inline_text(el)
            if text:
                blocks.append(text)

    for child in main:
        visit(child)
    return blocks


def _blocks_from_tree(tree: Any) -> list[str]:
    """Fallback: every block element's own text, scripts and styles removed."""
    from lxml import etree

    body = tree.find(".//body")
    if body is None:
        body = tree
    etree.strip_elements(body, *_DROP_TAGS, etree.Comment, with_tail=False)
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if tag.lower() == "br":
            parts.append("\n")
        if block:
            parts.append("\n\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n\n")

    walk(body)
    blocks = []
    for chunk in re.split(r"\n\s*\n", "".join(parts)):
        lines = (" ".join(line.split()) for line in chunk.split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(text)
    return blocks


def _metadata(tree: Any) -> dict[str, Any]:
    """Title, authors, date and publisher from ``<meta>``, JSON-LD, ``<title>`` and ``<time>``."""
    metas: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if key and content and content.strip():
            metas.setdefault(key.strip(), []).append(content.strip())

    def first(*keys: str) -> str | None:
        for key in keys:
            if key in metas:
                return metas[key][0]
        return None

    ld = _json_ld(tree)
    title_el = tree.find(".//title")
    page_title = title_el.text_content() if title_el is not None else None
    title = (
        first("citation_title", "dc.title", "dcterms.title", "og:title", "twitter:title")
        or ld.get("headline")
        or ld.get("name")
        or page_title
    )

    authors: list[str] = []
    for key in ("citation_author", "dc.creator", "dcterms.creator", "author", "article:author"):
        if key in metas:
            for value in metas[key]:
                if not value.startswith("http"):
                    authors.extend(split_authors(value))
            if authors:
                break
    if not authors:
        authors = split_authors(ld.get("author"))

    date_raw = first(
        "citation_publication_date",
        "citation_date",
        "citation_online_date",
        "article:published_time",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "dcterms.issued",
        "og:published_time",
        "date",
        "pubdate",
        "publishdate",
    ) or ld.get("datePublished")
    if not date_raw:
        time_el = next((t for t in tree.iter("time") if t.get("datetime")), None)
        if time_el is not None:
            date_raw = time_el.get("datetime")

    publisher = first(
        "citation_publisher",
        "citation_journal_title",
        "dc.publisher",
        "dcterms.publisher",
        "og:site_name",
    )
    if not publisher and isinstance(ld.get("publisher"), dict):
        publisher = ld["publisher"].get("name")
    elif not publisher and isinstance(ld.get("publisher"), str):
        publisher = ld["publisher"]

    extra: dict[str, Any] = {}
    if date_raw and to_iso_date(date_raw) is None:
        extra["published_raw"] = date_raw
    for key, name in (
        ("og:url", "url"),
        ("citation_doi", "doi"),
        ("description", "description"),
        ("og:type", "og_type"),
    ):
        if value := first(key):
            extra[name] = value
    if lang := tree.get("lang"):
        extra["language"] = lang
    return {
        "title": clean_field(title),
        "authors": authors,
        "published": to_iso_date(date_raw),
        "publisher": clean_field(publisher),
        "genre": clean_field(first("citation_article_type", "dc.type")),
        "extra": extra,
    }


def _json_ld(tree: Any) -> dict[str, Any]:
    """The first JSON-LD object that looks like an article or web page, or ``{}``."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data])
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and ("headline" in item or "datePublished" in item):
                return item
    return {}


def read_html(path: Path, data: bytes) -> ReadResult:
    """Read an HTML page: main text (headings as their own paragraphs) and metadata."""
    import lxml.html
    import trafilatura
    from lxml import etree

    html, encoding = decode_html(path, data)
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=_parser())
    except etree.ParserError:  # nothing but whitespace or comments
        return ReadResult(text="", format="html", extra={"encoding": encoding})
    except ValueError as exc:
        raise ReaderError(path, f"unreadable HTML: {exc}") from exc
    meta = _metadata(tree)
    xml = trafilatura.extract(
        html,
        output_format="xml",
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    blocks = _blocks_from_xml(xml) if xml else []
    extraction = "trafilatura"
    if not blocks:
        blocks = _blocks_from_tree(tree)
        extraction = "lxml"
    meta["extra"].update({"encoding": encoding, "extraction": extraction})
    return ReadResult(text="\n\n".join(blocks), format="html", **meta)


def _parser() -> Any:
    import lxml.html

    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
