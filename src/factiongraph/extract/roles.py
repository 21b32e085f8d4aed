"""People and the organizations they lead, belong to, or were killed by.

Three person-to-organization relations are read off the dependency parse, using the
entity mentions the earlier steps found (gazetteer names, the model's persons, short
references such as "the group"):

``leads``
    a role noun of leadership said of a person: apposition ("X, the emir of Y"; "Y's
    spokesman, X"), a title before the name ("Y commander X"), a copula or appointment
    ("X became the head of Y", "X was appointed governor of Y", "X replaced Z as leader of
    Y" — both X and Z), a leading verb ("Y, led by X", "X founded Y", "the X-led Y") and
    "under the leadership of X". The role words go to ``attributes["role"]``.
``member_of``
    the same shapes with a role noun of plain membership ("X, a former member of Y",
    "a Y fighter, X"), joining and defecting ("X joined Y", "X defected from Y"), "Y's X"
    and "X of Y".
``killed_by``
    killing verbs with the killer as agent or subject ("X was killed by Y", "Y executed X"),
    deaths in an operation of the killer ("X was killed in a US drone strike", "X died in a Y
    raid") and killing nouns ("the killing of X by Y", "Y claimed the killing of X").

A role held by one person passes to the one named as taking it over ("X succeeded Y", "Y's
successor, X"); "he" and "his" stand for the person named just before. A role stated in
the present ("X: Y's emir.") with no time of its own is dated to the publication.

The word lists live in ``data/roles.yaml``. :func:`role_relations` turns what is found
into :class:`AssertionRecord` objects with time, modality and claimant, like the other
relations of a document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from factiongraph.extract.entities import EntityTable, Mention
from factiongraph.extract.evidence import modality_of, time_of, trim
from factiongraph.extract.records import AssertionRecord
from factiongraph.models import Predicate

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from factiongraph.extract.nlp import DocState

__all__ = ["RoleLexicon", "RoleFact", "find_role_facts", "role_relations", "ROLES_PATH"]

ROLES_PATH = Path(__file__).parent / "data" / "roles.yaml"

_PERSON_PRONOUNS = frozenset({"he", "she", "him", "his", "her"})
_COPULAS = frozenset(
    {"be", "become", "remain", "serve", "act", "emerge", "work", "stay", "continue", "rise"}
)
_ROLE_PREPS = frozenset({"of", "for", "in", "within", "at", "with", "inside", "from"})
_PARTITIVES = frozenset(
    {"one", "two", "three", "some", "several", "many", "each", "both", "all", "few", "most"}
)
_STATE_LIKE = frozenset({"state", "state_agency", "international_body"})
_NOT_VICTIMS = frozenset({"who", "which", "that"})
_BE_FORMS = frozenset({"be", "is", "was", "were", "are", "am", "been", "being", "'s", "\u2019s"})
_SKIP_PUNCT = frozenset({",", ":", "_", "-", "\u2013", "\u2014", "(", '"', "\u201c", "'"})


@dataclass(frozen=True)
class RoleLexicon:
    """The word lists of ``data/roles.yaml``."""

    lead_roles: frozenset[str]
    member_roles: frozenset[str]
    role_modifiers: frozenset[str]
    leading_modifiers: frozenset[str]
    member_modifiers: frozenset[str]
    state_member_roles: frozenset[str]
    leadership_nouns: frozenset[str]
    lead_verbs: frozenset[str]
    founding_verbs: frozenset[str]
    appoint_verbs: frozenset[str]
    succeed_verbs: frozenset[str]
    join_verbs: frozenset[str]
    member_prep_verbs: dict[str, frozenset[str]]
    membership_nouns: frozenset[str]
    kill_verbs: frozenset[str]
    die_verbs: frozenset[str]
    killing_nouns: frozenset[str]
    event_nouns: frozenset[str]

    @classmethod
    def load(cls, path: Path = ROLES_PATH) -> RoleLexicon:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))

        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).lower() for w in data.get(key, []) or [])

        preps = {
            str(verb).lower(): frozenset(str(p).lower() for p in (ps or []))
            for verb, ps in (data.get("member_prep_verbs") or {}).items()
        }
        return cls(
            lead_roles=words("lead_roles"),
            member_roles=words("member_roles"),
            role_modifiers=words("role_modifiers"),
            leading_modifiers=words("leading_modifiers"),
            member_modifiers=words("member_modifiers"),
            state_member_roles=words("state_member_roles"),
            leadership_nouns=words("leadership_nouns"),
            lead_verbs=words("lead_verbs"),
            founding_verbs=words("founding_verbs"),
            appoint_verbs=words("appoint_verbs"),
            succeed_verbs=words("succeed_verbs"),
            join_verbs=words("join_verbs"),
            member_prep_verbs=preps,
            membership_nouns=words("membership_nouns"),
            kill_verbs=words("kill_verbs"),
            die_verbs=words("die_verbs"),
            killing_nouns=words("killing_nouns"),
            event_nouns=words("event_nouns"),
        )

    def role_of(self, tok: Token) -> Predicate | None:
        """Whether ``tok`` is a role noun, and of which relation."""
        doc = tok.doc
        if tok.lower_ == "second" and any(
            c.lower_ == "in" and any(g.lower_ == "command" for g in c.children)
            for c in tok.children
        ):
            return Predicate.LEADS  # "the second in command"
        if tok.lower_ == "general" and tok.i >= 2 and doc[tok.i - 1].text == "-":
            tok = doc[tok.i - 2]  # "director-general", "secretary-general"
        for w in (tok.lemma_.lower(), tok.lower_, _bare(tok)):
            if w in self.lead_roles:
                return Predicate.LEADS
            if w in self.member_roles:
                return Predicate.MEMBER_OF
        return None

    def verb_in(self, tok: Token, entries: frozenset[str]) -> str | None:
        """The entry of ``entries`` that ``tok`` (with its particle, if any) says."""
        lemma = tok.lemma_.lower()
        parts = [c.lower_ for c in tok.children if c.dep_ in ("prt", "advmod", "acomp", "oprd")]
        if tok.i + 1 < len(tok.doc):
            parts.append(tok.doc[tok.i + 1].lower_)  # "shot dead X", parsed apart
        for p in parts:
            if f"{lemma} {p}" in entries:
                return f"{lemma} {p}"
        if lemma in entries or tok.lower_ in entries:
            return lemma
        return None


_NOTE_TAIL = re.compile(r"(?<=[a-z])[.\[\]\d]+$")


def _bare(tok: Token) -> str:
    """The word without a note number glued to it ("airstrike.8" is "airstrike")."""
    word = _NOTE_TAIL.sub("", tok.lower_)
    if word.endswith("s") and word[:-1] and tok.tag_ in ("NNS", "NNPS"):
        return word[:-1]
    return word


@functools.cache
def default_role_lexicon() -> RoleLexicon:
    """The shipped role lexicon, loaded once per process."""
    return RoleLexicon.load()


@dataclass
class RoleFact:
    """One person-to-organization relation found in a sentence."""

    person: Mention
    predicate: Predicate
    org: Mention
    trigger: int  # token index of the word that signals it
    sentence: Span
    role: str | None = None
    confidence: float = 0.6
    extra: dict[str, Any] = field(default_factory=dict)


class _Index:
    """Mentions by token, and the person a pronoun stands for."""

    def __init__(self, doc: Doc, mentions: Iterable[Mention], table: EntityTable) -> None:
        self.doc = doc
        self.table = table
        self.by_token: dict[int, list[Mention]] = {}
        for m in mentions:
            if m.start < 0:
                continue
            for i in range(m.start, m.end):
                self.by_token.setdefault(i, []).append(m)
        self.sents = list(doc.sents)
        self.sent_no: dict[int, int] = {}
        for k, s in enumerate(self.sents):
            self.sent_no[s.start] = k
        self._pronouns: dict[int, Mention | None] = {}

    def at(self, i: int) -> list[Mention]:
        return self.by_token.get(i, [])

    def persons(self, tok: Token) -> list[Mention]:
        """The persons named by ``tok``, its conjuncts and appositions."""
        out: list[Mention] = []
        self._gather(tok, "person", out, 0)
        if not out and tok.dep_ == "appos" and tok.head != tok:
            # "X, a former commander who ...": the role noun stands for X
            self._gather(tok.head, "person", out, 0)
        return out

    def orgs(self, tok: Token) -> list[Mention]:
        out: list[Mention] = []
        self._gather(tok, "organization", out, 0)
        return out

    def _gather(self, tok: Token, kind: str, out: list[Mention], depth: int) -> None:
        if depth > 6:
            return
        here = [m for m in self.at(tok.i) if m.kind == kind]
        if not here and kind == "person" and tok.lower_ in _PERSON_PRONOUNS:
            p = self.pronoun(tok)
            if p is not None:
                here = [p]
        for m in here:
            if all(m is not x for x in out):
                out.append(m)
        for c in tok.children:
            if c.dep_ in ("conj", "appos"):
                self._gather(c, kind, out, depth + 1)
            elif c.dep_ == "compound" and kind == "person" and not here and c.i < tok.i:
                # a name split over tokens the merge missed
                self._gather(c, kind, out, depth + 1)
            elif kind == "person" and not here:
                for t in _named_by(c):
                    self._gather(t, kind, out, depth + 1)
            elif (
                kind == "organization"
                and not here
                and c.dep_ in ("compound", "poss", "amod", "nmod")
                and c.i < tok.i
                and _bare(tok) in _FORCE_NOUNS
            ):
                # "Taliban fighters", "the group's militants"
                self._gather(c, kind, out, depth + 1)

    def pronoun(self, tok: Token) -> Mention | None:
        """The person "he"/"his" refers to: the last person before it in the sentence, else
        the first person of one of the two sentences before."""
        if tok.i in self._pronouns:
            return self._pronouns[tok.i]
        found: Mention | None = None
        sent = tok.sent
        before = [
            m
            for i in range(tok.i - 1, sent.start - 1, -1)
            for m in self.at(i)
            if m.kind == "person" and m.source != "coref" and m.start == i
        ]
        if tok.dep_ in ("dobj", "pobj", "dative"):
            # "X replaced him": not X
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            before = [m for m in before if not _subject_of(self.doc[m.end - 1], verb)]
        if tok.dep_ == "poss" and (
            tok.head.dep_ == "appos" or (tok.head.dep_ == "pobj" and tok.head.head.lower_ == "as")
        ):
            # "X, his deputy", "X as his deputy": not X
            named = tok.head.head if tok.head.dep_ == "appos" else tok.head.head.head
            before = [m for m in before if not (m.start <= named.i < m.end)]
        subjects = [m for m in before if _is_subject(self.doc[m.end - 1])]
        if subjects or before:
            found = (subjects or before)[0]
        if found is None:
            k = self.sent_no.get(sent.start, 0)
            for back in (1, 2):
                if k - back < 0:
                    break
                prev = self.sents[k - back]
                if re.search(r"\n\s*\n", _text(self.doc)[prev.end_char : tok.idx]):
                    break  # not across a paragraph break
                people = [
                    m
                    for i in range(prev.start, prev.end)
                    for m in self.at(i)
                    if m.kind == "person" and m.source != "coref" and m.start == i
                ]
                subjects = [m for m in people if _is_subject(self.doc[m.end - 1])]
                if subjects or people:
                    found = (subjects or people)[0]
                    break
        self._pronouns[tok.i] = found
        return found


def _subject_of(tok: Token, verb: Token) -> bool:
    cur = tok
    for _ in range(3):
        if cur.dep_ in ("nsubj", "nsubjpass") and cur.head == verb:
            return True
        if cur.dep_ in ("compound", "appos", "conj") and cur.head != cur:
            cur = cur.head
            continue
        return False
    return False


def _is_subject(tok: Token) -> bool:
    cur = tok
    for _ in range(3):
        if cur.dep_ in ("nsubj", "nsubjpass") or (cur.dep_ == "ROOT" and cur.pos_ == "PROPN"):
            return True
        if cur.dep_ in ("compound", "appos", "conj") and cur.head != cur:
            cur = cur.head
            continue
        return False
    return False


_FORCE_NOUNS = frozenset(
    {
        "movement",
        "organisation",
        "organization",
        "fighter",
        "force",
        "militant",
        "troop",
        "soldier",
        "gunman",
        "member",
        "insurgent",
        "commando",
        "men",
        "unit",
        "operative",
        "jihadist",
    }
)
_TAKE_VERBS = frozenset(
    {"take", "assume", "seize", "inherit", "hold", "retain", "lose", "give", "hand", "grab"}
)
_EXPEL_VERBS = frozenset({"expel", "oust", "dismiss", "remove", "sack", "purge"})
_ACCEPT_VERBS = frozenset(
    {"recognise", "recognize", "accept", "acknowledge", "regard", "see", "choose", "elect"}
)
_NAMING_VERBS = frozenset({"name", "call", "identify", "know"})
_LISTING_PREPS = frozenset({"including", "like", "namely"})


def _named_by(c: Token) -> list[Token]:
    """Names a noun lists through ``c``: "commanders named X", "leaders including X and Y",
    "figures such as X"."""
    if c.dep_ == "acl" and c.lemma_.lower() in _NAMING_VERBS:
        out = [g for g in c.children if g.dep_ in ("oprd", "dobj", "attr")]
        for g in c.children:
            if g.dep_ == "prep" and g.lower_ == "as":
                out.extend(gg for gg in g.children if gg.dep_ == "pobj")
        return out
    if c.dep_ == "prep" and (
        c.lower_ in _LISTING_PREPS
        or (c.lower_ == "as" and any(g.lower_ == "such" for g in c.children))
    ):
        return [g for g in c.children if g.dep_ == "pobj"]
    if c.dep_ == "amod" and c.lower_ == "such":
        as_ = [g for g in c.children if g.lower_ == "as"]
        return [gg for g in as_ for gg in g.children if gg.dep_ == "pobj"]
    return []


# -- role nouns --------------------------------------------------------------------------------


def _lemma(tok: Token) -> str:
    low = tok.lower_
    return "be" if low in _BE_FORMS and tok.pos_ == "AUX" else tok.lemma_.lower()


def _role_words(tok: Token, lex: RoleLexicon) -> str:
    """The role phrase: modifiers kept before the role noun, in text order."""
    mods = [
        c
        for c in tok.children
        if c.dep_ in ("amod", "compound", "nmod", "advmod")
        and c.i < tok.i
        and (c.lower_ in lex.role_modifiers or c.lower_ in lex.lead_roles)
        and c.lower_ != tok.lower_
    ]
    return " ".join([*(m.lower_ for m in sorted(mods, key=lambda x: x.i)), _bare(tok)])


def _state_role(
    pred: Predicate, tok: Token, org: Mention, idx: _Index, lex: RoleLexicon
) -> Predicate:
    """A minister or envoy of a state is one of its members; its president leads it."""
    word = {_bare(tok), tok.lemma_.lower()}
    if (
        pred == Predicate.LEADS
        and idx.table.get(org.key).category == "state"
        and word & lex.state_member_roles
    ):
        return Predicate.MEMBER_OF
    return pred


def _role_predicate(tok: Token, pred: Predicate, lex: RoleLexicon) -> Predicate:
    if pred == Predicate.LEADS and any(
        c.lower_ in lex.member_modifiers for c in tok.children if c.dep_ in ("amod", "compound")
    ):
        return Predicate.MEMBER_OF
    if pred == Predicate.MEMBER_OF and any(
        c.lower_ in lex.leading_modifiers for c in tok.children if c.dep_ in ("amod", "compound")
    ):
        return Predicate.LEADS
    return pred


def _orgs_of_role(tok: Token, idx: _Index) -> list[Mention]:
    """The organizations a role noun names: "Y's leader", "Y leader", "leader of Y"."""
    orgs: list[Mention] = []
    doc = tok.doc
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "nmod", "amod") and c.i < tok.i:
            if any(doc[j].text[:1] in ":;()" for j in range(c.i + 1, tok.i)):
                continue  # "the deal with Y: leaders like X" is no possessive
            orgs.extend(idx.orgs(c))
        elif c.dep_ == "prep" and c.lower_ in _ROLE_PREPS:
            for p in c.children:
                if p.dep_ == "pobj":
                    orgs.extend(idx.orgs(p))
                    if c.lower_ == "of":
                        orgs.extend(_state_of(p, idx))  # "the president of Y"
    if not orgs and tok.dep_ in ("compound", "nmod", "amod"):
        # "Taliban leader X": "Taliban" may hang on the name rather than on "leader"
        head = tok.head
        for c in head.children:
            if c.dep_ in ("compound", "nmod", "poss", "amod") and c.i < tok.i:
                orgs.extend(idx.orgs(c))
        # "President X of Y"
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        orgs.extend(idx.orgs(g) or _state_of(g, idx))
        # "Y leader and founder X": the first role noun names Y
        if not orgs and head.dep_ == "conj" and head.head.pos_ == "NOUN":
            orgs.extend(
                m
                for c in head.head.children
                if c.dep_ in ("compound", "poss", "nmod") and c.i < head.head.i
                for m in idx.orgs(c)
            )
    if not orgs and tok.dep_ == "pobj" and tok.head.lower_ == "as":
        # "the founding of Y with X as emir"; "X is recognised as leader by Y"
        gov = tok.head.head
        if gov.pos_ == "VERB" and gov.lemma_.lower() in _ACCEPT_VERBS:
            orgs.extend(m for a in _agents(gov) for m in idx.orgs(a))
        if gov.pos_ in ("NOUN", "PROPN"):
            orgs.extend(idx.orgs(gov))
            for c in gov.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    orgs.extend(m for g in c.children if g.dep_ == "pobj" for m in idx.orgs(g))
    if not orgs and tok.i > tok.sent.start:
        # "JNIM emir" parsed apart
        orgs.extend(m for m in idx.at(tok.i - 1) if m.kind == "organization")
    if not orgs:
        # the words right before: "IS-K's emir", "TTP commander", "the TTP's former chief"
        i = tok.i - 1
        while i >= tok.sent.start and tok.doc[i].dep_ in ("amod", "compound", "advmod", "case"):
            ms = [m for m in idx.at(i) if m.kind == "organization"]
            if ms:
                orgs.extend(ms)
                break
            i -= 1
    uniq: list[Mention] = []
    for m in orgs:
        if all(m is not u for u in uniq):
            uniq.append(m)
    return uniq


def _governing_people(
    verb: Token, slot: Token | None, idx: _Index, lex: RoleLexicon, depth: int = 0
) -> list[Token]:
    """Who a role given by ``verb`` is said of ("X was named emir", "named X emir")."""
    out: list[Token] = []
    if slot is not None and slot.dep_ == "prep" and slot.lower_ == "as":
        # "they regarded X as the leader": the object is the one described
        objs = [c for c in verb.children if c.dep_ == "dobj" and c != slot]
        if objs and not lex.verb_in(verb, lex.succeed_verbs):
            return objs
    for c in verb.children:
        if slot is not None and c == slot:
            continue
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.lower_ in _NOT_VICTIMS and verb.dep_ == "relcl":
                out.append(verb.head)
            else:
                out.append(c)
        elif c.dep_ == "dobj" and (
            lex.verb_in(verb, lex.appoint_verbs) or lex.verb_in(verb, lex.succeed_verbs)
        ):
            out.append(c)
    if not out and depth < 3 and verb.head != verb:
        gov = verb.head
        if verb.dep_ == "pcomp" and gov.dep_ == "prep":
            # "after being named deputy, X ...": the subject of the main clause
            gov = gov.head
            for _ in range(3):
                if gov.pos_ in ("VERB", "AUX") or gov.dep_ not in ("npadvmod", "advmod"):
                    break
                gov = gov.head
        if verb.dep_ in ("xcomp", "ccomp", "conj", "advcl", "pcomp") and gov.pos_ in (
            "VERB",
            "AUX",
        ):
            # "X was appointed to be the leader", "they suspected X of being an agent of Y":
            # the object of the governing verb if it has one, else whom it is about
            objs = [c for c in gov.children if c.dep_ == "dobj"]
            if verb.dep_ in ("xcomp", "pcomp") and objs:
                out.extend(objs)
            else:
                out.extend(_governing_people(gov, None, idx, lex, depth + 1))
        elif verb.dep_ in ("relcl", "acl", "appos", "dep", "parataxis") or (
            verb.dep_ == "pcomp" and gov.pos_ in ("NOUN", "PROPN")
        ):
            # "X, who served as ...", "_X_: Served as emir of Y"
            out.append(gov)
    for t in list(out):
        # "X was a Pashtun who served as ...": the person the noun describes
        if t.dep_ in ("attr", "appos") and t.head != t:
            gov = t.head
            if t.dep_ == "appos":
                out.append(gov)
            elif _lemma(gov) in _COPULAS:
                out.extend(c for c in gov.children if c.dep_ in ("nsubj", "nsubjpass"))
    return out


def _people_of_role(tok: Token, idx: _Index, lex: RoleLexicon) -> list[Mention]:
    """The persons a role noun is said of."""
    people: list[Mention] = []
    anchor = tok
    # "X, one of the deputies of Y": the role sits in a partitive phrase
    if (
        tok.dep_ == "pobj"
        and tok.head.lower_ in ("of", "among")
        and (tok.head.head.lower_ in _PARTITIVES or tok.head.head.like_num)
    ):
        anchor = tok.head.head
    head = anchor.head
    if anchor.dep_ in ("compound", "nmod", "amod") and head != anchor:
        # "Y commander X": the role noun modifies the name
        people.extend(idx.persons(head))
    if anchor.dep_ == "appos":
        near = _adjacent_person(anchor, idx)
        far = idx.persons(head)
        # "X accused Y, the Y-group spokesman": the name right before the apposition
        people.extend(near if near and all(m.key != n.key for m in far for n in near) else far)
    for c in anchor.children:
        if c.dep_ == "appos" or (c.dep_ == "dep" and c.i < anchor.i):
            people.extend(idx.persons(c))
        if c.dep_ == "conj" and any(g.dep_ == "compound" and lex.role_of(g) for g in c.children):
            people.extend(idx.persons(c))  # "Y leader and founder X"
        for t in _named_by(c):
            people.extend(idx.persons(t))
    # a role stated through a verb
    slot = anchor
    if slot.dep_ == "pobj" and (
        slot.head.lower_ == "as"
        or (slot.head.lower_ == "to" and lex.verb_in(slot.head.head, lex.appoint_verbs))
    ):
        slot = slot.head  # "X served as emir", "X was promoted to commander"
    if slot.dep_ in ("attr", "oprd", "xcomp", "acomp", "prep", "dobj", "ccomp") and (
        slot.head.pos_ in ("VERB", "AUX")
    ):
        verb = slot.head
        lemma = _lemma(verb)
        if (
            lemma in _COPULAS
            or lex.verb_in(verb, lex.appoint_verbs)
            or lex.verb_in(verb, lex.succeed_verbs)
            or slot.dep_ in ("prep", "oprd")
        ) and not (slot.dep_ == "dobj" and not lex.verb_in(verb, lex.appoint_verbs)):
            for t in _governing_people(verb, slot, idx, lex):
                people.extend(idx.persons(t))
    if not people and slot.dep_ == "prep" and slot.lower_ == "as":
        people.extend(m for m in idx.at(slot.head.i) if m.kind == "person")  # "X as his deputy"
    if not people and slot.dep_ == "prep" and slot.lower_ == "as" and slot.head.pos_ == "NOUN":
        # "the founding of Y with X as its emir"
        for c in slot.head.children:
            if c.dep_ == "prep" and c.lower_ == "with":
                people.extend(m for g in c.children if g.dep_ == "pobj" for m in idx.persons(g))
    if not people:
        people.extend(_adjacent_person(tok, idx))
    uniq: list[Mention] = []
    for m in people:
        if all(m is not u for u in uniq):
            uniq.append(m)
    return uniq


def _adjacent_person(tok: Token, idx: _Index) -> list[Mention]:
    """A person written right next to the role phrase: "X, a former commander", "X_: emir"."""
    doc = tok.doc
    sent = tok.sent
    # left edge of the role phrase (determiners, adjectives, the organization's name)
    left = tok.left_edge.i
    i = left - 1
    seen_punct = False
    floor = sent.start
    if left == sent.start and left > 0 and doc[left - 1].text in _SKIP_PUNCT:
        # "_Name_: Y's emir" split into two sentences at the colon
        floor = doc[left - 1].sent.start
    while i >= floor and "\n" not in doc[i].text_with_ws:
        if doc[i].text == ")":
            # "X (also known as Z): Y's emir": the name before the parenthesis
            j = i
            while j > floor and doc[j].text != "(":
                j -= 1
            if doc[j].text != "(":
                break
            i = j - 1
            seen_punct = True
            continue
        if doc[i].text not in _SKIP_PUNCT:
            break
        seen_punct = True
        i -= 1
    loose = tok.dep_ in ("appos", "ROOT", "dep", "npadvmod", "conj", "parataxis", "meta") or (
        # "X, a former commander of Y, ..." parsed as something else
        any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in tok.children)
        and doc[i + 1].text == ","
    )
    if seen_punct and loose and i >= floor:
        ms = [m for m in idx.at(i) if m.kind == "person"]
        if ms:
            return ms
    # right after the role phrase: "the group's leader, X", "the chief judge of Y X"
    right = tok.right_edge.i + 1
    if right < sent.end and doc[right].text in (",", ":"):
        j = right + 1
        if j < sent.end:
            ms = [m for m in idx.at(j) if m.kind == "person"]
            if ms and (
                doc[j].dep_ in ("appos", "conj", "npadvmod", "dep")
                or doc[j].head == tok.head
                or (
                    # "Y's emir, X, said ...": the name is the subject the role introduces
                    doc[j].dep_ in ("nsubj", "nsubjpass")
                    and tok.dep_ in ("attr", "nsubj", "ROOT", "npadvmod", "dep")
                )
            ):
                return ms
    elif right < sent.end and tok.right_edge.i > tok.i:
        ms = [m for m in idx.at(right) if m.kind == "person"]
        if ms and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            return ms
    # directly before: "TTP commander X" parsed apart
    if tok.i + 1 < sent.end and tok.dep_ in ("compound", "nmod"):
        ms = [m for m in idx.at(tok.i + 1) if m.kind == "person"]
        if ms:
            return ms
    return []


def _role_nouns(
    sent: Span, idx: _Index, lex: RoleLexicon, known: dict[str, RoleFact] | None = None
) -> list[RoleFact]:
    out: list[RoleFact] = []
    respectively = any(t.lower_ == "respectively" for t in sent)
    for tok in sent:
        if (tok.pos_ not in ("NOUN", "PROPN") and tok.lower_ != "second") or any(
            m.kind in ("organization", "person") for m in idx.at(tok.i)
        ):
            continue
        pred = lex.role_of(tok)
        if pred is None:
            continue
        pred = _role_predicate(tok, pred, lex)
        chain = _role_chain(tok, lex)
        orgs = _orgs_of_role(tok, idx)
        if not orgs:
            # "the governor and deputy governor of Y": the roles share the organization
            for r in chain:
                if r != tok and not orgs:
                    orgs = _orgs_of_role(r, idx)
        if not orgs and known:
            # "X, his deputy": the organization the possessor is known to lead
            for c in tok.children:
                if c.dep_ == "poss":
                    for p in idx.persons(c):
                        if p.key in known:
                            orgs.append(known[p.key].org)
        if not orgs:
            continue
        people = _people_of_role(tok, idx, lex)
        if not people and chain[0] != tok:
            people = _people_of_role(chain[0], idx, lex)
        if respectively and len(chain) > 1 and len(people) == len(chain):
            # "X and Z were the emir and deputy emir of Y, respectively"
            people = [people[chain.index(tok)]]
        role = _role_words(tok, lex)
        for person in people:
            for org in orgs:
                p = _state_role(pred, tok, org, idx, lex)
                out.append(RoleFact(person, p, org, tok.i, sent, role))
    out.extend(_named_leaderships(sent, idx, lex))
    return out


def _role_chain(tok: Token, lex: RoleLexicon) -> list[Token]:
    """The role nouns coordinated with ``tok``, in text order ("emir and deputy emir")."""
    first = tok
    while first.dep_ == "conj" and first.head != first and lex.role_of(first.head):
        first = first.head
    chain = [first]
    cur = first
    while True:
        nxt = [
            c
            for c in cur.children
            if c.dep_ == "conj"
            and lex.role_of(c)
            and not any(g.dep_ in ("det", "nummod", "poss") for g in c.children)
        ]
        if not nxt:
            break
        cur = nxt[0]
        chain.append(cur)
    return chain if tok in chain else [tok]


def _named_leaderships(sent: Span, idx: _Index, lex: RoleLexicon) -> list[RoleFact]:
    """ "the Y leadership, including X and Z": a name that ends in a word for leaders."""
    out: list[RoleFact] = []
    for tok in sent:
        orgs = [m for m in idx.at(tok.i) if m.kind == "organization" and m.source != "coref"]
        if not orgs:
            continue
        last = orgs[0].text.split()[-1].lower()
        if last not in lex.leadership_nouns and last.rstrip("s") not in lex.lead_roles:
            continue
        holders = [tok]
        if tok.dep_ == "pobj" and tok.head.lower_ == "of":
            holders.append(tok.head.head)  # "the role of the Y leadership, including X"
        people = [
            m for h in holders for c in h.children for t in _named_by(c) for m in idx.persons(t)
        ]
        for person in people:
            for org in orgs:
                out.append(RoleFact(person, Predicate.LEADS, org, tok.i, sent, "leadership"))
    return out


# -- leadership in verbs and "under the leadership of" --------------------------------------


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl", "amod")
    )


def _agents(verb: Token) -> list[Token]:
    out = []
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def _described_orgs(tok: Token, idx: _Index) -> list[Mention]:
    """The organization a noun phrase names, or the one it is in apposition with."""
    if tok.dep_ == "attr" and _lemma(tok.head) == "be":
        # "X was a militant group formed by ...": X
        subj = [m for c in tok.head.children if c.dep_ == "nsubj" for m in idx.orgs(c)]
        if subj:
            return subj
    orgs = idx.orgs(tok)
    if orgs:
        return orgs
    if tok.dep_ == "appos":
        orgs = idx.orgs(tok.head)
    if not orgs:
        for c in tok.children:
            if c.dep_ == "appos":
                orgs.extend(idx.orgs(c))
    if not orgs and tok.dep_ in ("attr",) and _lemma(tok.head) == "be":
        for c in tok.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                orgs.extend(idx.orgs(c))
    return orgs


def _lead_verbs(sent: Span, idx: _Index, lex: RoleLexicon) -> list[RoleFact]:
    out: list[RoleFact] = []
    doc = sent.doc
    for tok in sent:
        if tok.pos_ not in ("VERB", "ADJ") and tok.tag_ != "VBN":
            continue
        word = lex.verb_in(tok, lex.lead_verbs)
        if word is None:
            continue
        role = "founder" if word in lex.founding_verbs else "leader"
        people: list[Mention] = []
        orgs: list[Mention] = []
        # "the X-led Y"
        if tok.i >= 2 and doc[tok.i - 1].text == "-" and tok.dep_ in ("amod", "compound"):
            people = [m for m in idx.at(tok.i - 2) if m.kind == "person"]
            orgs = _described_orgs(tok.head, idx)
        elif _passive(tok):
            people = [m for a in _agents(tok) for m in idx.persons(a)]
            targets = [c for c in tok.children if c.dep_ == "nsubjpass"]
            if not targets and tok.dep_ in ("acl", "amod"):
                targets = [tok.head]
            if not targets and tok.dep_ == "advcl":
                # "Led by X, the group ..."
                targets = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            for t in targets:
                orgs.extend(_described_orgs(t, idx))
        else:
            subs: list[Token] = []
            for c in tok.children:
                if c.dep_ == "nsubj":
                    subs.append(tok.head if c.lower_ in _NOT_VICTIMS else c)
            if not subs and tok.dep_ == "conj":
                subs = [c for c in tok.head.children if c.dep_ == "nsubj"]
            people = [m for s in subs for m in idx.persons(s)]
            orgs = [m for c in tok.children if c.dep_ == "dobj" for m in idx.orgs(c)]
            if tok.lemma_.lower() in ("form", "create"):
                # "X formed the group" after another group was named: too loose
                orgs = [m for m in orgs if m.source != "coref"]
        for p in people:
            for o in orgs:
                out.append(RoleFact(p, Predicate.LEADS, o, tok.i, sent, role))
    return out


def _leadership_nouns(sent: Span, idx: _Index, lex: RoleLexicon) -> list[RoleFact]:
    """ "Y under the leadership of X", "under X's leadership", "under Commander X";
    "X was in charge of Y", "X, at the helm of Y"."""
    out: list[RoleFact] = []
    for tok in sent:
        if (
            tok.dep_ == "dobj"
            and (tok.lemma_.lower() in lex.leadership_nouns or tok.lower_ == "reins")
            and tok.head.lemma_.lower() in _TAKE_VERBS
        ):
            # "X took over the leadership of Y", "X assumed command of Y", "X took Y's helm"
            orgs = [m for c in tok.children if c.dep_ == "poss" for m in idx.orgs(c)]
            orgs += [
                m
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                if g.dep_ == "pobj"
                for m in idx.orgs(g)
            ]
            people = [m for t in _governing_people(tok.head, tok, idx, lex) for m in idx.persons(t)]
            for p in people:
                for o in orgs:
                    out.append(RoleFact(p, Predicate.LEADS, o, tok.i, sent, "leader", 0.55))
            continue
        if (
            tok.lower_ in ("charge", "helm", "head")
            and tok.dep_ == "pobj"
            and tok.head.lower_ in ("in", "at")
        ):
            orgs = [
                m
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                if g.dep_ == "pobj"
                for m in idx.orgs(g)
            ]
            gov = tok.head.head
            people: list[Mention] = []
            if orgs and gov.pos_ in ("VERB", "AUX"):
                people = [
                    m for t in _governing_people(gov, tok.head, idx, lex) for m in idx.persons(t)
                ]
            elif orgs:
                people = idx.persons(gov)
            for p in people:
                for o in orgs:
                    out.append(RoleFact(p, Predicate.LEADS, o, tok.i, sent, "leader", 0.55))
            continue
        if tok.lower_ != "under" or tok.dep_ != "prep":
            continue
        for pobj in (c for c in tok.children if c.dep_ == "pobj"):
            people: list[Mention] = []
            if pobj.lemma_.lower() in lex.leadership_nouns:
                for c in pobj.children:
                    if c.dep_ == "poss":
                        people.extend(idx.persons(c))
                    elif c.dep_ == "prep" and c.lower_ == "of":
                        for g in c.children:
                            if g.dep_ == "pobj":
                                people.extend(idx.persons(g))
                role = "governor" if pobj.lemma_.lower() == "governorship" else "leader"
            else:
                people = idx.persons(pobj)
                role = (
                    "commander"
                    if any(c.lower_ == "commander" for c in pobj.children if c.dep_ == "compound")
                    else "leader"
                )
                if not any(
                    c.lower_ in lex.lead_roles for c in pobj.children if c.dep_ == "compound"
                ):
                    # "under X" alone is too loose (under pressure, under Karzai's rule)
                    continue
            if not people:
                continue
            gov = tok.head
            orgs = _described_orgs(gov, idx)
            if not orgs:
                for c in gov.children:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        orgs.extend(m for g in c.children if g.dep_ == "pobj" for m in idx.orgs(g))
            if not orgs and gov.pos_ in ("VERB", "AUX"):
                for c in gov.children:
                    if c.dep_ in ("nsubj", "nsubjpass", "dobj"):
                        orgs.extend(idx.orgs(c))
            if not orgs:
                # "Under the leadership of X, the Y ..." attached to the wrong word: the
                # subject right after the phrase
                j = pobj.right_edge.i + 1
                while j < sent.end and sent.doc[j].pos_ in ("PUNCT", "DET"):
                    j += 1
                if j < sent.end and sent.doc[j].dep_ in ("nsubj", "nsubjpass"):
                    orgs.extend(m for m in idx.at(j) if m.kind == "organization")
            for p in people:
                for o in orgs:
                    out.append(RoleFact(p, Predicate.LEADS, o, tok.i, sent, role, 0.5))
    return out


def _succession(
    sent: Span, idx: _Index, lex: RoleLexicon, known: dict[str, RoleFact]
) -> list[RoleFact]:
    """ "X succeeded Y" / "Y was replaced by X" with no role named: the role Y (or X) is
    known to hold in the document passes to the other."""
    out: list[RoleFact] = []
    for tok in sent:
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in ("successor", "predecessor"):
            # "X's successor, Y": Y holds the role X is known to have held
            holders = [m for c in tok.children if c.dep_ == "poss" for m in idx.persons(c)]
            holders += [
                m
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ in ("of", "to")
                for g in c.children
                if g.dep_ == "pobj"
                for m in idx.persons(g)
            ]
            named = _people_of_role(tok, idx, lex) if holders else []
            out.extend(_pass_role(holders, named, known, tok, sent))
            continue
        if tok.pos_ != "VERB" or lex.verb_in(tok, lex.succeed_verbs) is None:
            continue
        if any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children):
            continue  # the role is named; the role nouns take care of it
        if _passive(tok):
            new = [m for a in _agents(tok) for m in idx.persons(a)]
            old = [m for c in tok.children if c.dep_ == "nsubjpass" for m in idx.persons(c)]
        else:
            subs = [c for c in tok.children if c.dep_ == "nsubj"]
            subs = [tok.head if s.lower_ in _NOT_VICTIMS else s for s in subs]
            if not subs and tok.dep_ == "conj":
                subs = [c for c in tok.head.children if c.dep_ == "nsubj"]
            new = [m for s in subs for m in idx.persons(s)]
            old = [m for c in tok.children if c.dep_ == "dobj" for m in idx.persons(c)]
        out.extend(_pass_role(old, new, known, tok, sent))
    return out


def _pass_role(
    old: list[Mention], new: list[Mention], known: dict[str, RoleFact], tok: Token, sent: Span
) -> list[RoleFact]:
    out: list[RoleFact] = []
    for a, b in ((old, new), (new, old)):
        for p in a:
            fact = known.get(p.key)
            if fact is None:
                continue
            for q in b:
                if q.key != p.key:
                    out.append(RoleFact(q, Predicate.LEADS, fact.org, tok.i, sent, fact.role, 0.5))
    return out


# -- membership ------------------------------------------------------------------------------


def _membership(sent: Span, idx: _Index, lex: RoleLexicon) -> list[RoleFact]:
    out: list[RoleFact] = []
    for tok in sent:
        if tok.pos_ == "VERB":
            subs: list[Token] = []
            expelled = tok.lemma_.lower() in _EXPEL_VERBS and _passive(tok)
            for c in tok.children:
                if c.dep_ == "nsubj" or (expelled and c.dep_ == "nsubjpass"):
                    subs.append(tok.head if c.lower_ in _NOT_VICTIMS else c)
            gov = tok.head
            if tok.dep_ == "pcomp" and gov.dep_ == "prep":
                gov = gov.head  # "X was a member of Y before joining Z"
            if (
                not subs
                and tok.dep_ in ("conj", "xcomp", "advcl", "pcomp")
                and gov.pos_ in ("VERB", "AUX")
            ):
                subs = [c for c in gov.children if c.dep_ == "nsubj"]
                subs = [gov.head if s.lower_ in _NOT_VICTIMS else s for s in subs]
            if not subs and tok.dep_ == "relcl":
                subs = [tok.head]
            if not subs:
                continue
            people = [m for s in subs for m in idx.persons(s)]
            if not people:
                continue
            orgs: list[Mention] = []
            role: str | None = None
            former: set[int] = set()
            if lex.verb_in(tok, lex.join_verbs):
                orgs = [m for c in tok.children if c.dep_ == "dobj" for m in idx.orgs(c)]
            lemma = tok.lemma_.lower()
            preps = lex.member_prep_verbs.get(lemma)
            if preps is not None:
                for c in tok.children:
                    if c.dep_ in ("prep", "prt", "dative") and c.lower_ in preps:
                        objs = [g for g in c.children if g.dep_ == "pobj"]
                        objs += [
                            gg
                            for g in c.children
                            if g.dep_ == "prep"
                            for gg in g.children
                            if gg.dep_ == "pobj"
                        ]
                        found = [m for g in objs for m in idx.orgs(g)]
                        if c.lower_ == "from" or lemma == "leave" or expelled:
                            former.update(id(m) for m in found)
                        orgs.extend(found)
                if lemma == "leave":
                    left = [m for c in tok.children if c.dep_ == "dobj" for m in idx.orgs(c)]
                    former.update(id(m) for m in left)
                    orgs.extend(left)
            for p in people:
                for o in orgs:
                    r = "former member" if id(o) in former else role
                    out.append(RoleFact(p, Predicate.MEMBER_OF, o, tok.i, sent, r, 0.55))
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.membership_nouns:
            people = _owner(tok, idx)
            holders = [tok] + ([tok.head] if tok.dep_ == "dobj" else [])  # "had membership in Y"
            orgs = [
                m
                for h in holders
                for c in h.children
                if c.dep_ == "prep" and c.lower_ in ("in", "of", "with", "to")
                for g in c.children
                if g.dep_ == "pobj"
                for m in idx.orgs(g)
            ]
            for p in people:
                for o in orgs:
                    out.append(RoleFact(p, Predicate.MEMBER_OF, o, tok.i, sent, None, 0.5))
    # "Y's X" and "X of Y": a person named through the organization; "X's Y": X leads Y
    for i in range(sent.start, sent.end):
        for m in idx.at(i):
            if m.kind == "organization" and m.start == i and m.source != "coref":
                root = sent.doc[m.end - 1]
                for c in root.children:
                    if c.dep_ == "poss" and c.i < m.start and c.tag_ != "PRP$":
                        for p in idx.persons(c):
                            out.append(RoleFact(p, Predicate.LEADS, m, c.i, sent, "leader", 0.45))
            if m.kind != "person" or m.start != i or m.source == "coref":
                continue
            root = sent.doc[m.end - 1]
            for c in root.children:
                orgs: list[Mention] = []
                if c.dep_ == "poss" and c.i < m.start:
                    orgs = [
                        o for o in idx.at(c.i) if o.kind == "organization" and o.source != "coref"
                    ]
                elif c.dep_ == "prep" and c.lower_ == "of":
                    orgs = [o for g in c.children if g.dep_ == "pobj" for o in idx.at(g.i)]
                    orgs = [o for o in orgs if o.kind == "organization"]
                for o in orgs:
                    if idx.table.get(o.key).category in _STATE_LIKE:
                        continue
                    out.append(RoleFact(m, Predicate.MEMBER_OF, o, c.i, sent, None, 0.45))
    return out


def _owner(noun: Token, idx: _Index) -> list[Mention]:
    """Whose a noun is: "X's membership", "X has membership", "X's record of having ..."."""
    cur = noun
    for _ in range(6):
        people = [m for c in cur.children if c.dep_ in ("poss",) for m in idx.persons(c)]
        if cur.pos_ in ("VERB", "AUX"):
            people += [
                m for c in cur.children if c.dep_ in ("nsubj", "nsubjpass") for m in idx.persons(c)
            ]
        if people:
            return people
        if cur.dep_ in ("dobj", "pobj", "prep", "pcomp", "conj", "xcomp", "acl"):
            cur = cur.head
            continue
        break
    return []


# -- killings --------------------------------------------------------------------------------


def _killers_in(
    noun: Token, idx: _Index, lex: RoleLexicon, preps: tuple[str, ...] = ("by", "of", "from")
) -> list[Mention]:
    """The one behind an operation: "a US drone strike", "a raid by Y", "Y's operation"."""
    out: list[Mention] = []
    for c in noun.children:
        if c.dep_ in ("compound", "amod", "nmod", "poss") and c.i < noun.i:
            out.extend(idx.orgs(c))
            out.extend(_state_of(c, idx))
            for g in c.children:
                if g.dep_ in ("compound", "amod", "nmod", "poss"):
                    out.extend(idx.orgs(g))
                    out.extend(_state_of(g, idx))
        elif c.dep_ in ("prep", "agent") and c.lower_ in preps:
            for g in c.children:
                if g.dep_ == "pobj":
                    out.extend(idx.orgs(g))
                    out.extend(_state_of(g, idx))
        elif c.dep_ == "acl" and c.tag_ == "VBN":
            # "a bombing claimed by Y", "a raid carried out by Y"
            out.extend(m for a in _agents(c) for m in idx.orgs(a))
    return out


def _state_of(tok: Token, idx: _Index) -> list[Mention]:
    """A country named as the one acting ("US" in "a US strike"): the state of that country."""
    out: list[Mention] = []
    table = idx.table
    gaz = table.gazetteer
    if gaz is None:
        return out
    ms = idx.at(tok.i)
    for m in ms:
        if m.kind != "place":
            continue
        entry = _state_entry(gaz, m.text) or _state_entry(gaz, table.get(m.key).name)
        if entry is not None:
            key = table.from_entry(entry)
            out.append(
                Mention(
                    m.start_char, m.end_char, m.text, key, "organization", m.source, m.start, m.end
                )
            )
    if not ms and tok.text[:1].isupper() and tok.dep_ in ("amod", "compound", "nmod"):
        # a nationality word the name finder leaves alone: "an American drone strike"
        entry = _state_entry(gaz, tok.text)
        if entry is not None:
            key = table.from_entry(entry)
            start, end = tok.idx, tok.idx + len(tok.text)
            out.append(
                Mention(start, end, tok.text, key, "organization", "nationality", tok.i, tok.i + 1)
            )
    return out


def _state_entry(gaz: Any, text: str) -> Any:
    """The state a country name or nationality word stands for ("US", "American")."""
    places = []
    states = []
    for entry, _weak in gaz.lookup_forms(text):
        if entry.kind == "organization" and entry.category == "state":
            states.append(entry)
        if entry.kind == "place" and entry.category == "country":
            places.append(entry)
    if not states:
        for place in places:
            for entry, _weak in gaz.lookup_forms(place.name):
                if entry.kind == "organization" and entry.category == "state":
                    states.append(entry)
    # a country with more than one government (before and after a takeover) names none
    return states[0] if len({e.id for e in states}) == 1 else None


def _event_killers(verb: Token, idx: _Index, lex: RoleLexicon) -> list[Mention]:
    out: list[Mention] = []
    for c in verb.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in (
            "in",
            "during",
            "by",
            "after",
            "through",
            "amid",
        ):
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                words = {p.lemma_.lower(), p.lower_, _bare(p)}
                words |= {
                    f"{g.lower_} {p.lemma_.lower()}" for g in p.children if g.dep_ == "compound"
                }
                if words & lex.event_nouns:
                    out.extend(_killers_in(p, idx, lex, ("by", "of", "from", "with")))
                elif c.lower_ == "by":
                    out.extend(idx.orgs(p))
                    out.extend(_state_of(p, idx))
    return out


def _claimants(noun: Token, idx: _Index) -> list[Mention]:
    """ "Y claimed responsibility for the killing of X": Y (the claim sets the modality)."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "for":
        return []
    resp = prep.head
    if resp.lemma_.lower() not in ("responsibility", "credit"):
        return []
    verb = resp.head
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in ("claim", "take", "accept"):
        return []
    return [m for c in verb.children if c.dep_ == "nsubj" for m in idx.orgs(c)]


