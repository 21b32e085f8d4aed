"""The gazetteer: shipped, versioned lists of known organizations, persons and places.

Entries live in YAML files under ``data/gazetteer/`` (one file per area). Each entry has a
stable ``id``, a canonical ``name``, a ``kind`` and ``category``, an optional ``parent`` (the
organization a faction belongs to, or the place that contains a place), and the other ways
the entity is written: ``aliases`` are safe to match anywhere, ``weak_aliases`` only when the
context supports them (they are ordinary words, or name several entities).

Users add their own YAML or JSON files of the same shape with :meth:`Gazetteer.load`; a user
entry whose id already exists extends (aliases) and overrides (other fields) the shipped one.

>>> gaz = default_gazetteer()
>>> [e.id for e in gaz.lookup("ISIS–K")]
['iskp']
>>> gaz.get("iskp").parent
'islamic_state'
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from factiongraph import names as names_module
from factiongraph.names import name_key

__all__ = [
    "DATA_DIR",
    "GazetteerEntry",
    "Gazetteer",
    "default_gazetteer",
]

DATA_DIR = Path(__file__).parent / "data" / "gazetteer"

Kind = Literal["organization", "person", "place"]

CATEGORIES: dict[str, frozenset[str | None]] = {
    "organization": frozenset(
        {
            "armed_group",
            "faction",
            "shura",
            "party",
            "state",
            "state_agency",
            "international_body",
        }
    ),
    "place": frozenset({"country", "province", "district", "city", "region"}),
    "person": frozenset({None, "person"}),
}

_YEAR_RANGE = re.compile(r"\s*\(\s*(?:\d{4})?\s*[-–—]\s*(?:\d{4})?\s*\)")

_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_POSSESSIVE = re.compile(r"[\u2019']s?\s*$")

_OWNER = re.compile(r"^.*[\u2019']s\s+")

_PLACE_WORD = re.compile(
    r"\s+(?:district|province|agency|city|town|village|valley|region|governorate)\s*$",
    re.IGNORECASE,
)

_USER_SUFFIXES = (".yaml", ".yml", ".json")

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class GazetteerEntry(BaseModel):
    """One known entity and every way it is written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    name: str = Field(min_length=1)
    kind: Kind
    category: str | None = None
    parent: str | None = None
    aliases: list[str] = Field(default_factory=list)
    weak_aliases: list[str] = Field(default_factory=list)
    iso: str | None = None
    note: str | None = None
    ambiguous: bool = False
    """True when the canonical name itself is only safe with context (it is then weak)."""

    @field_validator("aliases", "weak_aliases", mode="before")
    @classmethod
    def _list_of_strings(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [
                str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                for v in value
            ]
        return value

    @field_validator("iso", "note", "parent", "category", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @model_validator(mode="after")
    def _category_fits_kind(self) -> GazetteerEntry:
        allowed = CATEGORIES[self.kind]
        if self.category not in allowed:
            choices = ", ".join(sorted(c for c in allowed if c))
            raise ValueError(
                f"category {self.category!r} is not valid for kind {self.kind!r}; "
                f"choose one of: {choices}"
            )
        return self

    def forms(self) -> Iterator[tuple[str, bool]]:
        """Every written form of the entry, as (text, is_weak), name first, no repeats."""
        seen: set[str] = set()
        strong_forms = [] if self.ambiguous else [self.name]
        weak_forms = [self.name] if self.ambiguous else []
        for text, weak in [(t, False) for t in strong_forms + self.aliases] + [
            (t, True) for t in weak_forms + self.weak_aliases
        ]:
            if text and text not in seen:
                seen.add(text)
                yield text, weak


def _read_file(path: Path) -> list[dict[str, Any]]:
    """Read one gazetteer file: a YAML or JSON list of entry mappings."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read gazetteer file: {exc}") from exc
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not valid YAML/JSON: {exc}") from exc
    if data is None:
        return []
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        data = data["entries"]
    if not isinstance(data, list):
        raise ValueError(
            f"{path}: a gazetteer file must hold a list of entries (or a mapping with "
            f"an 'entries' list), not {type(data).__name__}"
        )
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise ValueError(f"{path}: entry #{i + 1} is not a mapping: {item!r}")
        if not isinstance(item.get("id"), str) or not item["id"]:
            raise ValueError(f"{path}: entry #{i + 1} has no 'id' (name: {item.get('name')!r})")
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A user entry extends alias lists and overrides every other field it gives."""
    merged = dict(base)
    for key, value in extra.items():
        if key in ("aliases", "weak_aliases") and not extra.get("replace_aliases"):
            old = base.get(key) or []
            new = [value] if isinstance(value, str) else (value or [])
            merged[key] = list(dict.fromkeys([*old, *new]))
        elif key != "replace_aliases":
            merged[key] = value
    return merged


_CACHE_FORMAT = b"gazetteer-cache-1"


def _cache_dirs() -> list[Path]:
    """Where parsed copies of the shipped files may be kept, in order of preference.

    ``FACTIONGRAPH_CACHE_DIR`` if set (an empty value disables the cache), else
    ``$XDG_CACHE_HOME/factiongraph`` or ``~/.cache/factiongraph``, then a directory in the
    system's temporary directory for when the home directory is read-only.
    """
    env = os.environ.get("FACTIONGRAPH_CACHE_DIR")
    if env is not None:
        return [Path(env)] if env else []
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    user = getattr(os, "getuid", lambda: "user")()
    return [Path(base) / "factiongraph", Path(tempfile.gettempdir()) / f"factiongraph-{user}"]


def _write_cache(cache_dirs: list[Path], name: str, payload: dict[str, Any]) -> None:
    """Write the cache file into the first directory that accepts it; drop stale copies."""
    text = json.dumps(payload, ensure_ascii=False)
    for cache_dir in cache_dirs:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            target = cache_dir / name
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
            for old in cache_dir.glob("gazetteer-*.json"):
                if old != target:
                    old.unlink(missing_ok=True)
            return
        except OSError:
            continue


def _bundled_raw() -> tuple[list[tuple[Path, list[dict[str, Any]]]], dict[str, str]]:
    """Parse the shipped files, through a JSON cache keyed by their content.

    YAML is pleasant to edit but slow to parse in pure Python; the cache makes the
    shipped gazetteer load in a few milliseconds after the first time. The cache key
    covers the data files and the name-key code, so a change to either rebuilds it.
    Returns the entries of each file and a table of precomputed name keys.
    """
    paths = sorted(DATA_DIR.glob("*.yaml"))
    digest = hashlib.sha256(_CACHE_FORMAT)
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    with contextlib.suppress(OSError, TypeError):
        digest.update(Path(names_module.__file__ or "").read_bytes())
    name = f"gazetteer-{digest.hexdigest()[:24]}.json"
    cache_dirs = _cache_dirs()
    for cache_dir in cache_dirs:
        cache_file = cache_dir / name
        if not cache_file.exists():
            continue
        try:
            cached = json.loads(cache_file.read_text(encoding="utf-8"))
            files = [(DATA_DIR / fname, items) for fname, items in cached["files"]]
            return files, cached["keys"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    files = [(path, _read_file(path)) for path in paths]
    keys: dict[str, str] = {}
    for _, items in files:
        for item in items:
            forms = [item.get("name"), *(item.get("aliases") or [])]
            forms += list(item.get("weak_aliases") or [])
            for text in forms:
                if isinstance(text, str) and text not in keys:
                    keys[text] = name_key(text)
    payload = {"files": [(p.name, items) for p, items in files], "keys": keys}
    _write_cache(cache_dirs, name, payload)
    return files, keys


def _variants(name: str) -> Iterator[str]:
    """Looser readings of a name, tried in order when the name itself is unknown.

    Event datasets write actors as "Military Forces of Pakistan (2018-2022)", "Police
    Forces of Pakistan (2022-) Counter Terrorism Department" or "BLA: Baloch Liberation
    Army"; reports write "Haqqani Network (HQN)", "IS-K's" and "the Taliban's Quetta
    Shura".
    """
    match = _YEAR_RANGE.search(name)
    if match:
        unit = name[match.end() :].strip()
        if unit:
            yield unit  # the named unit of a state force
        yield name[: match.start()] + " " + unit
        yield name[: match.start()]
    if ":" in name:
        abbreviation, _, full = name.partition(":")
        yield full
        yield abbreviation
    stripped = _TRAILING_PAREN.sub("", name)
    if stripped != name and stripped.strip():
        yield stripped
    bare = _POSSESSIVE.sub("", name)
    if bare != name:
        yield bare
    generic = _PLACE_WORD.sub("", name)
    if generic != name and generic.strip():
        yield generic  # "Khakki Safed District" when only "Khakki Safed" is known
    owner = _OWNER.search(name)
    if owner and name[owner.end() :].strip():
        yield name[owner.end() :]  # "the Taliban's Quetta Shura": the part owned


class Gazetteer:
    """Known entities indexed by id and by normalised written form."""

    def __init__(
        self,
        entries: dict[str, GazetteerEntry],
        version: str,
        _keys: dict[str, str] | None = None,
    ) -> None:
        self.version = version
        self.entries = entries
        self._children: dict[str, list[GazetteerEntry]] = {}
        self._index: dict[str, list[tuple[GazetteerEntry, bool]]] = {}
        known_keys = _keys or {}
        for entry in entries.values():
            if entry.parent:
                self._children.setdefault(entry.parent, []).append(entry)
            for text, weak in entry.forms():
                key = known_keys.get(text)
                if key is None:
                    key = name_key(text)
                if not key:
                    continue
                bucket = self._index.setdefault(key, [])
                for i, (other, other_weak) in enumerate(bucket):
                    if other.id == entry.id:
                        if other_weak and not weak:
                            bucket[i] = (entry, False)
                        break
                else:
                    bucket.append((entry, weak))
        for bucket in self._index.values():
            bucket.sort(key=lambda pair: pair[1])  # strong matches first, stable otherwise

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, extra_paths: Sequence[Path | str] = ()) -> Gazetteer:
        """Load the shipped files, then each user file in order.

        A user file may be YAML (``.yaml``/``.yml``) or JSON (``.json``), holding a list of
        entries of the shipped shape; a directory stands for the YAML and JSON files in it, in
        name order. A user entry whose id is already known extends that
        entry's ``aliases``/``weak_aliases`` and overrides the other fields it gives (set
        ``replace_aliases: true`` to replace the alias lists instead); a new id needs at
        least ``name`` and ``kind``.

        Raises ``ValueError`` naming the file and entry when the data is bad: a duplicate id
        within the shipped files or within one user file, an unknown field, a category that
        does not fit the kind, a parent that does not exist or a cycle of parents.
        """
        raw: dict[str, dict[str, Any]] = {}
        origin: dict[str, Path] = {}
        files, keys = _bundled_raw()
        for path, items in files:
            for item in items:
                eid = item["id"]
                if eid in raw:
                    raise ValueError(
                        f"{path}: entry {eid!r} duplicates an id already defined in "
                        f"{origin[eid]}; ids must be unique across all gazetteer files"
                    )
                raw[eid] = item
                origin[eid] = path
        user_files: list[Path] = []
        for extra in extra_paths:
            path = Path(extra)
            if path.is_dir():
                user_files.extend(
                    sorted(p for p in path.iterdir() if p.suffix.lower() in _USER_SUFFIXES)
                )
            else:
                user_files.append(path)
        for path in user_files:
            seen_here: set[str] = set()
            for item in _read_file(path):
                eid = item["id"]
                if eid in seen_here:
                    raise ValueError(f"{path}: entry {eid!r} appears twice in this file")
                seen_here.add(eid)
                raw[eid] = _merge(raw[eid], item) if eid in raw else dict(item)
                origin[eid] = path

        entries: dict[str, GazetteerEntry] = {}
        for eid, item in raw.items():
            try:
                entries[eid] = GazetteerEntry.model_validate(item)
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}"
                    for err in exc.errors()
                )
                raise ValueError(f"{origin[eid]}: entry {eid!r} is invalid: {problems}") from None

        for eid, entry in entries.items():
            if entry.parent is None:
                continue
            parent = entries.get(entry.parent)
            if parent is None:
                raise ValueError(
                    f"{origin[eid]}: entry {eid!r} names parent {entry.parent!r}, "
                    f"which is not a known id"
                )
            if (parent.kind == "place") != (entry.kind == "place") or parent.kind == "person":
                raise ValueError(
                    f"{origin[eid]}: entry {eid!r} ({entry.kind}) cannot have parent "
                    f"{parent.id!r} ({parent.kind}): places nest in places, organizations "
                    f"in organizations"
                )
            chain = {eid}
            current: GazetteerEntry | None = parent
            while current is not None:
                if current.id in chain:
                    raise ValueError(f"{origin[eid]}: entry {eid!r} is in a cycle of parents")
                chain.add(current.id)
                current = entries.get(current.parent) if current.parent else None

        version_file = DATA_DIR / "VERSION"
        version = version_file.read_text(encoding="utf-8").strip() if version_file.exists() else "0"
        return cls(entries, version, keys)

    # -- queries ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, eid: object) -> bool:
        return eid in self.entries

    def get(self, eid: str) -> GazetteerEntry | None:
        """The entry with this id, or None."""
        return self.entries.get(eid)

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Entries whose name, alias or weak alias has the same name key as ``name``.

        Entries for which the form is a strong (safe) form come first. An unknown name is
        tried again in looser readings: without a parenthesised year range or a trailing
        parenthesis, the unit after a year range, each side of "ABBR: Full Name",
        without a possessive ending, the part after a possessive, and a place name without
        a trailing "district", "province", "agency" and the like.

        >>> [e.id for e in default_gazetteer().lookup("Police Forces of Pakistan (2022-)")]
        ['pakistan_police']
        >>> [e.id for e in default_gazetteer().lookup("IS-K’s")]
        ['iskp']
        >>> [e.id for e in default_gazetteer().lookup("NRF: National Resistance Front")]
        ['nrf']
        """
        return [entry for entry, _ in self.lookup_forms(name)]

    def lookup_forms(self, name: str) -> list[tuple[GazetteerEntry, bool]]:
        """Like :meth:`lookup`, with whether the form is weak for each entry."""
        found = self._index.get(name_key(name))
        if found is None:
            for variant in _variants(name):
                found = self._index.get(name_key(variant))
                if found is not None:
                    break
        return list(found or [])

    def surface_forms(self) -> Iterator[tuple[str, GazetteerEntry, bool]]:
        """Every (written form, entry, is_weak), e.g. to build a spaCy PhraseMatcher."""
        for entry in self.entries.values():
            for text, weak in entry.forms():
                yield text, entry, weak

    def children(self, eid: str) -> list[GazetteerEntry]:
        """Entries whose parent is ``eid`` (factions of a group, districts of a province)."""
        return list(self._children.get(eid, []))

    def ancestors(self, eid: str) -> list[GazetteerEntry]:
        """The parent of ``eid``, its parent, and so on, nearest first."""
        out: list[GazetteerEntry] = []
        entry = self.entries.get(eid)
        while entry is not None and entry.parent:
            entry = self.entries.get(entry.parent)
            if entry is None:
                break
            out.append(entry)
        return out

    def by_kind(self, kind: str) -> list[GazetteerEntry]:
        """All entries of one kind."""
        return [e for e in self.entries.values() if e.kind == kind]


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    return Gazetteer.load()
