"""Read a PDF report as the rest of the checker reads a draft.

With PDFium (``pypdfium2``: glyphs, rules, images; ``pdf_objects``) and
pdfplumber's table finder, imported only when a PDF is given. The
rendering: text in reading order, page by page, top to bottom; prose
hard-wrapped at the page width joined back into one line a paragraph
(``pdf_layout``); running headers and footers (``- 3 -``) dropped; ruled
tables read as grids, one row a line with its cells separated by tabs, a
table continued over a page break joined into one (``pdf_tables``).

Locations (``PdfLocation``): the 1-based page, the line on that page and the
column in that line, counted as a reader of the page counts them: the lines
of text top to bottom, where characters at the same height are one line
(so a table row whose cells wrap spans several lines, and the cells of a
row that sit at one height share a line), and the characters of that line
left to right (spaces not counted; PDF files rarely have space characters).
Running headers and footers count as lines, as they are seen.

A PDF without a text layer (a scan), an encrypted or a broken PDF, or one
longer than ``MAX_PAGES`` is a one-line ``LoadError``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..document.source import Location, PdfLocation, SourceMap
from ..document.text import Document
from ..named_tuples import NamedTuple
from .errors import LoadError
from .pdf_layout import (
    Placed,
    TextLine,
    continues,
    join_break,
    margins,
    needs_space,
    place_glyphs,
    running_lines,
)
from .pdf_tables import Grid, fill, find_grids, joins
from .pdf_tables import join as join_grids

#: More pages than any annual report has: a longer PDF is refused, not read
#: for minutes.
MAX_PAGES = 300
#: Glyphs on one page past which the page is not a page of a report.
MAX_GLYPHS_PER_PAGE = 20_000
#: Compressed page content may inflate to this much in all (a report's is
#: well under a megabyte a page; 32 MB of drawing operators take PDFium
#: about eight seconds).
MAX_INFLATED = 32 * 1024 * 1024
_OCR = (
    "the PDF has no text layer (a scan?): it needs OCR first "
    "(e.g. ocrmypdf), then check the PDF it writes"
)
_NO_TEXT = (
    "the PDF shows no text: its pages are empty or their content "
    "cannot be decoded (a damaged file?)"
)
_ENCRYPTED = "the PDF is encrypted (it needs a password); save an unprotected copy"


class PdfSourceMap(SourceMap):
    """Rendered offsets to page, line and column (``PdfLocation``).

    An anchor is ``(page, line, column)`` of the first glyph of a run of
    glyphs that follow each other on one line; characters the reader adds
    (spaces for gaps, tabs, newlines) count on from the run before them.
    """

    __slots__ = ()

    def locate_in(
        self, piece_start: int, anchor: Any, start: int, end: int
    ) -> Location | None:
        """The page, line and column where ``[start, end)`` starts."""
        page, line, column = anchor
        return PdfLocation(page, line, column + start - piece_start)


class _Writer:
    """The rendered text and its source map, written glyph by glyph."""

    __slots__ = ("_next", "length", "parts", "source")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.source = PdfSourceMap()
        self._next: tuple[int, int, int, int] | None = None

    def glyph(self, page: int, placed: Placed) -> None:
        """Write one glyph of 0-based ``page``."""
        here = (page + 1, placed.line, placed.column)
        if self._next != (*here, self.length):
            self.source.add(self.length, here)
        text = placed.glyph.text
        self.parts.append(text)
        self.length += len(text)
        self._next = (page + 1, placed.line, placed.column + 1, self.length)

    def extra(self, text: str) -> None:
        """Write characters the reader adds (a space, a tab, a newline)."""
        self.parts.append(text)
        self.length += len(text)

    def run(self, page: int, glyphs: tuple[Placed, ...] | list[Placed]) -> None:
        """Write the glyphs of one line, a space where a gap is one."""
        for index, placed in enumerate(glyphs):
            if index and needs_space(glyphs[index - 1].glyph, placed.glyph):
                self.extra(" ")
            self.glyph(page, placed)

    def text(self) -> str:
        return "".join(self.parts)


class _Prose(NamedTuple):
    page: int
    top: float
    line: TextLine


class _Table(NamedTuple):
    page: int
    top: float
    grid: Grid


def read(path: str, data: bytes) -> Document:
    """Render the PDF ``data`` (read from ``path``) as a ``Document``.

    Raises:
        LoadError: not a readable PDF, encrypted, without a text layer or
            longer than ``MAX_PAGES``.
    """
    from . import pdf_objects

    if pdf_objects.inflated_size(data, MAX_INFLATED) > MAX_INFLATED:
        raise LoadError(
            f"the PDF's compressed content inflates to more than "
            f"{MAX_INFLATED >> 20} MB (a decompression bomb?); not read"
        )
    try:
        pdf = pdf_objects.open_pdf(data)
    except Exception as exc:
        code = pdf_objects.error_code(exc)
        if code in pdf_objects.PASSWORD_ERRORS:
            raise LoadError(_ENCRYPTED) from None
        reason = pdf_objects.LOAD_ERRORS.get(code) or _reason(exc)
        raise LoadError(f"not a readable PDF ({reason})") from None
    try:
        items, seen, width = _read_pages(pdf)
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(f"not a readable PDF ({_reason(exc)})") from None
    finally:
        pdf.close()
    if seen != "text":
        raise LoadError(_OCR if seen == "images" else _NO_TEXT)
    writer = _render(items, width)
    return Document(path, writer.text(), form="pdf", source=writer.source)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_pages(pdf: Any) -> tuple[list[_Prose | _Table], str, float]:
    """Every page's prose lines and tables in reading order; what was seen.

    What was seen: ``text`` (on some page), else ``images`` (a scan), else
    ``nothing``. Then the width of most pages.
    """
    from .pdf_objects import PageObjects

    count = len(pdf)
    if count > MAX_PAGES:
        raise LoadError(
            f"the PDF has {count} pages (more than {MAX_PAGES}); "
            "an annual report is shorter: check the file or split it"
        )
    prose_pages: list[list[TextLine]] = []
    grids: list[list[Grid]] = []
    heights: list[float] = []
    widths: list[float] = []
    seen = "nothing"
    for index in range(count):
        page = pdf[index]
        try:
            objects = PageObjects(page, MAX_GLYPHS_PER_PAGE)
        except OverflowError as exc:
            raise LoadError(
                f"page {index + 1} has {exc.args[0]} characters "
                f"(more than {MAX_GLYPHS_PER_PAGE}); not a page of a report"
            ) from None
        finally:
            page.close()
        lines = place_glyphs(objects.glyphs)
        if lines:
            seen = "text"
        elif seen == "nothing" and objects.images:
            seen = "images"
        taken: set[tuple[int, int]] = set()
        page_grids = []
        for grid, boxes in (
            find_grids(objects.edges, objects.bbox, index) if lines else []
        ):
            taken |= fill(grid, boxes, lines)
            page_grids.append(grid)
        prose = []
        for line in lines:
            rest = tuple(p for p in line.glyphs if (p.line, p.column) not in taken)
            if rest:
                prose.append(TextLine(line.number, rest))
        prose_pages.append(prose)
        grids.append(page_grids)
        heights.append(objects.height)
        widths.append(objects.width)
    dropped = running_lines(prose_pages, heights)
    items: list[_Prose | _Table] = []
    for index, prose in enumerate(prose_pages):
        page_items: list[_Prose | _Table] = [
            _Prose(index, line.top, line)
            for line in prose
            if (index, line.number) not in dropped
        ]
        page_items += [_Table(index, grid.top, grid) for grid in grids[index]]
        page_items.sort(key=lambda item: item.top)
        items += page_items
    width = Counter(round(w) for w in widths).most_common(1)[0][0] if widths else 0
    return items, seen, float(width)


def _render(items: list[_Prose | _Table], width: float) -> _Writer:
    """Write paragraphs and table rows, one a line."""
    writer = _Writer()
    prose = (item.line for item in items if isinstance(item, _Prose))
    block = margins(prose, width)
    previous: _Prose | _Table | None = None
    for item in _joined(items):
        if isinstance(item, _Table):
            if writer.length:
                writer.extra("\n")
            _write_table(writer, item.grid)
        elif (
            isinstance(previous, _Prose)
            and item.page - previous.page <= 1
            and continues(previous.line, item.line, block)
        ):
            writer.extra(join_break(previous.line.text, item.line.text))
            writer.run(item.page, item.line.glyphs)
        else:
            if writer.length:
                writer.extra("\n")
            writer.run(item.page, item.line.glyphs)
        previous = item
    writer.extra("\n")
    return writer


def _joined(items: list[_Prose | _Table]) -> list[_Prose | _Table]:
    """Items with each table continued on the next page joined to its start."""
    out: list[_Prose | _Table] = []
    for item in items:
        last = out[-1] if out else None
        if (
            isinstance(item, _Table)
            and isinstance(last, _Table)
            and joins(last.grid, item.grid)
        ):
            join_grids(last.grid, item.grid)
            continue
        out.append(item)
    return out


def _write_table(writer: _Writer, grid: Grid) -> None:
    """One line a row, cells separated by tabs; empty rows left out."""
    first = True
    for row in grid.rows:
        while row and row[-1] is None:
            row = row[:-1]
        if not any(cell is not None and cell.items for cell in row):
            continue
        if not first:
            writer.extra("\n")
        first = False
        for column, cell in enumerate(row):
            if column:
                writer.extra("\t")
            if cell is not None:
                _write_cell(writer, cell)


def _write_cell(writer: _Writer, cell: Any) -> None:
    """A cell's lines joined into one (Chinese without a space)."""
    last = ""
    for line in cell.lines():
        page = line[0].page
        glyphs = [item.placed for item in line]
        text = "".join(p.glyph.text for p in glyphs)
        if last:
            writer.extra(join_break(last, text))
        writer.run(page, glyphs)
        last = text
