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

from .docx_numbering import Numbering, first, w
from .docx_xml import (
    COMMENT_MARKS,
    CUSTOM_XML,
    DEL,
    DROPPED,
    INLINE_THROUGH,
    INS,
    MOVE_TO,
    REVISION_TAGS,
    SDT,
    SDT_CONTENT,
    TBL,
    TCPR,
    TRPR,
    P,
    R,
    cell_grid,
    cells,
    continues_merge,
    grid_int,
    has_accepted_text,
    mark_deleted,
    read_run,
    rows,
    run_text,
    vanished,
)
from .errors import LoadError

__all__ = ["MAX_BLOCKS", "Place", "Rendered", "Renderer", "run_text"]

_RPR_CHANGE = w("rPrChange")
_COMMENT_REFERENCE = COMMENT_MARKS[1]


def _any(body: Any, tags: tuple[str, ...]) -> bool:
    """Whether ``body`` holds any element named in ``tags``."""
    return next(body.iter(*tags), None) is not None


#: More paragraphs and table rows than this is no report (a real one has a
#: few hundred): refused rather than read for minutes.
MAX_BLOCKS = 200_000

#: Where a piece of rendered text is, as ``DocxLocation`` counts it:
#: (paragraph, table, row, column); a body paragraph or a table cell.
Place = tuple[int | None, int | None, int | None, int | None]


class Rendered:
    """The rendered text, its pieces and what was noticed on the way.

    ``pieces`` are (offset, (place index, run index, length)): the run
    index is the position of the ``w:r`` in ``body.iter(w:r)``, ``-1`` for
    text the reader generates (list numbers, empty cells). ``places`` are
    ``Place`` tuples.
    """

    __slots__ = ("facts", "pieces", "places", "text")

    def __init__(self) -> None:
        """Nothing rendered yet."""
        self.text = ""
        self.pieces: list[tuple[int, tuple[int, int, int]]] = []
        self.places: list[Place] = []
        self.facts: dict[str, tuple[int, int]] = {}


