"""A snapshot of the knowledge base as tables, the input of every analysis.

The analyses in :mod:`factiongraph.analysis` never query the store: they take the tables
of a :class:`Snapshot` (or a graph built from them), so each can be tested on a table made
by hand. :func:`snapshot` is the one adapter that reads a
:class:`~factiongraph.kb.KnowledgeBase`.

The ``assertions`` table has one row per assertion, joined with the names, kinds and
parents of its two entities and the key and title of its document:

``id, subject, subject_id, subject_kind, subject_parent, predicate, object, object_id,
object_kind, object_parent, kind, sign, symmetric, valid_time, start, end, time_text,
place, modality, claimant, source, document, title, quote, span_start, span_end,
attributes, confidence, review_status``

``start`` and ``end`` are the first and last ISO day the assertion's valid time may
cover (``None`` for an open end or an undated assertion); ``source`` names who says so:
the document key, followed by the claimant when the document attributes the claim.

>>> from factiongraph.kb import KnowledgeBase
>>> from factiongraph.models import AssertionIn
>>> kb = KnowledgeBase.open(":memory:")
>>> _ = kb.add_assertion(AssertionIn(subject="A", predicate="fights", object="B",
...                                  valid_time="2016"))
>>> snap = snapshot(kb)
>>> snap.assertions[["subject", "predicate", "object", "start", "end", "sign"]].values.tolist()
[['A', 'fights', 'B', '2016-01-01', '2016-12-31', -1]]
>>> kb.close()
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from factiongraph.models import (
    PREDICATE_KIND,
    PREDICATE_SIGN,
    SYMMETRIC,
    Assertion,
    Document,
    Entity,
    Modality,
    Predicate,
)
from factiongraph.names import name_key
from factiongraph.timeutil import parse_day

if TYPE_CHECKING:
    from factiongraph.kb import KnowledgeBase

ASSERTION_COLUMNS = [
    "id",
    "subject",
    "subject_id",
    "subject_kind",
    "subject_parent",
    "predicate",
    "object",
    "object_id",
    "object_kind",
    "object_parent",
    "kind",
    "sign",
    "symmetric",
    "valid_time",
    "start",
    "end",
    "time_text",
    "place",
    "modality",
    "claimant",
    "source",
    "document",
    "title",
    "quote",
    "span_start",
    "span_end",
    "attributes",
    "confidence",
    "review_status",
]
ENTITY_COLUMNS = ["id", "name", "kind", "category", "parent_id", "parent", "aliases"]
DOCUMENT_COLUMNS = ["key", "title", "authors", "published", "publisher"]

#: The relation kinds that make up the state of a relationship, in display order.
STATE_KINDS: tuple[str, ...] = (
    "cooperation",
    "ceasefire",
    "negotiation",
    "rivalry",
    "criticism",
    "fighting",
)
#: The predicates whose kind is one of :data:`STATE_KINDS` (``killed_by`` is left out: it
#: links a person to an organization, not two organizations).
STATE_PREDICATES: frozenset[str] = frozenset(
    p.value for p, k in PREDICATE_KIND.items() if k in STATE_KINDS and p != Predicate.KILLED_BY
)


@dataclass
class Snapshot:
    """The assertions, entities and documents of a knowledge base at one moment.

    Attributes
    ----------
    assertions : pandas.DataFrame
        One row per assertion (columns in :data:`ASSERTION_COLUMNS`).
    entities : pandas.DataFrame
        One row per entity: ``id, name, kind, category, parent_id, parent, aliases``.
    documents : pandas.DataFrame
        One row per stored document (latest version): ``key, title, authors, published,
        publisher``.
    """

    assertions: pd.DataFrame
    entities: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ENTITY_COLUMNS))
    documents: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DOCUMENT_COLUMNS))

    def resolve(self, name: str | int) -> str:
        """The canonical name of an entity given any of its names, aliases or its id.

        Falls back to ``name`` itself when no entity matches, so hand-made tables that
        only have an ``assertions`` frame still work.
        """
        return resolve_name(self.entities, name)

    def factions(self, name: str) -> list[str]:
        """Names of the factions (children, recursively) of an entity, sorted."""
        return factions_of(self.entities, self.resolve(name))

    def document_titles(self) -> dict[str, str]:
        return {
            str(r.key): str(r.title) if isinstance(r.title, str) else ""
            for r in self.documents.itertuples()
        }


def snapshot(
    kb: KnowledgeBase,
    *,
    start: str | None = None,
    end: str | None = None,
    on: str | None = None,
    include_alleged: bool = True,
) -> Snapshot:
    """Read the knowledge base into a :class:`Snapshot`.

    Parameters
    ----------
    kb : KnowledgeBase
        An open knowledge base.
    start, end, on : str, optional
        Keep only assertions held on a date (``on``) or overlapping a window; any date
        precision (``"2017"``, ``"2017-10"``, ``"2017-10-18"``). With a time filter,
        undated assertions are left out.
    include_alleged : bool
        Keep assertions whose modality is ``alleged`` (default true).

    Returns
    -------
    Snapshot
        Rejected assertions are never included; denied ones are (the contested-claims
        analysis needs them; the others leave them out).
    """
    assertions = kb.assertions(start=start, end=end, on=on)
    if not include_alleged:
        assertions = [a for a in assertions if a.modality != Modality.ALLEGED]
    return from_records(kb.entities(), assertions, kb.documents())


def from_records(
    entities: Iterable[Entity],
    assertions: Iterable[Assertion],
    documents: Iterable[Document] = (),
) -> Snapshot:
    """Build a :class:`Snapshot` from the API's model objects."""
    ents = list(entities)
    by_id = {e.id: e for e in ents}
    titles = {d.key: d.title for d in documents}
    docs = pd.DataFrame(
        [
            {
                "key": d.key,
                "title": d.title,
                "authors": list(d.authors),
                "published": d.published,
                "publisher": d.publisher,
            }
            for d in documents
        ],
        columns=DOCUMENT_COLUMNS,
    )
    rows = []
    for a in assertions:
        s, o = by_id.get(a.subject_id), by_id.get(a.object_id)
        rows.append(
            {
                "id": a.id,
                "subject": a.subject,
                "subject_id": a.subject_id,
                "subject_kind": s.kind.value if s else None,
                "subject_parent": s.parent if s else None,
                "predicate": a.predicate.value,
                "object": a.object,
                "object_id": a.object_id,
                "object_kind": o.kind.value if o else None,
                "object_parent": o.parent if o else None,
                "kind": PREDICATE_KIND[a.predicate],
                "sign": PREDICATE_SIGN.get(a.predicate, 0),
                "symmetric": a.predicate in SYMMETRIC,
                "valid_time": a.valid_time,
                "start": a.valid_from,
                "end": a.valid_to,
                "time_text": a.time_text,
                "place": a.place,
                "modality": a.modality.value,
                "claimant": a.claimant,
                "source": source_label(a.document_key, a.claimant),
                "document": a.document_key,
                "title": titles.get(a.document_key or ""),
                "quote": a.quote,
                "span_start": a.span_start,
                "span_end": a.span_end,
                "attributes": dict(a.attributes),
                "confidence": a.confidence,
                "review_status": a.review_status.value,
            }
        )
    frame = plain_objects(pd.DataFrame(rows, columns=ASSERTION_COLUMNS))
    entities_frame = pd.DataFrame(
        [
            {
                "id": e.id,
                "name": e.name,
                "kind": e.kind.value,
                "category": e.category,
                "parent_id": e.parent_id,
                "parent": e.parent,
                "aliases": list(e.aliases),
            }
            for e in ents
        ],
        columns=ENTITY_COLUMNS,
    )
    return Snapshot(frame, plain_objects(entities_frame), plain_objects(docs))


