"""Relation candidates from the dependency parse and the trigger lexicon.

For each trigger word of a sentence (a verb, noun or adjective of the lexicon) the parties
are found on the parse: the subject side from the grammatical subject (or the possessor or
modifier of a trigger noun, or the subject of the verb that governs it), the object side
from the direct object or from a preposition the trigger takes ("clashed *with* Y",
"split *from* Y"). Passive voice swaps the sides; coordinated names give one fact each;
"X and Y clashed" and "clashes between X and Y" give a fact between the two. When the parse
gives no party, the nearest name in the sentence on that side is used, with less confidence.

Roles ("leader of", "IS-K spokesman X"), killings and membership are found by their own
small rules below.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from factiongraph.extract.entities import EntityInfo, EntityTable, Mention
from factiongraph.models import SYMMETRIC, Predicate
from factiongraph.names import name_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from factiongraph.extract.lexicon import Lexicon, Trigger

__all__ = ["Candidate", "find_relations", "MentionIndex"]

PERSON_PREDICATES = frozenset({Predicate.LEADS, Predicate.MEMBER_OF, Predicate.KILLED_BY})
_STATE_CATEGORIES = frozenset({"state", "state_agency", "international_body"})
_COLLECT_PREPS = frozenset({"of", "including", "like", "as", "among", "from"})
_FOLLOW_DEPS = frozenset({"conj", "appos", "compound", "poss", "nmod", "amod", "npadvmod"})
_SUBJ_DEPS = frozenset({"nsubj", "csubj", "expl"})
_LIGHT_PARENT_DEPS = frozenset({"dobj", "attr", "nsubjpass", "oprd", "acomp", "xcomp", "conj"})
_FORM_VERBS = frozenset({"form", "create", "establish", "found", "launch", "set", "become"})
_PERSON_SUBJECTS = frozenset({Predicate.PLEDGED_ALLEGIANCE_TO})
_UMBRELLAS = frozenset({"alliance", "coalition", "umbrella", "union", "federation", "front"})
_TAKING_IN_NOUNS = frozenset({"absorption", "integration", "incorporation", "merging"})
# nouns for those who support: "X's backers are A and B", "its funding sources included A"
_SUPPORTER_NOUNS = frozenset(
    {"backer", "sponsor", "patron", "donor", "funder", "financier", "benefactor", "source"}
)
_LISTING_VERBS = frozenset({"include", "be", "comprise"})
# who supports whom cannot be guessed from word order
_NO_GUESS = frozenset({Predicate.SUPPORTS, Predicate.PLEDGED_ALLEGIANCE_TO})
_DIRECTED_ACTS = frozenset(
    {Predicate.FIGHTS, Predicate.SUPPORTS, Predicate.CRITICIZES, Predicate.MEDIATES}
)
_JOINT_ADJS = frozenset({"joint", "coordinated", "combined", "concerted", "common"})
_END_VERBS = frozenset({"end", "break", "terminate", "dissolve", "abandon", "renounce", "quit"})
_TAKE_IN_VERBS = frozenset({"absorb", "incorporate", "integrate", "subsume", "annex"})
_AIM_VERBS = frozenset({"fire", "shoot", "open", "aim", "target", "strike", "launch"})
_OWNER_PREDICATES = frozenset({Predicate.PART_OF, Predicate.SPLIT_FROM})
_APPOSITION_VERBS = frozenset({"be", "become", "remain", "serve", "act", "emerge", "describe"})


@dataclass
class Candidate:
    """A relation found in one sentence, before attribution and time are added."""

    subject: Mention
    predicate: Predicate
    object: Mention
    trigger: int  # token index of the word that signals the relation
    sentence: Span
    confidence: float = 0.6
    attributes: dict[str, Any] = field(default_factory=dict)
    place: Mention | None = None


class MentionIndex:
    """Mentions by token, for one document."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.by_token: dict[int, list[Mention]] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                self.by_token.setdefault(i, []).append(m)
        self.mentions = mentions

    def at(self, i: int) -> list[Mention]:
        return self.by_token.get(i, [])

    def in_span(self, start: int, end: int) -> list[Mention]:
        seen: list[Mention] = []
        for i in range(start, end):
            for m in self.by_token.get(i, []):
                if m not in seen:
                    seen.append(m)
        return seen


# -- gathering the names under a token ------------------------------------------------------


def collect(
    tok: Token, idx: MentionIndex, lexicon: Lexicon, *, depth: int = 0, member: bool = False
) -> list[tuple[Mention, bool]]:
    """Mentions reachable from ``tok`` through names, coordination, apposition and "of".

    Each comes with whether the path went through a word for members ("fighters of X").
    """
    out: list[tuple[Mention, bool]] = []
    if depth > 6:
        return out
    here = idx.at(tok.i)
    if here:
        out.extend((m, member) for m in here)
    is_member = tok.lemma_.lower() in lexicon.member_nouns or tok.lower_ in lexicon.member_nouns
    for child in tok.children:
        dep = child.dep_
        if dep in _FOLLOW_DEPS:
            if here and dep in ("compound", "amod", "nmod") and idx.at(child.i) == here:
                continue
            if dep in ("amod",) and not idx.at(child.i):
                continue
            out.extend(collect(child, idx, lexicon, depth=depth + 1, member=member or is_member))
        elif dep == "prep" and child.lower_ in _COLLECT_PREPS and not here:
            for gc in child.children:
                if gc.dep_ == "pobj":
                    out.extend(
                        collect(gc, idx, lexicon, depth=depth + 1, member=member or is_member)
                    )
        elif dep == "prep" and child.lower_ == "as" and here:
            continue
        elif (
            dep == "acl"
            and is_member
            and not here
            and child.lemma_.lower() in ("belong", "affiliate", "link", "loyal", "attach")
        ):
            # "militants belonging to X", "fighters affiliated with X"
            for p in child.children:
                if p.dep_ == "prep" and p.lower_ in ("to", "with"):
                    for gc in _pobjs(p):
                        out.extend(collect(gc, idx, lexicon, depth=depth + 1, member=True))
    seen: set[int] = set()
    uniq: list[tuple[Mention, bool]] = []
    for m, mem in out:
        if id(m) not in seen:
            seen.add(id(m))
            uniq.append((m, mem))
    return uniq


def _pobjs(prep: Token) -> list[Token]:
    out = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if not out and prep.dep_ in ("prep", "agent") and prep.i + 1 < len(prep.doc):
        # a preposition the parser left without its object: take the noun right after it
        nxt = prep.doc[prep.i + 1]
        if nxt.pos_ == "DET" and nxt.i + 1 < len(prep.doc):
            nxt = prep.doc[nxt.i + 1]
        if nxt.pos_ in ("PROPN", "NOUN") and nxt.sent == prep.sent:
            out = [nxt]
    for c in list(out):
        if c.dep_ == "pcomp":
            out.extend(g for g in c.children if g.dep_ in ("pobj", "dobj"))
    return out


def _preps(tok: Token, names: frozenset[str]) -> list[Token]:
    """Prepositions under ``tok`` (or under its conjuncts' shared head) among ``names``."""
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in names:
            out.append(c)
        # "with both X and Y": prep under an adverb or particle
        if c.dep_ in ("prt", "advmod") and c.lower_ not in names:
            out.extend(g for g in c.children if g.dep_ == "prep" and g.lower_ in names)
    return out


def verb_subjects(verb: Token, idx: MentionIndex, lexicon: Lexicon, depth: int = 0) -> list[Token]:
    """Tokens that stand for the logical subject of ``verb`` (active voice)."""
    if depth > 4:
        return []
    subs = [c for c in verb.children if c.dep_ in _SUBJ_DEPS]
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    if passive:
        subs = [pc for c in verb.children if c.dep_ == "agent" for pc in _pobjs(c)]
        if subs:
            return subs
        if verb.dep_ == "acl" or verb.dep_ == "relcl":
            return []
        return []
    subs = [s for s in subs if s.lower_ not in ("which", "who", "that")] or (
        [verb.head] if verb.dep_ == "relcl" and subs else []
    )
    if subs:
        return subs
    if verb.dep_ == "relcl":
        return [verb.head]
    if verb.dep_ == "acl" and verb.tag_ == "VBG":
        return [verb.head]
    if verb.dep_ in ("conj", "xcomp", "advcl", "ccomp", "pcomp") and verb.head is not verb:
        head = verb.head
        if head.pos_ in ("VERB", "AUX"):
            return verb_subjects(head, idx, lexicon, depth + 1)
        if verb.dep_ == "pcomp":
            # "by attacking X": the subject of the verb the preposition hangs on
            gov = head.head
            if gov.pos_ in ("VERB", "AUX"):
                return verb_subjects(gov, idx, lexicon, depth + 1)
    return []


