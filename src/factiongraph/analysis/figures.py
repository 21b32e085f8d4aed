"""Figures over time: the numbers the sources give, and how many relations were active.

A *figure* is an assertion attribute holding a number (``count``, ``strength``,
``fighters`` or ``members``), read with
:func:`~factiongraph.analysis.snapshot.parse_count`. What it measures depends on the
predicate: on ``operates_in``, ``member_of`` or ``part_of`` (or under a ``strength`` key)
it is the size of the subject group — a *strength estimate*; on ``defected_to`` and
``split_from`` it is the number who left; on ``supports`` the number of fighters sent.
"""

from __future__ import annotations

import pandas as pd

from factiongraph.analysis.snapshot import (
    STATE_KINDS,
    held_during,
    int_or_none,
    pair_key,
    parse_count,
    plain_objects,
    stated,
    year_of,
)

FIGURE_KEYS = ("strength", "count", "fighters", "members")
STRENGTH_PREDICATES = frozenset({"operates_in", "member_of", "part_of"})
FIGURE_COLUMNS = [
    "group",
    "measure",
    "predicate",
    "object",
    "year",
    "valid_time",
    "text",
    "low",
    "high",
    "claimant",
    "source",
    "document",
    "quote",
    "id",
]


def _measure(predicate: str, key: str) -> str:
    if key == "strength" or predicate in STRENGTH_PREDICATES:
        return "strength"
    return {
        "defected_to": "defectors",
        "split_from": "split away",
        "supports": "fighters or support sent",
    }.get(predicate, predicate)


def figures(frame: pd.DataFrame) -> pd.DataFrame:
    """Every figure stated in an assertions table, one row per assertion and figure.

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (the subject), ``measure`` (``strength``, ``defectors``, ...),
        ``predicate``, ``object``, ``year`` (start year, ``None`` if undated),
        ``valid_time``, ``text`` (as written), ``low``, ``high``, ``claimant``,
        ``source``, ``document``, ``quote``, ``id``; ordered by group, year.

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "IS-K", "predicate": "operates_in", "object": "Nangarhar",
    ...      "valid_time": "2016", "document": "d1", "attributes": {"count": "3,000"}},
    ...     {"subject": "IS-K", "predicate": "operates_in", "object": "Nangarhar",
    ...      "valid_time": "2017", "document": "d2", "claimant": "UN",
    ...      "attributes": {"count": "1,500-2,000"}}])
    >>> figures(f)[["group", "measure", "year", "low", "high", "source"]].values.tolist()
    [['IS-K', 'strength', 2016, 3000.0, 3000.0, 'd1'], \
['IS-K', 'strength', 2017, 1500.0, 2000.0, 'd2 (per UN)']]
    """
    out = []
    for r in stated(frame).itertuples():
        attrs = r.attributes if isinstance(r.attributes, dict) else {}
        for key in FIGURE_KEYS:
            rng = parse_count(attrs.get(key))
            if rng is None:
                continue
            out.append(
                {
                    "group": r.subject,
                    "measure": _measure(r.predicate, key),
                    "predicate": r.predicate,
                    "object": r.object,
                    "year": year_of(r.start) or year_of(r.end),
                    "valid_time": r.valid_time,
                    "text": str(attrs.get(key)),
                    "low": rng[0],
                    "high": rng[1],
                    "claimant": r.claimant,
                    "source": r.source,
                    "document": r.document,
                    "quote": r.quote,
                    "id": int(r.id),
                }
            )
            break
    result = pd.DataFrame(out, columns=FIGURE_COLUMNS)
    if result.empty:
        return result
    result["_y"] = result["year"].map(lambda y: 9999 if y is None or pd.isna(y) else int(y))
    result = result.sort_values(["group", "_y", "id"]).drop(columns="_y").reset_index(drop=True)
    result["year"] = int_or_none(result["year"])
    return plain_objects(result)


def strength_estimates(frame: pd.DataFrame, group: str | None = None) -> pd.DataFrame:
    """The strength estimates among :func:`figures`, optionally for one group."""
    f = figures(frame)
    if f.empty:
        return f
    f = f[f["measure"] == "strength"]
    if group is not None:
        f = f[f["group"] == group]
    return f.reset_index(drop=True)


def relations_by_year(
    frame: pd.DataFrame,
    years: range | list[int],
    *,
    actor: str | list[str] | None = None,
) -> pd.DataFrame:
    """Number of pairs with an active relation of each kind, per year.

    A pair counts for a kind in a year when some stated assertion of that kind between
    the two held at some point in the year; each pair counts once per kind and year,
    however many sources describe it.

    Parameters
    ----------
    actor : str or list of str, optional
        Count only pairs involving one of these names.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; one column per kind in
        :data:`~factiongraph.analysis.snapshot.STATE_KINDS`.

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "A", "predicate": "fights", "object": "B", "valid_time": "2015/2016"},
    ...     {"subject": "B", "predicate": "fights", "object": "A", "valid_time": "2016"},
    ...     {"subject": "A", "predicate": "cooperates_with", "object": "C",
    ...      "valid_time": "2016"}])
    >>> t = relations_by_year(f, range(2015, 2017))
    >>> t[["cooperation", "fighting"]].values.tolist()
    [[0, 1], [1, 1]]
    """
    rows = stated(frame)
    rows = rows[rows["kind"].isin(STATE_KINDS) & (rows["predicate"] != "killed_by")]
    if actor is not None:
        names = {actor} if isinstance(actor, str) else set(actor)
        rows = rows[rows["subject"].isin(names) | rows["object"].isin(names)]
    table = []
    for y in years:
        held = held_during(rows, str(y))
        counts = {k: 0 for k in STATE_KINDS}
        seen = set()
        for r in held.itertuples():
            key = (r.kind, *pair_key(r.subject, r.object))
            if key not in seen:
                seen.add(key)
                counts[r.kind] += 1
        table.append({"year": int(y), **counts})
    return pd.DataFrame(table, columns=["year", *STATE_KINDS]).set_index("year")
