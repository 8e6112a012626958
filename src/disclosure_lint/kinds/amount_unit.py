"""Kind ``amount-unit``: amount cells state a unit, and a plausible value.

The unit of an amount column is the one its header states
(``采购总金额(单位:万元)``), else the one written in the cell (``12.6万元``),
else the one the format defines for the column (2021: ``万元``).

Params:
    check: one of
        ``missing``    a non-zero amount with no unit anywhere, so 元 and 万元
                       both read (``4136575.00``);
        ``in-cell``    the unit is written in the cell instead of the header;
        ``magnitude``  the value is implausible for its unit: above ``max``,
                       below ``min`` (when not 0), or with more decimals than
                       ``decimals``.
    units: for ``magnitude``: ``{UNIT: {max, min, decimals}}``.
    tables: table keys to check (default: every table).

Message arguments: ``table``, ``row``, ``column``, ``text``, ``value``,
``unit``, ``header_unit``, ``limit`` (``max``, ``min`` or ``decimals``)
and ``bound``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.fold import fold_text
from ..tables.equations import format_number
from ..tables.table import NUMBER, Cell, Table
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule

CHECKS = ("missing", "in-cell", "magnitude")
PARAMS = {
    "check": Param("str", required=True, help=", ".join(CHECKS)),
    "units": Param("dict", default={}, help="{UNIT: {max, min, decimals}}"),
    "tables": Param("list", default=[], help="table keys (default: all)"),
}
_LIMIT_KEYS = {"max", "min", "decimals"}
_AMOUNT = frozenset({"amount"})


def prepare(params: Mapping[str, Any]) -> str:
    """Validate ``check`` and the unit limits."""
    which = str(params["check"])
    if which not in CHECKS:
        raise ValueError(f"check must be one of {', '.join(CHECKS)}")
    for unit, limits in dict(params["units"]).items():
        if not isinstance(limits, dict) or set(limits) - _LIMIT_KEYS:
            raise ValueError(f"units.{unit}: use max, min and decimals")
    if which == "magnitude" and not params["units"]:
        raise ValueError("check 'magnitude' needs units")
    return which


def check(report: Report, rule: Rule, which: str) -> Iterator[Hit]:
    """Yield a hit per amount cell that breaks the check."""
    units: Mapping[str, Mapping[str, Any]] = rule.params["units"]
    wanted = rule.params["tables"]
    # NOTE: the unit decides every check; a cell's message arguments are made
    # only for a hit.
    for table, row, cell, unit in _amounts(report):
        if wanted and table.key not in wanted:
            continue
        if which == "missing":
            if not unit and cell.value != 0:
                yield Hit(cell.span, _args(table, row, cell))
        elif which == "in-cell":
            if cell.unit:
                yield Hit(cell.span, _args(table, row, cell))
        else:
            broken = _broken_limit(cell, unit, units)
            if broken:
                kind, bound = broken
                args = _args(table, row, cell)
                yield Hit(cell.span, args | {"limit": kind, "bound": bound})


class _Amounts(list[tuple[Table, str, Cell, str]]):
    """The draft's amount cells holding a number, with their unit, in order."""


def _amounts(report: Report) -> _Amounts:
    """``(table, row key, cell, unit)`` of every amount cell that holds a number.

    NOTE: the three checks of this kind (three rules) look at the same cells;
    they are picked out once per draft, in the order the checks report them.
    """
    found: _Amounts | None = report.shared.get(_Amounts)
    if found is not None:
        return found
    found = report.shared[_Amounts] = _Amounts()
    for table in report.tables:
        if table.skipped:
            continue
        amounts = table.schema.columns_of(_AMOUNT)
        if not amounts:
            continue  # NOTE: most tables count; only a few hold amounts.
        for row in table.rows.values():
            if row.uncertain:
                continue
            for key in amounts:
                cell = row.cells.get(key)
                if cell is None or cell.status != NUMBER or cell.value is None:
                    continue
                unit = (
                    table.header_units.get(cell.column, "")
                    or cell.unit
                    or table.unit(cell.column)
                )
                found.append((table, row.spec.key, cell, unit))
    return found


def _args(table: Table, row: str, cell: Cell) -> dict[str, Any]:
    header_unit = table.header_units.get(cell.column, "")
    return {
        "table": table.schema.title,
        "row": table.row_label(row),
        "column": table.column_name(cell.column),
        "text": cell.raw,
        "value": format_number(cell.value),
        "unit": header_unit or cell.unit or table.unit(cell.column),
        "header_unit": header_unit,
        "limit": "",
        "bound": "",
    }


def _broken_limit(
    cell: Cell, unit: str, units: Mapping[str, Mapping[str, Any]]
) -> tuple[str, str] | None:
    """Which limit of ``unit`` the value breaks: ``(max|min|decimals, bound)``."""
    limits = units.get(unit)
    if not limits or cell.value is None:
        return None
    value = abs(cell.value)
    if "max" in limits and value > float(limits["max"]):
        return "max", format_number(limits["max"])
    if "min" in limits and 0 < value < float(limits["min"]):
        return "min", format_number(limits["min"])
    fraction = _FRACTION.search(fold_text(cell.raw))
    if (
        "decimals" in limits
        and fraction
        and len(fraction.group(1)) > int(limits["decimals"])
    ):
        return "decimals", str(limits["decimals"])
    return None


_FRACTION = re.compile(r"\.(\d+)")


KIND = KindSpec("amount-unit", PARAMS, check, prepare, __doc__ or "")
