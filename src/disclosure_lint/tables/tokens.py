r"""Cut the table region of a draft into cells ("tokens") with exact offsets.

Drafts reach us in several layouts, and this module turns each into one flat
stream of cells in reading order:

* tab-separated rows, merged cells left as empty fields (PDF and docx export);
* markdown pipe tables (separator rows skipped, emphasis stripped);
* one cell per line, a leading tab per cell, and a cell's further paragraphs
  on following lines without a tab (docx export: ``\t尚未审`` / ``结``);
* one cell per line separated by blank lines (web pages);
* space-separated numbers after a label (PDF text): ``规章 0 0 0``;
  page footers (``— 4 —``, ``第 3 页``) are no cells.

Rows are not decided here: the reader finds them by their labels.

A token is a plain tuple ``(text, folded, start, end, section)``: ``text`` is
the cell as written (always ``document[start:end]``), ``folded`` the same
folded for matching, and ``section`` the outline key of the section it
stands in. NOTE: a tuple, not a class: a draft has hundreds of cells and
building a tuple costs a tenth of building a dataclass instance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain

from ..document.fold import translate

Token = tuple[str, str, int, int, str | None]

_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_ITEM = re.compile(r"[^\s]+")
# A page footer left in text taken from a PDF: ``— 4 —``, ``- 3 -``,
# ``第 3 页``, ``第3页 共10页``. Layout, wherever it falls: never a value.
_FOOTER = re.compile(
    r"^\s*(?:[—–\-－―~～]{1,2}\s*\d{1,4}\s*[—–\-－―~～]{1,2}"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)

_EDGE = " \t\r\n\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
_EDGE += "\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f"
_EDGE += "\u3000\ufeff*"


# What a line is, by its text alone (see ``Tokenizer.shape``).
CELLS = 0  # tab- or pipe-separated cells: ends an open cell, then its cells
OPEN = 1  # one tab-indented cell: ends an open cell, opens this one
END = 2  # an empty line or a markdown separator: ends an open cell
KEEP = 3  # a line of NBSP (an empty paragraph inside a docx cell): nothing
TEXT = 4  # no tab: grows an open cell, else is one cell (or a label + numbers)

# A cell relative to the start of its line: (text, folded, start, end).
Relative = tuple[str, str, int, int]
# (kind, the cells the line gives, the line's one cell before any split).
Shape = tuple[int, list[Relative], Relative | None]
# Line shapes remembered per tokenizer (cleared when full), for lines up to
# _SHAPE_LINE characters: a table line is short, and a huge one is not kept.
_SHAPES = 4096
_SHAPE_LINE = 256
# Lines whose cells are handed to the reader at a time: few lists, and
# bounded ones.
_CHUNK = 512


class Tokenizer:
    r"""Cuts table sections into cells; one per pack, as it remembers lines.

    NOTE: tables repeat the same lines from draft to draft (labels, header
    rows, ``\t0``), so what a line is, and its cells relative to the line, are
    worked out once and only moved to each line's offset afterwards.
    """

    def __init__(self, is_number: re.Pattern[str]) -> None:
        """``is_number``: which space-separated items after a label are values."""
        self.is_number = is_number
        self._shapes: dict[str, Shape] = {}

    def tokens(
        self, text: str, spans: Iterable[tuple[int, int, str | None]]
    ) -> Iterator[Token]:
        """Cells of every ``(start, end, section)`` span of ``text``, in order.

        ``规章 0 0 0`` is a label and three cells. Cells are produced a chunk
        of lines at a time, so a huge draft is never held as cells at once.
        """
        # NOTE: cells come a chunk at a time (a list each), flattened in C.
        return chain.from_iterable(
            chain.from_iterable(
                self._span_cells(text, start, end, section)
                for start, end, section in spans
            )
        )

    def _span_cells(
        self, text: str, start: int, end: int, section: str | None
    ) -> Iterator[list[Token]]:
        """The cells of one span, a list per ``_CHUNK`` lines."""
        shapes = self._shapes
        # A cell that may still grow by further lines (docx paragraphs): the
        # offset of its line (-1: none is open), its shape's piece and cells,
        # and where it ends once it has grown (-1: it has not).
        # NOTE: its tokens are only built once it ends, most often ungrown.
        open_base = -1
        open_piece: Relative = ("", "", 0, 0)
        open_cells: list[Relative] = []
        grown_end = -1
        base = start
        # NOTE: one split of the span is much cheaper than a find() per line.
        # A span ending in "\n" gives one more, empty, line: it can only end
        # the open cell, which the end of the span does anyway.
        lines = text[start:end].split("\n")
        for chunk in range(0, len(lines), _CHUNK):
            # NOTE: a list per line (or a generator step per line) costs
            # more than the cells themselves, as lines mostly hold one cell.
            out: list[Token] = []
            add = out.append
            for line in lines[chunk : chunk + _CHUNK]:
                if not line and open_base < 0:
                    base += 1  # NOTE: the blank line between cells (web pages)
                    continue
                kind, cells, piece = shapes.get(line) or self.shape(line)
                if open_base < 0:
                    if kind in (CELLS, TEXT):
                        if len(cells) == 1:
                            # NOTE: most lines hold one cell; _at costs a call.
                            cell_text, folded, cell_start, cell_end = cells[0]
                            add(
                                (
                                    cell_text,
                                    folded,
                                    base + cell_start,
                                    base + cell_end,
                                    section,
                                )
                            )
                        else:
                            _at(out, cells, base, section)
                    elif kind == OPEN:
                        assert piece is not None
                        open_base, open_piece, open_cells = base, piece, cells
                elif kind == TEXT:
                    assert piece is not None
                    if grown_end >= 0 or open_piece[1]:
                        grown_end = base + piece[3]
                    else:
                        # NOTE: an empty open cell gives way to the text.
                        open_base, open_piece, open_cells = base, piece, cells
                elif kind != KEEP:
                    if grown_end < 0 and len(open_cells) == 1:
                        # NOTE: an ungrown one-cell line (``\t0``, docx
                        # export) ends here; inlined as above.
                        cell_text, folded, cell_start, cell_end = open_cells[0]
                        add(
                            (
                                cell_text,
                                folded,
                                open_base + cell_start,
                                open_base + cell_end,
                                section,
                            )
                        )
                    elif grown_end < 0:
                        _at(out, open_cells, open_base, section)
                    else:
                        self._grown(
                            out, text, open_base + open_piece[2], grown_end, section
                        )
                    open_base = grown_end = -1
                    if kind == OPEN:
                        assert piece is not None
                        open_base, open_piece, open_cells = base, piece, cells
                    elif kind == CELLS:
                        _at(out, cells, base, section)
                base += len(line) + 1
            yield out
        if open_base >= 0:
            out = []
            if grown_end < 0:
                _at(out, open_cells, open_base, section)
            else:
                self._grown(out, text, open_base + open_piece[2], grown_end, section)
            yield out

    def _grown(
        self, out: list[Token], text: str, start: int, end: int, section: str | None
    ) -> None:
        """Add the cells of an open cell that grew over lines to ``start:end``.

        NOTE: rare; it is split only now, as a whole.
        """
        content = text[start:end]
        _add(out, (content, translate(content), start, end, section), self.is_number)

    def shape(self, line: str) -> Shape:
        """What ``line`` is and its cells, relative to its start (remembered)."""
        shape = _shape(line, self.is_number)
        if len(line) <= _SHAPE_LINE:
            if len(self._shapes) >= _SHAPES:
                # NOTE: bounded, as drafts bring unbounded distinct lines.
                self._shapes.clear()
            self._shapes[line] = shape
        return shape


def _shape(line: str, is_number: re.Pattern[str]) -> Shape:
    out: list[Token] = []
    if "\t" in line:
        piece = _tab_line(line, 0, None, is_number, out)
        if piece is not None:
            _add(out, piece, is_number)
            return OPEN, _relative(out), _relative([piece])[0]
        return CELLS, _relative(out), None
    if _FOOTER.match(line):
        # NOTE: a page break may fall inside a cell; the footer ends nothing.
        return KEEP, [], None
    if not line or line.isspace():
        # NOTE: an empty line ends a cell; a line of NBSP inside a docx cell
        # is one of its empty paragraphs and does not.
        return (KEEP if line.strip(" ") else END), [], None
    if line.lstrip()[0] == "|":
        if _MD_SEPARATOR.match(line):
            return END, [], None
        _pipe_cells(line, 0, None, is_number, out)
        return CELLS, _relative(out), None
    piece = _cell(line, 0, None)
    _add(out, piece, is_number)
    return TEXT, _relative(out), _relative([piece])[0]


def _relative(tokens: list[Token]) -> list[Relative]:
    return [(text, folded, start, end) for text, folded, start, end, _ in tokens]


def _at(
    out: list[Token], cells: list[Relative], base: int, section: str | None
) -> None:
    """Add the cells of a line, moved to the line's offset ``base``, to ``out``."""
    if len(cells) == 1:
        # NOTE: most lines hold one cell; a comprehension costs a call more.
        text, folded, start, end = cells[0]
        out.append((text, folded, base + start, base + end, section))
    else:
        out.extend(
            [
                (text, folded, base + s, base + e, section)
                for text, folded, s, e in cells
            ]
        )


