"""A tiny gazetteer built in code for the extraction tests (independent of the shipped data)."""

from __future__ import annotations

from functools import cache

from factiongraph.extract.gazetteer import Gazetteer, GazetteerEntry

_ENTRIES = [
    dict(
        id="red_front",
        name="Red Mountain Front",
        kind="organization",
        category="armed_group",
        aliases=["RMF"],
    ),
    dict(
        id="blue_army",
        name="Blue River Army",
        kind="organization",
        category="armed_group",
        aliases=["BRA"],
    ),
    dict(
        id="green_shura",
        name="Green Valley Shura",
        kind="organization",
        category="shura",
        parent="blue_army",
        aliases=["GVS"],
    ),
    dict(id="gold_league", name="Golden League", kind="organization", category="armed_group"),
    dict(id="north_guard", name="Northern Guard", kind="organization", category="armed_group"),
    dict(id="freedonia", name="Freedonia", kind="organization", category="state"),
    dict(
        id="ali_red", name="Omar Baz Khan", kind="person", parent="red_front", aliases=["Omar Baz"]
    ),
    dict(
        id="ali_blue",
        name="Omar Baz Durrani",
        kind="person",
        parent="blue_army",
        aliases=["Omar Baz"],
    ),
    dict(id="karim", name="Karim Sadozai", kind="person"),
    dict(id="tarnow", name="Tarnow", kind="place", category="province"),
    dict(id="velka", name="Velka", kind="place", category="province"),
    dict(id="osten", name="Osten", kind="place", category="district", parent="tarnow"),
]


@cache
def tiny_gazetteer() -> Gazetteer:
    entries = {e["id"]: GazetteerEntry.model_validate(e) for e in _ENTRIES}
    return Gazetteer(entries, "test")


@cache
def extractor():  # type: ignore[no-untyped-def]
    from factiongraph.extract.pipeline import Extractor

    return Extractor(gazetteer=tiny_gazetteer())


def facts(text: str, **kw: str) -> set[tuple[str, str, str]]:
    ex = extractor().extract(text, **kw)
    return {(a.subject, a.predicate.value, a.object) for a in ex.assertions}
