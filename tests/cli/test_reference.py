from pathlib import Path

from factiongraph.cli.reference import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is out of date: python -m factiongraph.cli.reference > docs/cli.md"
    )


def test_reference_names_the_core_commands() -> None:
    text = render()
    for name in ("ingest", "entities", "show", "relations", "add", "review", "export", "serve"):
        assert f"## factiongraph {name}\n" in text
