"""Tables as data: what the reader found, cell by cell, with exact spans.

``read_tables(doc, outline, pack)`` returns one ``Table`` per schema of the
pack's edition (found or not). A ``Table`` holds its ``Row``s by key, each
with its ``Cell``s by column key: value, raw text, status and span. Kinds
read this; nothing here judges whether a value is right.

Cell status: ``number`` (a value was read), ``blank`` (the cell is there and
empty), ``text`` (something that is no number: ``增``, ``无增减``, ``O``),
``missing`` (the row has no field for this column) and ``ambiguous`` (the row
could not be split into cells, e.g. digits run together).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, reduce
from operator import add, itemgetter
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from ..named_tuples import NamedTuple
from ..records import dataclass, field
from .schema import RowSpec, TableSchema

if TYPE_CHECKING:
    from .tokens import Token

NUMBER = "number"
BLANK = "blank"
TEXT = "text"
MISSING = "missing"
AMBIGUOUS = "ambiguous"
_USABLE = (NUMBER, BLANK)
# The folded text of a token (see ``tokens``).
_FOLDED = itemgetter(1)


Value = int | float | None
# A row's or group's values, one per column in schema order.
Vector = tuple[Value, ...]


def _row_vector(
    row: Row | None, columns: tuple[str, ...], blank_is_zero: bool
) -> Vector:
    """``Table.vector`` of a data row: its cells' numbers, blank as 0 or None."""
    if row is None or row.uncertain:
        return (None,) * len(columns)
    if row._counts is not None:
        # NOTE: plain counts, in column order: no cell needs building.
        return tuple(map(int, map(_FOLDED, row._counts[2])))
    cells = row.cells
    blank: Value = 0 if blank_is_zero else None
    out: list[Value] = []
    for column in columns:
        cell = cells.get(column)
        if cell is None or cell.status not in _USABLE:
            out.append(None)
        else:
            value = cell.value
            out.append(blank if value is None else value)
    return tuple(out)


class Cell(NamedTuple):
    """One data cell; its text is ``document[start:end]``.

    NOTE: a named tuple with offsets rather than a dataclass with a ``Span``:
    a draft has hundreds of cells, a tuple is built in C (``new_cell``) and
    the garbage collector stops tracking it at its first pass, and only the
    few cells that a finding points at need a ``span``.
    """

    table: str
    row: str
    column: str
    status: str
    raw: str
    start: int
    end: int
    value: int | float | None = None
    unit: str = ""
    lookalike: bool = False

    @property
    def span(self) -> Span:
        """Where the cell is (empty for a blank or missing cell)."""
        return Span(self.start, self.end)

    @property
    def usable(self) -> bool:
        """True when equations can use the cell (a number, or blank as 0)."""
        return self.status in _USABLE

    @property
    def number(self) -> int | float:
        """The value for equations: blank counts as 0."""
        return self.value if self.value is not None else 0


# ``Cell`` from a tuple of all ten fields, without a Python-level call.
new_cell: Callable[[tuple[Any, ...]], Cell] = partial(tuple.__new__, Cell)
# The unit and look-alike fields of a cell read as a plain count.
_NO_NOTE = ("", False)


class LabelHit(NamedTuple):
    """A label of the draft recognised as an official one (at ``start:end``)."""

    kind: str
    table: str
    key: str
    official: str
    text: str
    start: int
    end: int
    quality: str = "exact"
    distance: int = 0
    fix: tuple[Span, str] | None = None

    @property
    def span(self) -> Span:
        """Where the label is."""
        return Span(self.start, self.end)


# ``LabelHit`` from a tuple of all ten fields, without a Python-level call.
new_hit: Callable[[tuple[Any, ...]], LabelHit] = partial(tuple.__new__, LabelHit)


