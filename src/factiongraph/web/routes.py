"""The explorer's routes: JSON under ``/api`` and HTML pages, each page with a ``.json`` twin.

Every page is a shell that its own script fills from the page's JSON twin, so the page, the
tests and any other client read exactly the same data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from factiongraph.errors import InvalidQuery
from factiongraph.kb import KnowledgeBase
from factiongraph.models import AssertionIn, EvidenceIn, Modality, Predicate
from factiongraph.timeutil import edtf_bounds, parse_day
from factiongraph.web import queries
from factiongraph.web.graphindex import GraphCache

api = APIRouter(prefix="/api")
pages = APIRouter(include_in_schema=False)

DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
FIRST_YEAR = 2013
IdPath = Annotated[int, Path(ge=1, le=2**62)]


def url(view: str, *args: object, **query: object) -> str:
    """The address of a view: ``url("entity", 4)`` is ``/entity/4``.

    >>> url("relation", a=1, b=2)
    '/relation?a=1&b=2'
    >>> url("entity", 7, json=True)
    '/entity/7.json'
    """
    as_json = bool(query.pop("json", False))
    path = "/" + "/".join([view, *(str(a) for a in args)]) if view != "network" else "/"
    if as_json:
        path = "/network.json" if view == "network" else path + ".json"
    params = {k: v for k, v in query.items() if v is not None}
    return path + ("?" + urlencode(params, doseq=True) if params else "")


def fast_json(data: Any) -> Response:
    """JSON of plain dicts, lists, strings and numbers, without FastAPI's generic encoder."""
    body = json.dumps(
        data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False
    )
    return Response(body.encode("utf-8"), media_type="application/json")


def kb_of(request: Request) -> KnowledgeBase:
    return request.app.state.kb  # type: ignore[no-any-return]


# -- parameters ----------------------------------------------------------------------------


