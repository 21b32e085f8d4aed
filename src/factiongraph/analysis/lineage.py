"""Lineage: splits, mergers, factions and pledges of allegiance as a family tree over time.

The lineage graph is a :class:`networkx.MultiDiGraph` whose edges run from the younger or
smaller group to the one it came from or joined, one edge per kind of tie:

``split_from``
    the group was formed by breaking away from the other;
``part_of``
    the group is a faction or component of the other, or joined or merged into it;
``pledged_allegiance_to``
    the group swore allegiance to the other;
``faction_of``
    the entity table records the other as the group's parent (no assertion needed).

Each edge carries the earliest year any source gives (``year``, ``None`` if undated), the
valid times, the sources and the assertion ids.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

from factiongraph.analysis.snapshot import int_or_none, plain_objects, stated, year_of

LINEAGE_RELATIONS = ("split_from", "part_of", "pledged_allegiance_to")
LINEAGE_COLUMNS = [
    "child",
    "relation",
    "parent",
    "year",
    "valid_times",
    "sources",
    "assertions",
    "evidence",
]


def lineage_graph(
    frame: pd.DataFrame, entities: pd.DataFrame | None = None, *, organizations_only: bool = True
) -> nx.MultiDiGraph:
    """The whole lineage graph of an assertions table (and entity parents).

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "JuA", "predicate": "split_from", "object": "TTP",
    ...      "valid_time": "2014-08", "document": "d1"},
    ...     {"subject": "TTP Orakzai", "predicate": "part_of", "object": "IS-K",
    ...      "valid_time": "2015", "document": "d1"},
    ...     {"subject": "TTP Orakzai", "predicate": "split_from", "object": "TTP",
    ...      "valid_time": "2014-10", "document": "d2"}])
    >>> g = lineage_graph(f)
    >>> sorted((u, k, v, d["year"]) for u, v, k, d in g.edges(keys=True, data=True))
    [('JuA', 'split_from', 'TTP', 2014), ('TTP Orakzai', 'part_of', 'IS-K', 2015), \
('TTP Orakzai', 'split_from', 'TTP', 2014)]
    """
    rows = stated(frame)
    rows = rows[rows["predicate"].isin(LINEAGE_RELATIONS)]
    if organizations_only:
        rows = rows[(rows["subject_kind"] != "person") & (rows["object_kind"] != "person")]
    g = nx.MultiDiGraph()
    for r in rows.itertuples():
        if r.subject == r.object:
            continue
        y = year_of(r.start) or year_of(r.end)
        if g.has_edge(r.subject, r.object, key=r.predicate):
            d = g[r.subject][r.object][r.predicate]
        else:
            g.add_edge(
                r.subject,
                r.object,
                key=r.predicate,
                relation=r.predicate,
                year=None,
                valid_times=[],
                sources=[],
                assertions=[],
                evidence=[],
            )
            d = g[r.subject][r.object][r.predicate]
        if y is not None and (d["year"] is None or y < d["year"]):
            d["year"] = y
        if r.valid_time and r.valid_time not in d["valid_times"]:
            d["valid_times"].append(r.valid_time)
        if r.source not in d["sources"]:
            d["sources"].append(r.source)
        d["assertions"].append(int(r.id))
        d["evidence"].append({"id": int(r.id), "source": r.source, "quote": r.quote})
    if entities is not None and not entities.empty:
        for e in entities.itertuples():
            if not isinstance(e.parent, str) or not e.parent:
                continue
            if organizations_only and e.kind != "organization":
                continue
            g.add_edge(
                e.name,
                e.parent,
                key="faction_of",
                relation="faction_of",
                year=None,
                valid_times=[],
                sources=["entity table"],
                assertions=[],
                evidence=[],
            )
    return g


def lineage_of(g: nx.MultiDiGraph, actor: str, *, radius: int = 2) -> nx.MultiDiGraph:
    """The part of a lineage graph within ``radius`` ties of ``actor`` (either direction).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("B", "A", key="split_from"); g.add_edge("C", "B", key="split_from")
    'split_from'
    'split_from'
    >>> g.add_edge("D", "C", key="part_of")
    'part_of'
    >>> sorted(lineage_of(g, "A", radius=2).nodes)
    ['A', 'B', 'C']
    """
    if actor not in g:
        return nx.MultiDiGraph()
    near = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), actor, radius)
    return g.subgraph(near).copy()


def lineage_table(g: nx.MultiDiGraph) -> pd.DataFrame:
    """The edges of a lineage graph as a table, ordered by year (undated last)."""
    rows = [
        {
            "child": u,
            "relation": k,
            "parent": v,
            "year": d.get("year"),
            "valid_times": list(d.get("valid_times", [])),
            "sources": list(d.get("sources", [])),
            "assertions": list(d.get("assertions", [])),
            "evidence": list(d.get("evidence", [])),
        }
        for u, v, k, d in g.edges(keys=True, data=True)
    ]
    out = pd.DataFrame(rows, columns=LINEAGE_COLUMNS)
    if out.empty:
        return out
    out["_y"] = out["year"].map(lambda y: 9999 if y is None or pd.isna(y) else int(y))
    out = out.sort_values(["_y", "parent", "relation", "child"]).drop(columns="_y")
    out["year"] = int_or_none(out["year"])
    return plain_objects(out.reset_index(drop=True))


def formed_from(g: nx.MultiDiGraph, actor: str, *, year: int | None = None) -> pd.DataFrame:
    """The groups that joined, pledged to or are factions of ``actor`` (by ``year``).

    Undated ties are kept whatever the year.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("TTP Orakzai", "IS-K", key="part_of", year=2015)
    >>> _ = g.add_edge("Khadim group", "IS-K", key="pledged_allegiance_to", year=2016)
    >>> _ = g.add_edge("JuA", "TTP", key="split_from", year=2014)
    >>> formed_from(g, "IS-K", year=2015)["child"].tolist()
    ['TTP Orakzai']
    """
    keep = ("part_of", "pledged_allegiance_to", "faction_of")
    return _incoming(g, actor, keep, year)


def splits_from(g: nx.MultiDiGraph, actor: str, *, year: int | None = None) -> pd.DataFrame:
    """The groups that split from ``actor`` (by ``year``)."""
    return _incoming(g, actor, ("split_from",), year)


def _incoming(
    g: nx.MultiDiGraph, actor: str, relations: tuple[str, ...], year: int | None
) -> pd.DataFrame:
    if actor not in g:
        return pd.DataFrame(columns=LINEAGE_COLUMNS)
    h = nx.MultiDiGraph()
    for u, v, k, d in g.in_edges(actor, keys=True, data=True):
        y: Any = d.get("year")
        if k in relations and (year is None or y is None or y <= year):
            h.add_edge(u, v, key=k, **d)
    return lineage_table(h)
