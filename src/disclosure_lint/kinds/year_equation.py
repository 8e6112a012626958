"""Kind ``year-equation``: a table cell this year against last year's report.

Each equation is ``sum == sum`` (``tables.equations``; no eval) over names
``this.table.row.column`` (this year's draft) and ``last.table.row.column``
(last year's report). An entry of ``equations`` is an equation, or
``{equation, each}``: the equation once for every word of ``each``, written
where the equation says ``{each}`` (a column, a row).

What a draft keeps (``extract``): the value of every cell an equation
names, with or without its prefix (a draft is this year of one pair and
last year of the next), its place and its labels. A cell that was not read
(a table not found or skipped, ``Table.skipped``; a blank, text or missing
cell) has no value, and an equation that needs it is not checked: say
nothing false.

The finding points at this year's cell of the first ``this.`` name and
names last year's cell of the first ``last.`` name (``related``).

Params:
    equations: list of equations or ``{equation, each}``.

Message arguments: ``lhs`` and ``rhs`` (values), ``lhs_text`` and
``rhs_text`` (the terms with their values), ``at`` (this year's cell, by
its labels), ``last_at`` (last year's cell), ``equation``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from ..named_tuples import NamedTuple
from ..records import dataclass
from ..tables.equations import (
    Equation,
    close,
    expand_each,
    format_number,
    parse_equation,
)
from ..tables.table import Table, table_by_key
from .base import KindSpec, PairHit, Param, Where, no_hits, where
from .report import LintOptions, Report
from .table_support import visible
from .year_text import fingerprint

if TYPE_CHECKING:
    from ..packs.model import Rule

PARAMS = {
    "equations": Param(
        "list", required=True, help="over this./last. cells; or {equation, each}"
    ),
}
_SIDES = ("this", "last")


class CellValue(NamedTuple):
    """A cell as a draft keeps it: its value, place and labels."""

    value: int | float
    where: Where
    # NOTE: the labels as the pack has them, not joined: the same string
    # objects in every cell, which pickle once per digest.
    row: str
    column: str

    @property
    def label(self) -> str:
        """The row's label and the column's name, for messages."""
        return f"{self.row}·{self.column}"


class Cells(NamedTuple):
    """What a draft keeps: the cells, in the order of ``Prepared.cells``.

    ``key`` names that order (a fingerprint of the names): two drafts whose
    rules name other cells (a local pack's rule of the same id for one
    edition) are not compared.
    """

    key: int
    values: tuple[CellValue | None, ...]


@dataclass(frozen=True, slots=True)
class Prepared:
    """The equations, and the cells (``table.row.column``) they name."""

    equations: tuple[Equation, ...]
    cells: tuple[str, ...]
    key: int
    # The position of each name of ``cells``.
    index: dict[str, int]


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Expand ``each``, parse every equation and check its names."""
    equations: list[Equation] = []
    for entry in params["equations"]:
        for text in expand_each(entry):
            equation = parse_equation(text)
            _check_names(equation)
            equations.append(equation)
    if not equations:
        raise ValueError("equations is empty")
    cells = tuple(dict.fromkeys(n.split(".", 1)[1] for e in equations for n in e.names))
    key = fingerprint("\n".join(cells))
    index = {name: i for i, name in enumerate(cells)}
    return Prepared(tuple(equations), cells, key, index)


def _check_names(equation: Equation) -> None:
    names = equation.names
    for name in names:
        side, _, cell = name.partition(".")
        if side not in _SIDES or cell.count(".") != 2:
            raise ValueError(f"'{name}' must be this.table.row.column or last.…")
    if not any(n.startswith("this.") for n in names) or not any(
        n.startswith("last.") for n in names
    ):
        raise ValueError(f"'{equation.source}' needs a this. and a last. name")


def extract(report: Report, rule: Rule, prepared: Prepared) -> Cells:
    """The value, place and labels of every cell the equations name.

    In the order of ``prepared.cells`` (NOTE: not keyed by name: the names
    would be most of a pickled digest); None for a cell that was not read.
    """
    values = tuple(_cell_value(report, name) for name in prepared.cells)
    return Cells(prepared.key, values)


def _cell_value(report: Report, name: str) -> CellValue | None:
    table_key, row, column = name.split(".")
    table = table_by_key(report.tables, table_key)
    if table is None or not table.found or table.skipped:
        return None  # NOTE: a skipped table's cells are not known (TB012)
    value = table.total(row, column, blank_is_zero=False)
    span = _cell_span(table, row, column)
    if value is None or span is None:
        return None
    return CellValue(
        value, where(report, span), table.row_label(row), table.column_name(column)
    )


def _cell_span(table: Table, row: str, column: str) -> Span | None:
    """Where the cell is (its row's label for a blank cell), or None."""
    found = table.rows.get(row)
    if found is None:
        return None
    cell = found.cells.get(column)
    return visible(cell.span, found.anchor) if cell is not None else found.anchor


def compare(
    current: Cells,
    previous: Cells,
    rule: Rule,
    prepared: Prepared,
    options: LintOptions,
) -> Iterator[PairHit]:
    """A hit for every equation that fails on this year's and last year's cells."""
    if not current.key == previous.key == prepared.key:
        return
    index = prepared.index
    sides = {"this": current.values, "last": previous.values}

    def cell(name: str) -> CellValue | None:
        side, _, key = name.partition(".")
        return sides[side][index[key]]

    def value(name: str) -> int | float | None:
        found = cell(name)
        return None if found is None else found.value

    for equation in prepared.equations:
        lhs = equation.left.evaluate(value)
        rhs = equation.right.evaluate(value)
        if lhs is None or rhs is None or lhs == rhs or close(lhs, rhs):
            continue
        at, last = cell(_first(equation, "this")), cell(_first(equation, "last"))
        if at is None or last is None:
            continue  # NOTE: every name has a value here; for mypy
        yield PairHit(
            at.where,
            {
                "lhs": format_number(lhs),
                "rhs": format_number(rhs),
                "lhs_text": equation.left.text(value),
                "rhs_text": equation.right.text(value),
                "at": at.label,
                "last_at": last.label,
                "equation": equation.source,
            },
            last.where,
        )


def _first(equation: Equation, side: str) -> str:
    """The first name of ``side`` in ``equation``."""
    return next(n for n in equation.names if n.startswith(side + "."))


KIND = KindSpec(
    "year-equation",
    PARAMS,
    no_hits,
    prepare,
    __doc__ or "",
    extract=extract,
    compare=compare,
)
