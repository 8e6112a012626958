"""Findings, fixes, severities and categories: the versioned wire schema."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final

from .source import Location, TextLocation
from .text import Position, Record, Span

#: Version 2: ``summary.files_with_errors`` became ``files_failed``.
#: Version 3: every finding has a ``location`` in the source file.
SCHEMA_VERSION = 3


class Severity(StrEnum):
    """How bad a finding is; ``error`` blocks publication."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used by ``--fail-on``."""
        return {"info": 1, "warning": 2, "error": 3}[self.value]


class Category(StrEnum):
    """Fixed vocabulary shown to users and usable in ``--select``."""

    STRUCTURE = "structure"
    TABLE = "table"
    CONSISTENCY = "consistency"
    PERIOD = "period"
    TYPO = "typo"
    FORMAT = "format"


class Fix(Record):
    """Replace ``span`` (at ``start``..``end``) with ``replacement``.

    Applied by ``--fix`` only when ``safe``: a known typo or a conversion
    leftover to delete. Numbers are never fixed.
    """

    __match_args__ = ("span", "replacement", "start", "end", "safe")
    __slots__ = __match_args__

    def __init__(
        self,
        span: Span,
        replacement: str,
        start: Position,
        end: Position,
        safe: bool = True,
    ) -> None:
        """The edit of ``span``, which runs from ``start`` to ``end``."""
        self.span: Final = span
        self.replacement: Final = replacement
        self.start: Final = start
        self.end: Final = end
        self.safe: Final = safe


class Related(Record):
    """Another place a finding points at, maybe in another file.

    A year-over-year finding sits on this year's draft and names the
    matching place in last year's report (JSON ``related``, SARIF
    ``relatedLocations``).
    """

    __match_args__ = ("path", "start", "end", "message", "location")
    __slots__ = __match_args__

    def __init__(
        self,
        path: str,
        start: Position,
        end: Position,
        message: str,
        location: Location | None = None,
    ) -> None:
        """The place ``start``..``end`` of the file at ``path``, and what it is."""
        self.path: Final = path
        self.start: Final = start
        self.end: Final = end
        self.message: Final = message
        self.location: Final = location

    @property
    def source_location(self) -> Location:
        """Where the place is in its file, in the file's terms."""
        return _source_location(self.location, self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        """One entry of a finding's ``related`` list in the JSON wire form."""
        return {
            "path": self.path,
            "line": self.start.line,
            "column": self.start.column,
            "end_line": self.end.line,
            "end_column": self.end.column,
            "message": self.message,
            "location": self.source_location.to_dict(),
        }


def _source_location(
    location: Location | None, start: Position, end: Position
) -> Location:
    if location is not None:
        return location
    return TextLocation(start.line, start.column, end.line, end.column)


class Finding(Record):
    """One problem at an exact place in one file."""

    __match_args__ = (
        "path",
        "span",
        "start",
        "end",
        "rule",
        "name",
        "category",
        "severity",
        "message",
        "fix",
        "location",
        "related",
    )
    __slots__ = __match_args__

    def __init__(
        self,
        path: str,
        span: Span,
        start: Position,
        end: Position,
        rule: str,
        name: str,
        category: Category,
        severity: Severity,
        message: str,
        fix: Fix | None = None,
        location: Location | None = None,
        related: tuple[Related, ...] = (),
    ) -> None:
        """Rule ``rule`` found a problem at ``span`` of the file at ``path``.

        ``start`` and ``end`` are positions in the text the rules read (for
        a ``.docx``, web page or PDF: as ``disclosure-lint render`` prints
        it); ``location`` is the place in the source file when that is not
        the same (``None`` for a text draft); ``related`` are other places
        the finding names (last year's report, for a year-over-year check).
        """
        self.path: Final = path
        self.span: Final = span
        self.start: Final = start
        self.end: Final = end
        self.rule: Final = rule
        self.name: Final = name
        self.category: Final = category
        self.severity: Final = severity
        self.message: Final = message
        self.fix: Final = fix
        self.location: Final = location
        self.related: Final = related

    @property
    def source_location(self) -> Location:
        """Where the finding is in the user's file, in the file's terms."""
        return _source_location(self.location, self.start, self.end)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Deterministic order: path, line, column, rule id."""
        return (self.path, self.start.line, self.start.column, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """The JSON wire form (schema version ``SCHEMA_VERSION``)."""
        out: dict[str, Any] = {
            "path": self.path,
            "line": self.start.line,
            "column": self.start.column,
            "end_line": self.end.line,
            "end_column": self.end.column,
            "rule": self.rule,
            "name": self.name,
            "category": self.category.value,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.source_location.to_dict(),
        }
        if self.fix is not None:
            out["fix"] = {
                "line": self.fix.start.line,
                "column": self.fix.start.column,
                "end_line": self.fix.end.line,
                "end_column": self.fix.end.column,
                "replacement": self.fix.replacement,
                "safe": self.fix.safe,
            }
        if self.related:
            out["related"] = [place.to_dict() for place in self.related]
        return out
