"""Name keys: one normal form for every way a name can be written."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = re.compile(r"[\u2018\u2019'`\u02bc\u02bb.]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)  # the same names come back again and again in a document
def name_key(name: str) -> str:
    """Fold case, accents, hyphens, dashes and punctuation so that variants share one key.

    >>> name_key("ISIS–K") == name_key("isis k") == name_key("ISIS-K")
    True
    >>> name_key("Tehrik-i-Taliban Pakistan")
    'tehrik i taliban pakistan'
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _QUOTES.sub("", s.casefold())  # "U.S." and "US", "Jama'at" and "Jamaat" meet
    s = _NON_ALNUM.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def slugify(name: str) -> str:
    return name_key(name).replace(" ", "_")
