"""The outline's records: title, dates, period, sections and the outline itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..document.fold import Folded
from ..document.text import Record, Span

if TYPE_CHECKING:
    pass


class Title(Record):
    """The report title, possibly wrapped over several lines."""

    __match_args__ = ("text", "span", "lines", "folded")
    __slots__ = __match_args__

    def __init__(
        self, text: str, span: Span, lines: tuple[int, ...], folded: Folded
    ) -> None:
        """The title ``text`` at ``span``, on 1-based ``lines``."""
        self.text: Final = text
        self.span: Final = span
        self.lines: Final = lines
        self.folded: Final = folded


class DateFound(Record):
    """A calendar date found in the text, at ``span``."""

    __match_args__ = ("year", "month", "day", "span")
    __slots__ = __match_args__

    def __init__(self, year: int, month: int, day: int, span: Span) -> None:
        """The date ``year``-``month``-``day`` as written at ``span``."""
        self.year: Final = year
        self.month: Final = month
        self.day: Final = day
        self.span: Final = span


class Period(Record):
    """The statistics-period sentence and the dates it states."""

    __match_args__ = ("span", "start", "end")
    __slots__ = __match_args__

    def __init__(self, span: Span, start: DateFound, end: DateFound) -> None:
        """The sentence at ``span`` stating ``start`` to ``end``."""
        self.span: Final = span
        self.start: Final = start
        self.end: Final = end


class Section(Record):
    """A top-level heading recognised as one of the official sections."""

    __match_args__ = (
        "key",
        "numeral",
        "expected_numeral",
        "heading",
        "official",
        "span",
        "line",
        "variant",
        "body",
    )
    __slots__ = __match_args__

    def __init__(
        self,
        key: str,
        numeral: str,
        expected_numeral: str,
        heading: str,
        official: str,
        span: Span,
        line: int,
        variant: bool,
        body: Span | None = None,
    ) -> None:
        """Section ``key``, headed ``heading`` at ``span``; ``body`` follows it."""
        self.key: Final = key
        self.numeral: Final = numeral
        self.expected_numeral: Final = expected_numeral
        self.heading: Final = heading
        self.official: Final = official
        self.span: Final = span
        self.line: Final = line
        self.variant: Final = variant
        self.body: Final = Span(0, 0) if body is None else body


class StrayHeading(Record):
    """A numbered top-level line that is no official section."""

    __match_args__ = ("numeral", "text", "span", "line")
    __slots__ = __match_args__

    def __init__(self, numeral: str, text: str, span: Span, line: int) -> None:
        """The heading ``text`` numbered ``numeral`` at ``span``."""
        self.numeral: Final = numeral
        self.text: Final = text
        self.span: Final = span
        self.line: Final = line


class Outline(Record):
    """What the outline pass learnt about a document."""

    __match_args__ = (
        "title",
        "title_year",
        "title_year_span",
        "opening_year",
        "opening_year_span",
        "period",
        "period_hint",
        "publication_date",
        "year",
        "year_source",
        "edition",
        "edition_source",
        "sections",
        "strays",
        "issuer",
        "issuer_key",
    )
    __slots__ = __match_args__
    __hash__ = None  # type: ignore[assignment]  # NOTE: mutable

    def __init__(
        self,
        title: Title | None = None,
        title_year: int | None = None,
        title_year_span: Span | None = None,
        opening_year: int | None = None,
        opening_year_span: Span | None = None,
        period: Period | None = None,
        period_hint: Span | None = None,
        publication_date: DateFound | None = None,
        year: int | None = None,
        year_source: str = "",
        edition: str | None = None,
        edition_source: str = "",
        sections: list[Section] | None = None,
        strays: list[StrayHeading] | None = None,
        issuer: str | None = None,
        issuer_key: str | None = None,
    ) -> None:
        """An outline; every part is empty unless given."""
        self.title = title
        self.title_year = title_year
        self.title_year_span = title_year_span
        self.opening_year = opening_year
        self.opening_year_span = opening_year_span
        self.period = period
        self.period_hint = period_hint
        self.publication_date = publication_date
        self.year = year
        self.year_source = year_source
        self.edition = edition
        self.edition_source = edition_source
        self.sections: list[Section] = [] if sections is None else sections
        self.strays: list[StrayHeading] = [] if strays is None else strays
        #: The issuer (机关名称) as the title writes it, and its pairing key
        #: (``outline.issuer``); None when the title names none.
        self.issuer = issuer
        self.issuer_key = issuer_key

    def section(self, key: str) -> Section | None:
        """The first section with ``key``."""
        for section in self.sections:
            if section.key == key:
                return section
        return None
