"""The draft's lines, and pack regexes matched against them (folded)."""

from __future__ import annotations

import importlib
import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from itertools import count
from typing import TYPE_CHECKING, Any

from ..document.fold import Folded, fold, fold_char_table, fold_text
from ..document.text import Span, line_starts
from ..named_tuples import NamedTuple

if TYPE_CHECKING:
    from ..regex.linear import Regex, RegexMatch


# The regex parser (as regex.guard uses it): to find what a match must hold.
_sre: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")
_TRAILING = re.compile(r"[:：。.,，;；]+$")


class Line(NamedTuple):
    """One line of the document with its offsets.

    NOTE: a named tuple, not a frozen dataclass: one is built per line per
    draft, and a tuple is several times cheaper to create.
    """

    number: int
    start: int
    text: str

    @property
    def end(self) -> int:
        """Offset just past the last character (before the newline)."""
        return self.start + len(self.text)

    @property
    def span(self) -> Span:
        """The line's span without its newline."""
        return Span(self.start, self.end)


def iter_lines(text: str) -> Iterator[Line]:
    """Yield every line with its 1-based number and start offset."""
    return iter(split_lines(text))


def split_lines(text: str) -> list[Line]:
    """Every line with its 1-based number and start offset."""
    return Lines.of_text(text)[:]


class Lines:
    """The lines of a text; a ``Line`` is built only for lines that are read.

    NOTE: a draft with a cell-per-line table has several hundred lines and
    most passes look at a few of them, or only at their text.
    """

    __slots__ = ("parts", "starts", "text")

    def __init__(self, text: str, parts: list[str], starts: list[int]) -> None:
        """``text`` split into ``parts`` starting at ``starts`` (``line_starts``)."""
        self.text = text
        self.parts = parts
        self.starts = starts

    @classmethod
    def of_text(cls, text: str) -> Lines:
        """Split ``text`` at newlines and note where each line starts."""
        parts = text.split("\n")
        return cls(text, parts, line_starts(parts))

    @property
    def length(self) -> int:
        """Length of the text the lines are from."""
        return self.starts[-1] - 1

    def __len__(self) -> int:
        return len(self.parts)

    def __getitem__(self, index: slice) -> list[Line]:
        """Lines ``index`` (a slice) as ``Line`` objects."""
        first, stop, _ = index.indices(len(self.parts))
        new = tuple.__new__
        return [
            new(Line, (n + 1, self.starts[n], self.parts[n]))
            for n in range(first, stop)
        ]

    def raw(self) -> Iterator[tuple[int, int, str]]:
        """``(number, start, text)`` of every line, without building Lines."""
        return zip(count(1), self.starts, self.parts)

    def containing(self, needles: list[str]) -> list[int]:
        """0-based indices of the lines that contain any of ``needles``, in order.

        NOTE: the needles are prefilters that few lines pass, so the text is
        searched (``str.find`` skips to a character in C) from line to line
        that holds one, rather than every line tested.
        """
        text, starts = self.text, self.starts
        found: set[int] = set()
        for needle in needles:
            if "\n" in needle:
                continue  # NOTE: no line holds one
            at = text.find(needle)
            while at != -1:
                index = bisect_right(starts, at) - 1
                found.add(index)
                at = text.find(needle, starts[index + 1])
        return sorted(found)


@lru_cache(maxsize=64)
def _regex(pattern: str) -> Regex:
    from ..regex.guard import pack_regex

    return pack_regex(pattern)


def _search_folded(
    regex: Regex, text: str, base: int
) -> tuple[RegexMatch, Folded] | None:
    """Search the folded ``text``; on a match, also the offsets back.

    NOTE: most lines searched do not match, and mapping offsets back costs
    more than folding, so it is done only for the line that matches; and a
    line without any of the characters a match needs is not even folded.
    """
    needed = _needed_chars(regex.pattern)
    # NOTE: map over ``text.__contains__``: the test stays in C.
    if needed and not any(map(text.__contains__, needed)):
        return None
    match = regex.search(fold_text(text))
    if match is None:
        return None
    return match, fold(text, base)


@lru_cache(maxsize=64)
def _needed_chars(pattern: str) -> frozenset[str]:
    """Characters one of which the text of every match of ``pattern`` holds.

    Only characters that folding neither changes nor produces count, so a
    line can match after folding only if it holds one of them already.
    Empty when no such set is certain (then every line must be folded).
    """
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return frozenset()
    if parsed.state.flags & re.IGNORECASE:
        return frozenset()
    table = fold_char_table()
    changed = set(table) | {t for t in table.values() if t is not None}
    return _needed_in(parsed.data, changed) or frozenset()


def _needed_in(items: Any, changed: set[int]) -> frozenset[str] | None:
    """``_needed_chars`` of parsed items in sequence (None: none certain)."""
    best: frozenset[str] | None = None
    for op, arg in items:
        found: frozenset[str] | None = None
        if op is _sre.LITERAL:
            found = None if arg in changed else frozenset((chr(arg),))
        elif op is _sre.BRANCH:
            union: set[str] = set()
            for branch in arg[1]:
                needed = _needed_in(branch, changed)
                if not needed:
                    break  # NOTE: this branch may match without any
                union |= needed
            else:
                found = frozenset(union)
        elif op is _sre.SUBPATTERN and not arg[1] & re.IGNORECASE:
            found = _needed_in(arg[3], changed)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            found = _needed_in(arg[2], changed)
        if found and (best is None or len(found) < len(best)):
            best = found  # NOTE: fewest characters: the cheapest test
    return best
