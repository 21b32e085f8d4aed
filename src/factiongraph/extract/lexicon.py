"""The trigger lexicon: which words signal which relation, loaded from ``data/triggers.yaml``."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from factiongraph.models import Predicate

__all__ = ["Trigger", "Lexicon", "default_lexicon", "LEXICON_PATH"]

LEXICON_PATH = Path(__file__).parent / "data" / "triggers.yaml"


@dataclass(frozen=True)
class Trigger:
    """One way of saying a relation: a lemma sequence with its part of speech."""

    predicate: Predicate
    lemmas: tuple[str, ...]
    pos: str  # "verb", "noun" or "adj"
    object_preps: frozenset[str]
    subject_preps: frozenset[str] = frozenset()
    source_preps: frozenset[str] = frozenset()


@dataclass
class Lexicon:
    """Triggers indexed by their first lemma, plus the word lists the other steps use."""

    by_first: dict[str, list[Trigger]] = field(default_factory=dict)
    modifiers: dict[str, Predicate] = field(default_factory=dict)
    roles: dict[tuple[str, ...], Predicate] = field(default_factory=dict)
    lead_verbs: frozenset[str] = frozenset()
    kill_verbs: frozenset[str] = frozenset()
    kill_nouns: frozenset[str] = frozenset()
    place_verbs: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    place_preps: frozenset[str] = frozenset()
    coref_nouns: frozenset[str] = frozenset()
    coref_plural: frozenset[str] = frozenset()
    coref_pronouns: frozenset[str] = frozenset()
    member_nouns: frozenset[str] = frozenset()
    org_heads: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lex = cls()
        for item in data["relations"]:
            predicate = Predicate(item["predicate"])
            obj = _words(item.get("object_preps", []))
            subj = _words(item.get("subject_preps", []))
            src = _words(item.get("source_preps", []))
            for pos_key, pos in (("verbs", "verb"), ("nouns", "noun"), ("adjs", "adj")):
                for phrase in item.get(pos_key, []) or []:
                    lemmas = _lemmas_of(str(phrase))
                    trig = Trigger(predicate, lemmas, pos, obj, subj, src)
                    lex.by_first.setdefault(lemmas[0], []).append(trig)
        for triggers in lex.by_first.values():
            triggers.sort(key=lambda t: -len(t.lemmas))
        for pred, words in data.get("relation_modifiers", {}).items():
            for w in words:
                lex.modifiers[w] = Predicate(pred)
        for pred, words in data.get("roles", {}).items():
            for w in words:
                lex.roles.setdefault(tuple(str(w).lower().split()), Predicate(pred))
        lex.lead_verbs = frozenset(data.get("lead_verbs", []))
        lex.kill_verbs = frozenset(data.get("kill_verbs", []))
        lex.kill_nouns = frozenset(data.get("kill_nouns", []))
        places = data.get("place_triggers", {})
        lex.place_verbs = frozenset(places.get("verbs", []))
        lex.place_nouns = frozenset(places.get("nouns", []))
        lex.place_preps = frozenset(places.get("preps", []))
        coref = data.get("coref", {})
        lex.coref_nouns = frozenset(coref.get("nouns", []))
        lex.coref_plural = frozenset(coref.get("plural_nouns", []))
        lex.coref_pronouns = frozenset(coref.get("pronouns", []))
        lex.member_nouns = frozenset(data.get("member_nouns", []))
        lex.org_heads = frozenset(data.get("org_heads", []))
        return lex


def _lemmas_of(phrase: str) -> tuple[str, ...]:
    """Lemmas of a trigger phrase as the tokenizer splits it ("non-aggression pact" is four)."""
    out: list[str] = []
    for word in phrase.lower().split():
        parts = word.split("-")
        for k, part in enumerate(parts):
            if k:
                out.append("-")
            if part:
                out.append(part)
    return tuple(out)


def _words(items: list[object]) -> frozenset[str]:
    """Words of a YAML list; YAML 1.1 reads a bare ``on``/``off`` as a boolean."""
    return frozenset(
        ("on" if w else "off") if isinstance(w, bool) else str(w).lower() for w in items or []
    )


@functools.cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon, loaded once per process."""
    return Lexicon.load()
