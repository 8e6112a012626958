"""Cell values: parse one cell's text, and place a row's cells in columns.

A row's cells are the tokens between its label and the next label. When
there are more of them than columns, empty fields at the edges are merged
cells of the export and are dropped (leading ones first: those are the label
columns of a merged header). What still does not fit is reported as a row
problem; the cells are placed anyway so they can be shown, but the row is
marked uncertain and no equation uses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .document import Span
from .fold import fold
from .table_schema import ReaderSpec, TableSchema
from .table_tokens import Token
from .tables import AMBIGUOUS, BLANK, MISSING, NUMBER, TEXT, Cell, Row


def parse_cell(
    token: Token, reader: ReaderSpec, table: str, row: str, column: str
) -> Cell:
    """Read one token as a cell value."""
    span = Span(token.start, token.end)
    folded = token.folded
    if not folded:
        return Cell(table, row, column, BLANK, "", span)
    if folded.isascii() and folded.isdigit():
        # NOTE: the common case, a bare count; the regex below handles signs,
        # separators, fractions and units.
        return Cell(table, row, column, NUMBER, token.text, span, int(folded))
    match = reader.number.match(folded)
    if match is None:
        lookalike = reader.lookalike.match(folded) is not None
        return Cell(table, row, column, TEXT, token.text, span, lookalike=lookalike)
    digits = match.group("num").replace(",", "")
    frac = match.group("frac")
    value: int | float = float(digits + frac) if frac else int(digits)
    if match.group("sign") == "-":
        value = -value
    return Cell(
        table,
        row,
        column,
        NUMBER,
        token.text,
        span,
        value=value,
        unit=match.group("unit") or "",
    )


def is_value_token(token: Token, reader: ReaderSpec) -> bool:
    """True for a token that can only be a cell: empty, a number, ``O``."""
    folded = token.folded
    if not folded or folded.isdigit() or reader.number.match(folded):
        return True
    return reader.lookalike.match(folded) is not None


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
    columns = [c.key for c in schema.columns]
    width = len(columns)
    tokens = _trim(run, width)
    row.values = len(tokens)
    if row.anchor == Span(0, 0):
        row.anchor = Span(tokens[0].start, tokens[0].end) if tokens else row.anchor
    if len(tokens) == width:
        _place(row, columns, tokens, schema, reader)
        return
    if len(tokens) > width:
        _place(row, columns, tokens[:width], schema, reader)
        extra = tokens[width:]
        row.problem = "too-many"
        row.problem_span = Span(extra[0].start, extra[-1].end)
        return
    filled = [t for t in tokens if t.folded]
    if len(filled) == 1 and filled[0].folded.isdigit() and len(filled[0].folded) > 1:
        digits = filled[0]
        if len(digits.folded) == width:
            _place(row, columns, _digits(digits), schema, reader)
            row.problem = "run-together"
            row.problem_span = Span(digits.start, digits.end)
            return
        if len(digits.folded) > width:
            for key in columns:
                row.cells[key] = Cell(
                    schema.key,
                    row.spec.key,
                    key,
                    AMBIGUOUS,
                    digits.text,
                    Span(digits.start, digits.end),
                )
            row.problem = "unsplittable"
            row.problem_span = Span(digits.start, digits.end)
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


def _trim(run: list[Token], width: int) -> list[Token]:
    """Drop empty edge fields (merged cells) while there are too many."""
    first, last = 0, len(run)
    while last - first > width and not run[first].folded:
        first += 1
    while last - first > width and not run[last - 1].folded:
        last -= 1
    return run[first:last]


def _place(
    row: Row,
    columns: list[str],
    tokens: list[Token],
    schema: TableSchema,
    reader: ReaderSpec,
) -> None:
    for key, token in zip(columns, tokens, strict=False):
        row.cells[key] = parse_cell(token, reader, schema.key, row.spec.key, key)


def _fill_missing(row: Row, columns: list[str], schema: TableSchema) -> None:
    at = row.anchor.end
    for key in columns:
        if key not in row.cells:
            row.cells[key] = Cell(
                schema.key, row.spec.key, key, MISSING, "", Span(at, at)
            )
    row.cells = {key: row.cells[key] for key in columns}


def _digits(token: Token) -> list[Token]:
    """One token per digit of a run-together number, each at its own offset."""
    folded = fold(token.text, token.start)
    return [
        Token(token.text[at - token.start], ch, at, at + 1, token.section)
        for ch, at in zip(folded.text, folded.offsets, strict=True)
    ]


def _span_of(tokens: list[Token], fallback: Span) -> Span:
    if not tokens:
        return fallback
    return Span(tokens[0].start, tokens[-1].end)
