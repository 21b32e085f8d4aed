"""Entity recognition and linking: gazetteer names, name shapes, abbreviations, NER spans.

Names are found on the raw text before parsing (so multi-token names can be merged into one
token, which helps the parser), then completed from spaCy's named entities after parsing.
Every mention points to an entity key: a gazetteer id, or ``new:<name key>`` for an
organization, person or place the gazetteer does not know.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from factiongraph.names import name_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from factiongraph.extract.gazetteer import Gazetteer, GazetteerEntry

__all__ = [
    "Mention",
    "EntityInfo",
    "EntityTable",
    "NameIndex",
    "find_names",
    "add_ner_mentions",
    "PLACE_CATEGORIES",
]

PLACE_CATEGORIES = frozenset({"country", "province", "district", "city", "region"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_QUOTE_CHARS = frozenset("\u2018\u2019'`\u02bc\u02bb")


@dataclass
class Mention:
    """A stretch of text that names (or refers to) an entity."""

    start_char: int
    end_char: int
    text: str
    key: str
    kind: str  # organization | person | place
    source: str  # gazetteer | abbreviation | shape | ner | forces | coref
    start: int = -1  # token offsets, set once the text is parsed
    end: int = -1
    candidates: tuple[str, ...] = ()
    weak: bool = False
    plural: bool = False
    leader: str | None = None  # for a group named after a person: the person's key
    antecedents: tuple[int, ...] = ()  # for a short reference: indexes of the mentions meant


@dataclass
class EntityInfo:
    """What the document tells about one entity."""

    key: str
    name: str
    kind: str
    category: str | None = None
    parent: str | None = None  # key of the parent entity
    aliases: list[str] = field(default_factory=list)
    entry_id: str | None = None
    note: str | None = None
    people: bool = False  # a name for a people ("Uzbeks"), not for an organization

    def add_alias(self, text: str) -> None:
        text = text.strip()
        if text and text != self.name and text not in self.aliases:
            self.aliases.append(text)


class EntityTable:
    """The entities of one document, keyed by gazetteer id or ``new:<name key>``."""

    def __init__(self, gazetteer: Gazetteer | None) -> None:
        self.gazetteer = gazetteer
        self.entities: dict[str, EntityInfo] = {}

    def from_entry(self, entry: GazetteerEntry) -> str:
        if entry.id not in self.entities:
            kind = entry.kind
            self.entities[entry.id] = EntityInfo(
                key=entry.id,
                name=entry.name,
                kind=kind,
                category=entry.category,
                parent=entry.parent,
                aliases=[a for a in entry.aliases if a != entry.name],
                entry_id=entry.id,
                note=entry.note,
            )
        return entry.id

    def parent_of(self, key: str) -> EntityInfo | None:
        """The organization an entity belongs to (a person's group), if the gazetteer says."""
        parent = self.entities[key].parent if key in self.entities else None
        if parent is None:
            return None
        if parent not in self.entities:
            entry = self.gazetteer.get(parent) if self.gazetteer is not None else None
            if entry is None:
                return None
            self.from_entry(entry)
        info = self.entities[parent]
        return info if info.kind == "organization" else None

    def new(self, name: str, kind: str, category: str | None = None) -> str:
        """The key of an entity named ``name``: a gazetteer entry if one has that name."""
        name = clean_name(name)
        if self.gazetteer is not None:
            forms = self.gazetteer.lookup_forms(name)
            for entry, weak in forms:
                if not weak and (entry.kind == kind or kind == "organization"):
                    return self.from_entry(entry)
            # a weak form ("U.S.") is enough when the text has already shown it is a place
            for entry, _weak in forms:
                if kind == "place" and entry.kind == "place":
                    return self.from_entry(entry)
        key = "new:" + name_key(name)
        for info in self.entities.values():
            if info.entry_id is None and info.kind == kind and key == "new:" + name_key(info.name):
                return info.key
        if key not in self.entities:
            self.entities[key] = EntityInfo(key=key, name=name, kind=kind, category=category)
        return key

    def get(self, key: str) -> EntityInfo:
        return self.entities[key]

    def family(self, key: str) -> set[str]:
        """The entity, its ancestors and its children (gazetteer ids)."""
        out = {key}
        if self.gazetteer is None or key.startswith("new:"):
            return out
        out.update(e.id for e in self.gazetteer.ancestors(key))
        out.update(e.id for e in self.gazetteer.children(key))
        return out


def clean_name(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    text = re.sub(r"[\u2019']s$", "", text) if not re.search(r"'s (group|faction)$", text) else text
    return text.strip(" ,;:.-\u2013\u2014\"'\u201c\u201d")


# -- text normalisation with offsets --------------------------------------------------------


# dotted initials ("U.S.", "U.N.") are one word, as the gazetteer's "US" and "UN" are
_WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['`\u2018\u2019\u02bc\u02bb][^\W_]+)*")


@functools.lru_cache(maxsize=65536)
def _word_keys(word: str) -> tuple[str, ...]:
    return tuple(name_key(word).split())


def normalised_words(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` as :func:`name_key` sees them, with their character offsets."""
    out: list[tuple[str, int, int]] = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if len(word) > 2 and word[-1] in "sS" and word[-2] in _QUOTE_CHARS:
            # a possessive: "Taliban's" is "Taliban" for matching
            keys = _word_keys(word[:-2])
            if len(keys) == 1:
                out.append((keys[0], m.start(), m.end() - 2))
                continue
        else:
            keys = _word_keys(word)
        if len(keys) == 1:
            out.append((keys[0], m.start(), m.end()))
        else:
            out.extend((k, m.start(), m.end()) for k in keys)
    return out


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


@dataclass
class _Form:
    entry_id: str
    weak: bool
    exact: str | None  # the letters that must match case-sensitively, for short forms
    capital: bool = False  # the text must start with a capital letter


class NameIndex:
    """A word trie over every written form of the gazetteer (and of the document's own names)."""

    def __init__(self) -> None:
        self.root: dict[str, dict] = {}

    def add(self, text: str, entry_id: str, weak: bool = False) -> None:
        words = name_key(text).split()
        if not words:
            return
        node = self.root
        for w in words:
            node = node.setdefault(w, {})
        letters = _alnum(text)
        short = len(letters) <= 5 and any(c.isupper() for c in letters)
        single_word = len(words) == 1 and letters[:1].isupper()
        exact = letters if (short or (single_word and weak)) else None
        # a one-word name written with a capital ("Caliphate", "Emirate") is a name only so
        capital = len(words) == 1 and text.strip()[:1].isupper()
        node.setdefault("$", []).append(_Form(entry_id, weak, exact, capital))

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer) -> NameIndex:
        index = cls()
        for text, entry, weak in gazetteer.surface_forms():
            index.add(text, entry.id, weak)
        return index

    def matches(
        self, text: str, words: list[tuple[str, int, int]] | None = None
    ) -> list[tuple[int, int, list[_Form]]]:
        """Longest non-overlapping matches as (start char, end char, forms)."""
        words = normalised_words(text) if words is None else words
        out: list[tuple[int, int, list[_Form]]] = []
        i = 0
        n = len(words)
        while i < n:
            node = self.root
            best: tuple[int, list[_Form]] | None = None
            j = i
            while j < n and words[j][0] in node:
                node = node[words[j][0]]
                j += 1
                if "$" in node:
                    start, end = words[i][1], words[j - 1][2]
                    surface = text[start:end]
                    forms = [
                        f
                        for f in node["$"]
                        if (f.exact is None or _alnum(surface) == f.exact)
                        and (not f.capital or surface[:1].isupper())
                    ]
                    if forms and "\n" not in surface:
                        best = (j, forms)
            if best is not None:
                j, forms = best
                start, end = words[i][1], words[j - 1][2]
                if _at_word_edge(text, start, end):
                    out.append((start, end, forms))
                    i = j
                    continue
            i += 1
        return out


def _at_word_edge(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


# -- name shapes ----------------------------------------------------------------------------

_CAP = r"[A-Z][\w\u2019'`-]*"
_CONNECT = r"(?:e|i|ul|al|el|ut|us|ud|un|ush|as|wal|wa|o|fi|bil|li|ur|ar|ad|az|at|-e|-i|-ul|-al)"
_SHAPE_PREFIX = (
    r"(?:Tehri[kq]|Tehree[kq]|Tahri[kq]|Tahree[kq]|Jamaat|Jama['\u2019]at|Jamiat|Lashkar|Harakat|"
    r"Harkat|Jaish|Jaysh|Jeish|Hizb|Hezb|Ansar|Katibat?|Jabhat|Tanzeem|Tanzim|Ittehad|Ittihad|"
    r"Majlis|Jund|Jundallah|Jundullah|Imarat|Wilayat|Sipah|Sipa|Lashkar|Hizbul|Harakatul|"
    r"Tehreek|Jamaatul|Jamaat-ul|Mahaz|Fedayeen|Junud|Kataib|Saraya|Liwa|Ahrar|Jamaah)"
)
SHAPE_RE = re.compile(rf"\b{_SHAPE_PREFIX}(?:(?:[-\s]{_CONNECT})?[-\s]{_CAP}){{1,5}}")
_SUFFIX_WORDS = (
    r"(?:Shura|Front|Brigade|Brigades|Battalion|Army|Movement|Network|Council|Party|Group|"
    r"Organi[sz]ation|Alliance|Mujahideen|Mujahidin|Militia|Militias|Corps|Legion|Coalition|"
    r"Commission|Guard|Guards|Vanguard|League|Union|Cells|Nuclei|Circle|Committee|Committees|"
    r"Command|Resistance|Tigers|Squads?|Battalions|Regiment|Emirate|Association|Federation|"
    r"Volunteers|Fighters|Partisans|Defenders|Jamaat|Jamaah|Tanzeem)"
)
SUFFIX_RE = re.compile(
    rf"\b(?:(?:the|The)\s)?(?:{_CAP}(?:\s(?:of|for|al|in|el|e|i|ul|the|de)){{0,1}}\s){{1,5}}"
    rf"{_SUFFIX_WORDS}\b"
)
LEADER_GROUP_RE = re.compile(
    rf"\b((?:{_CAP}\s){{0,3}}{_CAP})(?:[\u2019']s)?\s(group|faction|network)\b"
)
ARABIC_ORG_RE = re.compile(
    r"\b(?:[A-Z][a-z\u2019']+\s)?(?:al|Al|el|El|ul|Ul)[-\s](?:Sham|Islam|Nusra|Adl|Haqq?|Mujahideen|"
    r"Mujahidin|Jihad|Tawhid|Tawheed|Sunna|Dawa|Dawah|Khilafa|Ummah?|Furqan|Shariah?|Shabaab|"
    r"Shabab|Murabitoun|Murabitun|Muhajiroun|Muhajirin|Islamiyya|Islamiya|Jamaa|Aqsa|Quds|"
    r"Ansar|Mahdi|Fath|Tahrir)\b"
)
ACRONYM_RE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9&]{1,6}s?(?![\w-])")
_NOT_ACRONYMS = _words(
    "I II III IV VI VII VIII IX XI XII US UK EU UN USA AD BC TV CEO PDF GDP NGO HQ IED MIED "
    "VBIED PBIED SVBIED RPG AK ID OK USD PhD ISBN DOI URL COVID AM PM GMT UTC CNN BBC AP AFP "
    "KPK KP FATA AQ JS RC TBD NB PS ETA VIP DC UAE DRC CAR GP GPS SMS"
)
TITLE_RE = re.compile(
    r"\b(?:Mullah|Mulla|Mawlawi|Mawlavi|Maulvi|Maulawi|Mawlana|Maulana|Molvi|Hafiz|Qari|Sheikh|"
    r"Shaykh|Shaikh|Mufti|Haji|Hajji|Qazi|Ustad|Sayed|Sayyid|Maulavi|Mawlavi|Mullah)"
    r"(?:\s+(?:al-|bin\s|ibn\s)?[A-Z][a-z\u2019'-]+){1,3}"
)
ABBREV_RE = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\u2013-]{1,11}(?:\s?\([A-Z]\))?)\s*\)")
_STOP_CAPS = _words(
    "The A An In On At Of For And But Or This That These Those It Its They Their He She His Her "
    "We Our As By From To With After Before During Since When While Although However Meanwhile "
    "According Some Many Most Several Other Another Both Each Such Also Yet Not No Mr Ms Dr "
    "January February March April May June July August September October November December "
    "Sunny Shia Sunni Islamic Muslim One Two Three Four Five Every Either Neither Former"
)


