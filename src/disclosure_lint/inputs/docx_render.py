r"""A Word document's body rendered as the checker reads a draft.

The rendering (what ``disclosure-lint render`` prints):

- Body content in document order: each ``w:p`` is one line, each ``w:tbl``
  row is one line with its cells separated by ``\t``. Content controls
  (``w:sdt``) and custom XML wrappers are read through. Headers, footers,
  footnotes, endnotes, comments and text boxes are not body text and are
  not read.
- A paragraph's line starts with its automatic list number
  (``docx_numbering``), then the text of its runs.
- A run's text is its ``w:t`` text, ``w:tab``/``w:ptab`` as ``\t``,
  ``w:br``/``w:cr`` (not page or column breaks) as ``\n``, ``w:noBreakHyphen``
  as ``-``. Inside a table cell a tab or a line break is a space (a tab
  would start a new cell, a newline a new row). Directly hidden runs
  (``w:vanish``) are not shown by Word and are not read.
- Tracked changes read as if accepted: ``w:ins`` and ``w:moveTo`` are kept,
  ``w:del`` and ``w:moveFrom`` dropped, a deleted table row dropped, and a
  paragraph whose text and paragraph mark are all deleted disappears (its
  list number is not counted). NOTE: a paragraph whose mark alone is
  deleted (two paragraphs joined) stays on its own line.
- Tables: merged cells are expanded into the grid. The text of a merged
  cell is in its first grid cell (top-left); the cells it covers, to the
  right (``gridSpan``) and below (``vMerge``), are empty. That is how the
  same table reads in a ``.txt`` draft saved from Word (``（五）不予处理``
  in the first row of its group only, ``申请人情况`` followed by empty
  header cells), so a table reads the same in both forms. ``gridBefore``
  gives leading empty cells; a row ends at its last cell. A cell's
  paragraphs are joined with a space; a table nested in a cell is read into
  that cell the same way.

Counting (the ``DocxLocation`` of every character): ``paragraph`` is the
1-based number of the ``w:p`` among the body's paragraphs outside tables,
counting empty ones and ones still shown as tracked deletions, as a reader
counts them down the page in Word. ``table`` is the 1-based number of the
top-level table, ``row`` the 1-based ``w:tr`` in it (deleted rows count, as
Word still shows them), ``column`` the 1-based grid column the cell starts in.
"""

from __future__ import annotations

from typing import Any

from .docx_numbering import Numbering, w
from .docx_xml import (
    COMMENT_MARKS,
    CUSTOM_XML,
    DEL,
    DROPPED,
    INLINE_THROUGH,
    INS,
    MOVE_TO,
    REVISION_TAGS,
    RPR,
    SDT,
    SDT_CONTENT,
    TBL,
    TCPR,
    TRPR,
    P,
    R,
    cells,
    continues_merge,
    grid_int,
    has_accepted_text,
    mark_deleted,
    on,
    rows,
    run_text,
)
from .errors import LoadError

_RPR_CHANGE = w("rPrChange")


def _any(body: Any, tags: tuple[str, ...]) -> bool:
    """Whether ``body`` holds any element named in ``tags``."""
    return next(body.iter(*tags), None) is not None


#: More paragraphs and table rows than this is no report (a real one has a
#: few hundred): refused rather than read for minutes.
MAX_BLOCKS = 200_000


class Place:
    """Where a run of rendered text is, as ``DocxLocation`` counts it."""

    __slots__ = ("column", "paragraph", "row", "table")

    def __init__(
        self,
        paragraph: int | None = None,
        table: int | None = None,
        row: int | None = None,
        column: int | None = None,
    ) -> None:
        """A body paragraph, or a table cell."""
        self.paragraph = paragraph
        self.table = table
        self.row = row
        self.column = column


class Rendered:
    """The rendered text, its pieces and what was noticed on the way.

    ``pieces`` are (offset, (place index, run index, length)): the run
    index is the position of the ``w:r`` in ``body.iter(w:r)``, ``-1`` for
    text the reader generates (list numbers, empty cells).
    """

    __slots__ = ("facts", "pieces", "places", "text")

    def __init__(self) -> None:
        """Nothing rendered yet."""
        self.text = ""
        self.pieces: list[tuple[int, tuple[int, int, int]]] = []
        self.places: list[Place] = []
        self.facts: dict[str, tuple[int, int]] = {}


