"""The closed set of rule kinds, written out so it can be read and grepped."""

from __future__ import annotations

from .base import FixSpec, Hit, KindSpec, Param
from .paired_punctuation import KIND as PAIRED_PUNCTUATION
from .pattern import KIND as PATTERN
from .period import KIND as PERIOD
from .section_text import KIND as SECTION_TEXT
from .sections import KIND as SECTIONS
from .substitution import KIND as SUBSTITUTION
from .title import KIND as TITLE

KINDS: dict[str, KindSpec] = {
    kind.name: kind
    for kind in (
        PAIRED_PUNCTUATION,
        PATTERN,
        PERIOD,
        SECTION_TEXT,
        SECTIONS,
        SUBSTITUTION,
        TITLE,
    )
}

__all__ = ["KINDS", "FixSpec", "Hit", "KindSpec", "Param"]
