"""Helpers the table kinds share: choosing tables, anchors, name checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..document.text import Span
from ..tables.schema import TableSchema, TableSchemaError
from ..tables.table import Row, Table, table_by_key
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule


def tables_of(
    report: Report, keys: Iterable[str], skipped: bool = False
) -> list[Table]:
    """The report's tables named in ``keys`` (all when ``keys`` is empty).

    A table that cannot be read cell by cell (``Table.skipped``) is left out
    unless ``skipped``: it gets one finding (TB012), none per row or cell.
    """
    wanted = list(keys)
    return [
        t
        for t in report.tables
        if (not wanted or t.key in wanted) and (skipped or not t.skipped)
    ]


def table_or_error(report: Report, key: str, rule: Rule) -> Table | None:
    """Table ``key``; None when the pack has no tables at all.

    Raises:
        TableSchemaError: the pack has tables but none named ``key``.
    """
    if not report.tables:
        return None
    table = table_by_key(report.tables, key)
    if table is None:
        raise TableSchemaError(
            f"pack {report.pack.name}: rule {rule.id} names unknown table '{key}'"
        )
    return table


def visible(span: Span, fallback: Span) -> Span:
    """``span`` unless it is empty (a blank cell), else ``fallback``."""
    return span if span.end > span.start else fallback


def table_anchor(report: Report, table: Table) -> Span:
    """Where a finding about a whole table points: its first label or cell."""
    if table.labels:
        return table.labels[0].span
    for row in table.rows.values():
        return row.anchor
    return section_anchor(report, table.schema.section)


def section_anchor(report: Report, key: str) -> Span:
    """The heading of section ``key``, else the title, else the first line."""
    section = report.outline.section(key)
    if section is not None:
        return section.span
    if report.outline.title is not None:
        return report.outline.title.span
    return report.document.index.line_span(1)


def check_names(
    schema: TableSchema, names: Iterable[str], kind: str, rule: Rule
) -> None:
    """Fail loudly when a rule names rows or columns its table does not have.

    Raises:
        TableSchemaError: naming the rule, the table and the unknown name.
    """
    known = schema.column if kind == "column" else schema.row
    for name in names:
        if known(name) is None:
            raise TableSchemaError(
                f"rule {rule.id}: table '{schema.key}' has no {kind} '{name}'"
            )


class TableWalk:
    """What the table kinds need of a draft, from one walk of its tables.

    NOTE: some twenty rules of the table kinds run on every draft (eleven
    ``table-shape`` checks, five ``cell-value`` ones, ``near-miss`` on
    labels), each over every table; most tables break none of them. One
    walk per draft picks out, for each check, the tables that can break it
    (a superset: the check itself still decides), in the report's order, so
    each rule looks at those alone. ``candidates`` by ``table-shape`` check
    name, and ``cells`` (a row neither plain nor uncertain: all a
    ``cell-value`` check can flag), ``fuzzy`` (a fuzzy label: ``near-miss``).
    Plain loops: on Python 3.11 they beat ``map(attrgetter(...))`` here.
    """

    __slots__ = ("candidates", "skipped", "split")

    def __init__(self, tables: list[Table]) -> None:
        self.candidates: dict[str, list[Table]] = {name: [] for name in _NAMES}
        self.skipped: list[Table] = []
        # Rows split by the equations, over every table (skipped too), in order.
        self.split: list[tuple[Table, Row]] = []
        for table in tables:
            rows = table.rows
            problems = {row.problem for row in rows.values()}
            if "split" in problems:
                self.split += [
                    (table, row)
                    for row in rows.values()
                    if row.problem == "split" and row.problem_span
                ]
            if table.skipped:
                self.skipped.append(table)
            elif not table.found:
                self.candidates["table-missing"].append(table)
            else:
                self._found(table, problems)

    def _found(self, table: Table, problems: set[str]) -> None:
        """Note the checks a found table that is not skipped may break."""
        candidates = self.candidates
        schema = table.schema
        rows = table.rows
        for spec in schema.data_rows:
            if spec.key not in rows:
                candidates["row-missing"].append(table)
                break
        columns = table.columns
        if not table.header_unread and (
            not any(columns.values()) or not all(map(columns.get, schema.column_keys))
        ):
            candidates["column-missing"].append(table)
        if len(problems) > 1 or "" not in problems:
            for name, kinds in _ROW_CHECKS:
                if not problems.isdisjoint(kinds):
                    candidates[name].append(table)
        if self.split and self.split[0][0] is table:
            candidates["split"].append(table)
        if table.group_values:
            candidates["group-values"].append(table)
        loose = fuzzy = caption = False
        for hit in table.labels:
            quality = hit.quality
            if quality == "loose":
                loose = True
            elif quality == "fuzzy":
                fuzzy = True
            if hit.kind == "caption" and hit.text != hit.official:
                caption = True
        if loose:
            candidates["numbering"].append(table)
        if fuzzy:
            candidates["fuzzy"].append(table)
        if caption:
            candidates["caption-blank"].append(table)
        for row in table.irregular_rows():
            if not row.uncertain:
                candidates["cells"].append(table)
                break


# The checks of rows, by the row problems they report.
_ROW_CHECKS = (
    ("value-count", frozenset({"too-many", "too-few"})),
    ("run-together", frozenset({"run-together", "unsplittable"})),
    ("unsplit", frozenset({"unsplit"})),
)


# The ``table-shape`` checks (its ``check`` param); here, not in table_shape,
# because the walk below keeps candidates for each (table_shape imports this).
SHAPE_CHECKS = (
    "table-missing",
    "row-missing",
    "column-missing",
    "value-count",
    "run-together",
    "split",
    "unsplit",
    "group-values",
    "numbering",
    "caption-blank",
    "skipped",
)
# What ``TableWalk.candidates`` holds: the table-shape checks by name, and
# ``cells`` (cell-value) and ``fuzzy`` (near-miss).
_NAMES = (*SHAPE_CHECKS, "cells", "fuzzy")


def table_walk(report: Report) -> TableWalk:
    """The draft's ``TableWalk``, made by the first rule that needs it."""
    walk: TableWalk | None = report.shared.get(TableWalk)
    if walk is None:
        walk = report.shared[TableWalk] = TableWalk(report.tables)
    return walk
