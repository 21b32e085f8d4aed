"""The explorer's analysis pages, each with a JSON twin at the same address plus ``.json``.

The pages are rendered on the server from the same data their twins return (tables, plus
the charts as inline SVG), so they need no script. ``/analysis/report`` returns the full
self-contained briefing.

=================================  ==================================================
page                               analysis
=================================  ==================================================
``/analysis``                      index: choose an actor and a period
``/analysis/history?a=&b=``        relationship history (``factions=true``)
``/analysis/snapshot?on=``         signed graph, balance, blocs, brokers at a date
``/analysis/balance?from=&to=``    structural balance year by year
``/analysis/flows?actor=``         defection flows
``/analysis/contested?actor=``     contested claims
``/analysis/figures?actor=``       figures and active relations by year
``/analysis/lineage?actor=``       splits, mergers, factions, pledges
``/analysis/matrix/{kind}``        criticism, defections or factions table
``/analysis/report``               the HTML briefing (``actor``, ``from``, ``to``)
=================================  ==================================================
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from factiongraph import __version__
from factiongraph.errors import InvalidQuery

if TYPE_CHECKING:
    import pandas as pd

router = APIRouter(prefix="/analysis", include_in_schema=False)

TEMPLATES = Path(__file__).parent / "templates"
_env: jinja2.Environment | None = None

Name = Annotated[str | None, Query(max_length=300)]
Year = Annotated[int | None, Query(ge=1900, le=2100)]


def _templates() -> jinja2.Environment:
    global _env
    if _env is None:
        _env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
        _env.globals.update(version=__version__, has_analysis=True)
    return _env


def _kb(request: Request) -> Any:
    return request.app.state.kb


def _snap(request: Request, state: dict[str, Any] | None = None) -> Any:
    """The store's snapshot; with ``state``, also the short chart labels of its entities."""
    from factiongraph.analysis.snapshot import short_names, snapshot

    snap = snapshot(_kb(request))
    if state is not None:
        state["labels"] = short_names(snap.entities)
    return snap


def _name(request: Request, name: str | None, default: str | None = None) -> str:
    """The canonical name for any alias; with none given, the default if it is known."""
    kb = _kb(request)
    if name:
        return str(kb.find_entity(name).name)
    if default:
        try:
            return str(kb.find_entity(default).name)
        except Exception:  # the default actor is not in this knowledge base
            pass
    raise InvalidQuery("name an actor (any of its names or aliases)")


def _years(start: int | None, end: int | None, d0: int, d1: int) -> range:
    a, b = start or d0, end or d1
    if b < a:
        raise InvalidQuery("the last year is before the first")
    if b - a > 60:
        raise InvalidQuery("choose a period of at most 60 years")
    return range(a, b + 1)


def table(title: str, frame: pd.DataFrame, *, index: bool = False) -> dict[str, Any]:
    """A table as JSON-ready columns and rows (numbers stay numbers, missing is null)."""
    f = frame.reset_index() if index else frame
    f = f.copy()
    f.columns = [str(c) for c in f.columns]
    rows = json.loads(f.to_json(orient="values", force_ascii=False, default_handler=str))
    return {"title": title, "columns": list(f.columns), "rows": rows}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, float) and value.is_integer():
        return f"{int(value)}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _respond(
    request: Request,
    as_json: bool,
    title: str,
    build: Callable[[], dict[str, Any]],
    charts: Callable[[dict[str, Any]], list[dict[str, str]]] | None = None,
    form: list[dict[str, Any]] | None = None,
    about: str = "",
) -> Any:
    data = build()
    if as_json:
        return data
    shown = charts(data) if charts else []
    path = request.url.path
    query = request.url.query
    html = (
        _templates()
        .get_template("analysis/view.html")
        .render(
            page="analysis",
            title=title,
            json_url=path + ".json" + ("?" + query if query else ""),
            about=about,
            data=data,
            charts=shown,
            form=form or [],
            action=path,
            cell=_cell,
        )
    )
    return HTMLResponse(html)


def _field(name: str, label: str, value: Any, kind: str = "text") -> dict[str, Any]:
    return {"name": name, "label": label, "value": "" if value is None else value, "kind": kind}


# -- index -----------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
def index(request: Request) -> Response:
    kb = _kb(request)
    try:
        default = kb.find_entity("IS-K").name
    except Exception:  # no such group in this knowledge base
        default = ""
    html = (
        _templates()
        .get_template("analysis/index.html")
        .render(
            page="analysis",
            title="Analysis",
            json_url="/analysis.json",
            default=default,
            counts=kb.counts(),
        )
    )
    return HTMLResponse(html)


