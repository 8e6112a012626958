"""The shape of a pattern: proof that backtracking on it stays polynomial.

``_Shape`` walks the parsed pattern (``re._parser``) and refuses nested
unbounded repeats, alternatives that overlap under a repeat and other shapes
that make ``re`` backtrack exponentially; ``guard.check_regex`` runs it.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# NOTE: the regex parser is private API (see guard).
_sre_constants: Any = importlib.import_module("re._constants")

MAX_BOUND = 100
_C = _sre_constants
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT}
_UNBOUNDED = _C.MAXREPEAT
# NOTE: string.printable, spelled out: importing ``string`` costs ~1 ms.
_PRINTABLE = (
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    + "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    + " \t\n\r\x0b\x0c"
)
_BASE_SAMPLE = (
    _PRINTABLE
    + "\u00a0\u3000\u4e00\u653f\u5e9c\u4fe1\u606f\u516c\u5f00\u5e74\u62a5\u544a"
    + "，。、；：？！“”‘’《》（）【】〔〕—…０１２３ＡＢａｂ"
)
_CATEGORIES = {
    _C.CATEGORY_DIGIT: re.compile(r"\d"),
    _C.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    _C.CATEGORY_SPACE: re.compile(r"\s"),
    _C.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    _C.CATEGORY_WORD: re.compile(r"\w"),
    _C.CATEGORY_NOT_WORD: re.compile(r"\W"),
    _C.CATEGORY_LINEBREAK: re.compile(r"\n"),
    _C.CATEGORY_NOT_LINEBREAK: re.compile(r"[^\n]"),
}
_ANCHORS = (_C.AT_BEGINNING, _C.AT_BEGINNING_STRING)


def _unbounded(arg: Any) -> bool:
    _low, high, _sub = arg
    return bool(high == _UNBOUNDED or high > MAX_BOUND)


class _Shape:
    """One parsed pattern and the checks above."""

    def __init__(self, parsed: list[Any]) -> None:
        self.parsed = parsed
        self._sample: frozenset[str] | None = None
        self._classes: dict[int, frozenset[str]] = {}

    @property
    def sample(self) -> frozenset[str]:
        """The alphabet overlaps are decided on (built on first use)."""
        if self._sample is None:
            extra = {chr(c) for c in _literals(self.parsed)}
            self._sample = frozenset(_BASE_SAMPLE) | frozenset(extra)
        return self._sample

    def problem(self) -> str:
        """A reason to reject the pattern, or ``""``."""
        multiplied = _multiplied_repeat(self.parsed, 1)
        if multiplied:
            return multiplied
        if not _has_unbounded(self.parsed):
            return ""  # NOTE: every shape below needs an unbounded repeat
        if _has_nested_unbounded(self.parsed, inside_unbounded=False):
            return (
                "nests unbounded repeats (like '(a+)+') and can backtrack "
                "catastrophically; rewrite it without the nesting"
            )
        if self._ambiguous_branch(self.parsed, inside_unbounded=False):
            return (
                "repeats alternatives that can match the same text (like "
                "'(a|a)*' or '(\\d|\\d\\d)*') and can backtrack catastrophically; "
                "make the alternatives start differently"
            )
        if self._adjacent_repeats(self.parsed):
            return (
                "has two unbounded repeats in a row that match the same "
                "characters (like '\\w*\\w*'); merge them into one"
            )
        if self._leading_repeat(self.parsed, tail=True):
            return (
                "starts with an unbounded repeat (like '.*x' or '\\d+x'), which "
                "rescans a long line from every position; bound it (e.g. "
                "'\\d{1,12}x'), start with a literal or anchor it with '^'"
            )
        return ""

    # -- first characters ---------------------------------------------------

    def first(self, items: list[Any]) -> tuple[frozenset[str], bool]:
        """Sample characters a match of ``items`` can start with; nullable."""
        found: set[str] = set()
        for op, arg in items:
            chars, nullable = self._first_item(op, arg)
            found |= chars
            if not nullable:
                return frozenset(found), False
        return frozenset(found), True

    def _first_item(self, op: Any, arg: Any) -> tuple[frozenset[str], bool]:
        sample = self.sample
        if op == _C.LITERAL:
            return frozenset({chr(arg)}), False
        if op == _C.NOT_LITERAL:
            return sample - {chr(arg)}, False
        if op == _C.ANY:
            return sample - {"\n"}, False
        if op == _C.IN:
            key = id(arg)
            if key not in self._classes:
                self._classes[key] = frozenset(c for c in sample if _in_class(c, arg))
            return self._classes[key], False
        if op == _C.SUBPATTERN:
            return self.first(list(arg[-1]))
        if op == _C.ATOMIC_GROUP:
            return self.first(list(arg))
        if op == _C.BRANCH:
            chars: set[str] = set()
            nullable = False
            for branch in arg[1]:
                sub, empty = self.first(list(branch))
                chars |= sub
                nullable = nullable or empty
            return frozenset(chars), nullable
        if op in _REPEATS or op == _C.POSSESSIVE_REPEAT:
            low, _high, sub = arg
            chars_, empty = self.first(list(sub))
            return chars_, empty or low == 0
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            return frozenset(), True
        # NOTE: back-references and conditionals: assume anything.
        return sample, True

    # -- the checks -----------------------------------------------------------

    def _ambiguous_branch(self, items: list[Any], inside_unbounded: bool) -> bool:
        for op, arg in items:
            if op == _C.BRANCH:
                if inside_unbounded and self._overlap(arg[1]):
                    return True
                for branch in arg[1]:
                    if self._ambiguous_branch(list(branch), inside_unbounded):
                        return True
            for sub, unbounded in _children(op, arg):
                if self._ambiguous_branch(sub, inside_unbounded or unbounded):
                    return True
        return False

    def _overlap(self, branches: list[Any]) -> bool:
        seen: set[str] = set()
        for branch in branches:
            chars, nullable = self.first(list(branch))
            # NOTE: an alternative that can match nothing competes with
            # whatever follows the group, i.e. with every other alternative.
            if nullable and len(branches) > 1:
                return True
            if seen & chars:
                return True
            seen |= chars
        return False

    def _adjacent_repeats(self, items: list[Any]) -> bool:
        previous: frozenset[str] | None = None
        for op, arg in items:
            if op in _REPEATS and _unbounded(arg):
                chars, _ = self.first(list(arg[2]))
                if previous is not None and previous & chars:
                    return True
                previous = chars if previous is None else previous | chars
            elif not _nullable(op, arg):
                previous = None  # a mandatory item separates the repeats
            for sub, _unb in _children(op, arg):
                if self._adjacent_repeats(sub):
                    return True
            if op == _C.BRANCH:
                for branch in arg[1]:
                    if self._adjacent_repeats(list(branch)):
                        return True
        return False

    def _leading_repeat(self, items: list[Any], tail: bool) -> bool:
        """An unbounded repeat where a match can start, not at the end.

        NOTE: a pattern that starts with a literal or an anchor is only
        retried where that literal or anchor is; one that starts with a
        repeat is retried at every character the repeat matches.
        """
        for i, (op, arg) in enumerate(items):
            last = tail and i == len(items) - 1
            if op == _C.AT and arg in _ANCHORS:
                return False
            if op in _REPEATS and _unbounded(arg) and not last:
                return True
            if op in (_C.ASSERT, _C.ASSERT_NOT) and self._leading_repeat(
                list(arg[1]), tail=True
            ):
                return True
            if op in (_C.SUBPATTERN, _C.ATOMIC_GROUP):
                inner = list(arg[-1] if op == _C.SUBPATTERN else arg)
                if self._leading_repeat(inner, last):
                    return True
            if op == _C.BRANCH:
                for branch in arg[1]:
                    if self._leading_repeat(list(branch), last):
                        return True
            if not _nullable(op, arg):
                return False
        return False


def _multiplied_repeat(items: list[Any], factor: int) -> str:
    """A reason when repeats multiply: ``(a?){30}``, ``(.*a){20}``, ``(a{9}){99}``.

    NOTE: bounded repeats backtrack too: a repeated part that can match
    nothing, or a repeat inside a repeat whose counts multiply past
    ``MAX_BOUND``, gives exponentially or polynomially many ways to match.
    """
    for op, arg in items:
        subs: list[tuple[list[Any], int]] = []
        if op in _REPEATS:
            _low, high, sub = arg
            body = list(sub)
            if high > 1 and all(_nullable(o, a) for o, a in body):
                return (
                    "repeats something that can match nothing (like '(a?){30}') "
                    "and can backtrack catastrophically; make it match a character"
                )
            count = _UNBOUNDED if high == _UNBOUNDED else factor * high
            if factor > 1 and high > 1 and (count >= _UNBOUNDED or count > MAX_BOUND):
                return (
                    "nests repeats whose counts multiply (like '(.*a){20}' or "
                    "'(a{1,100}){1,100}') and can backtrack catastrophically"
                )
            subs = [(body, max(factor, min(count, _UNBOUNDED)) if high > 1 else factor)]
        elif op == _C.BRANCH:
            subs = [(list(b), factor) for b in arg[1]]
        else:
            subs = [(sub, factor) for sub, _unb in _children(op, arg)]
        for sub, inner in subs:
            found = _multiplied_repeat(sub, inner)
            if found:
                return found
    return ""


def _has_unbounded(items: list[Any]) -> bool:
    for op, arg in items:
        if op in _REPEATS and _unbounded(arg):
            return True
        if op == _C.BRANCH and any(_has_unbounded(list(b)) for b in arg[1]):
            return True
        if any(_has_unbounded(sub) for sub, _unb in _children(op, arg)):
            return True
    return False


def _nullable(op: Any, arg: Any) -> bool:
    """Whether the item can match the empty string (cheap, no sample)."""
    if op in (_C.LITERAL, _C.NOT_LITERAL, _C.ANY, _C.IN):
        return False
    if op == _C.SUBPATTERN:
        return all(_nullable(o, a) for o, a in arg[-1])
    if op == _C.ATOMIC_GROUP:
        return all(_nullable(o, a) for o, a in arg)
    if op == _C.BRANCH:
        return any(all(_nullable(o, a) for o, a in b) for b in arg[1])
    if op in _REPEATS or op == _C.POSSESSIVE_REPEAT:
        return bool(arg[0] == 0 or all(_nullable(o, a) for o, a in arg[2]))
    return True


def _children(op: Any, arg: Any) -> list[tuple[list[Any], bool]]:
    """Sub-sequences of one item and whether they sit in an unbounded repeat."""
    if op in _REPEATS:
        return [(list(arg[2]), _unbounded(arg))]
    if op == _C.POSSESSIVE_REPEAT:
        # NOTE: possessive repeats never backtrack into themselves.
        return []
    if op == _C.SUBPATTERN:
        return [(list(arg[-1]), False)]
    if op in (_C.ASSERT, _C.ASSERT_NOT):
        return [(list(arg[1]), False)]
    if op == _C.GROUPREF_EXISTS:
        return [(list(b), False) for b in arg[1:] if b is not None]
    return []


def _in_class(ch: str, items: list[Any]) -> bool:
    negate = False
    hit = False
    code = ord(ch)
    for op, arg in items:
        if op == _C.NEGATE:
            negate = True
        elif op == _C.LITERAL:
            hit = hit or code == arg
        elif op == _C.RANGE:
            hit = hit or arg[0] <= code <= arg[1]
        elif op == _C.CATEGORY:
            regex = _CATEGORIES.get(arg)
            hit = hit or regex is None or bool(regex.match(ch))
    return hit != negate


def _literals(items: list[Any]) -> set[int]:
    found: set[int] = set()
    for op, arg in items:
        if op in (_C.LITERAL, _C.NOT_LITERAL):
            found.add(arg)
        elif op == _C.IN:
            for sub_op, sub_arg in arg:
                if sub_op == _C.LITERAL:
                    found.add(sub_arg)
                elif sub_op == _C.RANGE:
                    found.update(sub_arg)
        elif op == _C.BRANCH:
            for branch in arg[1]:
                found |= _literals(list(branch))
        else:
            for sub, _unb in _children(op, arg):
                found |= _literals(sub)
    return found


def _has_nested_unbounded(items: list[Any], inside_unbounded: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            _low, _high, sub = arg
            unbounded = _unbounded(arg)
            if unbounded and inside_unbounded and _can_repeat_variably(list(sub)):
                return True
            if _has_nested_unbounded(list(sub), inside_unbounded or unbounded):
                return True
        elif op == _C.SUBPATTERN:
            if _has_nested_unbounded(list(arg[-1]), inside_unbounded):
                return True
        elif op == _C.BRANCH:
            for branch in arg[1]:
                if _has_nested_unbounded(list(branch), inside_unbounded):
                    return True
        elif op in (_C.ASSERT, _C.ASSERT_NOT) and (
            _has_nested_unbounded(list(arg[1]), inside_unbounded)
        ):
            return True
    return False


def _can_repeat_variably(items: list[Any]) -> bool:
    # A repeat of something non-empty inside an unbounded repeat is the shape
    # that explodes; an inner repeat of nothing (e.g. x{0}) is harmless.
    return bool(items)
