"""What the HTML report shows of a draft: lines cut into pieces with findings.

``build_view`` turns one ``FileResult`` into a ``FileView``, bounded in size
(long drafts and lines are cut around their findings); ``html`` renders it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from heapq import nsmallest
from typing import TYPE_CHECKING

from ..document.findings import Category, Severity
from ..document.paths import escape_path
from .base import CONTEXT_CHARS, ELLIPSIS, place
from .html_tables import TableView

if TYPE_CHECKING:
    from ..document.findings import Finding, Related
    from ..document.grids import TableGrid
    from ..engine.lint import FileResult


SEVERITIES = [s.value for s in Severity]
CATEGORIES = [c.value for c in Category]
#: A draft longer than this (characters) shows only the lines near findings.
MAX_DRAFT_CHARS = 200_000
#: Lines shown before and after a finding's first and last line then.
NEAR_LINES = 2
#: A line longer than this (characters) is shown as excerpts around spans.
LONG_LINE = 1_000
#: Findings named in the tooltip of one piece of text.
MAX_TITLE_NOTES = 5


@dataclass(slots=True)
class RelatedNote:
    """A place a finding names in another draft (last year's report).

    ``element`` is set by the formatter when it renders the note: a link
    to that draft's section (to the line if it is shown) when the draft is
    in the report, else ``where`` as text.
    """

    #: The other draft's path as given (to find it among the report's).
    path: str
    #: Its line in the rendered text (the page's line anchors number those).
    line: int
    #: ``previous/2023.txt:12:5`` (the path escaped, the place in its file).
    where: str
    message: str
    element: object = None


def related_note(related: Related, lang: str) -> RelatedNote:
    """The page's view of one related place."""
    where = f"{escape_path(related.path)}:{place(related, lang)}"
    return RelatedNote(related.path, related.start.line, where, related.message)


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
    #: The place in a file rendered from another form (``段落12``,
    #: ``第3页第12行``, the HTML source's ``line:column``); None for text.
    place: str | None = None
    related: list[RelatedNote] = field(default_factory=list)


@dataclass(slots=True)
class Piece:
    """A run of one line's text; ``notes`` cover it (caret: an empty span).

    ``more`` findings also cover it but are not named (``MAX_TITLE_NOTES``);
    ``elided`` characters were left out here (the piece shows an ellipsis).
    """

    text: str
    severity: str | None = None
    notes: list[Note] = field(default_factory=list)
    caret: bool = False
    more: int = 0
    elided: int = 0

    @property
    def title(self) -> str:
        """Hover text: the findings that cover this piece."""
        lines = [f"{n.rule} {n.message}" for n in self.notes]
        if self.more:
            lines.append(f"(+{self.more})")
        return "\n".join(lines)


@dataclass(slots=True)
class Line:
    """One line of the draft with its pieces and the findings that start on it.

    A line with ``omitted`` > 0 stands for that many lines not shown.
    """

    number: int
    pieces: list[Piece]
    notes: list[Note]
    severity: str | None
    omitted: int = 0


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
    #: ``text``, or the form the draft was rendered from (``docx``...).
    form: str = "text"
    notes: list[Note] = field(default_factory=list)
    #: The lines shown, made as they are read (``shown`` says if any).
    lines: Iterator[Line] = field(default_factory=lambda: iter(()))
    shown: bool = False
    #: ``NEAR_LINES`` when only the lines near findings are shown, else 0.
    near_only: int = 0
    #: Lines shown, all of them from 1 (0: not shown, or only some).
    full_lines: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_category: dict[str, Counter[str]] = field(default_factory=dict)
    #: The tables as read; their views (``html_tables``), made only when
    #: the page shows them (``show_tables``).
    grids: tuple[TableGrid, ...] = ()
    tables: list[TableView] = field(default_factory=list)
    show_tables: bool = False

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
        A line longer than ``LONG_LINE`` keeps only the text near the ends
        of its spans (``kept_ranges``); each gap is one elided piece.
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
    kept = kept_ranges(len(text), ranges, carets)
    pieces = _sweep(text, ranges, carets, kept)
    starting = [n for _, _, n in spans if n.line == number]
    return Line(number, pieces, starting, worst_of(starting))


def kept_ranges(
    length: int, ranges: list[tuple[int, int, Note]], carets: dict[int, list[Note]]
) -> list[tuple[int, int]]:
    """The parts of a line to show, sorted and disjoint.

    The whole line if it is at most ``LONG_LINE`` characters; else its first
    ``CONTEXT_CHARS`` characters and as many on both sides of every span end
    and caret, so what is shown grows with the findings, not the line.
    """
    if length <= LONG_LINE:
        return [(0, length)]
    points = [x for a, b, _ in ranges for x in (a, b)] + list(carets)
    windows = sorted(
        [(0, min(length, CONTEXT_CHARS))]
        + [(max(0, x - CONTEXT_CHARS), min(length, x + CONTEXT_CHARS)) for x in points]
    )
    merged: list[tuple[int, int]] = []
    for a, b in windows:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _sweep(
    text: str,
    ranges: list[tuple[int, int, Note]],
    carets: dict[int, list[Note]],
    kept: list[tuple[int, int]],
) -> list[Piece]:
    """The pieces of a line, left to right, in one pass over its cut points.

    NOTE: the spans covering each piece are kept up to date as the pass
    enters and leaves them (not searched for each piece), so a line with
    100,000 findings is cut in time linear in them.
    """
    cuts = sorted(
        {0, len(text), *carets}
        | {a for a, _, _ in ranges}
        | {b for _, b, _ in ranges}
        | {x for k in kept for x in k}
    )
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, (a, b, _) in enumerate(ranges):
        opening.setdefault(a, []).append(i)
        closing.setdefault(b, []).append(i)
    active: dict[int, tuple[int, int, Note]] = {}
    severities: Counter[str] = Counter()
    pieces: list[Piece] = []
    k = 0
    for i, x in enumerate(cuts):
        for j in closing.get(x, ()):
            severities[active.pop(j)[2].severity] -= 1
        for j in opening.get(x, ()):
            active[j] = ranges[j]
            severities[ranges[j][2].severity] += 1
        if x in carets:
            notes = carets[x]
            pieces.append(Piece("", worst_of(notes), notes, caret=True))
        if i + 1 == len(cuts):
            break
        y = cuts[i + 1]
        while k < len(kept) and kept[k][1] <= x:
            k += 1
        if k == len(kept) or kept[k][0] > x:  # NOTE: a gap, or the line's rest
            if pieces and pieces[-1].elided:
                pieces[-1].elided += y - x
            else:
                pieces.append(Piece(ELLIPSIS, elided=y - x))
            continue
        worst = next((sev for sev in SEVERITIES if severities[sev] > 0), None)
        notes, more = _named(active)
        pieces.append(Piece(text[x:y], worst, notes, more=more))
    return pieces


def _named(active: dict[int, tuple[int, int, Note]]) -> tuple[list[Note], int]:
    """The notes a piece names (the narrowest spans first), and how many not."""
    spans = list(active.values())
    if len(spans) > MAX_TITLE_NOTES:
        spans = nsmallest(MAX_TITLE_NOTES, spans, key=lambda r: r[1] - r[0])
    notes = sorted((n for _, _, n in spans), key=lambda n: n.number)
    return notes, len(active) - len(notes)


def build_view(index: int, result: FileResult, lang: str) -> FileView:
    """The page's view of one file's result."""
    view = FileView(
        index, escape_path(result.path), f"file-{index}", error=result.error
    )
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
            place=None if finding.location is None else finding.location.label(lang),
            related=[related_note(r, lang) for r in finding.related],
        )
        view.notes.append(note)
        view.by_severity[note.severity] += 1
        view.by_category.setdefault(note.category, Counter())[note.severity] += 1
    if report is None:
        return view
    doc = report.document
    view.year, view.edition = report.outline.year, report.outline.edition
    view.encoding = doc.encoding
    view.form = doc.form
    view.grids = result.tables or ()
    if result.findings:
        # NOTE: a draft without findings is not shown: a batch of clean
        # drafts would make a page as large as all of them.
        view.shown = True
        view.lines = _lines(view, result.findings, *doc.split_lines())
    return view


