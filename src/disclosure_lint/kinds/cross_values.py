"""The table values the sums of the cross-check rules name, once per draft.

A sum names cells as ``table.row.column`` (a group row sums its rows); its
value is unknown (None) when a table could not be read cell by cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..named_tuples import NamedTuple
from ..tables.equations import Sum
from ..tables.schema import TableSchemaError
from ..tables.table import Table
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule

# A sum's names, each as (name, table key, row, column).
Cells = tuple[tuple[str, str, str, str], ...]
# Sums, each with its text (the key of its value for a draft) and its cells.
Totals = tuple[tuple[str, Sum, Cells], ...]


def cells_of(total: Sum) -> Cells:
    """The names of ``total`` split once (each checked to be table.row.column)."""
    out = []
    for name in total.names:
        table_key, row, column = name.split(".")
        out.append((name, table_key, row, column))
    return tuple(out)


class Value(NamedTuple):
    """A sum's table value (None: unknown) and the tables it was read from."""

    actual: int | float | None
    tables: dict[str, Table]


class _Known(dict[str, Value]):
    """The table values of sums worked out so far for a draft (``Report.shared``).

    NOTE: the rules name the same sums (申请 new total in CS010, CS017 and
    CS018...); a value depends only on the draft's tables, read once.
    """

    __slots__ = ("by_key",)

    def __init__(self, tables: list[Table]) -> None:
        """No values yet; the first table of each key."""
        super().__init__()
        self.by_key: dict[str, Table] = {}
        for table in tables:
            self.by_key.setdefault(table.key, table)


def table_values(report: Report, rule: Rule, totals: Totals) -> list[Value]:
    """The table values of ``totals`` (each remembered for the draft)."""
    known = report.shared.get(_Known)
    if known is None:
        known = report.shared[_Known] = _Known(report.tables)
    found: list[Value] = []
    for text, total, cells in totals:
        value = known.get(text)
        if value is None:
            value = _known_value(total, cells, known.by_key)
            if value is None:
                # NOTE: a bad name raises here for each rule naming it, as
                # before (and only where ``table_value`` finds it).
                value = table_value(rule, total, report.tables)
            known[text] = value
        found.append(value)
    return found


def _known_value(total: Sum, cells: Cells, by_key: dict[str, Table]) -> Value | None:
    """``table_value`` when every name is a cell of the draft's tables, else None.

    NOTE: the same tables and values, with the names split once per pack
    and the tables found by key; a name that is not found is left to
    ``table_value``, which says so (or not, as before).
    """
    tables: dict[str, Table] = {}
    values: dict[str, int | float | None] = {}
    skipped = False
    for name, table_key, row, column in cells:
        table = by_key.get(table_key)
        if table is None:
            return None
        tables[table_key] = table
        schema = table.schema
        if schema.row(row) is None or schema.column(column) is None:
            return None
        if table.skipped:
            skipped = True
            values[name] = None
        else:
            values[name] = table.vector(row, False)[schema.column_index[column]]
    found = None if skipped else total.evaluate(values.__getitem__)
    return Value(found, tables)


def table_value(rule: Rule, total: Sum, all_tables: list[Table]) -> Value:
    """The value of ``total`` in the draft's tables (the first of each key).

    Unknown (None) when a table could not be read cell by cell.

    Raises:
        TableSchemaError: a name is not a table, row or column of the pack.
    """
    tables: dict[str, Table] = {}
    for name in total.names:
        table_key = name.split(".", 1)[0]
        table = next((t for t in all_tables if t.key == table_key), None)
        if table is None:
            raise TableSchemaError(
                f"rule {rule.id}: unknown table '{table_key}' in '{name}'"
            )
        tables[table_key] = table

    def value(name: str) -> int | float | None:
        table_key, row, column = name.split(".")
        table = tables[table_key]
        if table.schema.row(row) is None or table.schema.column(column) is None:
            raise TableSchemaError(f"rule {rule.id}: unknown cell '{name}'")
        if table.skipped:
            return None  # NOTE: not read cell by cell (TB012): not compared
        return table.total(row, column, blank_is_zero=False)

    found = total.evaluate(value)
    if any(table.skipped for table in tables.values()):
        found = None  # NOTE: its cells are not known; say nothing.
    return Value(found, tables)
