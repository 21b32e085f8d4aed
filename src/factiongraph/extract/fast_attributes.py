"""A faster stand-in for the model's ``attribute_ruler`` with identical results.

spaCy's attribute ruler runs a Matcher over all its patterns and then applies the attributes
of every match in pattern order, later patterns overriding earlier ones. Almost all of its
patterns look at a single token, and their outcome depends only on the few token attributes
the patterns mention (here TAG, LOWER, DEP and IS_SPACE). So the outcome for one combination
of those values is computed once, by folding the matching rules in order, and remembered.
A document then costs one dictionary look-up per token, a few numpy operations and one
``Doc.from_array``. Patterns of several tokens are checked only where their first token
matches, and a token they reach has its outcome recomputed with those matches merged in order.

The rules are read from the loaded ruler when the pipeline is built. Patterns using anything
this component does not understand (operators, other predicates, extension attributes) make
:func:`compile_rules` return ``None``; the caller then keeps the original ruler.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = ["FastAttributes", "compile_rules"]

_Key = tuple[int, ...]
_Check = Callable[[_Key], bool]


@dataclass(frozen=True)
class _Rule:
    order: int
    alternatives: tuple[tuple[tuple[_Check, ...], int], ...]  # (token checks, target offset)
    values: tuple[int | None, ...]  # one per output attribute; None: left as it is


class _Unsupported(Exception):
    pass


def _spec_attrs(spec: dict[str, Any]) -> list[int]:
    """The attribute ids one token of a Matcher pattern reads."""
    from spacy.attrs import IDS

    used = []
    for name in spec:
        upper = name.upper() if isinstance(name, str) else ""
        if upper not in _KEY_NAMES:
            raise _Unsupported(f"attribute {name!r}")
        used.append(IDS[upper])
    return used


# token attributes a pattern may test (the ones checked to give the Matcher's results);
# anything else, like operators, MORPH or extensions, makes the rules unsupported
_KEY_NAMES = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE"})
_STRING_NAMES = frozenset({"TAG", "LOWER", "DEP"})


def _token_check(spec: dict[str, Any], position: dict[int, int], vocab: Vocab) -> _Check:
    """One token of a Matcher pattern as a test on the token's key of attribute values."""
    strings = vocab.strings
    tests: list[_Check] = []

    def as_id(value: Any) -> int:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            return strings.add(value) if value else 0
        raise _Unsupported(f"value {value!r}")

    for name, attr, value in zip(spec, _spec_attrs(spec), spec.values(), strict=True):
        at = position[attr]
        if isinstance(value, dict):
            if len(value) != 1:
                raise _Unsupported(f"predicate {value!r}")
            ((op, arg),) = value.items()
            if op in ("IN", "NOT_IN"):
                tests.append(_set_test(at, frozenset(as_id(v) for v in arg), op == "IN"))
            elif op == "REGEX" and name.upper() in _STRING_NAMES:
                tests.append(_regex_test(at, re.compile(arg), vocab))
            else:
                raise _Unsupported(f"predicate {op!r}")
        else:
            tests.append(_equal_test(at, as_id(value)))

    def check(key: _Key, _tests: tuple[_Check, ...] = tuple(tests)) -> bool:
        return all(t(key) for t in _tests)

    return check


def _equal_test(at: int, value: int) -> _Check:
    return lambda key: key[at] == value


def _set_test(at: int, members: frozenset[int], inside: bool) -> _Check:
    return lambda key: (key[at] in members) == inside


def _regex_test(at: int, pattern: re.Pattern[str], vocab: Vocab) -> _Check:
    # as the Matcher does: search the string of the attribute's value
    strings = vocab.strings
    return lambda key: bool(pattern.search(strings[key[at]]))


