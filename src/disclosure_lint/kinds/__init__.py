"""The closed set of rule kinds, written out so it can be read and grepped."""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from importlib import import_module

from .amount_unit import KIND as AMOUNT_UNIT
from .balance import KIND as BALANCE
from .base import FixSpec, Hit, KindSpec, Param
from .cell_value import KIND as CELL_VALUE
from .cross_check import KIND as CROSS_CHECK
from .doubled import KIND as DOUBLED
from .edition_markers import KIND as EDITION_MARKERS
from .enumeration import KIND as ENUMERATION
from .format_scope import KIND as FORMAT_SCOPE
from .near_miss import KIND as NEAR_MISS
from .paired_punctuation import KIND as PAIRED_PUNCTUATION
from .pattern import KIND as PATTERN
from .period import KIND as PERIOD
from .section_text import KIND as SECTION_TEXT
from .sections import KIND as SECTIONS
from .source_facts import KIND as SOURCE_FACTS
from .stale_year import KIND as STALE_YEAR
from .substitution import KIND as SUBSTITUTION
from .table_shape import KIND as TABLE_SHAPE
from .title import KIND as TITLE

#: The year-over-year kinds (name -> module), imported on first use: a
#: plain check of one draft never pairs, and their modules were a twelfth of
#: its start-up. The engine tells their rules apart by name (``PAIR_KINDS``)
#: without importing them.
PAIR_KINDS = {
    "copied-sections": "copied_text",
    "problems-follow-up": "follow_up",
    "year-equation": "year_equation",
}


class _Kinds(dict[str, KindSpec]):
    """The kinds by name; a year-over-year kind is imported when first asked for."""

    def __missing__(self, name: str) -> KindSpec:
        module = PAIR_KINDS.get(name)
        if module is None:
            raise KeyError(name)
        kind: KindSpec = import_module(f".{module}", __name__).KIND
        self[name] = kind
        return kind

    def __contains__(self, name: object) -> bool:
        return name in PAIR_KINDS or dict.__contains__(self, name)

    def _all(self) -> None:
        for name in PAIR_KINDS:
            self[name]  # NOTE: imports it

    def __iter__(self) -> Iterator[str]:
        self._all()
        return dict.__iter__(self)

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        self._all()
        return dict.keys(self)

    def values(self) -> ValuesView[KindSpec]:  # type: ignore[override]
        self._all()
        return dict.values(self)

    def items(self) -> ItemsView[str, KindSpec]:  # type: ignore[override]
        self._all()
        return dict.items(self)

    def __len__(self) -> int:
        self._all()
        return dict.__len__(self)


KINDS: dict[str, KindSpec] = _Kinds(
    (kind.name, kind)
    for kind in (
        AMOUNT_UNIT,
        BALANCE,
        CELL_VALUE,
        CROSS_CHECK,
        DOUBLED,
        EDITION_MARKERS,
        ENUMERATION,
        FORMAT_SCOPE,
        NEAR_MISS,
        PAIRED_PUNCTUATION,
        PATTERN,
        PERIOD,
        SECTION_TEXT,
        SECTIONS,
        SOURCE_FACTS,
        STALE_YEAR,
        SUBSTITUTION,
        TABLE_SHAPE,
        TITLE,
    )
)

__all__ = ["KINDS", "PAIR_KINDS", "FixSpec", "Hit", "KindSpec", "Param"]
