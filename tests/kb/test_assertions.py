from __future__ import annotations

import pytest
from pydantic import ValidationError

from factiongraph.errors import InvalidQuery
from factiongraph.kb import KnowledgeBase
from factiongraph.models import AssertionIn, EntityIn, EvidenceIn, Modality, ReviewStatus

TEXT = "Reports say the two shuras agreed a truce with the faction on 18 October 2017."


@pytest.fixture
def web(kb: KnowledgeBase) -> KnowledgeBase:
    kb.add_entity(EntityIn(name="Islamic State", aliases=["ISIS"]))
    kb.add_entity(EntityIn(name="Islamic State Khorasan Province", aliases=["ISKP"], parent="ISIS"))
    kb.add_entity(EntityIn(name="Farooqi faction", parent="ISKP"))
    kb.add_entity(EntityIn(name="Taliban"))
    kb.add_entity(EntityIn(name="Quetta Shura", parent="Taliban"))
    kb.add_document(TEXT, key="note.txt", published="2017-12-01")
    add = kb.add_assertion
    add(
        AssertionIn(
            subject="Quetta Shura",
            predicate="ceasefire_with",
            object="Farooqi faction",
            valid_time="2017-10-18",
            evidence=EvidenceIn(start=27, end=76),
        ),
        document="note.txt",
    )
    add(AssertionIn(subject="ISKP", predicate="fights", object="Taliban", valid_time="2017-22"))
    add(AssertionIn(subject="ISKP", predicate="rival_of", object="Taliban", valid_time="2015/.."))
    add(
        AssertionIn(
            subject="ISKP",
            predicate="cooperates_with",
            object="Taliban",
            valid_time="../2014-12",
            modality="alleged",
            claimant="Afghan officials",
        )
    )
    add(AssertionIn(subject="ISKP", predicate="criticizes", object="Taliban", valid_time="2016~"))
    add(AssertionIn(subject="Taliban", predicate="negotiates_with", object="ISKP"))
    return kb


def spo(items):
    return {(a.subject, a.predicate.value, a.object) for a in items}


def test_quote_is_taken_from_the_evidence_span(web: KnowledgeBase) -> None:
    (a,) = web.assertions(predicate="ceasefire_with")
    assert a.quote == TEXT[27:76] and a.document_key == "note.txt"


def test_a_season_matches_a_day_inside_it_but_not_the_next_year(web: KnowledgeBase) -> None:
    summer = [a for a in web.assertions(on="2017-07-15") if a.predicate == "fights"]
    assert len(summer) == 1
    assert not [a for a in web.assertions(on="2018") if a.predicate == "fights"]
    assert not [a for a in web.assertions(on="2017-10-18") if a.predicate == "fights"]


def test_open_ended_intervals(web: KnowledgeBase) -> None:
    assert ("Islamic State Khorasan Province", "rival_of", "Taliban") in spo(
        web.assertions(on="2030")
    )
    assert ("Islamic State Khorasan Province", "rival_of", "Taliban") not in spo(
        web.assertions(on="2014-06")
    )
    early = spo(web.assertions(on="2010"))
    assert ("Islamic State Khorasan Province", "cooperates_with", "Taliban") in early


def test_approximate_time_is_widened_only_when_asked(web: KnowledgeBase) -> None:
    def criticism(**kw):
        return [a for a in web.assertions(**kw) if a.predicate == "criticizes"]

    assert criticism(on="2016-05")
    assert not criticism(on="2017-03")
    assert criticism(on="2017-03", fuzzy=True)


def test_window_query_and_undated(web: KnowledgeBase) -> None:
    window = spo(web.assertions(start="2017-09", end="2017-11"))
    assert ("Quetta Shura", "ceasefire_with", "Farooqi faction") in window
    assert ("Taliban", "negotiates_with", "Islamic State Khorasan Province") not in window
    with_undated = spo(web.assertions(start="2017-09", end="2017-11", include_undated=True))
    assert ("Taliban", "negotiates_with", "Islamic State Khorasan Province") in with_undated


def test_faction_inclusive_queries(web: KnowledgeBase) -> None:
    own = spo(web.assertions("ISKP"))
    assert ("Quetta Shura", "ceasefire_with", "Farooqi faction") not in own
    with_factions = spo(web.assertions("ISKP", include_factions=True))
    assert ("Quetta Shura", "ceasefire_with", "Farooqi faction") in with_factions
    pair = web.assertions(between=("Taliban", "Islamic State"), include_factions=True)
    assert len(pair) == 6
    assert len(web.assertions(between=("Taliban", "Islamic State"))) == 0


def test_filters_by_predicate_and_modality(web: KnowledgeBase) -> None:
    alleged = web.assertions(modality="alleged")
    assert [a.claimant for a in alleged] == ["Afghan officials"]
    assert len(web.assertions(predicate=["fights", "rival_of"])) == 2
    with pytest.raises(InvalidQuery, match="unknown predicate"):
        web.assertions(predicate="likes")
    with pytest.raises(InvalidQuery, match="not a date"):
        web.assertions(on="October")


def test_contradicting_assertions_coexist(web: KnowledgeBase) -> None:
    web.add_assertion(
        AssertionIn(
            subject="Taliban",
            predicate="cooperates_with",
            object="ISKP",
            modality=Modality.DENIED,
            claimant="Taliban spokesman",
        )
    )
    coop = web.assertions(between=("Taliban", "ISKP"), predicate="cooperates_with")
    assert {a.modality for a in coop} == {Modality.ALLEGED, Modality.DENIED}


def test_invalid_time_is_refused() -> None:
    with pytest.raises(ValidationError):
        AssertionIn(subject="a", predicate="fights", object="b", valid_time="late 2014")


def test_review_decisions(web: KnowledgeBase) -> None:
    a = web.assertions(predicate="fights")[0]
    rejected = web.review(a.id, "rejected", reviewer="ana")
    assert rejected.review_status == ReviewStatus.REJECTED
    assert not web.assertions(predicate="fights")
    assert web.assertions(predicate="fights", include_rejected=True)
    edited = web.review(a.id, "edited", changes={"predicate": "rival_of", "valid_time": "2017"})
    assert (edited.predicate, edited.valid_time, edited.review_status) == (
        "rival_of",
        "2017",
        ReviewStatus.EDITED,
    )
    with pytest.raises(InvalidQuery):
        web.review(a.id, "edited", changes={"colour": "red"})
    with pytest.raises(InvalidQuery):
        web.review(a.id, "edited", changes={"predicate": "likes"})


def test_a_name_shared_by_a_state_and_a_country_resolves_by_role(kb: KnowledgeBase) -> None:
    from factiongraph.models import EntityKind

    kb.add_entity(EntityIn(name="Pakistan", category="state"))
    kb.add_entity(EntityIn(name="Pakistan", kind=EntityKind.PLACE))
    kb.add_entity(EntityIn(name="TTP"))
    fights = kb.add_assertion(AssertionIn(subject="Pakistan", predicate="fights", object="TTP"))
    where = kb.add_assertion(AssertionIn(subject="TTP", predicate="operates_in", object="Pakistan"))
    assert kb.get_entity(fights.subject_id).kind == EntityKind.ORGANIZATION
    assert kb.get_entity(where.object_id).kind == EntityKind.PLACE