def _lines(
    view: FileView, findings: list[Finding], texts: list[str], starts: list[int]
) -> Iterator[Line]:
    """The draft's lines (or those near findings), cut into pieces."""
    count = len(texts)
    last_lines = {f.end.line for f in findings}
    if count > 1 and texts[-1] == "" and count not in last_lines:
        count -= 1  # NOTE: the "line" after a final newline, unless flagged
    if starts[count] - 1 <= MAX_DRAFT_CHARS:
        shown = list(range(1, count + 1))
        view.full_lines = count
    else:
        view.near_only = NEAR_LINES
        near = {
            n
            for f in findings
            for line in (f.start.line, f.end.line)
            for n in range(line - NEAR_LINES, line + NEAR_LINES + 1)
        }
        shown = sorted(n for n in near if 1 <= n <= count)
    touching: dict[int, list[tuple[int, int, Note]]] = {}
    for finding, note in zip(findings, view.notes, strict=True):
        i = bisect_left(shown, finding.start.line)
        while i < len(shown) and shown[i] <= finding.end.line:
            touching.setdefault(shown[i], []).append(
                (finding.span.start, finding.span.end, note)
            )
            i += 1
    return _cut(shown, count, texts, starts, touching)


def _cut(
    shown: list[int],
    count: int,
    texts: list[str],
    starts: list[int],
    touching: dict[int, list[tuple[int, int, Note]]],
) -> Iterator[Line]:
    """Each shown line cut into pieces, a gap row where lines are left out."""
    previous = 0
    for number in shown:
        if number > previous + 1:
            yield Line(0, [], [], None, omitted=number - previous - 1)
        spans = touching.get(number, [])
        yield split_line(number, texts[number - 1], starts[number - 1], spans)
        previous = number
    if shown and shown[-1] < count:
        yield Line(0, [], [], None, omitted=count - shown[-1])
