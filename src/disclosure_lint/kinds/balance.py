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

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial, reduce
from operator import add, itemgetter
from typing import TYPE_CHECKING, Any

from ..named_tuples import NamedTuple
from ..records import dataclass, field
from ..tables.equations import Equation, Sum, Term, close, format_number, parse_equation
from ..tables.schema import TableSchema
from ..tables.table import Table, Value, Vector
from .base import Hit, KindSpec, Param
from .report import Report
from .table_support import check_names, table_or_error, visible

if TYPE_CHECKING:
    from ..packs.model import Rule

PARAMS = {
    "table": Param("str", required=True, help="table key"),
    "equations": Param("list", required=True, help="equations over row/column keys"),
    "for_each": Param("str", required=True, help="column or row"),
    "report_at": Param("str", default="", help="name whose cell is reported"),
}


# One side of an equation over one row: the row's vector in, the side's value
# out (None when a value it needs is missing).
RowSum = Callable[[Vector], Value]


@dataclass(frozen=True, slots=True)
class Prepared:
    """Parsed equations; what they became for each table they were checked on."""

    equations: tuple[Equation, ...]
    for_each: str
    report_at: str
    # Per equation and side: its names when every term is ``+ name`` (the
    # common case, added up a column at a time by ``Table.sum_vector``).
    plus: tuple[tuple[tuple[str, ...] | None, tuple[str, ...] | None], ...]
    # By schema id (with the schema itself, so an id is never reused): the
    # schema whose rows or columns every name was found among, and for
    # ``for_each: row`` each equation's sides over a row's vector.
    compiled: dict[int, tuple[TableSchema, tuple[tuple[RowSum, RowSum], ...]]] = field(
        default_factory=dict, compare=False
    )


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
    plus = tuple((_plus(e.left), _plus(e.right)) for e in equations)
    return Prepared(equations, str(params["for_each"]), report_at, plus)


