"""Characters of a PDF page to lines, and lines of prose to paragraphs.

A PDF has no paragraphs, only glyphs placed on a page. This module, used by
``inputs.pdf``, groups a page's glyphs into the lines a reader sees (top to
bottom, left to right), decides which gaps between glyphs are spaces, finds
the running headers and footers (page numbers such as ``- 3 -``) and joins
prose hard-wrapped at the page width back into one line a paragraph.

It works on plain ``Glyph`` records (no PDF library), so it is tested and
typed on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..named_tuples import NamedTuple

# A gap wider than this share of the font size is a space between two Latin
# letters or digits (word spacing is about a quarter em).
_LATIN_SPACE = 0.2
# Between Chinese characters, or Chinese and Latin, Word and WPS leave a gap
# of a quarter em of their own (auto spacing, distributed alignment); only a
# gap of about half an em is a space a reader sees.
_CJK_SPACE = 0.45
# Glyphs of one line differ in their top by less than this share of the
# font size (superscripts, mixed fonts); the next line is at least a line
# height away.
_SAME_LINE = 0.45
# A prose line that ends within this many ems of the right margin is full:
# the text goes on in the next line.
_FULL_LINE = 1.6
# Lines that end within this many points of each other end at one margin.
_SAME_END = 1.5
# The text block is at least this share of the width between the margins.
_BLOCK_SHARE = 0.6
# A line that starts more than this many ems right of the left margin is
# indented: it starts a paragraph.
_INDENT = 0.8
# The share of the page height where running headers and footers are.
_MARGIN_ZONE = 0.12

# A page number as printed in a header or footer: ``3``, ``- 3 -``,
# ``— 3 —``, ``第 3 页``, ``第3页 共6页``, ``3/6``, ``Page 3``.
_PAGE_NUMBER = re.compile(
    r"[-—–－~～·•\s]*(?:第\s*)?(?:page\s*)?\d{1,4}\s*(?:页)?"
    r"(?:\s*(?:/|of|共)\s*\d{1,4}\s*页?)?[-—–－~～·•\s]*",
    re.IGNORECASE,
)
# The start of a numbered heading or item: ``一、``, ``（一）``, ``1.``, ``1、``,
# ``第一``: such a line starts a paragraph even when not indented.
_NUMBERED = re.compile(
    r"\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十\d]+(?:章|节|部分))"
)


class Glyph(NamedTuple):
    """One character placed on a page (PDF points, top-left origin)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


class Placed(NamedTuple):
    """A glyph with its place as a reader counts it: 1-based line and column."""

    glyph: Glyph
    line: int
    column: int


class TextLine(NamedTuple):
    """One line of text on a page, its glyphs left to right."""

    number: int  # 1-based line on the page
    glyphs: tuple[Placed, ...]

    @property
    def top(self) -> float:
        """Top of the line's highest glyph."""
        return min(p.glyph.top for p in self.glyphs)

    @property
    def bottom(self) -> float:
        """Bottom of the line's lowest glyph."""
        return max(p.glyph.bottom for p in self.glyphs)

    @property
    def x0(self) -> float:
        """Left end of the line."""
        return self.glyphs[0].glyph.x0

    @property
    def x1(self) -> float:
        """Right end of the line."""
        return self.glyphs[-1].glyph.x1

    @property
    def size(self) -> float:
        """The most common font size of the line."""
        return Counter(p.glyph.size for p in self.glyphs).most_common(1)[0][0]

    @property
    def text(self) -> str:
        """The line's characters, without spaces for gaps."""
        return "".join(p.glyph.text for p in self.glyphs)


