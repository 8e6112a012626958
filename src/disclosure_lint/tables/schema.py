"""Table schemas from a pack's ``tables:`` data, validated and compiled once.

``tables:`` in ``pack.yaml`` maps table keys to schemas; two keys are reserved:
``reader`` (how labels and values are recognised) and ``row_sets`` (named
lists of rows that a table splices in with ``- {rows: NAME}``, so an edition
pack can supply the part of a shared table that differs between editions).

A schema names its ``section`` (an outline section key), an ``order``, an
optional ``caption``, ``header`` labels that only head the table, ``columns``
(``key``, ``label``, ``aliases``, ``type``: count, signed or amount, ``unit``,
``name`` for messages, ``groups``: the header cells above its label,
outermost first, as the official form draws them) and ``rows``: data rows
(``key``, ``label``, ``in``: the group they belong to) and group rows
(``group``, ``label``) that carry no numbers. A single row without
``label`` is the unlabelled data row of a table such as the
review/litigation table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..records import dataclass, field

if TYPE_CHECKING:
    from ..regex.linear import Regex

COLUMN_TYPES = ("count", "signed", "amount")


class TableSchemaError(ValueError):
    """A ``tables:`` entry that cannot be used; names the pack and the key."""


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One data column."""

    key: str
    label: str
    aliases: tuple[str, ...]
    type: str
    unit: str
    name: str
    # The header cells above the column's label in the official form,
    # outermost first (行政诉讼, 未经复议直接起诉): for views of the table.
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A data row (``group`` False) or a group row without numbers."""

    key: str
    label: str | None
    aliases: tuple[str, ...]
    parent: str | None
    group: bool


@dataclass(frozen=True, slots=True)
class TableSchema:
    """A compiled table schema."""

    key: str
    title: str
    section: str
    order: int
    caption: str | None
    header: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]
    members: Mapping[str, tuple[str, ...]]
    data_rows: tuple[RowSpec, ...] = field(init=False)
    column_keys: tuple[str, ...] = field(init=False)
    # Position of each column key in ``column_keys``.
    column_index: Mapping[str, int] = field(init=False, repr=False)
    _by_types: dict[frozenset[str], tuple[str, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _rows: Mapping[str, RowSpec] = field(init=False, repr=False)
    _columns: Mapping[str, ColumnSpec] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Index rows and columns by key (looked up for every cell)."""
        object.__setattr__(
            self, "data_rows", tuple(r for r in self.rows if not r.group)
        )
        object.__setattr__(self, "column_keys", tuple(c.key for c in self.columns))
        object.__setattr__(
            self, "column_index", {c.key: i for i, c in enumerate(self.columns)}
        )
        object.__setattr__(self, "_rows", {r.key: r for r in self.rows})
        object.__setattr__(self, "_columns", {c.key: c for c in self.columns})

    def column(self, key: str) -> ColumnSpec | None:
        """The column with ``key``."""
        return self._columns.get(key)

    def row(self, key: str) -> RowSpec | None:
        """The row or group with ``key``."""
        return self._rows.get(key)

    def columns_of(self, types: frozenset[str]) -> tuple[str, ...]:
        """Keys of the columns whose type is in ``types``, in order (remembered)."""
        found = self._by_types.get(types)
        if found is None:
            found = tuple(c.key for c in self.columns if c.type in types)
            self._by_types[types] = found
        return found

    @property
    def cell_count(self) -> int:
        """Number of data cells the table should have."""
        return len(self.data_rows) * len(self.columns)


@dataclass(frozen=True, slots=True)
class NearMiss:
    """How far a label may be from an official one and still be read as it."""

    min_length: int
    long_length: int
    short: int
    long: int

    def limit(self, length: int) -> int:
        """Largest edit distance accepted for an official label of ``length``."""
        if length < self.min_length:
            return 0
        return self.long if length >= self.long_length else self.short


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """Recognition settings shared by all tables of a pack."""

    numbering: Regex
    amount_units: tuple[str, ...]
    count_units: tuple[str, ...]
    unit_in_header: Regex
    zero_lookalikes: frozenset[str]
    max_text_value: int
    near_miss: NearMiss
    number: re.Pattern[str] = field(init=False)
    lookalike: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        """Build the cell-value regexes from the units and zero look-alikes."""
        units = sorted({*self.amount_units, *self.count_units}, key=len, reverse=True)
        unit_alt = "|".join(re.escape(u) for u in units)
        pattern = (
            r"^(?P<sign>[+-])?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
            rf"(?P<unit>{unit_alt})?$"
        )
        object.__setattr__(self, "number", re.compile(pattern))
        # Digits and at least one character typed for a zero: O, 0O, 1〇.
        zeros = "".join(re.escape(z) for z in sorted(self.zero_lookalikes))
        lookalike = rf"^\d*[{zeros}][\d{zeros}]*$" if zeros else r"(?!)"
        object.__setattr__(self, "lookalike", re.compile(lookalike))


@dataclass(frozen=True, slots=True)
class CompiledTables:
    """All table schemas of one pack, in reading order."""

    reader: ReaderSpec
    schemas: tuple[TableSchema, ...]

    def get(self, key: str) -> TableSchema | None:
        """The schema with ``key``."""
        for schema in self.schemas:
            if schema.key == key:
                return schema
        return None


# --------------------------------------------------------------------------
# Compilation
