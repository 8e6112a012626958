"""Helpers the table kinds share: choosing tables, anchors, name checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..document.text import Span
from ..tables.schema import TableSchema, TableSchemaError
from ..tables.table import Table, table_by_key
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