@dataclass(slots=True)
class Row:
    """A data row: its label (None for an unlabelled row) and its cells.

    ``values`` counts the fields read for the row once empty merged-cell
    fields at its edges are dropped; ``problem`` says why its cells could not
    be placed with confidence (``too-many``, ``too-few``, ``unsplittable``)
    or how they were recovered (``run-together``). ``plain`` stays True while
    every cell is a count in ASCII digits (``0``, ``12``), the common case:
    such a row has no blank, text, unit, negative or decimal cell to check.
    """

    spec: RowSpec
    label: LabelHit | None
    values: int = 0
    filled: int = 0  # of ``values``, those not empty (set for a problem row)
    problem: str = ""
    problem_span: Span | None = None
    # Digits run together: how many cuts fit the equations, -1 when too many
    # to try (``tables.split``).
    splits: int = 0
    anchor: Span = field(default_factory=lambda: Span(0, 0))
    plain: bool = True
    _cells: dict[str, Cell] | None = field(default=None, repr=False)
    # A full row of plain counts as read: (table key, column keys, one token
    # per column); its cells are built from it on first use (``cells``).
    _counts: tuple[str, tuple[str, ...], list[Token]] | None = field(
        default=None, repr=False
    )

    @property
    def cells(self) -> dict[str, Cell]:
        """The cells by column key.

        NOTE: most rows are plain counts that the rules only add up
        (``Table.vector`` reads their tokens); their cells are built only
        when something asks for them (a finding, ``extract``).
        """
        cells = self._cells
        if cells is None:
            cells = self._cells = _count_cells(self.spec.key, self._counts)
        return cells

    @cells.setter
    def cells(self, cells: dict[str, Cell]) -> None:
        self._cells = cells

    def hold_counts(
        self, table: str, columns: tuple[str, ...], tokens: list[Token]
    ) -> None:
        """Take ``tokens``, one plain count per column, as the row's cells."""
        self._counts = (table, columns, tokens)

    @property
    def uncertain(self) -> bool:
        """True when the cells could not be placed with confidence."""
        return self.problem in ("too-many", "too-few", "unsplittable", "unsplit")


def _count_cells(
    row: str, counts: tuple[str, tuple[str, ...], list[Token]] | None
) -> dict[str, Cell]:
    """The cells of a row held as plain counts (``Row.hold_counts``)."""
    if counts is None:
        return {}
    table, columns, tokens = counts
    return {
        column: new_cell(
            (
                table,
                row,
                column,
                NUMBER,
                token[0],
                token[2],
                token[3],
                int(token[1]),
                "",
                False,
            )
        )
        for column, token in zip(columns, tokens, strict=True)
    }


@dataclass(slots=True)
class GroupValues:
    """Values written on a group row, which carries no numbers."""

    label: LabelHit
    span: Span
    text: str


