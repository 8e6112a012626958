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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .document import Document, Span
from .table_schema import RowSpec, TableSchema

if TYPE_CHECKING:
    from .outline import Outline
    from .packs import Pack

NUMBER = "number"
BLANK = "blank"
TEXT = "text"
MISSING = "missing"
AMBIGUOUS = "ambiguous"
_USABLE = (NUMBER, BLANK)


Value = int | float | None


class _Totals(dict[str, Value]):
    """``Table.total`` of every row and group in one column, each computed once.

    Reading through ``[]`` (or ``__getitem__``) computes a missing name;
    ``get`` does not. NOTE: it holds the table's rows and groups, never the
    table itself: a reference back would make every table a reference cycle
    that only the garbage collector frees, which costs more than it saves.
    """

    __slots__ = ("_blank_is_zero", "_column", "_members", "_rows")

    def __init__(
        self,
        rows: Mapping[str, Row],
        members: Mapping[str, tuple[str, ...]],
        column: str,
        blank_is_zero: bool,
    ) -> None:
        super().__init__()
        self._rows = rows
        self._members = members
        self._column = column
        self._blank_is_zero = blank_is_zero

    def __missing__(self, name: str) -> Value:
        value: Value
        members = self._members.get(name)
        if members is None:
            value = _cell_value(self._rows.get(name), self._column, self._blank_is_zero)
        else:
            value = 0
            for member in members:
                found = self[member]
                if found is None:
                    value = None
                    break
                value += found
        self[name] = value
        return value


def _cell_value(row: Row | None, column: str, blank_is_zero: bool) -> Value:
    """``Table.total`` of a data row: its cell's number, blank as 0 or None."""
    if row is None or row.uncertain:
        return None
    cell = row.cells.get(column)
    if cell is None or cell.status not in _USABLE:
        return None
    if cell.value is None:
        return 0 if blank_is_zero else None
    return cell.value


@dataclass(slots=True)
class Cell:
    """One data cell; its text is ``document[start:end]``.

    NOTE: offsets rather than a ``Span``: a frozen ``Span`` costs as much to
    build as the rest of the cell, a draft has hundreds of cells and only
    the few that a finding points at need one (``span``).
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


@dataclass(slots=True)
class LabelHit:
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
    cells: dict[str, Cell] = field(default_factory=dict)
    values: int = 0
    problem: str = ""
    problem_span: Span | None = None
    anchor: Span = field(default_factory=lambda: Span(0, 0))
    plain: bool = True

    @property
    def uncertain(self) -> bool:
        """True when the cells could not be placed with confidence."""
        return self.problem in ("too-many", "too-few", "unsplittable")


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
    # Totals by (column, blank_is_zero), filled on first use.
    _by_column: dict[tuple[str, bool], _Totals] = field(
        default_factory=dict, repr=False
    )

    @property
    def key(self) -> str:
        """The schema key."""
        return self.schema.key

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
        return self.totals(column, blank_is_zero)[name]

    def totals(self, column: str, blank_is_zero: bool = True) -> Mapping[str, Value]:
        """Every row's and group's ``total`` in ``column``, by name.

        NOTE: the rules ask for the same totals many times (a group for each
        equation it is in, in every column), so each is computed once, on
        first use. A table is complete once ``read_tables`` returns; nothing
        changes its cells afterwards.
        """
        key = (column, blank_is_zero)
        found = self._by_column.get(key)
        if found is None:
            found = self._by_column[key] = _Totals(
                self.rows, self.schema.members, column, blank_is_zero
            )
        return found

    def row_totals(self, row: str) -> dict[str, Value]:
        """``total(row, column)`` (blank as 0) of every column, by column key."""
        keys = self.schema.column_keys
        if row in self.schema.members:
            return {key: self.totals(key)[row] for key in keys}
        found = self.rows.get(row)
        if found is None or found.uncertain:
            return dict.fromkeys(keys)
        # NOTE: _cell_value inlined (blank as 0): this runs for every cell of
        # a table checked row by row.
        cells = found.cells
        out: dict[str, Value] = {}
        for key in keys:
            cell = cells.get(key)
            if cell is None or cell.status not in _USABLE:
                out[key] = None
            else:
                out[key] = 0 if cell.value is None else cell.value
        return out

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


def read_tables(doc: Document, outline: Outline, pack: Pack) -> list[Table]:
    """Read every table the pack's schemas describe (empty without schemas).

    Raises:
        TableSchemaError: the pack's ``tables:`` data is malformed.
    """
    from .table_reader import read
    from .table_schema import compiled_tables

    if not pack.tables:
        return []
    compiled = compiled_tables(pack)
    if not compiled.schemas:
        return []
    return read(doc, outline, compiled)


def table_by_key(tables: list[Table], key: str) -> Table | None:
    """The table with schema ``key``."""
    for table in tables:
        if table.key == key:
            return table
    return None
