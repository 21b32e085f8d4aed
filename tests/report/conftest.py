"""A small invented knowledge base around one group, written by the tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from factiongraph.kb import KnowledgeBase
from factiongraph.models import AssertionIn, EntityIn, EvidenceIn

# Two invented documents; every quote below is a substring of its document's text.
DOC_A = (
    "In 2015 the Northern Front and the Valley Movement cooperated against the River Alliance. "
    "Later that year commanders of the Valley Movement defected to the Northern Front, about "
    "300 fighters in all. The River Alliance condemned the Northern Front in 2016. "
    "By 2016 the two sides fought openly in the hills."
)
DOC_B = (
    "The Valley Movement denied any cooperation with the Northern Front. The Hill Shura of the "
    "River Alliance agreed a truce with the Front's Eastern wing in October 2017. The Northern "
    "Front had some 3,000 members in 2016, officials said. The Eastern wing split from the "
    "Northern Front in 2017."
)


def _quote(text: str, quote: str) -> EvidenceIn:
    start = text.index(quote)
    return EvidenceIn(start=start, end=start + len(quote))


def build_world(kb: KnowledgeBase) -> None:
    kb.add_document(DOC_A, key="doc-a.txt", title="The front in the valley", published="2017")
    kb.add_document(DOC_B, key="doc-b.txt", title="Truces and splits", published="2018")
    kb.add_entity(EntityIn(name="Northern Front", aliases=["NF", "N-Front"]))
    kb.add_entity(EntityIn(name="Eastern wing", parent="Northern Front"))
    kb.add_entity(EntityIn(name="River Alliance"))
    kb.add_entity(EntityIn(name="Hill Shura", parent="River Alliance"))
    kb.add_entity(EntityIn(name="Valley Movement"))
    facts = [
        ("doc-a.txt", DOC_A, "Northern Front", "cooperates_with", "Valley Movement", "2015",
         "asserted", None, "the Northern Front and the Valley Movement cooperated", {}),
        ("doc-a.txt", DOC_A, "Northern Front", "fights", "River Alliance", "2015",
         "asserted", None, "cooperated against the River Alliance", {}),
        ("doc-a.txt", DOC_A, "Valley Movement", "fights", "River Alliance", "2015",
         "asserted", None, "cooperated against the River Alliance", {}),
        ("doc-a.txt", DOC_A, "Valley Movement", "defected_to", "Northern Front", "2015",
         "asserted", None, "commanders of the Valley Movement defected to the Northern Front",
         {"count": "about 300"}),
        ("doc-a.txt", DOC_A, "River Alliance", "criticizes", "Northern Front", "2016",
         "asserted", None, "The River Alliance condemned the Northern Front in 2016", {}),
        ("doc-a.txt", DOC_A, "Northern Front", "fights", "Valley Movement", "2016",
         "asserted", None, "By 2016 the two sides fought openly", {}),
        ("doc-b.txt", DOC_B, "Valley Movement", "cooperates_with", "Northern Front", None,
         "denied", "Valley Movement", "The Valley Movement denied any cooperation", {}),
        ("doc-b.txt", DOC_B, "Hill Shura", "ceasefire_with", "Eastern wing", "2017-10",
         "asserted", None, "agreed a truce with the Front's Eastern wing in October 2017", {}),
        ("doc-b.txt", DOC_B, "Northern Front", "operates_in", "Hills", "2016",
         "reported", "officials", "The Northern Front had some 3,000 members in 2016",
         {"count": "3,000"}),
        ("doc-b.txt", DOC_B, "Eastern wing", "split_from", "Northern Front", "2017",
         "asserted", None, "The Eastern wing split from the Northern Front in 2017", {}),
    ]  # fmt: skip
    for key, text, s, p, o, when, modality, claimant, quote, attrs in facts:
        kb.add_assertion(
            AssertionIn(
                subject=s,
                predicate=p,
                object=o,
                valid_time=when,
                modality=modality,
                claimant=claimant,
                attributes=attrs,
                evidence=_quote(text, quote),
            ),
            document=key,
        )
    # an analyst's own note, with no document: it must never become a citation
    kb.add_assertion(
        AssertionIn(subject="Northern Front", predicate="rival_of", object="River Alliance",
                    valid_time="2016", evidence=EvidenceIn(quote="analyst's judgement"))
    )  # fmt: skip


@pytest.fixture
def world(tmp_path: Path) -> Iterator[KnowledgeBase]:
    kb = KnowledgeBase.open(str(tmp_path / "world.db"))
    build_world(kb)
    yield kb
    kb.close()
