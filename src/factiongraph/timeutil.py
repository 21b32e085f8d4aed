"""Valid time as EDTF: parsing, bounds for queries, and plain-date helpers.

An assertion's time is an EDTF expression (a date, a season, an approximate or uncertain
date, or an interval, possibly open-ended). Queries need concrete bounds, so each value is
reduced to the first and last calendar day it may cover; open ends give ``None``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import NamedTuple

import edtf


class Bounds(NamedTuple):
    """First and last day an EDTF value covers (ISO strings; ``None`` for an open end)."""

    start: str | None
    end: str | None
    fuzzy_start: str | None
    fuzzy_end: str | None


def _day(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isinf(value)):
        return None
    year, month, day = value[:3]  # type: ignore[index]
    if year < 1 or year > 9999:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


@lru_cache(maxsize=4096)
def edtf_bounds(value: str) -> Bounds:
    """Return the day bounds of an EDTF expression.

    >>> edtf_bounds("2017-22")[:2]  # summer 2017
    ('2017-06-01', '2017-08-31')
    >>> edtf_bounds("2015/..")[:2]
    ('2015-01-01', None)

    Raises ``ValueError`` for text that is not EDTF.
    """
    text = value.strip()
    if not text:
        raise ValueError("empty time value")
    if "/" in text:
        left, _, right = text.partition("/")
        lo = _bounds_of_part(left)
        hi = _bounds_of_part(right)
        return Bounds(lo.start, hi.end, lo.fuzzy_start, hi.fuzzy_end)
    return _bounds_of_part(text)


_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _bounds_of_part(part: str) -> Bounds:
    if part in ("", ".."):
        return Bounds(None, None, None, None)
    plain = _PLAIN.match(part)
    if plain and (plain.group(2) or "01") <= "12":  # the common case, without the full parser
        try:
            lo, hi = parse_day(part), parse_day(part, end=True)
        except ValueError:
            pass
        else:
            return Bounds(lo, hi, lo, hi)
    try:
        parsed = edtf.parse_edtf(part)
    except Exception as exc:  # the edtf parser raises its own error types
        raise ValueError(f"not an EDTF date: {part!r}") from exc
    return Bounds(
        _day(parsed.lower_strict()),
        _day(parsed.upper_strict()),
        _day(parsed.lower_fuzzy()),
        _day(parsed.upper_fuzzy()),
    )


def is_edtf(value: str) -> bool:
    try:
        edtf_bounds(value)
    except ValueError:
        return False
    return True


_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_day(value: str, *, end: bool = False) -> str:
    """Turn a date of any precision ("2017", "2017-10", "2017-10-18") into one ISO day.

    ``end=True`` gives the last day the value covers.

    >>> parse_day("2017-02", end=True)
    '2017-02-28'
    """
    m = _ISO_PREFIX.match(value.strip())
    if not m:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else (12 if end else 1)
    if m.group(3):
        day = int(m.group(3))
    elif end:
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        day = (nxt - dt.timedelta(days=1)).day
    else:
        day = 1
    return dt.date(year, month, day).isoformat()


def edtf_to_start_end(value: str | None) -> tuple[str | None, str | None]:
    """The coarse ``start``/``end`` pair of the evaluation format for an EDTF value.

    Precision is kept: "2017" stays "2017", "2017-10-18" stays a day, a season becomes its
    year-month bounds.

    >>> edtf_to_start_end("2014-10/2015")
    ('2014-10', '2015')
    >>> edtf_to_start_end("2017-22")
    ('2017-06', '2017-08')
    """
    if not value:
        return None, None
    text = value.strip()
    left, sep, right = text.partition("/")
    if sep:
        return _coarse(left, end=False), _coarse(right, end=True)
    single = _coarse(text, end=False)
    if single is not None and re.fullmatch(r"\d{4}-2[1-4]", text.rstrip("~?%")):
        b = edtf_bounds(text)
        return (b.start or "")[:7] or None, (b.end or "")[:7] or None
    return single, None


def _coarse(part: str, *, end: bool) -> str | None:
    part = part.strip().rstrip("~?%")
    if part in ("", ".."):
        return None
    season = re.fullmatch(r"(\d{4})-(2[1-4])", part)
    if season:
        b = edtf_bounds(part)
        return (b.end if end else b.start or "")[:7] if (b.end if end else b.start) else None
    m = _ISO_PREFIX.match(part.replace("X", "0"))
    if not m:
        return None
    out = m.group(1)
    if m.group(2) and m.group(2) != "00":
        out += "-" + m.group(2)
        if m.group(3) and m.group(3) != "00":
            out += "-" + m.group(3)
    return out
