"""The bundled data set: built from a corpus plus decisions, shipped without text, reloaded."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import yaml

from factiongraph.bundled import DATASET, build_dataset, open_bundled, read_dataset
from factiongraph.extract.records import AssertionRecord, EntityRecord, Extraction
from factiongraph.ingest import ingest
from factiongraph.models import EntityKind

PATTERN = re.compile(r"(?P<s>[A-Z]\w+) (?P<p>fights|backs) (?P<o>[A-Z]\w+)")
TEXT_A = "Alpha fights Beta near the river. Later Gamma backs Alpha.\n"
TEXT_B = "Delta fights Gamma.\n"


class PatternExtractor:
    def pipe(self, items: Iterable[tuple[str, dict]], workers: int = 1) -> Iterator[Extraction]:
        for text, _ in items:
            ents, facts = {}, []
            for m in PATTERN.finditer(text):
                for name in (m["s"], m["o"]):
                    ents[name] = EntityRecord(name=name, kind=EntityKind.ORGANIZATION)
                facts.append(AssertionRecord(
                    subject=m["s"], predicate="fights" if m["p"] == "fights" else "supports",
                    object=m["o"], start=m.start(), end=m.end(), quote=m.group(0),
                    valid_time="2016"))  # fmt: skip
            yield Extraction(extractor="t", version="1", entities=list(ents.values()),
                             assertions=facts)  # fmt: skip


@pytest.fixture
def built(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (corpus / "b.txt").write_text(TEXT_B, encoding="utf-8")
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(
        yaml.safe_dump(
            {
                "decisions": [
                    {
                        "doc": "a.txt",
                        "subject": "Beta",
                        "predicate": "fights",
                        "object": "Alpha",
                        "decision": "accept",
                    },
                    {"entity": "Delta", "decision": "reject", "note": "not a group"},
                    {
                        "doc": "a.txt",
                        "subject": "Gamma",
                        "predicate": "supports",
                        "object": "Alpha",
                        "decision": "edit",
                        "changes": {"valid_time": "2017"},
                    },
                    {
                        "doc": "a.txt",
                        "subject": "Nobody",
                        "predicate": "fights",
                        "object": "X",
                        "decision": "reject",
                    },
                ],
                "additions": [
                    {
                        "doc": "b.txt",
                        "subject": "Gamma",
                        "predicate": "negotiates_with",
                        "object": "Alpha",
                        "start": 0,
                        "end": 19,
                        "valid_time": "2018",
                    },
                ],
            }
        ),  # fmt: skip
        encoding="utf-8",
    )
    out = tmp_path / "dataset.json.gz"
    unmatched: list[str] = []
    counts = build_dataset(
        corpus, decisions=decisions, out=out, extractor=PatternExtractor(), unmatched=unmatched
    )
    assert counts["accepted"] == 1 and counts["rejected"] == 1 and counts["edited"] == 1
    assert counts["added"] == 1 and counts["unmatched"] == 1
    assert len(unmatched) == 1
    return out


def test_the_data_set_carries_no_document_text(built: Path) -> None:
    raw = gzip.decompress(built.read_bytes()).decode("utf-8")
    assert "near the river" not in raw and "Delta fights Gamma" not in raw
    data = json.loads(raw)
    assert {d["key"] for d in data["documents"]} == {"a.txt", "b.txt"}
    assert all("quote" not in a for a in data["assertions"])
    fight = next(a for a in data["assertions"] if a["subject"] == "Alpha")
    assert (fight["start"], fight["end"], fight["paragraph"]) == (0, 17, 1)


def test_loading_keeps_decisions_and_ingest_brings_the_quotes(built: Path, tmp_path: Path) -> None:
    kb = open_bundled(tmp_path / "kb.db", dataset=built)
    try:
        statuses = {(a.subject, a.predicate.value): a.review_status.value
                    for a in kb.assertions(include_rejected=True)}  # fmt: skip
        assert statuses == {
            ("Alpha", "fights"): "accepted",
            ("Gamma", "supports"): "edited",
            ("Delta", "fights"): "rejected",
            ("Gamma", "negotiates_with"): "accepted",
        }
        edited = kb.assertions(predicate="supports")[0]
        assert edited.valid_time == "2017" and edited.quote is None
        assert kb.document("a.txt").chars == 0
        # Ingesting the same file: nothing new is stored, the quotes appear.
        corpus = tmp_path / "corpus"
        report = ingest(kb, [corpus], extractor=PatternExtractor())
        assert report.stored == 0 and report.count("unchanged") == 2
        assert kb.assertions(predicate="supports")[0].quote == "Gamma backs Alpha"
        assert kb.assertions(predicate="negotiates_with")[0].quote == TEXT_B[:19]
        # Decisions travel with the data set: a re-extraction keeps them.
        from factiongraph.ingest import reextract

        reextract(kb, extractor=PatternExtractor())
        assert kb.assertions(predicate="supports")[0].valid_time == "2017"
        assert not kb.assertions(entity="Delta")
    finally:
        kb.close()


def test_the_shipped_data_set_loads() -> None:
    if not DATASET.exists():
        pytest.skip("the bundled data set is not built")
    data = read_dataset()
    assert len(data["documents"]) == 5
    assert all(d.get("content_hash") for d in data["documents"])
    assert len(data["assertions"]) > 500
