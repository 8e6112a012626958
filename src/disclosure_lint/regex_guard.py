"""Reject pack regexes that can backtrack catastrophically.

Packs may come from untrusted hands. Python's ``re`` has no time limit, so a
pattern such as ``(a+)+$`` can hang the linter on a long line. We refuse, at
pack load, any unbounded repeat that contains another unbounded repeat (the
classic exponential shape) and any pattern that does not compile.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# NOTE: the regex parser is private API; it has been stable since 3.11 (the
# oldest Python we support) and is the only way to inspect a pattern's shape.
_sre_constants: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")

MAX_PATTERN_LENGTH = 4_000
_REPEATS = {_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT}
_UNBOUNDED = _sre_constants.MAXREPEAT


class RegexRejected(ValueError):
    """A pattern that is invalid or may backtrack catastrophically."""


def check_regex(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` after checking it is safe; return the compiled form.

    Raises:
        RegexRejected: with a one-line reason.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise RegexRejected(f"regex longer than {MAX_PATTERN_LENGTH} characters")
    try:
        compiled = re.compile(pattern)
        parsed = _sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise RegexRejected(f"invalid regex: {exc}") from None
    if _has_nested_unbounded(list(parsed), inside_unbounded=False):
        raise RegexRejected(
            f"regex '{pattern}' nests unbounded repeats (like '(a+)+') and can "
            "backtrack catastrophically; rewrite it without the nesting"
        )
    return compiled


def _has_nested_unbounded(items: list[Any], inside_unbounded: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            _low, high, sub = arg
            unbounded = high == _UNBOUNDED or high > 100
            if unbounded and inside_unbounded and _can_repeat_variably(list(sub)):
                return True
            if _has_nested_unbounded(list(sub), inside_unbounded or unbounded):
                return True
        elif op == _sre_constants.SUBPATTERN:
            if _has_nested_unbounded(list(arg[-1]), inside_unbounded):
                return True
        elif op == _sre_constants.BRANCH:
            for branch in arg[1]:
                if _has_nested_unbounded(list(branch), inside_unbounded):
                    return True
        elif op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT) and (
            _has_nested_unbounded(list(arg[1]), inside_unbounded)
        ):
            return True
    return False


def _can_repeat_variably(items: list[Any]) -> bool:
    # A repeat of something non-empty inside an unbounded repeat is the shape
    # that explodes; an inner repeat of nothing (e.g. x{0}) is harmless.
    return bool(items)
