"""A self-contained HTML report for editors (``--format html --output r.html``).

One page, no network needed to view it (inline CSS, system CJK fonts, no
scripts; a Content-Security-Policy forbids loading anything). Per draft: the
counts by severity and category, a list of findings, its tables as read
(drawn as the official grids, the cells of failing equations highlighted:
``html_tables``), then the draft itself
with every finding's exact span highlighted on its line and its message
beside it. Several drafts get a summary table linking to each one.

The page is bounded by the findings, not by the drafts: a draft without
findings is listed but its text is not shown; a draft longer than
``MAX_DRAFT_CHARS`` shows only the lines within ``NEAR_LINES`` of a
finding; a line longer than ``LONG_LINE`` shows ``base.CONTEXT_CHARS``
characters around each end of each span on it (and its first ones), the rest
elided with a count; a piece of text lists at most ``MAX_TITLE_NOTES``
findings in its tooltip.

``run`` drops each file's document after ``file()``, so ``file()`` builds the
view right away, renders its summary row and its section and spools them
(``base.Spool``); ``finish()`` writes the head (totals), then the spooled
parts. The section's findings and lines (cut into highlighted pieces as
they are read) are rendered a batch at a time (``ITEMS_PER_RENDER``), so
memory grows neither with the number of drafts nor with a draft's length,
and a draft with 100,000 findings is not rendered as one string. jinja2 is
imported here only, so other formats never pay for it.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from markupsafe import Markup

from ..version import __version__
from .base import Formatter, Spool, Summary
from .html_tables import table_views
from .html_view import (
    CATEGORIES,
    SEVERITIES,
    FileView,
    Line,
    RelatedNote,
    build_view,
)

if TYPE_CHECKING:
    from ..engine.lint import FileResult

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "report.html.j2"
#: Findings, or pieces and notes of lines, rendered (and held) at a time.
ITEMS_PER_RENDER = 2_000


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``ITEMS_PER_RENDER``."""
    stream = iter(items)
    while batch := list(islice(stream, ITEMS_PER_RENDER)):
        yield batch


