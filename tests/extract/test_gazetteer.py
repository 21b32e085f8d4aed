"""The gazetteer loader and the quality of the shipped gazetteer data."""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
from spacy.lang.en.stop_words import STOP_WORDS

from factiongraph.extract.gazetteer import (
    DATA_DIR,
    Gazetteer,
    GazetteerEntry,
    default_gazetteer,
)
from factiongraph.names import name_key

# Words that must never be a strong alias: they occur in ordinary prose, and name keys
# ignore case, so an acronym spelled like one of them ("LeT", "US", "HaD") is weak.
COMMON_WORDS = set(STOP_WORDS) | {
    "ai",
    "bra",
    "ca",
    "car",
    "gap",
    "hm",
    "hum",
    "imp",
    "jim",
    "let",
    "mar",
    "mas",
    "nap",
    "pap",
    "pl",
    "raw",
    "tip",
    "tp",
    "wad",
    "army",
    "police",
    "government",
    "state",
    "caliphate",
    "emirate",
    "front",
    "group",
    "movement",
    "council",
    "party",
    "alliance",
    "network",
    "organization",
    "base",
    "agency",
    "north",
    "south",
    "east",
    "west",
    "gulf",
}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FACTIONGRAPH_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def ids(entries: list[GazetteerEntry]) -> list[str]:
    return [e.id for e in entries]


# -- loading ---------------------------------------------------------------------------


def test_loads_bundled_files_with_version(gaz: Gazetteer) -> None:
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", gaz.version)
    kinds = {e.kind for e in gaz.entries.values()}
    assert kinds == {"organization", "person", "place"}
    assert len(gaz) > 1000


def test_every_bundled_file_is_a_list_of_entries() -> None:
    files = sorted(DATA_DIR.glob("*.yaml"))
    names = {p.name for p in files}
    for expected in (
        "organizations_afpak.yaml",
        "organizations_global.yaml",
        "states.yaml",
        "persons.yaml",
        "places_afghanistan.yaml",
        "places_pakistan.yaml",
        "places_region.yaml",
    ):
        assert expected in names


def test_loading_is_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTIONGRAPH_CACHE_DIR", str(tmp_path))
    Gazetteer.load()  # the first load fills the cache
    timings = []
    for _ in range(3):  # best of three, so that a busy machine does not fail the test
        start = time.perf_counter()
        Gazetteer.load()
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.3


def test_loads_without_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTIONGRAPH_CACHE_DIR", "")
    assert "iskp" in Gazetteer.load()


def test_default_gazetteer_is_cached() -> None:
    assert default_gazetteer() is default_gazetteer()


# -- lookup ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["ISIS–K", "isis k", "ISIS-K", "IS-K", "ISKP", "Wilayat Khorasan", "Islamic State Khorasan"],
)
def test_lookup_variants_of_iskp(gaz: Gazetteer, text: str) -> None:
    assert ids(gaz.lookup(text))[0] == "iskp"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tehrik-i-Taliban Pakistan", "ttp"),
        ("Tehreek-e-Taliban", "ttp"),
        ("tehrik e taliban pakistan", "ttp"),
        ("Lashkar-e-Tayyiba", "let"),
        ("Miran Shah Shura", "haqqani_network"),
        ("the Haqqanis", "haqqani_network"),
        ("Rahbari Shura", "quetta_shura"),
        ("Jamaat-ul-Ahrar", "jamaat_ul_ahrar"),
        ("Serajuddin Haqqani", "sirajuddin_haqqani"),
        ("Jawzjan", "jowzjan"),
        ("Sari Pul", "sar_e_pul"),
        ("Ningarhar", "nangarhar"),
        ("Orakzai Agency", "orakzai"),
        ("al-Qa'ida", "al_qaeda"),
    ],
)
def test_lookup_aliases(gaz: Gazetteer, text: str, expected: str) -> None:
    assert ids(gaz.lookup(text))[0] == expected


def test_lookup_unknown_is_empty(gaz: Gazetteer) -> None:
    assert gaz.lookup("Society of Imaginary Rebels") == []


