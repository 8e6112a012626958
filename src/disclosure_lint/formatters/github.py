"""GitHub Actions workflow commands: one annotation per finding.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=ID name::message``
(``warning`` → ``::warning``, ``info`` → ``::notice``). A web page's lines
are those of its HTML source; a Word document or PDF gets an annotation on
the file with the place in the title (``title=ST001 name (段落12)``). An
annotation points at one file: a place in another (last year's report) is
named on a line of the message, ``参见 previous/2023.txt:12:5: …``.
GitHub shows at most 10 annotations of each kind per step, first come first
served, so errors are written first, then warnings, then notices; everything
is still written (the log keeps it all) and a closing line says how many were
beyond the cap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..document.paths import escape_path
from .base import Formatter, Summary, related_line, relative_path

if TYPE_CHECKING:
    from ..document.findings import Finding
    from ..engine.lint import FileResult

ANNOTATIONS_PER_KIND = 10
_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
_ORDER = ("error", "warning", "notice")


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``…), where , and : end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: object) -> str:
    """Format one workflow command; properties whose value is None are left out."""
    pairs = [
        f"{key}={escape_property(str(value))}"
        for key, value in props.items()
        if value is not None
    ]
    head = f"::{kind} {','.join(pairs)}" if pairs else f"::{kind}"
    return f"{head}::{escape_data(message)}"


def finding_command(finding: Finding, lang: str = "zh") -> str:
    """The annotation for one finding.

    GitHub accepts columns only when the annotation starts and ends on the
    same line, so a multi-line span gives lines only. A web page's finding
    points at its HTML source; a Word document or PDF has no lines, so its
    annotation is on the file, the place (``段落12``, ``第3页第12行``) in its
    title.
    """
    where = finding.location
    title = f"{finding.rule} {finding.name}"
    if where is None:
        span: tuple[int, int, int, int] | None = (
            finding.start.line,
            finding.start.column,
            finding.end.line,
            finding.end.column,
        )
    else:
        span = where.file_line
        if span is None:
            title += f" ({where.label(lang)})"
    props: dict[str, Any] = {"file": escape_path(relative_path(finding.path))}
    if span is not None:
        line, column, end_line, end_column = span
        same_line = line == end_line
        props.update(
            line=line,
            col=column if same_line else None,
            endLine=end_line,
            endColumn=end_column if same_line else None,
        )
    props["title"] = title
    message = finding.message
    for related in finding.related:
        # NOTE: an annotation points at one file; the other is named in it.
        message += "\n" + related_line(related, lang, relative_path(related.path))
    return command(_COMMANDS[finding.severity.value], message, **props)


class GithubFormatter(Formatter):
    """Buffers the annotations to write them errors first."""

    needs_document = False  # NOTE: paths and positions only, no source text

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Start one bucket per annotation kind."""
        super().__init__(*args, **kwargs)
        self._lines: dict[str, list[str]] = {kind: [] for kind in _ORDER}

    def file(self, result: FileResult) -> None:
        """Queue this file's annotations (a load error is an error annotation)."""
        if result.error is not None:
            self._lines["error"].append(
                command(
                    "error",
                    result.error,
                    file=escape_path(relative_path(result.path)),
                    title="disclosure-lint: cannot check this file",
                )
            )
        for finding in result.findings:
            kind = _COMMANDS[finding.severity.value]
            self._lines[kind].append(finding_command(finding, self.ctx.lang))

    def finish(self, summary: Summary) -> None:
        """Write the annotations, statistics and the closing line."""
        out = self.ctx.out
        for kind in _ORDER:
            for line in self._lines[kind]:
                out.write(line + "\n")
        if self.ctx.statistics:
            for rule, count in sorted(
                summary.by_rule.items(), key=lambda kv: (-kv[1], kv[0])
            ):
                out.write(f"{count:>6}  {rule}\n")
        hidden = {
            kind: max(0, len(lines) - ANNOTATIONS_PER_KIND)
            for kind, lines in self._lines.items()
        }
        closing = self._closing(summary, hidden)
        if sum(hidden.values()) and len(self._lines["notice"]) < ANNOTATIONS_PER_KIND:
            # NOTE: there is room for one more notice, so the cap warning is
            # itself shown as an annotation on the run's summary page.
            out.write(command("notice", closing, title="disclosure-lint") + "\n")
        else:
            out.write(closing + "\n")

    def _closing(self, s: Summary, hidden: dict[str, int]) -> str:
        e, w, n = (len(self._lines[k]) for k in _ORDER)
        beyond = sum(hidden.values())
        if self.ctx.lang == "en":
            text = (
                f"disclosure-lint: {s.total} finding(s) in {s.files} file(s): "
                f"{e} error, {w} warning and {n} notice annotation(s)."
            )
            if beyond:
                text += (
                    f" {beyond} annotation(s) beyond GitHub's limit of "
                    f"{ANNOTATIONS_PER_KIND} per kind per step are not shown as "
                    f"annotations ({hidden['error']} error, {hidden['warning']} "
                    f"warning, {hidden['notice']} notice); all are in this log."
                )
            if s.partial:
                text += (
                    " Interrupted: these are the results of the "
                    f"{s.files} file(s) checked so far only."
                )
            return text
        text = (
            f"disclosure-lint：{s.files} 个文件共 {s.total} 个问题："
            f"错误标注 {e}，警告标注 {w}，提示标注 {n}。"
        )
        if beyond:
            text += (
                f"GitHub 每个步骤每类最多显示 {ANNOTATIONS_PER_KIND} 条标注，"
                f"超出的 {beyond} 条（错误 {hidden['error']}，警告 "
                f"{hidden['warning']}，提示 {hidden['notice']}）未显示为标注，"
                "完整列表见本步骤日志。"
            )
        if s.partial:
            text += f"检查被中断：以上只是已检查完的 {s.files} 个文件的结果。"
        return text