_MODIFIER_WORD = re.compile(
    r"-(?:led|based|backed|linked|affiliated|aligned|inspired|allied|sponsored|dominated)$", re.I
)


def _shape_name(text: str) -> str | None:
    words = text.split()
    for k in range(len(words) - 1, -1, -1):
        if _MODIFIER_WORD.search(words[k]):
            # "the X-led Y Front": the name starts after the modifier
            words = words[k + 1 :]
            break
    while words and (words[0] in _STOP_CAPS or words[0] == "the") and words[0] != "Islamic":
        words = words[1:]
    if len(words) < 2:
        return None
    return " ".join(words)


# -- finding names in raw text ---------------------------------------------------------------


def find_names(
    text: str, table: EntityTable, index: NameIndex | None, title: str | None = None
) -> list[Mention]:
    """Names in ``text``: gazetteer forms, name shapes, abbreviations defined in the text."""
    gaz = table.gazetteer
    words = normalised_words(text)
    raw: list[Mention] = []
    if index is not None and gaz is not None:
        for start, end, forms in index.matches(text, words):
            cands: list[str] = []
            weak_flags: dict[str, bool] = {}
            for f in forms:
                if f.entry_id not in weak_flags:
                    cands.append(f.entry_id)
                    weak_flags[f.entry_id] = f.weak
                else:
                    weak_flags[f.entry_id] = weak_flags[f.entry_id] and f.weak
            strong = [c for c in cands if not weak_flags[c]]
            raw.append(
                Mention(
                    start,
                    end,
                    text[start:end],
                    key="",
                    kind="",
                    source="gazetteer",
                    candidates=tuple(strong or cands),
                    weak=not strong,
                )
            )
    taken = _Taken(raw)
    weak_spans = {(m.start_char, m.end_char) for m in raw if m.weak}
    fallbacks: list[Mention] = []  # shapes under a weak gazetteer form, if that form fails
    # name shapes: "Tehrik-e ...", "... Shura", "X's group"
    for rx, kind_source in ((SHAPE_RE, "shape"), (SUFFIX_RE, "shape")):
        for m in rx.finditer(text):
            name = _shape_name(m.group())
            if not name or "\n" in m.group():
                continue
            start = m.start() + m.group().find(name)
            end = start + len(name)
            if taken.overlaps(start, end):
                if taken.inside(start, end):
                    if (start, end) in weak_spans:
                        key = table.new(name, "organization")
                        fallbacks.append(Mention(start, end, name, key, "organization", "shape"))
                    continue
                taken.remove_inside(start, end, raw)
            key = table.new(name, "organization")
            raw.append(Mention(start, end, name, key, table.get(key).kind, kind_source))
            taken.add(start, end)
    # abbreviations defined in the text: "Long Name (LN)"
    local_aliases: dict[str, str] = {}
    resolved = _resolve_gazetteer(raw, text, table, title)
    if fallbacks:
        # "Jaysh al-Mujahedeen" is a weak name of another group; unsupported, it is a new one
        kept = _Taken(resolved)
        resolved += [f for f in fallbacks if not kept.overlaps(f.start_char, f.end_char)]
        resolved.sort(key=lambda x: x.start_char)
    resolved = _regional_branches(text, resolved, table)
    taken = _Taken(resolved)
    for m in ABBREV_RE.finditer(text):
        abbr = m.group(1)
        if sum(c.isupper() for c in abbr) < 2:
            continue
        before = [x for x in resolved if x.end_char <= m.start() and m.start() - x.end_char <= 2]
        if before:
            target = before[-1]
            if target.kind != "organization":
                continue
            key = target.key
        else:
            long = _long_form(text, m.start(), abbr)
            if long is None:
                continue
            s, e = long
            key = table.new(text[s:e], "organization")
            if not taken.overlaps(s, e):
                resolved.append(Mention(s, e, text[s:e], key, "organization", "abbreviation"))
                taken.add(s, e)
        table.get(key).add_alias(abbr)
        local_aliases[abbr] = key
        abbr_start = m.start(1)
        if not taken.overlaps(abbr_start, abbr_start + len(abbr)):
            resolved.append(
                Mention(
                    abbr_start, abbr_start + len(abbr), abbr, key, "organization", "abbreviation"
                )
            )
            taken.add(abbr_start, abbr_start + len(abbr))
    if local_aliases:
        rx = re.compile(
            r"(?<![\w-])("
            + "|".join(re.escape(a) for a in sorted(local_aliases, key=len)[::-1])
            + r")(?![\w-])"
        )
        for m in rx.finditer(text):
            s, e = m.span()
            if taken.overlaps(s, e):
                # a doc-defined abbreviation overrides a gazetteer reading of the same letters
                for x in resolved:
                    if x.start_char == s and x.end_char == e and x.source == "gazetteer":
                        x.key = local_aliases[m.group()]
                        x.kind = "organization"
                continue
            resolved.append(
                Mention(s, e, m.group(), local_aliases[m.group()], "organization", "abbreviation")
            )
            taken.add(s, e)
    # organizations named in Arabic ("Ahrar al-Sham", "Al Shabaab") and bare acronyms ("MUJAO")
    uses: dict[str, int] = {}

    def used(word: str) -> int:
        if word not in uses:
            uses[word] = len(re.findall(rf"\b{re.escape(word)}\b", text))
        return uses[word]

    for rx in (ARABIC_ORG_RE, ACRONYM_RE):
        for m in rx.finditer(text):
            s, e = m.span()
            word = m.group()
            if "\n" in word or taken.overlaps(s, e) or word in _NOT_ACRONYMS:
                continue
            if rx is ACRONYM_RE and (
                # long reports define the acronyms that matter; short notes often do not
                (len(text) > 3000 and used(word) < 3)
                or not _safe_acronym(text, Mention(s, e, word, "", "", ""))
                or sum(c.isupper() for c in word) < 2
                or word.rstrip("s") in _NOT_ACRONYMS
            ):
                continue
            key = table.new(word, "organization")
            if table.get(key).kind != "organization":
                continue
            resolved.append(Mention(s, e, word, key, "organization", "shape"))
            taken.add(s, e)
    # people named with a title: "Mullah X", "Mawlawi X Y", "Sheikh X"
    for m in TITLE_RE.finditer(text):
        s, e = m.span()
        if "\n" in m.group() or taken.overlaps(s, e):
            continue
        key = table.new(m.group(), "person")
        if table.get(key).kind != "person":
            continue
        resolved.append(Mention(s, e, m.group(), key, "person", "shape"))
        taken.add(s, e)
    # "X's group", "the X faction": an organization named after a person
    for m in LEADER_GROUP_RE.finditer(text):
        person = (
            _shape_name("The " + m.group(1)) if m.group(1).split()[0] in _STOP_CAPS else m.group(1)
        )
        if not person or "\n" in m.group():
            continue
        start = m.start() + m.group().find(person)
        end = m.end()
        if taken.overlaps(start, end) and not taken.inside_any_of(start, end, resolved, "person"):
            continue
        surface = text[start:end]
        if len(person.split()) < 1 or person in _STOP_CAPS:
            continue
        key = table.new(surface, "organization", "faction")
        # keep the person mention inside as well: the faction's leader
        pkey = table.new(person, "person")
        for x in list(resolved):
            if x.start_char >= start and x.end_char <= end:
                resolved.remove(x)
                if x.kind == "person":
                    pkey = x.key
        info = table.get(key)
        info.note = f"group named after {table.get(pkey).name}"
        resolved.append(Mention(start, end, surface, key, "organization", "shape", leader=pkey))
        taken.add(start, end)
    resolved.sort(key=lambda x: x.start_char)
    return resolved


