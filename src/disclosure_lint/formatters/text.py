"""Text output: ``path:line:col: severity ID message``.

For a draft read from a Word document, web page or PDF, ``line:col`` is the
place in that file (``base.place``: ``段落12``, ``表2第3行第4列``,
``第3页第12行``, or the line and column of the HTML source).

On a terminal each finding is followed by its source line and a marker under
the span; the marker counts East Asian wide characters as two columns. A long
line is shown as an excerpt around the span (``base.excerpt``); for a
rendered draft it is the rendered line, and the gutter says so.

A finding that names other places (``Finding.related``: last year's report)
is followed by one indented line per place,
``    = 参见 previous/2023.txt:12:5: 上年（2023年）报告中的对应内容``.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from ..document.paths import escape_path
from .base import (
    Excerpt,
    FormatContext,
    Formatter,
    Summary,
    excerpt,
    gutter,
    place,
    related_line,
)

if TYPE_CHECKING:
    from ..document.findings import Finding, Related
    from ..engine.lint import FileResult

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD = "\033[1m"
_RESET = "\033[0m"


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (wide and fullwidth characters take 2)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _expand_tabs(text: str) -> str:
    return text.replace("\t", "    ")


class TextFormatter(Formatter):
    """The default, human-readable format."""

    def __init__(self, ctx: FormatContext) -> None:
        """Keep the context; the document text is read only to show source."""
        super().__init__(ctx)
        self.needs_document = ctx.show_source

    def file(self, result: FileResult) -> None:
        """Print one line per finding (plus source context on a terminal)."""
        out = self.ctx.out
        doc = result.report.document if result.report is not None else None
        rendered = doc is not None and (doc.form != "text" or doc.source is not None)
        for finding in result.findings:
            out.write(self._line(escape_path(finding.path), finding) + "\n")
            if self.ctx.show_source and doc is not None:
                out.write(self._source(excerpt(doc, finding), finding, rendered))
            for related in finding.related:
                out.write(self._related(related) + "\n")

    def _line(self, path: str, f: Finding) -> str:
        where = f"{path}:{place(f, self.ctx.lang)}:"
        severity = f.severity.value
        fixable = " [*]" if f.fix is not None and f.fix.safe else ""
        if self.ctx.color:
            where = f"{_BOLD}{where}{_RESET}"
            severity = f"{_COLORS[severity]}{severity}{_RESET}"
            return f"{where} {severity} {_BOLD}{f.rule}{_RESET}{fixable} {f.message}"
        return f"{where} {severity} {f.rule}{fixable} {f.message}"

    def _related(self, related: Related) -> str:
        """``    = 参见 previous/2023.txt:12:5: message``, under its finding.

        NOTE: indented and starting with ``=`` (as rustc's notes), so that
        what reads ``path:line:col: severity`` lines (editors, problem
        matchers, ``grep '^path:'``) never takes it for a finding, while
        ``grep previous/2023.txt:12`` still finds it.
        """
        text = related_line(related, self.ctx.lang)
        if self.ctx.color:
            return f"    {_BOLD}={_RESET} {text}"
        return f"    = {text}"

    def _source(self, shown: Excerpt, f: Finding, rendered: bool) -> str:
        pad = display_width(_expand_tabs(shown.before))
        width = max(1, display_width(_expand_tabs(shown.flagged)))
        head = gutter(f.start.line, rendered, self.ctx.lang)
        marker = " " * (display_width(head) - 2) + "| " + " " * pad + "^" * width
        if self.ctx.color:
            marker = f"{_COLORS[f.severity.value]}{marker}{_RESET}"
        return f"{head}{_expand_tabs(shown.text)}\n{marker}\n"

    def finish(self, summary: Summary) -> None:
        """Print statistics (if asked) and a closing count (unless quiet)."""
        out = self.ctx.out
        if self.ctx.statistics and summary.by_rule:
            for rule, count in sorted(
                summary.by_rule.items(), key=lambda kv: (-kv[1], kv[0])
            ):
                out.write(f"{count:>6}  {rule}\n")
        if summary.partial or (not self.ctx.quiet and summary.files):
            out.write(self._closing(summary) + "\n")

    def _closing(self, s: Summary) -> str:
        """One line: the findings, or that there are none; files in error.

        NOTE: a clean run says so (as ruff and Vale do) rather than print
        nothing, and a file that could not be checked is counted apart:
        "no problems" must not cover a draft that was never read.
        """
        words = _CLOSING.get(self.ctx.lang, _CLOSING["zh"])
        counts = {
            "total": s.total,
            "files": s.files - s.files_failed,
            "failed": s.files_failed,
            "done": s.files,  # read or not: what an interrupted run got through
            "fixable": s.fixable,
            "fixed": s.fixed,
            **{k: s.by_severity.get(k, 0) for k in ("error", "warning", "info")},
        }
        text = ""
        if s.total:
            text = words["found"].format(**counts)
            if s.fixable:
                text += words["fixable"].format(**counts)
            if s.fixed:
                text += words["fixed"].format(**counts)
        elif s.fixed:
            text = words["clean_fixed"].format(**counts)
        elif counts["files"]:
            text = words["clean"].format(**counts)
        if s.tables_skipped:
            text += words["skipped"].format(skipped=len(s.tables_skipped))
        if s.files_failed:
            text += words["failed"].format(**counts)
        if s.partial:
            text += words["partial"].format(**counts)
        return text.strip()


_CLOSING = {
    "zh": {
        "found": "共发现 {total} 个问题（{files} 个文件）："
        "错误 {error}，警告 {warning}，提示 {info}。",
        "clean": "未发现问题（{files} 个文件）。",
        "clean_fixed": "已修复 {fixed} 个问题，未发现其他问题（{files} 个文件）。",
        "fixable": "其中 {fixable} 个可用 --fix 自动修复（标记 [*]）。",
        "fixed": "已修复 {fixed} 个。",
        "failed": "{failed} 个文件出错（见错误信息）。",
        "skipped": "{skipped} 个表格无法逐格读取，未逐格检查（见 TB012）。",
        "partial": "检查被中断：以上只是已检查完的 {done} 个文件的结果。",
    },
    "en": {
        "found": "Found {total} problem(s) in {files} file(s): "
        "{error} error(s), {warning} warning(s), {info} info.",
        "clean": "No problems found in {files} file(s).",
        "clean_fixed": "Fixed {fixed} problem(s); "
        "no other problems found in {files} file(s).",
        "fixable": " {fixable} fixable with --fix ([*]).",
        "fixed": " Fixed {fixed}.",
        "failed": " {failed} file(s) had errors (see the error messages).",
        "skipped": " {skipped} table(s) could not be read cell by cell "
        "and were not checked cell by cell (see TB012).",
        "partial": " Interrupted: these are the results of the {done} file(s) "
        "checked so far only.",
    },
}
