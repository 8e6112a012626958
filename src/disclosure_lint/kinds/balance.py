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

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..equations import Equation, Sum, Term, close, format_number, parse_equation
from ..packs import Rule
from ..report import Report
from ..table_schema import TableSchema
from ..tables import Table, Value, Vector
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
    """Parsed equations; the tables whose names they were checked against."""

    equations: tuple[Equation, ...]
    for_each: str
    report_at: str
    # Schemas (by id, with the schema itself so an id is never reused) whose
    # rows or columns every name of the equations was found among.
    checked: dict[int, TableSchema] = field(default_factory=dict, compare=False)


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
    _check_names(table.schema, rule, prepared)
    for equation in prepared.equations:
        at = prepared.report_at or equation.left.names[0]
        if prepared.for_each == "column":
            yield from _by_column(table, equation, at)
        else:
            yield from _by_row(table, equation, at)


def _check_names(schema: TableSchema, rule: Rule, prepared: Prepared) -> None:
    """Fail loudly on a name the table lacks (once per schema: packs are fixed)."""
    if prepared.checked.get(id(schema)) is schema:
        return
    kind = "row" if prepared.for_each == "column" else "column"
    for equation in prepared.equations:
        check_names(schema, equation.names, kind, rule)
    prepared.checked[id(schema)] = schema


def _by_column(table: Table, equation: Equation, at: str) -> Iterator[Hit]:
    columns = table.schema.column_keys
    left = _side(table, equation.left)
    right = _side(table, equation.right)
    failures = []
    checked = 0
    for index, (lhs, rhs) in enumerate(zip(left, right, strict=True)):
        if lhs is None or rhs is None:
            continue
        checked += 1
        if not close(lhs, rhs):
            failures.append((columns[index], lhs, rhs, _in_column(table, index)))
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


def _side(table: Table, side: Sum) -> list[Value]:
    """``side.evaluate`` in every column at once, over the rows' vectors.

    The terms are added in the same order, one column at a time, so every
    value (a float's rounding included) is what ``evaluate`` gives.
    """
    sums: list[Value] = [0] * len(table.schema.column_keys)
    for term in side.terms:
        sign = term.sign
        if term.name is None:
            step = sign * term.constant
            sums = [None if total is None else total + step for total in sums]
            continue
        values = table.vector(term.name)
        sums = [
            None if total is None or value is None else total + sign * value
            for total, value in zip(sums, values, strict=True)
        ]
    return sums


def _in_column(table: Table, index: int) -> Callable[[str], Value]:
    """The value of a row or group in the column at ``index`` (for messages)."""
    return lambda name: table.vector(name)[index]


def _by_row(table: Table, equation: Equation, at: str) -> Iterator[Hit]:
    index = table.schema.column_index
    left = [_position(term, index) for term in equation.left.terms]
    right = [_position(term, index) for term in equation.right.terms]
    for spec in table.schema.data_rows:
        row = table.rows.get(spec.key)
        if row is None:
            continue
        values = table.vector(spec.key)
        lhs = _at_row(left, values)
        rhs = _at_row(right, values)
        if lhs is None or rhs is None or close(lhs, rhs):
            continue
        cell = row.cells.get(at)
        span = visible(cell.span, row.anchor) if cell else row.anchor
        value = dict(zip(table.schema.column_keys, values, strict=True)).__getitem__
        args = _args(table, equation, spec.key, at, (at, lhs, rhs, value), "")
        yield Hit(span, args)


def _position(term: Term, index: Mapping[str, int]) -> tuple[int, int, int]:
    """A term as (sign, column position or -1 for a constant, constant)."""
    position = -1 if term.name is None else index.get(term.name, -1)
    return term.sign, position, term.constant


def _at_row(terms: list[tuple[int, int, int]], values: Vector) -> Value:
    """``Sum.evaluate`` over one row's vector (column positions, -1: constant)."""
    total: int | float = 0
    for sign, index, constant in terms:
        if index < 0:
            total += sign * constant
            continue
        value = values[index]
        if value is None:
            return None
        total += sign * value
    return total


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
