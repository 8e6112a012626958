"""The formatter interface: one object per run, fed file by file."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, TextIO

from ..document.findings import Finding, Related, Severity
from ..document.paths import escape_path
from ..records import dataclass, field

if TYPE_CHECKING:
    from tempfile import SpooledTemporaryFile

    from ..document.text import Document
    from ..engine.lint import FileResult
    from ..packs.model import PackSet

#: Characters of the draft shown on either side of a finding's span.
CONTEXT_CHARS = 60
#: Characters of the span itself shown; a longer span is cut after them.
SPAN_CHARS = 80
#: The rule that reports a table not read cell by cell (``Table.skipped``):
#: its findings say which tables the summary lists as skipped.
SKIPPED_TABLE_RULE = "TB012"
#: Marks text left out of an excerpt.
ELLIPSIS = "…"
#: Characters a ``Spool`` keeps in memory before it moves to a temporary file.
SPOOL_MEMORY = 1 << 22

# NOTE: a backslash introduces an escape in a shown file name, so it is
# doubled, except where it separates directories (Windows).


@dataclass(slots=True)
class Summary:
    """Counts for the closing line and machine outputs."""

    files: int = 0
    #: Files that could not be read, fixed or linted (not: files with
    #: error findings).
    files_failed: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    fixable: int = 0
    fixed: int = 0
    #: The run was interrupted (Ctrl-C): only ``files`` files were done.
    partial: bool = False
    #: Tables not read cell by cell (TB012): (path, line, column) where each
    #: starts. NOTE: taken from the findings, which every run (``-j`` too)
    #: brings back, rather than from the tables.
    tables_skipped: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, result: FileResult) -> None:
        """Count one file's outcome."""
        self.files += 1
        if result.error is not None:
            self.files_failed += 1
        for finding in result.findings:
            self.by_severity[finding.severity.value] += 1
            self.by_rule[finding.rule] += 1
            if finding.fix is not None and finding.fix.safe:
                self.fixable += 1
            if finding.rule == SKIPPED_TABLE_RULE:
                start = finding.start
                self.tables_skipped.append((finding.path, start.line, start.column))

    @property
    def total(self) -> int:
        """Number of findings."""
        return sum(self.by_severity.values())

    def to_dict(self) -> dict[str, object]:
        """JSON form."""
        return {
            "files": self.files,
            "files_failed": self.files_failed,
            "findings": self.total,
            "error": self.by_severity.get("error", 0),
            "warning": self.by_severity.get("warning", 0),
            "info": self.by_severity.get("info", 0),
            "fixable": self.fixable,
            "fixed": self.fixed,
            "tables_skipped": [
                {"path": path, "line": line, "column": column}
                for path, line, column in self.tables_skipped
            ],
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
    ``needs_tables``: the document and ``result.tables``, the tables as read
    (``document.grids`` records, built by the process that read the draft).
    """

    needs_document: bool = True
    needs_report: bool = False
    needs_tables: bool = False

    def __init__(self, ctx: FormatContext) -> None:
        """Keep the context."""
        self.ctx = ctx

    def file(self, result: FileResult) -> None:
        """Handle one file's result."""

    def finish(self, summary: Summary) -> None:
        """Write whatever comes after the last file."""


def place(finding: Finding | Related, lang: str = "zh") -> str:
    """What text output prints between ``path:`` and the severity.

    ``line:column`` of a text draft; for a draft rendered from another form
    the place in that file: ``line:column`` of the HTML source, ``段落12``
    or ``表2第3行第4列`` of a Word document, ``第3页第12行`` of a PDF
    (English with ``lang="en"``). A related place is named the same way.
    """
    location = finding.location
    if location is None:
        return f"{finding.start.line}:{finding.start.column}"
    return location.label(lang)


#: The word before a related place where it is written as one line.
SEE = {"zh": "参见", "en": "see"}


def see_word(lang: str) -> str:
    """``参见`` (``see`` with ``lang="en"``)."""
    return SEE["en" if lang == "en" else "zh"]


def related_line(related: Related, lang: str = "zh", path: str | None = None) -> str:
    """A related place in one line: ``参见 previous/2023.txt:12:5: message``.

    The path is escaped as every output escapes file names (``path``, if
    given, is the form to show, e.g. relative to the checkout); the place
    is what ``place`` prints for a finding.
    """
    shown = escape_path(related.path if path is None else path)
    where = place(related, lang)
    return f"{see_word(lang)} {shown}:{where}: {related.message}"


#: How a rendered line is named where an excerpt of it is shown (``render``
#: prints these numbers).
_RENDERED_LINE = {"zh": "渲染第{line}行", "en": "rendered line {line}"}


def gutter(line: int, rendered: bool, lang: str = "zh") -> str:
    """The gutter before an excerpt of ``line``: ``   12 | ``.

    A draft read from a .docx, web page or PDF shows the line of the text
    the rules read (as ``disclosure-lint render`` numbers it), and says so.
    """
    if not rendered:
        return f"{line:>5} | "
    name = _RENDERED_LINE["en" if lang == "en" else "zh"]
    return name.format(line=line) + " | "


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


class Excerpt:
    """A bounded piece of one line around a finding.

    ``before + flagged + after`` is what is shown; ``flagged`` is the part
    of the span on its first line (cut after ``SPAN_CHARS`` characters),
    ``before`` and ``after`` at most ``CONTEXT_CHARS`` characters each.
    Text left out at either end, or of the span, is marked ``ELLIPSIS``.
    """

    # NOTE: a plain class: a dataclass costs about a millisecond of every
    # start to define (see document.py).
    __slots__ = ("after", "before", "flagged")

    def __init__(self, before: str, flagged: str, after: str) -> None:
        """The three parts."""
        self.before = before
        self.flagged = flagged
        self.after = after

    @property
    def text(self) -> str:
        """The excerpt as one string."""
        return self.before + self.flagged + self.after


def excerpt(doc: Document, finding: Finding) -> Excerpt:
    """The excerpt of ``finding``'s first line, never more than ~200 characters.

    NOTE: only the excerpt is sliced out of the text, never the whole line:
    a draft that is one 5 MB line with 100,000 findings would otherwise copy
    the line once per finding.
    """
    line = doc.index.line_span(finding.start.line)
    start = min(max(finding.span.start, line.start), line.end)
    end = min(max(finding.span.end, start), line.end)
    text = doc.text
    left = max(line.start, start - CONTEXT_CHARS)
    before = text[left:start]
    if left > line.start:
        before = ELLIPSIS + before
    if end - start > SPAN_CHARS:
        return Excerpt(before, text[start : start + SPAN_CHARS] + ELLIPSIS, "")
    right = min(line.end, end + CONTEXT_CHARS)
    after = text[end:right]
    if right < line.end:
        after += ELLIPSIS
    return Excerpt(before, text[start:end], after)


class Spool:
    """Parts of a report written as they come, replayed once at the end.

    NOTE: formats whose head depends on the whole run (SARIF's rule list,
    JSON's ``files`` after the findings, the HTML summary, JUnit's totals)
    write each file's part here instead of keeping objects per file: the
    first few MB stay in memory, the rest goes to a temporary file, so a
    batch of any size runs in flat memory.
    """

    def __init__(self) -> None:
        """An empty spool."""
        import tempfile  # NOTE: not on the start-up path of a text run

        self.count = 0
        # NOTE: open for the formatter's lifetime, closed by copy_to / splice.
        self._file: SpooledTemporaryFile[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=SPOOL_MEMORY, mode="w+", encoding="utf-8", newline=""
        )

    def write(self, text: str) -> None:
        """Add one part."""
        self._file.write(text)
        self.count += 1

    def lines(self) -> Iterator[str]:
        """Everything written, a line at a time; the spool is closed after."""
        self._file.seek(0)
        for line in self._file:
            yield line.rstrip("\n")
        self._file.close()

    def chunks(self) -> Iterator[str]:
        """Everything written, a chunk at a time; the spool is closed after."""
        self._file.seek(0)
        while chunk := self._file.read(1 << 16):
            yield chunk
        self._file.close()

    def copy_to(self, out: TextIO) -> None:
        """Write everything to ``out``; the spool is closed afterwards."""
        import shutil

        self._file.seek(0)
        shutil.copyfileobj(self._file, out, 1 << 16)
        self._file.close()


class JsonArraySpool(Spool):
    """The items of one JSON array, laid out as ``json.dumps(indent=2)`` would."""

    def __init__(self, depth: int, sort_keys: bool) -> None:
        """Items of an array nested ``depth`` levels deep in the document."""
        super().__init__()
        self._prefix = "  " * depth
        self._sort_keys = sort_keys

    def add(self, value: object) -> None:
        """Append one item."""
        import json

        text = json.dumps(
            value, ensure_ascii=False, sort_keys=self._sort_keys, indent=2
        )
        text = self._prefix + text.replace("\n", "\n" + self._prefix)
        self.write(",\n" + text if self.count else text)

    @property
    def stand_in(self) -> list[str]:
        """What to put in the document where the array goes (see ``splice``)."""
        return [PLACEHOLDER] if self.count else []

    def splice(self, document: str, out: TextIO) -> None:
        """Write ``document``, the array's items in place of its ``stand_in``.

        ``document`` is ``json.dumps(..., indent=2)`` of the whole document
        with ``stand_in`` as the array (an empty array stays as it is).
        """
        import json

        if not self.count:
            out.write(document)
            self._file.close()
            return
        marker = self._prefix + json.dumps(PLACEHOLDER)
        before, after = document.split(marker, 1)
        out.write(before)
        self.copy_to(out)
        out.write(after)


#: Stands for a spooled array in the document given to ``splice``.
PLACEHOLDER = "\u0000spooled\u0000"
