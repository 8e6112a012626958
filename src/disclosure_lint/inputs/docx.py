"""Word documents (.docx): the body rendered as a draft, with a map back.

``read(path, data)`` checks the ZIP archive before anything is decompressed
(a zip bomb is refused in one line), finds the main document part and the
parts it needs and parses them with lxml (``docx_parts``; imported only
when a .docx is given: its parser neither expands entities nor loads DTDs
or network resources), then renders the main document's body (``docx_render``:
what is read, how merged cells and tracked changes read) with Word's
automatic list numbers (``docx_numbering``).

The ``DocxSourceMap`` turns a rendered span into a ``DocxLocation``
(paragraph number, or table, row and grid column, with a short quote) and,
for tools that edit or annotate the document, into the runs it covers
(``run_slices``).
"""

from __future__ import annotations

from typing import Any

from ..document.source import DocxLocation, Location, SourceMap
from ..document.text import Document
from ..named_tuples import NamedTuple
from .errors import LoadError

_QUOTE = 20  # characters of text quoted in a location


class RunSlice(NamedTuple):
    """Characters ``[start, end)`` of the rendered text of one ``w:r``.

    ``run_index`` is the run's position in ``list(body.iter(qn("w:r")))`` of
    the main document's ``w:body`` (every run in document order, including
    runs in ``w:ins``/``w:del``, hyperlinks, tables and text boxes). The
    run's rendered text is ``docx_render.run_text`` (``w:t`` text, one
    character per tab or break…); ``start == end`` means the span has no
    character of any run (text the reader generates, such as a list number):
    the slice then marks the nearest run of the same paragraph or cell, at
    its end if the run comes before the span, at its start if after.
    """

    run_index: int
    start: int
    end: int


class DocxSourceMap(SourceMap):
    """Rendered offsets → paragraphs, table cells and runs of a .docx.

    Anchors are (place index, run index, length): the run's characters are
    the first ``length`` of the piece; what follows them in the piece (cell
    tabs, newlines, spaces joining a cell's paragraphs) the reader made.
    """

    __slots__ = ("places", "text")

    def __init__(
        self,
        text: str,
        places: list[tuple[int | None, int | None, int | None, int | None]],
    ) -> None:
        """A map over ``text``; ``places`` are ``docx_render.Place`` tuples.

        NOTE: plain tuples, so that a map pickles without the reader.
        """
        super().__init__()
        self.text = text
        self.places = places

    def locate_in(
        self, piece_start: int, anchor: Any, start: int, end: int
    ) -> Location | None:
        """The paragraph or cell of the piece, quoting the text at the span."""
        paragraph, table, row, column = self.places[anchor[0]]
        return DocxLocation(paragraph, table, row, column, self._quote(start, end))

    def _quote(self, start: int, end: int) -> str:
        """Up to 20 characters of the text at the span, for Ctrl+F.

        The span's text within its paragraph or cell; for an empty span,
        the paragraph's or cell's text from the span on; for an empty cell,
        its row (cells joined by spaces).
        """
        text = self.text
        stop = _next_break(text, start)
        quote = text[start : min(end, stop)].strip()
        if not quote:
            quote = text[start:stop].strip()
        if not quote:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            quote = text[line_start : len(text) if line_end < 0 else line_end]
        return " ".join(quote.split())[:_QUOTE]

    def run_slices(self, start: int, end: int) -> list[RunSlice]:
        """The runs the rendered span ``[start, end)`` covers (see ``RunSlice``)."""
        pieces = self.pieces(start, end)
        out: list[RunSlice] = []
        for piece_start, (_, run, length) in pieces:
            if run < 0:
                continue
            lo = max(start, piece_start) - piece_start
            hi = min(end, piece_start + length) - piece_start
            if lo < hi or (start == end and 0 <= lo <= length):
                out.append(RunSlice(run, lo, max(lo, hi)))
        if out or not pieces:
            return out
        nearest = self._nearest_run(pieces[0][0], pieces[0][1][0], start)
        return [] if nearest is None else [nearest]

    def _nearest_run(self, piece_start: int, place: int, start: int) -> RunSlice | None:
        """The closest run of the same place, before or after ``start``."""
        index = self._starts.index(piece_start)
        best: tuple[int, RunSlice] | None = None
        for i in range(index, -1, -1):
            anchor = self._anchors[i]
            if anchor[0] != place:
                break
            if anchor[1] >= 0:
                end = self._starts[i] + anchor[2]
                best = (start - end, RunSlice(anchor[1], anchor[2], anchor[2]))
                break
        for i in range(index + 1, len(self._starts)):
            anchor = self._anchors[i]
            if anchor[0] != place:
                break
            if anchor[1] >= 0:
                distance = self._starts[i] - start
                if best is None or distance < best[0]:
                    best = (distance, RunSlice(anchor[1], 0, 0))
                break
        return None if best is None else best[1]


def _next_break(text: str, start: int) -> int:
    """Where the cell or line holding ``start`` ends."""
    tab = text.find("\t", start)
    newline = text.find("\n", start)
    ends = [i for i in (tab, newline) if i >= 0]
    return min(ends) if ends else len(text)


def read(path: str, data: bytes) -> Document:
    """The draft in the Word document ``data`` (read from ``path``).

    Raises:
        LoadError: not a valid .docx, a zip bomb, too many paragraphs, or
            no text at all.
    """
    from .docx_numbering import Numbering
    from .docx_parts import Package, check_archive, open_archive
    from .docx_render import Renderer
    from .docx_styles import StyleLists

    with open_archive(data) as archive:
        check_archive(archive)
        package = Package(archive)
        body = package.document.find(_w("body"))
        styles = StyleLists(package.elements("styles", _w("style")))
        numbering = Numbering(package.part("numbering"), styles)
        rendered = Renderer(body, numbering).render()
        comments = package.part("comments")
    if not rendered.text.strip():
        raise LoadError("the Word document has no text")
    source = DocxSourceMap(rendered.text, rendered.places)
    for offset, anchor in rendered.pieces:
        source.add(offset, anchor)
    source.facts.update(rendered.facts)
    count, first = source.facts["comments"]
    if comments is not None:
        count = max(count, len(comments.findall(_w("comment"))))
    source.facts["comments"] = (count, first)
    return Document(path, rendered.text, form="docx", source=source)


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag
