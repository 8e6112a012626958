"""One rendered line of a web page: white space collapsed, pieces kept.

A line is built from segments ``(text, flat index)`` (the text of a node as
found in ``html_source.Flat``, ``-1`` for text the reader adds) and ends as
``(text, pieces)``: each piece ``(offset, flat index)`` says that the line's
characters from ``offset`` on are the flat text's from ``flat index`` on.

White space collapses as a browser collapses it: a run of spaces, tabs and
newlines is one space, none at the start or end of a line, and none at all
for a line break in the source between two Chinese characters (CSS drops it,
as Word wraps such text without one); ``&nbsp;`` is a space that does not
collapse, dropped at the ends of a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A rendered line: its text and its pieces (offset in the line, flat index).
Line = tuple[str, list[tuple[int, int]]]
Segment = tuple[str, int]
_WS = re.compile(r"[ \t\n\r\f]+")


def wide(char: str) -> bool:
    """Whether ``char`` is Chinese (or other CJK) text or punctuation.

    NOTE: CSS drops a line break in the source between two such characters
    instead of rendering a space, and Word wraps such text without one.
    """
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


class _Collapser:
    """One line's words and the white space pending between them."""

    __slots__ = ("last", "length", "parts", "pending", "pieces")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[tuple[int, int]] = []
        self.length = 0
        # Flat index of the white space run waiting to become one space,
        # and whether it holds a line break.
        self.pending: tuple[int, bool] | None = None
        self.last = ""

    def space(self, index: int, newline: bool) -> None:
        """A run of white space at flat ``index``."""
        if self.pending is None:
            self.pending = (index, newline)
        elif newline:
            self.pending = (self.pending[0], True)

    def word(self, word: str, index: int) -> None:
        """Text without white space at flat ``index``."""
        if self.pending is not None and self.parts:
            space_index, newline = self.pending
            if not (newline and wide(self.last) and wide(word[0])):
                self._add(" ", space_index)
        self.pending = None
        self._add(word.replace("\xa0", " "), index)
        self.last = word[-1]

    def _add(self, text: str, index: int) -> None:
        self.pieces.append((self.length, index))
        self.parts.append(text)
        self.length += len(text)


def finish(segments: list[Segment]) -> Line:
    """Collapse the white space of one line's segments as a browser does."""
    out = _Collapser()
    for text, index in segments:
        pos = 0
        for match in _WS.finditer(text):
            if match.start() > pos:
                out.word(text[pos : match.start()], _at(index, pos))
            run = match.group()
            out.space(_at(index, match.start()), "\n" in run or "\r" in run)
            pos = match.end()
        if pos < len(text):
            out.word(text[pos:], _at(index, pos))
    return _strip("".join(out.parts), out.pieces)


def _at(index: int, offset: int) -> int:
    return -1 if index < 0 else index + offset


def _strip(text: str, pieces: list[tuple[int, int]]) -> Line:
    """Drop the spaces (``&nbsp;`` included) at both ends of a line."""
    left = len(text) - len(text.lstrip(" "))
    right = len(text.rstrip(" "))
    if left == 0 and right == len(text):
        return text, pieces
    return text[left:right], _slice(pieces, left, right)


def _slice(
    pieces: list[tuple[int, int]], start: int, end: int
) -> list[tuple[int, int]]:
    """The pieces of ``[start, end)`` of a line, counted from ``start``."""
    out: list[tuple[int, int]] = []
    for i, (offset, index) in enumerate(pieces):
        stop = pieces[i + 1][0] if i + 1 < len(pieces) else end
        if stop <= start or offset >= end:
            continue
        cut = max(0, start - offset)
        out.append((offset + cut - start, _at(index, cut)))
    return out


def join(lines: list[Line], separator: Callable[[str, str], str]) -> Line:
    """Join lines into one with ``separator(left, right)`` (added text) between."""
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    length = 0
    for text, line_pieces in lines:
        if parts:
            sep = separator(parts[-1], text)
            if sep:
                pieces.append((length, -1))
                parts.append(sep)
                length += len(sep)
        pieces.extend((length + offset, index) for offset, index in line_pieces)
        parts.append(text)
        length += len(text)
    return "".join(parts), pieces


def cell_separator(left: str, right: str) -> str:
    """Between two paragraphs of a cell: nothing next to Chinese, else a space."""
    if not left or not right or wide(left[-1]) or wide(right[0]):
        return ""
    return " "


def tab_separator(left: str, right: str) -> str:
    """Between two cells of a row: a tab."""
    return "\t"
