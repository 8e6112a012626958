"""Cell values: parse one cell's text, and place a row's cells in columns.

A row's cells are the tokens between its label and the next label. When
there are more of them than columns, empty fields at the edges are merged
cells of the export and are dropped (leading ones first: those are the label
columns of a merged header). What still does not fit is reported as a row
problem; the cells are placed anyway so they can be shown, but the row is
marked uncertain and no equation uses it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from ..document.fold import fold
from ..document.text import Span
from .schema import ReaderSpec, RowSpec, TableSchema
from .table import AMBIGUOUS, BLANK, MISSING, NUMBER, TEXT, Cell, Row, new_cell
from .tokens import Token

_FOLDED = itemgetter(1)


def parse_cell(
    token: Token, reader: ReaderSpec, table: str, row: str, column: str
) -> Cell:
    """Read one token as a cell value."""
    text, folded, start, end, _ = token
    if not folded:
        return Cell(table, row, column, BLANK, "", start, end)
    if folded.isascii() and folded.isdigit():
        # NOTE: the common case, a bare count; the regex below handles signs,
        # separators, fractions and units.
        return Cell(table, row, column, NUMBER, text, start, end, int(folded))
    match = reader.number.match(folded)
    if match is None:
        lookalike = reader.lookalike.match(folded) is not None
        return Cell(table, row, column, TEXT, text, start, end, lookalike=lookalike)
    digits = match.group("num").replace(",", "")
    frac = match.group("frac")
    value: int | float = float(digits + frac) if frac else int(digits)
    if match.group("sign") == "-":
        value = -value
    unit = match.group("unit") or ""
    return Cell(table, row, column, NUMBER, text, start, end, value, unit)


def assign(
    row: Row,
    run: list[Token],
    schema: TableSchema,
    reader: ReaderSpec,
    header: Mapping[str, list[Any]],
) -> None:
    """Place the tokens of one row into its cells and note any problem.

    ``header`` holds the column labels found, by column key: a row one value
    short whose table lacks exactly that column's header is not a problem of
    the row.
    """
    columns = schema.column_keys
    width = len(columns)
    tokens = run if len(run) <= width else _trim(run, width)
    row.values = len(tokens)
    if tokens and row.anchor.start == 0 and row.anchor.end == 0:
        row.anchor = Span(tokens[0][2], tokens[0][3])
    if len(tokens) == width:
        # Every token a count in ASCII digits (``Row.plain``)? NOTE: inline
        # (a call per row); map() keeps the per-token work in C, and the
        # joined text is checked at once: with no token empty, it is all
        # digits only when each token is.
        folded = list(map(_FOLDED, tokens))
        joined = "".join(folded)
        if all(folded) and joined.isascii() and (joined.isdigit() or not joined):
            row.hold_counts(schema.key, columns, tokens)
        else:
            _place(row, columns, tokens, schema, reader)
        return
    if len(tokens) > width:
        _place(row, columns, tokens[:width], schema, reader)
        row.filled = sum(1 for token in tokens if token[1])
        row.problem = "too-many"
        row.problem_span = Span(tokens[width][2], tokens[-1][3])
        return
    filled = [t for t in tokens if t[1]]
    row.filled = len(filled)
    if (
        len(filled) == 1
        and filled[0][1].isdigit()
        and len(filled[0][1]) > 1
        and _run_together(row, columns, filled[0], schema, reader)
    ):
        return
    header_found = [key for key in columns if header.get(key)]
    if header_found and len(tokens) == len(header_found) < width:
        # NOTE: a column missing from the header and from every row (seed 002
        # drops 自然人 from the header only); the column rule reports it.
        _place(row, header_found, tokens, schema, reader)
        _fill_missing(row, columns, schema)
        return
    # Too few: merged label cells swallow fields at the left, so the values
    # that are there belong to the rightmost columns. Still a guess: flagged.
    _place(row, columns[width - len(tokens) :], tokens, schema, reader)
    _fill_missing(row, columns, schema)
    row.problem = "too-few"
    row.problem_span = _span_of(tokens, row.anchor)


def unlabelled_spec(rows: tuple[RowSpec, ...]) -> RowSpec | None:
    """The one row of a table whose only row has no label, else None."""
    if len(rows) == 1 and rows[0].label is None:
        return rows[0]
    return None


def hold_counts(row: Row, run: list[Token], schema: TableSchema) -> bool:
    """``assign``'s common case, quicker: one plain count per column.

    NOTE: the same check (every cell ASCII digits, none empty), made without
    ``assign``'s calls; the reader's rows mostly are such. Returns False,
    having done nothing, for any other run (``assign`` then places it).
    """
    columns = schema.column_keys
    anchor = row.anchor
    if not (anchor.start or anchor.end):
        return False
    width = len(columns)
    # NOTE: empty edge fields (merged cells) dropped as ``assign`` drops them.
    tokens = run if len(run) <= width else _trim(run, width)
    if len(tokens) != width:
        return False
    joined = "".join(map(_FOLDED, tokens))
    if not (joined.isdigit() and joined.isascii() and all(map(_FOLDED, tokens))):
        return False
    row.values = width
    row.hold_counts(schema.key, columns, tokens)
    return True


def _run_together(
    row: Row,
    columns: tuple[str, ...],
    digits: Token,
    schema: TableSchema,
    reader: ReaderSpec,
) -> bool:
    """Split a row written as one run of digits (``0000000``), when possible.

    Returns:
        True when the row was placed: one digit per column, or every cell
        ambiguous because there are more digits than columns.
    """
    text, folded, start, end, _ = digits
    if len(folded) == len(columns):
        _place(row, columns, _digits(digits), schema, reader)
        row.problem = "run-together"
        row.problem_span = Span(start, end)
        return True
    if len(folded) > len(columns):
        for key in columns:
            row.cells[key] = Cell(
                schema.key, row.spec.key, key, AMBIGUOUS, text, start, end
            )
        row.plain = False
        row.problem = "unsplittable"
        row.problem_span = Span(start, end)
        return True
    return False


def _trim(run: list[Token], width: int) -> list[Token]:
    """Drop empty edge fields (merged cells) while there are too many."""
    first, last = 0, len(run)
    if last <= width:
        return run
    while last - first > width and not run[first][1]:
        first += 1
    while last - first > width and not run[last - 1][1]:
        last -= 1
    return run[first:last]


def _place(
    row: Row,
    columns: Sequence[str],
    tokens: list[Token],
    schema: TableSchema,
    reader: ReaderSpec,
) -> None:
    cells = row.cells
    table, key = schema.key, row.spec.key
    for column, token in zip(columns, tokens, strict=False):
        folded = token[1]
        if folded.isdigit() and folded.isascii():
            # NOTE: parse_cell's common case, inlined and built in C: most
            # cells are counts.
            cells[column] = new_cell(
                (
                    table,
                    key,
                    column,
                    NUMBER,
                    token[0],
                    token[2],
                    token[3],
                    int(folded),
                    "",
                    False,
                )
            )
        else:
            cells[column] = parse_cell(token, reader, table, key, column)
            row.plain = False


def _fill_missing(row: Row, columns: Sequence[str], schema: TableSchema) -> None:
    at = row.anchor.end
    row.plain = False
    for key in columns:
        if key not in row.cells:
            row.cells[key] = Cell(schema.key, row.spec.key, key, MISSING, "", at, at)
    row.cells = {key: row.cells[key] for key in columns}


def _digits(token: Token) -> list[Token]:
    """One token per digit of a run-together number, each at its own offset."""
    text, _, start, _, section = token
    folded = fold(text, start)
    return [
        (text[at - start], ch, at, at + 1, section)
        for ch, at in zip(folded.text, folded.offsets, strict=True)
    ]


def _span_of(tokens: list[Token], fallback: Span) -> Span:
    if not tokens:
        return fallback
    return Span(tokens[0][2], tokens[-1][3])
