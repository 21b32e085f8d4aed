"""Claims the sources do not agree on, each side with its evidence and claimants.

Five kinds of disagreement are found; in every one the two sides must come from different
sources (a *source* is a document, or a claimant a document cites):

``denial``
    One source states a relation that another denies, at overlapping times (or one of
    them undated).
``date``
    One-off events — an allegiance pledge, a split, a death (``killed_by``) — dated
    differently: the two dates do not overlap.
``leader``
    Two different people said to lead the same organization at the same time, in a
    leading role (role missing, or naming a leader, emir, head, chief, governor or wali;
    deputies, spokesmen and commanders are left out). Only the days both terms surely
    cover are compared (see :func:`certain_span`), so "2015/2016" followed by
    "2016-05/2017" — a succession some time in 2016 — is not flagged. Read these as
    questions to check rather than errors.
``killer``
    The same person said to have been killed by different organizations.
``figure``
    The same relation given figures (``count``) whose ranges do not overlap, at
    overlapping times.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd

from factiongraph.analysis.snapshot import parse_count
from factiongraph.models import Modality
from factiongraph.timeutil import edtf_bounds

CONTESTED_COLUMNS = [
    "type",
    "subject",
    "predicate",
    "object",
    "a_value",
    "a_sources",
    "a_evidence",
    "b_value",
    "b_sources",
    "b_evidence",
]
EVENT_PREDICATES = ("pledged_allegiance_to", "split_from", "killed_by")
_LEADER_ROLE = re.compile(r"leader|emir|amir|head|chief|governor|wali|founder", re.I)
_NOT_LEADER_ROLE = re.compile(r"deputy|spokes|commander|naib|assistant", re.I)


def _relation_key(r: Any) -> tuple[str, str, str]:
    s, o = r.subject, r.object
    if r.symmetric and o < s:
        s, o = o, s
    return (s, r.predicate, o)


def _overlap(a: Any, b: Any, *, undated: bool = True) -> bool:
    if (a.start is None and a.end is None) or (b.start is None and b.end is None):
        return undated
    return (a.start is None or b.end is None or a.start <= b.end) and (
        b.start is None or a.end is None or b.start <= a.end
    )


def certain_span(valid_time: str | None) -> tuple[str, str] | None:
    """The days an EDTF interval surely covers, whatever its imprecise ends mean.

    ``"2015-01/2016-07"`` surely covers 2015-01-31 to 2016-07-01; a single ``"2015"``
    only says "some time in 2015", which covers no day for sure (``None``); an open end
    (``2015/..``) runs on, and an open start (``../2017``) is known only at its end.

    >>> certain_span("2015-01/2016-07")
    ('2015-01-31', '2016-07-01')
    >>> certain_span("2015") is None
    True
    """
    if not valid_time:
        return None
    left, sep, right = valid_time.partition("/")
    if not sep:
        right = left
    hi = "9999-12-31" if right.strip() in ("", "..") else edtf_bounds(right).start
    lo = hi if left.strip() in ("", "..") else edtf_bounds(left).end
    if lo is None or hi is None or lo > hi:
        return None
    return lo, hi


def _leaders_clash(a: Any, b: Any) -> bool:
    """Whether the days both terms surely cover overlap."""
    sa, sb = certain_span(a.valid_time), certain_span(b.valid_time)
    if sa is None or sb is None:
        return False
    return max(sa[0], sb[0]) <= min(sa[1], sb[1])


def _evidence(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": int(r.id),
            "source": r.source,
            "document": r.document,
            "title": r.title,
            "quote": r.quote,
            "valid_time": r.valid_time,
        }
        for r in rows
    ]


def _pairs(
    kind: str,
    groups: dict[Hashable, dict[str, list[Any]]],
    conflict: Callable[[list[Any], list[Any]], bool],
    label: Callable[[Hashable], tuple[str, str, str]],
) -> list[dict[str, Any]]:
    """Rows for every two values of one key that conflict and rest on different sources."""
    out = []
    for key, by_value in groups.items():
        values = sorted(by_value, key=str)
        for i, va in enumerate(values):
            for vb in values[i + 1 :]:
                ra, rb = by_value[va], by_value[vb]
                sa, sb = {r.source for r in ra}, {r.source for r in rb}
                if sa == sb and len(sa) == 1:
                    continue  # one source saying two things is not a disagreement
                if not conflict(ra, rb):
                    continue
                subject, predicate, obj = label(key)
                out.append(
                    {
                        "type": kind,
                        "subject": subject,
                        "predicate": predicate,
                        "object": obj,
                        "a_value": str(va),
                        "a_sources": sorted(sa),
                        "a_evidence": _evidence(ra),
                        "b_value": str(vb),
                        "b_sources": sorted(sb),
                        "b_evidence": _evidence(rb),
                    }
                )
    return out


def contested_claims(frame: pd.DataFrame, types: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every disagreement between sources in an assertions table.

    Parameters
    ----------
    frame : pandas.DataFrame
        An assertions table, denied assertions included.
    types : tuple of str, optional
        Only these kinds (``denial``, ``date``, ``leader``, ``killer``, ``figure``).

    Returns
    -------
    pandas.DataFrame
        Columns ``type, subject, predicate, object, a_value, a_sources, a_evidence,
        b_value, b_sources, b_evidence``; each ``*_evidence`` is a list of
        ``{id, source, document, title, quote, valid_time}``.

    Examples
    --------
    >>> from factiongraph.analysis.snapshot import assertions_frame
    >>> f = assertions_frame([
    ...     {"subject": "Taliban", "predicate": "supports", "object": "IS-K",
    ...      "document": "d1", "quote": "the Taliban helped IS-K"},
    ...     {"subject": "Taliban", "predicate": "supports", "object": "IS-K",
    ...      "document": "d2", "modality": "denied", "quote": "no help was given"}])
    >>> c = contested_claims(f)
    >>> c[["type", "a_value", "a_sources", "b_value", "b_sources"]].values.tolist()
    [['denial', 'denied', ['d2'], 'stated', ['d1']]]
    """
    want = set(types or ("denial", "date", "leader", "killer", "figure"))
    rows = list(frame.itertuples())
    out: list[dict[str, Any]] = []

    def by(key_fn: Callable[[Any], Hashable | None], value_fn: Callable[[Any], Hashable | None]):
        groups: dict[Hashable, dict[Hashable, list[Any]]] = {}
        for r in rows:
            k = key_fn(r)
            v = value_fn(r) if k is not None else None
            if k is None or v is None:
                continue
            groups.setdefault(k, {}).setdefault(v, []).append(r)
        return groups

    def as_relation(k: Hashable) -> tuple[str, str, str]:
        return k  # type: ignore[return-value]

    if "denial" in want:
        groups = by(
            _relation_key,
            lambda r: "denied" if r.modality == Modality.DENIED.value else "stated",
        )
        out += _pairs(
            "denial",
            groups,
            lambda a, b: any(_overlap(x, y) for x in a for y in b),
            as_relation,
        )
    if "date" in want:
        groups = by(
            lambda r: (
                _relation_key(r)
                if r.predicate in EVENT_PREDICATES and r.modality != Modality.DENIED.value
                else None
            ),
            lambda r: r.valid_time if r.start is not None or r.end is not None else None,
        )
        out += _pairs(
            "date",
            groups,
            lambda a, b: not any(_overlap(x, y, undated=False) for x in a for y in b),
            as_relation,
        )
    if "leader" in want:

        def leader_key(r: Any) -> Hashable | None:
            if r.predicate != "leads" or r.modality == Modality.DENIED.value:
                return None
            role = str((r.attributes or {}).get("role") or "")
            if role and (_NOT_LEADER_ROLE.search(role) or not _LEADER_ROLE.search(role)):
                return None
            return r.object

        groups = by(leader_key, lambda r: r.subject)
        out += _pairs(
            "leader",
            groups,
            lambda a, b: any(_leaders_clash(x, y) for x in a for y in b),
            lambda k: ("", "leads", str(k)),
        )
    if "killer" in want:
        groups = by(
            lambda r: (
                r.subject
                if r.predicate == "killed_by" and r.modality != Modality.DENIED.value
                else None
            ),
            lambda r: r.object,
        )
        out += _pairs(
            "killer",
            groups,
            lambda a, b: True,
            lambda k: (str(k), "killed_by", ""),
        )
    if "figure" in want:

        def figure(r: Any) -> Hashable | None:
            raw = (r.attributes or {}).get("count")
            return str(raw) if parse_count(raw) is not None else None

        def figures_conflict(a: list[Any], b: list[Any]) -> bool:
            for x in a:
                for y in b:
                    lx = parse_count(x.attributes.get("count"))
                    ly = parse_count(y.attributes.get("count"))
                    if lx and ly and (lx[1] < ly[0] or ly[1] < lx[0]) and _overlap(x, y):
                        return True
            return False

        groups = by(
            lambda r: _relation_key(r) if r.modality != Modality.DENIED.value else None, figure
        )
        out += _pairs("figure", groups, figures_conflict, as_relation)
    order = {"denial": 0, "date": 1, "leader": 2, "killer": 3, "figure": 4}
    result = pd.DataFrame(out, columns=CONTESTED_COLUMNS)
    if result.empty:
        return result
    result["_t"] = result["type"].map(order)
    result = result.sort_values(["_t", "subject", "object", "a_value"], kind="stable")
    return result.drop(columns="_t").reset_index(drop=True)