_BRANCH_RE = re.compile(
    r"\s+in\s+the\s+((?:[A-Z][\w\u2019'-]+)(?:\s+[A-Z][\w\u2019'-]+){1,2})\b"
    r"(?!\s+[A-Za-z])"  # the whole capitalised run: "the Kurdish Civil War" is no region
)


def _regional_branches(text: str, mentions: list[Mention], table: EntityTable) -> list[Mention]:
    """A known organization's branch the gazetteer lacks: "Al Qaeda in the Islamic Maghreb".

    The branch becomes its own organization, with the known one as its parent. A place the
    gazetteer knows ("IS in Syria") does not make a branch.
    """
    out: list[Mention] = []
    places = {(m.start_char, m.end_char) for m in mentions if m.kind == "place"}
    skip_until = -1
    for m in mentions:
        if m.start_char < skip_until:
            continue
        if (
            m.kind == "organization"
            and m.source == "gazetteer"
            and table.get(m.key).category not in ("state", "state_agency", "international_body")
        ):
            g = _BRANCH_RE.match(text, m.end_char)
            if g is not None and "\n" not in g.group():
                s, e = g.span(1)
                if not any(a < e and s < b for a, b in places) and not any(
                    x.start_char < e and s < x.end_char for x in mentions if x is not m
                ):
                    name = text[m.start_char : e]
                    key = table.new(name, "organization", "faction")
                    info = table.get(key)
                    if info.entry_id is None and info.parent is None:
                        info.parent = m.key
                    out.append(Mention(m.start_char, e, name, key, "organization", "shape"))
                    skip_until = e
                    continue
        out.append(m)
    return out


