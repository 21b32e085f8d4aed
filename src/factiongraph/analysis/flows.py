"""Where members went: defections between groups, by year, with figures and names.

Each stated ``defected_to`` assertion (subject lost members to object) is one *report*.
A report's figure comes from its ``count`` attribute (see
:func:`~factiongraph.analysis.snapshot.parse_count`) and its named people from ``agent``,
``people`` or ``persons``. A report spanning several years counts in each of them.

When several reports describe the same flow in the same year, the number of members is the
**largest** figure any of them gives, not their sum: different sources usually describe
the same movement of people, and adding them would count those people twice.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from factiongraph.analysis.snapshot import (
    Snapshot,
    factions_of,
    int_or_none,
    parse_count,
    plain_objects,
    stated,
    year_of,
    years_covered,
)

FLOW_COLUMNS = [
    "source",
    "target",
    "year_from",
    "year_to",
    "count",
    "low",
    "high",
    "people",
    "claim_source",
    "document",
    "quote",
    "id",
]
FLOWS_BY_YEAR_COLUMNS = [
    "source",
    "target",
    "year",
    "reports",
    "members",
    "people",
    "sources",
    "assertions",
]
PEOPLE_KEYS = ("agent", "people", "persons", "person", "names")
COUNT_KEYS = ("count", "members", "fighters", "number")


def _people(attributes: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for k in PEOPLE_KEYS:
        v = attributes.get(k)
        if isinstance(v, str) and v.strip():
            out.extend(p.strip() for p in v.split(";") if p.strip())
        elif isinstance(v, list | tuple):
            out.extend(str(p).strip() for p in v if str(p).strip())
    return out


def _count(attributes: dict[str, Any]) -> Any:
    for k in COUNT_KEYS:
        if attributes.get(k) not in (None, ""):
            return attributes[k]
    return None


def defection_reports(
    frame: pd.DataFrame,
    actor: str | None = None,
    *,
    entities: pd.DataFrame | None = None,
    include_factions: bool = True,
) -> pd.DataFrame:
    """One row per defection report, optionally only those to or from ``actor``.

    Parameters
    ----------
    frame : pandas.DataFrame
        An assertions table.
    actor : str, optional
        Canonical name; with ``include_factions`` and ``entities``, its factions count
        as the actor too.

    Returns
    -------
    pandas.DataFrame
        Columns ``source`` (who lost members), ``target``, ``year_from``, ``year_to``
        (``None`` when undated), ``count`` (as written), ``low``/``high`` (parsed),
        ``people``, ``claim_source``, ``document``, ``quote``, ``id``.

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([{"subject": "TTP", "predicate": "defected_to",
    ...     "object": "IS-K", "valid_time": "2014/2015", "document": "d1",
    ...     "attributes": {"count": "about 600", "agent": "Hafiz Saeed Khan"}}])
    >>> cols = ["source", "target", "year_from", "year_to", "low", "people"]
    >>> defection_reports(f)[cols].values.tolist()
    [['TTP', 'IS-K', 2014, 2015, 600.0, ['Hafiz Saeed Khan']]]
    """
    rows = stated(frame)
    rows = rows[rows["predicate"] == "defected_to"]
    if actor is not None:
        names = {actor}
        if include_factions and entities is not None:
            names |= set(factions_of(entities, actor))
        rows = rows[rows["subject"].isin(names) | rows["object"].isin(names)]
    out = []
    for r in rows.itertuples():
        attrs = r.attributes if isinstance(r.attributes, dict) else {}
        raw = _count(attrs)
        rng = parse_count(raw)
        yf, yt = year_of(r.start), year_of(r.end)
        if yf is None and yt is not None:
            yf = yt
        if yt is None and yf is not None:
            yt = yf
        out.append(
            {
                "source": r.subject,
                "target": r.object,
                "year_from": yf,
                "year_to": yt,
                "count": raw,
                "low": rng[0] if rng else None,
                "high": rng[1] if rng else None,
                "people": _people(attrs),
                "claim_source": r.source,
                "document": r.document,
                "quote": r.quote,
                "id": int(r.id),
            }
        )
    result = pd.DataFrame(out, columns=FLOW_COLUMNS)
    result["year_from"] = int_or_none(result["year_from"])
    result["year_to"] = int_or_none(result["year_to"])
    return plain_objects(result)


def defection_flows(reports: pd.DataFrame) -> pd.DataFrame:
    """Flows by year: one row per (source, target, year) with reports, members, people.

    Undated reports form rows whose ``year`` is ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns ``source, target, year, reports, members, people, sources, assertions``;
        ``members`` is the largest lower-bound figure given (``None`` if none).

    Examples
    --------
    Two sources report the same 2015 flow (600 and 400 members) and one reports 2016:

    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "TTP", "predicate": "defected_to", "object": "IS-K",
    ...      "valid_time": "2015", "document": "d1", "attributes": {"count": 600}},
    ...     {"subject": "TTP", "predicate": "defected_to", "object": "IS-K",
    ...      "valid_time": "2015", "document": "d2", "attributes": {"count": 400}},
    ...     {"subject": "TTP", "predicate": "defected_to", "object": "IS-K",
    ...      "valid_time": "2016", "document": "d2"}])
    >>> defection_flows(defection_reports(f))[["year", "reports", "members"]].values.tolist()
    [[2015, 2, 600.0], [2016, 1, None]]
    """
    acc: dict[tuple[str, str, int | None], dict[str, Any]] = {}
    for r in reports.itertuples():
        years: list[int | None]
        if r.year_from is None or pd.isna(r.year_from):
            years = [None]
        else:
            years = list(years_covered(f"{int(r.year_from)}", f"{int(r.year_to)}"))
        for y in years:
            cell = acc.setdefault(
                (r.source, r.target, y),
                {"reports": 0, "members": None, "people": set(), "sources": set(), "ids": []},
            )
            cell["reports"] += 1
            if r.low is not None and not pd.isna(r.low):
                cell["members"] = max(cell["members"] or 0.0, float(r.low))
            cell["people"].update(r.people)
            cell["sources"].add(r.claim_source)
            cell["ids"].append(int(r.id))
    rows = [
        {
            "source": s,
            "target": t,
            "year": y,
            "reports": c["reports"],
            "members": c["members"],
            "people": sorted(c["people"]),
            "sources": sorted(c["sources"]),
            "assertions": sorted(c["ids"]),
        }
        for (s, t, y), c in acc.items()
    ]
    out = pd.DataFrame(rows, columns=FLOWS_BY_YEAR_COLUMNS)
    if out.empty:
        return out
    out["_y"] = out["year"].map(lambda y: 9999 if y is None or pd.isna(y) else int(y))
    out = out.sort_values(["_y", "source", "target"]).drop(columns="_y").reset_index(drop=True)
    out["year"] = int_or_none(out["year"])
    out["members"] = out["members"].astype(object).where(out["members"].notna(), None)
    return plain_objects(out)


def flow_matrix(reports: pd.DataFrame, *, value: str = "reports") -> pd.DataFrame:
    """Who lost members to whom: losers as rows, gainers as columns, summed over years.

    ``value="reports"`` counts reports; ``value="members"`` takes, for each pair, the
    largest figure given for any single year summed over years.

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "TTP", "predicate": "defected_to", "object": "IS-K"},
    ...     {"subject": "TTP", "predicate": "defected_to", "object": "IS-K"},
    ...     {"subject": "Taliban", "predicate": "defected_to", "object": "IS-K"},
    ...     {"subject": "IS-K", "predicate": "defected_to", "object": "Taliban"}])
    >>> flow_matrix(defection_reports(f)).to_dict()
    {'IS-K': {'IS-K': 0, 'TTP': 2, 'Taliban': 1}, 'Taliban': {'IS-K': 1, 'TTP': 0, 'Taliban': 0}}
    """
    if reports.empty:
        return pd.DataFrame()
    if value == "reports":
        m = pd.crosstab(reports["source"], reports["target"])
    else:
        flows = defection_flows(reports)
        m = flows.pivot_table(
            index="source", columns="target", values="members", aggfunc="sum", fill_value=0
        )
    m.index.name, m.columns.name = "lost members", "gained members"
    return m


def flows(snap: Snapshot, actor: str | None = None) -> pd.DataFrame:
    """:func:`defection_flows` of a snapshot, optionally around one actor and its factions."""
    name = snap.resolve(actor) if actor else None
    return defection_flows(defection_reports(snap.assertions, name, entities=snap.entities))