def date_window(date: str | None, months: int = 1) -> tuple[str | None, str | None]:
    """First and last day of the ``months`` ending with ``date`` (YYYY, YYYY-MM, YYYY-MM-DD).

    >>> date_window("2017-10")
    ('2017-10-01', '2017-10-31')
    >>> date_window("2017-10", 3)
    ('2017-08-01', '2017-10-31')
    """
    if date is None or date == "":
        return None, None
    if not DATE.match(date):
        raise InvalidQuery(f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        start, end = parse_day(date), parse_day(date, end=True)
    except ValueError as exc:
        raise InvalidQuery(f"date {date!r} is not a calendar date") from exc
    if months > 1:
        d = dt.date.fromisoformat(start)
        month = d.year * 12 + d.month - 1 - (months - 1)
        start = dt.date(month // 12, month % 12 + 1, 1).isoformat()
    return start, end


def split_list(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def checked(values: list[str], enum: Any, label: str) -> list[str]:
    choices = {m.value for m in enum}
    for v in values:
        if v not in choices:
            raise InvalidQuery(f"unknown {label} {v!r} (choose from: {', '.join(sorted(choices))})")
    return values


def resolve_entity(kb: KnowledgeBase, ref: str) -> int:
    ref = ref.strip()
    if not ref:
        raise InvalidQuery("an entity id or name is needed")
    if ref.isdigit():
        return kb.get_entity(int(ref)).id
    return kb.find_entity(ref).id


# -- JSON ----------------------------------------------------------------------------------


def graph_data(
    kb: KnowledgeBase,
    date: str | None,
    months: int,
    predicate: list[str] | None,
    modality: list[str] | None,
    claimant: str | None,
    document: int | None,
    collapse: bool,
    undated: bool,
    max_edges: int | None = None,
    cache: GraphCache | None = None,
) -> dict[str, Any]:
    start, end = date_window(date, months)
    preds = checked(split_list(predicate), Predicate, "predicate")
    mods = checked(split_list(modality), Modality, "modality")
    data = queries.graph(
        kb,
        queries.GraphFilter(
            start=start,
            end=end,
            predicates=preds,
            modalities=mods,
            claimant=claimant or None,
            document_id=document,
            collapse=collapse,
            include_undated=undated,
            max_edges=max_edges,
        ),
        cache=cache,
    )
    data["date"] = date
    data["months"] = months
    return data


@api.get("/graph")
def api_graph(
    request: Request,
    date: Annotated[
        str | None, Query(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    months: Annotated[int, Query(ge=1, le=600)] = 1,
    predicate: Annotated[list[str] | None, Query()] = None,
    modality: Annotated[list[str] | None, Query()] = None,
    claimant: Annotated[str | None, Query(max_length=500)] = None,
    document: Annotated[int | None, Query(ge=1)] = None,
    collapse: bool = False,
    undated: bool = False,
    max_edges: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Response:
    """Organizations and their relations in a time window, with the network filters."""
    return fast_json(
        graph_data(
            kb_of(request),
            date,
            months,
            predicate,
            modality,
            claimant,
            document,
            collapse,
            undated,
            max_edges,
            request.app.state.graph_cache,
        )
    )


@api.get("/facets")
def api_facets(request: Request) -> dict[str, Any]:
    data = queries.facets(kb_of(request))
    data["first_year"] = FIRST_YEAR
    data["today"] = dt.date.today().isoformat()
    return data


@api.get("/entities")
def api_entities(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=100)] = 12,
) -> dict[str, Any]:
    """Entities known by a name or alias matching ``q`` (for suggestions as you type)."""
    return {"q": q, "results": queries.search(kb_of(request), q, limit=limit)}


@api.get("/entity/{entity_id}")
def api_entity(request: Request, entity_id: IdPath) -> dict[str, Any]:
    return queries.entity(kb_of(request), entity_id)


def relation_data(
    kb: KnowledgeBase, a: str, b: str, include_rejected: bool, factions: bool
) -> dict[str, Any]:
    ia, ib = resolve_entity(kb, a), resolve_entity(kb, b)
    if ia == ib:
        raise InvalidQuery("a relation needs two different entities")
    return queries.relation(
        kb, ia, ib, include_rejected=include_rejected, include_factions=factions
    )


@api.get("/relation")
def api_relation(
    request: Request,
    a: Annotated[str, Query(min_length=1, max_length=500)],
    b: Annotated[str, Query(min_length=1, max_length=500)],
    include_rejected: bool = False,
    factions: bool = False,
) -> dict[str, Any]:
    """Every assertion between two entities (ids or names), in time order."""
    return relation_data(kb_of(request), a, b, include_rejected, factions)


@api.get("/assertion/{assertion_id}")
def api_assertion(request: Request, assertion_id: IdPath) -> dict[str, Any]:
    return queries.assertion(kb_of(request), assertion_id)


@api.get("/documents")
def api_documents(request: Request) -> dict[str, Any]:
    return {"documents": queries.documents(kb_of(request))}


@api.get("/document/{document_id}")
def api_document(request: Request, document_id: IdPath) -> dict[str, Any]:
    return queries.document(kb_of(request), document_id)


@api.get("/review/queue")
def api_review_queue(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    document: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    """Machine assertions not yet reviewed."""
    return queries.review_queue(kb_of(request), limit=limit, offset=offset, document_id=document)


class Changes(BaseModel):
    model_config = ConfigDict(extra="forbid")

    predicate: Predicate | None = None
    swap: bool | None = None
    valid_time: str | None = Field(default=None, max_length=100)
    modality: Modality | None = None
    claimant: str | None = Field(default=None, max_length=500)
    place: str | None = Field(default=None, max_length=500)
    subject: str | None = Field(default=None, max_length=500)
    object: str | None = Field(default=None, max_length=500)

    @field_validator("valid_time")
    @classmethod
    def _edtf(cls, v: str | None) -> str | None:
        if v:
            edtf_bounds(v)
        return v


DECISIONS = {
    "accept": "accepted",
    "accepted": "accepted",
    "reject": "rejected",
    "rejected": "rejected",
    "edit": "edited",
    "edited": "edited",
}


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "accepted", "reject", "rejected", "edit", "edited"]
    changes: Changes | None = None
    note: str | None = Field(default=None, max_length=2000)
    reviewer: str | None = Field(default=None, max_length=200)


@api.post("/review/{assertion_id}")
def api_review(
    request: Request, assertion_id: IdPath, body: Annotated[Decision, Body()]
) -> dict[str, Any]:
    """Accept, reject or edit an assertion; the decision outlives re-extraction."""
    kb = kb_of(request)
    changes = body.changes.model_dump(exclude_unset=True, mode="json") if body.changes else {}
    if changes.get("swap") is False:
        changes.pop("swap")
    decision = DECISIONS[body.decision]
    kb.assertion(assertion_id)  # a missing id is a 404 before anything else
    for end in ("subject", "object"):  # re-pointing an assertion needs a known entity
        if changes.get(end):
            changes[end] = kb.find_entity(str(changes[end])).name
    kb.review(assertion_id, decision, changes=changes, reviewer=body.reviewer, note=body.note)
    return queries.assertion(kb, assertion_id)


class NewAssertion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=500)
    predicate: Predicate
    object: str = Field(min_length=1, max_length=500)
    valid_time: str | None = Field(default=None, max_length=100)
    modality: Modality = Modality.ASSERTED
    claimant: str | None = Field(default=None, max_length=500)
    place: str | None = Field(default=None, max_length=500)
    document: int | None = Field(default=None, ge=1)
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    create_entities: bool = False

    @field_validator("valid_time")
    @classmethod
    def _edtf(cls, v: str | None) -> str | None:
        if v:
            edtf_bounds(v)
        return v or None


@api.post("/assertions", status_code=201)
def api_add_assertion(request: Request, body: Annotated[NewAssertion, Body()]) -> dict[str, Any]:
    """An analyst's assertion, optionally anchored to a passage of a document."""
    kb = kb_of(request)
    if (body.start is None) != (body.end is None):
        raise InvalidQuery("give both start and end of the passage, or neither")
    if body.start is not None and body.document is None:
        raise InvalidQuery("a passage (start, end) needs its document")
    if body.document is not None:
        doc = kb.document(body.document)
        if (
            body.start is not None
            and body.end is not None
            and not (body.start < body.end <= doc.chars)
        ):
            raise InvalidQuery(
                f"the passage {body.start}-{body.end} is not within the document's "
                f"{doc.chars} characters"
            )
    made = kb.add_assertion(
        AssertionIn(
            subject=body.subject,
            predicate=body.predicate,
            object=body.object,
            valid_time=body.valid_time,
            modality=body.modality,
            claimant=body.claimant,
            place=body.place,
            evidence=EvidenceIn(document_version_id=body.document, start=body.start, end=body.end),
            origin="analyst",
        ),
        create_entities=body.create_entities,
    )
    return queries.assertion(kb, made.id)


@api.api_route(
    "/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
def api_unknown(rest: str) -> Response:
    return JSONResponse({"error": f"no API endpoint /api/{rest}"}, status_code=404)


# -- pages ---------------------------------------------------------------------------------


def render(request: Request, template: str, page: str, title: str, json_url: str) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        template,
        {"page": page, "title": title, "json_url": json_url, "url": url},
    )


# The JSON twin of each page is the API endpoint that gives the same data.
for _path, _endpoint in (
    ("/network.json", api_graph),
    ("/entity/{entity_id}.json", api_entity),
    ("/relation.json", api_relation),
    ("/assertion/{assertion_id}.json", api_assertion),
    ("/documents.json", api_documents),
    ("/document/{document_id}.json", api_document),
    ("/review.json", api_review_queue),
):
    pages.add_api_route(_path, _endpoint, methods=["GET"])


def twin(request: Request, path: str) -> str:
    q = request.url.query
    return path + ("?" + q if q else "")


@pages.get("/", response_class=HTMLResponse)
@pages.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> Response:
    return render(request, "network.html", "network", "Network", twin(request, "/network.json"))


@pages.get("/entity/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: IdPath) -> Response:
    e = kb_of(request).get_entity(entity_id)
    return render(request, "entity.html", "entity", e.name, url("entity", entity_id, json=True))


@pages.get("/relation", response_class=HTMLResponse)
def relation_page(
    request: Request,
    a: Annotated[str, Query(min_length=1, max_length=500)],
    b: Annotated[str, Query(min_length=1, max_length=500)],
) -> Response:
    kb = kb_of(request)
    ea, eb = kb.get_entity(resolve_entity(kb, a)), kb.get_entity(resolve_entity(kb, b))
    return render(
        request,
        "relation.html",
        "relation",
        f"{ea.name} — {eb.name}",
        twin(request, "/relation.json"),
    )


@pages.get("/assertion/{assertion_id}", response_class=HTMLResponse)
def assertion_page(request: Request, assertion_id: IdPath) -> Response:
    a = kb_of(request).assertion(assertion_id)
    return render(
        request,
        "assertion.html",
        "assertion",
        f"{a.subject} {a.predicate.value.replace('_', ' ')} {a.object}",
        url("assertion", assertion_id, json=True),
    )


@pages.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request) -> Response:
    return render(request, "documents.html", "documents", "Documents", "/documents.json")


@pages.get("/document/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: IdPath) -> Response:
    d = kb_of(request).document(document_id)
    return render(
        request,
        "document.html",
        "document",
        d.title or d.key,
        url("document", document_id, json=True),
    )


@pages.get("/review", response_class=HTMLResponse)
def review_page(request: Request) -> Response:
    return render(request, "review.html", "review", "Review", twin(request, "/review.json"))


@pages.get("/search.json")
def search_twin(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    results = queries.search(kb_of(request), q, limit=limit) if q.strip() else []
    return {"q": q, "results": results}


@pages.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    kb = kb_of(request)
    results = queries.search(kb, q, limit=2) if q.strip() else []
    if len(results) == 1 or (results and results[0]["name"].casefold() == q.strip().casefold()):
        return RedirectResponse(url("entity", results[0]["id"]), status_code=303)
    return render(request, "search.html", "search", "Search", twin(request, "/search.json"))
