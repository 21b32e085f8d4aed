"""The briefing renders, is self-contained, and every citation names a stored document."""

from __future__ import annotations

import html as html_module
import importlib.util
import json
import re
from pathlib import Path

import pytest

from factiongraph.kb import KnowledgeBase
from factiongraph.report import build_report

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"


def check_report(kb: KnowledgeBase, out: Path, report) -> str:  # type: ignore[no-untyped-def]
    """The checks every rendered report must pass; returns the HTML."""
    html = (out / "index.html").read_text(encoding="utf-8")
    assert report.path == out / "index.html"
    # every chart exists as PNG and SVG, and is embedded inline
    assert report.charts, "no charts"
    for name, files in report.charts.items():
        for kind in ("png", "svg"):
            p = Path(files[kind])
            assert p.is_file() and p.stat().st_size > 0, p
            assert p.parent == out / "charts"
        assert f'id="{name}-' in html  # the inline copy, ids prefixed by chart name
    # self-contained: nothing fetched from anywhere
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)
    without_namespaces = re.sub(r'xmlns(:\w+)?="[^"]*"', "", html)  # names, never fetched
    assert "http://" not in without_namespaces
    assert "https://" not in without_namespaces
    # every note names a stored document, by key and title, and every reference has a note
    docs = {d.key: d for d in kb.documents()}
    notes = re.findall(r'<li id="note-(\d+)">(.*?)</li>', html, flags=re.S)
    assert notes, "no citations"
    for _number, body in notes:
        key = re.search(r"\[([^\]]+)\]", body).group(1)
        assert key in docs, key
        assert (docs[key].title or key) in html_module.unescape(body)
    numbers = {int(n) for n, _ in notes}
    assert numbers == set(range(1, len(notes) + 1))
    for ref in re.findall(r'href="#note-(\d+)"', html):
        assert int(ref) in numbers
    # the machine-readable list agrees
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(data["citations"]) == len(notes)
    for c in data["citations"]:
        assert c["document"] in docs
    return html


def test_report_on_a_small_world(world, tmp_path):
    out = tmp_path / "briefing"
    r = build_report(world, out, actor="NF", start=2014, end=2018)
    html = check_report(world, out, r)
    assert r.actor == "Northern Front"
    assert "Briefing: Northern Front, 2014–2018" in html
    for heading in (
        "Relationship histories",
        "Alignments and structural balance",
        "Defection flows",
        "Contested claims",
        "Figures over time",
        "Lineage",
        "Tables",
    ):
        assert heading in html
    # the denial is shown as a contested claim with both sides
    assert "denial" in html and "doc-b.txt (per Valley Movement)" in html
    # the analyst's own assertion (no document) is not cited
    assert "analyst&#39;s judgement" not in html and "analyst's judgement" not in html
    # the faction table has the truce between the wing and the shura in 2017
    assert "Northern Front's factions and River Alliance's factions in 2017" in html
    # ten cited assertions at most: every documented one except the denial's twin rows
    assert 1 <= len(r.citations) <= 10


def test_report_needs_a_known_actor(world, tmp_path):
    from factiongraph.errors import UnknownEntity

    with pytest.raises(UnknownEntity):
        build_report(world, tmp_path / "x", actor="Nobody At All")


@pytest.mark.corpus
def test_report_on_the_corpus(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    if importlib.util.find_spec("factiongraph.extract.pipeline") is None:
        pytest.skip("the extraction pipeline is not installed")
    from factiongraph.ingest import ingest

    kb = KnowledgeBase.open(str(tmp_path / "corpus.db"))
    try:
        done = ingest(kb, [str(CORPUS)])
        if not done.stored:  # ingest has its own tests; here only the report is checked
            pytest.skip(f"no corpus document could be stored: {done.failed[0].reason}")
        out = tmp_path / "report"
        r = build_report(kb, out)
        check_report(kb, out, r)
    finally:
        kb.close()


def test_report_on_the_bundled_data(tmp_path):
    if importlib.util.find_spec("factiongraph.bundled") is None:
        pytest.skip("the bundled data set is not installed")
    from factiongraph import bundled

    if not bundled.DATASET.is_file():
        pytest.skip("the bundled data file is not built")
    kb = bundled.open_bundled(tmp_path / "bundled.db")
    try:
        out = tmp_path / "report"
        r = build_report(kb, out)
        check_report(kb, out, r)
    finally:
        kb.close()
