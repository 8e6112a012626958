"""The HTML report's table view: each table of a draft as the official grid.

``table_views`` turns a result's ``TableGrid`` records (``result.tables``,
sent by the process that read the draft) into what the template draws: the
header rows with the form's groups (``document.grids.header_rows``), one row
per official row with every value read, each cell's status (a number,
blank, text, not read, ambiguous) and the failing equations it is in; the
equations themselves are listed under the table, written out. A table not
found or not read cell by cell (``skipped``) is one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document.grids import MISSING, GridEquation, TableGrid, header_rows

#: A severity's rank for picking the worst of a cell's equations.
_RANK = {"error": 3, "warning": 2, "info": 1}


@dataclass(slots=True)
class HeadCell:
    """A header cell: its text, span and ``scope`` (``col`` or ``colgroup``)."""

    text: str
    colspan: int
    rowspan: int
    scope: str


@dataclass(slots=True)
class CellView:
    """A data cell: what it shows, its status, the equations it fails in.

    ``equations`` are 1-based numbers in the table's list of failing
    equations (shown beside the value, so that a printout says it too);
    ``note`` is the hover text: those equations written out.
    """

    text: str
    status: str
    equations: list[int] = field(default_factory=list)
    severity: str | None = None
    note: str = ""


@dataclass(slots=True)
class RowView:
    """A row: its official label, whether it is a group row, its cells."""

    label: str
    group: bool
    depth: int
    line: int
    cells: list[CellView]
    problem: str = ""


@dataclass(slots=True)
class TableView:
    """One table as the page draws it."""

    anchor: str
    title: str
    found: bool
    skipped: str
    line: int
    #: The header rows (group rows first, then the labels).
    head: list[list[HeadCell]] = field(default_factory=list)
    #: False for a table whose only row has no label (table 四).
    labelled: bool = True
    #: Data columns.
    width: int = 0
    rows: list[RowView] = field(default_factory=list)
    equations: list[GridEquation] = field(default_factory=list)


def table_views(anchor: str, grids: tuple[TableGrid, ...]) -> list[TableView]:
    """The views of a draft's tables; ``anchor`` prefixes their ids."""
    return [_view(f"{anchor}-t{i}", grid) for i, grid in enumerate(grids, 1)]


def _view(anchor: str, grid: TableGrid) -> TableView:
    view = TableView(anchor, grid.title, grid.found, grid.skipped, grid.line)
    if not grid.found or grid.skipped:
        return view
    view.labelled = any(row.label for row in grid.rows)
    view.width = len(grid.columns)
    view.head = [
        [
            HeadCell(text, colspan, rowspan, "colgroup" if colspan > 1 else "col")
            for text, colspan, rowspan in row
        ]
        for row in header_rows(grid.columns)
    ]
    flagged = grid.flagged()
    for r, row in enumerate(grid.rows):
        cells: list[CellView] = []
        if not row.group:
            for c in range(len(grid.columns)):
                cell = row.cells[c] if row.cells else None
                found = CellView(
                    cell.text if cell else "", cell.status if cell else MISSING
                )
                numbers = flagged.get((r, c), [])
                found.equations = [n + 1 for n in numbers]
                found.severity = _worst(grid.failing, numbers)
                found.note = "\n".join(
                    f"{grid.failing[n].rule} {grid.failing[n].text}" for n in numbers
                )
                cells.append(found)
        view.rows.append(
            RowView(row.label, row.group, row.depth, row.line, cells, row.problem)
        )
    view.equations = list(grid.failing)
    return view


def _worst(equations: tuple[GridEquation, ...], numbers: list[int]) -> str | None:
    """The highest severity among the equations ``numbers``."""
    severities = [equations[n].severity for n in numbers]
    return max(severities, key=lambda s: _RANK.get(s, 0), default=None)