def _victims_of_passive(verb: Token, idx: _Index) -> list[Mention]:
    targets = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")]
    targets = [verb.head if t.lower_ in _NOT_VICTIMS else t for t in targets]
    if not targets and verb.dep_ in ("acl", "amod"):
        targets = [verb.head]
    if not targets and verb.dep_ in ("conj", "advcl", "xcomp"):
        targets = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        targets = [verb.head.head if t.lower_ in _NOT_VICTIMS else t for t in targets]
    return [m for t in targets for m in idx.persons(t)]


def _kills(sent: Span, idx: _Index, lex: RoleLexicon) -> list[RoleFact]:
    out: list[RoleFact] = []
    for tok in sent:
        victims: list[Mention] = []
        killers: list[Mention] = []
        if tok.pos_ in ("VERB", "ADJ") or tok.tag_ == "VBN":
            if lex.verb_in(tok, lex.kill_verbs):
                if _passive(tok) or (tok.tag_ == "VBN" and tok.dep_ in ("acl", "conj")):
                    victims = _victims_of_passive(tok, idx)
                    killers = [m for a in _agents(tok) for m in idx.orgs(a)]
                    killers += [m for a in _agents(tok) for m in _state_of(a, idx)]
                    killers += _event_killers(tok, idx, lex)
                else:
                    subs = [c for c in tok.children if c.dep_ == "nsubj"]
                    if not subs and tok.dep_ == "conj":
                        subs = [c for c in tok.head.children if c.dep_ == "nsubj"]
                    killers = [m for s in subs for m in idx.orgs(s)]
                    killers += [m for s in subs for m in _state_of(s, idx)]
                    for sub in subs:
                        if {sub.lemma_.lower(), _bare(sub)} & lex.event_nouns:
                            killers += _killers_in(sub, idx, lex)  # "a US strike killed X"
                    if tok.lemma_.lower() == "target":
                        killers = []  # a target need not die
                    victims = [
                        m
                        for c in tok.children
                        if c.dep_ in ("dobj", "npadvmod") and c.i > tok.i
                        for m in idx.persons(c)
                    ]
            elif lex.verb_in(tok, lex.die_verbs):
                subs = [c for c in tok.children if c.dep_ == "nsubj"]
                victims = [m for s in subs for m in idx.persons(s)]
                killers = _event_killers(tok, idx, lex)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.killing_nouns:
            for c in tok.children:
                if c.dep_ == "poss":
                    victims.extend(idx.persons(c))
                elif c.dep_ == "prep" and c.lower_ == "of":
                    victims.extend(
                        m for g in c.children if g.dep_ == "pobj" for m in idx.persons(g)
                    )
            killers = _killers_in(tok, idx, lex, ("by",))
            killers = [k for k in killers if all(k.key != v.key for v in victims)]
            killers += _event_killers(tok, idx, lex)
            if not killers:
                killers = _claimants(tok, idx)
        for v in victims:
            for k in killers:
                if k.kind == "organization":
                    out.append(RoleFact(v, Predicate.KILLED_BY, k, tok.i, sent, None, 0.6))
    return out


