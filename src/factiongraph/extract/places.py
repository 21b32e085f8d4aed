"""Places: where an organization operates, and where a relation held.

An organization operates in a place when the place hangs, through a preposition such as
"in", "across" or "into", on a word whose subject or owner is the organization ("IS-K is
active in Kunar and Nuristan", "Taliban fighters in Helmand", "its bases in Waziristan").
Coordinated places ("in Kunar, Nuristan and Laghman") each give a fact.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from factiongraph.extract.entities import EntityTable, Mention
from factiongraph.extract.relations import (
    Candidate,
    MentionIndex,
    _direct,
    _nearest,
    clause_subjects,
    collect,
)
from factiongraph.models import Predicate

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from factiongraph.extract.lexicon import Lexicon

__all__ = ["find_operates_in", "place_for"]

# states and their agencies are where they are; what matters is where armed groups operate
_NO_OPERATOR = frozenset({"international_body", "state", "state_agency"})
_NOT_NEAREST = frozenset({"international_body", "state", "state_agency"})
_RELATION_PLACE_PREPS = frozenset({"in", "at", "near", "inside", "across", "throughout"})


def _place_root(doc: Doc, m: Mention) -> Token:
    return doc[m.start : m.end].root


def _first_conjunct(tok: Token) -> Token:
    cur = tok
    for _ in range(20):
        if cur.dep_ in ("conj", "appos") and cur.head is not cur:
            cur = cur.head
        else:
            break
    return cur


def _orgs_under(
    tok: Token, idx: MentionIndex, lexicon: Lexicon, table: EntityTable
) -> list[Mention]:
    out = []
    for m, _ in collect(tok, idx, lexicon):
        if m.kind == "organization" and table.get(m.key).category not in _NO_OPERATOR:
            out.append(m)
    return out


def _operators(
    prep: Token, idx: MentionIndex, lexicon: Lexicon, table: EntityTable
) -> tuple[list[Mention], float]:
    """The organizations a place-preposition puts somewhere."""
    head = prep.head
    if head.pos_ == "ADP" and head.head is not head:
        head = head.head  # "based out of X", "because of X"
    for _ in range(4):
        if head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            orgs = _orgs_under(head, idx, lexicon, table)
            if orgs:
                return orgs, 0.6
            if head.dep_ in ("pobj",) and head.head.dep_ == "prep":
                head = head.head.head
                continue
            if head.dep_ in ("dobj", "attr", "nsubjpass", "conj", "appos", "npadvmod") and (
                head.head is not head
            ):
                head = head.head
                continue
            if head.dep_ in ("nsubj",):
                return [], 0.0
            return [], 0.0
        if head.pos_ in ("VERB", "AUX", "ADJ"):
            subj_toks = clause_subjects(head, idx, lexicon)
            if head.dep_ in ("acomp",) or (head.pos_ == "ADJ" and head.dep_ != "amod"):
                subj_toks += [c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if head.dep_ == "amod":
                subj_toks.append(head.head)
            if head.dep_ == "acl":
                subj_toks.append(head.head)
            orgs = []
            for t in subj_toks:
                orgs.extend(_orgs_under(t, idx, lexicon, table))
            if orgs:
                return orgs, 0.6
            return [], 0.0
        break
    return [], 0.0


_LIST_GAP = re.compile(
    r"^(?:[\s,;()]|\b(?:and|or|in|as well as|the|provinces?|districts?|areas?|also|even)\b)*$"
)


def _place_runs(text: str, places: list[Mention]) -> list[list[Mention]]:
    """Places written as one list ("in Kunar, Nuristan (east) and Laghman")."""
    runs: list[list[Mention]] = []
    for p in sorted(places, key=lambda m: m.start_char):
        if runs and _LIST_GAP.match(text[runs[-1][-1].end_char : p.start_char]):
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def find_operates_in(
    doc: Doc, mentions: list[Mention], table: EntityTable, lexicon: Lexicon
) -> list[Candidate]:
    """``operates_in`` candidates: organization → place."""
    idx = MentionIndex(mentions)
    out: list[Candidate] = []
    text = doc.text
    for sent in doc.sents:
        ms = idx.in_span(sent.start, sent.end)
        places = [m for m in ms if m.kind == "place"]
        if not places or not any(m.kind == "organization" for m in ms):
            continue
        found: dict[int, tuple[list[Mention], float, int]] = {}
        for p in places:
            root = _first_conjunct(_place_root(doc, p))
            orgs: list[Mention] = []
            conf = 0.0
            if root.dep_ == "pobj" and root.head.lower_ in lexicon.place_preps:
                orgs, conf = _operators(root.head, idx, lexicon, table)
                if not orgs and root.head.lower_ in ("in", "across", "throughout", "into"):
                    fronted = root.head.i - sent.start <= 1
                    near = _nearest(
                        sent,
                        idx,
                        p.end - 1 if fronted else p.start,
                        1 if fronted else -1,
                        {p.key},
                        limit=25,
                        cross_colon=fronted,
                    )
                    if fronted:
                        # "In Iran, groups included X, Y and Z": everything the list names
                        near = [m for n in near for m in _direct(doc[n.start : n.end].root, idx)]
                    orgs = [
                        m
                        for m in near
                        if m.kind == "organization"
                        and table.get(m.key).category not in _NOT_NEAREST
                    ]
                    conf = 0.35
            elif root.dep_ in ("compound", "amod", "nmod", "poss"):
                # "the Nangarhar branch of IS-K", "Kunar-based fighters"
                head = root.head
                if head.lemma_.lower() in lexicon.place_nouns or head.lower_ in lexicon.place_nouns:
                    orgs = _orgs_under(head, idx, lexicon, table)
                    if not orgs:
                        for c in head.children:
                            if c.dep_ == "prep" and c.lower_ == "of":
                                for g in c.children:
                                    orgs.extend(_orgs_under(g, idx, lexicon, table))
                    conf = 0.5
            found[id(p)] = (orgs, conf, root.i)
        for run in _place_runs(text, places):
            shared: list[Mention] = []
            best = 0.0
            for p in run:
                orgs, conf, _ = found[id(p)]
                if orgs and conf >= best:
                    if conf > best:
                        shared = []
                    best = conf
                    shared.extend(o for o in orgs if o not in shared)
            for p in run:
                orgs, conf, anchor = found[id(p)]
                if not orgs or conf < best:
                    orgs, conf = shared, best
                for o in orgs:
                    if o.key == p.key or table.get(o.key).name == table.get(p.key).name:
                        continue
                    if table.get(o.key).category in _NO_OPERATOR:
                        continue
                    out.append(Candidate(o, Predicate.OPERATES_IN, p, anchor, sent, conf))
    out.extend(_hosted(doc, idx, table, lexicon))
    return out


_HOST_VERBS = frozenset({"host", "harbor", "harbour", "shelter"})


def _hosted(doc: Doc, idx: MentionIndex, table: EntityTable, lexicon: Lexicon) -> list[Candidate]:
    """Groups a country hosts operate there: "Tajikistan hosted groups such as X and Y"."""
    out: list[Candidate] = []
    gaz = table.gazetteer
    for tok in doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in _HOST_VERBS:
            continue
        hosts = [m for t in clause_subjects(tok, idx, lexicon) for m in idx.at(t.i)]
        places: list[Mention] = []
        for h in hosts:
            if h.kind == "place":
                places.append(h)
            elif gaz is not None and table.get(h.key).category == "state":
                for entry in gaz.lookup(table.get(h.key).name):
                    if entry.kind == "place":
                        key = table.from_entry(entry)
                        places.append(replace(h, key=key, kind="place"))
                        break
        if not places:
            continue
        guests = [
            m
            for c in tok.children
            if c.dep_ == "dobj"
            for m, _ in collect(c, idx, lexicon)
            if m.kind == "organization" and table.get(m.key).category not in _NO_OPERATOR
        ]
        for g in guests:
            for p in places:
                out.append(Candidate(g, Predicate.OPERATES_IN, p, tok.i, tok.sent, 0.5))
    return out


def place_for(cand: Candidate, idx: MentionIndex) -> Mention | None:
    """A place named in the same clause as the relation's trigger ("clashed in Nangarhar")."""
    doc = cand.sentence.doc
    trig = doc[cand.trigger]
    heads = [trig]
    if trig.head is not trig and trig.dep_ in ("dobj", "pobj", "attr", "nsubj", "nsubjpass"):
        heads.append(trig.head)
        if trig.head.dep_ == "prep":
            heads.append(trig.head.head)
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in _RELATION_PLACE_PREPS:
                for g in c.children:
                    if g.dep_ == "pobj":
                        for m in idx.at(g.i):
                            if m.kind == "place":
                                return m
    return None


def _sentence_of(doc: Doc, i: int) -> Span:
    return doc[i].sent
