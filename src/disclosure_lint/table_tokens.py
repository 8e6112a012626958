r"""Cut the table region of a draft into cells ("tokens") with exact offsets.

Drafts reach us in several layouts, and this module turns each into one flat
stream of cells in reading order:

* tab-separated rows, merged cells left as empty fields (PDF and docx export);
* markdown pipe tables (separator rows skipped, emphasis stripped);
* one cell per line, a leading tab per cell, and a cell's further paragraphs
  on following lines without a tab (docx export: ``\t尚未审`` / ``结``);
* one cell per line separated by blank lines (web pages);
* space-separated numbers after a label (PDF text): ``规章 0 0 0``.

Rows are not decided here: the reader finds them by their labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .fold import fold_char_table, fold_text

_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_ITEM = re.compile(r"[^\s]+")
_FOLD = fold_char_table()
_EDGE = " \t\r\n\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
_EDGE += "\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f"
_EDGE += "\u3000\ufeff*"


@dataclass(slots=True)
class Token:
    """One cell: its raw text, folded text and offsets in the document."""

    text: str
    folded: str
    start: int
    end: int
    section: str | None


def tokenize(
    text: str,
    spans: Iterable[tuple[int, int, str | None]],
    is_number: re.Pattern[str],
) -> Iterator[Token]:
    """Cells of every ``(start, end, section)`` span of ``text``, in order.

    ``is_number`` tells which space-separated items after a label are values
    to split off (``规章 0 0 0`` is a label and three cells). Cells are
    produced line by line, so a huge draft is never held as cells at once.
    """
    for start, end, section in spans:
        yield from _tokenize_span(text, start, end, section, is_number)


def _tokenize_span(
    text: str, start: int, end: int, section: str | None, is_number: re.Pattern[str]
) -> Iterator[Token]:
    out: list[Token] = []
    # A cell that may still grow by continuation lines (docx paragraphs).
    open_cell: Token | None = None
    pos = start
    while pos < end:
        if out:
            yield from out
            out.clear()
        newline = text.find("\n", pos, end)
        line_end = end if newline == -1 else newline
        line = text[pos:line_end]
        base = pos
        pos = line_end + 1
        if "\t" in line:
            if open_cell is not None:
                _add(out, open_cell, is_number)
                open_cell = None
            fields = line.split("\t")
            if len(fields) == 2 and not fields[0].strip():
                # One indented cell per line; it may be empty or continue.
                open_cell = _cell(fields[1], base + len(fields[0]) + 1, section)
                continue
            offset = base
            for field in fields:
                if not field:
                    out.append(Token("", "", offset, offset, section))
                elif field.isascii() and field.isdigit():
                    # NOTE: the common case, a bare count; no folding needed.
                    size = len(field)
                    out.append(Token(field, field, offset, offset + size, section))
                else:
                    _add(out, _cell(field, offset, section), is_number)
                offset += len(field) + 1
            continue
        stripped = line.strip()
        if not stripped:
            # NOTE: an empty line ends a cell; a line of NBSP inside a docx
            # cell is one of its empty paragraphs and does not.
            if open_cell is not None and not line.strip(" "):
                _add(out, open_cell, is_number)
                open_cell = None
            continue
        if stripped[0] == "|":
            if open_cell is not None:
                _add(out, open_cell, is_number)
                open_cell = None
            if not _MD_SEPARATOR.match(line):
                _pipe_cells(line, base, section, is_number, out)
            continue
        if open_cell is not None:
            piece = _cell(line, base, section)
            if open_cell.folded:
                open_cell = _joined(text, open_cell, piece.end)
            else:
                open_cell = piece
            continue
        _add(out, _cell(line, base, section), is_number)
    if open_cell is not None:
        _add(out, open_cell, is_number)
    yield from out


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
    content = field.strip(_EDGE) if field else field
    if not content:
        return Token("", "", offset, offset, section)
    start = offset + field.find(content)
    return Token(
        content, content.translate(_FOLD), start, start + len(content), section
    )


def _joined(text: str, first: Token, end: int) -> Token:
    content = text[first.start : end]
    return Token(content, fold_text(content), first.start, end, first.section)


def _add(out: list[Token], token: Token, is_number: re.Pattern[str]) -> None:
    """Append ``token``, splitting trailing space-separated numbers off it."""
    raw = token.text
    if " " not in raw and "\u3000" not in raw and "\u00a0" not in raw:
        out.append(token)
        return
    items = [(m.start(), m.end()) for m in _ITEM.finditer(raw)]
    first_value = len(items)
    while first_value > 0:
        a, b = items[first_value - 1]
        if not is_number.match(fold_text(raw[a:b])):
            break
        first_value -= 1
    if first_value == len(items) or (first_value == 0 and len(items) == 1):
        out.append(token)
        return
    if first_value > 0:
        head = raw[: items[first_value - 1][1]]
        out.append(
            Token(
                head,
                fold_text(head),
                token.start,
                token.start + len(head),
                token.section,
            )
        )
    for a, b in items[first_value:]:
        piece = raw[a:b]
        out.append(
            Token(
                piece, fold_text(piece), token.start + a, token.start + b, token.section
            )
        )
