"""A self-contained HTML report for editors (``--format html --output r.html``).

One page, no network needed to view it (inline CSS, system CJK fonts, no
scripts; a Content-Security-Policy forbids loading anything). Per draft: the
counts by severity and category, a list of findings, then the draft itself
with every finding's exact span highlighted on its line and its message
beside it. Several drafts get a summary table linking to each one.

``run`` drops each file's document after ``file()``, so ``file()`` builds the
view (lines cut into highlighted segments) right away and keeps only that.
jinja2 is imported here only, so other formats never pay for it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..findings import Category, Severity
from .base import Formatter, Summary

if TYPE_CHECKING:
    from ..engine import FileResult
    from ..findings import Finding

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "report.html.j2"
SEVERITIES = [s.value for s in Severity]
CATEGORIES = [c.value for c in Category]


@dataclass(slots=True)
class Note:
    """One finding as the page shows it."""

    number: int
    anchor: str
    line: int
    column: int
    rule: str
    name: str
    category: str
    severity: str
    message: str
    fix: str | None


@dataclass(slots=True)
class Piece:
    """A run of one line's text; ``notes`` cover it (caret: an empty span)."""

    text: str
    severity: str | None = None
    notes: list[Note] = field(default_factory=list)
    caret: bool = False

    @property
    def title(self) -> str:
        """Hover text: the findings that cover this piece."""
        return "\n".join(f"{n.rule} {n.message}" for n in self.notes)


@dataclass(slots=True)
class Line:
    """One line of the draft with its pieces and the findings that start on it."""

    number: int
    pieces: list[Piece]
    notes: list[Note]
    severity: str | None


@dataclass(slots=True)
class FileView:
    """Everything the page needs about one draft (the document is not kept)."""

    index: int
    path: str
    anchor: str
    error: str | None = None
    year: int | None = None
    edition: str | None = None
    encoding: str | None = None
    notes: list[Note] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    by_severity: Counter[str] = field(default_factory=Counter)
    by_category: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def worst(self) -> str | None:
        """The highest severity present (for the summary table's colour)."""
        for severity in SEVERITIES:
            if self.by_severity.get(severity):
                return severity
        return None


def worst_of(notes: list[Note]) -> str | None:
    """Highest severity among ``notes``."""
    ranks = {s.value: s.rank for s in Severity}
    best = max(notes, key=lambda n: ranks[n.severity], default=None)
    return best.severity if best else None


def fix_label(finding: Finding, lang: str) -> str | None:
    """Describe a safe fix briefly, or None."""
    fix = finding.fix
    if fix is None or not fix.safe:
        return None
    if fix.replacement:
        if lang == "en":
            return f"fix: replace with “{fix.replacement}”"
        return f"可自动修复：改为“{fix.replacement}”"
    return "fix: delete" if lang == "en" else "可自动修复：删除"


def split_line(
    number: int, text: str, start: int, spans: list[tuple[int, int, Note]]
) -> Line:
    """Cut one line into pieces by the findings that touch it.

    Args:
        number: 1-based line number.
        text: the line without its newline.
        start: offset of the line in the document.
        spans: ``(start, end, note)`` in document offsets of every finding
            that touches this line.

    Returns:
        The line, with a caret piece where a finding has nothing to highlight
        on its own line (an empty span, or one that covers only the newline).
    """
    end = start + len(text)
    ranges: list[tuple[int, int, Note]] = []
    carets: dict[int, list[Note]] = {}
    for s, e, note in spans:
        a, b = max(s, start) - start, min(e, end) - start
        if a < b:
            ranges.append((a, b, note))
        elif note.line == number:
            carets.setdefault(min(max(a, 0), len(text)), []).append(note)
    cuts = sorted(
        {0, len(text), *carets} | {a for a, _, _ in ranges} | {b for _, b, _ in ranges}
    )
    pieces: list[Piece] = []
    for i, x in enumerate(cuts):
        if x in carets:
            notes = carets[x]
            pieces.append(Piece("", worst_of(notes), notes, caret=True))
        if i + 1 == len(cuts):
            break
        y = cuts[i + 1]
        covering = [n for a, b, n in ranges if a <= x and b >= y]
        pieces.append(Piece(text[x:y], worst_of(covering), covering))
    starting = [n for _, _, n in spans if n.line == number]
    return Line(number, pieces, starting, worst_of(starting))


def build_view(index: int, result: FileResult, lang: str) -> FileView:
    """The page's view of one file's result."""
    view = FileView(index, result.path, f"file-{index}", error=result.error)
    report = result.report
    for n, finding in enumerate(result.findings, 1):
        note = Note(
            number=n,
            anchor=f"f{index}-n{n}",
            line=finding.start.line,
            column=finding.start.column,
            rule=finding.rule,
            name=finding.name,
            category=finding.category.value,
            severity=finding.severity.value,
            message=finding.message,
            fix=fix_label(finding, lang),
        )
        view.notes.append(note)
        view.by_severity[note.severity] += 1
        view.by_category.setdefault(note.category, Counter())[note.severity] += 1
    if report is None:
        return view
    doc = report.document
    view.year, view.edition = report.outline.year, report.outline.edition
    view.encoding = doc.encoding
    touching: dict[int, list[tuple[int, int, Note]]] = {}
    for finding, note in zip(result.findings, view.notes, strict=True):
        last = max(finding.start.line, finding.end.line)
        for line in range(finding.start.line, last + 1):
            touching.setdefault(line, []).append(
                (finding.span.start, finding.span.end, note)
            )
    texts = doc.text.split("\n")
    if len(texts) > 1 and texts[-1] == "" and len(texts) not in touching:
        texts.pop()  # NOTE: the "line" after a final newline, unless flagged
    offset = 0
    for number, text in enumerate(texts, 1):
        view.lines.append(split_line(number, text, offset, touching.get(number, [])))
        offset += len(text) + 1
    return view


class HtmlFormatter(Formatter):
    """Keeps one ``FileView`` per file and renders the page at the end."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Start with no files."""
        super().__init__(*args, **kwargs)
        self._files: list[FileView] = []
        self._rule_names: dict[str, str] = {}

    def file(self, result: FileResult) -> None:
        """Build this file's view now: the document is freed after this call."""
        self._files.append(build_view(len(self._files) + 1, result, self.ctx.lang))
        for finding in result.findings:
            self._rule_names.setdefault(finding.rule, finding.name)

    def finish(self, summary: Summary) -> None:
        """Render the page."""
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        env = Environment(
            loader=FileSystemLoader(TEMPLATE_DIR),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        statistics = None
        if self.ctx.statistics:
            statistics = [
                (rule, self._rule_names.get(rule, ""), count)
                for rule, count in sorted(
                    summary.by_rule.items(), key=lambda kv: (-kv[1], kv[0])
                )
            ]
        page = env.get_template(TEMPLATE).render(
            lang=self.ctx.lang,
            version=__version__,
            files=self._files,
            summary=summary,
            statistics=statistics,
            severities=SEVERITIES,
            categories=CATEGORIES,
        )
        self.ctx.out.write(page if page.endswith("\n") else page + "\n")
