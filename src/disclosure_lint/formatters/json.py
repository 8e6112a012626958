"""JSON output, schema version 1 (documented in README, pinned by a test).

``{"version": 1, "findings": [...], "files": [...], "summary": {...}}``;
findings are streamed file by file so a large batch is never held whole.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..findings import SCHEMA_VERSION
from .base import Formatter, Summary

if TYPE_CHECKING:
    from ..engine import FileResult


def file_entry(result: FileResult) -> dict[str, Any]:
    """The ``files`` entry of one result."""
    entry: dict[str, Any] = {"path": result.path, "findings": len(result.findings)}
    if result.error is not None:
        entry["error"] = result.error
    report = result.report
    if report is not None:
        entry["encoding"] = report.document.encoding
        entry["year"] = report.outline.year
        entry["edition"] = report.outline.edition
    return entry


class JsonFormatter(Formatter):
    """Writes one JSON object; findings are written as they come."""

    needs_document = False  # NOTE: only encoding, year and edition are read

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Start the object."""
        super().__init__(*args, **kwargs)
        self._files: list[dict[str, Any]] = []
        self._first = True
        self.ctx.out.write(f'{{"version": {SCHEMA_VERSION}, "findings": [')

    def file(self, result: FileResult) -> None:
        """Append this file's findings."""
        for finding in result.findings:
            sep = "\n  " if self._first else ",\n  "
            self._first = False
            self.ctx.out.write(
                sep + json.dumps(finding.to_dict(), ensure_ascii=False, sort_keys=True)
            )
        self._files.append(file_entry(result))

    def finish(self, summary: Summary) -> None:
        """Close the findings and write files and summary."""
        tail: dict[str, Any] = {"files": self._files, "summary": summary.to_dict()}
        if self.ctx.statistics:
            tail["statistics"] = dict(sorted(summary.by_rule.items()))
        body = json.dumps(tail, ensure_ascii=False, sort_keys=True, indent=2)
        self.ctx.out.write(("\n" if not self._first else "") + "], " + body[1:] + "\n")
