"""The published tables: criticism and defection matrices, faction-by-shura states."""

from __future__ import annotations

from factiongraph.analysis.matrices import criticism_matrix, defection_matrix, faction_matrix


def _world(build):
    build.entity("Islamic State Khorasan Province", aliases=["IS-K"])
    build.entity("IS-K (F)", parent="IS-K")
    build.entity("IS-K (M)", parent="IS-K")
    build.entity("Taliban")
    build.entity("Quetta Shura", parent="Taliban")
    build.entity("Peshawar Shura", parent="Taliban")


def test_criticism_matrix(build):
    _world(build)
    # Taliban criticize IS-K in 2015 (d1) and 2015-2016 (d2); Quetta Shura criticizes
    # IS-K (M), a faction, in 2017; al-Qaeda in 2014. IS-K (F) criticizing IS-K (M) is
    # internal and left out; a denied criticism counts nowhere.
    #            2014 2015 2016 2017
    # al-Qaeda      1    0    0    0
    # Quetta Sh.    0    0    0    1
    # Taliban       0    2    1    0
    build.say("Taliban", "criticizes", "IS-K", "2015", doc="d1")
    build.say("Taliban", "criticizes", "IS-K", "2015/2016", doc="d2")
    build.say("Quetta Shura", "criticizes", "IS-K (M)", "2017", doc="d1")
    build.say("al-Qaeda", "criticizes", "IS-K", "2014", doc="d1")
    build.say("IS-K (F)", "criticizes", "IS-K (M)", "2017", doc="d1")
    build.say("Haqqani Network", "criticizes", "IS-K", "2016", doc="d1", modality="denied")
    snap = build.snapshot()
    m = criticism_matrix(snap.assertions, snap.resolve("IS-K"), range(2014, 2018),
                         entities=snap.entities)  # fmt: skip
    assert m.index.tolist() == ["al-Qaeda", "Quetta Shura", "Taliban"]
    assert m.values.tolist() == [[1, 0, 0, 0], [0, 0, 0, 1], [0, 2, 1, 0]]


def test_defection_matrix(build):
    _world(build)
    # TTP lost members to IS-K over 2014-2016 (d1) and again in 2017 to IS-K (F) (d2);
    # Peshawar Shura in 2017 (d1, d2: two sources); IS-K losing to Taliban is the other
    # way round and not listed.
    build.say("TTP", "defected_to", "IS-K", "2014/2016", doc="d1")
    build.say("TTP", "defected_to", "IS-K (F)", "2017", doc="d2")
    build.say("Peshawar Shura", "defected_to", "IS-K (F)", "2017", doc="d1")
    build.say("Peshawar Shura", "defected_to", "IS-K", "2017", doc="d2")
    build.say("IS-K", "defected_to", "Taliban", "2016", doc="d1")
    snap = build.snapshot()
    m = defection_matrix(snap.assertions, snap.resolve("IS-K"), range(2014, 2018),
                         entities=snap.entities)  # fmt: skip
    assert m.to_dict("index") == {
        "Peshawar Shura": {2014: 0, 2015: 0, 2016: 0, 2017: 2},
        "TTP": {2014: 1, 2015: 1, 2016: 1, 2017: 1},
    }


def test_faction_matrix(build):
    _world(build)
    # 2017: IS-K (F) and Quetta Shura negotiate, agree a ceasefire and fight again;
    # IS-K (M) fights Peshawar Shura only in 2016, so its 2017 row is empty.
    build.say("Quetta Shura", "negotiates_with", "IS-K (F)", "2017-10", doc="d1")
    build.say("Quetta Shura", "ceasefire_with", "IS-K (F)", "2017-10-18", doc="d1")
    build.say("IS-K (F)", "fights", "Quetta Shura", "2017-11", doc="d2")
    build.say("IS-K (M)", "fights", "Peshawar Shura", "2016", doc="d1")
    snap = build.snapshot()
    m = faction_matrix(snap.assertions, snap.resolve("IS-K"), "Taliban", 2017,
                       entities=snap.entities)  # fmt: skip
    assert m.index.tolist() == ["IS-K (F)", "IS-K (M)"]
    assert m.columns.tolist() == ["Peshawar Shura", "Quetta Shura"]
    assert m.values.tolist() == [["", "ceasefire + negotiation + fighting"], ["", ""]]
    m16 = faction_matrix(snap.assertions, snap.resolve("IS-K"), "Taliban", 2016,
                         entities=snap.entities)  # fmt: skip
    assert m16.loc["IS-K (M)", "Peshawar Shura"] == "fighting"