class Renderer:
    """Walks a ``w:body`` once, in document order, building a ``Rendered``."""

    def __init__(self, body: Any, numbering: Numbering) -> None:
        """Render ``body`` with list numbers from ``numbering``."""
        self._numbering = numbering
        self._runs = {run: i for i, run in enumerate(body.iter(R))}
        self._out: list[str] = []
        self._pos = 0
        self._pending = ""  # a separator, written only if text follows
        self._blocks = 0
        self._paragraph = 0
        self._table = 0
        self._result = Rendered()
        self._first: dict[str, int] = {}
        self._body = body
        # NOTE: most drafts have no open revision nor comment: their
        # paragraphs and runs are then not searched for them one by one.
        self._tracked = body is not None and _any(body, REVISION_TAGS)
        self._commented = body is not None and _any(body, COMMENT_MARKS)

    def render(self) -> Rendered:
        """Render the body (once).

        Raises:
            LoadError: more paragraphs and rows than ``MAX_BLOCKS``.
        """
        if self._body is not None:
            self._block_content(self._body)
            self._facts()
        self._result.text = "".join(self._out)
        return self._result

    # -- output ------------------------------------------------------------

    def _piece(self, place: int, run: int, text: str) -> None:
        """Write ``text`` as a new piece (after any pending separator)."""
        if self._pending:
            self._emit(self._pending)
            self._pending = ""
        self._result.pieces.append((self._pos, (place, run, len(text))))
        self._emit(text)

    def _emit(self, text: str) -> None:
        self._out.append(text)
        self._pos += len(text)

    def _place(self, place: Place) -> int:
        self._result.places.append(place)
        return len(self._result.places) - 1

    def _count_block(self) -> None:
        self._blocks += 1
        if self._blocks > MAX_BLOCKS:
            raise LoadError(
                f"too many paragraphs and table rows (more than {MAX_BLOCKS}); "
                "not a report"
            )

    def _note(self, fact: str) -> None:
        self._first.setdefault(fact, self._pos)

    # -- blocks ------------------------------------------------------------

    def _block_content(self, parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag == P:
                self._body_paragraph(child)
            elif tag == TBL:
                self._tablerows(child)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._block_content(content)
            elif tag == CUSTOM_XML:
                self._block_content(child)

    def _body_paragraph(self, paragraph: Any) -> None:
        self._count_block()
        self._paragraph += 1
        place = self._place(Place(paragraph=self._paragraph))
        if self._tracked and mark_deleted(paragraph):
            self._note("revisions")
            if not has_accepted_text(paragraph):
                return
        self._piece(place, -1, self._numbering.label(paragraph))
        self._inline(paragraph, place, in_cell=False)
        self._pending = ""
        self._emit("\n")

    # -- tables ------------------------------------------------------------

    def _tablerows(self, table: Any) -> None:
        self._table += 1
        number = self._table
        for row_number, row in enumerate(rows(table), 1):
            self._count_block()
            trpr = row.find(TRPR)
            if trpr is not None and trpr.find(DEL) is not None:
                self._note("revisions")
                continue
            self._row(row, number, row_number)

    def _row(self, row: Any, table: int, row_number: int) -> None:
        column = 1
        before = grid_int(row.find(TRPR), "gridBefore", 0)
        first = True
        for _ in range(before):
            self._cell_start(Place(None, table, row_number, column), first)
            first = False
            column += 1
        for cell in cells(row):
            tcpr = cell.find(TCPR)
            span = max(1, grid_int(tcpr, "gridSpan", 1))
            place = self._cell_start(Place(None, table, row_number, column), first)
            first = False
            if not continues_merge(tcpr):
                self._cell_content(cell, place)
            for _ in range(span - 1):
                self._pending = ""
                self._emit("\t")
                self._result.pieces.append((self._pos, (place, -1, 0)))
            column += span
        self._pending = ""
        self._emit("\n")

    def _cell_start(self, place: Place, first: bool) -> int:
        self._pending = ""
        if not first:
            self._emit("\t")
        index = self._place(place)
        # NOTE: an empty cell still gets its place, for findings about it.
        self._result.pieces.append((self._pos, (index, -1, 0)))
        return index

    def _cell_content(self, parent: Any, place: int) -> None:
        for child in parent:
            tag = child.tag
            if tag == P:
                self._cell_paragraph(child, place)
            elif tag == TBL:
                for row in rows(child):
                    self._count_block()
                    for cell in cells(row):
                        if not continues_merge(cell.find(TCPR)):
                            self._cell_content(cell, place)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._cell_content(content, place)
            elif tag == CUSTOM_XML:
                self._cell_content(child, place)

    def _cell_paragraph(self, paragraph: Any, place: int) -> None:
        self._count_block()
        if self._tracked and mark_deleted(paragraph):
            self._note("revisions")
            if not has_accepted_text(paragraph):
                return
        start = self._pos
        label = self._numbering.label(paragraph)
        if label:
            self._piece(place, -1, label)
        self._inline(paragraph, place, in_cell=True)
        if self._pos > start:
            # NOTE: the next paragraph of the cell, if it has text, after a space.
            self._pending = " "

    # -- runs --------------------------------------------------------------

    def _inline(self, parent: Any, place: int, in_cell: bool) -> None:
        for child in parent:
            tag = child.tag
            if tag == R:
                self._run(child, place, in_cell)
            elif tag in INLINE_THROUGH:
                if tag in (INS, MOVE_TO):
                    self._note("revisions")
                self._inline(child, place, in_cell)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._inline(content, place, in_cell)
            elif tag in DROPPED:
                self._note("revisions")
            elif tag in COMMENT_MARKS:
                self._note("comments")

    def _run(self, run: Any, place: int, in_cell: bool) -> None:
        rpr = run.find(RPR)
        if self._tracked and rpr is not None and rpr.find(_RPR_CHANGE) is not None:
            self._note("revisions")
        if self._commented and run.find(COMMENT_MARKS[1]) is not None:
            self._note("comments")
        if on(rpr, "vanish"):
            return
        text = "".join(part for _, part in run_text(run, in_cell))
        if text:
            self._piece(place, self._runs.get(run, -1), text)

    # -- facts -------------------------------------------------------------

    def _facts(self) -> None:
        body = self._body
        revisions = sum(1 for _ in body.iter(*REVISION_TAGS))
        comments = len({m.get(w("id")) for m in body.iter(*COMMENT_MARKS)})
        facts = self._result.facts
        facts["revisions"] = (revisions, self._first.get("revisions", 0))
        facts["comments"] = (comments, self._first.get("comments", 0))
