"""Where a text rule looks: the whole text, the title, the body or a section."""

from __future__ import annotations

from ..document.text import Span
from .report import Report


def scope_spans(report: Report, scope: str) -> list[Span]:
    """Spans of the document that ``scope`` names (possibly none)."""
    length = len(report.document.text)
    title = report.outline.title
    front = report.front
    if scope == "all":
        return [Span(front, length)]
    if scope == "title":
        return [title.span] if title else []
    if scope == "body":
        return [Span(max(front, title.span.end if title else 0), length)]
    return [s.body for s in report.outline.sections if s.key == scope]