def clause_subjects(verb: Token, idx: MentionIndex, lexicon: Lexicon) -> list[Token]:
    """The grammatical subject of ``verb`` in either voice ("X is based in ..." gives X)."""
    subs = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    subs = [
        verb.head if s.lower_ in ("which", "who", "that") and verb.dep_ == "relcl" else s
        for s in subs
    ]
    return subs or verb_subjects(verb, idx, lexicon)


def verb_objects(verb: Token, trig: Trigger, phrase: list[Token]) -> list[Token]:
    """Tokens for the logical object of a verb trigger (active voice)."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    out: list[Token] = []
    if passive:
        out.extend(c for c in verb.children if c.dep_ == "nsubjpass")
        if verb.dep_ in ("acl",) and not out:
            out.append(verb.head)
    else:
        multi = len(phrase) > 1
        for c in verb.children:
            if c.dep_ in ("dobj", "dative") and not (multi and c in phrase):
                out.append(c)
            elif (
                c.dep_ in ("xcomp", "ccomp", "attr", "oprd", "dep")
                and c.i > verb.i
                and (c.tag_ in ("NNP", "NNPS") or (c.text.isupper() and len(c.text) > 1))
                and not any(g.dep_ in ("nsubj", "aux", "dobj") for g in c.children)
            ):
                out.append(c)  # a name the parser took for a verb ("fought IS")
    for t in phrase:
        for p in _preps(t, trig.object_preps):
            if p.dep_ == "agent" or (p.lower_ == "at" and trig.lemmas[0] not in _AIM_VERBS):
                continue
            out.extend(_pobjs(p))
    if not passive:
        for c in verb.children:
            if c.dep_ == "dobj":
                for p in _preps(c, trig.object_preps):
                    out.extend(_pobjs(p))
    return out


# -- the main pass ----------------------------------------------------------------------------


def _match_triggers(
    sent: Span, idx: MentionIndex, lexicon: Lexicon
) -> list[tuple[Trigger, list[Token]]]:
    found: list[tuple[Trigger, list[Token]]] = []
    used: set[int] = set()
    toks = list(sent)
    for k, tok in enumerate(toks):
        if tok.i in used or idx.at(tok.i):
            continue
        lemma = tok.lemma_.lower()
        if lemma in _RELATION_NOUNS and tok.pos_ == "NOUN":
            trig = _relation_noun(tok, lexicon)
            if trig is not None:
                found.append((trig, [tok]))
                used.add(tok.i)
            continue
        cands = lexicon.by_first.get(lemma, []) + (
            lexicon.by_first.get(tok.lower_, []) if tok.lower_ != lemma else []
        )
        for trig in cands:
            phrase = [tok]
            if len(trig.lemmas) > 1:
                pos = k
                ok = True
                for want in trig.lemmas[1:]:
                    for j in range(pos + 1, min(pos + 6, len(toks))):
                        t = toks[j]
                        if t.lemma_.lower() == want or t.lower_ == want:
                            phrase.append(t)
                            pos = j
                            break
                        if t.pos_ not in ("DET", "ADJ", "PRON", "ADV", "PART", "NUM"):
                            ok = False
                            break
                    else:
                        ok = False
                    if not ok or len(phrase) < 2:
                        ok = False
                        break
                if not ok or len(phrase) != len(trig.lemmas):
                    continue
            head = phrase[0]
            if trig.pos == "verb":
                if head.pos_ not in ("VERB", "AUX") and not (
                    head.pos_ == "ADJ" and head.tag_ == "VBN"
                ):
                    continue
            elif trig.pos == "noun":
                head = phrase[-1]
                if head.pos_ not in ("NOUN", "PROPN", "X") and not (
                    len(phrase) > 1 and head.pos_ in ("VERB", "ADJ")
                ):
                    continue
                if (
                    len(phrase) == 1
                    and head.lower_ in _DESCRIPTOR_NOUNS
                    and head.dep_ in ("compound", "amod")
                    and head.head.pos_ in ("NOUN", "PROPN")
                ):
                    continue  # "Sunni opposition groups" names a side, not a relation
                if len(phrase) > 1:
                    # the syntactic head of a multi-word noun is the last noun
                    phrase = [phrase[-1], *phrase[:-1]]
            elif trig.pos == "adj" and len(phrase) == 1 and head.pos_ not in ("ADJ", "VERB"):
                continue
            found.append((trig, phrase))
            used.update(t.i for t in phrase)
            break
    return found


_RELATION_NOUNS = frozenset({"relation", "relationship", "term"})
# trigger nouns that, modifying another noun, describe a side rather than relate two
_DESCRIPTOR_NOUNS = frozenset({"opposition"})
_NEUTRAL_TRIGGERS: dict[Predicate, Trigger] = {}


def _relation_noun(tok: Token, lexicon: Lexicon) -> Trigger | None:
    """Relation nouns: "close relations" is cooperation, "tense relations" rivalry."""
    from factiongraph.extract.lexicon import Trigger

    words = [c.lower_ for c in tok.children if c.dep_ in ("amod", "compound", "advmod")]
    if tok.dep_ in ("nsubj", "nsubjpass"):
        words += [
            c.lower_
            for c in tok.head.children
            if c.dep_ in ("acomp", "attr", "oprd") or (c.dep_ == "advmod" and c.pos_ == "ADJ")
        ]
    pred = None
    for w in words:
        if w in lexicon.modifiers:
            pred = lexicon.modifiers[w]
            break
    if pred is None:
        if tok.lemma_.lower() == "term":
            return None
        pred = Predicate.COOPERATES_WITH
    if pred not in _NEUTRAL_TRIGGERS:
        _NEUTRAL_TRIGGERS[pred] = Trigger(
            pred, ("relation",), "noun", frozenset({"with", "between", "to"})
        )
    return _NEUTRAL_TRIGGERS[pred]


def _org(m: Mention) -> bool:
    return m.kind == "organization"


def _expand(tokens: list[Token], idx: MentionIndex, lexicon: Lexicon) -> list[tuple[Mention, bool]]:
    out: list[tuple[Mention, bool]] = []
    for t in tokens:
        out.extend(collect(t, idx, lexicon))
    seen: set[int] = set()
    res = []
    for m, mem in out:
        if id(m) not in seen:
            seen.add(id(m))
            res.append((m, mem))
    return res


def _nearest(
    sent: Span,
    idx: MentionIndex,
    pos: int,
    direction: int,
    exclude: set[str],
    limit: int = 20,
    cross_colon: bool = False,
) -> list[Mention]:
    """The nearest organization on one side of ``pos`` in the sentence (without crossing ';')."""
    rng = (
        range(pos - 1, max(sent.start - 1, pos - limit - 1), -1)
        if direction < 0
        else range(pos + 1, min(sent.end, pos + limit + 1))
    )
    for i in rng:
        tok = sent.doc[i]
        if tok.text == ";" or (tok.text == ":" and not cross_colon):
            break
        if tok.text == "." and i != sent.end - 1:
            break
        ms = [m for m in idx.at(i) if _org(m) and m.key not in exclude]
        if ms:
            return ms
    return []


def _governing_verb_subjects(noun: Token, idx: MentionIndex, lexicon: Lexicon) -> list[Token]:
    """For a trigger noun that is the object of a verb ("reached a ceasefire"), its subject."""
    cur = noun
    for _ in range(3):
        dep = cur.dep_
        head = cur.head
        if head is cur:
            return []
        if dep in _LIGHT_PARENT_DEPS and head.pos_ in ("VERB", "AUX"):
            if dep == "nsubjpass":
                return []
            return verb_subjects(head, idx, lexicon)
        if dep == "pobj" and head.dep_ in ("prep",) and head.head.pos_ in ("VERB", "AUX"):
            if head.lower_ in ("in", "into", "of", "to", "for", "after", "despite"):
                return verb_subjects(head.head, idx, lexicon)
            return []
        if dep in ("compound", "conj", "appos"):
            cur = head
            continue
        return []
    return []


def _described(noun: Token) -> list[Token]:
    """For a noun like "faction", the thing it describes ("X, a faction of Y"; "X is a ...")."""
    cur = noun
    while cur.dep_ == "conj" and cur.head is not cur:
        cur = cur.head
    if (
        cur.dep_ == "pobj"
        and cur.head.lower_ == "of"
        and cur.head.head.lower_ in ("one", "two", "some", "each", "part", "among")
    ):
        cur = cur.head.head  # "X, one of the founding factions of Y": X is the faction
    if cur.dep_ == "appos":
        return [cur.head]
    named = [c for c in cur.children if c.dep_ == "appos"]
    if named:
        # "the group's armed wing, the X Brigades"
        return named
    if cur.dep_ in ("attr", "oprd", "acomp") and cur.head.lemma_ in _APPOSITION_VERBS:
        return [c for c in cur.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if cur.dep_ == "pobj" and cur.head.lower_ == "as":
        verb = cur.head.head
        if verb.pos_ in ("VERB", "AUX"):
            objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
            return objs or [c for c in verb.children if c.dep_ == "nsubj"]
    if cur.dep_ in ("nsubj",):
        # "a faction of Y, X ..." rarely; skip
        return []
    return []


def _direct(tok: Token, idx: MentionIndex) -> list[Mention]:
    """Mentions at ``tok`` and its conjuncts and appositions, without crossing prepositions.

    "a new group known as / called / named X" gives X.
    """
    out = list(idx.at(tok.i))
    for c in tok.children:
        if c.dep_ in ("conj", "appos"):
            out.extend(_direct(c, idx))
        elif c.dep_ == "acl" and c.lemma_.lower() in ("know", "call", "name", "dub", "brand"):
            for g in c.children:
                if g.dep_ in ("oprd", "attr", "xcomp", "dobj"):
                    out.extend(_direct(g, idx))
                elif g.dep_ == "prep" and g.lower_ == "as":
                    out.extend(m for p in _pobjs(g) for m in _direct(p, idx))
    return out


_RECEIVE = frozenset(
    {"receive", "get", "obtain", "enjoy", "accept", "seek", "secure", "gain", "draw", "attract"}
)


def _preps_pobjs(tok: Token, names: tuple[str, ...]) -> list[Token]:
    return [p for c in _preps(tok, frozenset(names)) for p in _pobjs(c)]


def _formed_by(noun: Token) -> list[Token]:
    """For "formed by the merger of ...", the thing formed."""
    if (
        noun.dep_ == "pobj"
        and noun.head.lower_ == "of"
        and noun.head.head.lemma_.lower() in ("product", "result", "outcome")
    ):
        # "Z was the product of the merger of A and B"
        result = noun.head.head
        if result.dep_ in ("attr", "acomp") and result.head.lemma_ == "be":
            return [c for c in result.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        return []
    if noun.dep_ != "pobj" or noun.head.lower_ not in ("by", "through", "from", "via", "in"):
        return []
    verb = noun.head.head
    if verb.lemma_.lower() not in _FORM_VERBS and verb.lemma_.lower() not in ("result", "emerge"):
        return []
    subj = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")]
    if verb.dep_ in ("acl", "relcl"):
        subj = [verb.head]
    elif subj and subj[0].dep_ == "nsubj" and verb.head is not verb:
        subj = subj
    # "X was an organization formed by ...": the organization described
    out = []
    for t in subj:
        out.append(t)
        desc = _described(t)
        out.extend(desc)
    return out


_SEE_VERBS = frozenset(
    {
        "see",
        "view",
        "regard",
        "consider",
        "treat",
        "perceive",
        "describe",
        "brand",
        "label",
        "designate",
        "count",
        "identify",
    }
)


def _seen_as(noun: Token) -> tuple[list[Token], list[Token]]:
    """For "X sees Y as an enemy": (X, Y); empty when the noun is not used so."""
    verb = noun.head.head
    if verb.lemma_.lower() not in _SEE_VERBS:
        return [], []
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    cur = verb
    while not subj and cur.dep_ in ("xcomp", "conj", "advcl") and cur.head is not cur:
        cur = cur.head  # "X continues to see Y as ..."
        subj = [c for c in cur.children if c.dep_ == "nsubj"]
    obj = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if not subj or not obj:
        return [], []
    return subj, obj


def _formed(verb: Token) -> list[Token]:
    """What a split or merger formed: "... split to form Z", "merged to create Z"."""
    out = []
    for c in verb.children:
        if c.dep_ in ("xcomp", "advcl", "conj") and c.lemma_.lower() in _FORM_VERBS:
            out.extend(g for g in c.children if g.dep_ in ("dobj", "attr", "oprd"))
    return out


def find_relations(
    doc: Doc,
    mentions: list[Mention],
    table: EntityTable,
    lexicon: Lexicon,
    person_roles: bool = True,
) -> list[Candidate]:
    """Relation candidates of every sentence of ``doc``.

    ``person_roles=False`` leaves leaders, members and killings to another component.
    """
    idx = MentionIndex(mentions)
    out: list[Candidate] = []
    for sent in doc.sents:
        if not idx.in_span(sent.start, sent.end):
            continue
        out.extend(_sentence_relations(sent, idx, table, lexicon))
        if person_roles:
            out.extend(_roles(sent, idx, table, lexicon))
            out.extend(_kills(sent, idx, lexicon))
            out.extend(_leader_groups(sent, idx))
        out.extend(_structure(sent, idx, table))
        out.extend(_jointly(sent, idx, lexicon))
        out.extend(_recruitment(sent, idx, lexicon))
        out.extend(_founded_by_members(sent, idx, lexicon))
        out.extend(_at_the_hands(sent, idx, lexicon))
        out.extend(_backed(sent, idx, table))
        out.extend(_funding_to(sent, idx))
        out.extend(_left_and_joined(sent, idx, lexicon))
    return out


def _left_and_joined(sent: Span, idx: MentionIndex, lexicon: Lexicon) -> list[Candidate]:
    """A person's move is a defection: "X left A and joined B", "Having left A, X joined B"."""
    out: list[Candidate] = []
    for join in sent:
        if join.pos_ != "VERB" or join.lemma_.lower() != "join":
            continue
        leaves = [
            t
            for t in (*join.children, join.head)
            if t is not join
            and t.pos_ == "VERB"
            and t.lemma_.lower() in _LEAVE_VERBS
            and (t.dep_ in ("conj", "advcl") or join.dep_ in ("conj", "advcl"))
        ]
        if not leaves:
            continue
        movers = [m for m, _ in _expand(verb_subjects(join, idx, lexicon), idx, lexicon)]
        if any(_org(m) for m in movers):
            continue  # a group that leaves one alliance for another has not defected
        left = [
            m
            for t in leaves
            for c in t.children
            if c.dep_ == "dobj"
            for m, _ in collect(c, idx, lexicon)
            if _org(m)
        ]
        joined = [m for c in join.children if c.dep_ == "dobj" for m, _ in collect(c, idx, lexicon)]
        for a in left:
            for b in joined:
                if _org(b) and a.key != b.key:
                    out.append(Candidate(a, Predicate.DEFECTED_TO, b, join.i, sent, 0.5))
    return out