def _leader_named_groups(sent: Span, idx: _Index, table: EntityTable) -> list[RoleFact]:
    """A group named after its leader ("the X group") is led by X."""
    out: list[RoleFact] = []
    seen: set[int] = set()
    for i in range(sent.start, sent.end):
        for m in idx.at(i):
            if not m.leader or id(m) in seen or m.leader not in table.entities:
                continue
            seen.add(id(m))
            name = re.sub(r"(?:[\u2019']s)?\s+\w+$", "", m.text)
            leader = Mention(
                m.start_char,
                m.start_char + len(name),
                name,
                m.leader,
                "person",
                "shape",
                m.start,
                m.end,
            )
            out.append(RoleFact(leader, Predicate.LEADS, m, m.start, sent, "leader", 0.5))
    return out


# -- the document pass -----------------------------------------------------------------------


_NOT_NAMES = frozenset(
    [
        "one",
        "another",
        "each",
        "this",
        "that",
        "these",
        "those",
        "their",
        "his",
        "her",
        "its",
        "our",
        "some",
        "any",
        "other",
    ]
)


_DESCRIPTIVE = re.compile(r"^[A-Z][a-z]+-[a-z]{3,}$")


def _person_like(m: Mention, table: EntityTable) -> bool:
    """Not a nationality word or a pronoun the recogniser took for a name."""
    info = table.get(m.key)
    if info.entry_id is not None:
        return True
    words = info.name.split()
    if not words or words[0].lower() in _NOT_NAMES or not words[0][:1].isupper():
        return False
    if any(_DESCRIPTIVE.match(w) for w in words):
        return False  # "Iranian-backed", "Kabul-based"
    if len(words) == 1 and table.gazetteer is not None:
        for entry, _weak in table.gazetteer.lookup_forms(info.name):
            if entry.kind == "place":
                return False
        if info.name.endswith(("ist", "ists", "ism")):
            return False
    return True