def place_glyphs(glyphs: Iterable[Glyph]) -> list[TextLine]:
    """Group a page's glyphs into lines, top to bottom, each left to right.

    Whitespace glyphs are dropped (gaps are measured instead); a line is
    counted as a reader counts it: characters at the same height form one
    line, so a table row whose cells wrap spans several lines.
    """
    ordered = sorted((g for g in glyphs if g.text.strip()), key=lambda g: g.top)
    groups: list[list[Glyph]] = []
    line_top = 0.0
    for glyph in ordered:
        if groups and glyph.top - line_top < _SAME_LINE * max(glyph.size, 1.0):
            groups[-1].append(glyph)
        else:
            groups.append([glyph])
            line_top = glyph.top
    lines = []
    for number, group in enumerate(groups, start=1):
        group.sort(key=lambda g: g.x0)
        placed = tuple(
            Placed(g, number, column) for column, g in enumerate(group, start=1)
        )
        lines.append(TextLine(number, placed))
    return lines


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Chinese character or full-width punctuation."""
    code = ord(char[0])
    return code >= 0x2E80 and not 0xFF61 <= code <= 0xFFDC


def needs_space(left: Glyph, right: Glyph) -> bool:
    """Whether the gap between two glyphs of a line is a space."""
    gap = right.x0 - left.x1
    size = max(min(left.size, right.size), 1.0)
    if is_cjk(left.text[-1]) or is_cjk(right.text[0]):
        return gap >= _CJK_SPACE * size
    return gap >= _LATIN_SPACE * size


def join_break(left: str, right: str) -> str:
    """What stands for a line break inside a paragraph or cell: a space or nothing.

    Chinese text wraps anywhere and joins without a space; two Latin words
    (or numbers) wrapped at a space get it back.
    """
    if not left or not right or is_cjk(left[-1]) or is_cjk(right[0]):
        return ""
    if left[-1] in "-/@._" or right[0] in "-/@._,;:)":
        return ""
    return " "


def page_number_line(text: str) -> bool:
    """Whether a line is only a page number (``- 3 -``, ``第 3 页``)."""
    return _PAGE_NUMBER.fullmatch(text) is not None


def numbered(text: str) -> bool:
    """Whether a line starts with a heading or item number (``一、``, ``（二）``)."""
    return _NUMBERED.match(text) is not None


def running_lines(
    pages: Sequence[Sequence[TextLine]], heights: Sequence[float]
) -> set[tuple[int, int]]:
    """(page index, line number) of every running header and footer line.

    A candidate is a line in the top or bottom margin zone of its page
    with no other prose between it and the page edge. It is dropped when
    it is a page number, or when the same text (digits ignored) is in that
    place on at least two pages and half of them.
    """
    candidates: list[tuple[int, TextLine, str]] = []
    for index, lines in enumerate(pages):
        if not lines:
            continue
        zone = heights[index] * _MARGIN_ZONE
        if lines[0].bottom <= zone:
            candidates.append((index, lines[0], "top"))
        if lines[-1].top >= heights[index] - zone:
            candidates.append((index, lines[-1], "bottom"))
    shapes = Counter(
        (edge, re.sub(r"\d+", "#", line.text)) for _, line, edge in candidates
    )
    needed = max(2, (len(pages) + 1) // 2)
    dropped = set()
    for index, line, edge in candidates:
        shape = (edge, re.sub(r"\d+", "#", line.text))
        if page_number_line(line.text) or shapes[shape] >= needed:
            dropped.add((index, line.number))
    return dropped


class Margins(NamedTuple):
    """Left and right ends of the prose on the pages (the text block)."""

    left: float
    right: float


def margins(lines: Iterable[TextLine], width: float) -> Margins:
    """The text block: the most common left end, the right end of full lines.

    The right margin is the rightmost place where at least two lines end
    (within a point and a half: justified Chinese text ends there), not the
    rightmost glyph, which may be in a wide caption; with no such place, or
    one that leaves most of the page empty, the margins are taken as equal
    (``width`` is the page width).
    """
    lefts: Counter[int] = Counter()
    ends: list[float] = []
    for line in lines:
        lefts[round(line.x0)] += 1
        ends.append(line.x1)
    if not lefts:
        return Margins(0.0, width)
    left = float(lefts.most_common(1)[0][0])
    ends.sort()
    right = width - left
    for index in range(len(ends) - 1, 0, -1):
        if ends[index] - ends[index - 1] <= _SAME_END:
            # NOTE: short lines that happen to end together (a list of
            # names) are no margin: the text block spans most of the page.
            if ends[index] - left >= _BLOCK_SHARE * (width - 2 * left):
                right = ends[index]
            break
    return Margins(left, right)


def continues(previous: TextLine, line: TextLine, block: Margins) -> bool:
    """Whether ``line`` goes on with the paragraph that ``previous`` is in.

    The previous line must reach the right margin (it was wrapped, not
    ended) and this line must neither be indented nor start with a
    heading number.
    """
    size = previous.size
    if previous.x1 < block.right - _FULL_LINE * size:
        return False
    if line.x0 > block.left + _INDENT * line.size:
        return False
    if abs(line.size - size) > 0.5:
        return False
    return not numbered(line.text)