def _plus(side: Sum) -> tuple[str, ...] | None:
    """The names of ``side`` when each of its terms is ``+ name``, else None."""
    if all(term.sign == 1 and term.name is not None for term in side.terms):
        return side.names
    return None


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Check every equation in every column (or row) of the table."""
    table = table_or_error(report, str(rule.params["table"]), rule)
    if table is None or not table.found or table.skipped:
        return  # NOTE: a skipped table's equations are not checked (TB012)
    row_sums = _compiled(table.schema, rule, prepared)
    for i, equation in enumerate(prepared.equations):
        at = prepared.report_at or equation.left.names[0]
        if prepared.for_each == "column":
            yield from _by_column(table, equation, prepared.plus[i], at)
        else:
            yield from _by_row(table, equation, row_sums[i], at)


def _compiled(
    schema: TableSchema, rule: Rule, prepared: Prepared
) -> tuple[tuple[RowSum, RowSum], ...]:
    """Check the names against ``schema`` and compile the row-wise sides.

    NOTE: once per schema, as packs are fixed: a name the table lacks fails
    loudly the first time; afterwards every name is known to be there.
    """
    known = prepared.compiled.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    kind = "row" if prepared.for_each == "column" else "column"
    for equation in prepared.equations:
        check_names(schema, equation.names, kind, rule)
    sums: tuple[tuple[RowSum, RowSum], ...] = ()
    if prepared.for_each == "row":
        index = schema.column_index
        sums = tuple(
            (_row_sum(e.left, index), _row_sum(e.right, index))
            for e in prepared.equations
        )
    prepared.compiled[id(schema)] = (schema, sums)
    return sums


def _by_column(
    table: Table,
    equation: Equation,
    plus: tuple[tuple[str, ...] | None, tuple[str, ...] | None],
    at: str,
) -> Iterator[Hit]:
    left = _side(table, equation.left, plus[0])
    right = _side(table, equation.right, plus[1])
    if left == right:
        # NOTE: the common case, compared in C: every column agrees (values
        # are fresh sums, never one NaN object on both sides), so no failure.
        return
    columns = table.schema.column_keys
    failures = []
    checked = 0
    for index, (lhs, rhs) in enumerate(zip(left, right, strict=True)):
        if lhs is None or rhs is None:
            continue
        checked += 1
        if lhs != rhs and not close(lhs, rhs):  # NOTE: equal needs no call
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


def _side(table: Table, side: Sum, plus: tuple[str, ...] | None) -> Sequence[Value]:
    """``side.evaluate`` in every column at once, over the rows' vectors.

    The terms are added in the same order, one column at a time, so every
    value (a float's rounding included) is what ``evaluate`` gives.
    ``plus``: the names when every term is ``+ name`` (see ``_plus``).
    """
    if plus is not None:
        # NOTE: the common case, added up in C by the table.
        return table.sum_vector(plus)
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
    return tuple(sums)


def _in_column(table: Table, index: int) -> Callable[[str], Value]:
    """The value of a row or group in the column at ``index`` (for messages)."""
    return lambda name: table.vector(name)[index]


def _by_row(
    table: Table, equation: Equation, sides: tuple[RowSum, RowSum], at: str
) -> Iterator[Hit]:
    left, right = sides
    rows, vector = table.rows, table.vector
    for spec in table.schema.data_rows:
        row = rows.get(spec.key)
        if row is None:
            continue
        values = vector(spec.key)
        lhs = left(values)
        if lhs is None:
            continue
        rhs = right(values)
        if rhs is None or lhs == rhs or close(lhs, rhs):
            continue
        cell = row.cells.get(at)
        span = visible(cell.span, row.anchor) if cell else row.anchor
        value = dict(zip(table.schema.column_keys, values, strict=True)).__getitem__
        args = _args(table, equation, spec.key, at, (at, lhs, rhs, value), "")
        yield Hit(span, args)


def _row_sum(side: Sum, index: Mapping[str, int]) -> RowSum:
    """``side.evaluate`` over a row's vector, by the columns' positions."""
    terms = [_position(term, index) for term in side.terms]
    if _plus(side) is None:
        return partial(_at_row, terms)
    positions = [position for _, position, _ in terms]
    if len(positions) == 1:
        # NOTE: 0 + value is the value (and -0.0 reads as 0 in messages).
        return itemgetter(positions[0])
    return partial(_add_up, itemgetter(*positions))


def _add_up(pick: Callable[[Vector], tuple[Value, ...]], values: Vector) -> Value:
    """The values ``pick`` takes from a row added up from 0 (None if one is)."""
    picked = pick(values)
    if None in picked:
        return None
    # NOTE: reduce, not sum: the same order and rounding as ``_at_row``.
    total: int | float = reduce(add, picked, 0)
    return total


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


class Failure(NamedTuple):
    """One equation failing in one column (``row`` "") or one row (``column`` "")."""

    equation: Equation
    row: str
    column: str
    lhs: int | float
    rhs: int | float
    #: The value of a name of the equation there (a row or group, a column).
    value: Callable[[str], Value]


def failures(table: Table, rule: Rule, prepared: Prepared) -> Iterator[Failure]:
    """Every equation of ``rule`` that fails on ``table``, column or row.

    The same comparisons as ``check`` (which reports them, once per table
    when a column-wise equation fails in every column), for views that draw
    the cells of each failing equation. Nothing for a table not found or
    skipped (``Table.skipped``): its equations are not checked.
    """
    if not table.found or table.skipped:
        return
    row_sums = _compiled(table.schema, rule, prepared)
    columns = table.schema.column_keys
    for i, equation in enumerate(prepared.equations):
        if prepared.for_each == "column":
            left = _side(table, equation.left, prepared.plus[i][0])
            right = _side(table, equation.right, prepared.plus[i][1])
            for index, (lhs, rhs) in enumerate(zip(left, right, strict=True)):
                if lhs is None or rhs is None or lhs == rhs or close(lhs, rhs):
                    continue
                yield Failure(
                    equation, "", columns[index], lhs, rhs, _in_column(table, index)
                )
            continue
        sum_left, sum_right = row_sums[i]
        for spec in table.schema.data_rows:
            if spec.key not in table.rows:
                continue
            values = table.vector(spec.key)
            lhs, rhs = sum_left(values), sum_right(values)
            if lhs is None or rhs is None or lhs == rhs or close(lhs, rhs):
                continue
            value = dict(zip(columns, values, strict=True)).__getitem__
            yield Failure(equation, spec.key, "", lhs, rhs, value)


KIND = KindSpec("balance", PARAMS, check, prepare, __doc__ or "")
