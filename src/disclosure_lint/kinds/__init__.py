"""The closed set of rule kinds, written out so it can be read and grepped."""

from __future__ import annotations

from .amount_unit import KIND as AMOUNT_UNIT
from .balance import KIND as BALANCE
from .base import FixSpec, Hit, KindSpec, Param
from .cell_value import KIND as CELL_VALUE
from .copied_text import KIND as COPIED_SECTIONS
from .cross_check import KIND as CROSS_CHECK
from .doubled import KIND as DOUBLED
from .edition_markers import KIND as EDITION_MARKERS
from .enumeration import KIND as ENUMERATION
from .follow_up import KIND as PROBLEMS_FOLLOW_UP
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
from .year_equation import KIND as YEAR_EQUATION

KINDS: dict[str, KindSpec] = {
    kind.name: kind
    for kind in (
        AMOUNT_UNIT,
        BALANCE,
        CELL_VALUE,
        COPIED_SECTIONS,
        CROSS_CHECK,
        DOUBLED,
        EDITION_MARKERS,
        ENUMERATION,
        FORMAT_SCOPE,
        NEAR_MISS,
        PAIRED_PUNCTUATION,
        PATTERN,
        PERIOD,
        PROBLEMS_FOLLOW_UP,
        SECTION_TEXT,
        SECTIONS,
        SOURCE_FACTS,
        STALE_YEAR,
        SUBSTITUTION,
        TABLE_SHAPE,
        TITLE,
        YEAR_EQUATION,
    )
}

__all__ = ["KINDS", "FixSpec", "Hit", "KindSpec", "Param"]
