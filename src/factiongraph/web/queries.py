"""Read queries behind the explorer's views, written as aggregate SQL over the store.

The knowledge base API returns one validated object per assertion, which is right for
scripts but too slow for a graph of a hundred thousand assertions redrawn on every move of
a time slider. These functions read the ORM tables directly (never writing) and return plain
dictionaries ready to be sent as JSON.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from factiongraph.errors import NotFound
from factiongraph.kb import KnowledgeBase
from factiongraph.models import PREDICATE_SIGN, SYMMETRIC, EntityKind, Modality, Predicate
from factiongraph.store.schema import (
    AliasRow,
    AssertionRow,
    DocumentRow,
    DocumentVersionRow,
    EntityRow,
    ReviewRow,
)
from factiongraph.web.graphindex import GraphCache, day_text

ORG = EntityKind.ORGANIZATION.value
REJECTED = "rejected"

# Predicates that relate two organizations and can be drawn on the network.
NETWORK_PREDICATES: tuple[str, ...] = tuple(
    p.value
    for p in Predicate
    if p not in {Predicate.LEADS, Predicate.MEMBER_OF, Predicate.OPERATES_IN, Predicate.KILLED_BY}
)
# Drawn only when asked for: the parent links already show as grouping.
DEFAULT_HIDDEN: frozenset[str] = frozenset({Predicate.PART_OF.value})

# The colour group of each predicate on the network and in timelines.
GROUP: dict[str, str] = {
    "cooperates_with": "cooperation",
    "supports": "cooperation",
    "ceasefire_with": "ceasefire",
    "negotiates_with": "ceasefire",
    "mediates": "ceasefire",
    "rival_of": "rivalry",
    "criticizes": "rivalry",
    "fights": "fighting",
    "killed_by": "fighting",
    "defected_to": "defection",
    "pledged_allegiance_to": "allegiance",
    "split_from": "split",
    "part_of": "structure",
    "leads": "membership",
    "member_of": "membership",
    "operates_in": "place",
}
GROUP_LABELS: dict[str, str] = {
    "cooperation": "cooperation / support",
    "ceasefire": "ceasefire / negotiation",
    "rivalry": "rivalry / criticism",
    "fighting": "fighting",
    "defection": "defection",
    "allegiance": "allegiance",
    "split": "split",
    "structure": "part of",
}
SYMMETRIC_VALUES = frozenset(p.value for p in SYMMETRIC)


_LABELS = {p.value: p.value.replace("_", " ") for p in Predicate}


def label(predicate: str) -> str:
    return _LABELS.get(predicate) or predicate.replace("_", " ")


@dataclass
class GraphFilter:
    """What the network shows: a time window and the filters of the network view."""

    start: str | None = None  # first day of the window (ISO), None for no time limit
    end: str | None = None
    predicates: Sequence[str] = ()
    modalities: Sequence[str] = ()
    claimant: str | None = None
    document_id: int | None = None  # a document version id
    collapse: bool = False
    include_undated: bool = False
    max_edges: int | None = None  # keep only the relations with the most assertions
    extra: dict[str, Any] = field(default_factory=dict)


def _time_conditions(start: str | None, end: str | None, include_undated: bool) -> list[Any]:
    if start is None and end is None:
        return []
    conds: list[Any] = [AssertionRow.valid_time.is_not(None)]
    if end is not None:
        conds.append(or_(AssertionRow.valid_from.is_(None), AssertionRow.valid_from <= end))
    if start is not None:
        conds.append(or_(AssertionRow.valid_to.is_(None), AssertionRow.valid_to >= start))
    if include_undated:
        return [or_(and_(*conds), AssertionRow.valid_time.is_(None))]
    return conds


def _version_document(s: Session, version_id: int) -> DocumentVersionRow:
    row = s.scalar(
        select(DocumentVersionRow)
        .options(joinedload(DocumentVersionRow.document))
        .where(DocumentVersionRow.id == version_id)
    )
    if row is None:
        raise NotFound(f"no document with id {version_id}")
    return row


def graph(kb: KnowledgeBase, f: GraphFilter, cache: GraphCache | None = None) -> dict[str, Any]:
    """Organizations and the relations between them that held in the window.

    The assertions behind each (subject, object, predicate, modality) are counted in one
    pass, from the in-memory ``cache`` when given, else by one grouped SQL query; symmetric
    relations are merged whichever way round they were stated, and with ``collapse`` every
    faction's relations are drawn on its top-level organization.
    """
    preds = list(f.predicates or NETWORK_PREDICATES)
    if not f.predicates:
        preds = [p for p in preds if p not in DEFAULT_HIDDEN]
    if cache is None:
        rows, orgs = _graph_rows_sql(kb, f, preds)
        return _limited(rows, orgs, f, preds)
    key = (
        f.start,
        f.end,
        tuple(preds),
        tuple(f.modalities),
        (f.claimant or "").strip().lower(),
        f.document_id,
        f.collapse,
        f.include_undated,
        f.max_edges,
    )
    cache.get()  # notices a changed store and forgets old results
    found = cache.remembered(key)
    if found is None:
        rows, orgs = _graph_rows_cached(kb, cache, f, preds)
        found = _limited(rows, orgs, f, preds)
        cache.remember(key, found)
    return dict(found)  # callers may add keys; the lists inside are shared, never changed


def _heaviest_rows(rows: list[tuple[Any, ...]], max_edges: int | None) -> list[tuple[Any, ...]]:
    """Rows of the ``max_edges`` (subject, object, predicate) with the most assertions, so
    that a huge network is cut before its relations are built one by one."""
    if max_edges is None:
        return rows
    totals: Counter[tuple[Any, Any, Any]] = Counter()
    for r in rows:
        totals[(r[0], r[1], r[2])] += r[4]
    if len(totals) <= max_edges:
        return rows
    keep = {k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:max_edges]}
    return [r for r in rows if (r[0], r[1], r[2]) in keep]


def _limited(
    rows: list[tuple[Any, ...]], orgs: dict[int, Any], f: GraphFilter, preds: list[str]
) -> dict[str, Any]:
    kept = _heaviest_rows(rows, f.max_edges)
    data = _graph_result(kept, orgs, f, preds)
    if f.max_edges is not None and len(data["edges"]) > f.max_edges:
        return heaviest(data, f.max_edges)
    data["truncated"] = len(kept) < len(rows)
    return data


def _graph_rows_cached(
    kb: KnowledgeBase, cache: GraphCache, f: GraphFilter, preds: list[str]
) -> tuple[list[tuple[Any, ...]], dict[int, Any]]:
    document_id = None
    if f.document_id is not None:
        with kb.session() as s:
            document_id = _version_document(s, f.document_id).document_id
    index = cache.get()
    groups = index.select(
        start=f.start,
        end=f.end,
        predicates=preds,
        modalities=list(f.modalities),
        claimant=f.claimant,
        document_id=document_id,
        include_undated=f.include_undated,
        collapse=f.collapse,
        symmetric=SYMMETRIC_VALUES,
    )
    rows = [(s, o, p, m, n, day_text(lo), day_text(hi), a) for s, o, p, m, n, lo, hi, a in groups]
    return rows, index.orgs


def _graph_rows_sql(
    kb: KnowledgeBase, f: GraphFilter, preds: list[str]
) -> tuple[list[tuple[Any, ...]], dict[int, Any]]:
    subj = aliased(EntityRow)
    obj = aliased(EntityRow)
    a = AssertionRow
    with kb.session() as s:
        q = (
            select(
                a.subject_id,
                a.object_id,
                a.predicate,
                a.modality,
                func.count(),
                func.min(a.valid_from),
                func.max(a.valid_to),
                func.min(a.id),
            )
            .join(subj, subj.id == a.subject_id)
            .join(obj, obj.id == a.object_id)
            .where(
                subj.kind == ORG,
                obj.kind == ORG,
                a.review_status != REJECTED,
                a.predicate.in_(preds),
                *_time_conditions(f.start, f.end, f.include_undated),
            )
            .group_by(a.subject_id, a.object_id, a.predicate, a.modality)
        )
        if f.modalities:
            q = q.where(a.modality.in_(list(f.modalities)))
        if f.claimant:
            q = q.where(func.lower(a.claimant) == f.claimant.strip().lower())
        if f.document_id is not None:
            q = q.where(a.document_id == _version_document(s, f.document_id).document_id)
        rows = [tuple(r) for r in s.execute(q).all()]
        orgs = {
            r.id: r
            for r in s.execute(
                select(EntityRow.id, EntityRow.name, EntityRow.category, EntityRow.parent_id).where(
                    EntityRow.kind == ORG
                )
            ).all()
        }
    return rows, orgs


def _graph_result(
    rows: list[tuple[Any, ...]], orgs: dict[int, Any], f: GraphFilter, preds: list[str]
) -> dict[str, Any]:
    def top(i: int) -> int:
        seen = {i}
        while (p := orgs[i].parent_id) is not None and p in orgs and p not in seen:
            seen.add(p)
            i = p
        return i

    edges: dict[tuple[int, int, str], dict[str, Any]] = {}
    for sid, oid, pred, modality, count, first, last, sample in rows:
        if f.collapse:
            sid, oid = top(sid), top(oid)
            if sid == oid:
                continue
        directed = pred not in SYMMETRIC_VALUES
        if not directed and oid < sid:
            sid, oid = oid, sid
        key = (sid, oid, pred)
        e = edges.get(key)
        if e is None:
            e = edges[key] = {
                "id": f"{sid}-{oid}-{pred}",
                "source": sid,
                "target": oid,
                "predicate": pred,
                "count": 0,
                "modalities": {},
                "first": first,
                "last": last,
                "sample": sample,
            }
        e["count"] += count
        e["modalities"][modality] = e["modalities"].get(modality, 0) + count
        if first and (e["first"] is None or first < e["first"]):
            e["first"] = first
        if last and (e["last"] is None or last > e["last"]):
            e["last"] = last
        e["sample"] = min(e["sample"], sample)

    degree: Counter[int] = Counter()
    for sid, oid, _ in edges:
        degree[sid] += 1
        degree[oid] += 1
    shown: set[int] = set(degree)
    if not f.collapse:  # parents frame their factions, so keep the whole chain
        for i in list(shown):
            p = orgs[i].parent_id
            while p is not None and p in orgs and p not in shown:
                shown.add(p)
                p = orgs[p].parent_id
    nodes = [
        {
            "id": i,
            "name": orgs[i].name,
            "category": orgs[i].category or "organization",
            "parent": None if f.collapse else orgs[i].parent_id,
            "degree": degree.get(i, 0),
            "factions": 0,
        }
        for i in sorted(shown, key=lambda i: orgs[i].name.casefold())
    ]
    if not f.collapse:
        children = Counter(n["parent"] for n in nodes if n["parent"] is not None)
        for n in nodes:
            n["factions"] = children.get(n["id"], 0)
    return {
        "window": {"start": f.start, "end": f.end},
        "collapse": f.collapse,
        "predicates": preds,
        "kinds": {
            p: {
                "label": label(p),
                "group": GROUP.get(p, "other"),
                "directed": p not in SYMMETRIC_VALUES,
            }
            for p in {e["predicate"] for e in edges.values()}
        },
        "nodes": nodes,
        "edges": sorted(edges.values(), key=lambda e: e["id"]),
        "counts": {
            "nodes": len(nodes),
            "edges": len(edges),
            "assertions": sum(e["count"] for e in edges.values()),
        },
    }


def heaviest(data: dict[str, Any], max_edges: int) -> dict[str, Any]:
    """Keep the ``max_edges`` relations with the most assertions and the nodes they touch
    (with their parents), for networks too large to draw whole."""
    edges = sorted(data["edges"], key=lambda e: (-e["count"], e["id"]))[:max_edges]
    used = {e["source"] for e in edges} | {e["target"] for e in edges}
    by_id = {n["id"]: n for n in data["nodes"]}
    for i in list(used):
        p = by_id[i]["parent"]
        while p is not None and p in by_id and p not in used:
            used.add(p)
            p = by_id[p]["parent"]
    nodes = [n for n in data["nodes"] if n["id"] in used]
    return {
        **data,
        "nodes": nodes,
        "edges": sorted(edges, key=lambda e: e["id"]),
        "truncated": True,
        "counts": {
            "nodes": len(nodes),
            "edges": len(edges),
            "assertions": sum(e["count"] for e in edges),
        },
    }


def facets(kb: KnowledgeBase) -> dict[str, Any]:
    """The choices the network filters offer: claimants, documents, predicates, modalities."""
    with kb.session() as s:
        claimants = s.execute(
            select(AssertionRow.claimant, func.count())
            .where(AssertionRow.claimant.is_not(None))
            .group_by(AssertionRow.claimant)
            .order_by(func.count().desc())
            .limit(200)
        ).all()
        span = s.execute(
            select(func.min(AssertionRow.valid_from), func.max(AssertionRow.valid_to))
        ).one()
    return {
        "predicates": [
            {
                "value": p,
                "label": label(p),
                "group": GROUP[p],
                "directed": p not in SYMMETRIC_VALUES,
                "default": p not in DEFAULT_HIDDEN,
            }
            for p in NETWORK_PREDICATES
        ],
        "groups": GROUP_LABELS,
        "modalities": [m.value for m in Modality],
        "claimants": [{"value": c, "count": n} for c, n in claimants],
        "documents": documents(kb),
        "time": {"first": span[0], "last": span[1]},
    }


def documents(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Latest version of every document with its assertion count."""
    with kb.session() as s:
        latest = (
            select(func.max(DocumentVersionRow.id).label("vid"))
            .group_by(DocumentVersionRow.document_id)
            .subquery()
        )
        rows = s.execute(
            select(
                DocumentVersionRow.id,
                DocumentRow.key,
                DocumentVersionRow.title,
                DocumentVersionRow.published,
                DocumentVersionRow.chars,
                DocumentVersionRow.document_id,
            )
            .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
            .where(DocumentVersionRow.id.in_(select(latest.c.vid)))
            .order_by(DocumentVersionRow.published, DocumentRow.key)
        ).all()
        counts = dict(
            s.execute(
                select(AssertionRow.document_id, func.count()).group_by(AssertionRow.document_id)
            ).all()
        )
    return [
        {
            "id": r.id,
            "key": r.key,
            "title": r.title or r.key,
            "published": r.published,
            "chars": r.chars or 0,
            "assertions": counts.get(r.document_id, 0),
        }
        for r in rows
    ]


