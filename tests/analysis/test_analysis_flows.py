"""Defection flows: reports, per-year flows with figures and names, and the matrix."""

from __future__ import annotations

from factiongraph.analysis.flows import defection_flows, defection_reports, flow_matrix, flows


def test_flow_matrix_by_hand(build):
    # Reports (loser -> gainer):
    #   TTP -> IS-K       2014 (d1), 2015 (d2), 2015 (d3)  -> 3 reports
    #   Taliban -> IS-K   2015 (d1)                       -> 1
    #   IS-K -> Taliban   2016 (d2)                       -> 1
    #   IMU -> IS-K       2015 (d1)                       -> 1
    # Matrix of reports (rows lose, columns gain):
    #            IS-K  Taliban
    #   IMU        1      0
    #   IS-K       0      1
    #   TTP        3      0
    #   Taliban    1      0
    build.say("TTP", "defected_to", "IS-K", "2014", doc="d1")
    build.say("TTP", "defected_to", "IS-K", "2015", doc="d2", count="about 600")
    build.say("TTP", "defected_to", "IS-K", "2015", doc="d3", count=400)
    build.say("Taliban", "defected_to", "IS-K", "2015", doc="d1", agent="Abdul Rauf Khadim")
    build.say("IS-K", "defected_to", "Taliban", "2016", doc="d2")
    build.say("IMU", "defected_to", "IS-K", "2015", doc="d1", count="hundreds")
    reports = defection_reports(build.snapshot().assertions)
    m = flow_matrix(reports)
    assert m.loc["TTP", "IS-K"] == 3
    assert m.loc["IMU", "IS-K"] == 1
    assert m.loc["IS-K", "Taliban"] == 1
    assert m.loc["Taliban", "IS-K"] == 1
    assert int(m.values.sum()) == 6
    # Per year: TTP -> IS-K 2015 has two reports; members = the larger figure (600), not
    # 600 + 400, since both sources may describe the same people.
    f = defection_flows(reports)
    row = f[(f["source"] == "TTP") & (f["year"] == 2015)].iloc[0]
    assert (row["reports"], row["members"], row["sources"]) == (2, 600.0, ["d2", "d3"])
    khadim = f[f["source"] == "Taliban"].iloc[0]
    assert khadim["people"] == ["Abdul Rauf Khadim"] and khadim["members"] is None
    # Members matrix: TTP->IS-K 2014 none (0) + 2015 600 = 600; IMU "hundreds" -> 200.
    mm = flow_matrix(reports, value="members")
    assert mm.loc["TTP", "IS-K"] == 600 and mm.loc["IMU", "IS-K"] == 200


def test_multi_year_report_counts_in_each_year(build):
    build.say("Haqqani Network", "defected_to", "IS-K", "2014/2016", doc="d1")
    f = defection_flows(defection_reports(build.snapshot().assertions))
    assert f["year"].tolist() == [2014, 2015, 2016]
    assert f["reports"].tolist() == [1, 1, 1]


def test_flows_around_an_actor_include_its_factions(build):
    build.entity("Islamic State Khorasan Province", aliases=["IS-K"])
    build.entity("IS-K (F)", parent="IS-K")
    build.say("Peshawar Shura", "defected_to", "IS-K (F)", "2017", doc="d1")
    build.say("TTP", "defected_to", "Jamaat-ul-Ahrar", "2014", doc="d1")
    build.say("TTP", "defected_to", "IS-K", "2015", doc="d1", modality="denied")
    f = flows(build.snapshot(), "IS-K")
    assert f[["source", "target", "year"]].values.tolist() == [["Peshawar Shura", "IS-K (F)", 2017]]
