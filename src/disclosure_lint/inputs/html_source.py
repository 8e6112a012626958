"""Where each character of a web page's text stands in its HTML source.

lxml builds the tree but keeps only a line number per element, so the text
of the page is found a second time here, with its offsets: a linear scan of
the source that steps over markup (tags with their quoted attributes,
comments, declarations, the raw text of ``<script>`` and ``<style>``) and
decodes character references, giving ``Flat``: every character of text data
in source order, each with the offset and width of the source characters
that render it (an entity such as ``&nbsp;`` is one rendered character six
source characters wide).

The tree's text nodes are then found in that flat text in document order
(``Aligner``). NOTE: the standard library's ``html.parser`` reports
positions too, but its scanning is quadratic on hostile input (100,000
``<!--`` take minutes on Python 3.11); every step here is a ``find`` that
either moves forward or ends the scan, so the time is linear in the size.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from html import unescape
from typing import Final

# Elements whose content is raw text: no tags and no references inside.
_RAW_TEXT = ("script", "style")
_NAME = re.compile(r"[A-Za-z][^\s/>\x00]*")
_REFERENCE = re.compile(
    r"&(?:#[xX][0-9A-Fa-f]{1,8};?|#[0-9]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)"
)
# A tag ends at the first ``>`` outside a quoted attribute value.
_TAG_STOP = re.compile(r"""[>"']""")
# How far past the expected place a text node is looked for in the flat text.
_WINDOW = 512


class Flat:
    """The page's text data in source order and where each character came from.

    ``text`` is the decoded text data; ``starts``/``sources``/``widths``
    describe pieces: the piece at ``starts[i]`` maps its k-th character to
    source offset ``sources[i] + k`` (width 1) when ``widths[i]`` is 0, or
    every character of it to the reference at ``sources[i]`` of width
    ``widths[i]``.
    """

    __slots__ = ("sources", "starts", "text", "widths")

    def __init__(self, parts: list[str], pieces: list[tuple[int, int, int]]) -> None:
        """Join the scanned ``parts``; ``pieces`` are (flat start, source, width)."""
        self.text: Final = "".join(parts)
        self.starts: Final = [p[0] for p in pieces]
        self.sources: Final = [p[1] for p in pieces]
        self.widths: Final = [p[2] for p in pieces]

    def source_of(self, index: int) -> tuple[int, int]:
        """Source offset and width of the flat character at ``index``."""
        i = bisect_right(self.starts, index) - 1
        if i < 0:
            return 0, 0
        width = self.widths[i]
        if width:
            return self.sources[i], width
        return self.sources[i] + index - self.starts[i], 1

    def runs(self, index: int, length: int) -> list[tuple[int, int, int, int]]:
        """``(offset, source, step, width)`` runs of flat ``[index, index + length)``.

        ``offset`` counts from ``index``; a character ``k`` places after a
        run's offset is at ``source + k * step`` and ``width`` wide.
        """
        out: list[tuple[int, int, int, int]] = []
        end = index + length
        i = max(0, bisect_right(self.starts, index) - 1)
        starts, n = self.starts, len(self.starts)
        while i < n and starts[i] < end:
            at = max(index, starts[i])
            width = self.widths[i]
            if width:
                out.append((at - index, self.sources[i], 0, width))
            else:
                out.append((at - index, self.sources[i] + at - starts[i], 1, 1))
            i += 1
        return out


