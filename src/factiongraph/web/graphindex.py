"""An in-memory, column-wise copy of the relations between organizations, for the network.

Moving the time slider asks for the graph of one month after another. Rather than scanning
the assertions table for each request, the explorer keeps the few columns the network needs
in numpy arrays, filters them with vector masks and groups them by (subject, object,
predicate, modality). The copy is rebuilt when the store changes: a cheap signature (largest
ids and row counts) is compared on every request.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from factiongraph.kb import KnowledgeBase
from factiongraph.models import Modality
from factiongraph.store.schema import (
    AliasRow,
    AssertionRow,
    DocumentVersionRow,
    EntityRow,
    ReviewRow,
)

ORG = "organization"
OPEN_START = -(2**31)
OPEN_END = 2**31 - 1
MODALITIES = [m.value for m in Modality]


def signature(kb: KnowledgeBase) -> tuple[Any, ...]:
    """Changes whenever assertions, reviews, entities, aliases or documents change."""
    with kb.session() as s:
        row = s.execute(
            select(
                select(func.max(AssertionRow.id)).scalar_subquery(),
                select(func.count()).select_from(AssertionRow).scalar_subquery(),
                select(func.max(ReviewRow.id)).scalar_subquery(),
                select(func.max(EntityRow.id)).scalar_subquery(),
                select(func.max(AliasRow.id)).scalar_subquery(),
                select(func.max(DocumentVersionRow.id)).scalar_subquery(),
            )
        ).one()
    return tuple(row)


def _day(value: str | None, default: int) -> int:
    if not value:
        return default
    return dt.date.fromisoformat(value).toordinal()


@lru_cache(maxsize=65536)
def day_text(ordinal: int) -> str | None:
    if ordinal in (OPEN_START, OPEN_END):
        return None
    return dt.date.fromordinal(ordinal).isoformat()


@dataclass
class Org:
    id: int
    name: str
    category: str | None
    parent_id: int | None


class GraphIndex:
    """Column arrays of every non-rejected assertion between two organizations."""

    def __init__(self, kb: KnowledgeBase, predicates: tuple[str, ...]) -> None:
        import numpy as np

        self.predicates = list(predicates)
        subj, obj = aliased(EntityRow), aliased(EntityRow)
        a = AssertionRow
        with kb.session() as s:
            rows = s.execute(
                select(
                    a.id,
                    a.subject_id,
                    a.object_id,
                    a.predicate,
                    a.modality,
                    a.valid_time.is_(None),
                    a.valid_from,
                    a.valid_to,
                    func.lower(a.claimant),
                    a.document_id,
                )
                .join(subj, subj.id == a.subject_id)
                .join(obj, obj.id == a.object_id)
                .where(
                    subj.kind == ORG,
                    obj.kind == ORG,
                    a.review_status != "rejected",
                    a.predicate.in_(self.predicates),
                )
            ).all()
            self.orgs = {
                r.id: Org(r.id, r.name, r.category, r.parent_id)
                for r in s.execute(
                    select(
                        EntityRow.id, EntityRow.name, EntityRow.category, EntityRow.parent_id
                    ).where(EntityRow.kind == ORG)
                ).all()
            }
        pred_code = {p: i for i, p in enumerate(self.predicates)}
        mod_code = {m: i for i, m in enumerate(MODALITIES)}
        self.claimants: dict[str, int] = {}
        n = len(rows)
        self.id = np.empty(n, dtype=np.int64)
        self.s = np.empty(n, dtype=np.int64)
        self.o = np.empty(n, dtype=np.int64)
        self.p = np.empty(n, dtype=np.int8)
        self.m = np.empty(n, dtype=np.int8)
        self.undated = np.empty(n, dtype=bool)
        self.lo = np.empty(n, dtype=np.int64)
        self.hi = np.empty(n, dtype=np.int64)
        self.claimant = np.empty(n, dtype=np.int32)
        self.doc = np.empty(n, dtype=np.int64)
        for i, (aid, sid, oid, pred, mod, undated, lo, hi, claimant, doc) in enumerate(rows):
            self.id[i] = aid
            self.s[i] = sid
            self.o[i] = oid
            self.p[i] = pred_code[pred]
            self.m[i] = mod_code.get(mod, 0)
            self.undated[i] = bool(undated)
            self.lo[i] = _day(lo, OPEN_START)
            self.hi[i] = _day(hi, OPEN_END)
            self.claimant[i] = (
                self.claimants.setdefault(claimant, len(self.claimants) + 1) if claimant else 0
            )
            self.doc[i] = doc if doc is not None else -1
        max_id = max(self.orgs, default=0) + 1
        self.top = np.arange(max_id, dtype=np.int64)
        for oid in self.orgs:
            self.top[oid] = self._top(oid)

    def _top(self, i: int) -> int:
        seen = {i}
        while (p := self.orgs[i].parent_id) is not None and p in self.orgs and p not in seen:
            seen.add(p)
            i = p
        return i

    def select(
        self,
        *,
        start: str | None,
        end: str | None,
        predicates: list[str],
        modalities: list[str],
        claimant: str | None,
        document_id: int | None,
        include_undated: bool,
        collapse: bool,
        symmetric: frozenset[str],
    ) -> list[tuple[int, int, str, str, int, int, int, int]]:
        """Groups of (subject, object, predicate, modality, count, first day, last day,
        smallest assertion id) for the assertions that pass the filters."""
        import numpy as np

        wanted = np.zeros(len(self.predicates), dtype=bool)
        for p in predicates:
            if p in self.predicates:
                wanted[self.predicates.index(p)] = True
        mask = wanted[self.p]
        if modalities:
            mods = np.zeros(len(MODALITIES), dtype=bool)
            for m in modalities:
                mods[MODALITIES.index(m)] = True
            mask &= mods[self.m]
        if start is not None or end is not None:
            timed = ~self.undated
            if end is not None:
                timed &= self.lo <= _day(end, OPEN_END)
            if start is not None:
                timed &= self.hi >= _day(start, OPEN_START)
            mask &= (timed | self.undated) if include_undated else timed
        if claimant:
            code = self.claimants.get(claimant.strip().lower(), -1)
            mask &= self.claimant == code
        if document_id is not None:
            mask &= self.doc == document_id
        idx = np.nonzero(mask)[0]
        if idx.size == 0:
            return []
        s, o = self.s[idx], self.o[idx]
        if collapse:
            s, o = self.top[s], self.top[o]
            keep = s != o
            idx, s, o = idx[keep], s[keep], o[keep]
            if idx.size == 0:
                return []
        p, m = self.p[idx], self.m[idx]
        sym = np.array([x in symmetric for x in self.predicates], dtype=bool)[p]
        lo_end = np.where(sym, np.minimum(s, o), s)
        hi_end = np.where(sym, np.maximum(s, o), o)
        order = np.lexsort((m, p, hi_end, lo_end))
        ks, ko, kp, km = lo_end[order], hi_end[order], p[order], m[order]
        change = np.ones(order.size, dtype=bool)
        change[1:] = (ks[1:] != ks[:-1]) | (ko[1:] != ko[:-1]) | (kp[1:] != kp[:-1])
        change[1:] |= km[1:] != km[:-1]
        starts = np.nonzero(change)[0]
        counts = np.diff(np.append(starts, order.size))
        first = np.minimum.reduceat(self.lo[idx][order], starts)
        last = np.maximum.reduceat(self.hi[idx][order], starts)
        sample = np.minimum.reduceat(self.id[idx][order], starts)
        return [
            (
                int(ks[j]),
                int(ko[j]),
                self.predicates[int(kp[j])],
                MODALITIES[int(km[j])],
                int(counts[n]),
                int(first[n]),
                int(last[n]),
                int(sample[n]),
            )
            for n, j in enumerate(starts)
        ]


class GraphCache:
    """The graph index of a knowledge base, rebuilt when the store's signature changes, and
    the last graphs computed from it (slider moves often come back to the same month)."""

    def __init__(self, kb: KnowledgeBase, predicates: tuple[str, ...]) -> None:
        self.kb = kb
        self.predicates = predicates
        self._lock = threading.Lock()
        self._index: GraphIndex | None = None
        self._signature: tuple[Any, ...] | None = None
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self.memo_size = 256

    def get(self) -> GraphIndex:
        sig = signature(self.kb)
        with self._lock:
            if self._index is None or sig != self._signature:
                self._index = GraphIndex(self.kb, self.predicates)
                self._signature = sig
                self._memo.clear()
            return self._index

    def remembered(self, key: Hashable) -> Any | None:
        """A result stored under ``key`` since the store last changed (call after ``get``)."""
        with self._lock:
            value = self._memo.get(key)
            if value is not None:
                self._memo.move_to_end(key)
            return value

    def remember(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > self.memo_size:
                self._memo.popitem(last=False)

    def forget(self) -> None:
        """Drop remembered results (the index stays)."""
        with self._lock:
            self._memo.clear()

    def invalidate(self) -> None:
        with self._lock:
            self._index = None
            self._memo.clear()
