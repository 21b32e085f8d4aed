"""Short references: "the group", "the movement", "the two organisations", "they".

Each is resolved to the organization meant: the most recent compatible organization
mention, preferring the subject of the current or previous sentence. Resolved references
become mentions with ``source="coref"``; "the two organisations" becomes two mentions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factiongraph.extract.entities import EntityTable, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from factiongraph.extract.lexicon import Lexicon

__all__ = ["resolve_references"]

_NOT_GROUPS = frozenset({"state", "state_agency", "international_body", "country"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_NUMBERS = {"two": 2, "both": 2, "three": 3}


def _expletive(tok: Token) -> bool:
    """An "it" that stands for nothing: "It is unclear whether ...", "it seems that ..."."""
    head = tok.head
    kids = list(head.children)
    if head.lemma_ in ("seem", "appear", "take", "make", "happen", "remain", "become"):
        return True
    passive = any(c.dep_ == "auxpass" for c in kids)
    if any(c.dep_ == "csubj" for c in kids) or (
        # "it was reported that ...", "it is said to ..."; but "it began to ..." is the group
        passive and any(c.dep_ in ("ccomp", "xcomp") for c in kids)
    ):
        return True
    if head.lemma_ == "be":
        for c in kids:
            if c.dep_ in ("acomp", "attr") and any(
                g.dep_ in ("ccomp", "xcomp", "relcl", "acl") for g in c.children
            ):
                return True
        # "it is likely/clear/possible" without a clause still reads as expletive
        return any(
            c.dep_ == "acomp"
            and c.lower_
            in (
                "likely",
                "unlikely",
                "clear",
                "unclear",
                "possible",
                "impossible",
                "difficult",
                "hard",
                "easy",
                "important",
                "true",
                "evident",
            )
            for c in kids
        )
    return False


_REFLEXIVES = frozenset({"itself", "themselves"})


def _clause_subject(tok: Token) -> Token | None:
    """The subject of the clause ``tok`` is in, through infinitives and conjoined verbs."""
    cur = tok.head
    for _ in range(4):
        subjects = [c for c in cur.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            return subjects[0]
        if cur.dep_ in ("xcomp", "conj", "advcl", "pcomp", "prep") and cur.head is not cur:
            cur = cur.head
            continue
        return None
    return None


def _is_subject(doc: Doc, m: Mention) -> bool:
    tok = doc[m.end - 1] if m.end > m.start else doc[m.start]
    root = doc[m.start : m.end].root
    for t in (root, tok):
        cur = t
        for _ in range(3):
            if cur.dep_ in _SUBJECT_DEPS:
                return True
            if cur.dep_ in ("compound", "poss", "conj", "appos") and cur.head is not cur:
                cur = cur.head
                continue
            break
    return False


def resolve_references(
    doc: Doc, mentions: list[Mention], table: EntityTable, lexicon: Lexicon
) -> list[Mention]:
    """Return ``mentions`` plus one mention for each short reference resolved."""
    by_token: dict[int, Mention] = {}
    for m in mentions:
        for i in range(m.start, m.end):
            by_token[i] = m
    sents = list(doc.sents)
    sent_of: dict[int, int] = {}
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_of[i] = k
    history: list[tuple[int, Mention, bool]] = []  # (sentence index, mention, is subject)
    resolved: dict[int, Mention] = dict(by_token)  # names and resolved references, by token
    out = list(mentions)
    ordered = sorted(mentions, key=lambda x: x.start)
    pos = 0

    def group_like(m: Mention) -> bool:
        if m.kind != "organization":
            return False
        info = table.get(m.key)
        return info.category not in _NOT_GROUPS and not info.people

    def antecedents(tok: Token, count: int, pronoun: bool) -> list[Mention]:
        k = sent_of.get(tok.i, 0)
        found: list[Mention] = []
        keys: set[str] = set()
        # same sentence before the reference, then subjects of the previous sentence, then the rest
        same = [m for s, m, _ in history if s == k and group_like(m)]
        prev_subj = [m for s, m, subj in history if s == k - 1 and subj and group_like(m)]
        prev = [m for s, m, _ in history if k - 2 <= s < k and group_like(m)]
        pools = (
            # "the two groups" looks back to the pair just described
            [prev[::-1], same[::-1]]
            if count > 1
            else [[m for m in same[::-1] if _is_subject(doc, m)], prev_subj, same[::-1], prev[::-1]]
            if not pronoun
            else [
                [m for m in same[::-1] if _is_subject(doc, m)],
                prev_subj,
                same[::-1],
                [m for s, m, _ in history if s == k - 1 and group_like(m)][::-1],
            ]
        )
        for pool in pools:
            for m in pool:
                if m.key not in keys:
                    keys.add(m.key)
                    found.append(m)
                if len(found) >= count:
                    return found[:count]
            if found and count == 1:
                break
        return found[:count] if len(found) >= count else []

    for tok in doc:
        while pos < len(ordered) and ordered[pos].start <= tok.i:
            m = ordered[pos]
            history.append((sent_of.get(m.start, 0), m, _is_subject(doc, m)))
            pos += 1
        if tok.i in by_token:
            continue
        low = tok.lower_
        if low in lexicon.coref_nouns or low in lexicon.coref_plural:
            if tok.pos_ not in ("NOUN", "PROPN"):
                continue
            dets = [c for c in tok.children if c.dep_ == "det"]
            if not dets or dets[0].lower_ not in ("the", "this", "that", "these", "both"):
                continue
            if any(c.dep_ in ("compound", "poss") or c.i in by_token for c in tok.children):
                continue
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                continue
            count = 1
            if low in lexicon.coref_plural:
                nums = [c for c in tok.children if c.lower_ in _NUMBERS]
                if not nums and dets[0].lower_ not in ("both", "the", "these"):
                    continue
                count = _NUMBERS[nums[0].lower_] if nums else 2
                if not nums and dets[0].lower_ != "both":
                    # "the groups": only when exactly two organizations were just named
                    k = sent_of.get(tok.i, 0)
                    recent = {m.key for s_, m, _ in history if k - 1 <= s_ <= k and group_like(m)}
                    if len(recent) != 2:
                        continue
            start = min([dets[0].i, *[c.i for c in tok.children if c.dep_ in ("nummod", "amod")]])
            span = doc[start : tok.i + 1]
            found = antecedents(tok, count, pronoun=False)
        elif low in _REFLEXIVES:
            # "X began to distance itself from Y": the subject of its own clause
            subject = _clause_subject(tok)
            ant = resolved.get(subject.i) if subject is not None else None
            if ant is None or not group_like(ant):
                continue
            span = doc[tok.i : tok.i + 1]
            found, count = [ant], 1
        elif low in lexicon.coref_pronouns:
            if tok.dep_ not in ("nsubj", "nsubjpass", "poss", "dobj", "pobj"):
                continue
            if low in ("it", "its", "itself") and tok.dep_ == "nsubj" and _expletive(tok):
                continue
            span = doc[tok.i : tok.i + 1]
            found = antecedents(tok, 1, pronoun=True)
            count = 1
        else:
            continue
        if len(found) < count or not found:
            continue
        for ant in found:
            ref = Mention(
                span.start_char,
                span.end_char,
                span.text,
                ant.key,
                ant.kind,
                "coref",
                span.start,
                span.end,
                plural=count > 1,
            )
            out.append(ref)
            resolved.setdefault(tok.i, ref)
            history.append((sent_of.get(tok.i, 0), ref, tok.dep_ in _SUBJECT_DEPS))
    out.sort(key=lambda x: (x.start, x.end))
    return out