@router.get(".json")
def index_twin(request: Request) -> dict[str, Any]:
    return {
        "counts": _kb(request).counts(),
        "views": [
            "/analysis/history",
            "/analysis/snapshot",
            "/analysis/balance",
            "/analysis/flows",
            "/analysis/contested",
            "/analysis/figures",
            "/analysis/lineage",
            "/analysis/matrix/criticism",
            "/analysis/matrix/defections",
            "/analysis/matrix/factions",
            "/analysis/report",
        ],
    }


# -- history ---------------------------------------------------------------------------------


def _history(request: Request, as_json: bool, a: str | None, b: str | None, factions: bool) -> Any:
    from factiongraph.analysis import charts
    from factiongraph.analysis.history import relationship_history

    state: dict[str, Any] = {}

    def build() -> dict[str, Any]:
        na, nb = _name(request, a, "IS-K"), _name(request, b, "Taliban")
        snap = _snap(request, state)
        h = relationship_history(snap.assertions, na, nb, factions=factions, entities=snap.entities)
        state["h"] = h
        cols = ["line", "state", "start", "end", "sources", "disputes", "assertions"]
        return {"a": na, "b": nb, "factions": factions, "tables": [table("Periods", h[cols])]}

    def draw(_data: dict[str, Any]) -> list[dict[str, str]]:
        fig = charts.history_chart(state["h"], labels=state["labels"])
        return [{"src": charts.chart_data_uri(fig, "history"), "caption": ""}]

    return _respond(
        request,
        as_json,
        "Relationship history",
        build,
        draw,
        [
            _field("a", "Actor", a or "IS-K"),
            _field("b", "Actor", b or "Taliban"),
            _field("factions", "Factions as separate lines", factions, "checkbox"),
        ],
        "Periods of each state between two actors, merged across sources; a disputed period "
        "is one another source contradicts (hatched in the chart).",
    )


@router.get("/history.json")
def history_twin(request: Request, a: Name = None, b: Name = None, factions: bool = False) -> Any:
    return _history(request, True, a, b, factions)


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request, a: Name = None, b: Name = None, factions: bool = False) -> Any:
    return _history(request, False, a, b, factions)


# -- snapshot and balance --------------------------------------------------------------------


def _snapshot(request: Request, as_json: bool, on: str | None) -> Any:
    from factiongraph.analysis import charts
    from factiongraph.analysis.balance import (
        balance_summary,
        brokers,
        edges_table,
        signed_blocs,
        signed_graph,
    )
    from factiongraph.timeutil import parse_day

    date = on or "2017"
    try:
        parse_day(date)
    except ValueError as exc:
        raise InvalidQuery(str(exc)) from exc
    state: dict[str, Any] = {}

    def build() -> dict[str, Any]:
        snap = _snap(request, state)
        g = signed_graph(snap.assertions, date)
        blocs = signed_blocs(g)
        state.update(g=g, blocs=blocs)
        return {
            "on": date,
            "summary": balance_summary(g),
            "tables": [
                table("Blocs", blocs),
                table("Brokers", brokers(snap.assertions, g, on=date)),
                table("Signed ties", edges_table(g)),
            ],
        }

    def draw(_data: dict[str, Any]) -> list[dict[str, str]]:
        fig = charts.signed_graph_chart(state["g"], state["blocs"], labels=state["labels"])
        return [{"src": charts.chart_data_uri(fig, "snapshot"), "caption": "Green: friendly; red "
                 "dashed: hostile; colour: bloc."}]  # fmt: skip

    return _respond(
        request,
        as_json,
        f"Alignments on {date}",
        build,
        draw,
        [_field("on", "Date (YYYY, YYYY-MM or YYYY-MM-DD)", date)],
        "The signed graph of ties held at the date, its structural balance, the blocs of its "
        "best split into two camps, and the brokers between them.",
    )


@router.get("/snapshot.json")
def snapshot_twin(request: Request, on: Annotated[str | None, Query(max_length=10)] = None) -> Any:
    return _snapshot(request, True, on)


@router.get("/snapshot", response_class=HTMLResponse)
def snapshot_page(request: Request, on: Annotated[str | None, Query(max_length=10)] = None) -> Any:
    return _snapshot(request, False, on)