def _sentence_facts(
    sent: Span, idx: _Index, lex: RoleLexicon, known: dict[str, RoleFact], table: EntityTable
) -> list[RoleFact]:
    found: list[RoleFact] = []
    found.extend(_lead_verbs(sent, idx, lex))
    found.extend(_leadership_nouns(sent, idx, lex))
    here = dict(known)
    for f in found:
        here[f.person.key] = f  # "under the governorship of X, with Y as his deputy"
    found.extend(_role_nouns(sent, idx, lex, here))
    found.extend(_succession(sent, idx, lex, known))
    found.extend(_membership(sent, idx, lex))
    found.extend(_kills(sent, idx, lex))
    found.extend(_leader_named_groups(sent, idx, table))
    return found


def find_role_facts(
    doc: Doc,
    mentions: Iterable[Mention],
    table: EntityTable,
    lexicon: RoleLexicon | None = None,
    skip: Callable[[Span], bool] | None = None,
) -> list[RoleFact]:
    """Every person-to-organization fact of ``doc``, in text order."""
    lex = lexicon or default_role_lexicon()
    idx = _Index(doc, mentions, table)
    out: list[RoleFact] = []
    known: dict[str, RoleFact] = {}
    for sent in idx.sents:
        if (
            _reference_like(sent)
            or _headline_only(sent)
            or (skip is not None and skip(_without_marker(sent)) and _QUOTE.search(sent.text))
        ):
            continue
        if skip is not None and skip(_without_marker(sent)):
            continue
        if not any(idx.at(i) for i in range(sent.start, sent.end)):
            continue
        try:
            found = _sentence_facts(sent, idx, lex, known, table)
        except Exception:  # an odd parse must not cost the document its other relations
            continue
        kept: list[RoleFact] = []
        for f in found:
            if f.person.kind != "person" or f.org.kind != "organization":
                continue
            if not _person_like(f.person, table):
                continue
            if f.person.key == f.org.key:
                continue
            kept.append(f)
        # a weak membership where the same sentence says the person leads the organization
        leads = {(f.person.key, f.org.key) for f in kept if f.predicate == Predicate.LEADS}
        kept = [
            f
            for f in kept
            if not (f.predicate == Predicate.MEMBER_OF and (f.person.key, f.org.key) in leads)
        ]
        for f in kept:
            if f.predicate == Predicate.LEADS and f.person.key not in known:
                known[f.person.key] = f
        out.extend(kept)
    return out