def _funding_to(sent: Span, idx: MentionIndex) -> list[Candidate]:
    """Funders named with whom they fund: "Saudi donors to the Haqqani network"."""
    out: list[Candidate] = []
    doc = sent.doc
    for m in idx.in_span(sent.start, sent.end):
        if m.source != "funders":
            continue
        root = doc[m.start : m.end].root
        for p in _preps(root, frozenset({"to", "of", "for"})):
            for t in _pobjs(p):
                for o in idx.at(t.i):
                    if _org(o) and o.key != m.key:
                        out.append(Candidate(m, Predicate.SUPPORTS, o, root.i, sent, 0.6))
    return out


_BACKED = frozenset({"backed", "sponsored", "funded", "supported", "financed", "armed"})


def _backed(sent: Span, idx: MentionIndex, table: EntityTable) -> list[Candidate]:
    """Support in a compound modifier: "the Iran-backed X", "the Iranian-backed X"."""
    from factiongraph.extract.entities import _demonym_state

    out: list[Candidate] = []
    doc = sent.doc
    for tok in sent:
        if tok.lower_ not in _BACKED or tok.i < sent.start + 2 or doc[tok.i - 1].text != "-":
            continue
        before = doc[tok.i - 2]
        backers = [m for m in idx.at(before.i) if _org(m)]
        if not backers:
            key = _demonym_state(before.text, table)
            if key is not None:
                backers = [
                    Mention(
                        before.idx,
                        before.idx + len(before.text),
                        before.text,
                        key,
                        "organization",
                        "forces",
                        before.i,
                        before.i + 1,
                    )
                ]
        backed: list[Mention] = []
        for i in range(tok.i + 1, min(tok.i + 7, sent.end)):
            backed = [m for m in idx.at(i) if _org(m)]
            if backed:
                break
        for b in backers:
            for o in backed:
                if b.key != o.key:
                    out.append(Candidate(b, Predicate.SUPPORTS, o, tok.i, sent, 0.5))
    return out


