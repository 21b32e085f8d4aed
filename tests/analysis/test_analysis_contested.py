"""Contested claims: each side with its evidence and claimants."""

from __future__ import annotations

from factiongraph.analysis.contested import contested_claims


def test_asserted_and_denied_pair(build):
    build.doc("d1", title="First")
    build.doc("d2", title="Second")
    a = build.say("Taliban", "supports", "IS-K", "2016", doc="d1", quote="they gave help")
    b = build.say(
        "Taliban",
        "supports",
        "IS-K",
        doc="d2",
        modality="denied",
        claimant="spokesman",
        quote="no help at all",
    )
    c = contested_claims(build.snapshot().assertions)
    assert len(c) == 1
    row = c.iloc[0]
    assert (row["type"], row["subject"], row["predicate"], row["object"]) == (
        "denial",
        "Taliban",
        "supports",
        "IS-K",
    )
    assert (row["a_value"], row["a_sources"]) == ("denied", ["d2 (per spokesman)"])
    assert (row["b_value"], row["b_sources"]) == ("stated", ["d1"])
    assert row["a_evidence"][0]["id"] == b and row["a_evidence"][0]["quote"] == "no help at all"
    assert row["b_evidence"][0]["id"] == a and row["b_evidence"][0]["title"] == "First"


def test_denial_at_another_time_is_not_a_contradiction(build):
    build.say("A", "cooperates_with", "B", "2015", doc="d1")
    build.say("A", "cooperates_with", "B", "2019", doc="d2", modality="denied")
    assert contested_claims(build.snapshot().assertions).empty


def test_symmetric_relation_either_way_round(build):
    build.say("A", "fights", "B", "2016", doc="d1")
    build.say("B", "fights", "A", "2016", doc="d2", modality="denied")
    assert contested_claims(build.snapshot().assertions)["type"].tolist() == ["denial"]


def test_different_dates_for_one_pledge(build):
    # d1 dates the pledge to January 2015, d2 to October 2014: no overlap -> contested.
    # d3 says 2015, which overlaps d1's January 2015: d1 and d3 agree.
    build.say("TTP Orakzai", "pledged_allegiance_to", "Islamic State", "2015-01", doc="d1")
    build.say("TTP Orakzai", "pledged_allegiance_to", "Islamic State", "2014-10", doc="d2")
    build.say("TTP Orakzai", "pledged_allegiance_to", "Islamic State", "2015", doc="d3")
    c = contested_claims(build.snapshot().assertions, types=("date",))
    pairs = sorted((r["a_value"], r["b_value"]) for _, r in c.iterrows())
    assert pairs == [("2014-10", "2015"), ("2014-10", "2015-01")]


def test_leaders_death_and_figures(build):
    # Two emirs for the same months from different sources: contested.
    build.say("Hafiz Saeed Khan", "leads", "IS-K", "2015-01/2016-07", doc="d1", role="emir")
    build.say("Abdul Rauf Khadim", "leads", "IS-K", "2015-03/2015-12", doc="d2", role="emir")
    # A deputy is not a rival leader.
    build.say("Someone Else", "leads", "IS-K", "2015", doc="d3", role="deputy emir")
    # Killed by two different organizations, per two sources; and on two dates.
    build.say("Hafiz Saeed Khan", "killed_by", "United States", "2016-07", doc="d1")
    build.say("Hafiz Saeed Khan", "killed_by", "Afghan government", "2016-08", doc="d2")
    # Strength: 3,000 (d1) against 1,000-1,500 (d2) in 2016; d3's 2,500-3,500 overlaps d1.
    build.say("IS-K", "operates_in", "Nangarhar", "2016", doc="d1", count="3,000")
    build.say("IS-K", "operates_in", "Nangarhar", "2016", doc="d2", count="1,000-1,500")
    build.say("IS-K", "operates_in", "Nangarhar", "2016", doc="d3", count="2,500-3,500")
    c = contested_claims(build.snapshot().assertions)
    by_type = {t: g for t, g in c.groupby("type")}
    leader = by_type["leader"]
    assert leader[["object", "a_value", "b_value"]].values.tolist() == [
        ["IS-K", "Abdul Rauf Khadim", "Hafiz Saeed Khan"]
    ]
    killer = by_type["killer"]
    assert killer[["subject", "a_value", "b_value"]].values.tolist() == [
        ["Hafiz Saeed Khan", "Afghan government", "United States"]
    ]
    assert "date" not in by_type  # different killers, so each date stands alone
    figure = by_type["figure"]
    # 1,000-1,500 clashes with 3,000 and with 2,500-3,500; 3,000 and 2,500-3,500 agree.
    assert sorted(map(tuple, figure[["a_value", "b_value"]].values.tolist())) == [
        ("1,000-1,500", "2,500-3,500"),
        ("1,000-1,500", "3,000"),
    ]


def test_one_source_contradicting_itself_is_left_out(build):
    build.say("A", "supports", "B", "2016", doc="d1")
    build.say("A", "supports", "B", "2016", doc="d1", modality="denied")
    assert contested_claims(build.snapshot().assertions).empty