class _Taken:
    """Character spans already claimed by a name, kept sorted for quick overlap tests."""

    _LONGEST = 400  # no name is longer; spans starting further back cannot overlap

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self.spans: list[tuple[int, int]] = sorted((m.start_char, m.end_char) for m in mentions)

    def add(self, s: int, e: int) -> None:
        bisect.insort(self.spans, (s, e))

    def _near(self, s: int, e: int) -> list[tuple[int, int]]:
        lo = bisect.bisect_left(self.spans, (s - self._LONGEST, -1))
        hi = bisect.bisect_left(self.spans, (e, -1))
        return self.spans[lo:hi]

    def overlaps(self, s: int, e: int) -> bool:
        return any(a < e and s < b for a, b in self._near(s, e))

    def inside(self, s: int, e: int) -> bool:
        return any(a <= s and e <= b for a, b in self._near(s, e))

    def remove_inside(self, s: int, e: int, mentions: list[Mention]) -> None:
        for m in list(mentions):
            if s <= m.start_char and m.end_char <= e:
                mentions.remove(m)
        self.spans = [(a, b) for a, b in self.spans if not (s <= a and b <= e)]

    def inside_any_of(self, s: int, e: int, mentions: list[Mention], kind: str) -> bool:
        """True when every taken span overlapping [s, e) is a mention of ``kind`` inside it."""
        for a, b in self.spans:
            if a < e and s < b:
                ok = any(
                    m.start_char == a and m.end_char == b and m.kind == kind and s <= a and b <= e
                    for m in mentions
                )
                if not ok:
                    return False
        return True


