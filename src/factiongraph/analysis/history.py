"""How the relationship between two actors evolved: periods of each state, across sources.

A *state* is one of the relation kinds in
:data:`~factiongraph.analysis.snapshot.STATE_KINDS` (cooperation, ceasefire, negotiation,
rivalry, criticism, fighting). Each dated assertion between the two actors says that a
state held over an interval; intervals of the same state on the same *line* (pair of
actors) that overlap or touch are merged into one period, whichever document or claimant
stated them, and the period keeps the list of its sources.

Two kinds of disagreement are flagged on a period:

* ``denied``: a source denies the same relation at an overlapping time (or undated);
* ``conflict``: a period of the opposite sign (friendly against hostile) overlaps it in
  time, and the two periods do not rest on exactly the same sources — so at least one
  source tells one story that another source does not back.

Negotiation has no sign, so talks held during a war are not a conflict.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from factiongraph.analysis.snapshot import (
    STATE_KINDS,
    STATE_PREDICATES,
    Snapshot,
    factions_of,
    next_day,
    plain_objects,
    resolve_name,
)
from factiongraph.models import Modality

HISTORY_COLUMNS = [
    "line",
    "a",
    "b",
    "state",
    "sign",
    "start",
    "end",
    "sources",
    "n_sources",
    "assertions",
    "disputed",
    "disputes",
]

_KIND_SIGN = {
    "cooperation": 1,
    "ceasefire": 1,
    "negotiation": 0,
    "rivalry": -1,
    "criticism": -1,
    "fighting": -1,
}


def relationship_history(
    frame: pd.DataFrame,
    a: str,
    b: str,
    *,
    factions: bool = False,
    entities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The periods of each state between two actors, merged across sources.

    Parameters
    ----------
    frame : pandas.DataFrame
        An assertions table (see :mod:`factiongraph.analysis.snapshot`).
    a, b : str
        Canonical names of the two actors.
    factions : bool
        Also follow each actor's factions (from ``entities``), each pair of
        actor-or-faction as a separate line, e.g. ``"IS-K (F) – Quetta Shura"``.
    entities : pandas.DataFrame, optional
        The entities table, needed for ``factions``.

    Returns
    -------
    pandas.DataFrame
        One row per period, ordered by line then start (undated periods last), with
        columns ``line, a, b, state, sign, start, end, sources, n_sources, assertions,
        disputed, disputes``. ``start``/``end`` are ISO days (``end`` ``None`` when still
        open; both ``None`` for undated claims, which form one period per state).

    Examples
    --------
    Two reports of cooperation that overlap in time make one period with two sources:

    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "A", "predicate": "cooperates_with", "object": "B",
    ...      "valid_time": "2014/2015", "document": "d1"},
    ...     {"subject": "B", "predicate": "cooperates_with", "object": "A",
    ...      "valid_time": "2015/2016", "document": "d2"}])
    >>> h = relationship_history(f, "A", "B")
    >>> h[["state", "start", "end", "sources"]].values.tolist()
    [['cooperation', '2014-01-01', '2016-12-31', ['d1', 'd2']]]
    """
    left = [a] + (factions_of(entities, a) if factions and entities is not None else [])
    right = [b] + (factions_of(entities, b) if factions and entities is not None else [])
    lset, rset = set(left), set(right)
    rows = frame[frame["predicate"].isin(STATE_PREDICATES)]
    fwd = rows["subject"].isin(lset) & rows["object"].isin(rset)
    back = rows["subject"].isin(rset) & rows["object"].isin(lset)
    rows = rows[fwd | back].copy()
    if rows.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    # orient every row as (left side, right side)
    flip = rows["subject"].isin(rset) & ~rows["object"].isin(rset)
    rows["a"] = rows["subject"].where(~flip, rows["object"])
    rows["b"] = rows["object"].where(~flip, rows["subject"])
    out: list[dict[str, Any]] = []
    for (la, lb), line_rows in rows.groupby(["a", "b"], sort=False):
        out.extend(_line_periods(str(la), str(lb), line_rows))
    result = pd.DataFrame(out, columns=HISTORY_COLUMNS)
    order = {name: i for i, name in enumerate(left)}
    order_b = {name: i for i, name in enumerate(right)}
    result["_la"] = result["a"].map(order)
    result["_lb"] = result["b"].map(order_b)
    result["_undated"] = result["start"].isna() & result["end"].isna()
    result["_start"] = result["start"].fillna("")
    result["_kind"] = result["state"].map({k: i for i, k in enumerate(STATE_KINDS)})
    result = result.sort_values(["_la", "_lb", "_undated", "_start", "_kind"], kind="stable")
    result = result.drop(columns=["_la", "_lb", "_undated", "_start", "_kind"])
    return plain_objects(result.reset_index(drop=True))


