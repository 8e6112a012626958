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
from html import escape

from markupsafe import Markup

from ..document.grids import (
    MISSING,
    NUMBER,
    GridCell,
    GridEquation,
    TableGrid,
    header_rows,
)

#: A severity's rank for picking the worst of a cell's equations.
_RANK = {"error": 3, "warning": 2, "info": 1}


@dataclass(slots=True)
class HeadCell:
    """A header cell: its text, span and ``scope`` (``col`` or ``colgroup``)."""

    text: str
    colspan: int
    rowspan: int
    scope: str


#: What a cell that holds no number shows, and its hover text, by language.
_SHOWN = {
    "zh": {
        "blank": ("空", "空白单元格"),
        "missing": ("—", "未读到"),
        "ambiguous": ("?", "无法确定所属列"),
        "text": ("", "非数字内容"),
    },
    "en": {
        "blank": ("blank", "blank cell"),
        "missing": ("—", "not read"),
        "ambiguous": ("?", "column unknown"),
        "text": ("", "not a number"),
    },
}


def cell_html(
    cell: GridCell | None,
    lang: str,
    flags: list[int],
    failing: tuple[GridEquation, ...],
) -> str:
    """One ``<td>``: the value (or what the cell holds), escaped.

    A cell of failing equations gets ``fail sev-…``, their 1-based numbers
    in ``data-eq`` and as a superscript (so that a printout says it too),
    and the equations written out as its hover text.

    NOTE: built here, not in the template: a page draws a few hundred cells
    per draft, and a macro per cell would double the time to render it.
    """
    status = cell.status if cell is not None else MISSING
    text = cell.text if cell is not None else ""
    classes = f"v st-{status}"
    title = ""
    if status == NUMBER:
        shown = escape(text)
    else:
        mark, title = _SHOWN[lang].get(status, _SHOWN[lang]["text"])
        shown = escape(mark or f"“{text}”")
    sup = ""
    extra = ""
    if flags:
        severity = _worst(failing, flags)
        classes += f" fail sev-{severity}"
        title = "\n".join(f"{failing[n].rule} {failing[n].text}" for n in flags)
        numbers = [str(n + 1) for n in flags]
        extra = f' data-eq="{" ".join(numbers)}"'
        sup = f'<sup class="eqref">{",".join(numbers)}</sup>'
    if title:
        extra += f' title="{escape(title)}"'
    return f'<td class="{classes}"{extra}>{shown}{sup}</td>'


@dataclass(slots=True)
class RowView:
    """A row: its official label, whether it is a group row, its cells."""

    label: str
    group: bool
    depth: int
    line: int
    #: The row's ``<td>`` cells, escaped (``cell_html``).
    cells: Markup
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


def table_views(
    anchor: str, grids: tuple[TableGrid, ...], lang: str = "zh"
) -> list[TableView]:
    """The views of a draft's tables; ``anchor`` prefixes their ids."""
    return [_view(f"{anchor}-t{i}", grid, lang) for i, grid in enumerate(grids, 1)]


def _view(anchor: str, grid: TableGrid, lang: str) -> TableView:
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
    columns = range(len(grid.columns))
    for r, row in enumerate(grid.rows):
        cells = ""
        plain = row.cells and all(c.status == NUMBER for c in row.cells)
        if plain and not (flagged and any((r, c) in flagged for c in columns)):
            # NOTE: the common row, counts only and in no failing equation.
            cells = "".join(
                [f'<td class="v st-number">{escape(c.text)}</td>' for c in row.cells]
            )
        elif not row.group:
            cells = "".join(
                [
                    cell_html(
                        row.cells[c] if row.cells else None,
                        lang,
                        flagged.get((r, c), []),
                        grid.failing,
                    )
                    for c in columns
                ]
            )
        view.rows.append(
            RowView(
                row.label, row.group, row.depth, row.line, Markup(cells), row.problem
            )
        )
    view.equations = list(grid.failing)
    return view


def _worst(equations: tuple[GridEquation, ...], numbers: list[int]) -> str | None:
    """The highest severity among the equations ``numbers``."""
    severities = [equations[n].severity for n in numbers]
    return max(severities, key=lambda s: _RANK.get(s, 0), default=None)
