"""GEXF: the relation graph with time intervals on edges, so Gephi's timeline can play it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from factiongraph.graph import flat_attributes, kb_graph
from factiongraph.kb import KnowledgeBase


def write_gexf(kb: KnowledgeBase, path: Path, **query: Any) -> nx.MultiDiGraph:
    """Write a dynamic GEXF graph: each edge spans its valid days (open ends left open)."""
    g = flat_attributes(kb_graph(kb, **query))
    g.graph["mode"] = "dynamic"
    for _, _, data in g.edges(data=True):
        data["label"] = data.get("predicate", "")
    for _, data in g.nodes(data=True):
        data["label"] = data.get("name", "")
    nx.write_gexf(g, path)
    return g


def read_gexf(path: Path) -> nx.Graph:
    return nx.read_gexf(path)