def _long_form(text: str, paren: int, abbr: str) -> tuple[int, int] | None:
    """The capitalised words before ``paren`` whose initials spell ``abbr``."""
    letters = [c.lower() for c in abbr if c.isalpha()]
    if len(letters) < 2:
        return None
    head = text[max(0, paren - 200) : paren].rstrip()
    offset = max(0, paren - 200)
    tokens = list(re.finditer(r"[\w\u2019'`]+(?:-[\w\u2019'`]+)*", head))
    if not tokens:
        return None
    end_tok = len(tokens)
    best: int | None = None
    for k in range(end_tok - 1, max(-1, end_tok - 9), -1):
        words = [t.group() for t in tokens[k:end_tok]]
        if not words[0][:1].isupper():
            continue
        initials = "".join(
            p[0].lower() for w in words for p in re.split(r"[-]", w) if p and p[0].isupper()
        )
        if initials == "".join(letters) or (
            len(initials) >= 2 and "".join(letters).startswith(initials) and len(letters) <= 4
        ):
            best = k
    if best is None:
        # no initials match: a run of capitalised words right before the brackets
        k = end_tok - 1
        while k >= 0 and k > end_tok - 7 and tokens[k].group()[:1].isupper():
            k -= 1
        k += 1
        gap = head[tokens[end_tok - 1].end() :]
        if k >= end_tok or gap.strip():
            return None
        while k < end_tok and tokens[k].group() in _STOP_CAPS:
            k += 1
        if k >= end_tok:
            return None
        best = k
    return offset + tokens[best].start(), offset + tokens[end_tok - 1].end()


