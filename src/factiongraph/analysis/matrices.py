"""The tables analysts publish, generated from the assertions instead of typed in.

* :func:`criticism_matrix` — which groups publicly criticized a target, year by year;
* :func:`defection_matrix` — which groups lost members to a target, year by year;
* :func:`faction_matrix` — the state of relations between each faction of one actor and
  each faction of another in a chosen year.

A cell counts the distinct sources (documents, or claimants they cite) that state it, so
``0`` means no source says so — which is not the same as a source saying it did not
happen. Undated assertions cannot be placed in a year and are left out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from factiongraph.analysis.snapshot import STATE_KINDS, factions_of, stated, years_covered


def _targets(target: str, entities: pd.DataFrame | None, include_factions: bool) -> set[str]:
    names = {target}
    if include_factions and entities is not None:
        names |= set(factions_of(entities, target))
    return names


def _year_matrix(
    rows: pd.DataFrame, group_col: str, years: range | list[int], open_until: int
) -> pd.DataFrame:
    cells: dict[tuple[str, int], set[str]] = {}
    for r in rows.itertuples():
        for y in years_covered(r.start, r.end, open_until=open_until):
            if y in years:
                cells.setdefault((getattr(r, group_col), y), set()).add(r.source)
    groups = sorted({g for g, _ in cells}, key=str.casefold)
    m = pd.DataFrame(0, index=pd.Index(groups, name="group"), columns=list(years), dtype=int)
    for (g, y), sources in cells.items():
        m.loc[g, y] = len(sources)
    m.columns.name = "year"
    return m


def criticism_matrix(
    frame: pd.DataFrame,
    target: str,
    years: range | list[int],
    *,
    entities: pd.DataFrame | None = None,
    include_factions: bool = True,
) -> pd.DataFrame:
    """Groups (rows) that publicly criticized ``target`` in each year (columns).

    Criticism of any of the target's factions counts for the target when
    ``include_factions`` (and ``entities`` is given). A criticism with an open end
    counts only in its start year.

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "Taliban", "predicate": "criticizes", "object": "IS-K",
    ...      "valid_time": "2015", "document": "d1"},
    ...     {"subject": "Taliban", "predicate": "criticizes", "object": "IS-K",
    ...      "valid_time": "2015/2016", "document": "d2"},
    ...     {"subject": "al-Qaeda", "predicate": "criticizes", "object": "IS-K",
    ...      "valid_time": "2017", "document": "d1"}])
    >>> criticism_matrix(f, "IS-K", range(2014, 2018)).values.tolist()
    [[0, 0, 0, 1], [0, 2, 1, 0]]
    """
    rows = criticism_rows(frame, target, entities=entities, include_factions=include_factions)
    return _year_matrix(rows, "subject", years, open_until=0)


def criticism_rows(
    frame: pd.DataFrame,
    target: str,
    *,
    entities: pd.DataFrame | None = None,
    include_factions: bool = True,
) -> pd.DataFrame:
    """The assertions behind :func:`criticism_matrix` (for citing its cells)."""
    rows = stated(frame)
    names = _targets(target, entities, include_factions)
    rows = rows[(rows["predicate"] == "criticizes") & rows["object"].isin(names)]
    return rows[~rows["subject"].isin(names) & (rows["subject_kind"] != "person")]


def defection_matrix(
    frame: pd.DataFrame,
    target: str,
    years: range | list[int],
    *,
    entities: pd.DataFrame | None = None,
    include_factions: bool = True,
) -> pd.DataFrame:
    """Groups (rows) that lost members to ``target`` in each year (columns).

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "TTP", "predicate": "defected_to", "object": "IS-K",
    ...      "valid_time": "2014/2016", "document": "d1"},
    ...     {"subject": "IS-K", "predicate": "defected_to", "object": "Taliban",
    ...      "valid_time": "2016", "document": "d1"}])
    >>> defection_matrix(f, "IS-K", range(2014, 2018)).to_dict("split")["data"]
    [[1, 1, 1, 0]]
    """
    rows = defection_rows(frame, target, entities=entities, include_factions=include_factions)
    return _year_matrix(rows, "subject", years, open_until=0)


def defection_rows(
    frame: pd.DataFrame,
    target: str,
    *,
    entities: pd.DataFrame | None = None,
    include_factions: bool = True,
) -> pd.DataFrame:
    """The assertions behind :func:`defection_matrix` (for citing its cells)."""
    rows = stated(frame)
    names = _targets(target, entities, include_factions)
    rows = rows[(rows["predicate"] == "defected_to") & rows["object"].isin(names)]
    return rows[~rows["subject"].isin(names)]


def rows_in_year(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of a matrix's evidence that count in ``year``."""
    keep = [year in years_covered(r.start, r.end, open_until=0) for r in rows.itertuples()]
    return rows[keep]


