"""Explorer latency: p50/p95 of the graph-at-a-date and entity-page endpoints on a synthetic
knowledge base of 100,000 assertions over 2,000 entities (target: p95 under 100 ms).

Usage: python benchmarks/explorer.py [--assertions 100000] [--entities 2000]
                                     [--requests 200] [--db PATH] [--seed 7]

Entities and documents go through the KnowledgeBase API; the assertions are written in bulk
(one multi-row insert, with the same columns the API fills: EDTF bounds, fact keys, review
status) because adding them one by one would take minutes. With ``--db`` the store is kept
and reused on the next run. Requests go through the whole ASGI application in process, set
up as ``factiongraph serve`` sets it up (``prepare_to_serve``).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select

from factiongraph.kb import KnowledgeBase
from factiongraph.models import EntityIn, EntityKind, OrgCategory, Predicate
from factiongraph.store.schema import AssertionRow, DocumentVersionRow, EntityRow
from factiongraph.timeutil import Bounds, parse_day

ORG_PREDICATES = [
    Predicate.COOPERATES_WITH,
    Predicate.CEASEFIRE_WITH,
    Predicate.NEGOTIATES_WITH,
    Predicate.FIGHTS,
    Predicate.FIGHTS,
    Predicate.FIGHTS,
    Predicate.RIVAL_OF,
    Predicate.CRITICIZES,
    Predicate.DEFECTED_TO,
    Predicate.PLEDGED_ALLEGIANCE_TO,
    Predicate.SPLIT_FROM,
    Predicate.SUPPORTS,
]
MODALITIES = ["asserted"] * 6 + ["reported"] * 3 + ["alleged", "denied"]
CLAIMANTS = [None] * 5 + [f"source {i}" for i in range(20)]


def synthetic_time(rng: random.Random) -> str | None:
    roll = rng.random()
    year = rng.randint(2013, 2025)
    month = rng.randint(1, 12)
    if roll < 0.05:
        return None
    if roll < 0.45:
        return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
    if roll < 0.75:
        return f"{year}-{month:02d}"
    if roll < 0.85:
        return str(year)
    end = min(2025, year + rng.randint(0, 3))
    return f"{year}-{month:02d}/{end}"


def simple_bounds(when: str) -> Bounds:
    """Day bounds of the plain dates and intervals made here, as ``edtf_bounds`` gives them
    (without its general parser, which takes milliseconds a value)."""
    left, _, right = when.partition("/")
    start, end = parse_day(left), parse_day(right or left, end=True)
    return Bounds(start, end, start, end)


def build(kb: KnowledgeBase, n_assertions: int, n_entities: int, seed: int) -> None:
    rng = random.Random(seed)
    n_people = n_entities // 20
    n_places = n_entities // 20
    n_orgs = n_entities - n_people - n_places
    with kb.session() as s:
        for i in range(n_orgs):
            parent = f"Group {rng.randrange(i)}" if i > 50 and rng.random() < 0.3 else None
            kb.add_entity(
                EntityIn(
                    name=f"Group {i}",
                    category=OrgCategory.FACTION if parent else OrgCategory.ARMED_GROUP,
                    aliases=[f"G{i}", f"Front {i}"],
                    parent=parent,
                ),
                session=s,
            )
        for i in range(n_people):
            kb.add_entity(EntityIn(name=f"Person {i}", kind=EntityKind.PERSON), session=s)
        for i in range(n_places):
            kb.add_entity(EntityIn(name=f"Place {i}", kind=EntityKind.PLACE), session=s)
        for i in range(40):
            kb.add_document(
                f"Synthetic report {i}.", key=f"report-{i}", title=f"Report {i}", session=s
            )
        s.commit()
        ids = {
            kind: [i for (i,) in s.execute(select(EntityRow.id).where(EntityRow.kind == kind))]
            for kind in ("organization", "person", "place")
        }
        versions = list(
            s.execute(select(DocumentVersionRow.id, DocumentVersionRow.document_id)).all()
        )
    orgs = ids["organization"]
    weights = [1.0 / (1 + r) ** 0.8 for r in range(len(orgs))]  # a few hubs, a long tail
    rows = []
    for n in range(n_assertions):
        roll = rng.random()
        if roll < 0.04:
            subj, pred, obj = rng.choice(ids["person"]), Predicate.LEADS, rng.choice(orgs)
        elif roll < 0.08:
            subj, pred, obj = rng.choice(orgs), Predicate.OPERATES_IN, rng.choice(ids["place"])
        else:
            subj, obj = rng.choices(orgs, weights, k=2)
            if subj == obj:
                obj = rng.choice(orgs)
            pred = rng.choice(ORG_PREDICATES)
        when = synthetic_time(rng)
        bounds = simple_bounds(when) if when else None
        version, document = rng.choice(versions)
        attributes = {"count": rng.randint(50, 5000)} if rng.random() < 0.01 else {}
        rows.append(
            {
                "fact_key": hashlib.sha1(str(n).encode()).hexdigest(),
                "subject_id": subj,
                "predicate": pred.value,
                "object_id": obj,
                "valid_time": when,
                "valid_from": bounds.start if bounds else None,
                "valid_to": bounds.end if bounds else None,
                "fuzzy_from": bounds.fuzzy_start if bounds else None,
                "fuzzy_to": bounds.fuzzy_end if bounds else None,
                "attributes": attributes,
                "modality": rng.choice(MODALITIES),
                "claimant": rng.choice(CLAIMANTS),
                "confidence": 0.8,
                "document_id": document,
                "document_version_id": version,
                "span_start": 0,
                "span_end": 10,
                "quote": "Synthetic",
                "origin": "synthetic",
                "machine": True,
                "review_status": "machine" if rng.random() < 0.8 else "accepted",
            }
        )
    with kb.session() as s:
        for i in range(0, len(rows), 5000):
            s.execute(insert(AssertionRow), rows[i : i + 5000])
        s.commit()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def measure(
    client: object, urls: list[str], forget: Callable[[], None] | None = None
) -> list[float]:
    times = []
    for u in urls:
        if forget is not None:
            forget()  # time the computation, not a remembered answer
        t = time.perf_counter()
        r = client.get(u)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{u}: {r.status_code} {r.text[:200]}")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--assertions", type=int, default=100_000)
    ap.add_argument("--entities", type=int, default=2_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--db", type=Path, help="keep the synthetic store here and reuse it")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from factiongraph.web.app import create_app, prepare_to_serve

    tmp = None
    path = args.db
    if path is None:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "explorer-bench.db"
    fresh = not path.exists()
    kb = KnowledgeBase.open(str(path))
    if fresh:
        t = time.perf_counter()
        build(kb, args.assertions, args.entities, args.seed)
        print(f"built {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    counts = kb.counts()
    rng = random.Random(args.seed + 1)
    months = [f"{y}-{m:02d}" for y in range(2013, 2026) for m in range(1, 13)]
    with kb.session() as s:
        orgs = [
            i for (i,) in s.execute(select(EntityRow.id).where(EntityRow.kind == "organization"))
        ]
    graph_urls = [f"/api/graph?date={rng.choice(months)}" for _ in range(args.requests)]
    entity_urls = [f"/api/entity/{rng.choice(orgs)}" for _ in range(args.requests)]
    app = create_app(kb)
    prepare_to_serve(app)  # as ``factiongraph serve`` does
    forget = app.state.graph_cache.forget
    with TestClient(app) as client:
        measure(client, graph_urls[:5] + entity_urls[:5])  # warm up
        results = {
            "graph at a month (/api/graph?date=YYYY-MM)": measure(client, graph_urls, forget),
            "  same, month seen before (remembered)": measure(client, graph_urls),
            "entity page (/api/entity/{id})": measure(client, entity_urls),
            "graph, all dates (/api/graph)": measure(client, ["/api/graph"] * 10, forget),
            "  layout base (all dates, max_edges=3000)": measure(
                client, ["/api/graph?undated=1&max_edges=3000"] * 10, forget
            ),
        }
    print(
        f"knowledge base: {counts['assertions']:,} assertions, {counts['entities']:,} entities, "
        f"{counts['documents']} documents; {args.requests} requests each"
    )
    ok = True
    for name, times in results.items():
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        print(f"{name:48s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {max(times):7.1f} ms")
        if "all dates" not in name and "layout" not in name:
            ok &= p95 < 100
    print("target p95 < 100 ms:", "met" if ok else "NOT met")
    kb.close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