def _at_the_hands(sent: Span, idx: MentionIndex, lexicon: Lexicon) -> list[Candidate]:
    """Y fights X in "X suffered losses at the hands of Y", "X came under attack from Y"."""
    out: list[Candidate] = []
    for tok in sent:
        if tok.lower_ == "hands" and tok.dep_ == "pobj" and tok.head.lower_ in ("at", "by"):
            attackers_t = _preps_pobjs(tok, ("of",))
            gov = tok.head.head
        elif tok.lower_ == "attack" and tok.dep_ == "pobj" and tok.head.lower_ == "under":
            attackers_t = _preps_pobjs(tok, ("from", "by"))
            gov = tok.head.head
        else:
            continue
        while (
            gov.pos_ in ("NOUN", "PROPN")
            and gov.dep_ in ("dobj", "pobj", "nsubj")
            and (gov.head is not gov)
        ):
            gov = gov.head if gov.dep_ != "pobj" else gov.head.head
        victims_t = clause_subjects(gov, idx, lexicon) if gov.pos_ in ("VERB", "AUX") else []
        attackers = [m for m, _ in _expand(attackers_t, idx, lexicon) if _org(m)]
        victims = [m for m, _ in _expand(victims_t, idx, lexicon) if _org(m)]
        for a in attackers:
            for v in victims:
                if a.key != v.key:
                    out.append(Candidate(a, Predicate.FIGHTS, v, tok.i, sent, 0.5))
    return out


_FOUND_VERBS = frozenset({"found", "form", "create", "establish", "launch", "set"})


def _founded_by_members(sent: Span, idx: MentionIndex, lexicon: Lexicon) -> list[Candidate]:
    """Y split from X when "dissident members of X founded Y"; co-founders cooperate."""
    out: list[Candidate] = []
    for tok in sent:
        if tok.pos_ != "VERB" or (
            tok.lemma_.lower() not in _FOUND_VERBS and tok.lower_ not in ("found", "founded")
        ):
            continue
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
            # "Z was founded by members of X", "... by P, a former X commander"
            agents = [p for c in tok.children if c.dep_ == "agent" for p in _pobjs(c)]
            subjects = _expand(agents, idx, lexicon)
            made_toks = [c for c in tok.children if c.dep_ == "nsubjpass"]
        else:
            subjects = _expand(verb_subjects(tok, idx, lexicon), idx, lexicon)
            made_toks = [c for c in tok.children if c.dep_ == "dobj"]
        founders = [m for m, mem in subjects if mem and _org(m)]
        partners = list({m.key: m for m, mem in subjects if not mem and _org(m)}.values())
        if len(partners) >= 2:
            # "X and Y formed Z": the founders work together
            for a, b in itertools.combinations(partners, 2):
                out.append(Candidate(a, Predicate.COOPERATES_WITH, b, tok.i, sent, 0.5))
        made = [m for c in made_toks for m in _direct(c, idx) if _org(m)]
        for f in founders:
            for y in made:
                if f.key != y.key:
                    out.append(Candidate(y, Predicate.SPLIT_FROM, f, tok.i, sent, 0.5))
    return out


_RECRUIT_VERBS = frozenset({"recruit", "attract", "lure", "poach", "headhunt", "enlist"})
_DEFECTION_TAKERS = _RECRUIT_VERBS | {"absorb", "welcome", "receive", "accept", "gain", "win"}
_LEAVE_VERBS = frozenset({"leave", "quit", "abandon", "desert", "exit"})
_TO_A_LEADERS_GROUP = frozenset({Predicate.DEFECTED_TO, Predicate.PLEDGED_ALLEGIANCE_TO})


def _recruitment(sent: Span, idx: MentionIndex, lexicon: Lexicon) -> list[Candidate]:
    """Y's people went over to X in "X recruited Y's fighters", "X attracted Y commanders"."""
    out: list[Candidate] = []
    for tok in sent:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in _RECRUIT_VERBS:
            continue
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
            takers_t = [p for c in tok.children if c.dep_ == "agent" for p in _pobjs(c)]
            sources_t = [c for c in tok.children if c.dep_ == "nsubjpass"]
        else:
            takers_t = verb_subjects(tok, idx, lexicon)
            sources_t = [c for c in tok.children if c.dep_ == "dobj"]
        sources_t += _preps_pobjs(tok, ("from", "among", "out"))
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "out":
                sources_t += _preps_pobjs(c, ("of",))
        takers = [m for m, _ in _expand(takers_t, idx, lexicon) if _org(m)]
        sources = [m for m, _ in _expand(sources_t, idx, lexicon) if _org(m)]
        for src in sources:
            for t in takers:
                if src.key != t.key:
                    out.append(Candidate(src, Predicate.DEFECTED_TO, t, tok.i, sent, 0.5))
    return out


_RECIPROCAL = frozenset(
    {
        "fight",
        "fighting",
        "clash",
        "battle",
        "skirmish",
        "war",
        "warfare",
        "conflict",
        "hostility",
        "infighting",
        "confrontation",
        "exchange",
        "feud",
        "engage",
        "lock",
        "gunfight",
        "firefight",
        "encounter",
        "violence",
    }
)


def _each_other(phrase: list[Token]) -> bool:
    """A reciprocal object: "X and Y targeted each other / one another"."""
    return any(
        c.lower_ in ("other", "another") and any(g.lower_ in ("each", "one") for g in c.children)
        for t in phrase
        for c in t.children
    ) or any(
        t.doc[i].lower_ in ("each", "one") and t.doc[i + 1].lower_ in ("other", "another")
        for t in phrase
        for i in range(t.i + 1, min(t.i + 3, len(t.doc) - 1))
    )


_JOINT_WORDS = frozenset({"jointly", "together"})


def _jointly(sent: Span, idx: MentionIndex, lexicon: Lexicon) -> list[Candidate]:
    """Cooperation in "X and Y jointly planned ...", "X worked together with Y"."""
    out: list[Candidate] = []
    for tok in sent:
        if tok.lower_ not in _JOINT_WORDS or tok.head.pos_ not in ("VERB", "AUX"):
            continue
        verb = tok.head
        subs = [m for m, _ in _expand(verb_subjects(verb, idx, lexicon), idx, lexicon) if _org(m)]
        withs = [
            m
            for p in _preps(verb, frozenset({"with"})) + _preps(tok, frozenset({"with"}))
            for t in _pobjs(p)
            for m, _ in collect(t, idx, lexicon)
            if _org(m)
        ]
        pairs = [(a, b) for a in subs for b in withs] or list(itertools.combinations(subs, 2))
        for a, b in pairs:
            if a.key != b.key:
                out.append(Candidate(a, Predicate.COOPERATES_WITH, b, tok.i, sent, 0.5))
    return out