def scan(src: str) -> Flat:
    """The text data of the HTML source ``src`` with its source offsets."""
    parts: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    length = 0
    pos, size = 0, len(src)
    find = src.find
    # NOTE: the next ``<`` and ``&`` are found again only once passed:
    # looking for an ``&`` a page lacks at every step would be quadratic.
    lt = amp = -1
    while pos < size:
        if lt < pos:
            lt = find("<", pos)
            lt = size if lt == -1 else lt
        if amp < pos:
            amp = find("&", pos)
            amp = size if amp == -1 else amp
        stop = min(lt, amp)
        if stop > pos:
            pieces.append((length, pos, 0))
            parts.append(src[pos:stop])
            length += stop - pos
            pos = stop
            continue
        if src[pos] == "&":
            pos, length = _reference(src, pos, parts, pieces, length)
            continue
        after = _markup_end(src, pos)
        if after is None:
            # NOTE: a ``<`` that opens no markup is text, as in a browser.
            pieces.append((length, pos, 0))
            parts.append("<")
            length += 1
            pos += 1
            continue
        pos, raw_end = after
        if raw_end is not None:
            # Raw text of a script or style: text data, never markup.
            if raw_end > pos:
                pieces.append((length, pos, 0))
                parts.append(src[pos:raw_end])
                length += raw_end - pos
            pos = raw_end
    return Flat(parts, pieces)


def _reference(
    src: str,
    pos: int,
    parts: list[str],
    pieces: list[tuple[int, int, int]],
    length: int,
) -> tuple[int, int]:
    """Decode the character reference at ``pos`` (or a lone ``&``)."""
    match = _REFERENCE.match(src, pos)
    raw = match.group() if match else "&"
    text = unescape(raw) if match else "&"
    if text == raw:
        # NOTE: not a reference (``&foo;``): plain text, one to one.
        pieces.append((length, pos, 0))
    else:
        pieces.append((length, pos, len(raw)))
    parts.append(text)
    return pos + len(raw), length + len(text)


def _markup_end(src: str, pos: int) -> tuple[int, int | None] | None:
    """The end of the markup at ``src[pos] == "<"`` and of raw text after it.

    Returns None when the ``<`` opens no markup; else ``(end, raw_end)``
    where ``raw_end`` is where the raw text of a script or style ends.
    """
    size = len(src)
    nxt = src[pos + 1 : pos + 2]
    if src.startswith("<!--", pos):
        close = src.find("-->", pos + 4)
        return (size if close == -1 else close + 3), None
    if nxt in ("!", "?"):
        close = src.find(">", pos + 2)
        return (size if close == -1 else close + 1), None
    if nxt == "/":
        if not _NAME.match(src, pos + 2):
            return None
        close = src.find(">", pos + 2)
        return (size if close == -1 else close + 1), None
    name = _NAME.match(src, pos + 1)
    if name is None:
        return None
    end = _tag_end(src, name.end())
    tag = name.group().lower()
    if tag in _RAW_TEXT and end < size:
        close = _raw_close(src, end, tag)
        return end, close
    return end, None


def _tag_end(src: str, pos: int) -> int:
    """The offset just past the ``>`` that ends a start tag, skipping quotes."""
    size = len(src)
    while pos < size:
        stop = _TAG_STOP.search(src, pos)
        if stop is None:
            return size
        char = stop.group()
        if char == ">":
            return stop.end()
        close = src.find(char, stop.end())
        if close == -1:
            return size
        pos = close + 1
    return size


def _raw_close(src: str, pos: int, tag: str) -> int:
    """Where the raw text from ``pos`` ends: at ``</tag`` (any case) or the end."""
    lowered_tag = "</" + tag
    at = pos
    while True:
        found = src.find("</", at)
        if found == -1:
            return len(src)
        if src[found : found + len(lowered_tag)].lower() == lowered_tag:
            return found
        at = found + 2


class Aligner:
    """Finds the tree's text nodes, in document order, in the flat text."""

    __slots__ = ("cursor", "flat")

    def __init__(self, flat: Flat) -> None:
        """Start at the beginning of ``flat``."""
        self.flat = flat
        self.cursor = 0

    def find(self, text: str) -> int:
        """Flat index of the text node ``text`` (the next one), or -1.

        NOTE: the node is looked for from just after the previous one,
        within a window: what lies between two nodes in the flat text but
        not in the tree (white space the parser dropped) is short, and a
        node the scan decoded otherwise than the parser is given up on
        (its characters then map to the place where it was expected).
        """
        flat = self.flat.text
        at = flat.find(text, self.cursor, self.cursor + len(text) + _WINDOW)
        if at == -1:
            return -1
        self.cursor = at + len(text)
        return at
