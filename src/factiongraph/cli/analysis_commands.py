"""Analysis commands: history, snapshot, balance, flows, contested, figures, lineage, matrix,
report. Each reads a snapshot of the store and calls one function of
:mod:`factiongraph.analysis` (or :mod:`factiongraph.report`); ``--json`` and ``--csv``
print the same table in other forms.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from factiongraph.cli.app import (
    DbOption,
    JsonOption,
    app,
    console,
    emit_json,
    err_console,
    fail,
    open_kb,
    table,
)

CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
FromOption = Annotated[int | None, typer.Option("--from", help="First year.")]
ToOption = Annotated[int | None, typer.Option("--to", help="Last year.")]
ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Only around this actor (any name or alias).")
]


# -- output ------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return "; ".join(_cell(v) if not isinstance(v, dict) else json.dumps(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def records(frame: pd.DataFrame, *, index: bool = False) -> list[dict[str, Any]]:
    """A table as JSON-ready records (numbers as numbers, missing values as null)."""
    f = frame.reset_index() if index else frame
    f = f.copy()
    f.columns = [str(c) for c in f.columns]
    return json.loads(f.to_json(orient="records", force_ascii=False, default_handler=str))


def output(
    frame: pd.DataFrame,
    *,
    json_out: bool,
    csv_out: bool,
    title: str | None = None,
    index: bool = False,
    extra: dict[str, Any] | None = None,
) -> None:
    """Print a table as JSON, CSV or a terminal table."""
    if json_out and csv_out:
        raise fail("choose one of --json and --csv")
    f = frame.reset_index() if index else frame
    if json_out:
        data = records(f)
        emit_json({**extra, "rows": data} if extra else data)
        return
    if csv_out:
        out = f.copy()
        for c in out.columns:
            out[c] = out[c].map(_cell)
        out.columns = [str(c) for c in out.columns]
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    if extra:
        for k, v in extra.items():
            if not isinstance(v, list | dict):
                console.print(f"{k}: {_cell(v)}", highlight=False)
    if f.empty:
        console.print("(nothing found)")
        return
    table(title, [str(c) for c in f.columns], [[_cell(v) for v in row] for row in f.values])


@contextmanager
def snapshot_of(db: str | None) -> Iterator[tuple[Any, Any]]:
    """Open the store and read its snapshot; errors become one ``Error:`` line."""
    from factiongraph.analysis.snapshot import snapshot

    with open_kb(db) as kb:
        yield kb, snapshot(kb)


def _name(kb: Any, name: str) -> str:
    return kb.find_entity(name).name


# -- commands -----------------------------------------------------------------------------


@app.command()
def history(
    a: Annotated[str, typer.Argument(help="First actor (any name or alias).")],
    b: Annotated[str, typer.Argument(help="Second actor.")],
    factions: Annotated[
        bool, typer.Option("--factions", help="Also each faction of either, as its own line.")
    ] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """How the relationship between two actors evolved, merged across sources.

    Same as ``factiongraph.analysis.history.relationship_history`` in Python.
    """
    from factiongraph.analysis.history import relationship_history

    with snapshot_of(db) as (kb, snap):
        h = relationship_history(
            snap.assertions,
            _name(kb, a),
            _name(kb, b),
            factions=factions,
            entities=snap.entities,
        )
    cols = ["line", "state", "start", "end", "sources", "disputes", "assertions"]
    if json_out:
        output(h, json_out=True, csv_out=False)
    else:
        output(h if csv_out else h[cols], json_out=False, csv_out=csv_out, title="history")


class SnapshotView(StrEnum):
    edges = "edges"
    blocs = "blocs"
    brokers = "brokers"


@app.command("snapshot")
def snapshot_command(
    on: Annotated[str, typer.Option("--on", help="Date: YYYY, YYYY-MM or YYYY-MM-DD.")],
    show: Annotated[
        SnapshotView, typer.Option("--show", help="Table to print: edges, blocs or brokers.")
    ] = SnapshotView.edges,
    db: DbOption = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """The signed graph at a date: ties, balance, blocs and brokers.

    ``--json`` prints all of them. Same as ``signed_graph``, ``balance_summary``,
    ``signed_blocs`` and ``brokers`` in ``factiongraph.analysis.balance``.
    """
    from factiongraph.analysis.balance import (
        balance_summary,
        brokers,
        edges_table,
        signed_blocs,
        signed_graph,
    )

    with snapshot_of(db) as (_kb, snap):
        g = signed_graph(snap.assertions, on)
        summary = balance_summary(g)
        tables = {
            "edges": edges_table(g),
            "blocs": signed_blocs(g),
            "brokers": brokers(snap.assertions, g, on=on),
        }
    if json_out:
        emit_json({"on": on, "summary": summary, **{k: records(v) for k, v in tables.items()}})
        return
    output(
        tables[show.value],
        json_out=False,
        csv_out=csv_out,
        title=f"{show.value} on {on}",
        extra=None if csv_out else summary,
    )


@app.command()
def balance(
    from_: FromOption = 2014,
    to: ToOption = 2022,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Instead: each year, who was in this actor's camp."),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """Structural balance year by year: triangles, share balanced, frustration index;
    with ``--actor``, the actors in its camp ("with") or the other ("against") each year.

    Same as ``balance_over_time`` and ``alignment_over_time`` in
    ``factiongraph.analysis.balance``.
    """
    from factiongraph.analysis.balance import alignment_over_time, balance_over_time

    start, end = from_ or 2014, to or 2022
    if end < start:
        raise fail("--to is before --from")
    with snapshot_of(db) as (kb, snap):
        years = range(start, end + 1)
        if actor:
            name = _name(kb, actor)
            t = alignment_over_time(snap.assertions, [name, *snap.factions(name)], years)
            output(t, json_out=json_out, csv_out=csv_out, index=True, title=f"camps of {name}")
            return
        t = balance_over_time(snap.assertions, years)
    output(t, json_out=json_out, csv_out=csv_out, title="structural balance")


@app.command()
def flows(
    actor: ActorOption = None,
    matrix: Annotated[
        bool, typer.Option("--matrix", help="Loser-by-gainer matrix of reports instead.")
    ] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """Who lost members to whom, by year, with figures and named people.

    Same as ``factiongraph.analysis.flows.defection_flows`` (and ``flow_matrix``).
    """
    from factiongraph.analysis.flows import defection_flows, defection_reports, flow_matrix

    with snapshot_of(db) as (kb, snap):
        name = _name(kb, actor) if actor else None
        reports = defection_reports(snap.assertions, name, entities=snap.entities)
    if matrix:
        output(flow_matrix(reports), json_out=json_out, csv_out=csv_out, index=True)
    else:
        output(defection_flows(reports), json_out=json_out, csv_out=csv_out, title="flows")


@app.command()
def contested(
    actor: ActorOption = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--type", help="Only: denial, date, leader, killer, figure (repeatable)."),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """Claims the sources disagree on, each side with its sources and evidence.

    Same as ``factiongraph.analysis.contested.contested_claims`` in Python.
    """
    from factiongraph.analysis.contested import contested_claims

    valid = {"denial", "date", "leader", "killer", "figure"}
    bad = sorted(set(kind or []) - valid)
    if bad:
        raise fail(f"unknown type {bad[0]!r} (choose from: {', '.join(sorted(valid))})")
    with snapshot_of(db) as (kb, snap):
        f = snap.assertions
        if actor:
            group = {_name(kb, actor), *snap.factions(_name(kb, actor))}
            f = f[f["subject"].isin(group) | f["object"].isin(group)]
        c = contested_claims(f, tuple(kind) if kind else None)
    if json_out or csv_out:
        output(c, json_out=json_out, csv_out=csv_out)
        return
    short = c[["type", "subject", "predicate", "object", "a_value", "a_sources"]].copy()
    short["b_value"], short["b_sources"] = c["b_value"], c["b_sources"]
    output(short, json_out=False, csv_out=False, title="contested claims")


@app.command("figures")
def figures_command(
    actor: ActorOption = None,
    strength: Annotated[bool, typer.Option("--strength", help="Only strength estimates.")] = False,
    by_year: Annotated[
        bool,
        typer.Option("--by-year", help="Active relations by kind per year instead of figures."),
    ] = False,
    from_: FromOption = 2014,
    to: ToOption = 2022,
    db: DbOption = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """Figures the sources give (strength, defectors, ...) by source; or, with
    ``--by-year``, the number of active relations of each kind per year.

    Same as ``figures``, ``strength_estimates`` and ``relations_by_year`` in
    ``factiongraph.analysis.figures``.
    """
    from factiongraph.analysis.figures import figures, relations_by_year

    with snapshot_of(db) as (kb, snap):
        group = None
        if actor:
            name = _name(kb, actor)
            group = [name, *snap.factions(name)]
        if by_year:
            t = relations_by_year(
                snap.assertions, range(from_ or 2014, (to or 2022) + 1), actor=group
            )
            output(t, json_out=json_out, csv_out=csv_out, index=True, title="active relations")
            return
        f = figures(snap.assertions)
    if group is not None and not f.empty:
        f = f[f["group"].isin(group) | f["object"].isin(group)]
    if strength and not f.empty:
        f = f[f["measure"] == "strength"]
    cols = ["group", "measure", "object", "year", "text", "low", "high", "source"]
    output(
        f if (json_out or csv_out) else f[cols],
        json_out=json_out,
        csv_out=csv_out,
        title="figures",
    )


@app.command()
def lineage(
    actor: Annotated[str, typer.Argument(help="Actor (any name or alias).")],
    radius: Annotated[int, typer.Option(help="Ties away from the actor to include.")] = 1,
    db: DbOption = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """Splits, mergers, factions and pledges around an actor, as a dated table.

    Same as ``lineage_graph``, ``lineage_of`` and ``lineage_table`` in
    ``factiongraph.analysis.lineage``.
    """
    from factiongraph.analysis.lineage import lineage_graph, lineage_of, lineage_table

    with snapshot_of(db) as (kb, snap):
        g = lineage_of(
            lineage_graph(snap.assertions, snap.entities), _name(kb, actor), radius=radius
        )
    t = lineage_table(g)
    cols = ["child", "relation", "parent", "year", "sources"]
    output(
        t if (json_out or csv_out) or t.empty else t[cols],
        json_out=json_out,
        csv_out=csv_out,
        title="lineage",
    )


class MatrixKind(StrEnum):
    criticism = "criticism"
    defections = "defections"
    factions = "factions"


@app.command()
def matrix(
    kind: Annotated[MatrixKind, typer.Argument(help="criticism, defections or factions.")],
    actor: Annotated[str, typer.Option("--actor", help="The actor the table is about.")] = "IS-K",
    rival: Annotated[
        str, typer.Option("--rival", help="factions: the actor whose factions are columns.")
    ] = "Taliban",
    year: Annotated[int, typer.Option("--year", help="factions: the year.")] = 2017,
    from_: FromOption = 2014,
    to: ToOption = 2017,
    db: DbOption = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """The tables analysts publish: groups criticizing the actor by year, groups losing
    members to it by year, or the state between its factions and a rival's in a year.

    Same as ``criticism_matrix``, ``defection_matrix`` and ``faction_matrix`` in
    ``factiongraph.analysis.matrices``.
    """
    from factiongraph.analysis.matrices import criticism_matrix, defection_matrix, faction_matrix

    years = range(from_ or 2014, (to or 2017) + 1)
    with snapshot_of(db) as (kb, snap):
        name = _name(kb, actor)
        if kind == MatrixKind.criticism:
            m = criticism_matrix(snap.assertions, name, years, entities=snap.entities)
        elif kind == MatrixKind.defections:
            m = defection_matrix(snap.assertions, name, years, entities=snap.entities)
        else:
            m = faction_matrix(
                snap.assertions, name, _name(kb, rival), year, entities=snap.entities
            )
    title = f"{kind.value}: {name}" + (f", {year}" if kind == MatrixKind.factions else "")
    output(m, json_out=json_out, csv_out=csv_out, index=True, title=title)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report into.")],
    actor: Annotated[str, typer.Option("--actor", help="The actor of the briefing.")] = "IS-K",
    from_: FromOption = 2014,
    to: ToOption = 2022,
    counterpart: Annotated[
        list[str] | None,
        typer.Option("--with", help="Trace the history with this actor (repeatable)."),
    ] = None,
    on: Annotated[int | None, typer.Option("--on", help="Year of the alignment snapshot.")] = None,
    rival: Annotated[
        str | None, typer.Option("--rival", help="Actor whose factions the faction table uses.")
    ] = None,
    faction_year: Annotated[
        int | None, typer.Option("--faction-year", help="Year of the faction table.")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Write a self-contained HTML briefing with charts, tables and cited sources.

    Without ``--db`` (or ``$FACTIONGRAPH_DB``) the bundled data set is used. Same as
    ``factiongraph.report.build_report`` in Python.
    """
    from factiongraph.report import build_report

    start, end = from_ or 2014, to or 2022
    if end < start:
        raise fail("--to is before --from")
    with _report_store(db) as kb:
        r = build_report(
            kb,
            out,
            actor=actor,
            start=start,
            end=end,
            counterparts=counterpart or None,
            on=on,
            rival=rival,
            faction_year=faction_year,
        )
    if json_out:
        emit_json(
            {
                "index": str(r.path),
                "actor": r.actor,
                "start": r.start,
                "end": r.end,
                "charts": r.charts,
                "citations": len(r.citations),
            }
        )
    else:
        err_console.print(
            f"wrote {r.path} ({len(r.charts)} charts, {len(r.citations)} citations)",
            highlight=False,
        )


@contextmanager
def _report_store(db: str | None) -> Iterator[Any]:
    """``--db`` when given, else the bundled data set when installed, else the default."""
    import importlib.util
    import os

    if (
        db
        or os.environ.get("FACTIONGRAPH_DB")
        or not importlib.util.find_spec("factiongraph.bundled")
    ):
        with open_kb(db) as kb:
            yield kb
        return
    from factiongraph.bundled import open_bundled

    try:
        kb = open_bundled()
    except Exception as exc:  # a missing or broken data file is reported, not raised
        raise fail(f"cannot open the bundled data set ({exc}); give a store with --db") from None
    with open_kb(kb.url) as store:
        kb.close()
        yield store
