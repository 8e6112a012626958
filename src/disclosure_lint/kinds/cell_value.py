"""Kind ``cell-value``: every cell holds a number of the column's kind.

Params:
    check: one of
        ``blank``     an empty cell (the official tables expect 0). A table
                      or a row left entirely blank is one finding, not one
                      per cell (``scope``: ``table``, ``row`` or ``cell``);
        ``text``      text where a number belongs: ``增``, ``无增减``, ``/``,
                      or the letter ``O`` typed for 0 (``lookalike``);
        ``unit``      a unit written inside the cell (``3件``);
        ``negative``  a value below zero;
        ``decimal``   a value with a fractional part.
    tables: table keys to check (default: every table of the edition).
    types: column types to check: ``count``, ``signed``, ``amount``
        (default: all).

Rows whose cells could not be placed (``table-shape`` reports them) are not
checked cell by cell, nor are rows of counts in plain digits (``Row.plain``),
which are most rows and have nothing to flag. Message arguments: ``table``,
``row``, ``column``, ``text``, ``unit``, ``count``, ``scope``, ``lookalike``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..tables.schema import COLUMN_TYPES
from ..tables.table import BLANK, NUMBER, TEXT, Cell, Row, Table
from .base import Hit, KindSpec, Param
from .report import Report
from .table_support import table_anchor, table_walk

if TYPE_CHECKING:
    from ..packs.model import Rule

CHECKS = ("blank", "text", "unit", "negative", "decimal")
PARAMS = {
    "check": Param("str", required=True, help=", ".join(CHECKS)),
    "tables": Param("list", default=[], help="table keys (default: all)"),
    "types": Param("list", default=[], help="column types (default: all)"),
}


def prepare(params: Mapping[str, Any]) -> tuple[str, frozenset[str]]:
    """Validate ``check`` and ``types``."""
    if params["check"] not in CHECKS:
        raise ValueError(f"check must be one of {', '.join(CHECKS)}")
    types = frozenset(str(t) for t in params["types"]) or frozenset(COLUMN_TYPES)
    unknown = types - set(COLUMN_TYPES)
    if unknown:
        raise ValueError(f"unknown column type '{sorted(unknown)[0]}'")
    return str(params["check"]), types


def check(
    report: Report, rule: Rule, prepared: tuple[str, frozenset[str]]
) -> Iterator[Hit]:
    """Yield a hit per offending cell (blank cells grouped)."""
    which, types = prepared
    wanted = rule.params["tables"]
    # NOTE: only a table with a row neither plain nor uncertain holds a cell
    # any check of this kind (five rules) can flag, or a blank row or table;
    # most tables have none (``table_walk``).
    for table in table_walk(report).candidates["cells"]:
        if wanted and table.key not in wanted:
            continue
        columns = table.schema.columns_of(types)
        if which == "blank":
            yield from _blank(report, table, columns)
            continue
        # NOTE: a plain row holds only counts in digits: nothing to flag.
        for row in table.irregular_rows():
            if row.uncertain:
                continue
            for key in columns:
                cell = row.cells.get(key)
                if cell is not None and _offends(which, cell):
                    yield Hit(cell.span, _args(table, row, cell))


def _offends(which: str, cell: Cell) -> bool:
    if which == "text":
        return cell.status == TEXT
    if cell.status != NUMBER or cell.value is None:
        return False
    if which == "unit":
        return bool(cell.unit)
    if which == "negative":
        return cell.value < 0
    return cell.value != int(cell.value)


def _args(table: Table, row: Row, cell: Cell) -> dict[str, Any]:
    return {
        "table": table.schema.title,
        "row": table.row_label(row.spec.key),
        "column": table.column_name(cell.column),
        "text": cell.raw,
        "unit": cell.unit,
        "lookalike": cell.lookalike,
    }


def _blank(report: Report, table: Table, columns: tuple[str, ...]) -> Iterator[Hit]:
    blank_rows = []
    hits = []
    total = 0
    # NOTE: a plain row has no blank cell, so it is neither a blank row nor
    # the source of a hit; it only rules out a finding for the whole table.
    for row in table.irregular_rows():
        if row.uncertain:
            continue
        cells = [row.cells[k] for k in columns if k in row.cells]
        blanks = [c for c in cells if c.status == BLANK]
        total += len(blanks)
        if blanks and len(blanks) == len(cells):
            blank_rows.append(row)
            hits.append(
                Hit(
                    row.anchor,
                    {
                        "table": table.schema.title,
                        "row": table.row_label(row.spec.key),
                        "count": len(blanks),
                        "scope": "row",
                    },
                )
            )
            continue
        for cell in blanks:
            args = _args(table, row, cell) | {"count": 1, "scope": "cell"}
            # NOTE: a blank cell's span is empty; it sits exactly where the
            # cell is (between its tabs or pipes).
            hits.append(Hit(cell.span, args))
    if blank_rows and len(blank_rows) == sum(
        1 for r in table.rows.values() if not r.uncertain
    ):
        yield Hit(
            table_anchor(report, table),
            {"table": table.schema.title, "count": total, "scope": "table"},
        )
        return
    yield from hits


KIND = KindSpec("cell-value", PARAMS, check, prepare, __doc__ or "")
