"""The tables of a report as ``TableGrid`` records, with their failing equations.

Built only for an output that draws the tables (``extract --format table``,
the HTML report): in the process that read the draft, from its ``Table``s,
so that a worker sends back a few strings per cell instead of the tables.
A failing equation is one of an enabled ``balance`` rule of the pack (the
kind that checks the form's equations) that fails on the table, in one
column or one row, written out with the official labels and the values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..document.fold import fold_text
from ..document.grids import (
    AMBIGUOUS,
    MISSING,
    GridCell,
    GridColumn,
    GridEquation,
    GridRow,
    TableGrid,
)
from ..kinds import KINDS
from ..kinds.balance import Failure, Prepared, failures
from ..tables.compile import compiled_tables
from ..tables.equations import Sum, format_number
from ..tables.schema import TableSchema
from ..tables.table import NUMBER, Row, Table, table_by_key

if TYPE_CHECKING:
    from ..kinds.report import Report
    from ..regex.linear import Regex
    from .lint import RuleFilter

#: Longest rest of a label (after its numbering) that a short name keeps
#: whole: （七）总计 stays, 一、本年新收政府信息公开申请数量 becomes 一.
_SHORT_REST = 4


def table_grids(
    report: Report, rule_filter: RuleFilter | None = None
) -> tuple[TableGrid, ...]:
    """Every table of the report's edition as read, in reading order."""
    numbering = compiled_tables(report.pack).reader.numbering
    failing = _failing(report, rule_filter)
    return tuple(
        _grid(report, table, numbering, failing.get(table.key, []))
        for table in report.tables
    )


def _failing(
    report: Report, rule_filter: RuleFilter | None
) -> dict[str, list[tuple[str, str, Failure]]]:
    """The failing equations of the enabled balance rules, by table key."""
    out: dict[str, list[tuple[str, str, Failure]]] = {}
    for rule in report.pack.rules:
        if rule.kind != "balance":
            continue
        if rule_filter is not None and not rule_filter.enabled(rule):
            continue
        severity = (
            rule_filter.severity_for(rule) if rule_filter else rule.severity
        ).value
        if rule.prepared is None:
            rule.prepared = KINDS[rule.kind].prepare(rule.params)
        prepared: Prepared = rule.prepared
        key = str(rule.params["table"])
        table = table_by_key(report.tables, key)
        if table is None:
            continue
        for failure in failures(table, rule, prepared):
            out.setdefault(key, []).append((rule.id, severity, failure))
    return out


def _grid(
    report: Report,
    table: Table,
    numbering: Regex,
    failing: list[tuple[str, str, Failure]],
) -> TableGrid:
    schema = table.schema
    doc = report.document
    columns = tuple(GridColumn(c.key, c.label, c.groups) for c in schema.columns)
    rows = tuple(
        GridRow(
            key=spec.key,
            label=spec.label or "",
            short=short_label(spec.label or "", numbering),
            group=spec.group,
            depth=1 if spec.parent else 0,
            cells=() if spec.group else _cells(table, table.rows.get(spec.key)),
            problem=_problem(table.rows.get(spec.key)),
            line=_line(report, table.rows.get(spec.key)),
        )
        for spec in schema.rows
    )
    equations = tuple(
        _equation(table, rows, rule, severity, failure)
        for rule, severity, failure in failing
    )
    return TableGrid(
        key=table.key,
        title=schema.title,
        columns=columns,
        rows=rows,
        found=table.found,
        skipped=table.skipped,
        line=0 if table.start is None else doc.position(table.start).line,
        failing=equations,
    )


def _cells(table: Table, row: Row | None) -> tuple[GridCell, ...]:
    """The row's cells in column order (none for a row not read)."""
    if row is None:
        return ()
    if row.plain and not row.uncertain:
        # NOTE: the common row, plain counts: its values are the vector the
        # rules already worked out (no cell needs building).
        values = table.vector(row.spec.key)
        if None not in values:
            return tuple([GridCell(NUMBER, str(v)) for v in values])
    if row.uncertain:
        # NOTE: which column each value belongs to is unknown (as extract
        # says: every cell ambiguous, no value shown as a fact).
        return tuple(GridCell(AMBIGUOUS) for _ in table.schema.columns)
    cells = row.cells
    out: list[GridCell] = []
    for column in table.schema.column_keys:
        cell = cells.get(column)
        if cell is None:
            out.append(GridCell(MISSING))
        elif cell.status == NUMBER:
            out.append(GridCell(NUMBER, format_number(cell.value) + cell.unit))
        else:
            out.append(GridCell(cell.status, cell.raw))
    return tuple(out)


