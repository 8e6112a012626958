"""Kind ``table-shape``: tables, rows and columns present; rows readable.

Params:
    check: one of
        ``table-missing``   a table of the edition is not in the draft
                            (reported at its section heading);
        ``row-missing``     a data row of a table that is there is absent
                            (reported at the next row found);
        ``column-missing``  a column header is absent (reported at the next
                            column header found);
        ``value-count``     a row has more or fewer values than columns
                            (``problem``: ``too-many`` or ``too-few``);
        ``run-together``    a row's digits are written without separators
                            (``problem``: ``run-together`` when each digit is
                            one cell, ``unsplittable`` when that is unclear);
        ``split``           digits run together in a crawled draft, split
                            by the table's equations (``values``: the
                            numbers, ``、``-separated; ``tables.split``);
        ``unsplit``         such digits that no cut, or several, fit
                            (``splits``: how many fit; ``why``: ``none``,
                            ``several`` or ``many``, too many to try);
        ``group-values``    numbers written on a group row (``（三）不予公开``),
                            which carries none.
    tables: table keys to check (default: every table of the edition).

Message arguments: ``table`` (title), ``row`` (official row label),
``column``, ``found``, ``expected``, ``problem``, ``text``; for
``value-count``, ``found`` counts the row's cells, ``filled`` those with a
value and ``empty`` the empty ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..tables.table import Table
from .base import Hit, KindSpec, Param
from .report import Report
from .table_support import section_anchor, table_anchor, tables_of

if TYPE_CHECKING:
    from ..packs.model import Rule

CHECKS = (
    "table-missing",
    "row-missing",
    "column-missing",
    "value-count",
    "run-together",
    "split",
    "unsplit",
    "group-values",
)
PARAMS = {
    "check": Param("str", required=True, help=", ".join(CHECKS)),
    "tables": Param("list", default=[], help="table keys (default: all)"),
}


def prepare(params: Mapping[str, Any]) -> str:
    """Validate ``check``."""
    if params["check"] not in CHECKS:
        raise ValueError(f"check must be one of {', '.join(CHECKS)}")
    return str(params["check"])


def check(report: Report, rule: Rule, which: str) -> Iterator[Hit]:
    """Dispatch to the named check for every selected table."""
    for table in tables_of(report, rule.params["tables"]):
        if which == "table-missing":
            if not table.found:
                span = section_anchor(report, table.schema.section)
                yield Hit(span, {"table": table.schema.title})
        elif table.found:
            yield from _CHECKS[which](report, table)


def _rows_missing(report: Report, table: Table) -> Iterator[Hit]:
    specs = table.schema.data_rows
    for i, spec in enumerate(specs):
        if spec.key in table.rows:
            continue
        later = [table.rows[s.key] for s in specs[i + 1 :] if s.key in table.rows]
        earlier = [table.rows[s.key] for s in specs[:i] if s.key in table.rows]
        if later:
            span = later[0].anchor
        elif earlier:
            span = earlier[-1].anchor
        else:
            span = table_anchor(report, table)
        yield Hit(
            span,
            {
                "table": table.schema.title,
                "row": spec.label or table.schema.title,
                "key": spec.key,
            },
        )


def _columns_missing(report: Report, table: Table) -> Iterator[Hit]:
    columns = table.schema.columns
    if not any(table.columns.values()):
        # NOTE: no header at all is one problem, not one per column.
        names = "、".join(c.label for c in columns)
        yield Hit(
            table_anchor(report, table),
            {"table": table.schema.title, "column": names, "key": ""},
        )
        return
    for i, spec in enumerate(columns):
        if table.columns.get(spec.key):
            continue
        later = [
            table.columns[c.key][0]
            for c in columns[i + 1 :]
            if table.columns.get(c.key)
        ]
        earlier = [
            table.columns[c.key][0] for c in columns[:i] if table.columns.get(c.key)
        ]
        span = (later[0] if later else earlier[-1]).span
        yield Hit(
            span, {"table": table.schema.title, "column": spec.name, "key": spec.key}
        )


def _value_count(report: Report, table: Table) -> Iterator[Hit]:
    width = len(table.schema.columns)
    for row in table.rows.values():
        if row.problem not in ("too-many", "too-few"):
            continue
        span = row.anchor
        if row.problem == "too-many" and row.problem_span is not None:
            span = row.problem_span
        yield Hit(
            span,
            {
                "table": table.schema.title,
                "row": table.row_label(row.spec.key),
                "found": row.values,
                "filled": row.filled,
                "empty": row.values - row.filled,
                "expected": width,
                "problem": row.problem,
            },
        )


def _run_together(report: Report, table: Table) -> Iterator[Hit]:
    for row in table.rows.values():
        if row.problem in ("run-together", "unsplittable") and row.problem_span:
            span = row.problem_span
            yield Hit(
                span,
                {
                    "table": table.schema.title,
                    "row": table.row_label(row.spec.key),
                    "text": report.document.text[span.start : span.end],
                    "expected": len(table.schema.columns),
                    "problem": row.problem,
                },
            )


# Why a row was not split (``why``), by the sign of ``Row.splits``.
_WHY = {-1: "many", 0: "none", 1: "several"}


def _split(report: Report, table: Table) -> Iterator[Hit]:
    yield from _cut(report, table, "split")


def _unsplit(report: Report, table: Table) -> Iterator[Hit]:
    yield from _cut(report, table, "unsplit")


def _cut(report: Report, table: Table, problem: str) -> Iterator[Hit]:
    for row in table.rows.values():
        if row.problem == problem and row.problem_span:
            span = row.problem_span
            values = "、".join(str(cell.value) for cell in row.cells.values())
            yield Hit(
                span,
                {
                    "table": table.schema.title,
                    "row": table.row_label(row.spec.key),
                    "text": report.document.text[span.start : span.end],
                    "expected": len(table.schema.columns),
                    "values": values if problem == "split" else "",
                    "splits": row.splits,
                    "why": _WHY[(row.splits > 0) - (row.splits < 0)],
                    "problem": problem,
                },
            )


def _group_values(report: Report, table: Table) -> Iterator[Hit]:
    for group in table.group_values:
        yield Hit(
            group.span,
            {
                "table": table.schema.title,
                "row": group.label.official,
                "text": group.text,
            },
        )


_CHECKS = {
    "row-missing": _rows_missing,
    "column-missing": _columns_missing,
    "value-count": _value_count,
    "run-together": _run_together,
    "split": _split,
    "unsplit": _unsplit,
    "group-values": _group_values,
}

KIND = KindSpec("table-shape", PARAMS, check, prepare, __doc__ or "")
