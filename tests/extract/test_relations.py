"""Relations from the parse, on sentences written for these tests."""

from __future__ import annotations

from ._fixtures import extractor, facts


def test_coordination_gives_one_fact_per_party() -> None:
    got = facts("The Golden League formed an alliance with the Northern Guard and the RMF.")
    assert ("Golden League", "cooperates_with", "Northern Guard") in got
    assert ("Golden League", "cooperates_with", "Red Mountain Front") in got


def test_x_and_y_clashed() -> None:
    got = facts("The Northern Guard and the Golden League clashed repeatedly in 2016.")
    assert ("Northern Guard", "fights", "Golden League") in got or (
        "Golden League",
        "fights",
        "Northern Guard",
    ) in got


def test_direction_of_defection_by_members() -> None:
    got = facts("Dozens of fighters of the Northern Guard defected to the Red Mountain Front.")
    assert ("Northern Guard", "defected_to", "Red Mountain Front") in got
    got = facts("Members of the Golden League joined the Blue River Army in 2015.")
    assert ("Golden League", "defected_to", "Blue River Army") in got


def test_direction_of_split() -> None:
    got = facts("The Golden League split from the Blue River Army in 2012.")
    assert ("Golden League", "split_from", "Blue River Army") in got
    assert ("Blue River Army", "split_from", "Golden League") not in got


def test_passive_voice() -> None:
    got = facts("The Northern Guard was funded by Freedonia for years.")
    assert ("Freedonia", "supports", "Northern Guard") in got
    got = facts("The Golden League was attacked by the Red Mountain Front.")
    assert ("Red Mountain Front", "fights", "Golden League") in got or (
        "Golden League",
        "fights",
        "Red Mountain Front",
    ) in got


def test_denial_is_kept_as_denied() -> None:
    ex = extractor().extract("The Golden League denied any links with the Northern Guard.")
    mods = {(a.subject, a.object, a.modality.value) for a in ex.assertions}
    assert any(m == "denied" for _, _, m in mods)


def test_claimant_is_recorded() -> None:
    ex = extractor().extract(
        "According to a United Nations report, Freedonia provided weapons to the Golden League."
    )
    sup = [a for a in ex.assertions if a.predicate.value == "supports"]
    assert sup and sup[0].modality.value in ("reported", "alleged")
    assert sup[0].claimant


def test_short_reference_the_group() -> None:
    got = facts("The Golden League was founded in 2010. The group later clashed with the RMF.")
    assert ("Golden League", "fights", "Red Mountain Front") in got or (
        "Red Mountain Front",
        "fights",
        "Golden League",
    ) in got


def test_leader_roles() -> None:
    got = facts("Golden League leader Karim Sadozai visited Velka.")
    assert ("Karim Sadozai", "leads", "Golden League") in got
    got = facts("Karim Sadozai, the spokesman of the Northern Guard, spoke on Monday.")
    assert ("Karim Sadozai", "leads", "Northern Guard") in got


def test_operates_in_a_list_of_places() -> None:
    got = facts("The Northern Guard is active in Tarnow, Velka and Osten.")
    for place in ("Tarnow", "Velka", "Osten"):
        assert ("Northern Guard", "operates_in", place) in got


def test_place_of_a_relation() -> None:
    ex = extractor().extract("The Golden League clashed with the Northern Guard in Velka.")
    fights = [a for a in ex.assertions if a.predicate.value == "fights"]
    assert fights and fights[0].place == "Velka"


def test_allied_in_the_passive_is_a_standing_relation() -> None:
    got = facts("The Golden League and the Northern Guard have been allied since 2001.")
    assert ("Golden League", "cooperates_with", "Northern Guard") in got or (
        "Northern Guard",
        "cooperates_with",
        "Golden League",
    ) in got


def test_a_joint_attack_is_cooperation_not_fighting() -> None:
    got = facts("The Golden League and the Northern Guard conducted a joint attack on the city.")
    pairs = {(s, p) for s, p, _ in got}
    assert ("Golden League", "cooperates_with") in pairs or (
        "Northern Guard",
        "cooperates_with",
    ) in (pairs)
    assert not any(p == "fights" for _, p, _ in got)


def test_recruitment_is_defection_to_the_recruiter() -> None:
    got = facts("The Red Mountain Front recruited heavily from members of the Golden League.")
    assert ("Golden League", "defected_to", "Red Mountain Front") in got


def test_members_founding_a_group_make_it_a_splinter() -> None:
    got = facts("Dissident members of the Blue River Army (BRA) founded the Golden League in 1999.")
    assert ("Golden League", "split_from", "Blue River Army") in got


def test_merger_forming_a_new_group() -> None:
    got = facts("The Golden League merged with the Northern Guard to form the Red Mountain Front.")
    assert ("Golden League", "part_of", "Red Mountain Front") in got
    assert ("Northern Guard", "part_of", "Red Mountain Front") in got


def test_passive_without_agent_names_no_attacker() -> None:
    got = facts("Karim Sadozai, a Golden League commander, was killed in Velka.")
    assert not any(p == "fights" for _, p, _ in got)


def test_support_received_from() -> None:
    got = facts("The Northern Guard received weapons and funding from Freedonia.")
    assert ("Freedonia", "supports", "Northern Guard") in got
    assert ("Northern Guard", "supports", "Freedonia") not in got


def test_copula_with_a_structure_noun() -> None:
    # guards the lemma cache: "is" must keep the lemma "be" for copulas to be seen
    got = facts("The Northern Guard is reportedly an affiliate of the Blue River Army.")
    assert ("Northern Guard", "part_of", "Blue River Army") in got