def faction_matrix(
    frame: pd.DataFrame,
    a: str,
    b: str,
    year: int,
    *,
    entities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The state of relations between each faction of ``a`` (rows) and of ``b`` (columns).

    Each cell lists the relation kinds (in the order of
    :data:`~factiongraph.analysis.snapshot.STATE_KINDS`) that some source states for that
    pair during ``year``, joined with ``" + "``; ``""`` when none does. An actor without
    factions stands for itself.

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> import pandas as pd
    >>> ents = pd.DataFrame({"id": [1, 2, 3, 4, 5, 6],
    ...     "name": ["IS-K", "IS-K (F)", "IS-K (M)", "Taliban", "Quetta Shura",
    ...              "Peshawar Shura"],
    ...     "kind": ["organization"] * 6, "category": [None] * 6,
    ...     "parent_id": [None, 1, 1, None, 4, 4],
    ...     "parent": [None, "IS-K", "IS-K", None, "Taliban", "Taliban"],
    ...     "aliases": [[]] * 6})
    >>> f = assertions_frame([
    ...     {"subject": "Quetta Shura", "predicate": "ceasefire_with", "object": "IS-K (F)",
    ...      "valid_time": "2017-10"},
    ...     {"subject": "IS-K (F)", "predicate": "fights", "object": "Quetta Shura",
    ...      "valid_time": "2017"},
    ...     {"subject": "IS-K (M)", "predicate": "fights", "object": "Peshawar Shura",
    ...      "valid_time": "2016"}])
    >>> faction_matrix(f, "IS-K", "Taliban", 2017, entities=ents).values.tolist()
    [['', 'ceasefire + fighting'], ['', '']]
    """
    rows_a, cols_b, cells = _faction_cells(frame, a, b, year, entities)
    m = pd.DataFrame("", index=pd.Index(rows_a, name=a), columns=pd.Index(cols_b, name=b))
    for (x, y), found in cells.items():
        kinds = {r.kind for r in found}
        m.loc[x, y] = " + ".join(k for k in STATE_KINDS if k in kinds)
    return m


def faction_evidence(
    frame: pd.DataFrame, a: str, b: str, year: int, *, entities: pd.DataFrame | None = None
) -> dict[tuple[str, str], list[int]]:
    """The assertion ids behind each non-empty cell of :func:`faction_matrix`."""
    _, _, cells = _faction_cells(frame, a, b, year, entities)
    return {pair: sorted(int(r.id) for r in found) for pair, found in cells.items()}


def _faction_cells(
    frame: pd.DataFrame, a: str, b: str, year: int, entities: pd.DataFrame | None
) -> tuple[list[str], list[str], dict[tuple[str, str], list[Any]]]:
    rows_a = factions_of(entities, a) if entities is not None else []
    cols_b = factions_of(entities, b) if entities is not None else []
    rows_a = rows_a or [a]
    cols_b = cols_b or [b]
    said = stated(frame)
    said = said[said["kind"].isin(STATE_KINDS) & (said["predicate"] != "killed_by")]
    cells: dict[tuple[str, str], list[Any]] = {}
    sa, sb = set(rows_a), set(cols_b)
    for r in said.itertuples():
        if r.subject in sa and r.object in sb:
            pair = (r.subject, r.object)
        elif r.subject in sb and r.object in sa:
            pair = (r.object, r.subject)
        else:
            continue
        if year in years_covered(r.start, r.end, open_until=0):
            cells.setdefault(pair, []).append(r)
    return rows_a, cols_b, cells
