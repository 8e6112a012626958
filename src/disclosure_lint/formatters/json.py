"""JSON output, schema version 3 (documented in README, pinned by a test).

``{"version": 3, "findings": [...], "files": [...], "partial": false,
"summary": {...}}``; a finding that names other places (last year's
report) has ``related`` (schema 3 still: an optional key added, see
README); findings are streamed file by file and the ``files``
entries spooled (``base.Spool``), so a large batch is never held whole.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..document.findings import SCHEMA_VERSION
from ..document.paths import escape_path
from .base import Formatter, JsonArraySpool, Summary

if TYPE_CHECKING:
    from ..engine.lint import FileResult


def file_entry(result: FileResult) -> dict[str, Any]:
    """The ``files`` entry of one result."""
    entry: dict[str, Any] = {
        "path": escape_path(result.path),
        "findings": len(result.findings),
    }
    if result.error is not None:
        entry["error"] = result.error
    report = result.report
    if report is not None:
        form = report.document.form
        entry["form"] = form
        if form == "text":
            # NOTE: a rendered draft (.docx, web page, PDF) has no text encoding
            # to report; its form says what was read.
            entry["encoding"] = report.document.encoding
        entry["year"] = report.outline.year
        entry["edition"] = report.outline.edition
    return entry


class JsonFormatter(Formatter):
    """Writes one JSON object; findings are written as they come."""

    needs_document = False  # NOTE: only form, encoding, year and edition are read

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Start the object."""
        super().__init__(*args, **kwargs)
        self._files = JsonArraySpool(depth=2, sort_keys=True)
        self._first = True
        self.ctx.out.write(f'{{"version": {SCHEMA_VERSION}, "findings": [')

    def file(self, result: FileResult) -> None:
        """Append this file's findings."""
        for finding in result.findings:
            sep = "\n  " if self._first else ",\n  "
            self._first = False
            entry = finding.to_dict()
            entry["path"] = escape_path(entry["path"])
            for related in entry.get("related", ()):
                related["path"] = escape_path(related["path"])
            self.ctx.out.write(
                sep + json.dumps(entry, ensure_ascii=False, sort_keys=True)
            )
        self._files.add(file_entry(result))

    def finish(self, summary: Summary) -> None:
        """Close the findings and write files and summary."""
        tail: dict[str, Any] = {
            "files": self._files.stand_in,
            "partial": summary.partial,
            "summary": summary.to_dict(),
        }
        if self.ctx.statistics:
            tail["statistics"] = dict(sorted(summary.by_rule.items()))
        body = json.dumps(tail, ensure_ascii=False, sort_keys=True, indent=2)
        out = self.ctx.out
        out.write(("\n" if not self._first else "") + "], ")
        self._files.splice(body[1:] + "\n", out)