class HtmlFormatter(Formatter):
    """Renders each file's parts as it comes; the page is assembled at the end."""

    # NOTE: the table view draws the tables as read (``result.tables``).
    needs_tables = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Load the template; start with no files."""
        super().__init__(*args, **kwargs)
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        env = Environment(
            loader=FileSystemLoader(TEMPLATE_DIR),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._page: Any = env.get_template(TEMPLATE).make_module(
            {
                "lang": self.ctx.lang,
                "version": __version__,
                "severities": SEVERITIES,
                "categories": CATEGORIES,
            }
        )
        self._rows = Spool()
        self._sections = Spool()
        # NOTE: the first draft's view waits for a second one: alone, its
        # section has no "back to top" link (and the page no summary).
        self._first: FileView | None = None
        self._count = 0
        self._rule_names: dict[str, str] = {}
        # NOTE: a link to another draft of the report (``Finding.related``)
        # needs its anchor and how many lines it shows, known only once all
        # drafts are: it is a token in the spooled sections (``_Links``, a
        # random part the drafts cannot contain by chance), replaced at the
        # end. Each draft's anchor and lines are spooled too (memory stays
        # flat); only the drafts named by a finding are looked up.
        self._links = _Links(secrets.token_hex(8))
        self._targets = Spool()
        self._wanted: set[str] = set()
        self._resolved: dict[str, tuple[str, int]] | None = None

    def file(self, result: FileResult) -> None:
        """Render this file's row and section now: its document is freed next."""
        self._count += 1
        view = build_view(self._count, result, self.ctx.lang)
        place = json.dumps(result.path)  # NOTE: ASCII, on one line
        self._targets.write(f"{view.anchor}\t{view.full_lines}\t{place}\n")
        for finding in result.findings:
            self._wanted.update(related.path for related in finding.related)
        for finding in result.findings:
            self._rule_names.setdefault(finding.rule, finding.name)
        self._rows.write(str(self._page.summary_row(view)))
        if self._count == 1:
            self._first = view
            return
        if self._first is not None:
            self._section(self._first, True, self._sections)
            self._first = None
        self._section(view, True, self._sections)

    def _section(self, view: FileView, several: bool, out: TextIO | Spool) -> None:
        """Render one draft's section to ``out``, a batch at a time."""
        page = self._page
        # NOTE: as the draft's text, a batch's clean drafts do not show their
        # tables (the page would grow with the batch); a single draft does.
        view.show_tables = bool(view.grids) and (view.shown or not several)
        for note in view.notes:
            for related in note.related:
                related.element = self._element(related)
        if view.show_tables:
            view.tables = table_views(view.anchor, view.grids, self.ctx.lang)
        out.write(str(page.section_open(view, several)))
        for notes in _batches(view.notes):
            out.write(str(page.note_items(view, notes)))
        out.write(str(page.section_draft(view)))
        batch: list[Line] = []
        size = 0
        for line in view.lines:
            weight = 1 + len(line.pieces) + len(line.notes)
            if batch and size + weight > ITEMS_PER_RENDER:
                out.write(str(page.rows(view, batch)))
                batch, size = [], 0
            if weight > ITEMS_PER_RENDER:
                self._long_row(view, line, out)
                continue
            batch.append(line)
            size += weight
        if batch:
            out.write(str(page.rows(view, batch)))
        out.write(str(page.section_close(view)))

    def _element(self, related: RelatedNote) -> Markup:
        """The link to a related place, or its path as text.

        A token until ``finish`` knows the report's drafts.
        """
        if self._resolved is None:
            return self._links.token(related)
        return _element(related, self._resolved.get(related.path))

    def _resolve(self) -> dict[str, tuple[str, int]]:
        """Anchor and lines shown of each draft named by a finding."""
        found: dict[str, tuple[str, int]] = {}
        for record in self._targets.lines():
            anchor, lines, place = record.split("\t", 2)
            path = json.loads(place)
            if path in self._wanted and path not in found:
                found[path] = (anchor, int(lines))
        return found

    def _long_row(self, view: FileView, line: Line, out: TextIO | Spool) -> None:
        """One line with very many pieces or notes, a batch at a time."""
        page = self._page
        out.write(str(page.row_open(view, line)))
        for pieces in _batches(line.pieces):
            out.write(str(page.pieces(pieces)))
        out.write(str(page.row_middle()))
        for notes in _batches(line.notes):
            out.write(str(page.line_notes(notes)))
        out.write(str(page.row_close()))

    def finish(self, summary: Summary) -> None:
        """Write the head and totals, then the spooled rows and sections."""
        out = self.ctx.out
        page = self._page
        out.write(str(page.head(summary, bool(self._wanted))))
        if self._count > 1:
            out.write(str(page.summary_open()))
            self._rows.copy_to(out)
            out.write(str(page.summary_close()))
        if self.ctx.statistics:
            statistics = [
                (rule, self._rule_names.get(rule, ""), count)
                for rule, count in sorted(
                    summary.by_rule.items(), key=lambda kv: (-kv[1], kv[0])
                )
            ]
            if statistics:
                out.write(str(page.statistics_card(statistics)))
        self._resolved = self._resolve()
        if self._first is not None:
            self._section(self._first, False, out)
        if self._links.pending:
            self._links.copy_to(self._sections, out, self._resolved)
        else:
            self._sections.copy_to(out)
        out.write(str(page.tail()))


def _element(related: RelatedNote, target: tuple[str, int] | None) -> Markup:
    """A link to ``related`` in the draft's section, or its place as text.

    To the line when the draft shows all its lines, else to the section.
    """
    if target is None:
        return Markup('<span class="rel">{}</span>').format(related.where)
    anchor, lines = target
    if 1 <= related.line <= lines:
        anchor += f"-L{related.line}"
    return Markup('<a class="rel" href="#{}">{}</a>').format(anchor, related.where)


class _Links:
    """Links to drafts not yet seen: tokens in the spool, replaced at the end."""

    def __init__(self, nonce: str) -> None:
        """Tokens ``NUL rel<nonce>-<n> NUL``."""
        self._prefix = f"\0rel{nonce}-"
        self._pattern = re.compile(f"{re.escape(self._prefix)}(\\d+)\0")
        self.pending: list[RelatedNote] = []

    def token(self, related: RelatedNote) -> Markup:
        """Stand for ``related``'s element until the report's drafts are known."""
        self.pending.append(related)
        return Markup(f"{self._prefix}{len(self.pending) - 1}\0")

    def copy_to(
        self, spool: Spool, out: TextIO, targets: dict[str, tuple[str, int]]
    ) -> None:
        """Write ``spool`` to ``out``, each token replaced by its element.

        NOTE: a chunk at a time, a token cut by the chunk's end kept for
        the next; the spool is never read whole.
        """
        elements = [_element(r, targets.get(r.path)) for r in self.pending]
        carry = ""
        for chunk in spool.chunks():
            text = self._pattern.sub(lambda m: elements[int(m[1])], carry + chunk)
            cut = text.rfind("\0")
            keep = cut >= 0 and len(text) - cut < len(self._prefix) + 24
            carry = text[cut:] if keep else ""
            out.write(text[:cut] if keep else text)
        out.write(carry)
