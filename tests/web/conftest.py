"""A small knowledge base for the explorer's tests, and a test client on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factiongraph.kb import KnowledgeBase
from factiongraph.models import AssertionIn, EntityIn, EntityKind, EvidenceIn, OrgCategory

REPORT = (
    "Khorasan notes, autumn 2017.\n\n"
    "In October 2017 the Quetta Shura agreed a local ceasefire with the Farooqi faction of "
    "the Islamic State Khorasan Province in Nangarhar, according to tribal elders.\n\n"
    "Earlier, in June 2015, the Taliban fought ISKP fighters in Achin district.\n\n"
    "The Haqqani Network was reported to cooperate with the Quetta Shura throughout 2016.\n\n"
    "Jamaat-ul-Ahrar split from the Tehrik-i-Taliban Pakistan in August 2014.\n\n"
    "Local officials claimed that ISKP had about 3,000 fighters in 2016."
)

HOSTILE = (
    "A page that tries to run code: <script>alert(1)</script> and "
    "<img src=x onerror=alert(1)> next to a claim. The Taliban fought the "
    "Tehrik-i-Taliban Pakistan in Kunar in March 2018."
)


@dataclass
class Sample:
    path: Path
    ids: dict[str, int] = field(default_factory=dict)
    docs: dict[str, int] = field(default_factory=dict)
    assertions: dict[str, int] = field(default_factory=dict)


def _span(text: str, sentence: str) -> EvidenceIn:
    start = text.index(sentence)
    return EvidenceIn(start=start, end=start + len(sentence))


def extract_hostile(kb: KnowledgeBase) -> None:
    """The machine extraction of the hostile page (run again to re-extract it)."""
    kb.replace_machine_assertions(
        "hostile",
        [
            AssertionIn(
                subject="Taliban",
                predicate="fights",
                object="Tehrik-i-Taliban Pakistan",
                valid_time="2018-03",
                place="Kunar",
                evidence=_span(HOSTILE, "The Taliban fought the Tehrik-i-Taliban Pakistan"),
                origin="test-extractor 1",
            ),
        ],
    )


def build_sample(kb: KnowledgeBase, path: Path) -> Sample:
    """Entities, three documents (one with hostile markup, one a bare citation) and a
    mixture of analyst and machine assertions, including the October 2017 ceasefire."""
    org, fac, shura = OrgCategory.ARMED_GROUP, OrgCategory.FACTION, OrgCategory.SHURA
    entities = [
        EntityIn(name="Islamic State Khorasan Province", category=org, aliases=["ISKP", "IS-K"]),
        EntityIn(
            name="ISKP Farooqi faction",
            category=fac,
            aliases=["Farooqi faction"],
            parent="Islamic State Khorasan Province",
        ),
        EntityIn(name="Taliban", category=org, aliases=["Afghan Taliban"]),
        EntityIn(name="Quetta Shura", category=shura, parent="Taliban"),
        EntityIn(name="Haqqani Network", category=fac, parent="Taliban"),
        EntityIn(name="Tehrik-i-Taliban Pakistan", category=org, aliases=["TTP"]),
        EntityIn(name="Jamaat-ul-Ahrar", category=fac, parent="Tehrik-i-Taliban Pakistan"),
        EntityIn(name="Aslam Farooqi", kind=EntityKind.PERSON),
        EntityIn(name="Hafiz Saeed Khan", kind=EntityKind.PERSON),
        EntityIn(name="Nangarhar", kind=EntityKind.PLACE),
        EntityIn(name="Kunar", kind=EntityKind.PLACE),
    ]
    sample = Sample(path=path)
    for e in entities:
        sample.ids[e.name] = kb.add_entity(e).id
    report = kb.add_document(
        REPORT, key="notes-2017", title="Khorasan notes", published="2017-12-01"
    )
    hostile = kb.add_document(
        HOSTILE,
        key="hostile",
        title='Hostile <b onmouseover="x()">page</b>',
        published="2018-04-01",
    )
    cited = kb.add_document(
        None,
        key="cited-only",
        title="A report cited without its text",
        published="2019-05-02",
        digest="0" * 64,
    )
    sample.docs = {"report": report.document.id, "hostile": hostile.document.id}
    sample.docs["cited"] = cited.document.id

    ceasefire = "the Quetta Shura agreed a local ceasefire with the Farooqi faction"
    kb.replace_machine_assertions(
        report.document.id,
        [
            AssertionIn(
                subject="Quetta Shura",
                predicate="ceasefire_with",
                object="ISKP Farooqi faction",
                valid_time="2017-10-18",
                time_text="In October 2017",
                place="Nangarhar",
                claimant="tribal elders",
                modality="reported",
                evidence=_span(REPORT, ceasefire),
                subject_mention="Quetta Shura",
                object_mention="Farooqi faction",
                origin="test-extractor 1",
            ),
            AssertionIn(
                subject="Taliban",
                predicate="fights",
                object="Islamic State Khorasan Province",
                valid_time="2015-06",
                place="Nangarhar",
                evidence=_span(REPORT, "the Taliban fought ISKP fighters in Achin district"),
                origin="test-extractor 1",
            ),
            AssertionIn(
                subject="Haqqani Network",
                predicate="cooperates_with",
                object="Quetta Shura",
                valid_time="2016",
                modality="alleged",
                evidence=_span(REPORT, "The Haqqani Network was reported to cooperate"),
                origin="test-extractor 1",
            ),
            AssertionIn(
                subject="Jamaat-ul-Ahrar",
                predicate="split_from",
                object="Tehrik-i-Taliban Pakistan",
                valid_time="2014-08",
                evidence=_span(REPORT, "Jamaat-ul-Ahrar split from the Tehrik-i-Taliban"),
                origin="test-extractor 1",
            ),
        ],
    )
    extract_hostile(kb)
    analyst = [
        AssertionIn(
            subject="Taliban",
            predicate="fights",
            object="Islamic State Khorasan Province",
            valid_time="2017-10",
            claimant="UN monitoring team",
            evidence=EvidenceIn(document_version_id=cited.document.id, start=120, end=260),
        ),
        AssertionIn(
            subject="Quetta Shura",
            predicate="ceasefire_with",
            object="ISKP Farooqi faction",
            valid_time="2017-10",
            modality="denied",
            claimant="Taliban spokesman",
            evidence=EvidenceIn(document_version_id=cited.document.id, start=300, end=380),
        ),
        AssertionIn(
            subject="Aslam Farooqi",
            predicate="leads",
            object="ISKP Farooqi faction",
            valid_time="2017/2019-04",
        ),
        AssertionIn(
            subject="Hafiz Saeed Khan",
            predicate="leads",
            object="Islamic State Khorasan Province",
            valid_time="2015-01/2016-07",
        ),
        AssertionIn(
            subject="Islamic State Khorasan Province",
            predicate="operates_in",
            object="Nangarhar",
            valid_time="2015/2019",
        ),
        AssertionIn(
            subject="Islamic State Khorasan Province",
            predicate="part_of",
            object="Taliban",
            valid_time="2014",
            modality="denied",
        ),
    ]
    for a in analyst:
        kb.add_assertion(a)
    kb.add_assertion(
        AssertionIn(
            subject="Islamic State Khorasan Province",
            predicate="operates_in",
            object="Kunar",
            valid_time="2016",
            claimant="local officials",
            attributes={"count": 3000},
            evidence=_span(REPORT, "ISKP had about 3,000 fighters in 2016"),
        ),
        document=report.document.id,
    )
    for a in kb.assertions(include_undated=True, include_rejected=True):
        if a.predicate.value == "ceasefire_with" and a.modality.value == "reported":
            sample.assertions["ceasefire"] = a.id
        if a.predicate.value == "fights" and a.document_key == "hostile":
            sample.assertions["hostile_fight"] = a.id
        if a.predicate.value == "split_from":
            sample.assertions["split"] = a.id
        if a.predicate.value == "cooperates_with":
            sample.assertions["cooperation"] = a.id
    return sample


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[tuple[KnowledgeBase, Sample]]:
    path = tmp_path / "explorer.db"
    kb = KnowledgeBase.open(str(path))
    s = build_sample(kb, path)
    yield kb, s
    kb.close()


@pytest.fixture
def rerun(sample: tuple[KnowledgeBase, Sample]) -> Callable[[], None]:
    return lambda: extract_hostile(sample[0])


@pytest.fixture
def client(sample: tuple[KnowledgeBase, Sample]) -> Iterator[TestClient]:
    from factiongraph.web.app import create_app

    kb, _ = sample
    with TestClient(create_app(kb), raise_server_exceptions=False) as c:
        yield c