# -- choosing among gazetteer candidates ----------------------------------------------------

_ACTOR_FROM = re.compile(
    r"\b(?:pressure|support|funding|funds|aid|help|backing|assistance|money|weapons|arms|"
    r"training|threats?|opposition|criticism|attacks?|recognition|approval|orders|"
    r"instructions|envoys?|delegations?|representatives?|officials?|sanctions)\s+"
    r"(?:from|by|of|to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_JUST_AND = re.compile(r"(?:,?\s+(?:and|or)|,)\s+(?:the\s+)?", re.IGNORECASE)
_LOCATIVE = re.compile(
    r"\b(?:in|into|across|throughout|from|to|within|inside|of|near|at|over|towards?|around|"
    r"outside|beyond|and|or|northern|southern|eastern|western|central)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _safe_acronym(text: str, m: Mention) -> bool:
    """An all-capitals form written so in running (not all-capitals) text: "IS claimed"."""
    letters = _alnum(m.text.split()[0]) if m.text.split() else ""
    if len(letters) < 2 or not letters.isupper() or not letters.isalpha():
        return False
    around = text[max(0, m.start_char - 40) : m.end_char + 40]
    return sum(c.islower() for c in around) > 20


def _nearness(gap: int) -> float:
    return 2.0 if gap < 300 else (0.5 if gap < 3000 else 0.1)


def _mixed_case(text: str) -> bool:
    """A short form written in mixed case ("LeT", "JuD"): as safe as a full name.

    >>> _mixed_case("LeT"), _mixed_case("Let"), _mixed_case("LET")
    (True, False, False)
    """
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(text))


def _resolve_gazetteer(
    raw: list[Mention], text: str, table: EntityTable, title: str | None
) -> list[Mention]:
    """Pick one entry for each gazetteer mention; drop weak ones without support."""
    gaz = table.gazetteer
    out: list[Mention] = [m for m in raw if m.source != "gazetteer"]
    gm = [m for m in raw if m.source == "gazetteer"]
    if gaz is None:
        return out
    strong_ids: dict[str, list[int]] = {}
    for m in gm:
        if (not m.weak or _mixed_case(m.text)) and len(m.candidates) == 1:
            strong_ids.setdefault(m.candidates[0], []).append(m.start_char)
    title_ids: set[str] = set()
    if title:
        index = NameIndex()
        for m in gm:
            for c in m.candidates:
                index.add(m.text, c)
        for _s, _e, forms in index.matches(title):
            title_ids.update(f.entry_id for f in forms)
    family_cache: dict[str, set[str]] = {}

    def family(eid: str) -> set[str]:
        if eid not in family_cache:
            family_cache[eid] = table.family(eid)
        return family_cache[eid]

    avoid_next: str | None = None
    previous: Mention | None = None
    last_by_form: dict[str, str] = {}
    for m in sorted(gm, key=lambda x: x.start_char):
        cands = list(m.candidates)
        confused = re.search(
            r"not to be confused with\s*(?:the\s)?$", text[max(0, m.start_char - 40) : m.start_char]
        )
        if confused and avoid_next in cands and len(cands) > 1:
            cands.remove(avoid_next)
        kinds = {gaz.get(c).kind for c in cands if gaz.get(c) is not None}
        if len(kinds) > 1 and "place" in kinds:
            # "in Pakistan" is the country; "Pakistan accused ..." is the state
            before = text[max(0, m.start_char - 40) : m.start_char]
            locative = _LOCATIVE.search(before) and not _ACTOR_FROM.search(before)
            if previous is not None and _JUST_AND.fullmatch(text[previous.end_char : m.start_char]):
                # "Pakistan and Qatar", "in Benin, Senegal": a list keeps the kind of its first
                locative = previous.kind == "place"
            want = "place" if locative else None
            cands = [c for c in cands if (gaz.get(c).kind == "place") == (want == "place")] or cands
        if len(cands) > 1 or m.weak:
            scores = []
            for c in cands:
                score = 0.0
                positions = strong_ids.get(c, [])
                score += 2.0 * min(len(positions), 3)
                if c in title_ids:
                    score += 2.0
                for rel in family(c) - {c}:
                    # the nearest mention of a relative counts most; how often it is named
                    # counts too, but no more than one mention nearby: a long report names
                    # its main subject everywhere
                    weights = sorted(
                        (_nearness(abs(p - m.start_char)) for p in strong_ids.get(rel, [])),
                        reverse=True,
                    )
                    if weights:
                        score += weights[0] + min(sum(weights[1:]), 2.0)
                entry = gaz.get(c)
                if entry is not None and entry.parent:
                    for p in strong_ids.get(entry.parent, []):
                        if abs(p - m.start_char) < 300:
                            score += 2.0
                if last_by_form.get(name_key(m.text)) == c and not confused:
                    score += 1.0
                scores.append(score)
            best = max(range(len(cands)), key=lambda k: (scores[k], -k))
            if m.weak and scores[best] < 1.0 and not _safe_acronym(text, m):
                continue
            chosen = cands[best]
        else:
            chosen = cands[0]
        entry = gaz.get(chosen)
        if entry is None:
            continue
        m.key = table.from_entry(entry)
        m.kind = entry.kind
        last_by_form[name_key(m.text)] = chosen
        avoid_next = chosen
        previous = m
        out.append(m)
    return out


# -- after parsing: spaCy's own entities and state forces -----------------------------------

_NER_KIND = {"ORG": "organization", "PERSON": "person", "GPE": "place", "LOC": "place"}
_FORCE_WORDS = _words(
    "forces force troops soldiers soldier military army navy "
    "police policemen militia personnel guards commandos donors sponsors"
)
_BARE_FORCES = _words("soldiers soldier police policemen troops")
_EVENT_WORDS = _words(
    "War Wars Conflict Crisis Revolution Uprising Offensive Accord Accords Agreement Conference "
    "Summit Talks Process Election Elections Treaty Declaration Ceasefire Truce"
)
_PRIVATE_FUNDERS = _words("donors donor financiers financier funders benefactors")
_BAD_NER = re.compile(r"\d|^[a-z]|^(?:[A-Z]\.?|the|The)$|[\[\]()\"\u201c\u201d]")


def _state_adjectives(tok: Token, table: EntityTable) -> list[tuple[Token, str]]:
    """Nationality adjectives on a word for forces, each with the key of its state."""
    gaz = table.gazetteer
    if gaz is None:
        return []
    mods = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i]
    for m in list(mods):
        mods.extend(c for c in m.children if c.dep_ == "conj")
    out: list[tuple[Token, str]] = []
    for m in mods:
        if not m.text[:1].isupper():
            continue
        for entry, weak in gaz.lookup_forms(m.text):
            if entry.kind != "place" or not weak:
                continue
            states = [
                e
                for e in gaz.lookup(entry.name)
                if e.kind == "organization" and e.category == "state"
            ]
            if states:
                out.append((m, table.from_entry(states[0])))
                break
    return out