def _problem(row: Row | None) -> str:
    return "" if row is None else row.problem


def _line(report: Report, row: Row | None) -> int:
    if row is None:
        return 0
    return report.document.position(row.anchor.start).line


def short_label(label: str, numbering: Regex) -> str:
    """A row's name in an equation: its numbering (一, （三）) or the label.

    A label whose rest after the numbering is short stays whole (（七）总计);
    a label without numbering stays whole.
    """
    key = (id(numbering), label)
    known = _SHORT.get(key)
    if known is None or known[0] is not numbering:
        if len(_SHORT) >= 4096:
            _SHORT.clear()
        known = _SHORT[key] = (numbering, _short_label(label, numbering))
    return known[1]


# Short labels worked out, by numbering regex (kept alive here) and label.
_SHORT: dict[tuple[int, str], tuple[Regex, str]] = {}


def _short_label(label: str, numbering: Regex) -> str:
    folded = fold_text(label)
    match = numbering.match(folded)
    if match is None or len(folded) != len(label):
        return label
    end = match.end()
    if len(label) - end <= _SHORT_REST:
        return label
    return label[:end].rstrip("、.")


def _equation(
    table: Table,
    rows: tuple[GridRow, ...],
    rule: str,
    severity: str,
    failure: Failure,
) -> GridEquation:
    """The failure written out, and the cells it adds up."""
    schema = table.schema
    row_index = {row.key: i for i, row in enumerate(rows)}
    equation = failure.equation
    cells: list[tuple[int, int]] = []
    if failure.column:
        column = schema.column_index[failure.column]
        context = table.column_name(failure.column)
        by_key = {row.key: row.short for row in rows}

        def name(key: str) -> str:
            return by_key.get(key, key)

        for key in equation.names:
            cells.extend((row_index[k], column) for k in _members(schema, key))
    else:
        row = row_index[failure.row]
        context = rows[row].label or _common_group(schema, equation.names)
        labels = {c.key: c.label for c in schema.columns}

        def name(key: str) -> str:
            return labels.get(key, key)

        cells.extend((row, schema.column_index[key]) for key in equation.names)
    names = f"{_written(equation.left, name)} = {_written(equation.right, name)}"
    values = (
        f"{_written(equation.left, _shown(failure.value))} ≠ "
        f"{_written(equation.right, _shown(failure.value))}"
    )
    text = f"{context}: {names}: {values}" if context else f"{names}: {values}"
    return GridEquation(rule, severity, text, tuple(dict.fromkeys(cells)))


def _members(schema: TableSchema, key: str) -> Iterator[str]:
    """The data rows a row or group name adds up."""
    members = schema.members.get(key)
    if members is None:
        yield key
        return
    for member in members:
        yield from _members(schema, member)


def _common_group(schema: TableSchema, names: tuple[str, ...]) -> str:
    """The header groups all columns ``names`` share (行政复议), or ""."""
    groups = [spec.groups for n in names if (spec := schema.column(n)) is not None]
    if not groups:
        return ""
    shared = groups[0]
    for other in groups[1:]:
        while other[: len(shared)] != shared:
            shared = shared[:-1]
    return "·".join(shared)


def _shown(value: Callable[[str], int | float | None]) -> Callable[[str], str]:
    return lambda name: format_number(value(name))


def _written(side: Sum, show: Callable[[str], str]) -> str:
    """``a + b - 3`` with each name shown by ``show``."""
    parts: list[str] = []
    for i, term in enumerate(side.terms):
        shown = str(term.constant) if term.name is None else show(term.name)
        if i == 0:
            parts.append(shown if term.sign > 0 else f"-{shown}")
        else:
            parts.append(f"{'+' if term.sign > 0 else '-'} {shown}")
    return " ".join(parts)
