"""Time expressions in report prose, as EDTF values.

Two entry points:

- :func:`find_times` finds every time expression of a document and resolves it to an EDTF
  value: explicit dates, vague periods ("late 2014"), intervals ("between 2014 and 2016"),
  open ends ("since 2015"), times relative to an earlier year ("the following year") or to
  the publication date ("last year", "currently"), and a few named events often used as
  dates ("after the fall of Kabul").
- :class:`TimeResolver` scans a document once and then answers, for a relation found in a
  sentence, which time it holds for: the nearest time words in the sentence, else the
  period of the section heading above it, else the last time given earlier in the same
  paragraph.

Everything is regular expressions compiled at import, so a long report takes milliseconds.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel

__all__ = ["TimeMention", "TimeResolver", "find_times"]


class TimeMention(BaseModel):
    """A time expression found in a text: character offsets, its words and its EDTF value."""

    start: int
    end: int
    text: str
    edtf: str


# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        _MONTHS[_name.lower()] = _i
        _MONTHS[_name[:3].lower()] = _i
_MONTHS["sept"] = 9

_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
    "several": 4,
}

# Month names must be capitalised ("May" the month, not "may" the verb).
_MONTH = (
    r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER"
    r"|DECEMBER)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
)
_YEAR = r"(?:19\d\d|20[0-4]\d)(?![\d%])(?!,\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_SEASON = r"(?:spring|summer|autumn|winter|fall(?!\s+of\s+(?!(?:19|20)\d\d)))"
_NUM = (
    r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|a\s+couple\s+of|a\s+few|several)"
)

# Modifiers that narrow a year, a month or a decade.
_MOD = (
    # longer phrases first: the first alternative that matches is kept
    r"(?:early|late|mid|the\s+(?:first\s+half\s+of|second\s+half\s+of|latter\s+half\s+of"
    r"|latter\s+part\s+of|later\s+part\s+of|early\s+part\s+of|first\s+months\s+of"
    r"|last\s+months\s+of|first\s+quarter\s+of|last\s+quarter\s+of|middle\s+of"
    r"|beginning\s+of|start\s+of|end\s+of|close\s+of|turn\s+of|early|late|mid)"
    r"|(?:around|about|circa|c\.|approximately|roughly|some\s+time\s+in|sometime\s+in))"
)

# --------------------------------------------------------------------------------------
# Named events used as dates. Each row: pattern, value, the earliest publication date at
# which the reading makes sense (so a 2017 report's "withdrawal" is not the 2021 one).
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    pattern: str
    value: str
    known_from: str = "0001"


_EVENTS: tuple[_Event, ...] = (
    # Kabul taken by the Taliban, mid-August 2021.
    _Event(
        r"the\s+(?:fall|collapse)\s+of\s+(?:Kabul|the\s+(?:Afghan\s+)?republic)",
        "2021-08-15",
        "2021-08",
    ),
    _Event(
        r"the\s+collapse\s+of\s+the\s+(?:Afghan\s+)?(?:republic|government)",
        "2021-08-15",
        "2021-08",
    ),
    _Event(
        r"the\s+Taliban(?:'s|’s)?\s+(?:takeover|seizure\s+of\s+power|return\s+to\s+power"
        r"|capture\s+of\s+Kabul|victory)(?:\s+(?:of|in)\s+Afghanistan)?",
        "2021-08-15",
        "2021-08",
    ),
    _Event(
        r"(?:the\s+)?(?:rise|return)\s+of\s+the\s+(?:Afghan\s+)?Taliban\s+to\s+power"
        r"|the\s+(?:Afghan\s+)?Taliban(?:'s|’s)?\s+(?:rise|return)\s+to\s+power"
        r"|the\s+(?:Afghan\s+)?Taliban\s+(?:took|seized|came\s+to|returned\s+to|rose\s+to)"
        r"\s+power|the\s+(?:Afghan\s+)?Taliban\s+took\s+(?:over|control\s+of\s+Kabul)"
        r"|the\s+(?:August\s+(?:15|2021)\s+)?(?:Taliban\s+)?takeover"
        r"|(?:rising|coming|returning)\s+to\s+power\s+in\s+Kabul"
        r"|(?:taking|gaining|seizing|assuming)\s+(?:state\s+)?power(?:\s+in\s+Kabul)?",
        "2021-08-15",
        "2021-08",
    ),
    # ... and their first rise to power, in a report written before 2021.
    _Event(
        r"the\s+Taliban\s+(?:took|seized|came\s+to)\s+power"
        r"|the\s+Taliban(?:'s|’s)?\s+(?:rise|coming)\s+to\s+power",
        "1996-09",
    ),
    _Event(
        r"the\s+withdrawal\s+of\s+(?:the\s+)?(?:US|U\.S\.|American|NATO|foreign"
        r"|international|Western|coalition)(?:\s+(?:and\s+NATO\s+)?(?:troops|forces|military))?"
        r"\s+from\s+Afghanistan",
        "2021-08",
        "2021-05",
    ),
    # Foreign troops leaving Afghanistan: in 2021 reports the final exit, earlier the 2014
    # end of the combat mission.
    _Event(
        r"the\s+(?:US|U\.S\.|American|NATO|international|foreign|Western|coalition)"
        r"(?:\s+(?:and\s+NATO|troops?|forces?|military))*\s+(?:withdrawal|pull-?out|exit|departure)"
        r"(?:\s+from\s+Afghanistan)?",
        "2021-08",
        "2021-05",
    ),
    _Event(
        r"the\s+(?:US|U\.S\.|American|NATO|international|foreign|Western|coalition)"
        r"(?:\s+(?:and\s+NATO|troops?|forces?|military))*\s+(?:withdrawal|pull-?out|drawdown)"
        r"(?:\s+from\s+Afghanistan)?",
        "2014-12",
    ),
    _Event(r"the\s+end\s+of\s+(?:the\s+)?(?:ISAF|NATO)(?:'s|’s)?\s+combat\s+mission", "2014-12"),
    # The US-Taliban deal signed in Qatar at the end of February 2020.
    _Event(
        r"the\s+(?:Doha\s+(?:peace\s+)?(?:agreement|accords?|deal)"
        r"|(?:US|U\.S\.)[-–\s]Taliban\s+(?:peace\s+)?(?:agreement|deal|accord))",
        "2020-02-29",
        "2020-02",
    ),
    # Mullah Omar's death, made public in late July 2015.
    _Event(
        r"(?:the\s+)?(?:(?:announcement\s+of\s+the\s+)?(?:death|demise)\s+of\s+Mullah\s+"
        r"(?:Mohammad\s+|Muhammad\s+|Mohammed\s+)?Omar|Mullah\s+Omar(?:'s|’s)\s+death)"
        r"(?:\s+(?:was|were|had\s+been)\s+(?:announced|revealed|made\s+public|confirmed|disclosed))?",
        "2015-07",
    ),
    # Mullah Akhtar Mansour, killed by a US drone in May 2016.
    _Event(
        r"the\s+(?:death|killing)\s+of\s+(?:Mullah\s+)?(?:Akhtar\s+)?(?:Mohammad\s+|Muhammad\s+)?"
        r"Mansou?r",
        "2016-05-21",
    ),
    # Hafiz Saeed Khan, first IS-K governor, killed in July 2016.
    _Event(r"the\s+(?:death|killing)\s+of\s+Hafiz\s+Saeed(?:\s+Khan)?", "2016-07-26"),
    _Event(r"the\s+(?:death|killing)\s+of\s+(?:Osama\s+)?bin\s+Laden", "2011-05-02"),
    _Event(r"the\s+(?:death|killing)\s+of\s+(?:Abu\s+Bakr\s+)?al-Baghdadi", "2019-10-27"),
    _Event(r"the\s+(?:death|killing)\s+of\s+(?:Ayman\s+)?al-Zawahiri", "2022-07-31"),
    _Event(r"the\s+(?:9/11|September\s+11(?:th)?)\s+attacks?|9/11", "2001-09-11"),
    _Event(r"the\s+(?:US|U\.S\.|American)(?:-led)?\s+invasion(?:\s+of\s+Afghanistan)?", "2001-10"),
    _Event(r"the\s+fall\s+of\s+the\s+Taliban(?:\s+(?:regime|government|emirate))?", "2001-11"),
    _Event(r"the\s+Soviet\s+(?:withdrawal|pull-?out)", "1989-02-15"),
    _Event(r"the\s+Soviet\s+invasion(?:\s+of\s+Afghanistan)?", "1979-12"),
    _Event(r"the\s+fall\s+of\s+Mosul", "2014-06-10"),
    _Event(
        r"the\s+(?:declaration|proclamation|announcement)\s+of\s+(?:the|a)\s+caliphate",
        "2014-06-29",
    ),
    _Event(
        r"the\s+(?:formation|founding|creation|establishment|announcement)\s+of\s+"
        r"(?:IS-?K|ISKP|ISIS-K|ISIL-K|Wilayat\s+Khorasan"
        r"|(?:the\s+)?Islamic\s+State(?:'s|’s)?\s+Khorasan(?:\s+Province)?)",
        "2015-01",
    ),
    _Event(r"(?:the\s+)?(?:Operation\s+)?Zarb-e-Azb(?:\s+operation|\s+offensive)?", "2014-06-15"),
    _Event(
        r"the\s+(?:Army\s+Public\s+School|APS|Peshawar\s+school)\s+(?:attack|massacre)",
        "2014-12-16",
    ),
    _Event(
        r"the\s+(?:Kabul\s+)?airport\s+(?:attack|bombing)|the\s+Abbey\s+Gate\s+(?:attack|bombing)",
        "2021-08-26",
        "2021-08",
    ),
)


@cache
def _event_res() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(e.pattern, re.I) for e in _EVENTS)


_EVENT = "(?:" + "|".join(e.pattern for e in _EVENTS) + ")"

# --------------------------------------------------------------------------------------
# Point expressions: one period of time, possibly needing context to resolve
# --------------------------------------------------------------------------------------

_REL_YEAR = (
    r"(?:(?:the\s+)?(?:following|next|subsequent|same|previous|preceding|prior)\s+year"
    r"|(?:later|earlier)\s+(?:that|the\s+same)\s+year|that\s+(?:same\s+)?year"
    r"|the\s+year\s+(?:before|after)|" + _NUM + r"\s+years?\s+(?:later|earlier|on)"
    r"|(?:the\s+)?(?:following|next|subsequent|same|previous|preceding)\s+month"
    r"|that\s+month|" + _NUM + r"\s+months?\s+(?:later|earlier)"
    r"|(?:earlier|later)\s+in\s+the\s+(?:year|month)|that\s+time|the\s+time(?!\s+of\b)"
    r"|the\s+same\s+(?:time\s+)?period|the\s+same\s+time"
    r"|the\s+(?:end|beginning|start|middle|close|rest|remainder)\s+of\s+(?:the|that)\s+"
    r"(?:same\s+)?year)"
)
_PUB_REL = (
    r"(?:(?:earlier|later)\s+this\s+(?:year|month)|(?:so\s+far\s+)?this\s+(?:year|month|week)"
    r"|(?:last|this|next)\s+"
    + _MONTH
    + r"|last\s+(?:year|month|week)|next\s+year|"
    + _NUM
    + r"\s+(?:years?|months?)\s+ago"
    r"|(?:in\s+)?recent\s+(?:years|months|weeks)|(?:over|in|during)\s+the\s+(?:past|last)\s+"
    r"(?:" + _NUM + r"\s+)?(?:years?|months?|decades?)|(?:more\s+)?recently|lately"
    r"|(?:this|these|the\s+most)\s+recent|ongoing"
    r"|at\s+present|presently|currently|nowadays|today|yesterday|now|at\s+the\s+(?:time\s+of\s+"
    r"writing|moment)|to\s+date)"
)

_POINT_FORMS: tuple[tuple[str, str], ...] = (
    ("event", _EVENT),
    (
        "drange",
        r"(?:the\s+)?(?:19|20)\d0['’]?s\s*(?:[-–]|to|and)\s*(?:the\s+)?(?:19|20)\d0['’]?s\b",
    ),
    ("yrange", r"(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)(?![\d%])"),
    ("ylist", _YEAR + r"(?:\s*,\s*" + _YEAR + r"){0,6}\s*,?\s*and\s+" + _YEAR),
    ("iso", r"(?:19|20)\d\d-[01]\d-[0-3]\d\b"),
    ("dmy", _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR),
    ("mdy", _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR),
    ("my", _MONTH + r",?\s+(?:of\s+)?" + _YEAR),
    ("season_y", r"(?:the\s+)?" + _SEASON + r",?\s+(?:of\s+)?" + _YEAR),
    ("decade", r"(?:the\s+)?(?:19|20)\d0['’]?s\b"),
    ("year", _YEAR),
    ("month_rel", _MONTH + r"\s+(?:of\s+)?(?:last|this|next)\s+year"),
    ("dm", _DAY + r"\s+(?:of\s+)?" + _MONTH),
    ("md", _MONTH + r"\s+" + _DAY + r"\b(?![,.]?\s*\d)"),
    ("month", _MONTH),
    ("season", r"(?:the\s+)?" + _SEASON + r"\b"),
    ("relyear", _REL_YEAR),
    ("pubrel", _PUB_REL),
)


@cache
def _point_res() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(pat, re.I)) for name, pat in _POINT_FORMS)


# Forms that need no modifier or preposition to count as a time on their own.
_BARE_OK = {
    "event",
    "drange",
    "ylist",
    "yrange",
    "iso",
    "dmy",
    "mdy",
    "my",
    "season_y",
    "decade",
    "year",
    "dm",
    "month_rel",
}

_POINT = "(?:" + "|".join(pat for _, pat in _POINT_FORMS) + ")"
_POINT_FULL = (
    r"(?:(?:"
    + _MOD
    + r")(?:\s*-\s*|\s+)(?:(?:in|of)\s+)?(?:the\s+)?)?(?:"
    + "|".join(pat for name, pat in _POINT_FORMS if name != "pubrel")
    + ")"
)

_PREP_START = r"since|after|following|from|post-|in\s+the\s+wake\s+of|starting\s+(?:in|from)"
_PREP_END = (
    r"by|until|till|up\s+(?:to|until)|before|prior\s+to|ahead\s+of|in\s+the\s+run-up\s+to|through"
)
_PREP_IN = (
    r"in|on|during|throughout|as\s+of|as\s+at|at|within|over|for|of"
    r"|at\s+the\s+time\s+of"
)

_TOP_SOURCE = (
    r"(?<![\w/.-])(?:"
    r"(?P<range>(?:between|from)\s+(?P<a>" + _POINT_FULL + r")\s*(?:and|to|until|till|through"
    r"|[-–])\s*(?P<b>" + _POINT_FULL + r"))"
    r"|(?:(?P<prep>"
    + _PREP_START
    + "|"
    + _PREP_END
    + "|"
    + _PREP_IN
    + r")\s*(?P<p>"
    + _POINT_FULL
    + "|"
    + _PUB_REL
    + r"))"
    r"|(?P<q>" + _POINT_FULL + "|" + _PUB_REL + r")"
    r")(?![\w-])"
)


def _lowercase_pattern(source: str) -> str:
    """The same pattern for lower-cased text, matched without the (slower) IGNORECASE."""
    if re.search(r"\\[A-Z]", source):
        raise ValueError("pattern has an upper-case escape")
    out = source.replace("(?-i:", "(?:").lower()
    return out.replace("(?p<", "(?P<")


@cache
def _top() -> re.Pattern[str]:
    """The whole grammar, compiled on first use (it takes a noticeable moment).

    It is matched against the lower-cased text; month capitals are checked afterwards.
    """
    return re.compile(_lowercase_pattern(_TOP_SOURCE))


# Words near which a time expression can occur; the full pattern is only run around them.
_KEYS = re.compile(
    r"(?:19|20)\d\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|autumn"
    r"|fall|winter|year|month|week|decade|ago|recent|lately|present|current|now|today|yesterday"
    r"|moment|writing|date|kabul|republic|government|takeover|seizure|power|capture|victory"
    r"|withdrawal|pull|drawdown|exit|departure|mission|doha|agreement|deal|accord|omar|death"
    r"|demise|killing|9/11|invasion|regime|mosul|caliphate|formation|founding|creation"
    r"|establishment|announcement|zarb|massacre|attack|bombing|rise|return|took|seized|came"
    r"|rose|takeover|time|ongoing)"
)
_BEFORE_KEY = 48
_AFTER_KEY = 56

_MOD_RE = re.compile(r"^(?P<mod>" + _MOD + r")(?:\s*-\s*|\s+)(?:(?:in|of)\s+)?(?:the\s+)?", re.I)

# Words just before a number that make it a reference or a count, not a year.
_NOT_YEAR_WORDS = frozenset(
    {
        "resolution",
        "res.",
        "page",
        "pages",
        "p.",
        "pp.",
        "no.",
        "nos.",
        "number",
        "article",
        "art.",
        "section",
        "para.",
        "para",
        "paragraph",
        "chapter",
        "vol.",
        "volume",
        "issue",
        "law",
        "decree",
        "ordinance",
        "code",
        "flight",
        "route",
        "highway",
        "room",
        "unit",
        "footnote",
        "note",
        "fn.",
        "rs",
        "rs.",
        "usd",
        "us$",
        "age",
        "aged",
        "over",
        "than",
        "some",
        "nearly",
        "almost",
        "estimated",
    }
)
_NOT_YEAR_PAIRS = frozenset({"up to", "at least"})
_BARE_YEAR = re.compile(r"(?:19|20)\d\d")
_COUNT_AFTER = re.compile(
    r"^(?:-strong|\s*(?:\+\s*)?(?:[a-z-]+\s+)?(?:fighters|men|members|militants|troops|soldiers"
    r"|people|persons|families|recruits|combatants|insurgents|casualties|dollars|rupees|afghanis"
    r"|km|kilometres|kilometers|miles|followers|civilians|cadres|guerrillas|jihadists|volunteers"
    r"|students|individuals|prisoners|hostages|refugees|households|villages|attacks|weapons"
    r"|strong|of\s+(?:them|whom|these|those|its|their)|militiamen|personnel|police|policemen"
    r"|commanders|defectors|suicide|operatives|loyalists|supporters|dead|killed|wounded)\b)",
    re.I,
)
# Weak prepositions ("of", "at", "over", "for", "about") are only trusted before a full date.
_WEAK_PREP = {"of", "at", "over", "for", "within"}


# --------------------------------------------------------------------------------------
# Value helpers
# --------------------------------------------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _left(value: str) -> str:
    return value.partition("/")[0] if "/" in value else value


def _right(value: str) -> str:
    return value.partition("/")[2] if "/" in value else value


def _season_months(value: str) -> tuple[str, str]:
    year, code = int(value[:4]), int(value[5:7])
    lo, hi = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 12)}[code]
    return f"{year:04d}-{lo:02d}", f"{year:04d}-{hi:02d}"


_WS = re.compile(r"\s+")
_SEASON_VALUE = re.compile(r"\d{4}-2[1-4]")


def _is_season(part: str) -> bool:
    return bool(_SEASON_VALUE.fullmatch(part))


def _shift(part: str, step: int) -> str | None:
    """Move a single date one unit of its own precision forward (+1) or back (-1)."""
    part = part.rstrip("~?%")
    if part in ("", ".."):
        return None
    if _is_season(part):
        lo, hi = _season_months(part)
        part = hi if step > 0 else lo
    bits = part.split("-")
    try:
        if len(bits) == 1:
            return f"{int(bits[0]) + step:04d}"
        if len(bits) == 2:
            y, m = int(bits[0]), int(bits[1]) + step
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
            return f"{y:04d}-{m:02d}"
        day = dt.date(int(bits[0]), int(bits[1]), int(bits[2])) + dt.timedelta(days=step)
        return day.isoformat()
    except ValueError:
        return None


def _year_of(value: str) -> int | None:
    for part in (_right(value), _left(value)):
        m = re.match(r"(\d{4})", part)
        if m:
            return int(m.group(1))
    return None


def _apply_mod(mod: str, value: str) -> str:
    """Narrow ``value`` (a year, a month, a decade interval, a season) by a modifier."""
    mod = _WS.sub(" ", mod.lower()).strip()
    mod = re.sub(r"^the ", "", mod)
    approx = mod in ("around", "about", "circa", "c.", "approximately", "roughly")
    if approx:
        if "/" in value or _is_season(value) or value.endswith("~"):
            return value
        return value + "~"
    if mod.startswith(("some time", "sometime")):
        return value
    decade = re.fullmatch(r"(\d{3})0/(\d{3})9", value)
    if decade:
        base = int(decade.group(1)) * 10
        lo, hi = {
            "early": (0, 3),
            "mid": (4, 6),
            "middle of": (4, 6),
            "late": (7, 9),
            "end of": (7, 9),
            "turn of": (8, 9),
        }.get(mod, (0, 9))
        return f"{base + lo}/{base + hi}"
    if "/" in value or _is_season(value):
        return value
    spans_year = {
        "early": (1, 4),
        "beginning of": (1, 3),
        "start of": (1, 3),
        "early part of": (1, 4),
        "first months of": (1, 3),
        "first quarter of": (1, 3),
        "first half of": (1, 6),
        "mid": (5, 8),
        "middle of": (5, 8),
        "second half of": (7, 12),
        "latter half of": (7, 12),
        "latter part of": (7, 12),
        "later part of": (7, 12),
        "late": (9, 12),
        "last months of": (10, 12),
        "last quarter of": (10, 12),
        "end of": (10, 12),
        "close of": (10, 12),
        "turn of": (1, 2),
    }
    if re.fullmatch(r"\d{4}", value):
        if mod not in spans_year:
            return value
        lo, hi = spans_year[mod]
        return f"{value}-{lo:02d}/{value}-{hi:02d}"
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        end = _last_day(y, mo)
        lo, hi = (1, 10)
        if mod in ("mid", "middle of"):
            lo, hi = 11, 20
        elif mod in ("late", "end of", "close of", "latter half of", "second half of"):
            lo, hi = 21, end
        elif mod not in ("early", "beginning of", "start of", "first half of"):
            return value
        return f"{value}-{lo:02d}/{value}-{hi:02d}"
    return value


_PART = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?[~?%]?")


def _part_bounds(part: str) -> tuple[str, str] | None:
    m = _PART.fullmatch(part)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2) is None:
        return f"{year:04d}", f"{year:04d}"
    month = int(m.group(2))
    if 21 <= month <= 24 and m.group(3) is None:
        lo, hi = _season_months(f"{year:04d}-{month}")
        return lo, hi
    if not 1 <= month <= 12:
        return None
    if m.group(3) is None:
        return f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}"
    day = _ymd(year, month, int(m.group(3)))
    return (day, day) if day else None


def _valid(value: str) -> bool:
    """A quick check of the EDTF forms this module writes (dates, seasons, intervals)."""
    left, sep, right = value.partition("/")
    if not sep:
        return _part_bounds(value) is not None
    if left == ".." and right == "..":
        return False
    lo = None if left == ".." else _part_bounds(left)
    hi = None if right == ".." else _part_bounds(right)
    if (left != ".." and lo is None) or (right != ".." and hi is None):
        return False
    return not (lo and hi and lo[0][:4] > hi[1][:4])


@dataclass
class _Ctx:
    """What a relative expression is resolved against."""

    pub: tuple[int, int | None, int | None] | None
    last: str | None = None  # last absolute value seen before, in document order

    @property
    def year(self) -> int | None:
        if self.last:
            y = _year_of(self.last)
            if y:
                return y
        return self.pub[0] if self.pub else None

    def pub_value(self, precision: str = "month") -> str | None:
        if not self.pub:
            return None
        y, m, d = self.pub
        if m is None or precision == "year":
            return f"{y:04d}"
        if d is None or precision == "month":
            return f"{y:04d}-{m:02d}"
        return f"{y:04d}-{m:02d}-{d:02d}"


def _parse_published(published: str | None) -> tuple[int, int | None, int | None] | None:
    if not published:
        return None
    m = re.match(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", published)
    if not m:
        return None
    return (
        int(m.group(1)),
        int(m.group(2)) if m.group(2) else None,
        int(m.group(3)) if m.group(3) else None,
    )


def _num(word: str) -> int:
    word = _WS.sub(" ", word.lower().strip())
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word, 1)


def _months_back(ctx: _Ctx, n: int) -> str | None:
    if not ctx.pub:
        return None
    y, m, _ = ctx.pub
    if m is None:
        return f"{y - max(1, round(n / 12)):04d}" if n >= 6 else f"{y:04d}"
    total = y * 12 + (m - 1) - n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def _pubrel_value(text: str, ctx: _Ctx) -> str | None:
    t = _WS.sub(" ", text.lower()).strip()
    if not ctx.pub:
        return None
    y, m, _ = ctx.pub
    if re.search(
        r"\b(?:now|currently|presently|at present|nowadays|moment|time of writing|ongoing)$", t
    ):
        return ctx.pub_value("month")
    if t == "today":  # in a report, "today" is the present, not one day
        return ctx.pub_value("month")
    if t == "yesterday" or t.endswith("week"):
        return ctx.pub_value("day")
    if t == "to date":
        return ctx.pub_value("month")
    named = re.fullmatch(r"(last|this|next) ([a-z]+)\.?", t)
    if not named:
        after = re.fullmatch(r"([a-z]+)\.? (?:of )?(last|this|next) year", t)
        if after and after.group(1) in _MONTHS:
            shift = {"last": -1, "this": 0, "next": 1}[after.group(2)]
            return f"{y + shift:04d}-{_MONTHS[after.group(1)]:02d}"
    if named and named.group(2) in _MONTHS:
        # "last August": the August of the year before publication
        shift = {"last": -1, "this": 0, "next": 1}[named.group(1)]
        return f"{y + shift:04d}-{_MONTHS[named.group(2)]:02d}"
    if re.search(r"\bthis month$|\bearlier this month$", t):
        return ctx.pub_value("month")
    if t.endswith("last month"):
        return _months_back(ctx, 1)
    if re.search(r"earlier this year$", t):
        return f"{y:04d}-01/{y:04d}-{m:02d}" if m and m > 1 else f"{y:04d}"
    if re.search(r"later this year$", t):
        return f"{y:04d}-{m:02d}/{y:04d}-12" if m else f"{y:04d}"
    if t.endswith("this year"):
        return f"{y:04d}"
    if t == "last year":
        return f"{y - 1:04d}"
    if t == "next year":
        return f"{y + 1:04d}"
    ago = re.fullmatch(r"(.+?) (years?|months?) ago", t)
    if ago:
        n = _num(ago.group(1))
        if ago.group(2).startswith("year"):
            value = f"{y - n:04d}"
            return value + "~" if ago.group(1) in ("a few", "several", "a couple of") else value
        return _months_back(ctx, n)
    past = re.fullmatch(
        r"(?:over|in|during) the (?:past|last) (?:(.+?) )?(years?|months?|decades?)", t
    )
    if past:
        n = _num(past.group(1)) if past.group(1) else (1 if not past.group(2).endswith("s") else 3)
        unit = past.group(2)
        if unit.startswith("decade"):
            return f"{y - 10 * n:04d}/{y:04d}"
        if unit.startswith("year"):
            return f"{y - n:04d}/{y:04d}"
        start = _months_back(ctx, n)
        return f"{start}/{ctx.pub_value('month')}" if start else None
    if "recent years" in t:
        return f"{y - 3:04d}/{y:04d}"
    if (
        "recent months" in t
        or "recent weeks" in t
        or t.endswith(("recently", " recent"))
        or t == "lately"
    ):
        if m is None:
            return f"{y - 1:04d}/{y:04d}"
        start = _months_back(ctx, 6 if "weeks" not in t else 1)
        return f"{start}/{ctx.pub_value('month')}"
    return None


def _relyear_value(text: str, ctx: _Ctx) -> str | None:
    t = _WS.sub(" ", text.lower()).strip()
    if not ctx.last:
        return None
    base_year = _year_of(ctx.last)
    if base_year is None:
        return None
    if t.endswith(("time", "period")):  # "at the time", "in the same period"
        return ctx.last
    if re.fullmatch(r"(?:earlier|later) in the year", t):
        return f"{base_year:04d}"
    part = re.fullmatch(r"the (\w+) of (?:the|that) (?:same )?year", t)
    if part:
        word = {"rest": "second half", "remainder": "second half"}.get(part.group(1), part.group(1))
        return _apply_mod(f"{word} of", f"{base_year:04d}")
    if t.endswith("month"):
        m = re.match(r"(\d{4})-(\d{2})", _right(ctx.last))
        if not m or _is_season(_right(ctx.last)[:7]):
            return None
        base = m.group(0)
        if re.search(r"following|next|subsequent", t):
            return _shift(base, 1)
        if re.search(r"previous|preceding", t):
            return _shift(base, -1)
        return base
    months = re.fullmatch(r"(.+?) months? (later|earlier)", t)
    if months:
        m = re.match(r"(\d{4})-(\d{2})", _right(ctx.last))
        if not m or _is_season(m.group(0)):
            return None
        n = _num(months.group(1)) * (1 if months.group(2) == "later" else -1)
        total = int(m.group(1)) * 12 + int(m.group(2)) - 1 + n
        return f"{total // 12:04d}-{total % 12 + 1:02d}"
    years = re.fullmatch(r"(.+?) years? (later|earlier|on)", t)
    if years:
        n = _num(years.group(1)) * (-1 if years.group(2) == "earlier" else 1)
        return f"{base_year + n:04d}"
    if re.search(r"following|next|subsequent|year after", t):
        return f"{base_year + 1:04d}"
    if re.search(r"previous|preceding|prior|year before", t):
        return f"{base_year - 1:04d}"
    return f"{base_year:04d}"


def _event_value(text: str, ctx: _Ctx) -> str | None:
    pub = ctx.pub_value("month") if ctx.pub else None
    for event, rx in zip(_EVENTS, _event_res(), strict=True):
        if rx.fullmatch(text.strip()):
            if pub and event.known_from > pub:
                continue
            return event.value
    return None


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


_DIGITS = re.compile(r"\d+")
_MONTH_WORD = re.compile(r"[A-Za-z]+")


def _month_in(text: str) -> int | None:
    for w in _MONTH_WORD.findall(text):
        m = _MONTHS.get(w.lower())
        if m and w[0].isupper():
            return m
    return None


def _point_value(text: str, ctx: _Ctx) -> tuple[str | None, str]:
    """Resolve one point expression (with an optional modifier). Returns (value, form)."""
    text = text.strip()
    mod = None
    mm = _MOD_RE.match(text)
    if mm:
        rest = text[mm.end() :]
        if rest and any(rx.fullmatch(rest) for _, rx in _point_res()):
            mod, text = mm.group("mod"), rest
    for name, rx in _point_res():
        if not rx.fullmatch(text):
            continue
        value = _form_value(name, text, ctx)
        if value is None:
            return None, name
        if mod:
            value = _apply_mod(mod, value)
        return value, name
    return None, ""


def _form_value(name: str, text: str, ctx: _Ctx) -> str | None:
    nums = [int(n) for n in _DIGITS.findall(text)]
    year = next((n for n in nums if n >= 1900), None)
    if name == "event":
        return _event_value(text, ctx)
    if name == "yrange":
        a, b = nums[0], nums[1]
        if b < 100:
            if b > a % 100:
                b = a - a % 100 + b
            elif 1 <= b <= 12:
                return f"{a:04d}-{b:02d}"
            else:
                return None
        return f"{a:04d}/{b:04d}" if b > a else None
    if name == "iso":
        return _ymd(nums[0], nums[1], nums[2])
    if name in ("dmy", "mdy"):
        month = _month_in(text)
        day = next(n for n in nums if n < 100)
        return _ymd(year, month, day) if month and year else None
    if name == "my":
        month = _month_in(text)
        return f"{year:04d}-{month:02d}" if month and year else None
    if name == "season_y":
        season = next(s for s in _SEASONS if s in text.lower())
        return f"{year:04d}-{_SEASONS[season]}"
    if name == "decade":
        base = nums[0]
        return f"{base}/{base + 9}"
    if name == "ylist":
        years = sorted(n for n in nums if n >= 1900)
        return f"{years[0]}/{years[-1]}" if years[-1] > years[0] else f"{years[0]}"
    if name == "drange":
        return f"{nums[0]}/{nums[-1] + 9}" if nums[-1] > nums[0] else None
    if name == "year":
        return f"{nums[0]:04d}"
    if name in ("dm", "md"):
        month = _month_in(text)
        y = ctx.year
        return _ymd(y, month, nums[0]) if month and y else None
    if name == "month":
        month = _month_in(text)
        y = ctx.year
        return f"{y:04d}-{month:02d}" if month and y else None
    if name == "season":
        y = ctx.year
        season = next(s for s in _SEASONS if s in text.lower())
        return f"{y:04d}-{_SEASONS[season]}" if y else None
    if name == "relyear":
        return _relyear_value(text, ctx)
    if name in ("pubrel", "month_rel"):
        return _pubrel_value(text, ctx)
    return None


_YEARLESS = {"dm", "md", "month", "season"}

# What kind of time a mention is, for choosing carry-over values.
_PRESENT = "present"
_ABSOLUTE = "absolute"


@dataclass
class _Found:
    mention: TimeMention
    kind: str
    form: str


def _combine_prep(prep: str, value: str, form: str) -> str | None:
    p = _WS.sub(" ", prep.lower()).strip()
    if re.fullmatch(_PREP_START, p, re.I):
        if p == "after" and form != "event":
            end = _right(value)
            if end != "..":
                return f"{_shift(end, 1) or end}/.."
        return f"{_left(value)}/.."
    if re.fullmatch(_PREP_END, p, re.I):
        if p in ("before", "prior to", "ahead of") and form != "event":
            end = _left(value)
            if _is_season(end):
                end = _season_months(end)[0]
            shifted = _shift(end, -1)
            return f"../{shifted}" if shifted else None
        end = _right(value)
        return f"../{end}"
    return value


def _windows(low: str) -> list[tuple[int, int]]:
    """Stretches of the text around time keywords, merged where they overlap."""
    out: list[tuple[int, int]] = []
    n = len(low)
    for k in _KEYS.finditer(low):
        a, b = max(0, k.start() - _BEFORE_KEY), min(n, k.end() + _AFTER_KEY)
        stop = min(n, b + 40)  # end the stretch after a whole word, within reason
        while b < stop and not low[b].isspace():
            b += 1
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


_MONTH_TOKEN = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april"
    r"|june|july|august|september|october|november|december)\b"
)


def _months_capitalised(text: str, start: int, end: int, low: str) -> bool:
    return all(text[t.start()].isupper() for t in _MONTH_TOKEN.finditer(low, start, end))


def _scan(text: str, published: str | None) -> list[_Found]:
    ctx = _Ctx(pub=_parse_published(published))
    out: list[_Found] = []
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    last_end = 0
    top = _top()
    for a, b in _windows(low):
        for m in top.finditer(low, max(a, last_end), b):
            if not _months_capitalised(text, m.start(), m.end(), low):
                continue
            found = _resolve_match(m, text, ctx)
            if found is None:
                continue
            last_end = m.end()
            out.append(found)
            if found.kind == _ABSOLUTE:
                ctx.last = found.mention.edtf
    return out


def _reference_before(before: str) -> bool:
    tail = before.rstrip().lower()
    if not tail:
        return False
    if tail[-1] in "$€£#":
        return True
    words = tail.split()
    return words[-1] in _NOT_YEAR_WORDS or " ".join(words[-2:]) in _NOT_YEAR_PAIRS


def _year_guard(m: re.Match[str], text: str, core_start: int, core_text: str) -> bool:
    """False when a bare number that looks like a year is a count or a reference."""
    if not _BARE_YEAR.fullmatch(core_text.strip()):
        return True
    if _reference_before(text[max(0, core_start - 24) : core_start]):
        return False
    after = text[m.end() : m.end() + 40]
    return not _COUNT_AFTER.match(after)


def _relative_ok(text: str, start: int, core: str, value: str, ctx: _Ctx) -> bool:
    """Reject relative words that are names ("India Today") or land after publication."""
    word = core.strip()
    if word[:1].isupper() and " " not in word:
        before = text[max(0, start - 3) : start].rstrip(" \t")
        if before and before[-1] not in '.!?\n:;"“”(–—-':
            return False  # capitalised mid-sentence: part of a title or a name
    if ctx.pub:
        first = re.match(r"\d{4}", _left(value))
        if first and int(first.group(0)) > ctx.pub[0] + 1:
            return False
    return True


_CLAUSE_EVENT = re.compile(
    r"\b(?:took|seized|came|returned|rose|rising|coming|returning|taking|gaining|seizing|assuming)\b",
    re.I,
)


def _resolve_match(m: re.Match[str], text: str, ctx: _Ctx) -> _Found | None:
    start, end = m.start(), m.end()
    if m.group("range"):
        a_text, b_text = text[m.start("a") : m.end("a")], text[m.start("b") : m.end("b")]
        b_val, _ = _point_value(b_text, ctx)
        a_val, a_form = _point_value(a_text, ctx)
        if a_form in _YEARLESS and b_val:
            # "from March to June 2015": the first part borrows the second part's year.
            a_val, _ = _point_value(a_text, _Ctx(pub=ctx.pub, last=b_val))
        if not (a_val and b_val):
            return None
        value = f"{_left(a_val)}/{_right(b_val)}"
        kind, form = _ABSOLUTE, "range"
    else:
        prep = m.group("prep")
        core_start = m.start("p") if prep else m.start("q")
        core = text[core_start : m.end("p") if prep else m.end("q")]
        val, form = _point_value(core, ctx)
        if val is None:
            return None
        if not _year_guard(m, text, core_start, core):
            return None
        has_mod = bool(_MOD_RE.match(core.strip()))
        if prep:
            p = _WS.sub(" ", prep.lower())
            if p in _WEAK_PREP and form not in _BARE_OK | {"relyear"} and not has_mod:
                return None
            combined = _combine_prep(prep, val, form)
            if combined is None:
                return None
            if p in _WEAK_PREP:
                # Keep the weak preposition out of the time words.
                start, value = core_start, val
            else:
                value = combined
        else:
            if form not in _BARE_OK and not has_mod and form not in ("pubrel", "relyear"):
                return None
            if form == "event" and _CLAUSE_EVENT.search(core):
                return None  # "the Taliban took power in 1996" is no date without "since"/"after"
            value = val
        if form in ("pubrel", "relyear") and not _relative_ok(text, core_start, core, value, ctx):
            return None
        kind = _PRESENT if form == "pubrel" and value == ctx.pub_value("month") else _ABSOLUTE
        if form == "pubrel" and re.search(r"now|current|present|ongoing", core, re.I):
            kind = _PRESENT
    if not _valid(value):
        return None
    mention = TimeMention(start=start, end=end, text=text[start:end], edtf=value)
    return _Found(mention, kind, form)


def find_times(text: str, *, published: str | None = None) -> list[TimeMention]:
    """Find the time expressions of ``text`` and resolve each to an EDTF value.

    ``published`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) anchors words such as
    "last year" or "currently"; without it they are left out.

    >>> [(t.text, t.edtf) for t in find_times("In late 2014 the two groups met.")]
    [('In late 2014', '2014-09/2014-12')]
    >>> [t.edtf for t in find_times("They have fought since 2015.")]
    ['2015/..']
    >>> [t.edtf for t in find_times("Talks began last year.", published="2018-04")]
    ['2017']
    >>> find_times("It had 2,000 fighters and 3000 men.")
    []
    """
    return [f.mention for f in _scan(text, published)]


# --------------------------------------------------------------------------------------
# Sections, paragraphs and the choice of a time for one relation
# --------------------------------------------------------------------------------------

_LINE = re.compile(r"[^\n]*")
_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_LIST_ITEM = re.compile(r"[ \t]*(?:[•▪◦●‣*–-]|\d{1,2}[.)]|[a-z][.)])\s")
_CLAUSE_BREAK = re.compile(
    r"[;:()—]|\s–\s|\b(?:but|while|whereas|although|though|however|which|who|when)\b", re.I
)
# Relative clauses and brackets set off inside a sentence ("..., which split in 2015, ...").
_ASIDE = re.compile(
    r",\s*(?:which|who|whom|whose|where)\b[^,;.()\n]{0,200}[,;]|\([^()\n]{0,300}\)"
    r"|—[^—\n]{0,200}—|\s–\s[^–\n]{0,200}\s–\s"
)
_HEADING_SKIP = re.compile(
    r"^(?:[•\-–—*\[(>#\"“‘'_]|\d+[.)]\s"
    r"|(?:figure|fig\.|table|source|sources|map|photo|image|chart|title|date|author)\b)",
    re.I,
)


def _is_heading(line: str) -> bool:
    s = line.strip()
    if len(s) < 3 or len(s) > 90:
        return False
    if s[-1] in '.,;:!"”' or _HEADING_SKIP.match(s):
        return False
    first = next((c for c in s if c.isalnum()), "")
    if not first or not (first.isupper() or first.isdigit()):
        return False
    return len(s.split()) <= 12


# How far back a time given earlier still holds for a sentence without one.
_CARRY = ("paragraph", "section", "document")


class TimeResolver:
    """Times of one document, ready to answer which time a relation holds for.

    The document is scanned once: its time expressions (see :func:`find_times`), the
    section headings that carry a period ("Relations in 2017") and the paragraph breaks.

    ``carry`` says how far back a time given earlier still holds for a sentence that has
    none and no dated heading: ``"paragraph"`` (the default), ``"section"`` (back to the
    last heading) or ``"document"``.

    >>> doc = "Relations in 2016\\n\\nThe Taliban fought IS-K. In May 2017 they met."
    >>> r = TimeResolver(doc)
    >>> r.time_for(19, 43, 31)
    ('2016', 'in 2016')
    >>> r.time_for(44, 65, 60)
    ('2017-05', 'In May 2017')
    """

    def __init__(
        self, text: str, published: str | None = None, *, carry: str = "paragraph"
    ) -> None:
        if carry not in _CARRY:
            raise ValueError(f"carry must be one of {', '.join(_CARRY)}, not {carry!r}")
        self.text = text
        self.published = published
        self.carry = carry
        self._found = _scan(text, published)
        self.mentions: list[TimeMention] = [f.mention for f in self._found]
        self._starts = [m.start for m in self.mentions]
        # a list item after a blank line still belongs to the paragraph that introduces it
        self._para_starts = [0] + [
            m.end() for m in _PARA_BREAK.finditer(text) if not _LIST_ITEM.match(text, m.end())
        ]
        self._sections: list[tuple[int, int, tuple[str, str] | None]] = []
        self._find_sections()
        self._section_starts = [s for s, _, _ in self._sections]
        self._asides = [(m.start(), m.end()) for m in _ASIDE.finditer(text)]
        self._aside_starts = [a for a, _ in self._asides]

    def _find_sections(self) -> None:
        text = self.text
        pos = 0
        n = len(text)
        while pos <= n:
            nl = text.find("\n", pos)
            if nl < 0:
                nl = n
            line = text[pos:nl]
            if _is_heading(line):
                period = self._heading_period(pos, nl)
                self._sections.append((pos, nl, period))
            pos = nl + 1

    def _heading_period(self, start: int, end: int) -> tuple[str, str] | None:
        i = bisect.bisect_left(self._starts, start)
        inside = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            found = self._found[i]
            # A full date in a short line is a byline or a caption, not a period.
            if found.form in ("dmy", "mdy", "iso"):
                return None
            inside.append(self.mentions[i])
            i += 1
        if not inside:
            return None
        if len(inside) == 1:
            return inside[0].edtf, inside[0].text
        value = f"{_left(inside[0].edtf)}/{_right(inside[-1].edtf)}"
        if not _valid(value):
            return inside[0].edtf, inside[0].text
        return value, _squeeze(self.text[inside[0].start : inside[-1].end])

    def _in_heading(self, pos: int) -> bool:
        i = bisect.bisect_right(self._section_starts, pos) - 1
        return i >= 0 and self._sections[i][0] <= pos < self._sections[i][1]

    def time_for(self, sent_start: int, sent_end: int, anchor: int) -> tuple[str, str] | None:
        """The (EDTF value, time words) for a relation triggered at ``anchor``.

        Looks, in order, at the time expressions of the sentence ``[sent_start, sent_end)``
        (the one closest to the anchor, preferring the same clause and then the one
        before it), the period of the section heading above, and the last time given
        earlier in the same paragraph. Returns ``None`` when none applies.
        """
        best = self._in_sentence(sent_start, sent_end, anchor)
        if best is not None:
            return best.edtf, best.text
        section = self._section_period(sent_start)
        if section is not None:
            return section
        carried = self._carry_over(sent_start)
        if carried is not None:
            return carried.edtf, carried.text
        return None

    def _in_sentence(self, sent_start: int, sent_end: int, anchor: int) -> TimeMention | None:
        i = bisect.bisect_left(self._starts, sent_start)
        best: TimeMention | None = None
        best_key: tuple[int, int, int, int] | None = None
        while i < len(self.mentions) and self.mentions[i].start < sent_end:
            m = self.mentions[i]
            i += 1
            if m.end > sent_end:
                continue
            if m.start <= anchor < m.end:
                return m
            if m.end <= anchor:
                gap, before = anchor - m.end, 0
                between = self.text[m.end : anchor]
            else:
                gap, before = m.start - anchor, 1
                between = self.text[anchor : m.start]
            aside = 1 if self._aside(m, anchor) else 0
            crossing = 1 if _CLAUSE_BREAK.search(between) else 0
            key = (aside, crossing, gap, before)
            if best_key is None or key < best_key:
                best, best_key = m, key
        return best

    def _aside(self, m: TimeMention, anchor: int) -> bool:
        """True when ``m`` sits in a relative clause or parenthesis that leaves out ``anchor``."""
        i = bisect.bisect_right(self._aside_starts, m.start) - 1
        if i < 0:
            return False
        a, b = self._asides[i]
        return a <= m.start and m.end <= b and not a <= anchor < b

    def _section_period(self, pos: int) -> tuple[str, str] | None:
        i = bisect.bisect_right(self._section_starts, pos) - 1
        if i < 0:
            return None
        start, end, period = self._sections[i]
        if start <= pos < end:  # the sentence is the heading itself
            i -= 1
            if i < 0:
                return None
            period = self._sections[i][2]
        return period

    def _carry_over(self, sent_start: int) -> TimeMention | None:
        if self.carry == "document":
            limit = 0
        elif self.carry == "section":
            h = bisect.bisect_right(self._section_starts, sent_start) - 1
            limit = self._sections[h][1] if h >= 0 else 0
        else:
            p = bisect.bisect_right(self._para_starts, sent_start) - 1
            limit = self._para_starts[p] if p >= 0 else 0
        i = bisect.bisect_left(self._starts, sent_start) - 1
        while i >= 0 and self.mentions[i].start >= limit:
            m = self.mentions[i]
            if m.end <= sent_start and not self._in_heading(m.start):
                return m
            i -= 1
        return None


def _squeeze(text: str) -> str:
    """``text`` with runs of whitespace collapsed to one space."""
    return _WS.sub(" ", text).strip()