def _demonym_state(text: str, table: EntityTable) -> str | None:
    """The state a nationality word stands for ("Ugandan" gives Uganda), if the gazetteer knows."""
    gaz = table.gazetteer
    if gaz is None:
        return None
    for entry, weak in gaz.lookup_forms(text):
        if entry.kind == "place" and weak:
            for e in gaz.lookup(entry.name):
                if e.kind == "organization" and e.category == "state":
                    return table.from_entry(e)
    return None


def _funders(tok: Token, table: EntityTable) -> Mention | None:
    """Private funders named by where they are: "Saudi donors", "donors in the Arab Gulf".

    Bare "donors" name nobody and give nothing.
    """
    doc = tok.doc
    left = tok.i
    while (
        left > 0
        and doc[left - 1].dep_ in ("amod", "compound")
        and tok.i >= doc[left - 1].head.i >= left
        and doc[left - 1].text[:1].isalpha()
    ):
        left -= 1
    right = tok.i + 1
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "from") and c.i == tok.i + 1:
            objs = [p for p in c.children if p.dep_ == "pobj"]
            if objs and any(t.pos_ == "PROPN" for t in objs[0].subtree):
                right = max(t.i for t in objs[0].subtree) + 1
    span = doc[left:right]
    while len(span) and span[0].pos_ == "DET":
        span = span[1:]
    named = [t for t in span if t.i != tok.i and t.text[:1].isupper() and t.pos_ != "DET"]
    if not named:
        return None
    key = table.new(span.text, "organization")
    if table.get(key).kind != "organization":
        return None
    return Mention(
        span.start_char,
        span.end_char,
        span.text,
        key,
        "organization",
        "funders",
        span.start,
        span.end,
    )


