"""The knowledge base as a networkx graph: entities as nodes, assertions as edges."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from factiongraph.kb import KnowledgeBase
from factiongraph.models import PREDICATE_KIND, SYMMETRIC, Assertion, Entity


def build_graph(entities: Iterable[Entity], assertions: Iterable[Assertion]) -> nx.MultiDiGraph:
    """One node per entity in use, one edge per assertion, keyed ``a<id>``.

    Node attributes: name, kind, category, parent, aliases. Edge attributes: predicate,
    relation kind, symmetric flag, valid time and its day bounds, modality, claimant,
    document, quote, review status.
    """
    assertions = list(assertions)
    used = {a.subject_id for a in assertions} | {a.object_id for a in assertions}
    g = nx.MultiDiGraph()
    for e in entities:
        if e.id not in used:
            continue
        g.add_node(
            e.id,
            name=e.name,
            kind=e.kind.value,
            category=e.category,
            parent=e.parent,
            aliases=list(e.aliases),
        )
    for a in assertions:
        g.add_edge(
            a.subject_id,
            a.object_id,
            key=f"a{a.id}",
            id=a.id,
            predicate=a.predicate.value,
            relation=PREDICATE_KIND[a.predicate],
            symmetric=a.predicate in SYMMETRIC,
            valid_time=a.valid_time,
            start=a.valid_from,
            end=a.valid_to,
            time_text=a.time_text,
            place=a.place,
            modality=a.modality.value,
            claimant=a.claimant,
            confidence=a.confidence,
            document=a.document_key,
            quote=a.quote,
            review_status=a.review_status.value,
            origin=a.origin,
        )
    return g


def kb_graph(kb: KnowledgeBase, **query: object) -> nx.MultiDiGraph:
    """The graph of the assertions a ``KnowledgeBase.assertions`` query returns."""
    return build_graph(kb.entities(), kb.assertions(**query))  # type: ignore[arg-type]


def flat_attributes(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all plain strings, numbers or booleans (no None, no lists),
    as GraphML and GEXF require."""
    h = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        h.add_node(n, **_flat(data))
    for u, v, k, data in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **_flat(data))
    return h


def _flat(data: dict) -> dict:
    out = {}
    for k, v in data.items():
        if v is None:
            continue
        out[k] = "; ".join(map(str, v)) if isinstance(v, list | tuple | set) else v
    return out
