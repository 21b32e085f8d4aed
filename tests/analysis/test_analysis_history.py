"""Relationship history: periods merged across sources, disagreements flagged."""

from __future__ import annotations

from factiongraph.analysis.history import history, relationship_history


def test_overlapping_periods_from_two_sources_merge(build):
    # d1: cooperation 2014-2015; d2: cooperation mid-2015 to 2016 (stated the other way
    # round, B with A). They overlap in 2015, so one period 2014-01-01 .. 2016-12-31
    # resting on both sources.
    build.say("A", "cooperates_with", "B", "2014/2015", doc="d1")
    build.say("B", "cooperates_with", "A", "2015-06/2016", doc="d2")
    # d2 again: fighting in 2018, after the cooperation ended: no overlap, no dispute.
    build.say("A", "fights", "B", "2018", doc="d2")
    h = relationship_history(build.snapshot().assertions, "A", "B")
    assert h[["state", "start", "end", "n_sources", "disputed"]].values.tolist() == [
        ["cooperation", "2014-01-01", "2016-12-31", 2, False],
        ["fighting", "2018-01-01", "2018-12-31", 1, False],
    ]
    assert h.loc[0, "sources"] == ["d1", "d2"]


def test_touching_periods_merge_and_gaps_do_not(build):
    # 2014 ends 2014-12-31 and 2015 starts the next day: one period. 2017 leaves a gap.
    build.say("A", "rival_of", "B", "2014", doc="d1")
    build.say("A", "rival_of", "B", "2015", doc="d1")
    build.say("A", "rival_of", "B", "2017", doc="d1")
    h = relationship_history(build.snapshot().assertions, "A", "B")
    assert h[["start", "end"]].values.tolist() == [
        ["2014-01-01", "2015-12-31"],
        ["2017-01-01", "2017-12-31"],
    ]


def test_opposite_states_from_different_sources_are_flagged(build):
    # d1 says cooperation 2015-2016, d2 says fighting in 2016: the periods overlap in
    # 2016 and rest on different sources ({d1} against {d2}), so both are disputed.
    # Negotiation has no sign, so talks during the fighting dispute nothing.
    build.say("A", "cooperates_with", "B", "2015/2016", doc="d1")
    build.say("A", "fights", "B", "2016", doc="d2")
    build.say("A", "negotiates_with", "B", "2016-03", doc="d2")
    h = relationship_history(build.snapshot().assertions, "A", "B")
    by_state = {r["state"]: r for _, r in h.iterrows()}
    assert by_state["cooperation"]["disputed"]
    assert by_state["fighting"]["disputed"]
    assert by_state["fighting"]["disputes"] == ["cooperation 2015-01-01–2016-12-31 per d1"]
    assert not by_state["negotiation"]["disputed"]


def test_a_denial_disputes_the_period(build):
    build.say("A", "supports", "B", "2016", doc="d1")
    build.say("A", "supports", "B", doc="d2", modality="denied")
    h = relationship_history(build.snapshot().assertions, "A", "B")
    assert len(h) == 1  # the denial is not a state
    assert h.loc[0, "disputes"] == ["denied by d2"]


def test_factions_as_separate_lines_and_aliases(build):
    build.entity("Islamic State Khorasan Province", aliases=["IS-K"])
    build.entity("IS-K (F)", parent="IS-K")
    build.entity("Taliban")
    build.entity("Quetta Shura", parent="Taliban")
    build.say("IS-K", "fights", "Taliban", "2015")
    build.say("Quetta Shura", "ceasefire_with", "IS-K (F)", "2017-10")
    plain = history(build.kb, "IS-K", "Taliban")
    assert plain["line"].tolist() == ["Islamic State Khorasan Province – Taliban"]
    lines = history(build.kb, "IS-K", "Taliban", factions=True)
    assert lines[["line", "state"]].values.tolist() == [
        ["Islamic State Khorasan Province – Taliban", "fighting"],
        ["IS-K (F) – Quetta Shura", "ceasefire"],
    ]


def test_undated_claims_come_last(build):
    build.say("A", "criticizes", "B", doc="d1")
    build.say("A", "criticizes", "B", "2019", doc="d1")
    h = relationship_history(build.snapshot().assertions, "A", "B")
    assert h[["start", "end"]].values.tolist() == [["2019-01-01", "2019-12-31"], [None, None]]