@dataclass(slots=True)
class Table:
    """One table of the edition as read from a draft."""

    schema: TableSchema
    rows: dict[str, Row] = field(default_factory=dict)
    columns: dict[str, list[LabelHit]] = field(default_factory=dict)
    labels: list[LabelHit] = field(default_factory=list)
    group_values: list[GroupValues] = field(default_factory=list)
    header_units: dict[str, str] = field(default_factory=dict)
    start: int | None = None
    end: int | None = None
    # Why the table cannot be read cell by cell (a reason key, e.g. its rows
    # cannot be aligned with its columns), or "" when it can. A skipped table
    # gets one finding for the table; its rows, cells and equations are not
    # judged (see rules TB012), and the reports say it was skipped.
    skipped: str = ""
    # True when every row read in full but the header was split or run
    # together (PDF text): its column labels were not all found, which is a
    # layout artifact, not missing columns (see ``reader.judge``).
    header_unread: bool = False
    # Row and group vectors by name, one dict per blank_is_zero (False, True),
    # filled on first use; the first serves both when no row can hold a
    # blank (see ``vector``).
    _vectors: tuple[dict[str, Vector], dict[str, Vector]] = field(
        default_factory=lambda: ({}, {}), repr=False
    )
    # The rows that are not plain counts, picked out on first use.
    _irregular: list[Row] | None = field(default=None, repr=False)
    # The rows and groups whose vectors hold counts alone (ints, no None).
    _counts: set[str] = field(default_factory=set, repr=False)
    # The schema key. NOTE: a field, not a property: looked up by the reader
    # and by every table rule, each draft.
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Note the schema key."""
        self.key = self.schema.key

    @property
    def found(self) -> bool:
        """True when any label or row of the table was seen."""
        return bool(self.labels or self.rows)

    @property
    def span(self) -> Span:
        """From the first label or cell to the last one."""
        if self.start is None or self.end is None:
            return Span(0, 0)
        return Span(self.start, self.end)

    def extend(self, start: int, end: int) -> None:
        """Grow the table's span to cover ``start:end``."""
        if self.start is None or start < self.start:
            self.start = start
        if self.end is None or end > self.end:
            self.end = end

    def forget_derived(self) -> None:
        """Drop what was worked out from the rows (after they change)."""
        self._vectors = ({}, {})
        self._counts = set()
        self._irregular = None

    def irregular_rows(self) -> list[Row]:
        """The rows that are not plain counts (``Row.plain`` False), in order.

        NOTE: only these can hold a blank, text, unit, negative or decimal
        cell; the cell rules, several per draft, each look at them alone.
        Picked out once, as a table is complete once ``read_tables`` returns.
        """
        irregular = self._irregular
        if irregular is None:
            irregular = self._irregular = [
                row for row in self.rows.values() if not row.plain
            ]
        return irregular

    def cell(self, row: str, column: str) -> Cell | None:
        """The cell at ``row``, ``column`` (None when the row was not read)."""
        found = self.rows.get(row)
        return found.cells.get(column) if found else None

    def cells(self) -> list[Cell]:
        """Every cell, in schema order of rows and columns."""
        out: list[Cell] = []
        for spec in self.schema.data_rows:
            row = self.rows.get(spec.key)
            if row is None:
                continue
            for column in self.schema.columns:
                cell = row.cells.get(column.key)
                if cell is not None:
                    out.append(cell)
        return out

    def total(
        self, name: str, column: str, blank_is_zero: bool = True
    ) -> int | float | None:
        """Value of row ``name`` in ``column``; a group sums its rows.

        None when any row needed is missing or uncertain or its cell holds no
        usable number (blank counts as 0 unless ``blank_is_zero`` is False).
        """
        index = self.schema.column_index.get(column)
        if index is None:
            return None
        return self.vector(name, blank_is_zero)[index]

    def vector(self, name: str, blank_is_zero: bool = True) -> Vector:
        """``total(name, column)`` of every column, in schema order.

        NOTE: the rules ask for the same totals many times (a group for each
        equation it is in, in every column; a row for each equation over its
        columns), so the values of a row or group are worked out once, a
        whole row at a time, on first use. A table is complete once
        ``read_tables`` returns; nothing changes its cells afterwards.
        """
        # NOTE: only a row that is not plain counts can hold a blank cell, so
        # in a table without one (most drafts) both readings of a blank are
        # the same vectors: worked out once, for the cross-checks (blank as
        # None) and the balances (blank as 0) alike.
        irregular = self._irregular
        if irregular is None:
            irregular = self.irregular_rows()
        known = self._vectors[blank_is_zero and bool(irregular)]
        found = known.get(name)
        if found is None:
            members = self.schema.members.get(name)
            if members is None:
                row = self.rows.get(name)
                found = _row_vector(row, self.schema.column_keys, blank_is_zero)
                if row is not None and row._counts is not None and not row.uncertain:
                    self._counts.add(name)
            else:
                found = self.sum_vector(members, blank_is_zero)
                if self._counts.issuperset(members):
                    self._counts.add(name)
            known[name] = found
        return found

    def sum_vector(self, names: tuple[str, ...], blank_is_zero: bool = True) -> Vector:
        """The vectors of rows or groups ``names`` added up column by column.

        A column is None when any of its values is None. The values are
        added in the order of ``names``, from 0, as a running total would.
        """
        vectors = [self.vector(name, blank_is_zero) for name in names]
        if not vectors:
            return (0,) * len(self.schema.column_keys)
        if self._counts.issuperset(names):
            # NOTE: counts alone (the common case): no None, and ints add up
            # exactly, so ``sum`` in C gives what the running total gives.
            return tuple(map(sum, zip(*vectors, strict=True)))
        # NOTE: a column at a time, added up in C in member order from 0, as
        # a running total would (not ``sum``: from Python 3.12 it compensates
        # float rounding, which would change amounts in the last digit).
        return tuple(
            [
                None if None in column else reduce(add, column, 0)
                for column in zip(*vectors, strict=True)
            ]
        )

    def row_totals(self, row: str) -> dict[str, Value]:
        """``total(row, column)`` (blank as 0) of every column, by column key."""
        return dict(zip(self.schema.column_keys, self.vector(row), strict=True))

    def row_label(self, key: str) -> str:
        """The official label of row or group ``key`` (for messages)."""
        spec = self.schema.row(key)
        if spec is None or spec.label is None:
            return self.schema.title
        return spec.label

    def column_name(self, key: str) -> str:
        """The column's display name (for messages)."""
        spec = self.schema.column(key)
        return spec.name if spec else key

    def unit(self, column: str) -> str:
        """The unit the header states, else the one the format defines."""
        stated = self.header_units.get(column)
        if stated:
            return stated
        spec = self.schema.column(column)
        return spec.unit if spec else ""


def table_by_key(tables: list[Table], key: str) -> Table | None:
    """The table with schema ``key``."""
    for table in tables:
        if table.key == key:
            return table
    return None