@dataclass
class CompiledRules:
    key_attrs: tuple[int, ...]  # attributes read from each token, in key order
    out_attrs: tuple[int, ...]  # attributes the rules may set, in column order
    rules: tuple[_Rule, ...]
    # the lower-case forms the rules name, and their regular expressions on LOWER: any other
    # word behaves like every other, so it can share one key (fewer outcomes to work out)
    lower_literals: frozenset[int] = frozenset()
    lower_regexes: tuple[re.Pattern[str], ...] = ()


def compile_rules(patterns: Sequence[dict[str, Any]], vocab: Vocab) -> CompiledRules | None:
    """The ruler's patterns (``AttributeRuler.patterns``) as rules; None if not supported."""
    from spacy.tokens._retokenize import normalize_token_attrs

    try:
        normalized = [normalize_token_attrs(vocab, p["attrs"]) for p in patterns]
        out_attrs: list[int] = []
        for attrs in normalized:
            for attr in attrs:
                if not isinstance(attr, int):
                    raise _Unsupported(f"attribute {attr!r}")
                if attr not in out_attrs:
                    out_attrs.append(attr)
        key_attrs: list[int] = []
        for pattern in patterns:
            for alternative in pattern["patterns"]:
                for spec in alternative:
                    key_attrs.extend(a for a in _spec_attrs(spec) if a not in key_attrs)
        position = {attr: k for k, attr in enumerate(key_attrs)}
        rules = []
        for order, (pattern, attrs) in enumerate(zip(patterns, normalized, strict=True)):
            alternatives = []
            for alternative in pattern["patterns"]:
                if not alternative:
                    raise _Unsupported("empty pattern")
                checks = tuple(_token_check(spec, position, vocab) for spec in alternative)
                index = int(pattern.get("index", 0))
                target = index if index >= 0 else len(alternative) + index
                if not 0 <= target < len(alternative):
                    raise _Unsupported("index outside the pattern")
                alternatives.append((checks, target))
            values = tuple(attrs.get(a) for a in out_attrs)
            rules.append(_Rule(order, tuple(alternatives), values))
    except _Unsupported:
        return None
    literals: set[int] = set()
    regexes: list[re.Pattern[str]] = []
    for pattern in patterns:
        for alternative in pattern["patterns"]:
            for spec in alternative:
                for name, value in spec.items():
                    if name.upper() != "LOWER":
                        continue
                    if isinstance(value, dict):
                        ((op, arg),) = value.items()
                        if op == "REGEX":
                            regexes.append(re.compile(arg))
                        else:
                            literals.update(vocab.strings.add(v) for v in arg)
                    else:
                        literals.add(vocab.strings.add(value))
    return CompiledRules(
        tuple(key_attrs), tuple(out_attrs), tuple(rules), frozenset(literals), tuple(regexes)
    )


_OTHER_WORD = 0  # the key every word shares that no rule names (the empty string's id)


class _Outcomes(dict[_Key, int]):
    """Token key -> id of its outcome (the values set by the single-token rules)."""

    def __init__(self, owner: FastAttributes) -> None:
        super().__init__()
        self.owner = owner

    def __missing__(self, key: _Key) -> int:
        outcome = self.owner._outcome_id(key)
        if len(self) < 500_000:
            self[key] = outcome
        return outcome


