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
_RAW_TEXT = ("script", "style", "xmp", "iframe", "noembed", "noframes")
# Elements whose content is text with references but no tags.
_RCDATA = ("title", "textarea")
_NAME = re.compile(r"[A-Za-z][^\s/>\x00]*")
_REFERENCE = re.compile(
    r"&(?:#[xX][0-9A-Fa-f]{1,8};?|#[0-9]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)"
)
# A tag ends at the first ``>`` outside a quoted attribute value.
_TAG_STOP = re.compile(r""">|=[ \t\n\f]*["']""")
# A whole start tag in one match, the common case (possessive: no
# backtracking); anything else (an unclosed quote, a quote inside a name)
# goes the slow way, ``_tag_end``.
_START_TAG = re.compile(
    r"""<([A-Za-z][^\s/>\x00]*+)"""
    r"""(?:[^>"'=]++|=[ \t\n\f]*+"[^"]*+"|=[ \t\n\f]*+'[^']*+'|=)*+>"""
)
# Where markup or a reference may start (anything else is text, skipped in C).
_TOKEN = re.compile(r"<[A-Za-z!?/]|&[#A-Za-z]")
# A report's page has some thousands of tags and references.
MAX_TOKENS = 1_000_000
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


class TooMuchMarkup(Exception):
    """The page has more tags and references than ``MAX_TOKENS``."""


class _Scan:
    """The flat text being built: parts, pieces and their running length."""

    __slots__ = ("length", "parts", "pieces", "src")

    def __init__(self, src: str) -> None:
        self.src = src
        self.parts: list[str] = []
        self.pieces: list[tuple[int, int, int]] = []
        self.length = 0

    def data(self, start: int, stop: int) -> None:
        """Source ``[start, stop)`` is text as it stands."""
        if stop <= start:
            return
        pieces = self.pieces
        if pieces:
            flat_start, source, width = pieces[-1]
            # NOTE: text right after text (a ``<`` that opens no markup,
            # an ``&`` that is no reference) extends the piece before.
            if not width and source + self.length - flat_start == start:
                self.parts.append(self.src[start:stop])
                self.length += stop - start
                return
        pieces.append((self.length, start, 0))
        self.parts.append(self.src[start:stop])
        self.length += stop - start

    def reference(self, start: int, raw: str, text: str) -> None:
        """The reference ``raw`` at ``start`` renders ``text``."""
        self.pieces.append((self.length, start, len(raw)))
        self.parts.append(text)
        self.length += len(text)


def scan(src: str) -> Flat:
    """The text data of the HTML source ``src`` with its source offsets.

    Raises:
        TooMuchMarkup: over ``MAX_TOKENS`` tags and references.
    """
    out = _Scan(src)
    pos, size = 0, len(src)
    tokens = 0
    while pos < size:
        found = _TOKEN.search(src, pos)
        stop = size if found is None else found.start()
        out.data(pos, stop)
        pos = stop
        if found is None:
            break
        tokens += 1
        if tokens > MAX_TOKENS:
            raise TooMuchMarkup
        if src[pos] == "&":
            pos = _reference(src, pos, out)
            continue
        after = _markup_end(src, pos)
        if after is None:
            # NOTE: a ``<`` that opens no markup is text, as in a browser.
            out.data(pos, pos + 1)
            pos += 1
            continue
        pos, raw = after
        if raw is not None:
            # The content of a script, style, title ...: text, never markup.
            pos = _raw_text(src, pos, raw, out)
    return Flat(out.parts, out.pieces)


def _raw_text(src: str, pos: int, raw: tuple[int, bool], out: _Scan) -> int:
    """Scan raw text up to ``raw[0]``, decoding references if ``raw[1]``."""
    end, references = raw
    while references and pos < end:
        amp = src.find("&", pos, end)
        if amp == -1:
            break
        out.data(pos, amp)
        pos = min(_reference(src, amp, out), end)
    out.data(pos, end)
    return end


def _reference(src: str, pos: int, out: _Scan) -> int:
    """Decode the character reference at ``pos``; the offset after it."""
    match = _REFERENCE.match(src, pos)
    if match is None:
        out.data(pos, pos + 1)
        return pos + 1
    raw = match.group()
    text = unescape(raw)
    if text == raw:
        # NOTE: not a reference (``&foo;``): plain text, one to one.
        out.data(pos, pos + len(raw))
    else:
        out.reference(pos, raw, text)
    return pos + len(raw)


def _markup_end(src: str, pos: int) -> tuple[int, tuple[int, bool] | None] | None:
    """The end of the markup at ``src[pos] == "<"`` (HTML5 tokenization).

    Returns None when the ``<`` opens no markup; else ``(end, raw)`` where
    ``raw`` is, after the start tag of an element whose content is not
    markup (``<script>``, ``<style>``, ``<title>`` ...), where that content
    ends and whether references in it are decoded.
    """
    size = len(src)
    nxt = src[pos + 1 : pos + 2]
    if nxt == "/" and pos + 2 == size:
        return None  # NOTE: ``</`` at the very end is text
    if src.startswith("<!--", pos):
        for empty in ("<!-->", "<!--->"):
            if src.startswith(empty, pos):
                return pos + len(empty), None
        close = src.find("-->", pos + 4)
        return (size if close == -1 else close + 3), None
    if nxt in ("!", "?") or (nxt == "/" and not _NAME.match(src, pos + 2)):
        # A declaration, a processing instruction, ``</>`` or ``</ x>``: a
        # (bogus) comment up to the next ``>``.
        close = src.find(">", pos + 2)
        return (size if close == -1 else close + 1), None
    if nxt == "/":
        close = src.find(">", pos + 2)
        return (size if close == -1 else close + 1), None
    whole = _START_TAG.match(src, pos)
    if whole is not None:
        end, tag = whole.end(), whole.group(1).lower()
    else:
        name = _NAME.match(src, pos + 1)
        if name is None:
            return None
        end, tag = _tag_end(src, name.end()), name.group().lower()
    if end >= size:
        return end, None
    if tag == "plaintext":
        return end, (size, False)
    if tag in _RAW_TEXT or tag in _RCDATA:
        return end, (_raw_close(src, end, tag), tag in _RCDATA)
    return end, None


def _tag_end(src: str, pos: int) -> int:
    """The offset just past the ``>`` that ends a start tag.

    NOTE: a quote opens a quoted value only right after ``=``; elsewhere it
    is part of a name or an unquoted value, as HTML5 tokenizes it.
    """
    size = len(src)
    while pos < size:
        stop = _TAG_STOP.search(src, pos)
        if stop is None:
            return size
        if stop.group() == ">":
            return stop.end()
        quote = stop.group()[-1]
        close = src.find(quote, stop.end())
        if close == -1:
            return size
        pos = close + 1
    return size


def _raw_close(src: str, pos: int, tag: str) -> int:
    """Where raw text from ``pos`` ends: at ``</tag`` then a space, ``/`` or ``>``."""
    end_tag = "</" + tag
    at = pos
    while True:
        found = src.find("</", at)
        if found == -1:
            return len(src)
        after = found + len(end_tag)
        if src[found:after].lower() == end_tag and src[after : after + 1] in (
            "",
            " ",
            "\t",
            "\n",
            "\f",
            "/",
            ">",
        ):
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
