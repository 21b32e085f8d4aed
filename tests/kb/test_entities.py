from __future__ import annotations

import pytest

from factiongraph.errors import AmbiguousEntity, UnknownEntity
from factiongraph.kb import KnowledgeBase
from factiongraph.models import EntityIn, EntityKind, OrgCategory


def test_alias_lookup_ignores_case_accents_hyphens_and_punctuation(kb: KnowledgeBase) -> None:
    kb.add_entity(
        EntityIn(name="Islamic State Khorasan Province", aliases=["ISIS-K", "Wilāyat Khurāsān"])
    )
    for variant in ("ISIS–K", "isis k", "ISIS-K", "I.S.I.S.-K", "wilayat khurasan"):
        assert kb.find_entity(variant).name == "Islamic State Khorasan Province"


def test_unknown_name_suggests_close_names(kb: KnowledgeBase) -> None:
    kb.add_entity(EntityIn(name="Haqqani Network", aliases=["Miran Shah Shura"]))
    with pytest.raises(UnknownEntity) as err:
        kb.find_entity("Haqqani")
    assert "Haqqani Network" in str(err.value)


def test_same_alias_for_two_entities_is_ambiguous_unless_a_name_matches(kb: KnowledgeBase) -> None:
    kb.add_entity(
        EntityIn(name="Hafiz Saeed Khan", kind=EntityKind.PERSON, aliases=["Hafiz Saeed"])
    )
    kb.add_entity(
        EntityIn(name="Hafiz Muhammad Saeed", kind=EntityKind.PERSON, aliases=["Hafiz Saeed"])
    )
    with pytest.raises(AmbiguousEntity) as err:
        kb.find_entity("hafiz saeed")
    assert "Hafiz Saeed Khan" in str(err.value) and "Hafiz Muhammad Saeed" in str(err.value)
    assert kb.find_entity("Hafiz Saeed Khan").name == "Hafiz Saeed Khan"


def test_adding_a_known_entity_merges_aliases_and_fills_gaps(kb: KnowledgeBase) -> None:
    first = kb.add_entity(EntityIn(name="Tehrik-i-Taliban Pakistan", aliases=["TTP"]))
    second = kb.add_entity(
        EntityIn(
            name="Tehrik-i-Taliban Pakistan",
            aliases=["Tehreek-e-Taliban Pakistan"],
            category=OrgCategory.ARMED_GROUP,
            note="Pakistani Taliban umbrella",
        )
    )
    assert first.id == second.id
    got = kb.find_entity("tehreek e taliban pakistan")
    assert set(got.aliases) == {"TTP", "Tehreek-e-Taliban Pakistan"}
    assert got.category == "armed_group" and got.note == "Pakistani Taliban umbrella"


def test_parent_and_factions(kb: KnowledgeBase) -> None:
    kb.add_entity(EntityIn(name="Taliban"))
    kb.add_entity(EntityIn(name="Quetta Shura", parent="Taliban", category=OrgCategory.SHURA))
    kb.add_entity(EntityIn(name="Mashhad Shura", parent="Taliban", category=OrgCategory.SHURA))
    kb.add_entity(EntityIn(name="Quetta Shura dissidents", parent="Quetta Shura"))
    assert kb.find_entity("Quetta Shura").parent == "Taliban"
    names = {e.name for e in kb.factions("Taliban")}
    assert names == {"Quetta Shura", "Mashhad Shura", "Quetta Shura dissidents"}
    assert {e.name for e in kb.factions("Taliban", recursive=False)} == {
        "Quetta Shura",
        "Mashhad Shura",
    }


def test_search_ranks_exact_then_prefix_then_substring(kb: KnowledgeBase) -> None:
    kb.add_entity(EntityIn(name="Lashkar-e-Islam"))
    kb.add_entity(EntityIn(name="Islamic State", aliases=["IS"]))
    kb.add_entity(EntityIn(name="Islamic Movement of Uzbekistan", aliases=["IMU"]))
    names = [e.name for e in kb.search_entities("islam")]
    assert names[-1] == "Lashkar-e-Islam"
    assert set(names[:2]) == {"Islamic State", "Islamic Movement of Uzbekistan"}
    assert kb.search_entities("") == []


def test_kinds_are_kept_apart(kb: KnowledgeBase) -> None:
    kb.add_entity(EntityIn(name="Haqqani", kind=EntityKind.PERSON))
    kb.add_entity(EntityIn(name="Kunar", kind=EntityKind.PLACE))
    assert [e.name for e in kb.entities(kind=EntityKind.PLACE)] == ["Kunar"]
    assert kb.find_entity("kunar", kind=EntityKind.PLACE).kind == EntityKind.PLACE
