"""Charts of the analyses, drawn with matplotlib (imported only when a chart is made).

Each ``*_chart`` function takes the table or graph an analysis returns and gives a
:class:`matplotlib.figure.Figure` (``labels`` maps long names to the short ones to print,
see :func:`~factiongraph.analysis.snapshot.short_names`); :func:`save_chart` writes it as
PNG and SVG and returns the SVG text for embedding in a page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from factiongraph.analysis.snapshot import STATE_KINDS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STATE_COLOURS = {
    "cooperation": "#2e7d32",
    "ceasefire": "#00897b",
    "negotiation": "#1e63b4",
    "rivalry": "#ef8a17",
    "criticism": "#c9a200",
    "fighting": "#c62828",
}
POSITIVE, NEGATIVE = "#2e7d32", "#c62828"
BLOC_COLOURS = ["#1e63b4", "#ef8a17", "#6a3d9a", "#00897b", "#8c564b", "#e377c2", "#7f7f7f"]


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def _empty(fig: Figure, message: str) -> Figure:
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#555")
    return fig


def _short(name: str, limit: int = 28, labels: Mapping[str, str] | None = None) -> str:
    if labels and name in labels:
        name = labels[name]
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _year_float(day: str | None, default: float) -> float:
    if not isinstance(day, str) or not day:
        return default
    y, m, d = (int(x) for x in day.split("-"))
    return y + (m - 1) / 12 + (d - 1) / 365


def history_chart(
    history: pd.DataFrame,
    *,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """A lane per line and state, a bar per period; disputed periods hatched.

    Open ends are drawn to the last year in the table plus one; undated periods are left
    out of the chart (they are in the table).
    """
    dated = history[history["start"].notna() | history["end"].notna()]
    if dated.empty:
        return _empty(_figure(8, 1.6), "No dated periods")
    days = list(dated["start"]) + list(dated["end"])
    years = [_year_float(d, 0) for d in days if isinstance(d, str) and d]
    lo, hi = min(years), max(years) + 1
    lanes = []
    names = {}
    for (line, a, b), group in dated.groupby(["line", "a", "b"], sort=False):
        names[str(line)] = f"{_short(str(a), 20, labels)} – {_short(str(b), 20, labels)}"
        for state in STATE_KINDS:
            if (group["state"] == state).any():
                lanes.append((str(line), state))
    fig = _figure(9, 0.9 + 0.32 * len(lanes))
    ax = fig.add_subplot()
    for i, (line, state) in enumerate(lanes):
        rows = dated[(dated["line"] == line) & (dated["state"] == state)]
        for r in rows.itertuples():
            a = _year_float(r.start, lo)
            b = _year_float(r.end, hi) + (1 / 365 if r.end else 0)
            ax.barh(
                i,
                max(b - a, 0.04),
                left=a,
                height=0.62,
                color=STATE_COLOURS[state],
                hatch="///" if r.disputed else None,
                edgecolor="white" if not r.disputed else "#222",
                linewidth=0.6,
            )
    ax.set_yticks(range(len(lanes)))
    multi = len({line for line, _ in lanes}) > 1
    ax.set_yticklabels([f"{names[line]} · {s}" if multi else s for line, s in lanes])
    for i in range(1, len(lanes)):
        if lanes[i][0] != lanes[i - 1][0]:
            ax.axhline(i - 0.5, color="#999", linewidth=0.6)
    ax.invert_yaxis()
    ax.set_xlim(lo, hi)
    ax.grid(axis="x", color="#ddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def balance_chart(over_time: pd.DataFrame) -> Figure:
    """Share of balanced triangles and frustration per edge, year by year."""
    fig = _figure(8, 3)
    if over_time.empty:
        return _empty(fig, "No signed relations")
    ax = fig.add_subplot()
    years = over_time["year"].tolist()
    share = [None if v is None or pd.isna(v) else float(v) for v in over_time["share_balanced"]]
    norm = [
        None if v is None or pd.isna(v) else float(v) for v in over_time["normalized_frustration"]
    ]
    ax.plot(
        years,
        [float("nan") if v is None else v for v in share],
        "o-",
        color="#1e63b4",
        label="share of balanced triangles",
    )
    ax.plot(
        years,
        [float("nan") if v is None else v for v in norm],
        "s--",
        color="#c62828",
        label="frustrated ties per tie",
    )
    ax.set_ylim(0, 1.05)
    ax.set_xticks(years)
    ax.grid(color="#e5e5e5", linewidth=0.6)
    ax.legend(fontsize=8, loc="lower left")
    ax2 = ax.twinx()
    ax2.bar(years, over_time["edges"], color="#999", alpha=0.25, width=0.6)
    ax2.set_ylabel("signed ties", fontsize=8, color="#777")
    ax2.tick_params(labelsize=7, colors="#777")
    ax.set_zorder(ax2.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.tick_params(labelsize=8)
    return fig


def signed_graph_chart(
    g: nx.Graph,
    blocs: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """Friendly ties solid green, hostile ties dashed red, nodes coloured by bloc."""
    fig = _figure(9, 6.5)
    if g.number_of_nodes() == 0:
        return _empty(fig, "No signed relations at this date")
    ax = fig.add_subplot()
    ax.axis("off")
    weights = {(u, v): (2.0 if d["sign"] > 0 else 0.6) for u, v, d in g.edges(data=True)}
    h = nx.Graph()
    h.add_nodes_from(g.nodes)
    h.add_edges_from((u, v, {"weight": w}) for (u, v), w in weights.items())
    pos = nx.spring_layout(h, seed=3, weight="weight", k=1.6 / max(g.number_of_nodes(), 1) ** 0.5)
    colour = {}
    if blocs is not None:
        for i, r in enumerate(blocs.itertuples()):
            for m in r.members:
                colour[m] = BLOC_COLOURS[i % len(BLOC_COLOURS)]
    pos_edges = [(u, v) for u, v, d in g.edges(data=True) if d["sign"] > 0]
    neg_edges = [(u, v) for u, v, d in g.edges(data=True) if d["sign"] < 0]
    nx.draw_networkx_edges(g, pos, edgelist=pos_edges, edge_color=POSITIVE, width=1.6, ax=ax)
    nx.draw_networkx_edges(
        g, pos, edgelist=neg_edges, edge_color=NEGATIVE, width=1.1, style="dashed", ax=ax
    )
    nx.draw_networkx_nodes(
        g,
        pos,
        node_color=[colour.get(n, "#888") for n in g.nodes],
        node_size=[120 + 40 * g.degree(n) for n in g.nodes],
        ax=ax,
    )
    nx.draw_networkx_labels(
        g,
        {n: (x, y + 0.045) for n, (x, y) in pos.items()},
        labels={n: _short(str(n), 24, labels) for n in g.nodes},
        font_size=7,
        ax=ax,
    )
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def flows_chart(
    flows: pd.DataFrame, *, top: int = 14, labels: Mapping[str, str] | None = None
) -> Figure:
    """An alluvial chart: groups that lost members (left) to groups that gained (right).

    Band width is the number of reports of the flow (figures are too sparse and too
    uneven across sources to size bands by); bands are labelled with the largest figure
    given, when any.
    """
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    if flows.empty:
        return _empty(_figure(8, 2), "No defections reported")

    def largest(values: pd.Series) -> float | None:
        known = [float(v) for v in values if v is not None and not pd.isna(v)]
        return max(known) if known else None

    pairs = (
        flows.groupby(["source", "target"])
        .agg(reports=("reports", "sum"), members=("members", largest))
        .reset_index()
        .sort_values("reports", ascending=False)
        .head(top)
    )
    left = list(pairs.groupby("source")["reports"].sum().sort_values(ascending=False).index)
    right = list(pairs.groupby("target")["reports"].sum().sort_values(ascending=False).index)
    total = float(pairs["reports"].sum())
    gap = 0.02
    fig = _figure(9, 0.8 + 0.35 * max(len(left), len(right)))
    ax = fig.add_subplot()
    ax.axis("off")

    def stack(names: list[str], col: str) -> dict[str, list[float]]:
        span = 1 - gap * (len(names) - 1)
        y, out = 1.0, {}
        for n in names:
            h = pairs[pairs[col] == n]["reports"].sum() / total * span
            out[n] = [y, y - h, y]  # top, bottom, next free y for bands
            y -= h + gap
        return out

    ls, rs = stack(left, "source"), stack(right, "target")
    for r in pairs.sort_values(["source", "target"]).itertuples():
        h = r.reports / total * (1 - gap * (max(len(left), len(right)) - 1))
        y0, y1 = ls[r.source][2], rs[r.target][2]
        ls[r.source][2] -= h
        rs[r.target][2] -= h
        verts = [
            (0.1, y0),
            (0.5, y0),
            (0.5, y1),
            (0.9, y1),
            (0.9, y1 - h),
            (0.5, y1 - h),
            (0.5, y0 - h),
            (0.1, y0 - h),
            (0.1, y0),
        ]
        curve = [MPath.CURVE4] * 3
        codes = [MPath.MOVETO, *curve, MPath.LINETO, *curve, MPath.CLOSEPOLY]
        colour = BLOC_COLOURS[left.index(r.source) % len(BLOC_COLOURS)]
        ax.add_patch(PathPatch(MPath(verts, codes), facecolor=colour, alpha=0.45, lw=0))
        if r.members is not None and not pd.isna(r.members):
            ax.text(
                0.5,
                (y0 + y1) / 2 - h / 2,
                f"≥{int(r.members):,}",
                fontsize=7,
                ha="center",
                va="center",
                color="#222",
            )
    for n, (top_, bottom, _) in ls.items():
        ax.add_patch(_bar(0.08, bottom, top_ - bottom))
        ax.text(
            0.07, (top_ + bottom) / 2, _short(n, 30, labels), ha="right", va="center", fontsize=8
        )
    for n, (top_, bottom, _) in rs.items():
        ax.add_patch(_bar(0.9, bottom, top_ - bottom))
        ax.text(
            0.93, (top_ + bottom) / 2, _short(n, 30, labels), ha="left", va="center", fontsize=8
        )
    ax.set_xlim(-0.45, 1.45)
    ax.set_ylim(-0.02, 1.02)
    ax.text(0.09, 1.03, "lost members", ha="center", fontsize=8, color="#555")
    ax.text(0.91, 1.03, "gained members", ha="center", fontsize=8, color="#555")
    return fig


def _bar(x: float, y: float, h: float) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 0.02, h, color="#333")


def figures_chart(strength: pd.DataFrame, *, labels: Mapping[str, str] | None = None) -> Figure:
    """Strength estimates per group over time, one marker style per source; ranges as bars."""
    dated = strength[strength["year"].notna()] if not strength.empty else strength
    if dated.empty:
        return _empty(_figure(8, 2), "No dated strength estimates")
    fig = _figure(9, 3.6)
    ax = fig.add_subplot()
    markers = "osD^v<>P*X"
    groups = sorted(dated["group"].unique())
    sources = sorted(dated["source"].unique())
    for gi, group in enumerate(groups):
        for si, src in enumerate(sources):
            rows = dated[(dated["group"] == group) & (dated["source"] == src)]
            if rows.empty:
                continue
            xs = [int(y) + 0.08 * (si - len(sources) / 2) for y in rows["year"]]
            mid = [(lo + hi) / 2 for lo, hi in zip(rows["low"], rows["high"], strict=True)]
            err = [(hi - lo) / 2 for lo, hi in zip(rows["low"], rows["high"], strict=True)]
            ax.errorbar(
                xs,
                mid,
                yerr=err,
                fmt=markers[si % len(markers)],
                color=BLOC_COLOURS[gi % len(BLOC_COLOURS)],
                capsize=3,
                label=f"{_short(group, 22, labels)} — {_short(src, 30)}",
            )
    ax.set_yscale("log")
    ax.set_ylabel("members (log scale)", fontsize=8)
    ax.grid(color="#e5e5e5", linewidth=0.6)
    ax.legend(fontsize=6.5, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.tick_params(labelsize=8)
    return fig


def relations_chart(by_year: pd.DataFrame) -> Figure:
    """Stacked bars: pairs with an active relation of each kind, per year."""
    fig = _figure(8, 3.2)
    if by_year.empty or int(by_year.values.sum()) == 0:
        return _empty(fig, "No dated relations")
    ax = fig.add_subplot()
    bottom = [0] * len(by_year)
    years = [int(y) for y in by_year.index]
    for kind in STATE_KINDS:
        vals = by_year[kind].tolist()
        ax.bar(years, vals, bottom=bottom, color=STATE_COLOURS[kind], label=kind, width=0.7)
        bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    ax.set_xticks(years)
    ax.set_ylabel("pairs of actors", fontsize=8)
    ax.legend(fontsize=7, ncols=3, loc="upper right")
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


LINEAGE_STYLE = {
    "split_from": ("#c62828", "split from"),
    "part_of": ("#1e63b4", "joined / part of"),
    "pledged_allegiance_to": ("#6a3d9a", "pledged allegiance to"),
    "faction_of": ("#999999", "faction of"),
}


def lineage_chart(
    g: nx.MultiDiGraph,
    *,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """A family tree over time: each group on its own row, below the group it came from or
    joined, placed at the year its own tie is dated (a group with no dated tie of its own,
    at the year of its first dated child); arrows run from the group to the one it split
    from, joined or swore allegiance to. Undated groups sit in a column on the right."""
    if g.number_of_edges() == 0:
        return _empty(_figure(8, 2), "No lineage ties")
    first: dict[Any, float] = {}  # the year a group's own tie (split, joining) is dated
    for u, _v, d in g.edges(data=True):
        if d.get("year") is not None:
            first[u] = min(first.get(u, float(d["year"])), float(d["year"]))
    for _u, v, d in g.edges(data=True):  # no dated tie of its own: its first child's year
        if v not in first and d.get("year") is not None:
            first[v] = float(d["year"])
    years = sorted(set(first.values())) or [2000.0]
    undated_x = max(years) + 1.5
    # rows: each root (a group tied to nothing above it), then its descendants depth first
    order: list[Any] = []

    def visit(n: Any) -> None:
        if n in order:
            return
        order.append(n)
        for child in sorted(g.predecessors(n), key=lambda c: (first.get(c, undated_x), str(c))):
            visit(child)

    roots = [n for n in g.nodes if g.out_degree(n) == 0]
    for n in sorted(roots, key=lambda n: (first.get(n, undated_x), str(n))):
        visit(n)
    for n in sorted(g.nodes, key=lambda n: (first.get(n, undated_x), str(n))):
        visit(n)  # groups caught in cycles
    pos = {n: (first.get(n, undated_x), -i) for i, n in enumerate(order)}
    fig = _figure(9.5, 0.8 + 0.3 * len(order))
    ax = fig.add_subplot()
    for u, v, k, _d in g.edges(keys=True, data=True):
        colour, _ = LINEAGE_STYLE.get(k, ("#555", k))
        ax.annotate(
            "",
            xy=pos[v],
            xytext=pos[u],
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "lw": 1.0,
                "connectionstyle": "arc3,rad=0.15",
                "shrinkA": 4,
                "shrinkB": 4,
            },
        )
    for n, (x, y) in pos.items():
        ax.plot([x], [y], "o", color="#333", ms=4)
        ax.text(x + 0.08, y, _short(str(n), 34, labels), fontsize=7, va="center")
    ax.set_yticks([])
    ticks = [int(y) for y in years]
    ax.set_xticks([*ticks, undated_x], [*map(str, ticks), "undated"])
    ax.set_xlim(min(years) - 0.5, undated_x + 2.5)
    ax.set_ylim(-len(order), 1)
    ax.tick_params(labelsize=8)
    for spine in ("left", "right", "top"):
        ax.spines[spine].set_visible(False)
    from matplotlib.lines import Line2D

    handles = [
        Line2D([0], [0], color=c, lw=1.5, label=label)
        for k, (c, label) in LINEAGE_STYLE.items()
        if any(kk == k for *_, kk in g.edges(keys=True))
    ]
    ax.legend(handles=handles, fontsize=7, loc="upper right")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def save_chart(fig: Figure, out_dir: str | Path, name: str) -> dict[str, str]:
    """Write ``name.png`` and ``name.svg`` under ``out_dir``; return their paths and the
    SVG markup for embedding (see :func:`chart_svg`)."""
    import matplotlib

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{name}.png", out / f"{name}.svg"
    with matplotlib.rc_context({"svg.hashsalt": name, "svg.fonttype": "none"}):
        fig.savefig(png, format="png", dpi=110, metadata={"Software": None})
    text = _svg_text(fig, name)
    svg.write_text(text, encoding="utf-8")
    return {"png": str(png), "svg": str(svg), "inline": _inline(text, name)}


def chart_svg(fig: Figure, name: str) -> str:
    """The chart as SVG markup to put inside an HTML page.

    The XML prologue and metadata are dropped, the width follows the page, and every id
    (and every reference to one) is prefixed with ``name`` so that several charts can
    share a page.
    """
    return _inline(_svg_text(fig, name), name)


def chart_data_uri(fig: Figure, name: str) -> str:
    """The chart as an SVG ``data:`` URI, for an ``<img>`` in a page that allows no inline
    styles."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(
        _svg_text(fig, name).encode("utf-8")
    ).decode("ascii")


def _svg_text(fig: Figure, name: str) -> str:
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": name, "svg.fonttype": "none"}):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _inline(text: str, name: str) -> str:
    inline = text[text.index("<svg") :]
    inline = re.sub(r"<metadata>.*?</metadata>\s*", "", inline, flags=re.S)
    inline = re.sub(r'\swidth="[^"]+"\sheight="[^"]+"', ' width="100%"', inline, count=1)
    inline = re.sub(r'\bid="([^"]+)"', rf'id="{name}-\1"', inline)
    inline = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", inline)
    inline = re.sub(r'href="#([^"]+)"', rf'href="#{name}-\1"', inline)
    return inline
