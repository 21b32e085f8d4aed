"""Lineage: which components formed a group, which groups split from another."""

from __future__ import annotations

from factiongraph.analysis.lineage import (
    formed_from,
    lineage_graph,
    lineage_of,
    lineage_table,
    splits_from,
)


def test_components_and_splits(build):
    build.entity("Islamic State Khorasan Province", aliases=["IS-K"])
    build.entity("IS-K (F)", parent="IS-K")
    build.say("Tehrik-e Khilafat Pakistan", "split_from", "TTP", "2014-10", doc="d1")
    build.say("Jamaat-ul-Ahrar", "split_from", "TTP", "2014-08", doc="d1")
    build.say("Tehrik-e Khilafat Pakistan", "part_of", "IS-K", "2015-01", doc="d1")
    build.say("Tehrik-e Khilafat Pakistan", "part_of", "IS-K", "2015", doc="d2")
    build.say("Khilafat Afghan", "part_of", "IS-K", "2015", doc="d2")
    build.say("IMU", "pledged_allegiance_to", "IS-K", "2015-08", doc="d2")
    build.say("Jamaat Ansarullah", "part_of", "IS-K", "2017", doc="d2")
    build.say("Haqqani Network", "part_of", "IS-K", "2016", doc="d3", modality="denied")
    snap = build.snapshot()
    g = lineage_graph(snap.assertions, snap.entities)
    isk = "Islamic State Khorasan Province"
    # Formed by 2015: TKP (two sources, earliest year 2015), Khilafat Afghan, IMU's pledge,
    # and the faction IS-K (F) from the entity table (undated, so kept). Not Jamaat
    # Ansarullah (2017), not the Haqqani Network (denied).
    f = formed_from(g, isk, year=2015)
    assert sorted(f["child"]) == [
        "IMU", "IS-K (F)", "Khilafat Afghan", "Tehrik-e Khilafat Pakistan",
    ]  # fmt: skip
    tkp = f[f["child"] == "Tehrik-e Khilafat Pakistan"].iloc[0]
    assert (tkp["relation"], tkp["year"], tkp["sources"]) == ("part_of", 2015, ["d1", "d2"])
    assert "Jamaat Ansarullah" in formed_from(g, isk)["child"].tolist()
    s = splits_from(g, "TTP")
    assert s[["child", "year"]].values.tolist() == [
        ["Jamaat-ul-Ahrar", 2014],
        ["Tehrik-e Khilafat Pakistan", 2014],
    ]
    # Within one tie of TTP: TTP and its two splinters; two ties add IS-K.
    assert sorted(lineage_of(g, "TTP", radius=1)) == [
        "Jamaat-ul-Ahrar", "TTP", "Tehrik-e Khilafat Pakistan",
    ]  # fmt: skip
    assert isk in lineage_of(g, "TTP", radius=2)
    table = lineage_table(g)
    assert table["year"].tolist()[0] == 2014 and table["year"].tolist()[-1] is None