# -- assertions as dictionaries ------------------------------------------------------------


def _titles(s: Session, version_ids: Iterable[int | None]) -> dict[int, dict[str, Any]]:
    ids = {i for i in version_ids if i is not None}
    if not ids:
        return {}
    rows = s.execute(
        select(
            DocumentVersionRow.id,
            DocumentVersionRow.title,
            DocumentVersionRow.published,
            DocumentVersionRow.chars,
            DocumentRow.key,
        )
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(DocumentVersionRow.id.in_(ids))
    ).all()
    return {
        r.id: {
            "id": r.id,
            "key": r.key,
            "title": r.title or r.key,
            "published": r.published,
            "has_text": bool(r.chars),
        }
        for r in rows
    }


def assertion_dict(row: AssertionRow, docs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    doc = docs.get(row.document_version_id) if row.document_version_id else None
    return {
        "id": row.id,
        "subject_id": row.subject_id,
        "subject": row.subject.name,
        "predicate": row.predicate,
        "label": label(row.predicate),
        "group": GROUP.get(row.predicate, "other"),
        "directed": row.predicate not in SYMMETRIC_VALUES,
        "object_id": row.object_id,
        "object": row.object.name,
        "valid_time": row.valid_time,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "time_text": row.time_text,
        "place": row.place.name if row.place else None,
        "attributes": dict(row.attributes or {}),
        "modality": row.modality,
        "claimant": row.claimant,
        "confidence": row.confidence,
        "document": doc,
        "span_start": row.span_start,
        "span_end": row.span_end,
        "quote": row.quote,
        "subject_mention": row.subject_mention,
        "object_mention": row.object_mention,
        "origin": row.origin,
        "machine": row.machine,
        "review_status": row.review_status,
    }


def _assertion_rows(s: Session, *conds: Any, order: Sequence[Any] = (), limit: int | None = None):  # type: ignore[no-untyped-def]
    q = (
        select(AssertionRow)
        .options(
            joinedload(AssertionRow.subject),
            joinedload(AssertionRow.object),
            joinedload(AssertionRow.place),
        )
        .where(*conds)
        .order_by(*order)
    )
    if limit is not None:
        q = q.limit(limit)
    return s.scalars(q).unique().all()


def _by_time() -> list[Any]:
    return [AssertionRow.valid_from.is_(None), AssertionRow.valid_from, AssertionRow.id]


def assertion(kb: KnowledgeBase, assertion_id: int) -> dict[str, Any]:
    with kb.session() as s:
        rows = _assertion_rows(s, AssertionRow.id == assertion_id)
        if not rows:
            raise NotFound(f"no assertion with id {assertion_id}")
        return assertion_dict(rows[0], _titles(s, [rows[0].document_version_id]))


# -- relation between two entities ---------------------------------------------------------


def _overlap(x: dict[str, Any], y: dict[str, Any]) -> bool:
    if not x["valid_time"] or not y["valid_time"]:
        return not x["valid_time"] and not y["valid_time"]
    lo1, hi1 = x["valid_from"] or "0000", x["valid_to"] or "9999"
    lo2, hi2 = y["valid_from"] or "0000", y["valid_to"] or "9999"
    return lo1 <= hi2 and lo2 <= hi1


def _overlapping_pairs(
    items: Sequence[dict[str, Any]], budget: int = 200_000
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Pairs of items whose times overlap, by a sweep over their start days (undated items
    pair among themselves); at most ``budget`` comparisons."""
    dated = sorted(
        (x for x in items if x["valid_time"]), key=lambda x: (x["valid_from"] or "0000", x["id"])
    )
    undated = [x for x in items if not x["valid_time"]]
    for group in (dated, undated):
        for i, x in enumerate(group):
            for y in group[i + 1 :]:
                budget -= 1
                if budget < 0:
                    return
                if group is dated and (y["valid_from"] or "0000") > (x["valid_to"] or "9999"):
                    break  # every later item starts later still
                if _overlap(x, y):
                    yield x, y


def _conflict(x: dict[str, Any], y: dict[str, Any]) -> str | None:
    denied = Modality.DENIED.value in (x["modality"], y["modality"])
    if x["predicate"] == y["predicate"]:
        if denied and x["modality"] != y["modality"]:
            return f"{label(x['predicate'])} stated and denied"
        return None
    sx = PREDICATE_SIGN.get(Predicate(x["predicate"]), 0)
    sy = PREDICATE_SIGN.get(Predicate(y["predicate"]), 0)
    same_source = (x["document"] or {}).get("id") == (y["document"] or {}).get("id")
    if sx * sy < 0 and not same_source and not denied:
        return f"{label(x['predicate'])} versus {label(y['predicate'])}"
    return None


def conflicts(items: Sequence[dict[str, Any]], limit: int = 200) -> list[dict[str, Any]]:
    """Pairs of assertions that cannot both be true as stated.

    A claim and its denial for the same relation and time; or a friendly and a hostile
    relation over the same time from different sources.
    """
    out: list[dict[str, Any]] = []
    for x, y in _overlapping_pairs(items):
        reason = _conflict(x, y)
        if reason:
            out.append({"a": x["id"], "b": y["id"], "reason": reason})
            if len(out) >= limit:
                break
    return out


def _entity_brief(s: Session, entity_id: int) -> dict[str, Any]:
    row = s.get(EntityRow, entity_id)
    if row is None:
        raise NotFound(f"no entity with id {entity_id}")
    return {"id": row.id, "name": row.name, "kind": row.kind, "category": row.category}


def relation(
    kb: KnowledgeBase,
    a: int,
    b: int,
    *,
    include_rejected: bool = False,
    include_factions: bool = False,
) -> dict[str, Any]:
    """Every assertion linking two entities, in time order, with the conflicting pairs."""
    with kb.session() as s:
        left, right = _entity_brief(s, a), _entity_brief(s, b)
        ids_a = [a, *(KnowledgeBase.descendants(s, a) if include_factions else [])]
        ids_b = [b, *(KnowledgeBase.descendants(s, b) if include_factions else [])]
        conds: list[Any] = [
            or_(
                AssertionRow.subject_id.in_(ids_a) & AssertionRow.object_id.in_(ids_b),
                AssertionRow.subject_id.in_(ids_b) & AssertionRow.object_id.in_(ids_a),
            )
        ]
        if not include_rejected:
            conds.append(AssertionRow.review_status != REJECTED)
        rows = _assertion_rows(s, *conds, order=_by_time())
        docs = _titles(s, [r.document_version_id for r in rows])
        items = [assertion_dict(r, docs) for r in rows]
    return {
        "a": left,
        "b": right,
        "assertions": items,
        "conflicts": conflicts(items),
        "predicates": dict(Counter(x["predicate"] for x in items)),
    }


# -- entity page ---------------------------------------------------------------------------


def entity(kb: KnowledgeBase, entity_id: int) -> dict[str, Any]:
    """An entity's story: names, family, leaders, relations over time, places, strength
    figures and the documents that speak of it."""
    a = AssertionRow
    with kb.session() as s:
        row = s.scalar(
            select(EntityRow)
            .options(joinedload(EntityRow.aliases), joinedload(EntityRow.parent))
            .where(EntityRow.id == entity_id)
        )
        if row is None:
            raise NotFound(f"no entity with id {entity_id}")
        factions = s.execute(
            select(EntityRow.id, EntityRow.name, EntityRow.category)
            .where(EntityRow.parent_id == entity_id)
            .order_by(EntityRow.name)
        ).all()
        rels = s.execute(
            select(
                a.id,
                a.subject_id,
                a.object_id,
                a.predicate,
                a.valid_time,
                a.valid_from,
                a.valid_to,
                a.modality,
                a.claimant,
                a.place_id,
                a.attributes,
                a.document_version_id,
                a.document_id,
                a.quote,
            )
            .where(
                or_(a.subject_id == entity_id, a.object_id == entity_id),
                a.review_status != REJECTED,
            )
            .order_by(a.valid_from.is_(None), a.valid_from, a.id)
        ).all()
        other_ids = {r.object_id if r.subject_id == entity_id else r.subject_id for r in rels}
        other_ids |= {r.place_id for r in rels if r.place_id is not None}
        others = {
            r.id: r
            for r in s.execute(
                select(EntityRow.id, EntityRow.name, EntityRow.kind, EntityRow.category).where(
                    EntityRow.id.in_(other_ids)
                )
            ).all()
        }
        doc_ids = {r.document_id for r in rels if r.document_id is not None}
        doc_rows = s.execute(
            select(
                DocumentVersionRow.document_id,
                func.max(DocumentVersionRow.id),
            )
            .where(DocumentVersionRow.document_id.in_(doc_ids))
            .group_by(DocumentVersionRow.document_id)
        ).all()
        latest = {d: v for d, v in doc_rows}
        docs = _titles(s, [*latest.values(), *(r.document_version_id for r in rels)])

        def name(i: int) -> str:
            o = others.get(i)
            return o.name if o else str(i)

        leaders, members, strength = [], [], []
        places: Counter[int] = Counter()
        timeline: dict[int, list[dict[str, Any]]] = defaultdict(list)
        doc_counts: Counter[int] = Counter()
        for r in rels:
            other = r.object_id if r.subject_id == entity_id else r.subject_id
            period = {
                "id": r.id,
                "predicate": r.predicate,
                "label": label(r.predicate),
                "group": GROUP.get(r.predicate, "other"),
                "direction": "out" if r.subject_id == entity_id else "in",
                "valid_time": r.valid_time,
                "from": r.valid_from,
                "to": r.valid_to,
                "modality": r.modality,
                "claimant": r.claimant,
            }
            if r.document_id is not None:
                doc_counts[r.document_id] += 1
            if r.place_id is not None:
                places[r.place_id] += 1
            attrs = r.attributes or {}
            if "count" in attrs:
                doc = docs.get(r.document_version_id) if r.document_version_id else None
                strength.append(
                    {
                        **period,
                        "count": attrs["count"],
                        "claimant": r.claimant,
                        "document": doc,
                        "quote": r.quote,
                    }
                )
            if r.predicate == Predicate.LEADS.value and r.object_id == entity_id:
                leaders.append({**period, "person_id": other, "person": name(other)})
            elif r.predicate == Predicate.MEMBER_OF.value and r.object_id == entity_id:
                members.append({**period, "person_id": other, "person": name(other)})
            elif r.predicate == Predicate.OPERATES_IN.value and r.subject_id == entity_id:
                places[other] += 1
            else:
                timeline[other].append(period)
        relations = [
            {
                "id": other,
                "name": name(other),
                "kind": others[other].kind if other in others else None,
                "periods": periods,
                "groups": dict(Counter(p["group"] for p in periods)),
            }
            for other, periods in timeline.items()
        ]
        relations.sort(key=lambda x: (-len(x["periods"]), x["name"].casefold()))
        mentioned = [
            {**docs[latest[d]], "assertions": n}
            for d, n in doc_counts.most_common()
            if d in latest and latest[d] in docs
        ]
        return {
            "id": row.id,
            "name": row.name,
            "kind": row.kind,
            "category": row.category,
            "note": row.note,
            "aliases": [x.alias for x in row.aliases if x.alias != row.name],
            "external_ids": dict(row.external_ids or {}),
            "parent": {"id": row.parent.id, "name": row.parent.name} if row.parent else None,
            "factions": [{"id": f.id, "name": f.name, "category": f.category} for f in factions],
            "leaders": leaders,
            "members": members,
            "relations": relations,
            "places": [
                {"id": p, "name": name(p), "assertions": n} for p, n in places.most_common()
            ],
            "strength": strength,
            "documents": mentioned,
            "counts": {"assertions": len(rels), "counterparts": len(relations)},
        }


def search(kb: KnowledgeBase, text: str, *, limit: int = 12) -> list[dict[str, Any]]:
    """Entities known by a name or alias that matches the text, with the alias that matched."""
    from factiongraph.names import name_key

    key = name_key(text)
    found = kb.search_entities(text, limit=limit)
    if not found:
        return []
    with kb.session() as s:
        aliases: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for eid, alias, akey in s.execute(
            select(AliasRow.entity_id, AliasRow.alias, AliasRow.key).where(
                AliasRow.entity_id.in_([e.id for e in found])
            )
        ).all():
            aliases[eid].append((alias, akey))
    out = []
    for e in found:
        matched = next((al for al, k in aliases[e.id] if key and key in k), None)
        out.append(
            {
                "id": e.id,
                "name": e.name,
                "kind": e.kind.value,
                "category": e.category,
                "parent": e.parent,
                "matched": matched if matched and matched != e.name else None,
            }
        )
    return out


# -- documents -----------------------------------------------------------------------------

_ACRONYM = re.compile(r"^[A-Z0-9\-]+$")


def _mention_spans(text: str, names: dict[int, set[str]]) -> list[dict[str, Any]]:
    by_alias: dict[str, int] = {}
    for eid, aliases in names.items():
        for al in aliases:
            if len(al) >= 3:
                by_alias.setdefault(al, eid)
    if not by_alias or not text:
        return []
    spans: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    exact = sorted((a for a in by_alias if _ACRONYM.match(a)), key=len, reverse=True)
    loose = sorted((a for a in by_alias if not _ACRONYM.match(a)), key=len, reverse=True)
    patterns = []
    if loose:
        patterns.append(
            (re.compile(r"(?<!\w)(" + "|".join(map(re.escape, loose)) + r")(?!\w)", re.I), True)
        )
    if exact:
        patterns.append(
            (re.compile(r"(?<!\w)(" + "|".join(map(re.escape, exact)) + r")(?!\w)"), False)
        )
    lower = {a.casefold(): e for a, e in by_alias.items()}
    for pattern, folded in patterns:
        for m in pattern.finditer(text):
            lo, hi = m.span()
            if any(lo < t_hi and t_lo < hi for t_lo, t_hi in taken):
                continue
            eid = lower[m.group(0).casefold()] if folded else by_alias[m.group(0)]
            taken.append((lo, hi))
            spans.append({"start": lo, "end": hi, "entity_id": eid})
            if len(spans) >= 5000:
                break
    spans.sort(key=lambda x: x["start"])
    return spans


def document(kb: KnowledgeBase, version_id: int) -> dict[str, Any]:
    """A document version: metadata, text (when stored), entity mentions and the evidence
    of its assertions as character spans."""
    with kb.session() as s:
        v = _version_document(s, version_id)
        rows = _assertion_rows(
            s,
            or_(
                AssertionRow.document_version_id == version_id,
                (AssertionRow.document_id == v.document_id)
                & AssertionRow.document_version_id.is_(None),
            ),
            order=[AssertionRow.span_start.is_(None), AssertionRow.span_start, AssertionRow.id],
        )
        docs = _titles(s, [version_id])
        items = [assertion_dict(r, docs) for r in rows]
        versions = s.execute(
            select(DocumentVersionRow.id, DocumentVersionRow.version)
            .where(DocumentVersionRow.document_id == v.document_id)
            .order_by(DocumentVersionRow.version)
        ).all()
        ent_ids: set[int] = set()
        for r in rows:
            ent_ids |= {r.subject_id, r.object_id}
            if r.place_id:
                ent_ids.add(r.place_id)
        names: dict[int, set[str]] = defaultdict(set)
        ent_names: dict[int, str] = {}
        if ent_ids:
            for eid, ename, alias in s.execute(
                select(EntityRow.id, EntityRow.name, AliasRow.alias)
                .join(AliasRow, AliasRow.entity_id == EntityRow.id)
                .where(EntityRow.id.in_(ent_ids))
            ).all():
                names[eid].update({ename, alias})
                ent_names[eid] = ename
        for r in rows:  # the words the extractor actually matched
            if r.subject_mention:
                names[r.subject_id].add(r.subject_mention)
            if r.object_mention:
                names[r.object_id].add(r.object_mention)
        text = v.text
        mentions = _mention_spans(text or "", names)
        for m in mentions:
            m["name"] = ent_names.get(m["entity_id"], "")
        evidence: dict[tuple[int, int], list[int]] = defaultdict(list)
        n = len(text or "")
        for r in rows:
            if (
                text
                and r.span_start is not None
                and r.span_end is not None
                and 0 <= r.span_start < r.span_end <= n
                and r.document_version_id == version_id
            ):
                evidence[(r.span_start, r.span_end)].append(r.id)
        return {
            "id": v.id,
            "key": v.document.key,
            "version": v.version,
            "versions": [{"id": i, "version": n} for i, n in versions],
            "title": v.title or v.document.key,
            "authors": list(v.authors or []),
            "published": v.published,
            "publisher": v.publisher,
            "genre": v.genre,
            "source_path": v.source_path,
            "format": v.format,
            "chars": v.chars or 0,
            "has_text": text is not None and len(text) > 0,
            "text": text,
            "mentions": mentions if text else [],
            "evidence": [
                {"start": lo, "end": hi, "assertions": ids}
                for (lo, hi), ids in sorted(evidence.items())
            ],
            "assertions": items,
        }


# -- review --------------------------------------------------------------------------------


def review_queue(
    kb: KnowledgeBase,
    *,
    limit: int = 50,
    offset: int = 0,
    document_id: int | None = None,
) -> dict[str, Any]:
    """Machine assertions nobody has judged yet, by document and position, with the counts
    of each review status and the latest decisions."""
    conds: list[Any] = [AssertionRow.review_status == "machine"]
    with kb.session() as s:
        if document_id is not None:
            conds.append(AssertionRow.document_id == _version_document(s, document_id).document_id)
        rows = s.scalars(
            select(AssertionRow)
            .options(
                joinedload(AssertionRow.subject),
                joinedload(AssertionRow.object),
                joinedload(AssertionRow.place),
            )
            .where(*conds)
            .order_by(AssertionRow.document_id, AssertionRow.span_start, AssertionRow.id)
            .limit(limit)
            .offset(offset)
        ).all()
        pending = s.scalar(select(func.count()).select_from(AssertionRow).where(*conds)) or 0
        status = dict(
            s.execute(
                select(AssertionRow.review_status, func.count()).group_by(
                    AssertionRow.review_status
                )
            ).all()
        )
        recent_ids = [
            i
            for (i,) in s.execute(
                select(AssertionRow.id)
                .join(ReviewRow, ReviewRow.fact_key == AssertionRow.fact_key)
                .where(AssertionRow.review_status != "machine")
                .order_by(ReviewRow.id.desc())
                .limit(60)
            ).all()
        ]
        recent_ids = list(dict.fromkeys(recent_ids))[:20]
        recent_rows = _assertion_rows(s, AssertionRow.id.in_(recent_ids)) if recent_ids else []
        order = {i: n for n, i in enumerate(recent_ids)}
        recent_rows = sorted(recent_rows, key=lambda r: order[r.id])
        docs = _titles(s, [r.document_version_id for r in [*rows, *recent_rows]])
        return {
            "items": [assertion_dict(r, docs) for r in rows],
            "pending": pending,
            "offset": offset,
            "limit": limit,
            "status": {k: status.get(k, 0) for k in ("machine", "accepted", "edited", "rejected")},
            "recent": [assertion_dict(r, docs) for r in recent_rows],
        }
