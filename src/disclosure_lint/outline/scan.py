"""Which lines can be headings: one search over the text (``_line_scan``).

``sections`` judges every line that looks like a heading; this module
finds, from the pack's markup and heading patterns, the only lines that
can, so the others are never looked at.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..regex.cached import compile_regex
from ..regex.guard import remembered
from .lines import Lines

# The regex parser (as ``lines`` uses it): to find which lines can match.
_sre: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")


def _scanned(lines: Lines, scan: re.Pattern[str]) -> list[int]:
    """0-based indices of the lines ``scan`` (``_line_scan``) finds, in order."""
    text, starts = lines.text, lines.starts
    # NOTE: the first line has no newline before it; ``scan`` starts with one.
    found = [0] if scan.match("\n" + lines.parts[0]) else []
    found += (bisect_left(starts, m.end()) - 1 for m in scan.finditer(text))
    return found


@lru_cache(maxsize=16)
def _line_scan(markup: str, heading: str) -> re.Pattern[str] | None:
    """A regex that finds every line that can be a heading candidate, or None.

    NOTE: worked out from the patterns' parse (``_line_scan_pattern``, ~0.4
    ms a pattern), so remembered with the pack cache, as is its code.
    """
    found = remembered("line-scan", f"{markup}\x00{heading}", 0, _line_scan_pattern)
    return None if found is None else compile_regex(found)


def _line_scan_pattern(patterns: str, flags: int) -> str | None:
    r"""The pattern of ``_line_scan``: ``markup`` and ``heading``, NUL-separated.

    Its matches end on the line's first character past its markup (None:
    unsure of the patterns). A candidate line (``_heading_candidate``) is
    markup (characters of ``markup``'s matches) then a match of ``heading``,
    whose first character is one of a known set. When no character can be
    both, the line starts with its longest run of markup characters then one
    of that set: ``\n[markup]*[first]`` finds every such line in one search
    (in C) over the text, where a memo look-up of every line (a hash of
    every line's text) cost more. Exact: the lines it finds are then judged
    as before; the lines it skips cannot match.
    """
    markup, heading = patterns.split("\x00", 1)
    marks = _chars_of(_parse(markup))
    first = _first_chars(_parse(heading))
    if marks is None or first is None:
        return None
    literals, spaces = marks
    literals = literals - {"\n"}  # NOTE: no line holds one
    if "\n" in first or first & literals or (spaces and any(map(str.isspace, first))):
        return None  # NOTE: a first character could be taken for markup
    # NOTE: one class (an alternation of classes is twice as slow), taken
    # possessively (``*+``: no first character is markup, so there is
    # nothing to give back, and re stops trying sooner: ~20% faster).
    marks_re = _class(literals) + (_BLANKS if spaces else "")
    marks_re = f"[{marks_re}]*+" if marks_re else ""
    return f"\\n{marks_re}[{_class(first)}]"


# Every character ``\s`` matches but the newline, as one class's text
# (tests.test_outline_scan checks it against every code point).
_BLANKS = (
    r"\t\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _class(chars: Iterable[str]) -> str:
    return "".join(sorted(map(re.escape, chars)))


def _parse(pattern: str) -> Any:
    """``pattern`` parsed (None when it is not ``re``'s or has case folding)."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    return parsed.data


def _chars_of(items: Any) -> tuple[frozenset[str], bool] | None:
    r"""Characters any match of ``items`` can hold: (literals, any \s), or None."""
    if items is None:
        return None
    literals: set[str] = set()
    spaces = False
    for op, arg in items:
        if op is _sre.LITERAL:
            literals.add(chr(arg))
        elif op is _sre.AT:
            continue
        elif op is _sre.IN:
            for kind, value in arg:
                if kind is _sre.LITERAL:
                    literals.add(chr(value))
                elif kind is _sre.CATEGORY and value is _sre.CATEGORY_SPACE:
                    spaces = True
                else:
                    return None
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            inner = _chars_of(arg[2])
            if inner is None:
                return None
            literals |= inner[0]
            spaces = spaces or inner[1]
        elif op is _sre.SUBPATTERN and not arg[1]:
            inner = _chars_of(arg[3])
            if inner is None:
                return None
            literals |= inner[0]
            spaces = spaces or inner[1]
        elif op is _sre.BRANCH:
            for branch in arg[1]:
                inner = _chars_of(branch)
                if inner is None:
                    return None
                literals |= inner[0]
                spaces = spaces or inner[1]
        else:
            return None
    return frozenset(literals), spaces


def _first_chars(items: Any) -> frozenset[str] | None:
    """The characters a match of ``items`` (anchored) can start with, or None.

    None also when a match may be empty at its start (no first character).
    """
    if items is None:
        return None
    items = list(items)
    while (
        items
        and items[0][0] is _sre.AT
        and items[0][1]
        in (
            _sre.AT_BEGINNING,
            _sre.AT_BEGINNING_STRING,
        )
    ):
        items = items[1:]
    if not items:
        return None
    op, arg = items[0]
    if op is _sre.LITERAL:
        return frozenset((chr(arg),))
    if op is _sre.IN:
        chars = set()
        for kind, value in arg:
            if kind is not _sre.LITERAL:
                return None
            chars.add(chr(value))
        return frozenset(chars)
    if op is _sre.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            found = _first_chars(branch)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op is _sre.SUBPATTERN and not arg[1]:
        return _first_chars(arg[3])
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
        return _first_chars(arg[2])
    return None
