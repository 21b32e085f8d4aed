"""Who sided with whom: the signed graph at a date, its structural balance and its blocs.

The signed graph has one node per organization and one edge per pair that some source
describes as friendly (cooperation, ceasefire, support: ``+1``) or hostile (rivalry,
criticism, fighting: ``-1``) at the date. Denied assertions do not count.

**Sign of a pair.** Each assertion held at the date votes with its sign. The pair takes
the sign of the majority of votes; a tie goes to the most recent assertion (the latest
start day); if that is tied too, the pair is hostile — a single hostile report among
friendly ones of the same age is treated as news.

**Balance.** A triangle is balanced when the product of its three signs is positive
(friend of a friend is a friend, enemy of an enemy is a friend, ...).
:func:`triangle_balance` gives the share of balanced triangles.

**Frustration index.** The least number of edges whose sign must change (or which must
be removed) for the whole graph to be balanced, i.e. for the nodes to split into two camps
with every positive edge inside a camp and every negative edge between camps. It is
computed exactly, by trying every two-colouring, for each connected component of at most
``exact_limit`` nodes (20 by default), and bounded from above by a local search (best of
several single-node-flip descents) for larger components; the result says which.

**Blocs.** The two camps of the best two-colouring of each component. A component with
only friendly ties is one bloc.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from factiongraph.analysis.snapshot import held_during, stated


def signed_graph(
    frame: pd.DataFrame,
    on: str | None = None,
    *,
    end: str | None = None,
    organizations_only: bool = True,
) -> nx.Graph:
    """The signed undirected graph of the relations held on a date or during a window.

    Parameters
    ----------
    frame : pandas.DataFrame
        An assertions table.
    on : str, optional
        A date of any precision (``"2017"`` is the whole year). ``None`` uses every
        dated and undated assertion.
    end : str, optional
        With ``on``, the end of a window starting at ``on``.
    organizations_only : bool
        Keep only organization nodes (default).

    Returns
    -------
    networkx.Graph
        Edge attributes: ``sign`` (+1/-1), ``positive`` and ``negative`` (vote counts),
        ``assertions`` (ids), ``kinds`` (relation kinds seen), ``sources``.

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "A", "predicate": "cooperates_with", "object": "B", "valid_time": "2016"},
    ...     {"subject": "A", "predicate": "fights", "object": "B", "valid_time": "2016-05"},
    ...     {"subject": "A", "predicate": "fights", "object": "B", "valid_time": "2016-07"}])
    >>> signed_graph(f, "2016")["A"]["B"]["sign"]  # two hostile votes against one
    -1
    """
    rows = stated(frame)
    rows = rows[rows["sign"] != 0]
    if organizations_only:
        rows = rows[
            (rows["subject_kind"] == "organization") & (rows["object_kind"] == "organization")
        ]
    if on is not None:
        rows = held_during(rows, on, end)
    g = nx.Graph()
    votes: dict[tuple[str, str], list[tuple[int, str, int, str, str]]] = {}
    for r in rows.itertuples():
        if r.subject == r.object:
            continue
        key = (r.subject, r.object) if r.subject <= r.object else (r.object, r.subject)
        votes.setdefault(key, []).append((int(r.sign), r.start or "", int(r.id), r.kind, r.source))
    for (u, v), vs in votes.items():
        pos = sum(1 for s, *_ in vs if s > 0)
        neg = len(vs) - pos
        if pos != neg:
            sign = 1 if pos > neg else -1
        else:
            latest = max(start for _, start, *_ in vs)
            recent = {s for s, start, *_ in vs if start == latest}
            sign = 1 if recent == {1} else -1
        g.add_edge(
            u,
            v,
            sign=sign,
            positive=pos,
            negative=neg,
            assertions=sorted(i for _, _, i, _, _ in vs),
            kinds=sorted({k for *_, k, _ in vs}),
            sources=sorted({src for *_, src in vs}),
        )
    return g


def triangles(g: nx.Graph) -> list[tuple[str, str, str, int]]:
    """Every triangle ``(u, v, w, product of signs)`` of a signed graph, sorted."""
    out = []
    for u, v, w in sorted(tuple(sorted(c)) for c in nx.enumerate_all_cliques(g) if len(c) == 3):
        out.append((u, v, w, g[u][v]["sign"] * g[v][w]["sign"] * g[u][w]["sign"]))
    return out


def triangle_balance(g: nx.Graph) -> dict[str, Any]:
    """Counts of balanced and unbalanced triangles and the balanced share.

    Examples
    --------
    The triangle A+B, B−C, A−C is balanced (+1 × −1 × −1 = +1); adding D with A+D,
    B+D, C+D makes B, C, D unbalanced (−1 × +1 × +1 = −1) and A, C, D unbalanced too,
    while A, B, D is balanced (+ × + × +):

    >>> g = nx.Graph()
    >>> g.add_edge("A", "B", sign=1); g.add_edge("B", "C", sign=-1)
    >>> g.add_edge("A", "C", sign=-1)
    >>> triangle_balance(g)["share_balanced"]
    1.0
    >>> for x in "ABC": g.add_edge(x, "D", sign=1)
    >>> r = triangle_balance(g); (r["triangles"], r["balanced"], r["share_balanced"])
    (4, 2, 0.5)
    """
    tri = triangles(g)
    balanced = sum(1 for *_, p in tri if p > 0)
    return {
        "triangles": len(tri),
        "balanced": balanced,
        "unbalanced": len(tri) - balanced,
        "share_balanced": (balanced / len(tri)) if tri else None,
        "unbalanced_triangles": [t[:3] for t in tri if t[3] < 0],
    }


@dataclass
class Frustration:
    """The result of :func:`frustration_index`.

    Attributes
    ----------
    index : int
        Number of frustrated edges under the best colouring found.
    exact : bool
        Whether every component was solved exactly.
    colouring : dict
        Node -> ``(component number, camp 0 or 1)``.
    frustrated : list
        The frustrated edges ``(u, v, sign)``.
    """

    index: int
    exact: bool
    colouring: dict[Any, tuple[int, int]] = field(default_factory=dict)
    frustrated: list[tuple[Any, Any, int]] = field(default_factory=list)


def frustration_index(g: nx.Graph, *, exact_limit: int = 20, seed: int = 0) -> Frustration:
    """The frustration index of a signed graph and the two-camp colouring that attains it.

    Parameters
    ----------
    g : networkx.Graph
        Edges carry ``sign`` (+1/-1).
    exact_limit : int
        Components with at most this many nodes are solved by trying every colouring.
    seed : int
        Seed of the local search used for larger components.

    Examples
    --------
    A triangle of three hostile ties cannot be split into two camps without leaving one
    hostile tie inside a camp, so its index is 1; a balanced triangle has index 0:

    >>> g = nx.Graph()
    >>> g.add_edges_from([("A", "B"), ("B", "C"), ("A", "C")], sign=-1)
    >>> frustration_index(g).index
    1
    >>> g["A"]["B"]["sign"] = 1
    >>> frustration_index(g).index
    0
    """
    colouring: dict[Any, tuple[int, int]] = {}
    exact = True
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(g)), key=lambda c: str(c[0])
    )
    for number, nodes in enumerate(components):
        sub = g.subgraph(nodes)
        if len(nodes) <= exact_limit:
            camps = _exact_colouring(sub, nodes)
        else:
            camps = _local_search(sub, nodes, seed=seed)
            exact = False
        for n in nodes:
            colouring[n] = (number, camps[n])
    frustrated = [
        (u, v, d["sign"])
        for u, v, d in g.edges(data=True)
        if _is_frustrated(d["sign"], colouring[u][1], colouring[v][1])
    ]
    return Frustration(len(frustrated), exact, colouring, frustrated)


def _is_frustrated(sign: int, cu: int, cv: int) -> bool:
    return (sign > 0 and cu != cv) or (sign < 0 and cu == cv)


def _exact_colouring(g: nx.Graph, nodes: list[Any]) -> dict[Any, int]:
    """Try every colouring with the first node in camp 0; the lowest count wins."""
    n = len(nodes)
    if n == 1:
        return {nodes[0]: 0}
    index = {node: i for i, node in enumerate(nodes)}
    codes = np.arange(2 ** (n - 1), dtype=np.int64) << 1  # node 0 always in camp 0
    cost = np.zeros(len(codes), dtype=np.int32)
    for u, v, d in g.edges(data=True):
        differ = ((codes >> index[u]) ^ (codes >> index[v])) & 1
        cost += differ if d["sign"] > 0 else 1 - differ
    best = int(codes[int(np.argmin(cost))])
    return {node: (best >> i) & 1 for node, i in index.items()}


def _local_search(
    g: nx.Graph, nodes: list[Any], *, seed: int = 0, restarts: int = 30
) -> dict[Any, int]:
    """Best of several descents that flip one node at a time while that lowers the count."""
    rng = random.Random(seed)

    def cost(c: dict[Any, int]) -> int:
        return sum(_is_frustrated(d["sign"], c[u], c[v]) for u, v, d in g.edges(data=True))

    best: dict[Any, int] | None = None
    best_cost = -1
    for attempt in range(restarts):
        c = {n: 0 for n in nodes} if attempt == 0 else {n: rng.randint(0, 1) for n in nodes}
        improved = True
        while improved:
            improved = False
            for n in nodes:
                gain = 0
                for m in g[n]:
                    s = g[n][m]["sign"]
                    now = _is_frustrated(s, c[n], c[m])
                    after = _is_frustrated(s, 1 - c[n], c[m])
                    gain += int(now) - int(after)
                if gain > 0:
                    c[n] = 1 - c[n]
                    improved = True
        k = cost(c)
        if best is None or k < best_cost:
            best, best_cost = dict(c), k
    assert best is not None
    if best[nodes[0]] == 1:  # same convention as the exact search
        best = {n: 1 - x for n, x in best.items()}
    return best


def signed_blocs(g: nx.Graph, *, exact_limit: int = 20) -> pd.DataFrame:
    """The camps of the best two-colouring of each component, as a table.

    Returns
    -------
    pandas.DataFrame
        Columns ``bloc`` (``"1a"``, ``"1b"``, ``"2a"``, ...: component then camp),
        ``members`` (sorted names), ``size``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("A", "B", sign=1); g.add_edge("B", "C", sign=-1)
    >>> g.add_edge("A", "C", sign=-1)
    >>> signed_blocs(g)["members"].tolist()
    [['A', 'B'], ['C']]
    """
    fr = frustration_index(g, exact_limit=exact_limit)
    camps: dict[tuple[int, int], list[Any]] = {}
    for node, key in fr.colouring.items():
        camps.setdefault(key, []).append(node)
    rows = [
        {
            "bloc": f"{comp + 1}{'ab'[camp]}",
            "members": sorted(members, key=str),
            "size": len(members),
        }
        for (comp, camp), members in sorted(camps.items())
    ]
    return pd.DataFrame(rows, columns=["bloc", "members", "size"])


def balance_summary(g: nx.Graph, *, exact_limit: int = 20) -> dict[str, Any]:
    """Nodes, edges, signs, triangle balance and frustration of one signed graph."""
    tb = triangle_balance(g)
    fr = frustration_index(g, exact_limit=exact_limit)
    pos = sum(1 for *_, d in g.edges(data=True) if d["sign"] > 0)
    m = g.number_of_edges()
    return {
        "nodes": g.number_of_nodes(),
        "edges": m,
        "positive": pos,
        "negative": m - pos,
        "triangles": tb["triangles"],
        "balanced": tb["balanced"],
        "share_balanced": tb["share_balanced"],
        "frustration": fr.index,
        "frustration_exact": fr.exact,
        "normalized_frustration": (fr.index / m) if m else None,
    }


def balance_over_time(
    frame: pd.DataFrame, years: range | list[int], *, exact_limit: int = 20
) -> pd.DataFrame:
    """:func:`balance_summary` of the signed graph of each year (relations held in it).

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "A", "predicate": "fights", "object": "B", "valid_time": "2015/2016"},
    ...     {"subject": "B", "predicate": "fights", "object": "C", "valid_time": "2015/2016"},
    ...     {"subject": "A", "predicate": "fights", "object": "C", "valid_time": "2016"}])
    >>> t = balance_over_time(f, range(2015, 2017))
    >>> t[["year", "triangles", "frustration"]].values.tolist()
    [[2015, 0, 0], [2016, 1, 1]]
    """
    rows = []
    for y in years:
        g = signed_graph(frame, str(y))
        rows.append({"year": int(y), **balance_summary(g, exact_limit=exact_limit)})
    return pd.DataFrame(rows)


def alignment_over_time(
    frame: pd.DataFrame,
    actor: str | list[str],
    years: range | list[int],
    *,
    neighbours_only: bool = True,
    exact_limit: int = 20,
) -> pd.DataFrame:
    """Who was in the actor's camp, year by year.

    For each year, the signed graph of that year is split into its two best camps (see
    :func:`frustration_index`); every other actor in the same connected part is marked
    ``"with"`` (same camp as the actor) or ``"against"`` (the other camp). By default only
    actors with a tie of their own to the actor (or to any of ``actor``'s names) that
    year are marked, since the camp of a distant actor rests on a long chain of ties;
    the others get ``""``. With several names (an actor and its factions), the first one
    present in the year's graph decides the camp. An asterisk (``"with *"``) marks an actor
    whose own tie with the actor has the other sign: a frustrated tie, which the best
    split into camps leaves unbalanced.

    Returns
    -------
    pandas.DataFrame
        Index: actors; columns: years.

    Examples
    --------
    2015: A+B, A−C, B−C gives camps {A, B} and {C}. 2016: A−B, B+C gives {A} and {B, C};
    C has no tie to A in 2016, so it is marked only when distant actors are asked for:

    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "A", "predicate": "cooperates_with", "object": "B", "valid_time": "2015"},
    ...     {"subject": "A", "predicate": "fights", "object": "C", "valid_time": "2015"},
    ...     {"subject": "B", "predicate": "fights", "object": "C", "valid_time": "2015"},
    ...     {"subject": "A", "predicate": "fights", "object": "B", "valid_time": "2016"},
    ...     {"subject": "B", "predicate": "cooperates_with", "object": "C", "valid_time": "2016"}])
    >>> alignment_over_time(f, "A", [2015, 2016]).to_dict("index")
    {'B': {2015: 'with', 2016: 'against'}, 'C': {2015: 'against', 2016: ''}}
    >>> alignment_over_time(f, "A", [2016], neighbours_only=False).loc["C", 2016]
    'against'

    """
    names = [actor] if isinstance(actor, str) else list(actor)
    cells: dict[tuple[str, int], str] = {}
    for y in years:
        g = signed_graph(frame, str(y))
        anchor = next((n for n in names if n in g), None)
        if anchor is None:
            continue
        col = frustration_index(g, exact_limit=exact_limit).colouring
        comp, camp = col[anchor]
        near = {m for n in names if n in g for m in g[n]}
        for node, (c, k) in col.items():
            if neighbours_only and node not in near:
                continue
            if c == comp and node not in names:
                label = "with" if k == camp else "against"
                tie = next((g[n][node]["sign"] for n in names if n in g and node in g[n]), 0)
                if (tie > 0 and k != camp) or (tie < 0 and k == camp):
                    label += " *"
                cells[(str(node), int(y))] = label
    actors = sorted({a for a, _ in cells}, key=str.casefold)
    out = pd.DataFrame("", index=pd.Index(actors, name="actor"), columns=list(years))
    for (a, y), v in cells.items():
        out.loc[a, y] = v
    out.columns.name = "year"
    return out


def brokers(frame: pd.DataFrame, g: nx.Graph | None = None, on: str | None = None) -> pd.DataFrame:
    """Go-betweens: explicit mediators, and betweenness over the friendly ties.

    Parameters
    ----------
    frame : pandas.DataFrame
        An assertions table; ``mediates`` rows held at ``on`` name the mediators.
    g : networkx.Graph, optional
        The signed graph (default: :func:`signed_graph` of ``frame`` at ``on``).
    on : str, optional
        A date of any precision.

    Returns
    -------
    pandas.DataFrame
        Columns ``actor``, ``mediates`` (the parties it is said to mediate between),
        ``mediation_sources``, ``betweenness`` (normalised betweenness centrality in the
        graph of positive edges). Only actors with a mediation or a non-zero betweenness
        are listed, highest first.

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "A", "predicate": "cooperates_with", "object": "B"},
    ...     {"subject": "B", "predicate": "cooperates_with", "object": "C"},
    ...     {"subject": "Q", "predicate": "mediates", "object": "A", "document": "d"},
    ...     {"subject": "Q", "predicate": "mediates", "object": "C", "document": "d"}])
    >>> brokers(f)[["actor", "mediates", "betweenness"]].values.tolist()
    [['B', [], 1.0], ['Q', ['A', 'C'], 0.0]]
    """
    if g is None:
        g = signed_graph(frame, on)
    pos = nx.Graph()
    pos.add_nodes_from(g.nodes)
    pos.add_edges_from((u, v) for u, v, d in g.edges(data=True) if d["sign"] > 0)
    between = nx.betweenness_centrality(pos, normalized=True) if pos.number_of_nodes() else {}
    med = stated(frame)
    med = med[med["predicate"] == "mediates"]
    if on is not None:
        med = pd.concat([held_during(med, on), med[med["start"].isna() & med["end"].isna()]])
    parties: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    for r in med.itertuples():
        parties.setdefault(r.subject, set()).add(r.object)
        sources.setdefault(r.subject, set()).add(r.source)
    actors = set(parties) | {n for n, b in between.items() if b > 0}
    rows = [
        {
            "actor": a,
            "mediates": sorted(parties.get(a, set())),
            "mediation_sources": sorted(sources.get(a, set())),
            "betweenness": round(float(between.get(a, 0.0)), 4),
        }
        for a in actors
    ]
    out = pd.DataFrame(rows, columns=["actor", "mediates", "mediation_sources", "betweenness"])
    if out.empty:
        return out
    out["_m"] = out["mediates"].map(len)
    out = out.sort_values(["betweenness", "_m", "actor"], ascending=[False, False, True])
    return out.drop(columns="_m").reset_index(drop=True)


def edges_table(g: nx.Graph) -> pd.DataFrame:
    """The edges of a signed graph as a table: ``a, b, sign, positive, negative, kinds,
    sources, assertions``."""
    rows = [
        {
            "a": u,
            "b": v,
            "sign": d["sign"],
            "positive": d.get("positive"),
            "negative": d.get("negative"),
            "kinds": d.get("kinds", []),
            "sources": d.get("sources", []),
            "assertions": d.get("assertions", []),
        }
        for u, v, d in g.edges(data=True)
    ]
    cols = ["a", "b", "sign", "positive", "negative", "kinds", "sources", "assertions"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["a", "b"]).reset_index(drop=True) if not out.empty else out