_QUOTE = re.compile("[\u201c\u201d\"]|(?:^|\\s)[\u2018'][A-Z]")
_REFERENCE = re.compile("^\\W{0,3}(?:\\[?\\d{1,3}[\\].]?)?\\s*[\u2018\u201c'\"]")


def _reference_like(sent: Span) -> bool:
    """A line of a reference list: a note number and a quoted title."""
    return bool(_REFERENCE.match(sent.text))


_TITLE_QUOTE = re.compile('[\u201c"]([^\u201d"]{12,200})[\u201d"]')


def _headline_only(sent: Span) -> bool:
    """A sentence that cites an article by a quoted title in title case."""
    for m in _TITLE_QUOTE.finditer(sent.text):
        words = [w for w in m.group(1).split() if w[:1].isalpha()]
        if len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.6:
            tail = sent.text[m.end() :]
            if re.search(r"\b(?:19|20)\d\d\b", tail) or len(tail.strip()) < 3:
                return True
    return False


def _without_marker(sent: Span) -> Span:
    """The sentence without a leading note number ("[12] In 2015, ...")."""
    k = 0
    toks = list(sent)
    while k < len(toks) and k < 4 and (toks[k].text in ("[", "]") or toks[k].like_num):
        k += 1
    if 0 < k < len(toks) and any(t.text == "]" for t in toks[:k]):
        return sent[k:]
    return sent