def assertions_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """An assertions table from plain dicts, filling derived and missing columns.

    Each dict needs ``subject``, ``predicate`` and ``object``; ``valid_time`` (EDTF),
    ``modality`` (default ``asserted``), ``document``, ``claimant``, ``attributes`` and
    the rest are optional. Handy for tests and for tables that do not come from a store.

    >>> f = assertions_frame([{"subject": "A", "predicate": "cooperates_with",
    ...                        "object": "B", "valid_time": "2015/2016", "document": "d1"}])
    >>> f[["kind", "sign", "start", "end", "source"]].values.tolist()
    [['cooperation', 1, '2015-01-01', '2016-12-31', 'd1']]
    """
    from factiongraph.timeutil import edtf_bounds

    out = []
    for i, r in enumerate(rows, start=1):
        p = Predicate(r["predicate"])
        vt = r.get("valid_time")
        lo, hi = (edtf_bounds(vt)[:2]) if vt else (None, None)
        row = {c: None for c in ASSERTION_COLUMNS}
        row.update(
            {
                "id": i,
                "modality": "asserted",
                "attributes": {},
                "confidence": 1.0,
                "review_status": "accepted",
                "subject_kind": "organization",
                "object_kind": "place" if p == Predicate.OPERATES_IN else "organization",
            }
        )
        if p in (Predicate.LEADS, Predicate.MEMBER_OF, Predicate.KILLED_BY):
            row["subject_kind"] = "person"
        row.update({k: v for k, v in r.items() if k in ASSERTION_COLUMNS})
        row.update(
            {
                "predicate": p.value,
                "kind": PREDICATE_KIND[p],
                "sign": PREDICATE_SIGN.get(p, 0),
                "symmetric": p in SYMMETRIC,
                "start": r.get("start", lo),
                "end": r.get("end", hi),
                "source": source_label(r.get("document"), r.get("claimant")),
            }
        )
        out.append(row)
    return plain_objects(pd.DataFrame(out, columns=ASSERTION_COLUMNS))


