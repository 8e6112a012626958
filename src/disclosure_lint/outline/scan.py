"""Which lines can be headings: one search over the text (``_line_scan``).

``sections`` judges every line that looks like a heading; this module
finds, from the pack's markup and heading patterns, the only lines that
can, so the others are never looked at.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

from ..regex.cached import compile_regex
from ..regex.guard import remembered
from ..regex.matches import first_chars, match_chars
from .lines import Lines


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
    marks = match_chars(markup)
    first = first_chars(heading)
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