def _line_periods(a: str, b: str, rows: pd.DataFrame) -> list[dict[str, Any]]:
    said = rows[rows["modality"] != Modality.DENIED.value]
    denied = rows[rows["modality"] == Modality.DENIED.value]
    periods: list[dict[str, Any]] = []
    for state, group in said.groupby("kind", sort=False):
        dated = group[group["start"].notna() | group["end"].notna()]
        undated = group[group["start"].isna() & group["end"].isna()]
        for period in _merge(dated):
            periods.append(_period(a, b, str(state), period))
        if not undated.empty:
            periods.append(_period(a, b, str(state), [r for _, r in undated.iterrows()]))
    # flag disagreements
    for p in periods:
        disputes: list[str] = []
        for _, d in denied.iterrows():
            if d["kind"] == p["state"] and _overlaps(p["start"], p["end"], d["start"], d["end"]):
                disputes.append(f"denied by {d['source']}")
        if p["sign"]:
            for q in periods:
                if (
                    q is not p
                    and q["sign"] == -p["sign"]
                    and _overlaps(p["start"], p["end"], q["start"], q["end"], undated=False)
                    and set(p["sources"]) != set(q["sources"])
                ):
                    disputes.append(
                        f"{q['state']} {_span(q['start'], q['end'])} per " + ", ".join(q["sources"])
                    )
        p["disputes"] = sorted(set(disputes))
        p["disputed"] = bool(disputes)
    return periods


def _merge(rows: pd.DataFrame) -> list[list[pd.Series]]:
    """Group rows whose intervals overlap or touch (an open start or end is unbounded)."""
    items = sorted(
        (r for _, r in rows.iterrows()),
        key=lambda r: (r["start"] or "0000-00-00", r["end"] or "9999-99-99"),
    )
    groups: list[list[pd.Series]] = []
    current_end: str | None = None
    for r in items:
        if groups and (current_end is None or (r["start"] or "") <= next_day(current_end)):
            groups[-1].append(r)
            if current_end is not None:
                current_end = None if r["end"] is None else max(current_end, r["end"])
        else:
            groups.append([r])
            current_end = r["end"]
    return groups


def _period(a: str, b: str, state: str, rows: list[pd.Series]) -> dict[str, Any]:
    starts = [r["start"] for r in rows]
    ends = [r["end"] for r in rows]
    dated = any(s is not None for s in starts) or any(e is not None for e in ends)
    start = (None if any(s is None for s in starts) else min(starts)) if dated else None
    end = (None if any(e is None for e in ends) else max(ends)) if dated else None
    sources = sorted({str(r["source"]) for r in rows})
    return {
        "line": f"{a} – {b}",
        "a": a,
        "b": b,
        "state": state,
        "sign": _KIND_SIGN.get(state, 0),
        "start": start,
        "end": end,
        "sources": sources,
        "n_sources": len(sources),
        "assertions": sorted(int(r["id"]) for r in rows),
        "disputed": False,
        "disputes": [],
    }


def _overlaps(
    s1: str | None, e1: str | None, s2: str | None, e2: str | None, *, undated: bool = True
) -> bool:
    """Whether two intervals overlap; an undated one overlaps everything if ``undated``."""
    if (s1 is None and e1 is None) or (s2 is None and e2 is None):
        return undated
    return (s1 is None or e2 is None or s1 <= e2) and (s2 is None or e1 is None or s2 <= e1)


def _span(start: str | None, end: str | None) -> str:
    if start is None and end is None:
        return "(undated)"
    return f"{start or '…'}–{end or '…'}"


def history(kb: Any, a: str, b: str, *, factions: bool = False) -> pd.DataFrame:
    """:func:`relationship_history` over a knowledge base, names given as any alias."""
    from factiongraph.analysis.snapshot import snapshot

    snap: Snapshot = snapshot(kb)
    return relationship_history(
        snap.assertions,
        resolve_name(snap.entities, kb.find_entity(a).name),
        resolve_name(snap.entities, kb.find_entity(b).name),
        factions=factions,
        entities=snap.entities,
    )
