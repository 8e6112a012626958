"""Findings, fixes, severities and categories: the versioned wire schema."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .document import Position, Span

SCHEMA_VERSION = 1


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


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace ``span`` (at ``start``..``end``) with ``replacement``.

    Applied by ``--fix`` only when ``safe``: a known typo or a conversion
    leftover to delete. Numbers are never fixed.
    """

    span: Span
    replacement: str
    start: Position
    end: Position
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at an exact place in one file."""

    path: str
    span: Span
    start: Position
    end: Position
    rule: str
    name: str
    category: Category
    severity: Severity
    message: str
    fix: Fix | None = None

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