def _balance(
    request: Request, as_json: bool, start: int | None, end: int | None, actor: str | None
) -> Any:
    from factiongraph.analysis import charts
    from factiongraph.analysis.balance import alignment_over_time, balance_over_time

    years = _years(start, end, 2014, 2022)
    state: dict[str, Any] = {}

    def build() -> dict[str, Any]:
        snap = _snap(request)
        t = balance_over_time(snap.assertions, years)
        state["t"] = t
        tables = [table("Balance by year", t)]
        if actor:
            name = _name(request, actor)
            camps = alignment_over_time(snap.assertions, [name, *snap.factions(name)], years)
            tables.append(table(f"Camps relative to {name}", camps, index=True))
        return {"tables": tables}

    def draw(_data: dict[str, Any]) -> list[dict[str, str]]:
        fig = charts.balance_chart(state["t"])
        return [{"src": charts.chart_data_uri(fig, "balance"), "caption": ""}]

    return _respond(
        request,
        as_json,
        "Structural balance over time",
        build,
        draw,
        [
            _field("from", "From", years.start, "number"),
            _field("to", "To", years[-1], "number"),
            _field("actor", "Camps relative to (optional)", actor),
        ],
        "For each year: the share of triangles whose three signs multiply to a positive "
        "number, and the least number of ties that would have to change for two clean camps. "
        "Name an actor to see who was in its camp each year (an asterisk marks a tie whose "
        "own sign goes the other way).",
    )


@router.get("/balance.json")
def balance_twin(
    request: Request,
    start: Annotated[Year, Query(alias="from")] = None,
    end: Annotated[Year, Query(alias="to")] = None,
    actor: Name = None,
) -> Any:
    return _balance(request, True, start, end, actor)


@router.get("/balance", response_class=HTMLResponse)
def balance_page(
    request: Request,
    start: Annotated[Year, Query(alias="from")] = None,
    end: Annotated[Year, Query(alias="to")] = None,
    actor: Name = None,
) -> Any:
    return _balance(request, False, start, end, actor)


# -- flows, contested, figures, lineage ----------------------------------------------------


def _actor_view(
    request: Request,
    as_json: bool,
    actor: str | None,
    what: str,
) -> Any:
    from factiongraph.analysis import charts
    from factiongraph.analysis.contested import contested_claims
    from factiongraph.analysis.figures import figures, relations_by_year
    from factiongraph.analysis.flows import defection_flows, defection_reports, flow_matrix
    from factiongraph.analysis.lineage import lineage_graph, lineage_of, lineage_table

    state: dict[str, Any] = {}

    def build() -> dict[str, Any]:
        name = _name(request, actor, "IS-K")
        snap = _snap(request, state)
        f = snap.assertions
        group = [name, *snap.factions(name)]
        if what == "flows":
            reports = defection_reports(f, name, entities=snap.entities)
            flows = defection_flows(reports)
            state["flows"] = flows
            tables = [
                table("Flows by year", flows),
                table("Reports: losers by gainers", flow_matrix(reports), index=True),
            ]
        elif what == "contested":
            c = contested_claims(f[f["subject"].isin(group) | f["object"].isin(group)])
            tables = [table("Contested claims", c)]
        elif what == "figures":
            figs = figures(f)
            if not figs.empty:
                figs = figs[figs["group"].isin(group) | figs["object"].isin(group)]
            state["strength"] = figs[figs["measure"] == "strength"] if not figs.empty else figs
            by_year = relations_by_year(f, range(2014, 2023), actor=group)
            state["by_year"] = by_year
            tables = [
                table("Figures", figs),
                table("Active relations by kind", by_year, index=True),
            ]
        else:
            g = lineage_of(lineage_graph(f, snap.entities), name, radius=1)
            state["lineage"] = g
            tables = [table("Lineage", lineage_table(g).drop(columns=["evidence"]))]
        return {"actor": name, "tables": tables}

    def draw(_data: dict[str, Any]) -> list[dict[str, str]]:
        labels = state["labels"]

        def one(fig: Any, name: str, caption: str) -> dict[str, str]:
            return {"src": charts.chart_data_uri(fig, name), "caption": caption}

        if what == "flows":
            return [
                one(
                    charts.flows_chart(state["flows"], labels=labels),
                    "flows",
                    "Band width: reports.",
                )
            ]
        if what == "figures":
            return [
                one(
                    charts.figures_chart(state["strength"], labels=labels),
                    "strength",
                    "Strength by source.",
                ),
                one(
                    charts.relations_chart(state["by_year"]),
                    "relations",
                    "Pairs with an active relation, by kind and year.",
                ),
            ]
        if what == "lineage":
            return [one(charts.lineage_chart(state["lineage"], labels=labels), "lineage", "")]
        return []

    titles = {
        "flows": ("Defection flows", "Who lost members to whom, by year, with figures and "
                  "named people where the sources give them."),
        "contested": ("Contested claims", "Claims one source makes and another denies or "
                      "gives differently: dates, leaders, killers, figures."),
        "figures": ("Figures over time", "Numbers the sources give, and how many relations "
                    "of each kind were active each year."),
        "lineage": ("Lineage", "Splits, mergers, factions and pledges of allegiance."),
    }  # fmt: skip
    title, about = titles[what]
    return _respond(
        request, as_json, title, build, draw, [_field("actor", "Actor", actor or "IS-K")], about
    )