def test_groups_formed_under_a_new_name() -> None:
    got = facts(
        "The Golden League and the Northern Guard joined forces to form an umbrella "
        "organization known as the Red Mountain Front."
    )
    assert ("Golden League", "part_of", "Red Mountain Front") in got
    assert ("Northern Guard", "part_of", "Red Mountain Front") in got


def test_reflexive_and_control_verbs_refer_to_the_subject() -> None:
    got = facts(
        "The Golden League often acted alone, and it began to distance itself from the "
        "Northern Guard by joining the Red Mountain Front in 2015."
    )
    assert ("Golden League", "part_of", "Red Mountain Front") in got
    assert ("Northern Guard", "part_of", "Red Mountain Front") not in got


def test_a_modifier_relates_the_noun_it_modifies_not_a_neighbour() -> None:
    got = facts("The Golden League fought RMF-affiliated units near the Northern Guard.")
    assert not any(p == "part_of" for _, p, _ in got)


def test_opposition_as_a_modifier_is_no_rivalry() -> None:
    got = facts("The Golden League and other opposition groups met the Northern Guard in 2016.")
    assert not any(p == "rival_of" for _, p, _ in got)
    got = facts("The Golden League voiced its opposition to the Northern Guard in 2016.")
    assert ("Golden League", "rival_of", "Northern Guard") in got


def test_private_funders_are_their_own_actors() -> None:
    ex = extractor().extract("Freedonian donors funded the Golden League in 2016.")
    got = {(a.subject, a.predicate.value, a.object) for a in ex.assertions}
    assert ("Freedonian donors", "supports", "Golden League") in got
    assert not facts("Donors funded the Golden League in 2016.")
    got = facts("Freedonian donors to the Northern Guard met in Velka.")
    assert ("Freedonian donors", "supports", "Northern Guard") in got


def test_backers_listed_after_the_supported() -> None:
    got = facts("The Golden League's main backers are Freedonia and the Northern Guard.")
    assert ("Freedonia", "supports", "Golden League") in got
    assert ("Northern Guard", "supports", "Golden League") in got
    got = facts("The Golden League's funding sources included Freedonia and the RMF.")
    assert ("Red Mountain Front", "supports", "Golden League") in got


def test_a_person_leaving_one_group_for_another_is_a_defection() -> None:
    got = facts("In 2015 Karim Sadozai left the Golden League and joined the Northern Guard.")
    assert ("Golden League", "defected_to", "Northern Guard") in got
    got = facts("Having left the Golden League, Karim Sadozai joined the Northern Guard in 2015.")
    assert ("Golden League", "defected_to", "Northern Guard") in got


def test_recruiting_defectors_from_a_group() -> None:
    got = facts("In 2016 the Northern Guard began recruiting defectors from the Golden League.")
    assert ("Golden League", "defected_to", "Northern Guard") in got
    assert ("Northern Guard", "defected_to", "Golden League") not in got


def test_defecting_to_a_leader_is_defecting_to_his_group() -> None:
    got = facts(
        "Karim Sadozai led the Red Mountain Front from 2014. "
        "In 2015 many fighters of the Golden League defected to Karim Sadozai."
    )
    assert ("Golden League", "defected_to", "Red Mountain Front") in got


def test_the_product_of_a_merger() -> None:
    got = facts(
        "The Blue River Army was the product of the merger of the Golden League and the "
        "Northern Guard in 2015."
    )
    assert ("Golden League", "part_of", "Blue River Army") in got


def test_an_event_after_a_group_is_no_regional_branch() -> None:
    ex = extractor().extract("The Golden League fought in the Northern Civil War from 1994.")
    assert {e.name for e in ex.entities if e.kind.value == "organization"} == {"Golden League"}


def test_allies_in_a_fight_fight_the_enemy_too() -> None:
    got = facts(
        "The Golden League fought alongside the Northern Guard against the Red Mountain Front."
    )
    assert ("Golden League", "cooperates_with", "Northern Guard") in got
    assert ("Golden League", "fights", "Red Mountain Front") in got
    assert ("Northern Guard", "fights", "Red Mountain Front") in got


def test_one_of_the_factions_of_a_group() -> None:
    got = facts("The Golden League, one of the founding factions of the Blue River Army, grew.")
    assert ("Golden League", "part_of", "Blue River Army") in got
    got = facts("The Golden League, one of the constituent groups of the Blue River Army, grew.")
    assert ("Golden League", "part_of", "Blue River Army") in got


def test_a_faction_counted_by_number_is_no_group_named_after_a_leader() -> None:
    ex = extractor().extract("One faction of the Golden League joined the Northern Guard in 2015.")
    assert "One faction" not in {e.name for e in ex.entities}


def test_a_group_founded_by_members_of_another_split_from_it() -> None:
    got = facts("The Golden League was founded in 2001 by former members of the Northern Guard.")
    assert ("Golden League", "split_from", "Northern Guard") in got
    got = facts(
        "The Golden League was founded in 2001 by Karim Sadozai, a Northern Guard commander."
    )
    assert ("Golden League", "split_from", "Northern Guard") in got
    got = facts("The Golden League was founded in 2001 by the Blue River Army and the RMF.")
    assert ("Blue River Army", "cooperates_with", "Red Mountain Front") in got


def test_members_named_by_what_they_belong_to() -> None:
    got = facts(
        "Militants belonging to the Golden League helped four members of the Northern Guard "
        "escape from prison in 2016."
    )
    assert ("Golden League", "supports", "Northern Guard") in got