def add_ner_mentions(
    doc: Doc,
    mentions: list[Mention],
    table: EntityTable,
    ents: Sequence[Span] | None = None,
) -> list[Mention]:
    """Add organizations, persons and places from spaCy's NER that no other step found.

    ``ents`` are the entity spans to use (default: ``doc.ents``).
    """
    ents = doc.ents if ents is None else ents
    taken = _Taken(mentions)
    out = list(mentions)
    surnames: dict[str, str] = {}
    ambiguous: set[str] = set()
    people = [m for m in mentions if m.kind == "person"] + [
        e for e in ents if e.label_ == "PERSON" and len(e) > 1
    ]
    for m in people:
        key = m.key if isinstance(m, Mention) else None
        words = m.text.split()
        if len(words) < 2:
            continue
        if key is None:
            key = table.new(m.text, "person")
        for w in words[1:]:
            if w[:1].isupper() and w not in _STOP_CAPS and len(w) > 2:
                if surnames.get(w, key) != key:
                    ambiguous.add(w)
                surnames[w] = key
    for w in ambiguous:
        surnames.pop(w, None)
    for ent in ents:
        kind = _NER_KIND.get(ent.label_)
        if ent.label_ == "NORP":
            # a nationality adjective is no organization, but a plural group name can be
            if ent.root.tag_ not in ("NNPS", "NNS") or ent.root.dep_ in ("amod", "compound"):
                continue
            if len(ent) == 1 and ent.root.lower_.endswith("s"):
                continue  # "Uzbeks", "Arabs": a people, not an organization
            kind = "organization"
        if kind is None:
            continue
        span = ent
        while len(span) and (
            span[0].lower_ in ("the", "a", "an")
            or span[0].text in _STOP_CAPS
            or (span[0].pos_ == "ADV" and len(span) > 1)
        ):
            span = span[1:]
        while len(span) and span[-1].tag_ == "POS":
            span = span[:-1]
        if not len(span):
            continue
        s, e = span.start_char, span.end_char
        text = span.text
        if _BAD_NER.search(text) or len(text) < 2 or "\n" in text:
            continue
        if kind == "organization" and span[-1].text in _EVENT_WORDS:
            continue  # "the Kurdish Civil War", "the Doha Agreement": events, not actors
        if taken.overlaps(s, e):
            continue
        demonym = _demonym_state(text, table) if len(span) == 1 and kind != "person" else None
        neighbours = [span.root.head, *(c for c in span.root.children if c.dep_ == "conj")]
        if demonym is not None and any(
            t.lower_.split()[-1] in _FORCE_WORDS | {"government", "authorities"} for t in neighbours
        ):
            out.append(Mention(s, e, text, demonym, "organization", "ner", span.start, span.end))
            taken.add(s, e)
            continue
        if kind in ("person", "organization") and len(span) == 1 and text in surnames:
            # a person named before in full, now by one of their names
            key = surnames[text]
            out.append(Mention(s, e, text, key, "person", "ner", span.start, span.end))
            taken.add(s, e)
            continue
        key = table.new(text, kind)
        info = table.get(key)
        if info.kind != kind:
            kind = info.kind
        if ent.label_ == "NORP" and info.entry_id is None:
            info.people = True
        out.append(Mention(s, e, text, key, kind, "ner", span.start, span.end))
        taken.add(s, e)
    # state forces and other unnamed armed actors: "Pakistani security forces", "soldiers"
    for tok in doc:
        if tok.lower_ in _PRIVATE_FUNDERS and tok.tag_ in ("NNS", "NN"):
            funders = _funders(tok, table)
            if funders is not None and not any(
                m.start_char < funders.start_char < m.end_char
                or m.start_char < funders.end_char < m.end_char
                for m in out
            ):
                # "Saudi donors" are private funders, not the Saudi state named inside
                out = [
                    m
                    for m in out
                    if not (funders.start_char <= m.start_char and m.end_char <= funders.end_char)
                ]
                out.append(funders)
                taken = _Taken(out)
            continue
        if tok.lower_ not in _FORCE_WORDS or tok.tag_ not in ("NNS", "NN", "NNPS", "NNP"):
            continue
        if tok.lower_ == "force" or (tok.lower_ == "forces" and tok.tag_ not in ("NNS", "NNPS")):
            continue
        states = _state_adjectives(tok, table)
        if states:
            # "Ugandan and Congolese forces": the forces of each state named
            for adj, key in states:
                if not taken.overlaps(adj.idx, adj.idx + len(adj.text)):
                    out.append(
                        Mention(
                            adj.idx,
                            adj.idx + len(adj.text),
                            adj.text,
                            key,
                            "organization",
                            "forces",
                            adj.i,
                            adj.i + 1,
                        )
                    )
                    taken.add(adj.idx, adj.idx + len(adj.text))
            continue
        left = tok.i
        while (
            left > 0
            and doc[left - 1].dep_ in ("compound", "amod")
            and doc[left - 1].head.i
            in (
                tok.i,
                left,
            )
        ):
            left -= 1
            if doc[left - 1].lower_ in ("and", ","):
                break
        span = doc[left : tok.i + 1]
        s, e = span.start_char, span.end_char
        if any(a < e and s < b for a, b in taken.spans if not (a >= s and b <= e)):
            # "Taliban fighters": the name inside stands for the organization
            continue
        if left == tok.i and tok.lower_ not in _BARE_FORCES:
            continue
        if any(ms.start_char >= s and ms.end_char <= e for ms in out):
            continue
        has_proper = any(t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "GPE") for t in span)
        generic = not any(t.lower_ in ("security", "government", "state") for t in span)
        if not has_proper and left != tok.i and generic:
            continue
        text = span.text
        key = table.new(text, "organization", "state_agency")
        out.append(Mention(s, e, text, key, "organization", "forces", span.start, span.end))
        taken.add(s, e)
    out.sort(key=lambda x: x.start_char)
    return out
