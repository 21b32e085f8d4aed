"""Leaders, members and killings, on sentences written for these tests."""

from __future__ import annotations

from factiongraph.extract.roles import RoleLexicon, default_role_lexicon
from factiongraph.models import Predicate

from ._fixtures import extractor, facts


def _roles(text: str) -> dict[tuple[str, str, str], str | None]:
    ex = extractor().extract(text)
    return {
        (a.subject, a.predicate.value, a.object): a.attributes.get("role")
        for a in ex.assertions
        if a.predicate in (Predicate.LEADS, Predicate.MEMBER_OF, Predicate.KILLED_BY)
    }


def test_lexicon_loads() -> None:
    lex = default_role_lexicon()
    assert isinstance(lex, RoleLexicon)
    assert "emir" in lex.lead_roles
    assert "member" in lex.member_roles
    assert "kill" in lex.kill_verbs


def test_apposition() -> None:
    got = _roles("Karim Sadozai, the first governor of the Golden League, spoke in 2019.")
    assert ("Karim Sadozai", "leads", "Golden League") in got
    assert "governor" in (got[("Karim Sadozai", "leads", "Golden League")] or "")


def test_role_before_the_name_in_apposition() -> None:
    got = _roles("The Northern Guard's spokesman, Karim Sadozai, denied the report.")
    assert ("Karim Sadozai", "leads", "Northern Guard") in got


def test_possessive_title() -> None:
    got = _roles("The RMF's leader Karim Sadozai visited the border town.")
    assert ("Karim Sadozai", "leads", "Red Mountain Front") in got


def test_title_before_name() -> None:
    got = _roles("Golden League commander Karim Sadozai crossed the river with his men.")
    assert got.get(("Karim Sadozai", "leads", "Golden League")) == "commander"


def test_led_by() -> None:
    got = facts("The Northern Guard, led by Karim Sadozai, took the valley.")
    assert ("Karim Sadozai", "leads", "Northern Guard") in got


def test_copula_and_appointment() -> None:
    got = facts("Karim Sadozai became the head of the Golden League after the war.")
    assert ("Karim Sadozai", "leads", "Golden League") in got
    got = facts("In 2015 Karim Sadozai was appointed emir of the Northern Guard.")
    assert ("Karim Sadozai", "leads", "Northern Guard") in got


def test_replaced_as_leader_gives_both() -> None:
    got = facts("Karim Sadozai replaced Omar Baz Khan as leader of the Red Mountain Front.")
    assert ("Karim Sadozai", "leads", "Red Mountain Front") in got
    assert ("Omar Baz Khan", "leads", "Red Mountain Front") in got


def test_under_the_leadership_of() -> None:
    got = facts("The Golden League grew quickly under the leadership of Karim Sadozai.")
    assert ("Karim Sadozai", "leads", "Golden League") in got


def test_plain_member() -> None:
    got = _roles("Karim Sadozai, a former member of the Northern Guard, was arrested in 2018.")
    assert ("Karim Sadozai", "member_of", "Northern Guard") in got
    assert ("Karim Sadozai", "leads", "Northern Guard") not in got


def test_joined_and_defected() -> None:
    got = facts("Karim Sadozai joined the Golden League in 2014.")
    assert ("Karim Sadozai", "member_of", "Golden League") in got
    got = facts("Karim Sadozai defected from the Northern Guard in 2016.")
    assert ("Karim Sadozai", "member_of", "Northern Guard") in got


def test_killed_in_a_drone_strike_by_a_state() -> None:
    got = facts("Karim Sadozai was killed in a Freedonia drone strike in March 2017.")
    assert ("Karim Sadozai", "killed_by", "Freedonia") in got


def test_killed_by_a_group() -> None:
    got = facts("Karim Sadozai was killed by the Northern Guard in 2012.")
    assert ("Karim Sadozai", "killed_by", "Northern Guard") in got
    got = facts("The Golden League executed Karim Sadozai in the spring.")
    assert ("Karim Sadozai", "killed_by", "Golden League") in got


def test_no_killer_no_fact() -> None:
    got = facts("Karim Sadozai was killed in an accident near the Golden League camp.")
    assert not any(p == "killed_by" for _, p, _ in got)


def test_denial_is_marked_denied() -> None:
    ex = extractor().extract("Karim Sadozai was never a member of the Golden League.")
    found = [a for a in ex.assertions if a.predicate == Predicate.MEMBER_OF]
    assert found
    assert all(a.modality.value == "denied" for a in found)


def test_role_facts_carry_time_and_evidence() -> None:
    text = "In 2016, Karim Sadozai, the emir of the Golden League, met tribal elders."
    ex = extractor().extract(text)
    found = [a for a in ex.assertions if a.predicate == Predicate.LEADS]
    assert found
    a = found[0]
    assert a.valid_time and a.valid_time.startswith("2016")
    assert text[a.start : a.end] == a.quote
    assert "Karim Sadozai" in a.quote


def test_list_after_a_plural_role() -> None:
    got = _roles("Golden League commanders, including Karim Sadozai and Omar Baz Khan, met.")
    assert got.get(("Karim Sadozai", "leads", "Golden League")) == "commander"
    assert ("Omar Baz Khan", "leads", "Golden League") in got