def test_weak_aliases_are_found_after_strong_ones(gaz: Gazetteer) -> None:
    forms = gaz.lookup_forms("Daesh")
    assert forms[0] == (gaz.entries["islamic_state"], False)
    assert (gaz.entries["iskp"], True) in forms
    assert not any(weak is False for e, weak in forms if e.id == "iskp")


def test_shared_name_is_weak_for_both(gaz: Gazetteer) -> None:
    found = gaz.lookup_forms("Jundallah")
    assert {e.id for e, _ in found} >= {"jundallah_iran", "jundallah_pakistan"}
    assert all(weak for _, weak in found)


def test_two_hafiz_saeeds_are_distinct(gaz: Gazetteer) -> None:
    assert ids(gaz.lookup("Hafiz Saeed Khan"))[0] == "hafiz_saeed_khan"
    assert ids(gaz.lookup("Hafiz Muhammad Saeed"))[0] == "hafiz_muhammad_saeed"
    assert gaz.entries["hafiz_saeed_khan"].note
    assert gaz.entries["hafiz_muhammad_saeed"].note


def test_surface_forms_cover_names_and_aliases(gaz: Gazetteer) -> None:
    forms = {(text, entry.id, weak) for text, entry, weak in gaz.surface_forms()}
    assert ("Islamic State Khorasan Province", "iskp", False) in forms
    assert ("ISKP", "iskp", False) in forms
    assert ("IS", "islamic_state", True) in forms


# -- hierarchy -------------------------------------------------------------------------


def test_parents_resolve(gaz: Gazetteer) -> None:
    for entry in gaz.entries.values():
        if entry.parent:
            assert entry.parent in gaz.entries, entry.id


def test_children_and_ancestors(gaz: Gazetteer) -> None:
    assert "iskp" in ids(gaz.children("islamic_state"))
    assert ids(gaz.ancestors("iskp_farooqi")) == ["iskp", "islamic_state"]
    assert ids(gaz.ancestors("achin"))[:2] == ["nangarhar", "afghanistan"]
    assert gaz.ancestors("no_such_id") == []


# -- data quality ----------------------------------------------------------------------


def test_ids_unique_across_files() -> None:
    import yaml

    seen: dict[str, str] = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            assert item["id"] not in seen, f"{item['id']} in {path.name} and {seen[item['id']]}"
            seen[item["id"]] = path.name


def test_afghan_provinces_have_iso_codes(gaz: Gazetteer) -> None:
    provinces = [
        e for e in gaz.entries.values() if e.category == "province" and e.parent == "afghanistan"
    ]
    assert len(provinces) == 34
    codes = {e.iso for e in provinces}
    assert len(codes) == 34
    assert all(c and re.fullmatch(r"AF-[A-Z]{3}", c) for c in codes)
    assert gaz.entries["nangarhar"].iso == "AF-NAN"


def test_pakistani_provinces_have_iso_codes(gaz: Gazetteer) -> None:
    units = [e for e in gaz.entries.values() if e.category == "province" and e.parent == "pakistan"]
    assert {e.iso for e in units} >= {"PK-BA", "PK-KP", "PK-PB", "PK-SD", "PK-IS", "PK-GB", "PK-JK"}


def test_countries_have_iso_codes(gaz: Gazetteer) -> None:
    for entry in gaz.entries.values():
        if entry.category == "country":
            assert entry.iso and re.fullmatch(r"[A-Z]{2}", entry.iso), entry.id


def test_no_strong_alias_shared_within_a_kind(gaz: Gazetteer) -> None:
    """Two entries of one kind may share a written form only if it is weak for one."""
    strong: dict[tuple[str, str], set[str]] = defaultdict(set)
    for text, entry, weak in gaz.surface_forms():
        if not weak:
            strong[(entry.kind, name_key(text))].add(entry.id)
    clashes = {key: owners for key, owners in strong.items() if len(owners) > 1}
    assert not clashes


def test_no_strong_alias_is_a_common_word(gaz: Gazetteer) -> None:
    bad = [
        (text, entry.id)
        for text, entry, weak in gaz.surface_forms()
        if not weak and name_key(text) in COMMON_WORDS
    ]
    assert not bad


def test_every_entry_has_a_nonempty_key(gaz: Gazetteer) -> None:
    for text, entry, _ in gaz.surface_forms():
        assert name_key(text), (text, entry.id)


