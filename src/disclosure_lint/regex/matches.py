"""What a pack regex's parse tree tells about its matches.

Whether a match may take in (or look past) a newline, and the most
characters a match takes (the ``enumeration`` kind's scans); which
characters a match can hold and start with (the outline's heading scan).
Answers asked when packs are compiled are kept in the pack cache
(``guard.remembered``).
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any

from .guard import remembered

if TYPE_CHECKING:
    from .linear import Regex

_PARSER: Any = importlib.import_module("re._parser")  # NOTE: as regex.guard
_WIDEST = 16


def widest_match(pattern: str, regex: Regex) -> int:
    """The most characters a match of ``pattern`` takes (0: too many, unknown)."""
    if not isinstance(regex, re.Pattern):
        return 0  # NOTE: the RE2 engine (regex.linear) has no match at a position
    # NOTE: asked when the rule is prepared: remembered with the pack cache.
    widest = int(remembered("widest", pattern, 0, _widest))
    return widest if widest <= _WIDEST else 0


def _widest(pattern: str, flags: int) -> int:
    try:
        return int(_PARSER.parse(pattern, flags).getwidth()[1])
    except (re.error, RecursionError, OverflowError):
        return 0


_OPS: Any = importlib.import_module("re._constants")
# Classes that never hold a newline.
_NO_NEWLINE = {
    _OPS.CATEGORY_DIGIT,
    _OPS.CATEGORY_WORD,
    _OPS.CATEGORY_UNI_DIGIT,
    _OPS.CATEGORY_UNI_WORD,
    _OPS.CATEGORY_NOT_LINEBREAK,
    _OPS.CATEGORY_UNI_NOT_LINEBREAK,
}


def single_line(pattern: str, strict: bool = False) -> bool:
    r"""Whether no match of ``pattern`` can take in a newline (or may: False).

    ``strict``: nor look past one (a look-ahead that may take in a newline,
    ``$`` or ``\Z``): a match then reads nothing after the newline that
    ends its line, and a scan that stops there finds it all the same.
    """
    # NOTE: asked when the rule is prepared: remembered with the pack cache.
    return bool(remembered("single-line", pattern, int(strict), _single_line))


def _single_line(pattern: str, strict: int) -> bool:
    try:
        return _no_newline(list(_PARSER.parse(pattern)), bool(strict))
    except re.error:
        return False


def _no_newline(items: list[Any], strict: bool = False) -> bool:
    ops = _OPS
    for op, arg in items:
        if op == ops.AT:
            if strict and arg in (ops.AT_END, ops.AT_END_STRING):
                return False
            continue  # takes in nothing
        if op in (ops.ASSERT, ops.ASSERT_NOT):
            # NOTE: arg: direction (1: ahead, -1: behind) and the pattern.
            if strict and arg[0] == 1 and not _no_newline(list(arg[1]), strict):
                return False
            continue  # takes in nothing
        if op == ops.LITERAL:
            ok = arg != 10
        elif op == ops.IN:
            ok = all(
                (sub == ops.LITERAL and value != 10)
                or (sub == ops.RANGE and not value[0] <= 10 <= value[1])
                or (sub == ops.CATEGORY and value in _NO_NEWLINE)
                for sub, value in arg
            )
        elif op == ops.SUBPATTERN:
            ok = _no_newline(list(arg[-1]), strict)
        elif op == ops.ATOMIC_GROUP:
            ok = _no_newline(list(arg), strict)
        elif op == ops.BRANCH:
            ok = all(_no_newline(list(branch), strict) for branch in arg[1])
        elif op in (ops.MAX_REPEAT, ops.MIN_REPEAT, ops.POSSESSIVE_REPEAT):
            ok = _no_newline(list(arg[2]), strict)
        else:
            ok = False  # any character, a back-reference...: perhaps
        if not ok:
            return False
    return True


def match_chars(pattern: str) -> tuple[frozenset[str], bool] | None:
    r"""Characters any match of ``pattern`` can hold: (literals, any ``\s``).

    None when unsure (a construct not analysed, case folding, no parse).
    """
    return _chars_in(_parse(pattern))


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` (anchored) can start with, or None."""
    return _first_in(_parse(pattern))


def _parse(pattern: str) -> Any:
    """``pattern`` parsed (None when it is not ``re``'s or has case folding)."""
    try:
        parsed = _PARSER.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    return parsed.data


def _chars_in(items: Any) -> tuple[frozenset[str], bool] | None:
    r"""Characters any match of ``items`` can hold: (literals, any \s), or None."""
    if items is None:
        return None
    literals: set[str] = set()
    spaces = False
    for op, arg in items:
        if op is _OPS.LITERAL:
            literals.add(chr(arg))
        elif op is _OPS.AT:
            continue
        elif op is _OPS.IN:
            for kind, value in arg:
                if kind is _OPS.LITERAL:
                    literals.add(chr(value))
                elif kind is _OPS.CATEGORY and value is _OPS.CATEGORY_SPACE:
                    spaces = True
                else:
                    return None
        elif op in (_OPS.MAX_REPEAT, _OPS.MIN_REPEAT):
            inner = _chars_in(arg[2])
            if inner is None:
                return None
            literals |= inner[0]
            spaces = spaces or inner[1]
        elif op is _OPS.SUBPATTERN and not arg[1]:
            inner = _chars_in(arg[3])
            if inner is None:
                return None
            literals |= inner[0]
            spaces = spaces or inner[1]
        elif op is _OPS.BRANCH:
            for branch in arg[1]:
                inner = _chars_in(branch)
                if inner is None:
                    return None
                literals |= inner[0]
                spaces = spaces or inner[1]
        else:
            return None
    return frozenset(literals), spaces


def _first_in(items: Any) -> frozenset[str] | None:
    """The characters a match of ``items`` (anchored) can start with, or None.

    None also when a match may be empty at its start (no first character).
    """
    if items is None:
        return None
    items = list(items)
    while (
        items
        and items[0][0] is _OPS.AT
        and items[0][1]
        in (
            _OPS.AT_BEGINNING,
            _OPS.AT_BEGINNING_STRING,
        )
    ):
        items = items[1:]
    if not items:
        return None
    op, arg = items[0]
    if op is _OPS.LITERAL:
        return frozenset((chr(arg),))
    if op is _OPS.IN:
        chars = set()
        for kind, value in arg:
            if kind is not _OPS.LITERAL:
                return None
            chars.add(chr(value))
        return frozenset(chars)
    if op is _OPS.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            found = _first_in(branch)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op is _OPS.SUBPATTERN and not arg[1]:
        return _first_in(arg[3])
    if op in (_OPS.MAX_REPEAT, _OPS.MIN_REPEAT) and arg[0] >= 1:
        return _first_in(arg[2])
    return None
