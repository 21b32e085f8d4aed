"""The briefing: every analysis for one actor and period, as one self-contained HTML file.

:func:`build_report` reads a knowledge base; :func:`render_report` does the work on a
:class:`~factiongraph.analysis.snapshot.Snapshot`. The output folder gets ``index.html``
(styles inline, charts inline as SVG, so it opens without a network), ``charts/*.png`` and
``charts/*.svg``, and ``report.json`` (the citations and chart files, for checking).
Every statement in the tables cites the assertions behind it as numbered notes, each
naming a stored document (key and title) and the quoted passage.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from factiongraph.analysis import charts
from factiongraph.analysis.balance import (
    alignment_over_time,
    balance_over_time,
    brokers,
    edges_table,
    signed_blocs,
    signed_graph,
    triangle_balance,
)
from factiongraph.analysis.contested import contested_claims
from factiongraph.analysis.figures import figures, relations_by_year
from factiongraph.analysis.flows import defection_flows, defection_reports
from factiongraph.analysis.history import relationship_history
from factiongraph.analysis.lineage import (
    formed_from,
    lineage_graph,
    lineage_of,
    lineage_table,
    splits_from,
)
from factiongraph.analysis.matrices import (
    criticism_matrix,
    criticism_rows,
    defection_matrix,
    defection_rows,
    faction_evidence,
    faction_matrix,
    rows_in_year,
)
from factiongraph.analysis.snapshot import (
    STATE_KINDS,
    STATE_PREDICATES,
    Snapshot,
    factions_of,
    short_names,
    snapshot,
)

if TYPE_CHECKING:
    from factiongraph.kb import KnowledgeBase

DEFAULT_ACTOR = "IS-K"
DEFAULT_START = 2014
DEFAULT_END = 2022


@dataclass
class Citation:
    """One numbered note: an assertion and the stored document it comes from."""

    number: int
    assertion: int
    document: str
    title: str
    quote: str
    claim: str


class Citations:
    """Hands out note numbers for assertions, once each, in order of first citation.

    Assertions without a document (an analyst's own) get no note: the notes only ever
    point at stored documents.
    """

    def __init__(self, frame: pd.DataFrame, titles: dict[str, str]) -> None:
        self._rows = {int(r.id): r for r in frame.itertuples()}
        self._titles = titles
        self._numbers: dict[int, int] = {}
        self.notes: list[Citation] = []

    def cite(self, ids: Iterable[Any], limit: int = 8) -> list[int]:
        out: list[int] = []
        for i in ids:
            row = self._rows.get(int(i))
            if row is None or not row.document:
                continue
            if int(i) not in self._numbers:
                n = len(self.notes) + 1
                self._numbers[int(i)] = n
                self.notes.append(
                    Citation(
                        number=n,
                        assertion=int(i),
                        document=str(row.document),
                        title=self._titles.get(str(row.document)) or str(row.title or ""),
                        quote=str(row.quote or ""),
                        claim=f"{row.subject} {row.predicate.replace('_', ' ')} {row.object}"
                        + (f" ({row.valid_time})" if row.valid_time else "")
                        + (f", {row.modality}" if row.modality != "asserted" else "")
                        + (f" per {row.claimant}" if row.claimant else ""),
                    )
                )
            out.append(self._numbers[int(i)])
        return sorted(set(out))[:limit]


@dataclass
class Report:
    """What :func:`render_report` wrote."""

    path: Path
    actor: str
    start: int
    end: int
    charts: dict[str, dict[str, str]] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)


def build_report(
    kb: KnowledgeBase,
    out_dir: str | Path,
    *,
    actor: str = DEFAULT_ACTOR,
    start: int = DEFAULT_START,
    end: int = DEFAULT_END,
    counterparts: list[str] | None = None,
    on: int | None = None,
    rival: str | None = None,
    faction_year: int | None = None,
) -> Report:
    """Write the briefing for ``actor`` over ``start``–``end`` into ``out_dir``.

    Names may be any alias known to the knowledge base. See :func:`render_report` for
    the options.
    """
    name = kb.find_entity(actor).name
    snap = snapshot(kb)
    return render_report(
        snap,
        out_dir,
        actor=name,
        start=start,
        end=end,
        counterparts=[kb.find_entity(c).name for c in counterparts] if counterparts else None,
        on=on,
        rival=kb.find_entity(rival).name if rival else None,
        faction_year=faction_year,
        source=getattr(kb, "url", None),
    )


def _root(entities: pd.DataFrame, name: str) -> str:
    parents = {str(r.name): r.parent for r in entities.itertuples()}
    seen = {name}
    while isinstance(parents.get(name), str) and parents[name] and parents[name] not in seen:
        name = str(parents[name])
        seen.add(name)
    return name


def _top_counterparts(snap: Snapshot, actor: str, group: set[str], n: int = 3) -> list[str]:
    f = snap.assertions
    f = f[f["predicate"].isin(STATE_PREDICATES) & (f["modality"] != "denied")]
    f = f[(f["subject_kind"] == "organization") & (f["object_kind"] == "organization")]
    counts: dict[str, int] = {}
    for r in f.itertuples():
        if r.subject in group and r.object not in group:
            other = r.object
        elif r.object in group and r.subject not in group:
            other = r.subject
        else:
            continue
        other = _root(snap.entities, str(other))
        if other in group:
            continue
        counts[other] = counts.get(other, 0) + 1
    return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _in_window(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """History-like rows that overlap the window, plus undated ones."""
    lo, hi = f"{start}-01-01", f"{end}-12-31"
    keep = [
        (s is None and e is None) or ((s is None or s <= hi) and (e is None or e >= lo))
        for s, e in zip(frame["start"], frame["end"], strict=True)
    ]
    return frame[keep]


def render_report(
    snap: Snapshot,
    out_dir: str | Path,
    *,
    actor: str,
    start: int = DEFAULT_START,
    end: int = DEFAULT_END,
    counterparts: list[str] | None = None,
    on: int | None = None,
    rival: str | None = None,
    faction_year: int | None = None,
    source: str | None = None,
) -> Report:
    """Run every analysis for ``actor`` (a canonical name) and write the briefing.

    Parameters
    ----------
    snap : Snapshot
        The knowledge base as tables.
    out_dir : str or Path
        Folder to write into (created if needed).
    actor : str
        The actor the briefing is about; its factions are included throughout.
    start, end : int
        First and last year of the period.
    counterparts : list of str, optional
        Actors whose relationship history with ``actor`` is traced (default: the three
        with the most relation assertions with it, factions folded into their parents).
    on : int, optional
        The year of the alignment snapshot (default: the year of the period with the most
        signed ties).
    rival : str, optional
        The actor whose factions make the columns of the faction matrix (default: the
        first counterpart that has factions).
    faction_year : int, optional
        The year of the faction matrix (default: the year with the most filled cells).
    source : str, optional
        A label for the knowledge base, shown in the header.
    """
    out = Path(out_dir)
    chart_dir = out / "charts"
    chart_dir.mkdir(parents=True, exist_ok=True)
    f = snap.assertions
    ents = snap.entities
    years = list(range(start, end + 1))
    actor_factions = factions_of(ents, actor)
    group = {actor, *actor_factions}
    cites = Citations(f, snap.document_titles())
    labels = short_names(ents)
    chart_files: dict[str, dict[str, str]] = {}

    def chart(fig: Any, name: str) -> str:
        saved = charts.save_chart(fig, chart_dir, name)
        chart_files[name] = {"png": saved["png"], "svg": saved["svg"]}
        return saved["inline"]

    ctx: dict[str, Any] = {
        "actor": actor,
        "factions": actor_factions,
        "start": start,
        "end": end,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "source": source,
        "counts": {
            "documents": len(snap.documents),
            "assertions": len(f),
            "entities": len(ents),
        },
        "documents": [
            {"key": r.key, "title": r.title, "published": r.published, "publisher": r.publisher}
            for r in snap.documents.itertuples()
        ],
        "state_kinds": STATE_KINDS,
        "colours": charts.STATE_COLOURS,
    }

    # 1. relationship histories
    counterparts = counterparts or _top_counterparts(snap, actor, group)
    histories = []
    for other in counterparts:
        h = relationship_history(f, actor, other, factions=True, entities=ents)
        h = _in_window(h, start, end)
        rows = [
            {
                "line": r.line,
                "state": r.state,
                "start": r.start,
                "end": r.end,
                "sources": r.sources,
                "disputed": r.disputed,
                "disputes": r.disputes,
                "refs": cites.cite(r.assertions),
            }
            for r in h.itertuples()
        ]
        histories.append(
            {
                "other": other,
                "rows": rows,
                "disputed": int(h["disputed"].sum()) if not h.empty else 0,
                "lines": h["line"].nunique() if not h.empty else 0,
                "chart": chart(
                    charts.history_chart(h, title=f"{actor} and {other}", labels=labels),
                    f"history-{len(histories) + 1}",
                ),
            }
        )
    ctx["histories"] = histories

    # 2. alignments: balance over time, the snapshot graph, blocs, brokers
    over_time = balance_over_time(f, years)
    if on is None:
        on = int(over_time.sort_values(["edges", "year"], ascending=[False, True]).iloc[0]["year"])
    g = signed_graph(f, str(on))
    if g.number_of_nodes() > 45:  # keep the drawing readable: the actor's neighbourhood
        near: set[Any] = set()
        for n in group & set(g.nodes):
            near |= set(nx.single_source_shortest_path_length(g, n, 1))
        g = g.subgraph(near).copy()
    blocs = signed_blocs(g)
    tb = triangle_balance(g)
    edges = edges_table(g)
    actor_edges = edges[edges["a"].isin(group) | edges["b"].isin(group)] if len(edges) else edges
    ctx["balance"] = {
        "on": on,
        "over_time": over_time.to_dict("records"),
        "chart": chart(charts.balance_chart(over_time), "balance"),
        "graph_chart": chart(
            charts.signed_graph_chart(g, blocs, title=f"Signed ties held in {on}", labels=labels),
            "alignments",
        ),
        "triangles": tb,
        "blocs": blocs.to_dict("records"),
        "edges": [
            {**r, "refs": cites.cite(r["assertions"])} for r in actor_edges.to_dict("records")
        ],
        "brokers": brokers(f, g, on=str(on)).head(12).to_dict("records"),
        "camps": _camps(alignment_over_time(f, [actor, *actor_factions], years)),
        "summary": next((r for r in over_time.to_dict("records") if r["year"] == on), {}),
    }

    # 3. defection flows
    reports = defection_reports(f, actor, entities=ents)
    flows = defection_flows(reports)
    if not flows.empty:
        flows = flows[flows["year"].map(lambda y: y is None or start <= y <= end)]
    ctx["flows"] = {
        "rows": [{**r, "refs": cites.cite(r["assertions"])} for r in flows.to_dict("records")],
        "chart": chart(charts.flows_chart(flows, labels=labels), "flows"),
        "losers": sorted(set(flows["source"]) - group) if not flows.empty else [],
        "gainers": sorted(set(flows["target"]) - group) if not flows.empty else [],
    }

    # 4. contested claims involving the actor or its factions
    involved = f[f["subject"].isin(group) | f["object"].isin(group)]
    contested = contested_claims(involved)
    ctx["contested"] = [
        {
            **r,
            "a_refs": cites.cite(e["id"] for e in r["a_evidence"]),
            "b_refs": cites.cite(e["id"] for e in r["b_evidence"]),
        }
        for r in contested.to_dict("records")
    ]
    ctx["contested_by_type"] = (
        contested["type"].value_counts().to_dict() if not contested.empty else {}
    )

    # 5. figures and active relations
    figs = figures(involved)
    if not figs.empty:
        figs = figs[figs["year"].map(lambda y: y is None or start <= y <= end)]
    strength = figs[figs["measure"] == "strength"] if not figs.empty else figs
    by_year = relations_by_year(f, years, actor=sorted(group))
    ctx["figures"] = {
        "rows": [{**r, "refs": cites.cite([r["id"]])} for r in figs.to_dict("records")],
        "chart": chart(charts.figures_chart(strength, labels=labels), "strength"),
        "strength_count": len(strength),
        "by_year": [{"year": int(y), **row} for y, row in by_year.to_dict("index").items()],
        "by_year_chart": chart(charts.relations_chart(by_year), "relations-by-year"),
    }

    # 6. lineage
    lg_all = lineage_graph(f, ents)
    lg = lineage_of(lg_all, actor, radius=1)
    formed = formed_from(lg_all, actor)
    split_tables = []
    for other in counterparts:
        s = splits_from(lg_all, other)
        if not s.empty:
            split_tables.append({"of": other, "rows": _lineage_rows(s, cites)})
    ctx["lineage"] = {
        "chart": chart(
            charts.lineage_chart(lg, title=f"Lineage around {actor}", labels=labels), "lineage"
        ),
        "formed": _lineage_rows(formed, cites),
        "splits": split_tables,
        "own": _lineage_rows(_own_ties(lineage_table(lg), actor), cites),
    }

    # 7. the published tables
    crit = criticism_matrix(f, actor, years, entities=ents)
    crit_rows = criticism_rows(f, actor, entities=ents)
    defe = defection_matrix(f, actor, years, entities=ents)
    table_years = _table_years(years, [crit, defe])
    crit, defe = crit[table_years], defe[table_years]
    defe_rows = defection_rows(f, actor, entities=ents)
    rival = rival or next((c for c in counterparts if factions_of(ents, c)), None)
    faction = None
    if rival is not None:
        if faction_year is None:
            faction_year = max(
                years,
                key=lambda y: (
                    int((faction_matrix(f, actor, rival, y, entities=ents) != "").values.sum()),
                    -y,
                ),
            )
        fm = faction_matrix(f, actor, rival, faction_year, entities=ents)
        ev = faction_evidence(f, actor, rival, faction_year, entities=ents)
        faction = {
            "rival": rival,
            "year": faction_year,
            "columns": list(fm.columns),
            "rows": [
                {
                    "name": idx,
                    "cells": [
                        {"text": fm.loc[idx, c], "refs": cites.cite(ev.get((idx, c), []))}
                        for c in fm.columns
                    ],
                }
                for idx in fm.index
                if (fm.loc[idx] != "").any()
            ],
            "empty_rows": [idx for idx in fm.index if not (fm.loc[idx] != "").any()],
        }
    ctx["matrices"] = {
        "years": table_years,
        "criticism": _year_matrix_rows(crit, crit_rows, cites),
        "defections": _year_matrix_rows(defe, defe_rows, cites),
        "faction": faction,
    }

    ctx["summary"] = _summary(ctx)
    ctx["notes"] = cites.notes
    html = _render(ctx)
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    (out / "report.json").write_text(
        json.dumps(
            {
                "actor": actor,
                "start": start,
                "end": end,
                "charts": chart_files,
                "citations": [c.__dict__ for c in cites.notes],
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return Report(index, actor, start, end, chart_files, list(cites.notes))


def _camps(t: pd.DataFrame) -> dict[str, Any]:
    """The camps table for the template, keeping actors marked in at least two years."""
    keep = [a for a in t.index if int((t.loc[a] != "").sum()) >= 2]
    return {
        "years": [int(y) for y in t.columns],
        "rows": [{"actor": a, "cells": [t.loc[a, y] for y in t.columns]} for a in keep],
        "left_out": len(t.index) - len(keep),
    }


def _table_years(years: list[int], matrices: list[pd.DataFrame]) -> list[int]:
    """The years the tables show: from the first year of the period to the last year with a
    non-empty cell in any of them (at least four years, never past the period)."""
    last = years[0] + 3
    for m in matrices:
        for y in m.columns:
            if int(m[y].sum()) > 0:
                last = max(last, int(y))
    return [y for y in years if y <= last]


def _own_ties(table: pd.DataFrame, actor: str) -> pd.DataFrame:
    """The actor's own ties upward: what it split from, joined or swore allegiance to."""
    if table.empty:
        return table
    return table[(table["child"] == actor) & (table["relation"] != "faction_of")]


def _lineage_rows(table: pd.DataFrame, cites: Citations) -> list[dict[str, Any]]:
    if table.empty:
        return []
    return [{**r, "refs": cites.cite(r["assertions"])} for r in table.to_dict("records")]


def _year_matrix_rows(
    m: pd.DataFrame, rows: pd.DataFrame, cites: Citations
) -> list[dict[str, Any]]:
    out = []
    for group in m.index:
        mine = rows[rows["subject"] == group]
        cells = []
        for y in m.columns:
            n = int(m.loc[group, y])
            cells.append(
                {"n": n, "refs": cites.cite(rows_in_year(mine, int(y))["id"]) if n else []}
            )
        out.append({"group": group, "cells": cells})
    return out


def _summary(ctx: dict[str, Any]) -> list[str]:
    """A few plain sentences on what the tables show."""
    out = []
    actor = ctx["actor"]
    for h in ctx["histories"]:
        if h["rows"]:
            states = sorted({r["state"] for r in h["rows"]}, key=STATE_KINDS.index)
            out.append(
                f"Between {actor} and {h['other']} the sources describe "
                f"{len(h['rows'])} periods ({', '.join(states)}) on {h['lines']} line(s); "
                f"{h['disputed']} of them are disputed by another source."
            )
    b = ctx["balance"]["summary"]
    if b:
        share = b.get("share_balanced")
        share_text = "no closed triangles" if share is None else f"{share:.0%} of triangles"
        out.append(
            f"In {ctx['balance']['on']} the signed graph has {b['nodes']} actors and "
            f"{b['edges']} ties ({b['positive']} friendly, {b['negative']} hostile); "
            f"{share_text if share is None else share_text + ' are balanced'}, and "
            f"{b['frustration']} tie(s) would have to change for two clean camps."
        )
    if ctx["flows"]["losers"]:
        out.append(
            f"{len(ctx['flows']['losers'])} group(s) are reported to have lost members to "
            f"{actor} or its factions in {ctx['start']}–{ctx['end']}."
        )
    if ctx["contested"]:
        kinds = ", ".join(f"{n} {t}" for t, n in ctx["contested_by_type"].items())
        out.append(f"The sources disagree on {len(ctx['contested'])} claim(s): {kinds}.")
    dated = [r for r in ctx["lineage"]["formed"] if r["year"] is not None]
    if dated:
        first = min(r["year"] for r in dated)
        founders = sorted({r["child"] for r in dated if r["year"] == first})
        out.append(
            f"The earliest components the sources date are from {first}: "
            f"{', '.join(founders)} joined {actor} or pledged allegiance to it."
        )
    return out


def _render(ctx: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("factiongraph.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["span"] = _span
    env.filters["pct"] = lambda v: "–" if v is None or pd.isna(v) else f"{float(v):.0%}"
    env.filters["num"] = _num
    return env.get_template("report.html").render(**ctx)


def _span(row: dict[str, Any]) -> str:
    s, e = row.get("start"), row.get("end")
    if s is None and e is None:
        return "undated"
    return f"{s or '…'} – {e or 'open'}"


def _num(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}"
    return f"{v:,}" if isinstance(v, int | float) else str(v)
