"""Shared last steps for a recognised relation: its evidence span, modality and time.

The relation rules and the role rules both end the same way; keeping the steps here means
a change to how a claimant, a time or a quote is taken applies to every predicate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from factiongraph.models import Modality
from factiongraph.timeutil import is_edtf

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_SIMPLE_EDTF = re.compile(
    r"^(?:\d{4}(?:-(?:0[1-9]|1[0-2]|2[1-4])(?:-(?:0[1-9]|[12]\d|3[01]))?)?[~?%]?|\.\.|)$"
)


def valid_edtf(value: str) -> bool:
    """A quick check for the usual shapes; anything else goes through the EDTF parser.

    >>> valid_edtf("2017-22"), valid_edtf("2015/.."), valid_edtf("late 2014")
    (True, True, False)
    """
    parts = value.split("/")
    if len(parts) <= 2 and all(_SIMPLE_EDTF.match(p) for p in parts) and any(parts):
        return True
    try:
        return bool(is_edtf(value))
    except Exception:
        return False


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the white space at either end.

    >>> trim("  a b ", 0, 6)
    (2, 5)
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def modality_of(
    sent: Span, trigger: Token, attribute: Callable[[Span, Token], Any] | None
) -> tuple[Modality, str | None]:
    """Modality and claimant; a failure to attribute must not lose the relation."""
    if attribute is None:
        return Modality.ASSERTED, None
    try:
        att = attribute(sent, trigger)
    except Exception:
        return Modality.ASSERTED, None
    return att.modality, att.claimant


def time_of(sent: Span, trigger: Token, resolver: Any) -> tuple[str | None, str | None]:
    """The EDTF time and its words for a relation whose trigger is ``trigger``."""
    if resolver is None:
        return None, None
    try:
        got = resolver.time_for(sent.start_char, sent.end_char, trigger.idx)
    except Exception:
        got = None
    if got and got[0] and valid_edtf(got[0]):
        return got[0], got[1]
    return None, None
