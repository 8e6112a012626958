"""A web page's article as draft text: one paragraph a line, one table row a line.

The walk goes over the whole tree in document order, so that every text
node is found in the source (``html_source.Aligner``) in turn; only the
chosen elements (the article and its title) are rendered:

- block elements and ``<br>`` end a line; inline elements (``<span>``,
  ``<font>``, ``<a>`` ...) do not, so a word split across runs is one word;
- white space collapses as a browser collapses it (a run of spaces, tabs and
  newlines is one space, none at the start or end of a line; a line break in
  the source between two Chinese characters is no space at all); ``&nbsp;``
  is a space that does not collapse, dropped at the ends of a line;
- a table row is one line, its cells separated by tabs; ``rowspan`` and
  ``colspan`` are expanded into the grid, the cells a span covers left empty
  (as a draft typed with tabs leaves them); the paragraphs of one cell are
  joined into one cell (with no space between Chinese text, as Word wraps
  it).

Each rendered line keeps pieces ``(offset, flat index)``: the characters
from ``offset`` on are the flat text's from ``flat index`` on (``-1``: added
here, such as tabs and the space that joins two paragraphs of a cell).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .html_lines import Line, Segment, cell_separator, finish, join, tab_separator
from .html_source import Aligner

BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "plaintext",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "xmp",
    ]
)
_SECTIONS = frozenset(("thead", "tbody", "tfoot"))
_CELLS = frozenset(("td", "th"))
# Spans beyond these are clamped: a hostile colspan must not make a
# million-cell row (a browser clamps colspan at 1000).
MAX_COLSPAN = 100
MAX_GRID = 200_000
# Rows are padded to the table's width only up to this many columns.
MAX_PADDED = 64
MAX_DEPTH = 400


class Renderer:
    """Walks a parsed page in document order and renders the chosen parts."""

    def __init__(
        self,
        aligner: Aligner,
        roots: list[Any],
        skip: Callable[[Any], bool],
        layout: Callable[[Any], bool],
    ) -> None:
        """Render the subtrees ``roots`` (in document order), minus ``skip``ped ones.

        A table for which ``layout`` is true lays out the page rather than
        holding data: its cells are read as blocks, not as a row.
        """
        self.aligner = aligner
        self.roots = roots
        self.skip = skip
        self.layout = layout
        self.lines: list[Line] = []
        self.segments: list[Segment] = []

    def run(self, root: Any) -> list[Line]:
        """Walk the tree at ``root``; return the rendered lines."""
        self._visit(root, False, 0)
        self.break_line()
        return _tidy(self.lines)

    def break_line(self) -> None:
        """End the current line (an empty line is dropped)."""
        if self.segments:
            line = finish(self.segments)
            self.segments = []
            if line[0]:
                self.lines.append(line)

    def _text(self, text: str | None, render: bool) -> None:
        if not text:
            return
        index = self.aligner.find(text)
        if render:
            self.segments.append((text, index))

    def _visit(self, el: Any, render: bool, depth: int) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            # A comment or processing instruction: only its tail is text.
            return
        if depth > MAX_DEPTH:
            return
        if not render and any(el is root for root in self.roots):
            self.break_line()
            self._visit_content(el, True, depth)
            self.break_line()
            return
        if render and self.skip(el):
            render = False
        self._visit_content(el, render, depth)

    def _visit_content(self, el: Any, render: bool, depth: int) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if render and tag == "table" and not self.layout(el):
            self._table(el, depth)
            return
        block = render and tag in BLOCK
        if block:
            self.break_line()
        if render and tag == "br":
            self.break_line()
        self._text(el.text, render)
        for child in el:
            self._visit(child, render, depth + 1)
            self._text(child.tail, render)
        if block:
            self.break_line()

    def _table(self, table: Any, depth: int) -> None:
        """Render a table: one line a row, spans expanded into the grid."""
        self.break_line()
        rows: list[list[tuple[Line, int, int]]] = []
        self._text(table.text, True)
        for child in table:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag in _SECTIONS and not self.skip(child):
                self._text(child.text, True)
                for row in child:
                    self._table_child(row, rows, depth + 2)
                    self._text(row.tail, True)
            else:
                self._table_child(child, rows, depth + 1)
            self._text(child.tail, True)
        self.break_line()
        table_lines = grid_lines(rows)
        if table_lines:
            # NOTE: a blank line ends the table, as in a typed draft: two
            # tables in a row are two tables, not one.
            self.lines.extend(table_lines)
            self.lines.append(("", []))

    def _table_child(
        self, child: Any, rows: list[list[tuple[Line, int, int]]], depth: int
    ) -> None:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag != "tr" or self.skip(child):
            # A caption, or stray content of a broken table: its own lines.
            self._visit(child, True, depth)
            return
        cells: list[tuple[Line, int, int]] = []
        self._text(child.text, True)
        for cell in child:
            ctag = cell.tag.lower() if isinstance(cell.tag, str) else ""
            if ctag in _CELLS and not self.skip(cell):
                cells.append(
                    (
                        self._cell(cell, depth + 1),
                        _span(cell, "colspan"),
                        _span(cell, "rowspan"),
                    )
                )
            else:
                self._visit(cell, True, depth + 1)
            self._text(cell.tail, True)
        rows.append(cells)

    def _cell(self, cell: Any, depth: int) -> Line:
        """The text of one cell: its paragraphs (and nested tables) joined."""
        self.break_line()
        outer_lines, outer_segments = self.lines, self.segments
        self.lines, self.segments = [], []
        self._visit_content(cell, True, depth)
        self.break_line()
        lines = [
            (text.replace("\t", " "), pieces) for text, pieces in self.lines if text
        ]
        self.lines, self.segments = outer_lines, outer_segments
        return join(lines, cell_separator)


def _tidy(lines: list[Line]) -> list[Line]:
    """No blank line at the start or end, nor two in a row."""
    out: list[Line] = []
    for line in lines:
        if line[0] or (out and out[-1][0]):
            out.append(line)
    while out and not out[-1][0]:
        out.pop()
    return out


def _span(cell: Any, name: str) -> int:
    """``colspan``/``rowspan`` as a browser reads it (0 only for rowspan)."""
    raw = (cell.get(name) or "").strip()
    digits = ""
    for char in raw:
        if not char.isdigit() or not char.isascii():
            break
        digits += char
    if not digits:
        return 1
    value = int(digits[:6])
    if name == "colspan":
        return min(max(value, 1), MAX_COLSPAN)
    return value


def grid_lines(rows: list[list[tuple[Line, int, int]]]) -> list[Line]:
    """The rows of a table on the grid, the places a span covers empty."""
    taken: set[tuple[int, int]] = set()
    ends: dict[int, int] = {}  # row -> one past its last column taken
    placed: list[list[tuple[int, Line]]] = []
    count = len(rows)
    for r, cells in enumerate(rows):
        row: list[tuple[int, Line]] = []
        c = 0
        for line, colspan, rowspan in cells:
            while (r, c) in taken:
                c += 1
            down = count - r if rowspan == 0 else min(rowspan, count - r)
            if len(taken) + colspan * down > MAX_GRID:
                colspan, down = 1, 1
            for rr in range(r, r + down):
                for cc in range(c, c + colspan):
                    taken.add((rr, cc))
                ends[rr] = max(ends.get(rr, 0), c + colspan)
            row.append((c, line))
            c += colspan
        placed.append(row)
    width = max(ends.values(), default=0)
    if width > MAX_PADDED:
        width = 0  # NOTE: no real table is this wide; rows are not padded
    out: list[Line] = []
    for row in placed:
        if not row:
            # NOTE: a ``<tr>`` with no cell of its own (all spanned from
            # above, or none at all) is no row a reader sees; a row of empty
            # cells is: its cells are empty values.
            continue
        cells_at = dict(row)
        last = max(width, row[-1][0] + 1)
        out.append(
            join([cells_at.get(c, ("", [])) for c in range(last)], tab_separator)
        )
    return out
