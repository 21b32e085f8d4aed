"""Entity recognition and linking on sentences written for these tests."""

from __future__ import annotations

from factiongraph.extract.entities import EntityTable, NameIndex, find_names, normalised_words

from ._fixtures import extractor, tiny_gazetteer


def _names(text: str) -> list[tuple[str, str]]:
    gaz = tiny_gazetteer()
    table = EntityTable(gaz)
    ms = find_names(text, table, NameIndex.from_gazetteer(gaz))
    return [(m.text, table.get(m.key).name) for m in ms]


def test_normalised_words_keep_offsets() -> None:
    text = "the Blue-River  Army’s men"
    words = normalised_words(text)
    assert [w for w, _, _ in words] == ["the", "blue", "river", "army", "men"]
    assert all(text[s:e].strip() for _, s, e in words)


def test_gazetteer_forms_match_with_hyphen_and_case_variants() -> None:
    found = _names("Fighters of the blue river army and the Red-Mountain Front met.")
    assert ("blue river army", "Blue River Army") in found
    assert ("Red-Mountain Front", "Red Mountain Front") in found


def test_dotted_initials_are_one_word() -> None:
    words = normalised_words("The R.M.F. said so.")
    assert [w for w, _, _ in words] == ["the", "rmf", "said", "so"]
    assert _names("Then the R.M.F. clashed with the Blue River Army.")[0] == (
        "R.M.F.",
        "Red Mountain Front",
    )


def test_short_forms_need_their_case() -> None:
    assert _names("The rmf said nothing.") == []
    assert _names("The RMF said nothing.") == [("RMF", "Red Mountain Front")]


def test_abbreviation_defined_in_text_links_later_uses() -> None:
    ex = extractor().extract(
        "The Harakat Sabz Jawanan (HSJ) was formed in 2019. Later the HSJ clashed with the RMF."
    )
    names = {e.name: e for e in ex.entities}
    assert "Harakat Sabz Jawanan" in names
    assert "HSJ" in names["Harakat Sabz Jawanan"].aliases
    got = {(a.subject, a.predicate.value, a.object) for a in ex.assertions}
    assert ("Harakat Sabz Jawanan", "fights", "Red Mountain Front") in got


def test_two_people_with_one_name_are_told_apart_by_the_group_named_nearby() -> None:
    ex = extractor().extract(
        "The Blue River Army held a council. Omar Baz spoke for the Blue River Army there."
    )
    people = {e.name for e in ex.entities if e.kind.value == "person"}
    assert "Omar Baz Durrani" in people
    assert "Omar Baz Khan" not in people
    ex = extractor().extract("The Red Mountain Front grew. Omar Baz, its emir, toured Tarnow.")
    people = {e.name for e in ex.entities if e.kind.value == "person"}
    assert people == {"Omar Baz Khan"}


def test_name_shapes_give_new_organizations() -> None:
    ex = extractor().extract("Lashkar-e Sabz and the Hill Tribes Front attacked the RMF in Velka.")
    orgs = {e.name for e in ex.entities if e.kind.value == "organization"}
    assert "Lashkar-e Sabz" in orgs
    assert "Hill Tribes Front" in orgs


def test_group_named_after_its_leader() -> None:
    ex = extractor().extract("Karim Sadozai's group fought the Golden League in Osten.")
    got = {(a.subject, a.predicate.value, a.object) for a in ex.assertions}
    assert ("Karim Sadozai's group", "fights", "Golden League") in got
    assert ("Karim Sadozai", "leads", "Karim Sadozai's group") in got


def test_one_word_names_need_their_capital() -> None:
    from factiongraph.extract.gazetteer import Gazetteer, GazetteerEntry

    entry = GazetteerEntry(id="cal", name="Caliphate", kind="organization", category="armed_group")
    gaz = Gazetteer({"cal": entry}, "t")
    table = EntityTable(gaz)
    index = NameIndex.from_gazetteer(gaz)
    assert find_names("They dreamt of a caliphate.", table, index) == []
    assert [m.text for m in find_names("The Caliphate spoke.", table, index)] == ["Caliphate"]


def test_nationality_words_on_forces_stand_for_states() -> None:
    from factiongraph.extract.gazetteer import Gazetteer, GazetteerEntry

    entries = {
        "fr": GazetteerEntry(
            id="fr", name="Freedonia", kind="place", category="country", weak_aliases=["Freedonian"]
        ),
        "fr_state": GazetteerEntry(
            id="fr_state", name="Freedonia", kind="organization", category="state"
        ),
        "gl": GazetteerEntry(
            id="gl", name="Golden League", kind="organization", category="armed_group"
        ),
    }
    from factiongraph.extract.pipeline import Extractor

    ex = Extractor(gazetteer=Gazetteer(entries, "t")).extract(
        "Freedonian troops attacked the Golden League in 2020."
    )
    got = {(a.subject, a.predicate.value, a.object) for a in ex.assertions}
    assert ("Freedonia", "fights", "Golden League") in got


def test_the_group_named_nearby_outweighs_one_named_often_far_away() -> None:
    background = "The Blue River Army held Velka for a year. " * 12 + "\n\n" + "Filler. " * 60
    ex = extractor().extract(background + "Omar Baz, the leader of the RMF, spoke in Tarnow.")
    people = {e.name for e in ex.entities if e.kind.value == "person"}
    assert "Omar Baz Khan" in people
    assert "Omar Baz Durrani" not in people


def test_the_recogniser_finds_names_deep_in_long_sentences() -> None:
    text = (
        "After a long and difficult meeting with many of his oldest friends and most trusted "
        "advisers in a house outside the city, Jamshid Karimov said on Monday that the Golden "
        "League would fight the Northern Guard until the end of the year."
    )
    ex = extractor().extract(text)
    assert "Jamshid Karimov" in {e.name for e in ex.entities if e.kind.value == "person"}


def test_names_that_begin_with_an_ordinary_word_keep_it() -> None:
    ex = extractor().extract("In 2001 the New Dawn Front fought the Golden League in Velka.")
    assert "New Dawn Front" in {e.name for e in ex.entities}
