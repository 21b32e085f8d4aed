"""GraphML: the relation graph for Gephi, Cytoscape desktop, yEd or networkx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from factiongraph.graph import flat_attributes, kb_graph
from factiongraph.kb import KnowledgeBase


def write_graphml(kb: KnowledgeBase, path: Path, **query: Any) -> nx.MultiDiGraph:
    """Write the graph of the queried assertions; ``start``/``end`` edge attributes hold each
    relation's first and last day (absent when open or unknown)."""
    g = flat_attributes(kb_graph(kb, **query))
    nx.write_graphml(g, path)
    return g


def read_graphml(path: Path) -> nx.MultiDiGraph:
    return nx.read_graphml(path, force_multigraph=True)
