"""The analysis commands: exact CSV for the tables, JSON shapes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import factiongraph.cli.analysis_commands  # noqa: F401  (registers the commands)
from factiongraph.cli.app import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, build) -> str:  # type: ignore[no-untyped-def]
    """The test's store with a few groups; the path handed to --db."""
    build.entity("Islamic State Khorasan Province", aliases=["IS-K", "ISKP"])
    build.entity("IS-K (F)", parent="IS-K")
    build.entity("Taliban")
    build.entity("Quetta Shura", parent="Taliban")
    build.say("Taliban", "criticizes", "IS-K", "2015", doc="d1")
    build.say("Quetta Shura", "criticizes", "IS-K (F)", "2017", doc="d2")
    build.say("TTP", "defected_to", "IS-K", "2014/2015", doc="d1", count="about 600")
    build.say("Quetta Shura", "ceasefire_with", "IS-K (F)", "2017-10", doc="d2")
    build.say("IS-K", "fights", "Taliban", "2015/2016", doc="d1")
    build.say("IS-K", "cooperates_with", "Taliban", "2015", doc="d2")
    build.say("TTP", "cooperates_with", "IS-K", "2015", doc="d1")
    build.say("TTP", "fights", "Taliban", "2015", doc="d1")
    build.say("Jamaat-ul-Ahrar", "split_from", "TTP", "2014-08", doc="d1")
    build.say("IS-K", "supports", "Taliban", doc="d3", modality="denied")
    return build.kb.url


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_matrix_csv_exact(db):
    # Taliban criticized IS-K in 2015; the Quetta Shura criticized IS-K (F), a faction of
    # IS-K, in 2017. One source each.
    assert run("matrix", "criticism", "--actor", "ISKP", "--db", db, "--csv") == (
        "group,2014,2015,2016,2017\nQuetta Shura,0,0,0,1\nTaliban,0,1,0,0\n"
    )
    assert run("matrix", "defections", "--db", db, "--csv") == (
        "group,2014,2015,2016,2017\nTTP,1,1,0,0\n"
    )
    # 2017: the Quetta Shura agreed a ceasefire with IS-K (F) and criticized it
    assert run("matrix", "factions", "--year", "2017", "--db", db, "--csv") == (
        "Islamic State Khorasan Province,Quetta Shura\nIS-K (F),ceasefire + criticism\n"
    )


def test_history_json(db):
    rows = json.loads(run("history", "IS-K", "Taliban", "--db", db, "--json"))
    states = [(r["state"], r["start"], r["end"], r["disputed"]) for r in rows]
    # cooperation in 2015 (d2) overlaps criticism 2015 and fighting 2015-2016 (both
    # d1): all three disputed
    assert states == [
        ("cooperation", "2015-01-01", "2015-12-31", True),
        ("criticism", "2015-01-01", "2015-12-31", True),
        ("fighting", "2015-01-01", "2016-12-31", True),
    ]
    lines = json.loads(run("history", "IS-K", "Taliban", "--factions", "--db", db, "--json"))
    assert {r["line"] for r in lines} == {
        "Islamic State Khorasan Province – Taliban",
        "IS-K (F) – Quetta Shura",
    }


def test_snapshot_and_balance(db):
    # 2015: IS-K and Taliban have one friendly vote (cooperation, d2) and two hostile
    # ones (fighting, criticism, d1): hostile. TTP+IS-K friendly, TTP-Taliban hostile.
    # Triangle IS-K/TTP/Taliban: (-1)(+1)(-1) = +1 balanced.
    data = json.loads(run("snapshot", "--on", "2015", "--db", db, "--json"))
    assert data["summary"]["triangles"] == 1 and data["summary"]["balanced"] == 1
    assert data["summary"]["frustration"] == 0
    signs = {(e["a"], e["b"]): e["sign"] for e in data["edges"]}
    assert signs[("Islamic State Khorasan Province", "Taliban")] == -1
    assert {len(b["members"]) for b in data["blocs"]} == {1, 2}
    csv = run("balance", "--from", "2015", "--to", "2016", "--db", db, "--csv")
    assert csv.splitlines()[0].startswith("year,nodes,edges,positive,negative,triangles")
    assert [line.split(",")[0] for line in csv.splitlines()[1:]] == ["2015", "2016"]
    # camps in 2015: {IS-K, TTP} against {Taliban}
    camps = run("balance", "--actor", "IS-K", "--from", "2015", "--to", "2015", "--db", db, "--csv")
    assert camps == "actor,2015\nTaliban,against\nTTP,with\n"


def test_flows_contested_figures_lineage(db):
    flows = json.loads(run("flows", "--actor", "IS-K", "--db", db, "--json"))
    assert [(f["source"], f["year"], f["members"]) for f in flows] == [
        ("TTP", 2014, 600.0),
        ("TTP", 2015, 600.0),
    ]
    contested = json.loads(run("contested", "--db", db, "--json"))
    # the denied support has no stated twin: nothing contested
    assert contested == []
    figures = json.loads(run("figures", "--db", db, "--json"))
    assert [(f["group"], f["measure"], f["low"]) for f in figures] == [("TTP", "defectors", 600.0)]
    by_year = run("figures", "--by-year", "--from", "2015", "--to", "2015", "--db", db, "--csv")
    assert by_year.splitlines() == [
        "year,cooperation,ceasefire,negotiation,rivalry,criticism,fighting",
        "2015,2,0,0,0,1,2",
    ]
    lineage = json.loads(run("lineage", "TTP", "--db", db, "--json"))
    assert [(r["child"], r["relation"], r["year"]) for r in lineage] == [
        ("Jamaat-ul-Ahrar", "split_from", 2014)
    ]


def test_unknown_actor_is_one_line_error(db):
    result = runner.invoke(app, ["history", "IS-K", "Nobody", "--db", db])
    assert result.exit_code == 1
    assert "no entity is known as 'Nobody'" in result.output
    result = runner.invoke(app, ["contested", "--type", "rumour", "--db", db])
    assert result.exit_code == 1 and "unknown type 'rumour'" in result.output


def test_report_command(db, tmp_path):
    out = tmp_path / "r"
    data = json.loads(run("report", "--out", str(out), "--from", "2014", "--to", "2017",
                          "--db", db, "--json"))  # fmt: skip
    assert Path(data["index"]).is_file()
    for files in data["charts"].values():
        assert Path(files["png"]).is_file() and Path(files["svg"]).is_file()
    assert data["citations"] > 0
