"""The snapshot tables every analysis reads."""

from __future__ import annotations

import pytest

from factiongraph.analysis.snapshot import (
    ASSERTION_COLUMNS,
    held_during,
    parse_count,
    source_label,
    years_covered,
)


def test_snapshot_joins_entities_documents_and_keeps_denials(build):
    build.entity("Islamic State Khorasan Province", aliases=["IS-K", "ISKP"])
    build.entity("IS-K (F)", parent="IS-K")
    build.doc("d1", title="A report")
    build.say("IS-K (F)", "fights", "Taliban", "2017-10", doc="d1")
    build.say("IS-K", "cooperates_with", "Taliban", doc="d1", modality="denied")
    snap = build.snapshot()
    f = snap.assertions
    assert list(f.columns) == ASSERTION_COLUMNS
    assert len(f) == 2  # the denial stays: contested claims need it
    row = f[f["predicate"] == "fights"].iloc[0]
    assert row["subject_parent"] == "Islamic State Khorasan Province"
    assert (row["start"], row["end"]) == ("2017-10-01", "2017-10-31")
    assert row["sign"] == -1 and row["kind"] == "fighting"
    assert row["title"] == "A report" and row["source"] == "d1"
    undated = f[f["predicate"] == "cooperates_with"].iloc[0]
    assert undated["start"] is None and undated["end"] is None  # None, never NaN
    assert snap.resolve("iskp") == "Islamic State Khorasan Province"
    assert snap.factions("ISKP") == ["IS-K (F)"]


def test_rejected_assertions_never_count(build):
    keep = build.say("A", "fights", "B", "2016")
    drop = build.say("A", "cooperates_with", "B", "2016")
    build.kb.review(drop, "rejected")
    ids = build.snapshot().assertions["id"].tolist()
    assert ids == [keep]


def test_time_window_and_alleged_filter(build):
    from factiongraph.analysis.snapshot import snapshot

    build.say("A", "fights", "B", "2014")
    build.say("A", "fights", "C", "2018", modality="alleged")
    build.say("A", "fights", "D")
    assert snapshot(build.kb, on="2018").assertions["object"].tolist() == ["C"]
    assert snapshot(build.kb, include_alleged=False).assertions["object"].tolist() == ["B", "D"]


def test_source_label_names_the_claimant():
    assert source_label("d1", None) == "d1"
    assert source_label("d1", "UN") == "d1 (per UN)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (650, (650.0, 650.0)),
        ("1,500-2,000", (1500.0, 2000.0)),
        ("about 600", (600.0, 600.0)),
        ("at least 1,000", (1000.0, 1000.0)),
        ("3k", (3000.0, 3000.0)),
        ("hundreds", (200.0, 999.0)),
        ("a few", None),
        (None, None),
    ],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


def test_held_during_treats_open_ends_as_ongoing(build):
    build.say("A", "fights", "B", "2014/..")
    build.say("A", "fights", "C", "2014")
    build.say("A", "fights", "D")
    f = build.snapshot().assertions
    assert held_during(f, "2020")["object"].tolist() == ["B"]
    assert sorted(held_during(f, "2014-06")["object"]) == ["B", "C"]
    assert years_covered("2014-01-01", None, open_until=2016) == [2014, 2015, 2016]