def role_relations(
    doc: Doc,
    state: DocState,
    resolver: Any = None,
    attribute: Callable[[Span, Token], Any] | None = None,
    used: set[str] | None = None,
    skip: Callable[[Span], bool] | None = None,
    lexicon: RoleLexicon | None = None,
) -> list[AssertionRecord]:
    """The ``leads``, ``member_of`` and ``killed_by`` assertions of a parsed document.

    ``state`` is the document's :class:`DocState` (mentions and entity table); ``resolver``
    a :class:`TimeResolver` and ``attribute`` the attribution function, both optional;
    the keys of the entities named are added to ``used``; sentences for which ``skip``
    is true are left out.
    """
    table = state.table
    text = doc.text
    out: list[AssertionRecord] = []
    seen: set[tuple[str, str, str, int]] = set()
    for f in find_role_facts(doc, state.mentions, table, lexicon, skip):
        key = (f.person.key, f.predicate.value, f.org.key, f.sentence.start)
        if key in seen:
            continue
        seen.add(key)
        sent = f.sentence
        start, end = trim(text, sent.start_char, sent.end_char)
        if 0 < start - f.person.start_char < 160 and "\n" not in text[f.person.start_char : start]:
            start = f.person.start_char  # "_X_: Y's emir" cut in two at the colon
        trigger = doc[f.trigger]
        modality, claimant = modality_of(sent, trigger, attribute)
        valid_time, time_text = time_of(sent, trigger, resolver)
        if resolver is not None:
            published = getattr(resolver, "published", None)
            stated_here = (
                time_text is not None and time_text in text[sent.start_char : sent.end_char]
            )
            if (
                f.predicate != Predicate.KILLED_BY
                and not stated_here
                and published
                and _present(trigger, f.role)
            ):
                # "X: Y's emir." with no time of its own holds when the document was written
                valid_time, time_text = str(published)[:7], None
        attributes: dict[str, Any] = dict(f.extra)
        if f.role:
            attributes["role"] = f.role
        if used is not None:
            used.update((f.person.key, f.org.key))
        out.append(
            AssertionRecord(
                subject=table.get(f.person.key).name,
                predicate=f.predicate,
                object=table.get(f.org.key).name,
                subject_mention=f.person.text,
                object_mention=f.org.text,
                valid_time=valid_time,
                time_text=time_text,
                attributes=attributes,
                modality=modality,
                claimant=claimant,
                confidence=f.confidence,
                start=start,
                end=end,
                quote=text[start:end],
            )
        )
    return out


