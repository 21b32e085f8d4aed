"""Batch ingest: metadata, idempotence, versions, bad input, atomicity and resumption."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from factiongraph import ingest as ingest_module
from factiongraph.extract.records import AssertionRecord, EntityRecord, Extraction
from factiongraph.ingest import ingest, reextract
from factiongraph.kb import KnowledgeBase
from factiongraph.models import EntityKind

PATTERN = re.compile(r"(?P<s>[A-Z]\w+) (?P<p>fights|backs) (?P<o>[A-Z]\w+)")


class PatternExtractor:
    """A stand-in extractor: 'Alpha fights Beta' gives one assertion per match."""

    version = "1"

    def pipe(self, items: Iterable[tuple[str, dict]], workers: int = 1) -> Iterator[Extraction]:
        for text, _meta in items:
            ents, facts = {}, []
            for m in PATTERN.finditer(text):
                for name in (m["s"], m["o"]):
                    ents[name] = EntityRecord(name=name, kind=EntityKind.ORGANIZATION)
                facts.append(
                    AssertionRecord(
                        subject=m["s"],
                        predicate="fights" if m["p"] == "fights" else "supports",
                        object=m["o"],
                        start=m.start(),
                        end=m.end(),
                        quote=m.group(0),
                    )
                )
            yield Extraction(
                extractor="test",
                version=self.version,
                entities=list(ents.values()),
                assertions=facts,
            )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("Alpha fights Beta in the north.\n", encoding="utf-8")
    (d / "b.md").write_text("---\ntitle: Bee report\n---\nGamma backs Delta.\n", encoding="utf-8")
    (d / "sub" / "c.txt").write_text("Beta fights Gamma.\n", encoding="utf-8")
    (d / "catalog.json").write_text(
        json.dumps(
            [
                {
                    "file": "a.txt",
                    "title": "Report A",
                    "authors": ["R. Writer"],
                    "published": "2017-12-14",
                    "publisher": "Desk",
                }
            ]
        ),
        encoding="utf-8",
    )
    return d


def test_folder_is_read_recursively_with_catalog_and_file_metadata(kb, folder) -> None:
    report = ingest(kb, [folder], extractor=PatternExtractor())
    assert report.ok and report.stored == 3
    docs = {d.key: d for d in kb.documents()}
    assert set(docs) == {"a.txt", "b.md", "sub/c.txt"}
    assert (docs["a.txt"].title, docs["a.txt"].authors, docs["a.txt"].published) == (
        "Report A",
        ["R. Writer"],
        "2017-12-14",
    )
    assert docs["b.md"].title == "Bee report"
    assert len(kb.assertions()) == 3
    assert kb.assertions(predicate="supports")[0].quote == "Gamma backs Delta"


def test_overrides_beat_catalog(kb, folder) -> None:
    ingest(kb, [folder / "a.txt"], extract=False, overrides={"title": "Mine", "published": "2020"})
    d = kb.document("a.txt")
    assert (d.title, d.published, d.authors) == ("Mine", "2020", ["R. Writer"])


def test_reingesting_unchanged_stores_nothing_and_changed_makes_a_version(kb, folder) -> None:
    ingest(kb, [folder], extractor=PatternExtractor())
    again = ingest(kb, [folder], extractor=PatternExtractor())
    assert again.stored == 0 and again.count("unchanged") == 3
    (folder / "a.txt").write_text("Alpha fights Gamma now.\n", encoding="utf-8")
    third = ingest(kb, [folder], extractor=PatternExtractor())
    assert [o.status for o in third.outcomes if o.key == "a.txt"] == ["new_version"]
    assert kb.document("a.txt").version == 2
    assert len(kb.documents(all_versions=True)) == 4
    # machine assertions of the document now come from the new version only
    assert {(a.subject, a.object) for a in kb.assertions(document="a.txt")} == {("Alpha", "Gamma")}


def test_bad_files_fail_one_line_each_and_the_rest_is_stored(kb, folder, tmp_path) -> None:
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "latin.txt").write_bytes(b"\xff\xfe\xfa caf\xe9 \x81\x8d\x8f\x90")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (folder / "big.txt").write_text("Alpha fights Beta. " * 200, encoding="utf-8")
    report = ingest(
        kb, [folder, tmp_path / "missing.txt"], extractor=PatternExtractor(), max_bytes=2000
    )
    failed = {Path(o.path).name: o.reason for o in report.failed}
    assert set(failed) == {
        "empty.txt",
        "junk.txt",
        "latin.txt",
        "broken.pdf",
        "big.txt",
        "missing.txt",
    }
    for reason in failed.values():
        assert reason and "\n" not in reason
    assert "empty" in failed["empty.txt"]
    assert "limit" in failed["big.txt"]
    assert report.stored == 3
    assert {d.key for d in kb.documents()} == {"a.txt", "b.md", "sub/c.txt"}


def test_failure_mid_document_leaves_nothing_half_written_and_batch_resumes(
    kb, folder, monkeypatch
) -> None:
    real = KnowledgeBase.replace_machine_assertions
    calls = {"n": 0}

    def flaky(self, document, assertions, entities=(), *, session=None):
        calls["n"] += 1
        if calls["n"] == 2:
            # Fail after the document row and some assertions have been written.
            real(self, document, assertions, entities, session=session)
            raise RuntimeError("disk unplugged")
        return real(self, document, assertions, entities, session=session)

    monkeypatch.setattr(KnowledgeBase, "replace_machine_assertions", flaky)
    first = ingest(kb, [folder], extractor=PatternExtractor())
    assert first.stored == 2 and len(first.failed) == 1
    (bad,) = first.failed
    assert "disk unplugged" in bad.reason
    stored_keys = {d.key for d in kb.documents()}
    assert bad.key not in stored_keys
    assert all(a.document_key != bad.key for a in kb.assertions())

    monkeypatch.setattr(KnowledgeBase, "replace_machine_assertions", real)
    second = ingest(kb, [folder], extractor=PatternExtractor())
    assert second.ok and second.stored == 1 and second.count("unchanged") == 2
    assert len(kb.documents()) == 3 and len(kb.assertions()) == 3


def test_interrupt_keeps_finished_documents(kb, folder, monkeypatch) -> None:
    real = ingest_module.store_document
    seen = []

    def interrupted(kb_, path, key, read, extraction):
        if seen:
            raise KeyboardInterrupt
        seen.append(key)
        return real(kb_, path, key, read, extraction)

    monkeypatch.setattr(ingest_module, "store_document", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest(kb, [folder], extractor=PatternExtractor())
    assert [d.key for d in kb.documents()] == seen
    monkeypatch.setattr(ingest_module, "store_document", real)
    assert ingest(kb, [folder], extractor=PatternExtractor()).stored == 2


def test_review_decisions_survive_reextraction(kb, folder) -> None:
    ingest(kb, [folder], extractor=PatternExtractor())
    fights = {a.object: a for a in kb.assertions(predicate="fights")}
    kb.review(fights["Beta"].id, "rejected")
    kb.review(fights["Gamma"].id, "edited", changes={"predicate": "rival_of", "valid_time": "2016"})
    backs = kb.assertions(predicate="supports")[0]
    kb.review(backs.id, "accepted")
    extractor = PatternExtractor()
    extractor.version = "2"
    assert reextract(kb, extractor=extractor) == 3
    assert not kb.assertions(predicate="fights")
    (edited,) = kb.assertions(predicate="rival_of")
    assert (edited.object, edited.valid_time, edited.review_status.value) == (
        "Gamma",
        "2016",
        "edited",
    )
    assert kb.assertions(predicate="supports")[0].review_status.value == "accepted"
    assert len(kb.assertions(include_rejected=True)) == 3


def test_analyst_assertions_survive_reextraction(kb, folder) -> None:
    from factiongraph.models import AssertionIn

    ingest(kb, [folder], extractor=PatternExtractor())
    kb.add_assertion(
        AssertionIn(subject="Alpha", predicate="negotiates_with", object="Beta"), document="a.txt"
    )
    reextract(kb, extractor=PatternExtractor())
    assert len(kb.assertions(predicate="negotiates_with")) == 1
