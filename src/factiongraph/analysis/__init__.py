"""Analyses that turn sourced assertions into answers, one topic a module.

Every analysis is a plain function over the tables of a
:class:`~factiongraph.analysis.snapshot.Snapshot` (or a graph built from them), so it can
be run on a table made by hand; :func:`~factiongraph.analysis.snapshot.snapshot` reads
one from a knowledge base.

========================  ===========================================================
module                    question
========================  ===========================================================
``snapshot``              the assertions, entities and documents as tables
``history``               how the relationship between two actors evolved
``balance``               who sided with whom at a date: signed graph, balance, blocs,
                          brokers
``flows``                 who lost members to whom, by year
``contested``             which claims the sources disagree on
``figures``               which figures the sources give; active relations per year
``lineage``               splits, mergers, factions and pledges as a family tree
``matrices``              year-by-group and faction-by-faction tables
``charts``                matplotlib charts of the above (imported on demand)
========================  ===========================================================
"""

from factiongraph.analysis.balance import (
    alignment_over_time,
    balance_over_time,
    balance_summary,
    brokers,
    frustration_index,
    signed_blocs,
    signed_graph,
    triangle_balance,
)
from factiongraph.analysis.contested import contested_claims
from factiongraph.analysis.figures import figures, relations_by_year, strength_estimates
from factiongraph.analysis.flows import defection_flows, defection_reports, flow_matrix
from factiongraph.analysis.history import relationship_history
from factiongraph.analysis.lineage import formed_from, lineage_graph, lineage_of, splits_from
from factiongraph.analysis.matrices import criticism_matrix, defection_matrix, faction_matrix
from factiongraph.analysis.snapshot import Snapshot, assertions_frame, snapshot

__all__ = [
    "Snapshot",
    "alignment_over_time",
    "assertions_frame",
    "balance_over_time",
    "balance_summary",
    "brokers",
    "contested_claims",
    "criticism_matrix",
    "defection_flows",
    "defection_matrix",
    "defection_reports",
    "faction_matrix",
    "figures",
    "flow_matrix",
    "formed_from",
    "frustration_index",
    "lineage_graph",
    "lineage_of",
    "relations_by_year",
    "relationship_history",
    "signed_blocs",
    "signed_graph",
    "snapshot",
    "splits_from",
    "strength_estimates",
    "triangle_balance",
]
