"""Figures the sources give, and active relations by kind per year."""

from __future__ import annotations

from factiongraph.analysis.figures import figures, relations_by_year, strength_estimates


def test_strength_estimates_by_claimant(build):
    build.say("IS-K", "operates_in", "Nangarhar", "2016", doc="d1", count="3,000")
    build.say("IS-K", "operates_in", "Kunar", "2017", doc="d2", claimant="UN", count="45-50")
    build.say("TTP", "defected_to", "IS-K", "2015", doc="d1", count="about 600")
    build.say("IS-K", "operates_in", "Kunar", "2018", doc="d2", count="many")  # no number
    f = figures(build.snapshot().assertions)
    assert f[["group", "measure", "year", "low", "high"]].values.tolist() == [
        ["IS-K", "strength", 2016, 3000.0, 3000.0],
        ["IS-K", "strength", 2017, 45.0, 50.0],
        ["TTP", "defectors", 2015, 600.0, 600.0],
    ]
    s = strength_estimates(build.snapshot().assertions, "IS-K")
    assert s["source"].tolist() == ["d1", "d2 (per UN)"]
    assert s["claimant"].tolist() == [None, "UN"]


def test_relations_by_year_counts_pairs_once(build):
    # 2015: A-B fighting (two sources, one pair), A-C rivalry.
    # 2016: A-B fighting (the 2015/2016 report), A-B ceasefire, D criticizes A.
    # 2017: nothing dated; the undated cooperation counts in no year.
    build.say("A", "fights", "B", "2015/2016", doc="d1")
    build.say("B", "fights", "A", "2015", doc="d2")
    build.say("A", "rival_of", "C", "2015", doc="d1")
    build.say("A", "ceasefire_with", "B", "2016-10", doc="d1")
    build.say("D", "criticizes", "A", "2016", doc="d1")
    build.say("A", "cooperates_with", "E", doc="d1")
    build.say("A", "fights", "E", "2016", doc="d1", modality="denied")
    t = relations_by_year(build.snapshot().assertions, range(2015, 2018))
    assert t.loc[2015].to_dict() == {
        "cooperation": 0, "ceasefire": 0, "negotiation": 0,
        "rivalry": 1, "criticism": 0, "fighting": 1,
    }  # fmt: skip
    assert t.loc[2016, "fighting"] == 1 and t.loc[2016, "ceasefire"] == 1
    assert t.loc[2016, "criticism"] == 1
    assert int(t.loc[2017].sum()) == 0
    only_c = relations_by_year(build.snapshot().assertions, [2015], actor="C")
    assert only_c.loc[2015, "rivalry"] == 1 and only_c.loc[2015, "fighting"] == 0