# -- user files ------------------------------------------------------------------------


def test_user_file_overrides_and_adds(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        """
- id: iskp
  aliases: [Khorasan Wilayah of the Caliphate]
  note: my own note
- id: my_front
  name: Front of the Example Valley
  kind: organization
  category: armed_group
  parent: iskp
  aliases: [FEV]
  weak_aliases: [the Front]
""",
        encoding="utf-8",
    )
    gaz = Gazetteer.load([user])
    iskp = gaz.entries["iskp"]
    assert iskp.note == "my own note"
    assert "ISKP" in iskp.aliases  # shipped aliases are kept
    assert ids(gaz.lookup("Khorasan Wilayah of the Caliphate")) == ["iskp"]
    assert ids(gaz.lookup("FEV")) == ["my_front"]
    assert gaz.lookup_forms("the Front") == [(gaz.entries["my_front"], True)]
    assert "my_front" in ids(gaz.children("iskp"))
    assert "my_front" not in default_gazetteer().entries


def test_user_json_file_and_replace_aliases(tmp_path: Path) -> None:
    user = tmp_path / "mine.json"
    user.write_text(
        json.dumps([{"id": "tkp", "aliases": ["Only This"], "replace_aliases": True}]),
        encoding="utf-8",
    )
    gaz = Gazetteer.load([user])
    assert gaz.entries["tkp"].aliases == ["Only This"]
    assert gaz.entries["tkp"].name == "Tehrik-e Khilafat Pakistan"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- id: x1\n  name: X\n  kind: group\n", "x1"),
        ("- id: x2\n  name: X\n  kind: organization\n  category: province\n", "category"),
        (
            "- id: x3\n  name: X\n  kind: organization\n  category: faction\n  parent: nowhere\n",
            "nowhere",
        ),
        ("- id: x4\n  name: X\n  kind: place\n  category: city\n  colour: red\n", "colour"),
        ("- name: no id\n  kind: person\n", "no 'id'"),
        ("- id: x5\n  name: A\n  kind: person\n- id: x5\n  name: B\n  kind: person\n", "twice"),
        ("- id: Bad Id\n  name: X\n  kind: person\n", "Bad Id"),
        ("id: x6\nname: X\n", "list"),
        ("- id: x7\n  name: [unclosed\n", "YAML"),
        ("- id: x8\n  kind: person\n", "name"),
        ("- id: x9\n  name: X\n  kind: place\n  category: city\n  parent: iskp\n", "parent"),
        ("- id: iskp\n  parent: iskp_farooqi\n", "cycle"),
    ],
)
def test_bad_user_file_names_file_and_entry(tmp_path: Path, content: str, message: str) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        Gazetteer.load([user])
    assert "bad.yaml" in str(err.value)
    assert message in str(err.value)


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        Gazetteer.load([tmp_path / "absent.yaml"])


def test_ambiguous_name_is_weak_but_qualified_form_is_strong(gaz: Gazetteer) -> None:
    forms = gaz.lookup_forms("Tank")
    assert (gaz.entries["tank"], True) in forms
    assert gaz.lookup_forms("Tank district") == [(gaz.entries["tank"], False)]


def test_province_name_beats_capital_city(gaz: Gazetteer) -> None:
    forms = gaz.lookup_forms("Kandahar")
    assert forms[0] == (gaz.entries["kandahar"], False)
    assert (gaz.entries["kandahar_city"], True) in forms
    assert ids(gaz.lookup("Kandahar city")) == ["kandahar_city"]