class Renderer:
    """Walks a ``w:body`` once, in document order, building a ``Rendered``.

    NOTE: this is the reader's hot loop (a report has hundreds of cells,
    each a paragraph and a run): output goes to plain lists, the offset is
    kept by hand, and a cell or run is looked into only as far as it needs.
    """

    def __init__(self, body: Any, numbering: Numbering) -> None:
        """Render ``body`` with list numbers from ``numbering``."""
        self._numbering = numbering
        self._numbered = numbering.active
        # NOTE: every run in document order: the walk meets runs in that
        # order, so a run's index is found from the last one's (``_run_index``).
        self._runs: list[Any] = [] if body is None else list(body.iter(R))
        self._next_run = 0
        self._out: list[str] = []
        self._pos = 0
        self._pending = ""  # a separator, written only if text follows
        self._blocks = 0
        self._paragraph = 0
        self._table = 0
        self._result = Rendered()
        self._pieces = self._result.pieces
        self._places = self._result.places
        self._first: dict[str, int] = {}
        self._body = body
        # NOTE: most drafts have no open revision nor comment: one search of
        # the body says so, and its paragraphs and runs are then not
        # searched for them one by one, nor counted.
        self._tracked = self._commented = False
        if body is not None and _any(body, REVISION_TAGS + COMMENT_MARKS):
            self._tracked = _any(body, REVISION_TAGS)
            self._commented = _any(body, COMMENT_MARKS)

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
            self._out.append(self._pending)
            self._pos += len(self._pending)
            self._pending = ""
        self._pieces.append((self._pos, (place, run, len(text))))
        self._out.append(text)
        self._pos += len(text)

    def _emit(self, text: str) -> None:
        self._out.append(text)
        self._pos += len(text)

    def _place(self, place: Place) -> int:
        self._places.append(place)
        return len(self._places) - 1

    def _count_block(self) -> None:
        """Count a paragraph or row; refuse a document with too many."""
        self._blocks += 1
        if self._blocks > MAX_BLOCKS:
            raise LoadError(
                f"too many paragraphs and table rows (more than {MAX_BLOCKS}); "
                "not a report"
            )

    def _run_index(self, run: Any) -> int:
        """The position of ``run`` in ``body.iter(w:r)``.

        NOTE: the walk meets runs in document order, most often the very
        next one; runs it skips (deleted, in deleted rows, in text boxes)
        are passed over by the search from the last run met.
        """
        runs, index = self._runs, self._next_run
        if index >= len(runs) or runs[index] is not run:
            try:
                index = runs.index(run, index)
            except ValueError:  # NOTE: not met in document order after all
                index = next((i for i, r in enumerate(runs) if r is run), -1)
                if index < 0:
                    return -1
        self._next_run = index + 1
        return index

    def _note(self, fact: str) -> None:
        self._first.setdefault(fact, self._pos)

    def _label(self, paragraph: Any) -> str:
        return self._numbering.label(paragraph) if self._numbered else ""

    # -- blocks ------------------------------------------------------------

    def _block_content(self, parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag == P:
                self._body_paragraph(child)
            elif tag == TBL:
                self._tablerows(child)
            elif tag == SDT:
                content = first(child, SDT_CONTENT)
                if content is not None:
                    self._block_content(content)
            elif tag == CUSTOM_XML:
                self._block_content(child)

    def _body_paragraph(self, paragraph: Any) -> None:
        self._count_block()
        self._paragraph += 1
        place = self._place((self._paragraph, None, None, None))
        if self._tracked and mark_deleted(paragraph):
            self._note("revisions")
            if not has_accepted_text(paragraph):
                return
        self._piece(place, -1, self._label(paragraph))
        self._inline(paragraph, place, False)
        self._pending = ""
        self._emit("\n")

    # -- tables ------------------------------------------------------------

    def _tablerows(self, table: Any) -> None:
        self._table += 1
        number = self._table
        for row_number, row in enumerate(rows(table), 1):
            self._count_block()
            trpr = first(row, TRPR)
            if trpr is not None and first(trpr, DEL) is not None:
                self._note("revisions")
                continue
            self._row(row, trpr, number, row_number)

    def _row(self, row: Any, trpr: Any, table: int, row_number: int) -> None:
        out, pieces, places = self._out, self._pieces, self._places
        column = 1
        leading = True  # no tab before the row's first cell
        self._pending = ""
        for _ in range(grid_int(trpr, "gridBefore", 0)):
            if not leading:
                out.append("\t")
                self._pos += 1
            leading = False
            places.append((None, table, row_number, column))
            pieces.append((self._pos, (len(places) - 1, -1, 0)))
            column += 1
        for cell in cells(row):
            # NOTE: ``first(cell, TCPR)`` inline (once per cell).
            tcpr = None
            for child in cell:
                if child.tag == TCPR:
                    tcpr = child
                    break
            span, covered = (1, False) if tcpr is None else cell_grid(tcpr)
            if not leading:
                out.append("\t")
                self._pos += 1
            leading = False
            self._pending = ""
            place = len(places)
            places.append((None, table, row_number, column))
            # NOTE: an empty cell still gets its place, for findings about it.
            pieces.append((self._pos, (place, -1, 0)))
            if not covered:
                self._cell_content(cell, place)
                self._pending = ""
            for _ in range(span - 1):
                out.append("\t")
                self._pos += 1
                pieces.append((self._pos, (place, -1, 0)))
            column += span
        self._pending = ""
        out.append("\n")
        self._pos += 1

    def _cell_content(self, parent: Any, place: int) -> None:
        for child in parent:
            tag = child.tag
            if tag == P:
                self._cell_paragraph(child, place)
            elif tag == TBL:
                for row in rows(child):
                    self._count_block()
                    for cell in cells(row):
                        if not continues_merge(first(cell, TCPR)):
                            self._cell_content(cell, place)
            elif tag == SDT:
                content = first(child, SDT_CONTENT)
                if content is not None:
                    self._cell_content(content, place)
            elif tag == CUSTOM_XML:
                self._cell_content(child, place)

    def _cell_paragraph(self, paragraph: Any, place: int) -> None:
        self._blocks += 1
        if self._blocks > MAX_BLOCKS:
            self._count_block()  # NOTE: refuses
        if self._tracked and mark_deleted(paragraph):
            self._note("revisions")
            if not has_accepted_text(paragraph):
                return
        start = self._pos
        if self._numbered:
            label = self._numbering.label(paragraph)
            if label:
                self._piece(place, -1, label)
        self._inline(paragraph, place, True)
        if self._pos > start:
            # NOTE: the next paragraph of the cell, if it has text, after a space.
            self._pending = " "

    # -- runs --------------------------------------------------------------

    def _inline(self, parent: Any, place: int, in_cell: bool) -> None:
        for child in parent:
            tag = child.tag
            if tag == R:
                # NOTE: the run, inline: once per run of the document.
                rpr, text = read_run(child, in_cell)
                hidden = False
                if rpr is not None:
                    if self._tracked and first(rpr, _RPR_CHANGE) is not None:
                        self._note("revisions")
                    hidden = vanished(rpr)
                if self._commented and first(child, _COMMENT_REFERENCE) is not None:
                    self._note("comments")
                if text and not hidden:
                    self._piece(place, self._run_index(child), text)
            elif tag in INLINE_THROUGH:
                if tag in (INS, MOVE_TO):
                    self._note("revisions")
                self._inline(child, place, in_cell)
            elif tag == SDT:
                content = first(child, SDT_CONTENT)
                if content is not None:
                    self._inline(content, place, in_cell)
            elif tag in DROPPED:
                self._note("revisions")
            elif tag in COMMENT_MARKS:
                self._note("comments")

    # -- facts -------------------------------------------------------------

    def _facts(self) -> None:
        body = self._body
        revisions = comments = 0
        if self._tracked:
            revisions = sum(1 for _ in body.iter(*REVISION_TAGS))
        if self._commented:
            comments = len({m.get(w("id")) for m in body.iter(*COMMENT_MARKS)})
        facts = self._result.facts
        facts["revisions"] = (revisions, self._first.get("revisions", 0))
        facts["comments"] = (comments, self._first.get("comments", 0))
