"""The explorer's analysis pages: each page and its JSON twin, errors as JSON."""

from __future__ import annotations

import re

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from factiongraph.web.app import create_app  # noqa: E402

HTML = {"accept": "text/html"}


@pytest.fixture
def client(build):  # type: ignore[no-untyped-def]
    build.entity("Islamic State Khorasan Province", aliases=["IS-K", "ISKP"])
    build.entity("IS-K (F)", parent="IS-K")
    build.entity("Taliban")
    build.entity("Quetta Shura", parent="Taliban")
    build.say("Taliban", "criticizes", "IS-K", "2015", doc="d1")
    build.say("TTP", "defected_to", "IS-K", "2015", doc="d1", count="about 600")
    build.say("Quetta Shura", "ceasefire_with", "IS-K (F)", "2017-10", doc="d2")
    build.say("IS-K", "fights", "Taliban", "2015/2017", doc="d1")
    build.say("TTP", "cooperates_with", "IS-K", "2015", doc="d1")
    build.say("TTP", "fights", "Taliban", "2015", doc="d1")
    build.say("Jamaat-ul-Ahrar", "split_from", "TTP", "2014-08", doc="d1")
    app = create_app(build.kb)
    assert app.state.has_analysis
    return TestClient(app)


def test_index_links_every_view(client):
    r = client.get("/analysis", headers=HTML)
    assert r.status_code == 200
    assert 'href="/analysis/snapshot?on=2017"' in r.text
    views = client.get("/analysis.json").json()["views"]
    for view in views:
        if view == "/analysis/report":
            continue
        assert client.get(view + ".json").status_code == 200, view


def test_history_page_and_twin(client):
    data = client.get("/analysis/history.json", params={"a": "ISKP", "b": "Taliban"}).json()
    assert data["a"] == "Islamic State Khorasan Province"
    table = data["tables"][0]
    rows = [dict(zip(table["columns"], r, strict=True)) for r in table["rows"]]
    assert [(r["state"], r["start"], r["end"]) for r in rows] == [
        ("criticism", "2015-01-01", "2015-12-31"),
        ("fighting", "2015-01-01", "2017-12-31"),
    ]
    page = client.get("/analysis/history", params={"a": "ISKP", "b": "Taliban"}, headers=HTML)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.text
    # markup only: the page adds no inline script
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)
    assert 'data-json="/analysis/history.json?a=ISKP&amp;b=Taliban"' in page.text


def test_snapshot_matrix_and_errors(client):
    snap = client.get("/analysis/snapshot.json", params={"on": "2015"}).json()
    # IS-K - Taliban hostile, TTP + IS-K friendly, TTP - Taliban hostile: balanced
    assert snap["summary"]["triangles"] == 1 and snap["summary"]["balanced"] == 1
    m = client.get("/analysis/matrix/factions.json", params={"year": 2017}).json()
    assert m["tables"][0]["rows"] == [["IS-K (F)", "ceasefire"]]
    crit = client.get("/analysis/matrix/criticism.json").json()["tables"][0]
    assert crit["columns"] == ["group", "2014", "2015", "2016", "2017"]
    assert crit["rows"] == [["Taliban", 0, 1, 0, 0]]
    camps = client.get("/analysis/balance.json", params={"from": 2015, "to": 2015, "actor": "IS-K"})
    assert camps.json()["tables"][1]["rows"] == [["Taliban", "against"], ["TTP", "with"]]
    bad = client.get("/analysis/matrix/nonsense.json")
    assert bad.status_code == 400 and "choose from" in bad.json()["error"]
    unknown = client.get("/analysis/flows.json", params={"actor": "Nobody"})
    assert unknown.status_code == 404
    assert client.get("/analysis/snapshot.json", params={"on": "soon"}).status_code == 400


def test_report_on_request(client):
    r = client.get("/analysis/report", params={"from": 2014, "to": 2017}, headers=HTML)
    assert r.status_code == 200
    assert "Briefing: Islamic State Khorasan Province, 2014–2017" in r.text
    assert '<li id="note-1">' in r.text