_PAST_WORDS = frozenset({"former", "late", "then", "ex", "previous", "slain", "first", "founding"})


def _text(doc: Doc) -> str:
    """The document's text, built once: ``Doc.text`` joins every token on each call."""
    text = doc.user_data.get("fg_text")
    if text is None:
        text = doc.user_data["fg_text"] = doc.text
    return text


def _present(trigger: Token, role: str | None) -> bool:
    """Whether a role is stated as holding now: a present-tense clause or none at all."""
    if (role and set(role.split()) & _PAST_WORDS) or trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    cur = trigger
    doc = trigger.doc
    text = _text(doc)
    line_start = text.rfind("\n", 0, trigger.idx) + 1
    labelled = ":" in text[max(line_start, trigger.idx - 80) : trigger.idx]
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("amod", "acl"):
            lo, hi = sorted((cur.i, trigger.i))
            if labelled and any(doc[j].text in (":", "\u2013", "\u2014") for j in range(lo, hi)):
                return True  # "X: Y's emir. He served ...": the description has no verb
            aux = [c.tag_ for c in cur.children if c.dep_ in ("aux", "auxpass")]
            tags = [cur.tag_, *aux]
            if any(t in ("VBD", "MD") for t in tags) or (cur.tag_ == "VBN" and not aux):
                return False
            return any(t in ("VBZ", "VBP") for t in tags)
        if cur.head == cur:
            # a description without a verb, as in a list of names and their roles
            return labelled and cur.pos_ not in ("VERB", "AUX")
        cur = cur.head
    return False