def int_or_none(values: pd.Series) -> pd.Series:
    """A column of Python ints and ``None`` (pandas would make it float with NaN)."""
    return pd.Series(
        [None if v is None or pd.isna(v) else int(v) for v in values],
        index=values.index,
        dtype=object,
    )


def plain_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain Python objects with ``None`` (not NaN) for missing values.

    The analyses test ``value is None`` and compare ISO days as strings; pandas' string
    dtype would turn a missing day into a float NaN.
    """
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col].dtype):
            values = frame[col].astype(object)
            frame[col] = values.where(values.notna(), None)
    return frame


# -- helpers shared by the analyses ----------------------------------------------------------


def source_label(document: str | None, claimant: str | None) -> str:
    """Who makes a claim: the document key, and the claimant the document cites, if any.

    >>> source_label("doc1", "UN")
    'doc1 (per UN)'
    >>> source_label(None, None)
    'analyst'
    """
    base = document or "analyst"
    return f"{base} (per {claimant})" if claimant else base


def resolve_name(entities: pd.DataFrame, name: str | int) -> str:
    """The canonical entity name for a name, alias or id (``name`` itself if unknown)."""
    if entities is None or entities.empty:
        return str(name)
    if isinstance(name, int) or (isinstance(name, str) and name.isdigit()):
        hit = entities[entities["id"] == int(name)]
        if not hit.empty:
            return str(hit.iloc[0]["name"])
    key = name_key(str(name))
    exact = entities[entities["name"].map(name_key) == key]
    if len(exact) >= 1:
        orgs = exact[exact["kind"] == "organization"]
        return str((orgs if not orgs.empty else exact).iloc[0]["name"])
    alias_hit = entities[entities["aliases"].map(lambda al: any(name_key(a) == key for a in al))]
    if not alias_hit.empty:
        orgs = alias_hit[alias_hit["kind"] == "organization"]
        return str((orgs if not orgs.empty else alias_hit).iloc[0]["name"])
    return str(name)


def factions_of(entities: pd.DataFrame, name: str) -> list[str]:
    """Names of the entities whose parent chain leads to ``name``, sorted."""
    if entities is None or entities.empty:
        return []
    children: dict[str, list[str]] = {}
    for r in entities.itertuples():
        if isinstance(r.parent, str) and r.parent:
            children.setdefault(r.parent, []).append(str(r.name))
    found: list[str] = []
    frontier = [name]
    while frontier:
        nxt = []
        for p in frontier:
            for c in children.get(p, []):
                if c not in found and c != name:
                    found.append(c)
                    nxt.append(c)
        frontier = nxt
    return sorted(found)


def short_names(entities: pd.DataFrame, limit: int = 20) -> dict[str, str]:
    """Short labels for charts: for each name longer than ``limit``, its shortest alias
    that has a capital letter (an acronym such as "TTP"), when there is one.

    >>> ents = pd.DataFrame({"name": ["Tehrik-i-Taliban Pakistan", "Haqqani Network"],
    ...                      "aliases": [["TTP", "Pakistani Taliban"], ["Haqqanis"]]})
    >>> short_names(ents)
    {'Tehrik-i-Taliban Pakistan': 'TTP'}
    """
    out: dict[str, str] = {}
    if entities is None or entities.empty:
        return out
    for r in entities.itertuples():
        name = str(r.name)
        if len(name) <= limit:
            continue
        options = [a for a in (r.aliases or []) if len(a) >= 2 and any(c.isupper() for c in a)]
        if options:
            out[name] = min(options, key=lambda a: (len(a), a))
    return out


def stated(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that state something (every modality except ``denied``)."""
    return frame[frame["modality"] != Modality.DENIED.value]


