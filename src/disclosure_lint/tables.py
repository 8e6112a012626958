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


@dataclass(slots=True)
class Cell:
    """One data cell."""

    table: str
    row: str
    column: str
    status: str
    raw: str
    span: Span
    value: int | float | None = None
    unit: str = ""
    lookalike: bool = False

    @property
    def usable(self) -> bool:
        """True when equations can use the cell (a number, or blank as 0)."""
        return self.status in (NUMBER, BLANK)

    @property
    def number(self) -> int | float:
        """The value for equations: blank counts as 0."""
        return self.value if self.value is not None else 0


@dataclass(slots=True)
class LabelHit:
    """A label of the draft recognised as an official one."""

    kind: str
    table: str
    key: str
    official: str
    text: str
    span: Span
    quality: str = "exact"
    distance: int = 0
    fix: tuple[Span, str] | None = None


@dataclass(slots=True)
class Row:
    """A data row: its label (None for an unlabelled row) and its cells.

    ``values`` counts the fields read for the row once empty merged-cell
    fields at its edges are dropped; ``problem`` says why its cells could not
    be placed with confidence (``too-many``, ``too-few``, ``unsplittable``)
    or how they were recovered (``run-together``).
    """

    spec: RowSpec
    label: LabelHit | None
    cells: dict[str, Cell] = field(default_factory=dict)
    values: int = 0
    problem: str = ""
    problem_span: Span | None = None
    anchor: Span = field(default_factory=lambda: Span(0, 0))

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

    def extend(self, span: Span) -> None:
        """Grow the table's span to cover ``span``."""
        if self.start is None or span.start < self.start:
            self.start = span.start
        if self.end is None or span.end > self.end:
            self.end = span.end

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
        members = self.schema.members.get(name)
        if members is not None:
            total: int | float = 0
            for member in members:
                value = self.total(member, column, blank_is_zero)
                if value is None:
                    return None
                total += value
            return total
        row = self.rows.get(name)
        if row is None or row.uncertain:
            return None
        cell = row.cells.get(column)
        if cell is None or not cell.usable:
            return None
        if cell.value is None and not blank_is_zero:
            return None
        return cell.number

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
