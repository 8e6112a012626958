"""Where a draft's tables stand: the bodies of the sections that hold them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..document.text import Document, Span
    from ..outline.model import Outline
    from .schema import CompiledTables


def table_region(
    doc: Document, outline: Outline, compiled: CompiledTables
) -> list[tuple[int, int, str | None]]:
    """The section bodies that hold tables; the whole text if one is missing."""
    text = doc.text
    wanted = {s.section for s in compiled.schemas}
    found = {s.key for s in outline.sections}
    if wanted <= found:
        # NOTE: a table section reads on to the next section's heading: a
        # row such as ``四、结转下年度继续办理 103 0 …`` (PDF text) looks like
        # a stray heading and ends the body, not the table.
        ordered = outline.sections
        starts = [s.span.start for s in ordered]
        if starts != sorted(starts):
            ordered = sorted(ordered, key=lambda s: s.span.start)
        found_spans: list[tuple[int, int, str | None]] = []
        for i, s in enumerate(ordered):
            if s.key not in wanted:
                continue
            end = line_start(text, s.body)
            if i + 1 < len(ordered):
                end = max(end, text.rfind("\n", 0, ordered[i + 1].span.start) + 1)
            found_spans.append((s.body.start, end, s.key))
        return found_spans
    # NOTE: without its heading a table lies in another section's body (or
    # before the first heading), so read everything, tagged by section.
    spans: list[tuple[int, int, str | None]] = []
    cursor = 0
    for section in outline.sections:
        start = text.rfind("\n", 0, section.span.start) + 1
        if start > cursor:
            spans.append((cursor, start, None))
        spans.append((section.body.start, line_start(text, section.body), section.key))
        cursor = max(cursor, section.body.end)
    if cursor < len(text):
        spans.append((cursor, len(text), None))
    return spans


def line_start(text: str, body: Span) -> int:
    """Where a body ends: before the line of the next heading (and its ``#``)."""
    if body.end >= len(text):
        return body.end
    return max(body.start, text.rfind("\n", body.start, body.end) + 1)