def day_bounds(date: str) -> tuple[str, str]:
    """First and last ISO day of a date of any precision.

    >>> day_bounds("2017-02")
    ('2017-02-01', '2017-02-28')
    """
    return parse_day(date), parse_day(date, end=True)


def held_during(frame: pd.DataFrame, start: str | None, end: str | None = None) -> pd.DataFrame:
    """Dated rows whose time overlaps ``[start, end]`` (dates of any precision).

    An open end in a row counts as still holding. Undated rows are left out.

    >>> f = assertions_frame([
    ...     {"subject": "A", "predicate": "fights", "object": "B", "valid_time": "2015"},
    ...     {"subject": "A", "predicate": "fights", "object": "C", "valid_time": "2017/.."},
    ...     {"subject": "A", "predicate": "fights", "object": "D"}])
    >>> held_during(f, "2018")["object"].tolist()
    ['C']
    """
    lo = parse_day(start) if start else None
    hi = parse_day(end if end else start, end=True) if (end or start) else None
    dated = frame[frame["start"].notna() | frame["end"].notna()]
    keep = pd.Series(True, index=dated.index)
    if hi is not None:
        keep &= dated["start"].isna() | (dated["start"] <= hi)
    if lo is not None:
        keep &= dated["end"].isna() | (dated["end"] >= lo)
    return dated[keep]


def year_of(day: str | None) -> int | None:
    """The year of an ISO day, or ``None``."""
    if not isinstance(day, str) or not day:
        return None
    return int(day[:4])


def years_covered(
    start: str | None, end: str | None, *, open_until: int | None = None
) -> list[int]:
    """Every year an interval touches; an open end runs to ``open_until`` (or its start).

    >>> years_covered("2014-06-01", "2016-02-01")
    [2014, 2015, 2016]
    >>> years_covered("2020-01-01", None, open_until=2022)
    [2020, 2021, 2022]
    """
    a, b = year_of(start), year_of(end)
    if a is None and b is None:
        return []
    if a is None:
        a = b
    if b is None:
        b = max(a, open_until) if open_until is not None else a
    return list(range(int(a), int(b) + 1))  # type: ignore[arg-type]


def next_day(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


_NUMBER = re.compile(r"(\d[\d,\.]*)\s*(thousand|k\b)?", re.IGNORECASE)
_WORDS = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "several hundred": (200, 999),
    "thousands": (2000, 9999),
    "several thousand": (2000, 9999),
}


def parse_count(value: Any) -> tuple[float, float] | None:
    """A figure as a ``(low, high)`` range, or ``None`` when no number can be read.

    Handles plain numbers, ranges (``"45-50"``), thousands separators, qualifiers
    (``"at least 1,000"``, ``"about 600"``) and vague words (``"hundreds"``,
    ``"thousands"``, read as the range they usually mean). With several figures (``"several
    hundreds; about 600"``) the first precise one wins.

    >>> parse_count(143)
    (143.0, 143.0)
    >>> parse_count("45-50")
    (45.0, 50.0)
    >>> parse_count("at least 1,000")
    (1000.0, 1000.0)
    >>> parse_count("several hundreds; about 600")
    (600.0, 600.0)
    >>> parse_count("thousands")
    (2000.0, 9999.0)
    >>> parse_count("some") is None
    True
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value), float(value)
    text = str(value).strip().lower()
    nums = []
    for m in _NUMBER.finditer(text):
        raw = m.group(1).rstrip(".,").replace(",", "")
        try:
            n = float(raw)
        except ValueError:
            continue
        if m.group(2):
            n *= 1000
        nums.append(n)
    if nums:
        if len(nums) >= 2 and re.search(r"\d\s*(-|–|to)\s*\d", text):
            return min(nums[:2]), max(nums[:2])
        return nums[0], nums[0]
    for word, rng in sorted(_WORDS.items(), key=lambda kv: -len(kv[0])):
        if word in text or word.rstrip("s") in text:
            return float(rng[0]), float(rng[1])
    return None


def pair_key(a: str, b: str) -> tuple[str, str]:
    """An order-free key for two names."""
    return (a, b) if a <= b else (b, a)