_NOT_PARTS = frozenset({"state", "state_agency", "international_body"})
_STRUCTURE_WORDS = frozenset(
    [
        "shura",
        "council",
        "commission",
        "committee",
        "wing",
        "branch",
        "faction",
        "brigade",
        "battalion",
        "unit",
        "cell",
        "chapter",
        "province",
        "wilayat",
        "front",
        "group",
        "network",
    ]
)


def _structure(sent: Span, idx: MentionIndex, table: EntityTable) -> list[Candidate]:
    """Parts named through their whole: "the Taliban's Quetta Shura", "groups within IS-K".

    Also a known faction named in the same sentence as the organization it belongs to.
    """
    out: list[Candidate] = []
    doc = sent.doc
    orgs = [m for m in idx.in_span(sent.start, sent.end) if _org(m) and m.source != "coref"]
    for m in orgs:
        info = table.get(m.key)
        agency = info.category == "state_agency"  # "Iran's Revolutionary Guard Corps"
        if info.category in _NOT_PARTS and not agency:
            continue
        root = doc[m.start : m.end].root
        wholes: list[Mention] = []
        structural = m.text.split()[-1].lower().rstrip("s") in _STRUCTURE_WORDS
        for c in root.children:
            if (c.dep_ == "poss" or (structural and c.dep_ in ("compound", "nmod"))) and (
                c.i < m.start
            ):
                wholes.extend(
                    w for w in idx.at(c.i) if _org(w) and w.key != m.key and w.source != "coref"
                )
            if c.dep_ == "prep" and c.lower_ in ("within", "inside"):
                for p in _pobjs(c):
                    wholes.extend(w for w in idx.at(p.i) if _org(w) and w.key != m.key)
        if (
            root.dep_ == "pobj"
            and root.head.lower_ in ("within", "inside")
            and (root.head.head.pos_ in ("NOUN", "PROPN"))
        ):
            parts = list(idx.at(root.head.head.i)) or [
                p for t in _described(root.head.head) for p in idx.at(t.i)
            ]
            for part in parts:
                if _org(part) and part.key != m.key:
                    out.append(Candidate(part, Predicate.PART_OF, m, root.head.i, sent, 0.5))
        for w in wholes:
            whole = table.get(w.key).category
            if (whole != "state") if agency else (whole in _NOT_PARTS):
                continue
            out.append(Candidate(m, Predicate.PART_OF, w, root.i, sent, 0.5))
        # the gazetteer knows the parent and the sentence names both
        if info.parent:
            for w in orgs:
                if w.key == info.parent and w is not m:
                    out.append(Candidate(m, Predicate.PART_OF, w, root.i, sent, 0.35))
                    break
            else:
                owner = _POSSESSOR.match(m.text)
                parent = table.parent_of(m.key) if owner else None
                if parent is not None and owner and _is_named(owner.group(1), parent):
                    # one name with its owner inside: "Iran's Revolutionary Guard Corps"
                    whole = replace(m, key=parent.key)
                    out.append(Candidate(m, Predicate.PART_OF, whole, root.i, sent, 0.5))
    return out


_POSSESSOR = re.compile(r"^(.+?)[\u2019']s\s")


def _is_named(text: str, info: EntityInfo) -> bool:
    return name_key(text) in {name_key(n) for n in (info.name, *info.aliases)}