def _tab_line(
    line: str,
    base: int,
    section: str | None,
    is_number: re.Pattern[str],
    out: list[Token],
) -> Token | None:
    """Cells of a tab-separated line; the open cell when it is one indented cell."""
    fields = line.split("\t")
    if len(fields) == 2 and not fields[0].strip():
        # One indented cell per line; it may be empty or continue.
        return _cell(fields[1], base + len(fields[0]) + 1, section)
    offset = base
    for field in fields:
        size = len(field)
        if not size:
            out.append(("", "", offset, offset, section))
        elif field.isdigit() and field.isascii():
            # NOTE: the common case, a bare count; no folding needed.
            out.append((field, field, offset, offset + size, section))
        else:
            _add(out, _cell(field, offset, section), is_number)
        offset += size + 1
    return None


def _pipe_cells(
    line: str,
    base: int,
    section: str | None,
    is_number: re.Pattern[str],
    out: list[Token],
) -> None:
    inner_start = line.index("|") + 1
    body = line[inner_start:]
    stripped = body.rstrip()
    if stripped.endswith("|"):
        body = stripped[:-1]
    offset = base + inner_start
    for field in body.split("|"):
        _add(out, _cell(field, offset, section), is_number)
        offset += len(field) + 1


def _cell(field: str, offset: int, section: str | None) -> Token:
    """A token for one field, trimmed of blanks and markdown emphasis."""
    if field.isdigit() and field.isascii():
        # NOTE: the common case, a bare count: nothing to trim or fold.
        return (field, field, offset, offset + len(field), section)
    content = field.strip(_EDGE) if field else field
    if not content:
        return ("", "", offset, offset, section)
    start = offset + field.find(content)
    return (content, translate(content), start, start + len(content), section)


def _add(out: list[Token], token: Token, is_number: re.Pattern[str]) -> None:
    """Append ``token``, splitting trailing space-separated numbers off it."""
    raw = token[0]
    if " " not in raw and "\u3000" not in raw and "\u00a0" not in raw:
        out.append(token)
        return
    items = [(m.start(), m.end()) for m in _ITEM.finditer(raw)]
    first_value = len(items)
    while first_value > 0:
        a, b = items[first_value - 1]
        if not is_number.match(translate(raw[a:b])):
            break
        first_value -= 1
    if first_value == len(items) or (first_value == 0 and len(items) == 1):
        out.append(token)
        return
    start, section = token[2], token[4]
    if first_value > 0:
        head = raw[: items[first_value - 1][1]]
        out.append((head, translate(head), start, start + len(head), section))
    for a, b in items[first_value:]:
        piece = raw[a:b]
        out.append((piece, translate(piece), start + a, start + b, section))
