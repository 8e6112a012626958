"""Ruled tables of a PDF as grids, joined over page breaks.

pdfplumber's table finder builds a table's cells from its ruling lines
(the ``lines`` strategy; the rules come from ``pdf_objects``). This module
fills each cell with the page's glyphs that lie in it, joins a table
continued over a page break into one, and moves the rest of a merged
cell's text that the page break cut (``（四）无`` at the bottom of one
page, ``法提供`` at the top of the next) back into the cell.

Cells hold placed glyphs (``pdf_layout.Placed``) with their page, so every
character of a cell keeps its place on the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..named_tuples import NamedTuple
from .pdf_layout import Glyph, Placed, TextLine, join_break, needs_space, numbered

# Two parts of a table on consecutive pages are one table when they have
# the same number of columns and widths within this share.
_SAME_WIDTH = 0.1
# Edges shorter than this (points) are the ends of a rule, not rules.
_SHORT = 4.0
_NUMBER = re.compile(r"[\d.,，%\s\-—–]+")
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


class Item(NamedTuple):
    """A glyph in a cell, with the 0-based page it is on."""

    page: int
    placed: Placed


class Cell:
    """The glyphs of one table cell (several pages after a join)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Item] | None = None) -> None:
        """A cell holding ``items`` in reading order."""
        self.items: list[Item] = items or []

    def lines(self) -> list[list[Item]]:
        """The cell's glyphs by line (page, line on the page)."""
        out: list[list[Item]] = []
        key: tuple[int, int] | None = None
        for item in self.items:
            here = (item.page, item.placed.line)
            if here != key:
                out.append([])
                key = here
            out[-1].append(item)
        return out

    @property
    def text(self) -> str:
        """The cell's text as rendered (lines joined, gaps as spaces)."""
        parts: list[str] = []
        for line in self.lines():
            text = line_text([i.placed.glyph for i in line])
            if parts:
                parts.append(join_break(parts[-1], text))
            parts.append(text)
        return "".join(parts)


def line_text(glyphs: Sequence[Glyph]) -> str:
    """Glyphs of one line as text, a space where a gap is one."""
    out: list[str] = []
    for index, glyph in enumerate(glyphs):
        if index and needs_space(glyphs[index - 1], glyph):
            out.append(" ")
        out.append(glyph.text)
    return "".join(out)


class Grid:
    """A table read from ruling lines: rows of cells, ``None`` where merged."""

    __slots__ = ("page", "rows", "top", "width")

    def __init__(
        self, page: int, top: float, width: float, rows: list[list[Cell | None]]
    ) -> None:
        """A grid on 0-based ``page`` whose top edge is at ``top``."""
        self.page = page
        self.top = top
        self.width = width
        self.rows = rows

    @property
    def columns(self) -> int:
        """Number of grid columns."""
        return max((len(row) for row in self.rows), default=0)

    def last_page(self) -> int:
        """The last page the table is on (after joins)."""
        pages = [i.page for row in self.rows for c in row if c for i in c.items]
        return max(pages, default=self.page)


class _Edges:
    """What pdfplumber's table finder reads of a page: its edges and box."""

    __slots__ = ("bbox", "edges")

    def __init__(self, edges: list[dict[str, Any]], bbox: tuple[float, ...]) -> None:
        self.edges = edges
        self.bbox = bbox


def find_grids(
    edges: list[dict[str, Any]], bbox: tuple[float, ...], index: int
) -> list[tuple[Grid, list[list[Any]]]]:
    """The ruled tables of a page (its rule ``edges``) with their cell boxes.

    pdfplumber's table finder (``lines`` strategy) builds the cells from
    the edges. A "table" of one column is a framed paragraph, not a table.
    """
    from pdfplumber.table import TableFinder

    if not edges:
        return []
    settings = {**_TABLE_SETTINGS, "explicit_horizontal_lines": _open_ends(edges)}
    found = []
    for table in TableFinder(_Edges(edges, bbox), settings).tables:  # type: ignore[arg-type]
        boxes = [list(row.cells) for row in table.rows]
        columns = max((len(row) for row in boxes), default=0)
        if columns < 2:
            continue
        x0, top, x1, _bottom = table.bbox
        grid = Grid(index, top, x1 - x0, [[] for _ in boxes])
        found.append((grid, boxes))
    return found