def _sentence_relations(
    sent: Span, idx: MentionIndex, table: EntityTable, lexicon: Lexicon
) -> list[Candidate]:
    out: list[Candidate] = []
    for trig, phrase in _match_triggers(sent, idx, lexicon):
        head = phrase[0]
        pred = trig.predicate
        conf = 0.7
        subj_toks: list[Token] = []
        obj_toks: list[Token] = []
        source_toks: list[Token] = []
        formed: list[Token] = []
        between: list[Token] = []
        if trig.pos == "verb" or (trig.pos == "adj" and head.pos_ == "VERB"):
            subj_toks = verb_subjects(head, idx, lexicon)
            obj_toks = verb_objects(head, trig, phrase)
            passive_subj = [c for c in head.children if c.dep_ == "nsubjpass"]
            if (
                passive_subj
                and not subj_toks
                and pred not in _DIRECTED_ACTS
                and not any(c.dep_ == "agent" for c in head.children)
            ):
                # "X and Y have been allied", "X was affiliated with Y": a state, not an act
                subj_toks = passive_subj
                obj_toks = [t for t in obj_toks if t not in passive_subj]
            for t in phrase:
                for p in _preps(t, trig.source_preps):
                    source_toks.extend(_pobjs(p))
            formed = _formed(head)
        elif trig.pos == "adj":
            # "X is allied with Y", "X, hostile to Y"
            if head.dep_ in ("acomp", "attr") or head.head.lemma_ == "be":
                subj_toks = [c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            elif head.dep_ == "amod":
                subj_toks = [head.head]
            for t in phrase:
                for p in _preps(t, trig.object_preps):
                    obj_toks.extend(_pobjs(p))
            if head.dep_ == "amod":
                for p in _preps(head.head, trig.object_preps):
                    obj_toks.extend(_pobjs(p))
        else:
            # a noun: modifiers and the governing verb's subject; the object via prepositions
            for t in phrase:
                for p in _preps(t, trig.source_preps):
                    source_toks.extend(_pobjs(p))
            gov = head.head if head.dep_ in ("dobj", "pobj") else None
            if (
                pred == Predicate.DEFECTED_TO
                and gov is not None
                and gov.lemma_.lower() in _DEFECTION_TAKERS
            ):
                # "X recruited defectors from Y": they went over to X
                source_toks.extend(_preps_pobjs(gov, ("from", "among")))
                if source_toks:
                    obj_toks.extend(verb_subjects(gov, idx, lexicon))
            mods = [c for c in head.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
            for t in phrase[1:]:
                mods.extend(c for c in t.children if c.dep_ in ("poss", "compound", "nmod"))
            for t in phrase:
                for p in _preps(t, trig.object_preps | trig.subject_preps | frozenset({"of"})):
                    low = p.lower_
                    if low == "between" or (low == "among" and pred in SYMMETRIC):
                        between.extend(_pobjs(p))
                    elif low in trig.subject_preps:
                        subj_toks.extend(_pobjs(p))
                    elif low == "of" and "of" not in trig.object_preps:
                        if (
                            pred == Predicate.SUPPORTS
                            and head.dep_ == "pobj"
                            and (head.head.lower_ in ("in", "for"))
                        ):
                            # "in support of X": X is the one supported
                            obj_toks.extend(_pobjs(p))
                        elif pred == Predicate.SUPPORTS or pred == Predicate.DEFECTED_TO:
                            subj_toks.extend(_pobjs(p))
                        elif pred in SYMMETRIC or pred == Predicate.CRITICIZES:
                            # "the fighting of X against Y"; rarely useful, keep as subject
                            subj_toks.extend(_pobjs(p))
                    elif low in trig.object_preps:
                        obj_toks.extend(_pobjs(p))
            members = [p for t in phrase for p in _preps_pobjs(t, ("of",))]
            whole = _described(head) or (
                [c for c in head.head.head.children if c.dep_ in ("dobj", "nsubjpass")]
                if head.dep_ == "pobj" and head.head.lower_ == "as"
                else []
            )
            if (
                pred == Predicate.SUPPORTS
                and trig.lemmas[-1] in _SUPPORTER_NOUNS
                and head.dep_ in ("nsubj", "nsubjpass")
                and head.head.lemma_ in _LISTING_VERBS
            ):
                # "X's main backers are A and B", "X's funding sources included A and B"
                subj_toks = [c for c in head.head.children if c.dep_ in ("dobj", "attr")]
                obj_toks = [
                    m for m in mods if m.dep_ == "poss" or (m.dep_ == "compound" and idx.at(m.i))
                ] + members
                if not subj_toks or not obj_toks:
                    continue
            elif trig.lemmas[0] in _UMBRELLAS and members and whole:
                # "X is an alliance of A, B and C": each is part of X
                pred = Predicate.PART_OF
                subj_toks, obj_toks = members, whole
            elif trig.lemmas[0] in _TAKING_IN_NOUNS:
                # "the absorption of X into Y"
                subj_toks = [p for t in phrase for p in _preps_pobjs(t, ("of",))]
                obj_toks = [p for t in phrase for p in _preps_pobjs(t, ("into", "in", "with"))]
                if not subj_toks or not obj_toks:
                    continue
            elif trig.lemmas[0] == "merger":
                # "Z was formed by the merger of A and B": A and B became part of Z
                whole = _formed_by(head)
                if whole:
                    subj_toks = [p for t in phrase for p in _preps_pobjs(t, ("of", "between"))]
                    obj_toks = whole
                else:
                    continue
            elif pred in _OWNER_PREDICATES and trig.lemmas[0] not in ("split", "schism"):
                # "X, a TTP faction" / "a faction of Y": modifiers name the whole
                described = _described(head)
                owners = [m for m in mods if m.dep_ in ("poss", "compound", "nmod")]
                if described:
                    subj_toks = described
                    obj_toks = obj_toks + owners
                elif owners and obj_toks:
                    subj_toks = owners
                else:
                    continue
            elif head.dep_ == "pobj" and head.head.lower_ == "as" and all(_seen_as(head)):
                # "X sees Y as its main enemy", "X considered Y an ally"
                subj_toks, obj_toks = _seen_as(head)
            else:
                from_given = pred == Predicate.SUPPORTS and bool(subj_toks)
                if from_given and not obj_toks:
                    # "X's support from Y": the owner is the one supported
                    obj_toks.extend(m for m in mods if m.dep_ == "poss")
                    mods = [m for m in mods if m.dep_ != "poss"]
                subj_toks.extend(m for m in mods)
                if between:
                    subj_toks.extend(between)
                cur = head
                while cur.dep_ == "conj" and cur.head is not cur:
                    cur = cur.head
                if cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.dep_ == "dobj":
                    cur = cur.head.head  # "received 50% of its funding from Y"
                gov = cur.head if cur.dep_ == "dobj" else None
                if pred == Predicate.SUPPORTS and gov is not None and gov.lemma_ in _RECEIVE:
                    # "X received weapons and funding from Y": Y supports X
                    subj_toks = [p for p in _preps_pobjs(gov, ("from", "by"))] + [
                        p for t in phrase for p in _preps_pobjs(t, ("from", "by"))
                    ]
                    obj_toks = verb_subjects(gov, idx, lexicon)
                elif pred == Predicate.SUPPORTS and subj_toks and not obj_toks:
                    # "X enjoyed support from Y": X is the one supported
                    obj_toks.extend(_governing_verb_subjects(head, idx, lexicon))
                if not subj_toks or not _expand(subj_toks, idx, lexicon):
                    subj_toks.extend(_governing_verb_subjects(head, idx, lexicon))
                    desc = _described(head)
                    if (
                        not subj_toks
                        and desc
                        and pred
                        in (Predicate.RIVAL_OF, Predicate.COOPERATES_WITH, Predicate.SUPPORTS)
                    ):
                        # "X is an ally/rival/sponsor of Y"
                        subj_toks.extend(desc)
                        for p in _preps(head, frozenset({"of"})):
                            obj_toks.extend(_pobjs(p))
        if (
            pred == Predicate.FIGHTS
            and trig.pos == "noun"
            and any(
                c.lower_ in _JOINT_ADJS for c in head.children if c.dep_ in ("amod", "compound")
            )
        ):
            pred = Predicate.COOPERATES_WITH  # "a joint attack": the attackers work together
            obj_toks = []
        if (
            pred == Predicate.COOPERATES_WITH
            and trig.pos == "noun"
            and (head.dep_ in ("dobj", "conj") and head.head.lemma_.lower() in _END_VERBS)
        ):
            pred = Predicate.RIVAL_OF  # "ended their alliance with Y"
        last = max(t.i for t in phrase)
        if trig.pos == "noun" and last + 1 < sent.end and sent.doc[last + 1].text == ":":
            # "X's main enemies: A, B and C"
            for i in range(last + 2, sent.end):
                if sent.doc[i].text == ";":
                    break
                obj_toks.append(sent.doc[i])
        between_given = trig.pos == "noun" and bool(between)
        subjects = [(m, mem) for m, mem in _expand(subj_toks, idx, lexicon)]
        objects = [(m, mem) for m, mem in _expand(obj_toks, idx, lexicon)]
        sources = [(m, mem) for m, mem in _expand(source_toks, idx, lexicon)]
        formed_ms = [m for t in formed for m in _direct(t, idx) if _org(m)]
        person_subject = any(m.kind == "person" for m, _ in subjects)
        subj_orgs = [(m, mem) for m, mem in subjects if _org(m)]
        obj_orgs = [(m, mem) for m, mem in objects if _org(m)]
        if pred in _TO_A_LEADERS_GROUP and not obj_orgs:
            # "fighters defected to al-Baghdadi": to the group he leads
            for m, mem in objects:
                group = table.parent_of(m.key) if m.kind == "person" else None
                if group is not None:
                    obj_orgs.append((replace(m, key=group.key, kind="organization"), mem))
                elif m.kind == "person":
                    obj_orgs.append((m, mem))  # the extractor maps him to a group he leads
        src_orgs = [m for m, _ in sources if _org(m)]
        # a person joining an organization is a member
        if pred == Predicate.PART_OF and trig.lemmas[0] == "join" and person_subject:
            for s, _ in subjects:
                if s.kind == "person":
                    for o, _ in obj_orgs:
                        out.append(Candidate(s, Predicate.MEMBER_OF, o, head.i, sent, 0.6))
            continue
        if not subj_orgs and pred in _PERSON_SUBJECTS:
            # "X swore allegiance to Y": a person's oath counts
            subj_orgs = [(m, mem) for m, mem in subjects if m.kind == "person"]
        if not subj_orgs:
            if subjects or person_subject:
                continue
            if any(t.pos_ == "PROPN" and t.dep_ in _SUBJ_DEPS for t in subj_toks):
                continue  # "Utaybi joined Y": someone the text names but no group
            if trig.pos == "verb" and any(
                c.dep_ in ("nsubjpass", "auxpass") for c in head.children
            ):
                continue  # "X was attacked" names no attacker
            if pred in _NO_GUESS:
                continue
            if head.dep_ == "amod":
                continue  # "X-affiliated groups": the groups, unnamed, are the subject
            near = _nearest(
                sent,
                idx,
                phrase[0].i if trig.pos != "noun" else min(t.i for t in phrase),
                -1,
                {m.key for m, _ in obj_orgs},
            )
            subj_orgs = [(m, False) for m in near]
            conf = 0.45
        if not obj_orgs and not src_orgs and not formed_ms:
            if objects:
                continue
            if pred in SYMMETRIC and len({m.key for m, _ in subj_orgs}) >= 2:
                pass
            elif trig.pos == "verb" and any(
                c.dep_ in ("xcomp", "ccomp")
                or (c.dep_ == "dobj" and c.lemma_.lower() in lexicon.by_first)
                for c in head.children
            ):
                continue  # "X helped found Y", "X opposed the talks": the object is no group
            elif pred in _NO_GUESS:
                continue
            elif between_given and any(t.pos_ == "NOUN" and not idx.at(t.i) for t in between):
                continue  # "clashes between X and other groups": the other side is unnamed
            else:
                exclude = {m.key for m, _ in subj_orgs}
                near = _nearest(sent, idx, max(t.i for t in phrase), +1, exclude, limit=12)
                if not near and trig.pos == "noun" and pred not in SYMMETRIC:
                    near = _nearest(sent, idx, min(t.i for t in phrase), -1, exclude, limit=10)
                obj_orgs = [(m, False) for m in near]
                conf = min(conf, 0.45)
        if pred == Predicate.FIGHTS and trig.pos == "verb":
            ally_preps = [
                c
                for t in phrase
                for c in t.children
                if c.dep_ == "prep" and c.lower_ in ("alongside", "along", "beside")
            ]
            ally_toks: list[Token] = []
            for c in ally_preps:
                for p in [c] + [g for g in c.children if g.dep_ == "prep"]:
                    for q in _pobjs(p):
                        if q.lower_ == "side":  # "along side X"
                            nxt = [
                                sent.doc[i]
                                for i in range(q.i + 1, min(q.i + 4, sent.end))
                                if idx.at(i)
                            ]
                            ally_toks.extend(nxt[:1])
                        ally_toks.append(q)
            if any(t.lower_ in ("other", "another") for t in ally_toks):
                # "X and Y fought alongside each other"
                for a, b in itertools.combinations([m for m, _ in subj_orgs], 2):
                    if a.key != b.key:
                        out.append(Candidate(a, Predicate.COOPERATES_WITH, b, head.i, sent, conf))
                continue
            allies = [m for q in ally_toks for m, _ in collect(q, idx, lexicon) if _org(m)]
            obj_orgs = [(o, mem) for o, mem in obj_orgs if o not in allies]
            for s_, _ in subj_orgs:
                for a in allies:
                    if a.key != s_.key:
                        out.append(Candidate(s_, Predicate.COOPERATES_WITH, a, head.i, sent, conf))
            for a in allies:
                # "X fought alongside Y against Z": Y fought Z too
                for o, _ in obj_orgs:
                    if a.key != o.key:
                        out.append(Candidate(a, Predicate.FIGHTS, o, head.i, sent, conf))
        # direction words and merged groups
        if pred == Predicate.SPLIT_FROM and formed_ms:
            parents = [m for m, _ in obj_orgs] + src_orgs or [m for m, _ in subj_orgs]
            for z in formed_ms:
                for p in parents:
                    out.append(Candidate(z, pred, p, head.i, sent, conf))
            continue
        named = {m.key for m, _ in subj_orgs + obj_orgs} | {m.key for m in src_orgs}
        formed_ms = [z for z in formed_ms if z.key not in named]
        if formed_ms and pred == Predicate.COOPERATES_WITH and trig.lemmas[0] == "join":
            # "X and Y joined forces to form Z": both became part of Z
            pred = Predicate.PART_OF
        if pred == Predicate.PART_OF and formed_ms and trig.lemmas[0] in ("merge", "join"):
            for z in formed_ms:
                for s, mem in subj_orgs + obj_orgs:
                    # members of X forming Z with others: Z split from X; X itself: X joined Z
                    if mem:
                        out.append(Candidate(z, Predicate.SPLIT_FROM, s, head.i, sent, conf))
                    else:
                        out.append(Candidate(s, pred, z, head.i, sent, conf))
            if trig.lemmas[0] == "merge":
                # "X merged with Y to form Z": X also joined Y
                for s, _ in subj_orgs:
                    for o, _ in obj_orgs:
                        out.append(Candidate(s, pred, o, head.i, sent, conf * 0.8))
            continue
        # "X absorbed Y": Y became part of X; "Y was absorbed into X" is already direct
        if (
            pred == Predicate.PART_OF
            and trig.lemmas[0] in _TAKE_IN_VERBS
            and trig.pos == "verb"
            and not any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
        ):
            subj_orgs, obj_orgs = obj_orgs, subj_orgs
        if pred == Predicate.DEFECTED_TO and src_orgs:
            for src in src_orgs:
                for o, _ in obj_orgs:
                    out.append(Candidate(src, pred, o, head.i, sent, conf))
            continue
        if (
            pred == Predicate.PART_OF
            and trig.lemmas[0] == "join"
            and any(mem for _, mem in subj_orgs)
        ):
            pred = Predicate.DEFECTED_TO
        pairs: list[tuple[Mention, Mention]] = []
        if obj_orgs:
            pairs = [(s, o) for s, _ in subj_orgs for o, _ in obj_orgs]
        elif pred in SYMMETRIC and (
            pred != Predicate.FIGHTS
            or between_given
            or (
                (trig.lemmas[0] in _RECIPROCAL or _each_other(phrase))
                and not any(
                    c.dep_ == "dobj" and c.lower_ not in ("other", "another")
                    for t in phrase
                    for c in t.children
                )
            )
        ):
            # "X and Y clashed"; but "X and Y attacked the town" says nothing between them
            ms = subj_orgs or obj_orgs
            pairs = list(itertools.combinations([m for m, _ in ms], 2))
        for s, o in pairs:
            if s.key == o.key:
                continue
            out.append(Candidate(s, pred, o, head.i, sent, conf))
    return out


# -- roles, killings, groups named after a leader --------------------------------------------


def _role_at(tok: Token, lexicon: Lexicon) -> tuple[Predicate, str] | None:
    lemma = tok.lemma_.lower()
    low = tok.lower_
    for words in ((lemma,), (low,)):
        if words in lexicon.roles:
            pred = lexicon.roles[words]
            mods = [
                c
                for c in tok.children
                if c.dep_ in ("amod", "compound")
                and c.pos_ in ("ADJ", "NOUN")
                and (c.lower_, lemma)
                and (c.lower_, lemma) in lexicon.roles
                or (c.dep_ == "amod" and c.lower_ in ("deputy", "former", "senior", "top", "chief"))
            ]
            role = " ".join([*(m.lower_ for m in sorted(mods, key=lambda x: x.i)), low])
            for m in mods:
                if (m.lower_, lemma) in lexicon.roles:
                    pred = lexicon.roles[(m.lower_, lemma)]
            return pred, role
    return None


_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "Of",
        "For",
        "And",
        "But",
        "Or",
        "This",
        "That",
        "It",
        "He",
        "She",
        "They",
        "We",
        "His",
        "Her",
        "Its",
        "Their",
        "Mr",
        "Ms",
        "Dr",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Islamic",
        "State",
        "Taliban",
    ]
)


