"""What a pack regex's shape tells about its matches, from its parse tree.

For the ``enumeration`` kind's scans: whether a match may take in (or look
past) a newline, and the most characters a match takes.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any

from ..regex.guard import remembered

if TYPE_CHECKING:
    from ..regex.linear import Regex

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