def test_role_named_after_the_noun() -> None:
    got = facts("A Northern Guard commander named Karim Sadozai surrendered in 2013.")
    assert ("Karim Sadozai", "leads", "Northern Guard") in got


def test_one_of_the_deputies() -> None:
    got = facts("Karim Sadozai, one of the deputies of the Golden League, fled.")
    assert ("Karim Sadozai", "leads", "Golden League") in got


def test_possessive_member_and_fighting_for() -> None:
    got = facts("The Golden League's Karim Sadozai gave a speech.")
    assert ("Karim Sadozai", "member_of", "Golden League") in got
    got = facts("Karim Sadozai travelled to Velka to fight for the Northern Guard.")
    assert ("Karim Sadozai", "member_of", "Northern Guard") in got


def test_hyphenated_led() -> None:
    got = facts("The Karim Sadozai-led Golden League attacked the town.")
    assert ("Karim Sadozai", "leads", "Golden League") in got


def test_bio_line_cut_at_a_colon() -> None:
    ex = extractor().extract("- _Karim Sadozai_: The Golden League\u2019s emir since 2019.")
    found = [a for a in ex.assertions if a.predicate == Predicate.LEADS]
    assert [(a.subject, a.object) for a in found] == [("Karim Sadozai", "Golden League")]
    assert "Karim Sadozai" in found[0].quote


def test_pronoun_takes_the_person_before() -> None:
    got = facts("Karim Sadozai grew up in Velka. He later joined the Blue River Army.")
    assert ("Karim Sadozai", "member_of", "Blue River Army") in got


def test_succession_passes_a_known_role() -> None:
    got = facts(
        "Omar Baz Khan was the emir of the Golden League until 2016. "
        "Karim Sadozai succeeded Omar Baz Khan in 2016."
    )
    assert ("Karim Sadozai", "leads", "Golden League") in got


def test_killed_by_forces_of_a_group() -> None:
    got = facts("Northern Guard fighters shot dead Karim Sadozai in Osten.")
    assert ("Karim Sadozai", "killed_by", "Northern Guard") in got


def test_no_role_fact_from_an_article_title() -> None:
    got = facts(
        "[12] Jane Roe, \u201cGolden League Leader Karim Sadozai Is Killed in Raid,\u201d "
        "Daily Herald, May 3, 2017."
    )
    assert not any(p in ("leads", "member_of", "killed_by") for _, p, _ in got)


def test_religious_leader_is_a_member() -> None:
    got = _roles("Karim Sadozai, a religious leader of the Golden League, preached in Velka.")
    assert ("Karim Sadozai", "member_of", "Golden League") in got
    assert ("Karim Sadozai", "leads", "Golden League") not in got


def test_successor_noun_passes_the_role() -> None:
    got = facts(
        "Omar Baz Khan was the emir of the Golden League. "
        "His successor, Karim Sadozai, moved the group to Velka."
    )
    assert ("Karim Sadozai", "leads", "Golden League") in got


def test_claimed_killing() -> None:
    got = facts("The Northern Guard claimed responsibility for the killing of Karim Sadozai.")
    assert ("Karim Sadozai", "killed_by", "Northern Guard") in got


def test_expelled_member() -> None:
    got = _roles("Karim Sadozai was expelled from the Golden League in 2014.")
    assert got.get(("Karim Sadozai", "member_of", "Golden League")) == "former member"


def test_as_his_deputy() -> None:
    got = _roles(
        "The Golden League was founded under the leadership of Omar Baz Khan, "
        "with Karim Sadozai as his deputy."
    )
    assert ("Omar Baz Khan", "leads", "Golden League") in got
    assert got.get(("Karim Sadozai", "leads", "Golden League")) == "deputy"


def test_president_of_a_state() -> None:
    got = _roles("Karim Sadozai, the president of Freedonia, visited Velka.")
    assert ("Karim Sadozai", "leads", "Freedonia") in got
    got = _roles("Karim Sadozai, the foreign minister of Freedonia, visited Velka.")
    assert ("Karim Sadozai", "member_of", "Freedonia") in got


def test_present_role_without_time_takes_the_publication_date() -> None:
    text = (
        "The group lost ground in March 2019.\n\n"
        "- _Karim Sadozai_: The Golden League\u2019s emir.\n"
    )
    ex = extractor().extract(text, published="2022-09-08")
    found = [a for a in ex.assertions if a.predicate == Predicate.LEADS]
    assert found and found[0].valid_time == "2022-09"


def test_apposition_goes_to_the_nearest_name() -> None:
    got = _roles("Omar Baz Khan accused Karim Sadozai, the Golden League spokesman, of lying.")
    assert ("Karim Sadozai", "leads", "Golden League") in got
    assert ("Omar Baz Khan", "leads", "Golden League") not in got


def test_regarded_as_describes_the_object() -> None:
    got = _roles("Omar Baz Khan regarded Karim Sadozai as the true emir of the Golden League.")
    assert ("Karim Sadozai", "leads", "Golden League") in got
    assert ("Omar Baz Khan", "leads", "Golden League") not in got


def test_coordinated_roles_respectively() -> None:
    got = _roles(
        "Omar Baz Khan and Karim Sadozai were the founder and spokesman of the Golden League, "
        "respectively."
    )
    assert got.get(("Omar Baz Khan", "leads", "Golden League")) == "founder"
    assert got.get(("Karim Sadozai", "leads", "Golden League")) == "spokesman"