def _unnamed_person(tok: Token, idx: MentionIndex, table: EntityTable) -> list[Mention]:
    """A proper name the role noun is said of that no earlier step recognised ("emir Zahid")."""
    cands = []
    if tok.dep_ == "compound" and tok.head.pos_ == "PROPN" and tok.head.i > tok.i:
        cands.append(tok.head)
    cands.extend(c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN")
    if tok.dep_ == "appos" and tok.head.pos_ == "PROPN":
        cands.append(tok.head)
    for c in cands:
        if idx.at(c.i):
            continue
        left = c.i
        while left - 1 > tok.i and c.doc[left - 1].pos_ == "PROPN" and not idx.at(left - 1):
            left -= 1
        if tok.dep_ == "appos" and c is tok.head:
            while left > 0 and c.doc[left - 1].pos_ == "PROPN" and not idx.at(left - 1):
                left -= 1
        span = c.doc[left : c.i + 1]
        words = span.text.split()
        if (
            not words
            or any(w in _NOT_NAMES or not w[:1].isupper() for w in words)
            or len(span.text) < 3
            or any(t.ent_type_ in ("GPE", "LOC", "ORG", "NORP") for t in span)
        ):
            continue
        key = table.new(span.text, "person")
        if table.get(key).kind != "person":
            continue
        return [
            Mention(
                span.start_char,
                span.end_char,
                span.text,
                key,
                "person",
                "role",
                span.start,
                span.end,
            )
        ]
    return []


def _persons_for_role(tok: Token, idx: MentionIndex, sent: Span) -> list[Mention]:
    """The person a role noun is said of."""
    people: list[Mention] = []

    def persons_at(t: Token) -> list[Mention]:
        res = [m for m in idx.at(t.i) if m.kind == "person"]
        for c in t.children:
            if c.dep_ == "conj":
                res.extend(m for m in idx.at(c.i) if m.kind == "person")
        return res

    # "X, one of the deputies of Y": the role sits in a partitive phrase
    if (
        tok.dep_ == "pobj"
        and tok.head.lower_ in ("of", "among")
        and tok.head.head.pos_ in ("NUM", "PRON", "NOUN")
        and tok.head.head.lower_ in ("one", "two", "some", "several", "many", "each", "both")
    ):
        tok = tok.head.head
    head = tok.head
    # "IS-K leader X": the role noun modifies the name
    if tok.dep_ in ("compound", "nmod", "amod") and head is not tok:
        people.extend(persons_at(head))
    # "X, the leader of Y" / "the leader of Y, X"
    if tok.dep_ == "appos":
        people.extend(persons_at(head))
    for c in tok.children:
        if c.dep_ == "appos":
            people.extend(persons_at(c))
    # "X was/became the leader", "X was appointed governor", "named X as emir"
    cur = tok
    if cur.dep_ == "pobj" and cur.head.lower_ == "as":
        cur = cur.head
    if cur.dep_ in ("attr", "oprd", "xcomp", "acomp", "prep", "dobj") and cur.head.pos_ in (
        "VERB",
        "AUX",
    ):
        verb = cur.head
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass") or (c.dep_ == "dobj" and cur.dep_ != "dobj"):
                people.extend(persons_at(c))
    # the name right after "the leader of X": "the emir of X Abu Y", "the head of X, Y"
    if not people:
        ofs = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
        if ofs:
            end = max(t.i for t in ofs[0].subtree) + 1
            while end < sent.end and sent.doc[end].text in (",", ")", "("):
                end += 1
            if end < sent.end:
                people.extend(m for m in idx.at(end) if m.kind == "person")
    # the name right next to the role phrase
    if not people:
        for i in (tok.i + 1, tok.i + 2, tok.i - 1, tok.i - 2):
            if sent.start <= i < sent.end:
                ms = [m for m in idx.at(i) if m.kind == "person"]
                if ms and (abs(i - tok.i) == 1 or sent.doc[(i + tok.i) // 2].text in (",",)):
                    people.extend(ms)
                    break
    return people


def _orgs_for_role(tok: Token, idx: MentionIndex, lexicon: Lexicon) -> list[Mention]:
    orgs: list[Mention] = []
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "nmod"):
            orgs.extend(m for m, _ in collect(c, idx, lexicon) if _org(m))
        if c.dep_ == "prep" and c.lower_ in ("of", "for", "in", "within", "with", "from"):
            for p in _pobjs(c):
                orgs.extend(m for m, _ in collect(p, idx, lexicon) if _org(m))
    if tok.dep_ == "compound" and tok.head.dep_ != "compound":
        # "Taliban leader X": "Taliban" may hang on the name rather than on "leader"
        for c in tok.head.children:
            if c.dep_ in ("compound", "nmod", "poss") and c.i < tok.i:
                orgs.extend(m for m in idx.at(c.i) if _org(m))
    if tok.i > 0:
        prev = tok.doc[tok.i - 1]
        if prev.tag_ == "POS" and tok.i > 1:
            orgs.extend(m for m in idx.at(tok.i - 2) if _org(m))
        orgs.extend(m for m in idx.at(tok.i - 1) if _org(m))
    uniq: list[Mention] = []
    for m in orgs:
        if m not in uniq:
            uniq.append(m)
    return uniq


_LEADERSHIP = frozenset(
    {"leadership", "command", "governorship", "emirate", "stewardship", "direction", "helm"}
)


def _leadership(tok: Token, idx: MentionIndex, lexicon: Lexicon) -> list[tuple[Mention, Mention]]:
    """Leaders in "X under the leadership of P", "P took over the command of X"."""
    people = [m for p in _preps_pobjs(tok, ("of",)) for m in _direct(p, idx) if m.kind == "person"]
    people += [
        m for c in tok.children if c.dep_ == "poss" for m in idx.at(c.i) if m.kind == "person"
    ]
    if not people:
        return []
    orgs = [
        m for c in tok.children if c.dep_ in ("poss", "compound") for m in idx.at(c.i) if _org(m)
    ]
    if not orgs and tok.dep_ == "pobj" and tok.head.lower_ == "under":
        gov = tok.head.head
        if idx.at(gov.i):
            orgs = [m for m in idx.at(gov.i) if _org(m)]
        elif gov.pos_ in ("VERB", "AUX"):
            cands = clause_subjects(gov, idx, lexicon) + [
                c for c in gov.children if c.dep_ in ("dobj",)
            ]
            orgs = [m for m, _ in _expand(cands, idx, lexicon) if _org(m)]
        else:
            orgs = [m for m, _ in collect(gov, idx, lexicon) if _org(m)]
    return [(p, o) for p in people for o in orgs]


def _roles(sent: Span, idx: MentionIndex, table: EntityTable, lexicon: Lexicon) -> list[Candidate]:
    out: list[Candidate] = []
    for tok in sent:
        if idx.at(tok.i):
            continue
        if tok.lemma_.lower() in _LEADERSHIP and tok.pos_ == "NOUN":
            for p, o in _leadership(tok, idx, lexicon):
                out.append(Candidate(p, Predicate.LEADS, o, tok.i, sent, 0.5, {"role": "leader"}))
            continue
        if tok.pos_ in ("NOUN", "PROPN"):
            found = _role_at(tok, lexicon)
            if found is not None:
                pred, role = found
                orgs = _orgs_for_role(tok, idx, lexicon)
                if not orgs:
                    continue
                people = _persons_for_role(tok, idx, sent) or _unnamed_person(tok, idx, table)
                for person in people:
                    for org in orgs:
                        out.append(Candidate(person, pred, org, tok.i, sent, 0.6, {"role": role}))
        elif tok.lower_ == "led" and tok.i >= 2 and sent.doc[tok.i - 1].text in ("-", "\u2013"):
            # "the X-led group"
            people = [m for m in idx.at(tok.i - 2) if m.kind == "person"]
            orgs = [m for m in idx.at(tok.head.i) if _org(m)]
            for p in people:
                for o in orgs:
                    out.append(
                        Candidate(p, Predicate.LEADS, o, tok.i, sent, 0.6, {"role": "leader"})
                    )
        elif tok.pos_ == "VERB" and tok.lemma_.lower() in lexicon.lead_verbs:
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
            if passive or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
                people_t = [p for c in tok.children if c.dep_ == "agent" for p in _pobjs(c)]
                org_t = [c for c in tok.children if c.dep_ == "nsubjpass"] or (
                    [tok.head] if tok.dep_ == "acl" else []
                )
            else:
                people_t = verb_subjects(tok, idx, lexicon)
                org_t = [c for c in tok.children if c.dep_ == "dobj"]
            people = [m for m, _ in _expand(people_t, idx, lexicon) if m.kind == "person"]
            orgs = [m for m, _ in _expand(org_t, idx, lexicon) if _org(m)]
            role = (
                "leader" if tok.lemma_.lower() in ("lead", "head", "command", "run") else "founder"
            )
            for p in people:
                for o in orgs:
                    out.append(Candidate(p, Predicate.LEADS, o, tok.i, sent, 0.6, {"role": role}))
    return out


def _kills(sent: Span, idx: MentionIndex, lexicon: Lexicon) -> list[Candidate]:
    out: list[Candidate] = []
    for tok in sent:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in lexicon.kill_verbs:
            continue
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
            tok.dep_ in ("acl", "advcl", "conj") and tok.tag_ == "VBN"
        )
        if passive:
            victims_t = [c for c in tok.children if c.dep_ == "nsubjpass"]
            if not victims_t and tok.dep_ == "acl":
                victims_t = [tok.head]
            if not victims_t and tok.dep_ == "conj":
                victims_t = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            killers_t = [p for c in tok.children if c.dep_ == "agent" for p in _pobjs(c)]
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "during", "by"):
                    for p in _pobjs(c):
                        if (
                            p.lemma_.lower() in lexicon.kill_nouns
                            or any(g.lemma_.lower() in lexicon.kill_nouns for g in p.children)
                            or p.lemma_.lower() in ("strike", "operation", "raid", "attack")
                        ):
                            killers_t.extend(
                                g
                                for g in p.children
                                if g.dep_ in ("compound", "poss", "amod", "nmod")
                            )
        else:
            killers_t = verb_subjects(tok, idx, lexicon)
            victims_t = [c for c in tok.children if c.dep_ == "dobj"]
        victims = [m for m, _ in _expand(victims_t, idx, lexicon) if m.kind == "person"]
        killers = [m for m, _ in _expand(killers_t, idx, lexicon) if _org(m)]
        for v in victims:
            for k in killers:
                out.append(Candidate(v, Predicate.KILLED_BY, k, tok.i, sent, 0.6))
    return out


def _leader_groups(sent: Span, idx: MentionIndex) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[int] = set()
    for i in range(sent.start, sent.end):
        for m in idx.at(i):
            if m.leader and id(m) not in seen:
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
                out.append(
                    Candidate(leader, Predicate.LEADS, m, m.start, sent, 0.5, {"role": "leader"})
                )
    return out
