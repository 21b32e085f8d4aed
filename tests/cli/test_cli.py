"""The command line: each read command's JSON, the write commands, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import factiongraph.cli.kb_commands  # noqa: F401  (registers the commands)
from factiongraph.cli.app import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "one.txt").write_text("Alpha Front clashed with Beta Movement.\n", encoding="utf-8")
    (folder / "two.txt").write_text("Beta Movement backed Gamma.\n", encoding="utf-8")
    path = str(tmp_path / "kb.db")
    result = runner.invoke(app, ["ingest", str(folder), "--db", path, "--no-extract"])
    assert result.exit_code == 0, result.output
    for args in (
        ["Alpha Front", "fights", "Beta Movement", "--when", "2016", "--document", "one.txt",
         "--start", "0", "--end", "38"],
        ["Beta Movement", "supports", "Gamma", "--when", "2018-05", "--modality", "alleged",
         "--claimant", "local officials"],
    ):  # fmt: skip
        r = runner.invoke(app, ["add", *args, "--db", path])
        assert r.exit_code == 0, r.output
    return path


def run_json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_again_says_nothing_to_store(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "docs"), "--db", db, "--no-extract"])
    assert result.exit_code == 0
    assert "nothing to store: 2 document(s) already stored unchanged" in result.stdout


def test_ingest_reports_bad_files_and_exits_non_zero(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(bad), str(tmp_path / "nope.pdf"), "--db", db])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "empty" in result.output
    assert "nope.pdf" in result.output


def test_documents_lists_versions(db: str) -> None:
    docs = run_json("documents", "--db", db)
    assert [(d["key"], d["version"]) for d in docs] == [("one.txt", 1), ("two.txt", 1)]


def test_entities_and_search(db: str) -> None:
    names = {e["name"] for e in run_json("entities", "--db", db)}
    assert names == {"Alpha Front", "Beta Movement", "Gamma"}
    assert [e["name"] for e in run_json("entities", "beta", "--db", db)] == ["Beta Movement"]


def test_show_gives_assertions_with_evidence(db: str) -> None:
    data = run_json("show", "alpha front", "--db", db)
    assert data["entity"]["name"] == "Alpha Front"
    (a,) = data["assertions"]
    assert a["quote"] == "Alpha Front clashed with Beta Movement"


def test_relations_filters(db: str) -> None:
    assert len(run_json("relations", "--db", db)) == 2
    assert len(run_json("relations", "--actor", "Gamma", "--db", db)) == 1
    assert len(run_json("relations", "--on", "2016-06-01", "--db", db)) == 1
    assert len(run_json("relations", "--from", "2017", "--to", "2019", "--db", db)) == 1
    assert len(run_json("relations", "--modality", "alleged", "--db", db)) == 1
    pair = run_json("relations", "--between", "Beta Movement", "Alpha Front", "--db", db)
    assert [a["predicate"] for a in pair] == ["fights"]


def test_review_and_export(db: str, tmp_path: Path) -> None:
    (a,) = run_json("relations", "--predicate", "fights", "--db", db)
    r = runner.invoke(app, ["review", str(a["id"]), "reject", "--db", db])
    assert r.exit_code == 0 and "rejected" in r.stdout
    assert run_json("relations", "--predicate", "fights", "--db", db) == []
    out = tmp_path / "facts.jsonl"
    r = runner.invoke(app, ["export", "--format", "facts", "-o", str(out), "--db", db])
    assert r.exit_code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["predicate"] for row in rows] == ["supports"]
    r = runner.invoke(
        app, ["export", "--format", "gexf", "-o", str(tmp_path / "g.gexf"), "--db", db]
    )
    assert r.exit_code == 0 and (tmp_path / "g.gexf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "Delta"], "no entity is known as 'Delta'"),
        (["relations", "--on", "last summer"], "not a date"),
        (["relations", "--predicate", "likes"], "unknown predicate 'likes'"),
        (["add", "A", "likes", "B"], "predicate"),
        (["add", "A", "fights", "B", "--when", "late 2014"], "valid_time"),
        (["review", "999", "accept"], "no assertion with id 999"),
        (["review", "1", "maybe"], "unknown decision"),
        (["export", "--format", "pdf"], "unknown format"),
    ],
)
def test_errors_are_one_line(db: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and message in lines[0]