def _open_ends(all_edges: list[dict[str, Any]]) -> list[float]:
    """Where a table cut by a page break lacks its closing rule.

    A browser (and some word processors) leaves the last row of a table
    that goes on on the next page open at the bottom (or the first row
    open at the top): the vertical rules end with no horizontal rule
    there, and the cells would not close. A rule is added at such an end.
    """
    # NOTE: a rule drawn as a thin rectangle has two tiny edges across it.
    edges = [e for e in all_edges if max(e["width"], e["height"]) > _SHORT]
    verticals = [e for e in edges if e["orientation"] == "v"]
    across = [e["top"] for e in edges if e["orientation"] == "h"]
    if not verticals:
        return []
    ends = (
        max(e["bottom"] for e in verticals),
        min(e["top"] for e in verticals),
    )
    return [y for y in ends if not any(abs(y - h) <= 1.0 for h in across)]


def fill(
    grid: Grid, boxes: list[list[Any]], lines: Sequence[TextLine]
) -> set[tuple[int, int]]:
    """Put each glyph in the cell it lies in; the (line, column) of those taken."""
    cells: list[tuple[tuple[float, ...], Cell]] = []
    for row, row_boxes in zip(grid.rows, boxes, strict=True):
        for box in row_boxes:
            if box is None:
                row.append(None)
                continue
            cell = Cell()
            row.append(cell)
            cells.append((tuple(box), cell))
    taken: set[tuple[int, int]] = set()
    for line in lines:
        for placed in line.glyphs:
            glyph = placed.glyph
            x = (glyph.x0 + glyph.x1) / 2
            y = (glyph.top + glyph.bottom) / 2
            for (x0, top, x1, bottom), cell in cells:
                if x0 <= x <= x1 and top <= y <= bottom:
                    cell.items.append(Item(grid.page, placed))
                    taken.add((placed.line, placed.column))
                    break
    return taken


def joins(first: Grid, second: Grid) -> bool:
    """Whether ``second`` goes on with ``first`` over a page break."""
    if second.page != first.last_page() + 1 or first.columns != second.columns:
        return False
    wider = max(first.width, second.width, 1.0)
    return abs(first.width - second.width) <= _SAME_WIDTH * wider


def join(first: Grid, second: Grid) -> None:
    """Append ``second``'s rows to ``first``, mending cells the break cut.

    A cell of the first row of ``second`` whose text does not start a new
    label (no ``1.``, ``（五）``) and is not a number goes on with the cell
    above it (the one that covers the last row of ``first``), when that
    cell holds text: a merged group label or a long label the page break
    cut. When every text of that row goes on so, the two rows are one.
    But when that row has such text under an empty cell, it is a row of
    its own (a header row after a caption row): nothing goes on.
    """
    _drop_repeated_header(first, second)
    if not second.rows:
        return
    head = second.rows[0]
    going_on: list[tuple[Cell, Cell]] = []
    texts = 0
    for column, cell in enumerate(head):
        if cell is None or not cell.items:
            continue
        texts += 1
        text = cell.text
        if numbered(text) or _NUMBER.fullmatch(text):
            continue
        above = _covering(first, column)
        if above is None or not above.items:
            going_on = []
            break  # new text under an empty cell: a row of its own
        if not _NUMBER.fullmatch(above.text):
            going_on.append((above, cell))
    for above, cell in going_on:
        above.items.extend(cell.items)
        cell.items = []
    rows = second.rows
    if going_on and len(going_on) == texts:
        rows = rows[1:]
    first.rows.extend(rows)


def _row_texts(row: list[Cell | None]) -> list[str]:
    return [cell.text if cell is not None else "" for cell in row]


def _drop_repeated_header(first: Grid, second: Grid) -> None:
    """Leave out the header rows a table repeats at the top of a new page.

    NOTE: Word's "repeat as header row" and a web page's ``<thead>`` print
    the table's first rows again on every page; read twice, they would be
    a second header in the middle of the table.
    """
    count = 0
    limit = min(len(first.rows), len(second.rows) - 1)
    while count < limit and _row_texts(first.rows[count]) == _row_texts(
        second.rows[count]
    ):
        count += 1
    if count and any(_row_texts(first.rows[0])):
        del second.rows[:count]


def _covering(grid: Grid, column: int) -> Cell | None:
    """The cell of ``column`` that covers the last row (merged from above)."""
    for row in reversed(grid.rows):
        if column < len(row) and row[column] is not None:
            return row[column]
    return None


def join_pages(grids: list[Grid]) -> list[Grid]:
    """Grids with each table continued over a page break joined into one."""
    out: list[Grid] = []
    for grid in grids:
        if out and joins(out[-1], grid):
            join(out[-1], grid)
        else:
            out.append(grid)
    return out
