"""The formatter interface: one object per run, fed file by file."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, TextIO

from ..findings import Finding, Severity

if TYPE_CHECKING:
    from ..engine import FileResult
    from ..packs import PackSet


@dataclass(slots=True)
class Summary:
    """Counts for the closing line and machine outputs."""

    files: int = 0
    files_with_errors: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    fixable: int = 0
    fixed: int = 0

    def add(self, result: FileResult) -> None:
        """Count one file's outcome."""
        self.files += 1
        if result.error is not None:
            self.files_with_errors += 1
        for finding in result.findings:
            self.by_severity[finding.severity.value] += 1
            self.by_rule[finding.rule] += 1
            if finding.fix is not None and finding.fix.safe:
                self.fixable += 1

    @property
    def total(self) -> int:
        """Number of findings."""
        return sum(self.by_severity.values())

    def to_dict(self) -> dict[str, object]:
        """JSON form."""
        return {
            "files": self.files,
            "files_with_errors": self.files_with_errors,
            "findings": self.total,
            "error": self.by_severity.get("error", 0),
            "warning": self.by_severity.get("warning", 0),
            "info": self.by_severity.get("info", 0),
            "fixable": self.fixable,
            "fixed": self.fixed,
        }


@dataclass(slots=True)
class FormatContext:
    """What every formatter may need besides the results."""

    out: TextIO
    lang: str = "zh"
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    packset: PackSet | None = None
    # NOTE: formats that mark pass/fail per finding (junit) follow the same
    # threshold as the exit code.
    fail_on: Severity = Severity.ERROR
    quiet: bool = False  # --quiet: no closing line (text)


class Formatter:
    """Base class: ``file()`` per result in path order, then ``finish()``.

    Parallel runs (``-j``) send back from the workers only what the formatter
    reads of ``result.report``; two flags say how much:

    ``needs_document``: ``report.document`` must hold the real text (source
    lines, flagged text). When false, the document only carries encoding,
    BOM and path (and ``report.outline`` only year and edition). Defaults
    to true so a new format is correct before it is fast.
    ``needs_report``: the whole report (outline sections, tables): such a
    format runs in-process whatever ``-j`` says.
    """

    needs_document: bool = True
    needs_report: bool = False

    def __init__(self, ctx: FormatContext) -> None:
        """Keep the context."""
        self.ctx = ctx

    def file(self, result: FileResult) -> None:
        """Handle one file's result."""

    def finish(self, summary: Summary) -> None:
        """Write whatever comes after the last file."""


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in the deterministic order."""
    return sorted(findings, key=lambda f: f.sort_key)


def relative_path(path: str) -> str:
    """``path`` relative to the working directory, with ``/`` separators.

    CI annotations and SARIF locations are resolved against the checkout, so a
    path given as absolute is made relative when it lies under the working
    directory; any other path keeps its form (``../`` is kept as is).
    """
    pure = PurePath(path)
    if pure.is_absolute():
        try:
            pure = Path(path).relative_to(Path.cwd())
        except ValueError:
            return pure.as_posix()
    text = os.path.normpath(pure)
    return PurePath(text).as_posix()
