"""Kind ``balance``: equations over named rows and columns (勾稽关系).

Each equation is ``sum == sum`` over names (see ``equations.py``; no eval).
With ``for_each: column`` the names are row or group keys (a group is the
sum of its rows) and the equation is checked in every column; with
``for_each: row`` the names are column keys, checked in every data row.
Blank cells count as 0; a row that could not be read with confidence, or a
cell with text, leaves the equation unchecked (other rules report those).

The finding points at the cell of ``report_at`` (default: the first name on
the left) in the column or row that fails. When a column-wise equation fails
in every column, one finding points at the ``report_at`` row's label.

Params:
    table: table key.
    equations: list of equations.
    for_each: ``column`` or ``row``.
    report_at: name whose cell a finding points at.

Message arguments: ``table``, ``row`` (official label), ``column`` (name),
``lhs`` and ``rhs`` (values), ``lhs_text`` and ``rhs_text`` (the terms with
their values), ``equation``, ``whole`` (true when every column fails) and
``detail`` (``自然人 6≠5，…`` for ``whole``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..equations import Equation, close, format_number, parse_equation
from ..packs import Rule
from ..report import Report
from ..tables import Table
from .base import Hit, KindSpec, Param
from .table_support import check_names, table_or_error, visible

PARAMS = {
    "table": Param("str", required=True, help="table key"),
    "equations": Param("list", required=True, help="equations over row/column keys"),
    "for_each": Param("str", required=True, help="column or row"),
    "report_at": Param("str", default="", help="name whose cell is reported"),
}


@dataclass(frozen=True, slots=True)
class Prepared:
    """Parsed equations."""

    equations: tuple[Equation, ...]
    for_each: str
    report_at: str


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Parse every equation once."""
    if params["for_each"] not in ("column", "row"):
        raise ValueError("for_each must be 'column' or 'row'")
    equations = tuple(parse_equation(str(e)) for e in params["equations"])
    if not equations:
        raise ValueError("equations is empty")
    report_at = str(params["report_at"] or "")
    for equation in equations:
        if report_at and report_at not in equation.names:
            raise ValueError(f"report_at '{report_at}' is not in '{equation.source}'")
    return Prepared(equations, str(params["for_each"]), report_at)


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Check every equation in every column (or row) of the table."""
    table = table_or_error(report, str(rule.params["table"]), rule)
    if table is None or not table.found:
        return
    names_kind = "row" if prepared.for_each == "column" else "column"
    for equation in prepared.equations:
        check_names(table, equation.names, names_kind, rule)
        at = prepared.report_at or equation.left.names[0]
        if prepared.for_each == "column":
            yield from _by_column(table, equation, at)
        else:
            yield from _by_row(table, equation, at)


def _by_column(table: Table, equation: Equation, at: str) -> Iterator[Hit]:
    failures = []
    checked = 0
    for column in table.schema.columns:
        value = table.totals(column.key).__getitem__
        lhs = equation.left.evaluate(value)
        rhs = equation.right.evaluate(value)
        if lhs is None or rhs is None:
            continue
        checked += 1
        if not close(lhs, rhs):
            failures.append((column.key, lhs, rhs, value))
    row = table.rows.get(at)
    label_span = row.anchor if row is not None else None
    if checked >= 2 and len(failures) == checked and label_span is not None:
        detail = "，".join(
            f"{table.column_name(c)} {format_number(a)}≠{format_number(b)}"
            for c, a, b, _ in failures
        )
        yield Hit(label_span, _args(table, equation, at, "", failures[0], detail))
        return
    for failure in failures:
        cell = table.cell(at, failure[0])
        fallback = label_span or (cell.span if cell else None)
        if fallback is None:
            continue
        span = visible(cell.span, fallback) if cell else fallback
        yield Hit(span, _args(table, equation, at, failure[0], failure, ""))


def _by_row(table: Table, equation: Equation, at: str) -> Iterator[Hit]:
    for spec in table.schema.data_rows:
        row = table.rows.get(spec.key)
        if row is None:
            continue
        value = table.row_totals(spec.key).__getitem__
        lhs = equation.left.evaluate(value)
        rhs = equation.right.evaluate(value)
        if lhs is None or rhs is None or close(lhs, rhs):
            continue
        cell = row.cells.get(at)
        span = visible(cell.span, row.anchor) if cell else row.anchor
        args = _args(table, equation, spec.key, at, (at, lhs, rhs, value), "")
        yield Hit(span, args)


def _args(
    table: Table,
    equation: Equation,
    row: str,
    column: str,
    failure: tuple[str, int | float, int | float, Any],
    detail: str,
) -> dict[str, Any]:
    _, lhs, rhs, value = failure
    return {
        "table": table.schema.title,
        "row": table.row_label(row) if table.schema.row(row) else "",
        "column": table.column_name(column) if column else "",
        "lhs": format_number(lhs),
        "rhs": format_number(rhs),
        "lhs_text": equation.left.text(value),
        "rhs_text": equation.right.text(value),
        "equation": equation.source,
        "whole": bool(detail),
        "detail": detail,
    }


KIND = KindSpec("balance", PARAMS, check, prepare, __doc__ or "")
