"""``extract --format table``: each table of each draft drawn as a grid.

For a person checking how the reader understood a draft: the official row
and column labels (the pack's schema, with the header groups above the
column labels), every value read, aligned by display width (a CJK
character takes two columns; ``unicodedata.east_asian_width``), and the
pack's equations that fail, written out, their cells marked ``*``. Cells
that hold no number are marked so that they cannot be taken for one:
``_`` blank, ``-`` not read (the row or its field is not in the draft),
``?`` ambiguous (the row's values could not be placed in columns), ``'增'``
text. A table not found, or found but not read cell by cell
(``Table.skipped``), is one line that says so.

The grid fits the terminal's width (``COLUMNS``, else the terminal, else
120; at least ``MIN_WIDTH``): long row labels are shortened (``...``), and a
table still too wide is drawn a band of columns at a time, the bands being
the form's header groups (table 四: 行政复议, 未经复议直接起诉, 复议后起诉,
five columns each). Only ASCII draws the lines: box-drawing characters are
of ambiguous width and misalign in many CJK terminals.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator

from ..document.grids import (
    AMBIGUOUS,
    BLANK,
    MISSING,
    NUMBER,
    GridCell,
    GridRow,
    TableGrid,
    column_bands,
)

MIN_WIDTH = 60
DEFAULT_WIDTH = 120
#: Row labels are cut to at most this many columns, and never below
#: ``MIN_LABEL`` to make a table fit (a band at a time instead).
MAX_LABEL = 40
MIN_LABEL = 20
SEP = " | "
CUT = "..."
INDENT = "  "
LEGEND = (
    "图例：_ 空白  - 未读到  ? 无法确定所属列  '…' 非数字内容  "
    "* 不成立的勾稽关系所涉单元格"
)
_MARK = {BLANK: "_", MISSING: "-", AMBIGUOUS: "?"}
# Why a row's values could not be placed in columns (``Row.problem``).
_PROBLEMS = {
    "too-many": "数值多于列数，无法确定各值所属列",
    "too-few": "数值少于列数，无法确定各值所属列",
    "unsplittable": "数字连写，无法拆分",
    "unsplit": "数字连写，按表内勾稽关系有多种拆法或无一成立，无法确定",
}
# Why a table was not read cell by cell (``Table.skipped``).
_SKIPPED = {"unaligned": "行与列无法对齐，版式已散乱"}


def terminal_width() -> int:
    """The width to draw in: ``COLUMNS``, the terminal, else ``DEFAULT_WIDTH``."""
    columns = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return max(MIN_WIDTH, columns)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width chars take 2."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in ``...`` when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        size = display_width(char)
        if used + size > width - len(CUT):
            break
        out.append(char)
        used += size
    return "".join(out) + CUT


def pad(text: str, width: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``width`` columns (``<``, ``>``, ``^``)."""
    room = max(0, width - display_width(text))
    if align == ">":
        return " " * room + text
    if align == "^":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


def cell_text(cell: GridCell | None) -> str:
    """What a cell shows: its value, a mark, or its text in quotes."""
    if cell is None:
        return _MARK[MISSING]
    if cell.status == NUMBER:
        return cell.text
    if cell.status in _MARK:
        return _MARK[cell.status]
    return f"'{cell.text}'"


def grid_lines(grid: TableGrid, width: int) -> Iterator[str]:
    """The lines that draw one table (without a trailing blank line)."""
    where = f"（第{grid.line}行）" if grid.line else ""
    if not grid.found:
        yield f"{grid.title}：未找到"
        return
    if grid.skipped:
        why = _SKIPPED.get(grid.skipped, grid.skipped)
        yield f"{grid.title}{where}：未逐格读取（原因：{why}），表中数值未核对"
        return
    yield f"{grid.title}{where}"
    flagged = grid.flagged()
    texts = [
        [
            cell_text(row.cells[c] if row.cells else None)
            + ("*" if (r, c) in flagged else "")
            for c in range(len(grid.columns))
        ]
        for r, row in enumerate(grid.rows)
    ]
    widths = [
        max(
            [display_width(column.label)]
            + [
                display_width(texts[r][c])
                for r, row in enumerate(grid.rows)
                if not row.group
            ]
        )
        for c, column in enumerate(grid.columns)
    ]
    labels = [INDENT * row.depth + row.label for row in grid.rows]
    wanted = min(MAX_LABEL, max((display_width(x) for x in labels), default=0))
    data = sum(w + len(SEP) for w in widths)
    label_width = min(wanted, max(MIN_LABEL, width - data))
    bands = [(0, len(grid.columns))]
    if label_width + data > width:
        bands = column_bands(grid.columns)
    for start, end in bands:
        yield from _band(grid, texts, widths, labels, label_width, start, end)
    for row in grid.rows:
        if row.cells and all(cell.status == AMBIGUOUS for cell in row.cells):
            why = _PROBLEMS.get(row.problem, row.problem)
            yield f"? {row.label or grid.title}（第{row.line}行）：{why}"
    for equation in grid.failing:
        yield f"* {equation.rule} {equation.text}"


def _band(
    grid: TableGrid,
    texts: list[list[str]],
    widths: list[int],
    labels: list[str],
    label_width: int,
    start: int,
    end: int,
) -> Iterator[str]:
    """The header and rows of columns ``start:end``."""
    columns = grid.columns[start:end]
    depth = max(len(c.groups) for c in columns)
    left = pad("", label_width) + SEP if label_width else ""
    for level in range(depth):
        parts: list[str] = []
        index = start
        while index < end:
            prefix = grid.columns[index].groups[: level + 1]
            stop = index + 1
            while stop < end and grid.columns[stop].groups[: level + 1] == prefix:
                stop += 1
            span = sum(widths[index:stop]) + len(SEP) * (stop - index - 1)
            text = prefix[level] if len(prefix) > level else ""
            parts.append(pad(fit(text, span), span, "^"))
            index = stop
        yield (left + SEP.join(parts)).rstrip()
    header = [pad(c.label, widths[start + i], "^") for i, c in enumerate(columns)]
    yield (left + SEP.join(header)).rstrip()
    yield "-" * (len(left) + sum(widths[start:end]) + len(SEP) * (end - start - 1))
    for r, row in enumerate(grid.rows):
        yield _row_line(
            row, texts[r][start:end], widths[start:end], labels[r], label_width
        )


def _row_line(
    row: GridRow, texts: list[str], widths: list[int], label: str, label_width: int
) -> str:
    head = pad(fit(label, label_width), label_width) + SEP if label_width else ""
    if row.group:
        return head.rstrip(" |")
    cells = [pad(text, w, ">") for text, w in zip(texts, widths, strict=True)]
    return head + SEP.join(cells)


def write_grids(
    path: str,
    year: int | None,
    edition: str | None,
    grids: tuple[TableGrid, ...],
    width: int,
) -> Iterator[str]:
    """The lines of one file: a heading, the legend, then each table."""
    yield f"== {path}（报告年度 {year or '未识别'}，格式版本 {edition or '未识别'}）"
    yield LEGEND
    for grid in grids:
        yield ""
        yield from grid_lines(grid, width)