class FastAttributes:
    """Set the attributes the model's attribute ruler would set, from compiled rules."""

    def __init__(self) -> None:
        self.load(CompiledRules((), (), ()))

    def load(self, compiled: CompiledRules) -> None:
        """Use these rules (from :func:`compile_rules`) from now on."""
        from spacy.attrs import LOWER

        self.key_attrs = list(compiled.key_attrs)
        self._lower_at = self.key_attrs.index(LOWER) if LOWER in self.key_attrs else None
        self._lower_literals = compiled.lower_literals
        self._lower_regexes = compiled.lower_regexes
        self._lower_shared: dict[int, int] = {}
        self.out_attrs = list(compiled.out_attrs)
        self.rules = compiled.rules
        self.single = [r for r in self.rules if any(len(c) == 1 for c, _ in r.alternatives)]
        self.multi = [r for r in self.rules if any(len(c) > 1 for c, _ in r.alternatives)]
        self._width = len(self.out_attrs)
        # outcome tables: the values to set, where to set them, and multi-token starts
        self._outcome_index: dict[tuple[tuple[int | None, ...], bool], int] = {}
        self._values: list[list[int]] = []
        self._masks: list[list[bool]] = []
        self._starts: list[bool] = []
        self._tables: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.outcomes = _Outcomes(self)

    # -- outcomes for one token key ------------------------------------------------------

    def _single_matches(self, key: _Key) -> list[_Rule]:
        return [r for r in self.single if any(len(c) == 1 and c[0](key) for c, _ in r.alternatives)]

    def _starts_multi(self, key: _Key) -> bool:
        return any(len(c) > 1 and c[0](key) for r in self.multi for c, _ in r.alternatives)

    @staticmethod
    def _fold(rules: Sequence[_Rule], width: int) -> tuple[int | None, ...]:
        values: list[int | None] = [None] * width
        for rule in rules:
            for col, value in enumerate(rule.values):
                if value is not None:
                    values[col] = value
        return tuple(values)

    def _outcome_id(self, key: _Key) -> int:
        values = self._fold(self._single_matches(key), self._width)
        entry = (values, self._starts_multi(key))
        found = self._outcome_index.get(entry)
        if found is None:
            found = len(self._values)
            self._outcome_index[entry] = found
            self._values.append([0 if v is None else v for v in values])
            self._masks.append([v is not None for v in values])
            self._starts.append(entry[1])
            self._tables = None
        return found

    def _lower_matters(self, value: int, strings: Any) -> bool:
        if value in self._lower_literals:
            return True
        word = strings[value] if value else ""
        # kept apart when some rule's expression tells it from a word no rule names
        return any(bool(rx.search(word)) != bool(rx.search("")) for rx in self._lower_regexes)

    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._tables is None:
            self._tables = (
                np.array(self._values, dtype=np.uint64).reshape(-1, self._width),
                np.array(self._masks, dtype=bool).reshape(-1, self._width),
                np.array(self._starts, dtype=bool),
            )
        return self._tables

    # -- one document --------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0 or not self.rules:
            return doc
        keys_array = doc.to_array(self.key_attrs)
        if self._lower_at is not None:
            col = keys_array[:, self._lower_at]
            shared = self._lower_shared
            strings = doc.vocab.strings
            for value in set(col.tolist()) - shared.keys():
                shared[value] = value if self._lower_matters(value, strings) else _OTHER_WORD
            keys_array[:, self._lower_at] = [shared[v] for v in col.tolist()]
        keys = list(map(tuple, keys_array.tolist()))
        outcomes = self.outcomes
        ids = np.fromiter(map(outcomes.__getitem__, keys), dtype=np.intp, count=n)
        values, masks, starts = self._arrays()
        current = doc.to_array(self.out_attrs)
        result = np.where(masks[ids], values[ids], current)
        if self.multi:
            starting = np.flatnonzero(starts[ids]).tolist()
            if starting:
                self._apply_multi(starting, keys, result, current)
        doc.from_array(self.out_attrs, result)
        return doc

    def _apply_multi(
        self, starting: list[int], keys: list[_Key], result: np.ndarray, current: np.ndarray
    ) -> None:
        """Redo the tokens reached by several-token patterns starting at ``starting``."""
        reached: dict[int, list[_Rule]] = {}
        for start in starting:
            for rule in self.multi:
                for checks, target in rule.alternatives:
                    if len(checks) < 2 or start + len(checks) > len(keys):
                        continue
                    if all(check(keys[start + k]) for k, check in enumerate(checks)):
                        reached.setdefault(start + target, []).append(rule)
        for i, extra in reached.items():
            matched = {r.order: r for r in [*self._single_matches(keys[i]), *extra]}
            values = self._fold([matched[k] for k in sorted(matched)], self._width)
            row = result[i]
            for col, value in enumerate(values):
                row[col] = current[i, col] if value is None else value
