"""Findings, fixes, severities and categories: the versioned wire schema."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final

from .text import Position, Record, Span

#: Version 2: ``summary.files_with_errors`` became ``files_failed``.
SCHEMA_VERSION = 2


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
    ) -> None:
        """Rule ``rule`` found a problem at ``span`` of the file at ``path``."""
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
        return out