def test_unwritable_cache_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.delenv("FACTIONGRAPH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    assert "iskp" in Gazetteer.load()
    assert list((tmp_path / "tmp").glob("factiongraph-*/gazetteer-*.json"))


def test_user_directory_and_yaml_booleans(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "- id: one_group\n  name: First Test Group\n  kind: organization\n  category: faction\n",
        encoding="utf-8",
    )
    (tmp_path / "b.json").write_text(
        json.dumps([{"id": "one_group", "aliases": ["FTG"]}]), encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    gaz = Gazetteer.load([tmp_path])
    assert ids(gaz.lookup("FTG")) == ["one_group"]
    bad = tmp_path / "sub"
    bad.mkdir()
    (bad / "c.yaml").write_text(
        "- id: x10\n  name: X\n  kind: person\n  aliases: [yes]\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="x10"):
        Gazetteer.load([bad])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Military Forces of Pakistan (2018-2022)", "pakistan_state"),
        ("Police Forces of Pakistan (2022-) Counter Terrorism Department", "pakistan_ctd"),
        ("Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps", "irgc"),
        ("Military Forces of Tajikistan (1994-)", "tajikistan_state"),
        ("BLA: Baloch Liberation Army", "bla"),
        ("LeI: Lashkar-e-Islam", "lashkar_e_islam"),
        ("Haqqani Network (HQN)", "haqqani_network"),
        ("Jundallah (Iran)", "jundallah_iran"),
        ("IS-K’s", "iskp"),
        ("the Haqqanis'", "haqqani_network"),
        ("Taliban's Quetta Shura", "quetta_shura"),
        ("Khakki Safed District", "khak_i_safed"),
    ],
)
def test_lookup_looser_readings(gaz: Gazetteer, text: str, expected: str) -> None:
    assert ids(gaz.lookup(text))[0] == expected


def test_canonical_names_unique_within_a_kind(gaz: Gazetteer) -> None:
    """The pipeline names entities by their canonical name, so it must identify one entry."""
    owners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in gaz.entries.values():
        owners[(entry.kind, name_key(entry.name))].append(entry.id)
    assert not {key: found for key, found in owners.items() if len(found) > 1}


def _shipped_facts(text: str) -> set[tuple[str, str, str]]:
    from factiongraph.extract.pipeline import Extractor

    found = Extractor().extract(text)
    return {(a.subject, a.predicate.value, a.object) for a in found.assertions}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dotted abbreviations of states and bodies
        (
            "In 2019 the U.S. negotiated with the Taliban in Doha.",
            ("United States", "negotiates_with", "Afghan Taliban"),
        ),
        (
            "The U.N. mediated between the Taliban and the government in 2021.",
            ("United Nations", "mediates", "Afghan Taliban"),
        ),
        # a list keeps the kind of its first name
        (
            "The TTP's main backers are Pakistan and Qatar.",
            ("Qatar", "supports", "Tehrik-i-Taliban Pakistan"),
        ),
        (
            "In 2022 IS-K had cells in Kunar, Nuristan, and Pakistan.",
            ("Islamic State Khorasan Province", "operates_in", "Pakistan"),
        ),
        # a weak name of one group, unsupported, is a new group of that shape
        (
            "In 2014, the Zenki movement joined Jaysh al-Mujahedeen.",
            ("Harakat Nour al-Din al-Zenki", "part_of", "Jaysh al-Mujahedeen"),
        ),
        # a state's agency named through the state
        (
            "In 2015, Iran's Islamic Revolutionary Guard Corps armed the Taliban.",
            ("Islamic Revolutionary Guard Corps", "part_of", "Iran"),
        ),
        (
            "In 2015, Iran's Islamic Revolutionary Guard Corps armed the Taliban.",
            ("Islamic Revolutionary Guard Corps", "supports", "Afghan Taliban"),
        ),
    ],
)
def test_readings_with_the_shipped_gazetteer(text: str, expected: tuple) -> None:
    assert expected in _shipped_facts(text)


def test_the_two_hafiz_saeeds_are_told_apart_by_their_groups() -> None:
    from factiongraph.extract.pipeline import Extractor

    def person(text: str) -> str:
        found = Extractor().extract(text)
        return next(e.external_ids["gazetteer"] for e in found.entities if e.kind == "person")

    assert person("Lashkar-e-Taiba held a rally in 2016. Hafiz Saeed spoke.") == (
        "hafiz_muhammad_saeed"
    )
    assert person("IS-K grew in 2015 in Nangarhar. Hafiz Saeed was killed in 2016.") == (
        "hafiz_saeed_khan"
    )


def test_most_people_have_their_group(gaz: Gazetteer) -> None:
    people = [e for e in gaz.entries.values() if e.kind == "person"]
    with_group = [e for e in people if e.parent]
    assert len(with_group) > 0.8 * len(people)
    assert all(gaz.get(e.parent).kind == "organization" for e in with_group)
