"""The explorer's JSON endpoints, their HTML twins, and how they answer bad requests."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from factiongraph.kb import KnowledgeBase
from factiongraph.models import AssertionIn, EvidenceIn
from factiongraph.web.app import TOKEN_HEADER, create_app


def _edges(data: dict) -> set[tuple[str, str, str]]:
    names = {n["id"]: n["name"] for n in data["nodes"]}
    return {(names[e["source"]], e["predicate"], names[e["target"]]) for e in data["edges"]}


def _ceasefire(data: dict) -> dict:
    names = {n["id"]: n["name"] for n in data["nodes"]}
    for e in data["edges"]:
        ends = {names[e["source"]], names[e["target"]]}
        if e["predicate"] == "ceasefire_with" and ends == {"Quetta Shura", "ISKP Farooqi faction"}:
            return e
    raise AssertionError("no ceasefire edge")


# -- graph ---------------------------------------------------------------------------------


def test_graph_october_2017_has_the_ceasefire(client: TestClient) -> None:
    r = client.get("/api/graph", params={"date": "2017-10"})
    assert r.status_code == 200
    data = r.json()
    assert data["window"] == {"start": "2017-10-01", "end": "2017-10-31"}
    edge = _ceasefire(data)
    assert edge["count"] == 2 and edge["modalities"] == {"reported": 1, "denied": 1}
    assert data["kinds"]["ceasefire_with"] == {
        "label": "ceasefire with",
        "group": "ceasefire",
        "directed": False,
    }
    # factions are shown with their parents, which frame them
    by_name = {n["name"]: n for n in data["nodes"]}
    assert by_name["Quetta Shura"]["parent"] == by_name["Taliban"]["id"]
    # only organizations: no person leads, no places
    assert "Aslam Farooqi" not in by_name and "Nangarhar" not in by_name


def test_graph_day_and_year_precision(client: TestClient) -> None:
    day = client.get("/api/graph?date=2017-10-18").json()
    assert _ceasefire(day)["modalities"] == {"reported": 1, "denied": 1}
    other_month = client.get("/api/graph?date=2017-09").json()
    assert ("Quetta Shura", "ceasefire_with", "ISKP Farooqi faction") not in _edges(other_month)
    window = client.get("/api/graph?date=2017-12&months=3").json()
    assert window["window"]["start"] == "2017-10-01"
    _ceasefire(window)


def test_graph_filters(client: TestClient) -> None:
    fights = client.get("/api/graph?date=2017-10&predicate=fights").json()
    assert {e["predicate"] for e in fights["edges"]} == {"fights"}
    hide = client.get("/api/graph?date=2017-10&modality=asserted,reported").json()
    assert _ceasefire(hide)["modalities"] == {"reported": 1}
    claimant = client.get("/api/graph", params={"date": "2017-10", "claimant": "Tribal Elders"})
    assert {e["predicate"] for e in claimant.json()["edges"]} == {"ceasefire_with"}
    doc = client.get("/api/graph?document=2").json()
    assert _edges(doc) == {("Taliban", "fights", "Tehrik-i-Taliban Pakistan")}


def test_graph_collapse_moves_faction_relations_to_the_parent(client: TestClient) -> None:
    data = client.get("/api/graph?date=2017-10&collapse=1").json()
    assert ("Islamic State Khorasan Province", "ceasefire_with", "Taliban") in _edges(data) or (
        "Taliban",
        "ceasefire_with",
        "Islamic State Khorasan Province",
    ) in _edges(data)
    assert all(n["parent"] is None for n in data["nodes"])


def test_graph_without_date_is_all_time_and_hides_part_of(client: TestClient) -> None:
    data = client.get("/api/graph").json()
    assert data["window"] == {"start": None, "end": None}
    assert "part_of" not in {e["predicate"] for e in data["edges"]}
    assert "split_from" in {e["predicate"] for e in data["edges"]}
    asked = client.get("/api/graph?predicate=part_of").json()
    assert {e["predicate"] for e in asked["edges"]} == {"part_of"}


def test_rejected_assertions_leave_the_graph(
    client: TestClient, sample: tuple[KnowledgeBase, object]
) -> None:
    kb, s = sample
    r = client.post(
        f"/api/review/{s.assertions['ceasefire']}",  # type: ignore[attr-defined]
        json={"decision": "reject"},
    )
    assert r.status_code == 200 and r.json()["review_status"] == "rejected"
    edge = _ceasefire(client.get("/api/graph?date=2017-10").json())
    assert edge["modalities"] == {"denied": 1}


# -- other views ---------------------------------------------------------------------------


def test_facets(client: TestClient) -> None:
    f = client.get("/api/facets").json()
    assert {c["value"] for c in f["claimants"]} >= {"tribal elders", "UN monitoring team"}
    assert [d["title"] for d in f["documents"]][0] == "Khorasan notes"
    assert f["first_year"] == 2013 and "denied" in f["modalities"]


def test_search_by_alias(client: TestClient) -> None:
    r = client.get("/api/entities", params={"q": "farooqi fac"}).json()
    assert r["results"][0]["name"] == "ISKP Farooqi faction"
    assert r["results"][0]["matched"] == "Farooqi faction"
    assert client.get("/api/entities", params={"q": "TTP"}).json()["results"][0]["name"] == (
        "Tehrik-i-Taliban Pakistan"
    )


def test_entity(client: TestClient, sample: tuple[KnowledgeBase, object]) -> None:
    _, s = sample
    iskp = s.ids["Islamic State Khorasan Province"]  # type: ignore[attr-defined]
    e = client.get(f"/api/entity/{iskp}").json()
    assert e["aliases"] == ["ISKP", "IS-K"]
    assert [f["name"] for f in e["factions"]] == ["ISKP Farooqi faction"]
    assert e["leaders"][0]["person"] == "Hafiz Saeed Khan"
    assert e["strength"][0]["count"] == 3000 and e["strength"][0]["claimant"] == "local officials"
    assert {p["name"] for p in e["places"]} == {"Nangarhar", "Kunar"}
    taliban = next(r for r in e["relations"] if r["name"] == "Taliban")
    assert {p["predicate"] for p in taliban["periods"]} == {"fights", "part_of"}
    assert {d["title"] for d in e["documents"]} == {
        "Khorasan notes",
        "A report cited without its text",
    }
    faction = client.get(f"/entity/{s.ids['ISKP Farooqi faction']}.json").json()  # type: ignore[attr-defined]
    assert faction["parent"]["name"] == "Islamic State Khorasan Province"
    assert faction["leaders"][0]["person"] == "Aslam Farooqi"


def test_relation_in_time_order_with_conflicts(client: TestClient) -> None:
    r = client.get("/api/relation", params={"a": "Quetta Shura", "b": "Farooqi faction"})
    data = r.json()
    assert [a["valid_time"] for a in data["assertions"]] == ["2017-10", "2017-10-18"]
    assert data["conflicts"] and "denied" in data["conflicts"][0]["reason"]
    quoted = data["assertions"][1]
    assert quoted["quote"].startswith("the Quetta Shura agreed")
    assert quoted["document"]["title"] == "Khorasan notes"
    twin = client.get("/relation.json", params={"a": data["a"]["id"], "b": data["b"]["id"]})
    assert twin.json() == data


def test_relation_with_factions(client: TestClient) -> None:
    data = client.get("/api/relation?a=Taliban&b=ISKP&factions=1").json()
    assert "ceasefire_with" in data["predicates"] and "fights" in data["predicates"]


def test_document_with_text_mentions_and_evidence(client: TestClient) -> None:
    d = client.get("/api/document/1").json()
    assert d["has_text"] and d["title"] == "Khorasan notes"
    quotes = {d["text"][e["start"] : e["end"]] for e in d["evidence"]}
    assert "the Quetta Shura agreed a local ceasefire with the Farooqi faction" in quotes
    named = {d["text"][m["start"] : m["end"]] for m in d["mentions"]}
    assert {"Quetta Shura", "ISKP", "Farooqi faction", "Jamaat-ul-Ahrar"} <= named


def test_document_without_text(client: TestClient) -> None:
    d = client.get("/api/document/3").json()
    assert d["has_text"] is False and d["text"] is None
    assert d["mentions"] == [] and d["evidence"] == []
    assert {a["span_start"] for a in d["assertions"]} == {120, 300}


def test_documents_list_and_assertion(client: TestClient) -> None:
    docs = client.get("/api/documents").json()["documents"]
    assert {d["key"] for d in docs} == {"notes-2017", "hostile", "cited-only"}
    a = client.get("/api/assertion/1").json()
    assert a["id"] == 1 and a["machine"] is True
    assert client.get("/assertion/1.json").json() == a


def test_json_twins_match_the_api(client: TestClient) -> None:
    assert (
        client.get("/network.json?date=2017-10").json()
        == client.get("/api/graph?date=2017-10").json()
    )
    assert client.get("/entity/1.json").json() == client.get("/api/entity/1").json()
    assert client.get("/document/1.json").json() == client.get("/api/document/1").json()
    assert client.get("/review.json").json() == client.get("/api/review/queue").json()
    assert client.get("/search.json?q=taliban").json()["results"]
    assert client.get("/documents.json").json() == client.get("/api/documents").json()


def test_pages_render(client: TestClient) -> None:
    for path in [
        "/",
        "/network",
        "/entity/1",
        "/relation?a=4&b=2",
        "/document/1",
        "/document/3",
        "/review",
        "/search?q=zzz",
        "/documents",
        "/assertion/1",
    ]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert "<script>" not in r.text  # no inline scripts at all


def test_search_page_goes_straight_to_a_single_match(client: TestClient) -> None:
    r = client.get("/search?q=Quetta Shura", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/entity/4"


def test_titles_are_escaped_in_pages(client: TestClient) -> None:
    r = client.get("/document/2")
    assert "<b onmouseover" not in r.text
    assert "&lt;b onmouseover=&#34;x()&#34;&gt;page&lt;/b&gt;" in r.text


# -- review --------------------------------------------------------------------------------


def test_review_queue_and_decisions(client: TestClient) -> None:
    q = client.get("/api/review/queue").json()
    assert q["pending"] == 5 and len(q["items"]) == 5
    first, second, third = (x["id"] for x in q["items"][:3])
    assert client.post(f"/api/review/{first}", json={"decision": "accept"}).status_code == 200
    assert client.post(f"/api/review/{second}", json={"decision": "rejected"}).status_code == 200
    edited = client.post(
        f"/api/review/{third}",
        json={
            "decision": "edit",
            "changes": {"predicate": "supports", "valid_time": "2016-05", "swap": True},
        },
    ).json()
    assert edited["review_status"] == "edited" and edited["predicate"] == "supports"
    assert edited["valid_time"] == "2016-05"
    q = client.get("/api/review/queue").json()
    assert q["pending"] == 2
    assert q["status"]["rejected"] == 1 and q["status"]["edited"] == 1
    assert [a["id"] for a in q["recent"]][:3] == [third, second, first]


def test_review_survives_reextraction(
    client: TestClient, sample: tuple[KnowledgeBase, object], rerun: Callable[[], None]
) -> None:
    kb, s = sample
    hostile = s.assertions["hostile_fight"]  # type: ignore[attr-defined]
    client.post(f"/api/review/{hostile}", json={"decision": "reject"})
    rerun()
    again = kb.assertions(document="hostile", include_rejected=True)
    assert [a.review_status.value for a in again] == ["rejected"]
    assert again[0].id != hostile


def test_add_assertion_from_a_passage(client: TestClient) -> None:
    text = client.get("/api/document/1").json()["text"]
    start = text.index("Local officials")
    end = start + len("Local officials claimed")
    r = client.post(
        "/api/assertions",
        json={
            "subject": "ISKP",
            "predicate": "rival_of",
            "object": "TTP",
            "valid_time": "2016",
            "modality": "alleged",
            "claimant": "local officials",
            "document": 1,
            "start": start,
            "end": end,
        },
    )
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["quote"] == "Local officials claimed" and a["origin"] == "analyst"
    assert a["review_status"] == "accepted"
    assert a["subject"] == "Islamic State Khorasan Province"


# -- bad requests --------------------------------------------------------------------------


def _error(r: object, status: int) -> str:
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and body["error"]
    assert "Traceback" not in body["error"]
    return body["error"]


def test_malformed_graph_requests(client: TestClient) -> None:
    assert "YYYY" in _error(client.get("/api/graph?date=October"), 400)
    assert "calendar" in _error(client.get("/api/graph?date=2017-02-30"), 400)
    assert "predicate" in _error(client.get("/api/graph?predicate=hugs"), 400)
    assert "modality" in _error(client.get("/api/graph?modality=maybe"), 400)
    assert "months" in _error(client.get("/api/graph?months=0"), 422)
    assert "document" in _error(client.get("/api/graph?document=abc"), 422)
    assert "no document" in _error(client.get("/api/graph?document=99"), 404)
    _error(client.get("/api/graph?collapse=perhaps"), 422)


def test_malformed_lookups(client: TestClient) -> None:
    _error(client.get("/api/entities"), 422)
    _error(client.get("/api/entity/abc"), 422)
    _error(client.get("/api/entity/0"), 422)
    assert "no entity" in _error(client.get("/api/entity/999"), 404)
    assert "no entity" in _error(client.get("/entity/999.json"), 404)
    assert "no entity is known" in _error(client.get("/api/relation?a=Nobody&b=Taliban"), 404)
    _error(client.get("/api/relation?a=Taliban"), 422)
    assert "two different" in _error(client.get("/api/relation?a=Taliban&b=Taliban"), 400)
    assert "no document" in _error(client.get("/api/document/99"), 404)
    assert "no assertion" in _error(client.get("/api/assertion/999"), 404)
    _error(client.get("/api/review/queue?limit=0"), 422)
    _error(client.get("/api/nothing/here"), 404)
    _error(client.get(f"/api/entity/{10**30}"), 422)


def test_malformed_writes(client: TestClient) -> None:
    _error(client.post("/api/review/1", json={"decision": "maybe"}), 422)
    _error(client.post("/api/review/1", json={}), 422)
    _error(client.post("/api/review/1", json={"decision": "accept", "extra": 1}), 422)
    _error(client.post("/api/review/1", json={"decision": "edit"}), 400)
    _error(
        client.post("/api/review/1", json={"decision": "edit", "changes": {"modality": "x"}}), 422
    )
    _error(
        client.post("/api/review/1", json={"decision": "edit", "changes": {"valid_time": "soon"}}),
        422,
    )
    assert "no assertion" in _error(
        client.post("/api/review/999", json={"decision": "accept"}), 404
    )
    _error(client.post("/api/review/1", content=b"{not json", headers=_json()), 422)
    _error(client.post("/api/review/1", content=b"decision=accept"), 415)
    _error(client.post("/api/assertions", json={"subject": "Taliban"}), 422)
    _error(
        client.post(
            "/api/assertions",
            json={"subject": "Taliban", "predicate": "fights", "object": "Nobody at all"},
        ),
        404,
    )
    _error(
        client.post(
            "/api/assertions",
            json={
                "subject": "Taliban",
                "predicate": "fights",
                "object": "TTP",
                "document": 1,
                "start": 10,
                "end": 100000,
            },
        ),
        400,
    )
    _error(
        client.post(
            "/api/assertions",
            json={"subject": "Taliban", "predicate": "fights", "object": "TTP", "start": 1},
        ),
        400,
    )
    _error(client.delete("/api/review/1"), 415)
    _error(client.delete("/api/review/1", headers=_json()), 404)
    assert "not allowed" in _error(client.put("/entity/1", json={}), 405)


def test_cross_site_writes_are_refused(client: TestClient) -> None:
    r = client.post(
        "/api/review/1", json={"decision": "accept"}, headers={"Origin": "http://evil.example"}
    )
    _error(r, 403)


def test_internal_errors_hide_the_trace(sample: tuple[KnowledgeBase, object]) -> None:
    kb, _ = sample
    app = create_app(kb)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    app.router.routes.insert(0, app.router.routes.pop())
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/boom")
    assert r.status_code == 500
    assert "secret" not in r.text and "Traceback" not in r.text
    assert r.json()["error"].startswith("internal error")


def test_token_guards_writes(sample: tuple[KnowledgeBase, object]) -> None:
    kb, _ = sample
    with TestClient(create_app(kb, token="s3cret"), raise_server_exceptions=False) as c:
        assert c.get("/api/review/queue").status_code == 200  # reads stay open
        _error(c.post("/api/review/1", json={"decision": "accept"}), 403)
        _error(
            c.post("/api/review/1", json={"decision": "accept"}, headers={TOKEN_HEADER: "x"}), 403
        )
        r = c.post("/api/review/1", json={"decision": "accept"}, headers={TOKEN_HEADER: "s3cret"})
        assert r.status_code == 200


def _json() -> dict[str, str]:
    return {"Content-Type": "application/json"}


def test_add_assertion_needs_known_entities_unless_asked(client: TestClient) -> None:
    body = {"subject": "New Front", "predicate": "fights", "object": "Taliban"}
    _error(client.post("/api/assertions", json=body), 404)
    r = client.post("/api/assertions", json={**body, "create_entities": True})
    assert r.status_code == 201 and r.json()["subject"] == "New Front"


def test_evidence_without_a_document_version_is_listed(
    sample: tuple[KnowledgeBase, object], client: TestClient
) -> None:
    kb, _ = sample
    kb.add_assertion(
        AssertionIn(
            subject="Taliban",
            predicate="negotiates_with",
            object="TTP",
            valid_time="2018",
            evidence=EvidenceIn(start=0, end=5),
        ),
        document="hostile",
    )
    d = client.get("/api/document/2").json()
    assert "negotiates_with" in {a["predicate"] for a in d["assertions"]}


def test_in_memory_graph_matches_the_sql_query(sample: tuple[KnowledgeBase, object]) -> None:
    from factiongraph.web import queries
    from factiongraph.web.graphindex import GraphCache

    kb, _ = sample
    cache = GraphCache(kb, queries.NETWORK_PREDICATES)
    filters = [
        queries.GraphFilter(),
        queries.GraphFilter(start="2017-10-01", end="2017-10-31"),
        queries.GraphFilter(start="2014-01-01", end="2018-12-31", collapse=True),
        queries.GraphFilter(start="2017-10-01", end="2017-10-31", modalities=["denied"]),
        queries.GraphFilter(predicates=["fights", "part_of"], include_undated=True),
        queries.GraphFilter(claimant="TRIBAL ELDERS"),
        queries.GraphFilter(document_id=2),
    ]
    for f in filters:
        assert queries.graph(kb, f, cache) == queries.graph(kb, f), f
    kb.review(1, "rejected")  # the cache notices changes to the store
    f = queries.GraphFilter(start="2017-10-01", end="2017-10-31")
    assert queries.graph(kb, f, cache) == queries.graph(kb, f)


def test_graph_can_keep_only_the_heaviest_relations(client: TestClient) -> None:
    data = client.get("/api/graph?max_edges=1&undated=1").json()
    assert len(data["edges"]) == 1 and data["truncated"] is True
    assert {n["id"] for n in data["nodes"]} >= {data["edges"][0]["source"]}


def test_loopback_server_answers_only_to_its_own_names(
    sample: tuple[KnowledgeBase, object],
) -> None:
    kb, _ = sample
    app = create_app(kb, allowed_hosts=["127.0.0.1", "localhost", "::1"])
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        assert c.get("/api/facets").status_code == 200
        assert c.get("/api/facets", headers={"Host": "localhost:8765"}).status_code == 200
        assert c.get("/api/facets", headers={"Host": "[::1]:8765"}).status_code == 200
        _error(c.get("/api/facets", headers={"Host": "attacker.example:8765"}), 400)


def test_pages_answer_missing_things_with_an_html_error(client: TestClient) -> None:
    r = client.get("/entity/999", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no entity with id 999" in r.text
    r = client.get("/document/<script>", headers={"Accept": "text/html"})
    assert r.status_code == 422 and "<script>" not in r.text


def _item(i: int, predicate: str, when: str | None, modality: str = "asserted", doc: int = 1):
    from factiongraph.timeutil import edtf_bounds

    b = edtf_bounds(when) if when else None
    return {
        "id": i,
        "predicate": predicate,
        "valid_time": when,
        "valid_from": b.start if b else None,
        "valid_to": b.end if b else None,
        "modality": modality,
        "document": {"id": doc},
    }


def test_conflicting_pairs() -> None:
    from factiongraph.web.queries import conflicts

    items = [
        _item(1, "ceasefire_with", "2017-10"),
        _item(2, "ceasefire_with", "2017-10-18", "denied", doc=2),
        _item(3, "fights", "2017", doc=3),
        _item(4, "cooperates_with", "2019", doc=4),
        _item(5, "fights", "2019", doc=4),  # same source as 4: not a conflict
        _item(6, "rival_of", None, doc=5),
        _item(7, "supports", None, doc=6),
    ]
    found = {(c["a"], c["b"]): c["reason"] for c in conflicts(items)}
    assert found == {
        (1, 2): "ceasefire with stated and denied",
        (3, 1): "fights versus ceasefire with",
        (6, 7): "rival of versus supports",
    }
    many = [_item(i, "fights" if i % 2 else "supports", "2017", doc=i) for i in range(3000)]
    assert len(conflicts(many)) == 200  # stops at the limit, quickly


def test_edit_can_repoint_to_a_known_entity_only(client: TestClient) -> None:
    body = {"decision": "edit", "changes": {"object": "Nobody Known"}}
    assert "no entity is known" in _error(client.post("/api/review/2", json=body), 404)
    body = {"decision": "edit", "changes": {"object": "TTP"}}
    r = client.post("/api/review/2", json=body)
    assert r.status_code == 200 and r.json()["object"] == "Tehrik-i-Taliban Pakistan"