def _register(what: str) -> None:
    def twin(request: Request, actor: Name = None) -> Any:
        return _actor_view(request, True, actor, what)

    def page(request: Request, actor: Name = None) -> Any:
        return _actor_view(request, False, actor, what)

    router.add_api_route(f"/{what}.json", twin, methods=["GET"], name=f"analysis_{what}_json")
    router.add_api_route(
        f"/{what}", page, methods=["GET"], response_class=HTMLResponse, name=f"analysis_{what}"
    )


for _what in ("flows", "contested", "figures", "lineage"):
    _register(_what)


# -- matrices --------------------------------------------------------------------------------

MATRICES = ("criticism", "defections", "factions")


def _matrix(
    request: Request,
    as_json: bool,
    kind: str,
    actor: str | None,
    rival: str | None,
    year: int | None,
    start: int | None,
    end: int | None,
) -> Any:
    from factiongraph.analysis.matrices import (
        criticism_matrix,
        defection_matrix,
        faction_matrix,
    )

    if kind not in MATRICES:
        raise InvalidQuery(f"unknown table {kind!r} (choose from: {', '.join(MATRICES)})")
    years = _years(start, end, 2014, 2017)

    def build() -> dict[str, Any]:
        name = _name(request, actor, "IS-K")
        snap = _snap(request)
        f, ents = snap.assertions, snap.entities
        if kind == "criticism":
            m = criticism_matrix(f, name, years, entities=ents)
            label = f"Groups that publicly criticized {name}"
        elif kind == "defections":
            m = defection_matrix(f, name, years, entities=ents)
            label = f"Groups that lost members to {name}"
        else:
            other = _name(request, rival, "Taliban")
            m = faction_matrix(f, name, other, year or 2017, entities=ents)
            label = f"{name}'s factions and {other}'s factions in {year or 2017}"
        return {"actor": name, "kind": kind, "tables": [table(label, m, index=True)]}

    form = [_field("actor", "Actor", actor or "IS-K")]
    if kind == "factions":
        form += [
            _field("rival", "Rival", rival or "Taliban"),
            _field("year", "Year", year or 2017, "number"),
        ]
    else:
        form += [
            _field("from", "From", years.start, "number"),
            _field("to", "To", years[-1], "number"),
        ]
    return _respond(
        request,
        as_json,
        f"Table: {kind}",
        build,
        None,
        form,
        "Generated from the assertions: each number counts the sources that say so; a blank "
        "or zero means none does, not that it did not happen.",
    )


@router.get("/matrix/{kind}.json")
def matrix_twin(
    request: Request,
    kind: str,
    actor: Name = None,
    rival: Name = None,
    year: Year = None,
    start: Annotated[Year, Query(alias="from")] = None,
    end: Annotated[Year, Query(alias="to")] = None,
) -> Any:
    return _matrix(request, True, kind, actor, rival, year, start, end)


@router.get("/matrix/{kind}", response_class=HTMLResponse)
def matrix_page(
    request: Request,
    kind: str,
    actor: Name = None,
    rival: Name = None,
    year: Year = None,
    start: Annotated[Year, Query(alias="from")] = None,
    end: Annotated[Year, Query(alias="to")] = None,
) -> Any:
    return _matrix(request, False, kind, actor, rival, year, start, end)


# -- the briefing ----------------------------------------------------------------------------


@router.get("/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    actor: Name = None,
    start: Annotated[Year, Query(alias="from")] = None,
    end: Annotated[Year, Query(alias="to")] = None,
) -> Response:
    """The self-contained HTML briefing, generated on request."""
    from factiongraph.report import build_report

    years = _years(start, end, 2014, 2022)
    name = _name(request, actor, "IS-K")
    with tempfile.TemporaryDirectory(prefix="factiongraph-report-") as tmp:
        r = build_report(_kb(request), tmp, actor=name, start=years.start, end=years[-1])
        html = r.path.read_text(encoding="utf-8")
    return HTMLResponse(html)
