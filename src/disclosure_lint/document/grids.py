"""The tables of a draft as read, as plain records for views of them.

``extract --format table`` and the HTML report's table view draw each table
of the edition as the official grid with every value the reader found. They
get it as a ``TableGrid`` per table: named tuples of strings and numbers
only, so that a worker process can send them back with the findings (a
``Table`` holds the schema, label hits and spans, too much to pickle for
every draft) and so that formatters, which may not import ``tables/``, can
draw them. ``engine/grids.py`` builds them, only for an output that shows
them.
"""

from __future__ import annotations

from ..named_tuples import NamedTuple

#: Cell statuses, as ``tables/table.py`` names them (repeated here: this
#: package may not import ``tables/``; ``tests/test_grids.py`` checks both).
NUMBER = "number"
BLANK = "blank"
TEXT = "text"
MISSING = "missing"
AMBIGUOUS = "ambiguous"


class GridColumn(NamedTuple):
    """A data column: its official label and the header cells above it."""

    key: str
    label: str
    #: Header cells above the label, outermost first (行政诉讼, 复议后起诉).
    groups: tuple[str, ...] = ()


class GridCell(NamedTuple):
    """One cell as read: its status and what to show (a value, or raw text)."""

    status: str
    text: str = ""


class GridRow(NamedTuple):
    """A row of the official form, read or not.

    ``group`` rows carry no numbers (（三）不予公开); ``depth`` is 1 for a
    member of a group. ``cells`` has one cell per column for a data row that
    was found, else it is empty. ``problem`` is the reader's ``Row.problem``
    (``too-many``, ``too-few``, ``unsplittable``: the cells could not be
    placed, so every one is ``ambiguous``). ``line`` is the 1-based line of
    the rendered text where the row was read (0: not found).
    """

    key: str
    label: str
    short: str
    group: bool = False
    depth: int = 0
    cells: tuple[GridCell, ...] = ()
    problem: str = ""
    line: int = 0


class GridEquation(NamedTuple):
    """An equation of the pack that fails on the draft, written out.

    ``text`` reads as the form does: ``自然人: 一 + 二 = （七）总计 + 四: 217 +
    0 ≠ 210 + 0``; ``cells`` are the (row index, column index) pairs, in
    ``TableGrid.rows`` and ``TableGrid.columns``, whose values it adds up.
    """

    rule: str
    severity: str
    text: str
    cells: tuple[tuple[int, int], ...]


class TableGrid(NamedTuple):
    """One table of the edition as read from a draft.

    ``found`` is False when no label or row of it was seen; ``skipped`` is
    ``Table.skipped``: "" when the table was read cell by cell, else the
    reason key why not (its rows and equations were then not judged).
    """

    key: str
    title: str
    columns: tuple[GridColumn, ...]
    rows: tuple[GridRow, ...]
    found: bool
    skipped: str = ""
    line: int = 0
    failing: tuple[GridEquation, ...] = ()

    def flagged(self) -> dict[tuple[int, int], list[int]]:
        """For each cell some failing equation adds up: their indexes."""
        out: dict[tuple[int, int], list[int]] = {}
        for number, equation in enumerate(self.failing):
            for where in equation.cells:
                out.setdefault(where, []).append(number)
        return out


def header_rows(columns: tuple[GridColumn, ...]) -> list[list[tuple[str, int, int]]]:
    """The header of a grid as rows of ``(text, colspan, rowspan)`` cells.

    The columns' ``groups`` make the upper rows (consecutive columns under
    the same group share one cell); a column's label stretches up over the
    rows where it has no group of its own (自然人 under 申请人情况, beside
    法人或其他组织). Without groups: one row of labels.
    """
    depth = max((len(c.groups) for c in columns), default=0)
    rows: list[list[tuple[str, int, int]]] = [[] for _ in range(depth + 1)]
    for level in range(depth + 1):
        index = 0
        while index < len(columns):
            column = columns[index]
            groups = column.groups
            if level < len(groups):
                span = 1
                prefix = groups[: level + 1]
                while (
                    index + span < len(columns)
                    and columns[index + span].groups[: level + 1] == prefix
                ):
                    span += 1
                rows[level].append((groups[level], span, 1))
                index += span
                continue
            if level == len(groups):
                rows[level].append((column.label, 1, depth + 1 - level))
            index += 1
    return rows


def column_bands(columns: tuple[GridColumn, ...]) -> list[tuple[int, int]]:
    """Runs ``(start, end)`` of columns under the same innermost group.

    Table 四 gives three bands of five (行政复议, 未经复议直接起诉, 复议后起诉),
    the order the official form arranges them in; a table whose columns have
    no groups is one band.
    """
    bands: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(columns) + 1):
        if index == len(columns) or columns[index].groups != columns[start].groups:
            bands.append((start, index))
            start = index
    return bands
