"""The schema-driven table reader: cells in, tables with rows and cells out.

The reader walks the cells of the table sections once. A cell that is a
number, empty or ``O`` is a value; any other cell is looked up among the
official labels (exactly, loosely without numbering or a trailing
parenthetical, as the start of a label broken over several cells, or as a
near miss). A label opens a table (caption, header, column) or a row; the
values up to the next label are that row's cells. Which table a label belongs
to, when several have it (``总计``, ``信息内容``), is decided by the section
it stands in, the table being read and whether that table's header is over.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING

from ..document.text import Document, Span
from ..memo import per_object
from ..outline.model import Outline
from .compile import compiled_tables
from .labels import (
    QUALITY,
    Candidate,
    LabelMatcher,
    Reading,
    minimal_fix,
    same_column,
    state_bits,
)
from .layout import (
    _NO_SIGNS,
    LayoutReading,
    _filled,
    _Group,
    judge,
)
from .region import table_region
from .schema import CompiledTables
from .table import Row, Table, new_hit
from .tokens import Token, Tokenizer
from .values import assign, hold_counts, unlabelled_spec

if TYPE_CHECKING:
    from ..packs.model import Pack

# A label broken over at most this many cells is put back together.
MAX_JOIN = 4
_FOLDED = itemgetter(1)
_START = object()
# Choices among candidates remembered per pack; cleared when full.
_CHOICES = 4096


def kit_for(compiled: CompiledTables) -> tuple[LabelMatcher, Tokenizer]:
    """The label matcher and tokenizer of ``compiled`` (built once per process).

    Both remember what they worked out (labels looked up, line shapes), so
    they are kept per pack rather than built per draft.
    """
    return per_object(compiled, _kit)


def _kit(compiled: CompiledTables) -> tuple[LabelMatcher, Tokenizer]:
    return LabelMatcher(compiled), Tokenizer(compiled.reader.number)


def read(doc: Document, outline: Outline, compiled: CompiledTables) -> list[Table]:
    """Read the tables of ``compiled`` from ``doc``."""
    matcher, tokenizer = kit_for(compiled)
    reader = _Reader(doc.text, compiled, matcher)
    reader.feed(tokenizer.tokens(doc.text, table_region(doc, outline, compiled)))
    tables = [reader.tables[s.key] for s in compiled.schemas]
    layout = reader.layout
    for table in tables:
        judge(table, layout.get(table.key, _NO_SIGNS))
    return tables


class _Reader(LayoutReading):
    """One pass over the cells of one draft; fills ``tables``."""

    def __init__(self, text: str, compiled: CompiledTables, matcher: LabelMatcher):
        self.text = text
        self.spec = compiled.reader
        self.matcher = matcher
        self.tables = {s.key: Table(s) for s in compiled.schemas}
        self.order = {s.key: i for i, s in enumerate(compiled.schemas)}
        self.sections: dict[str, list[Table]] = {}
        for table in self.tables.values():
            self.sections.setdefault(table.schema.section, []).append(table)
        # What ``_choose`` weighs of each table, as bits (``labels.state_bits``).
        self.state = 0
        self.current: Table | None = None
        self.row: Row | _Group | None = None
        self.row_table: Table | None = None
        self.run: list[Token] = []
        # The section of the cells being read (``_START`` before the first).
        self.section: object = _START
        self.pending: list[Token] = []
        # Rows whose label had no number after it: (table, row, its cells).
        self.waiting: list[tuple[Table, Row, list[Token]]] = []
        # A label being written down a merged cell, a character a line.
        self.vertical = ""
        self.ended = None  # the last row label closed (``LayoutReading``)
        # Signs of a degraded layout, by table key (only tables with some).
        self.layout = {}

    def feed(self, tokens: Iterable[Token]) -> None:
        """Read every cell: values join the current row, labels open rows."""
        stream = iter(tokens)
        section = self.section
        run = self.run
        plain_labels = self.matcher.plain_labels
        label = self._label
        pending = self.pending
        for token in stream:
            folded = token[1]
            if token[4] == section:
                # NOTE: most cells are bare digits or empty (join the row) or
                # labels read before (straight to ``_label``): no ``_cell``.
                if folded.isdigit() or not folded:
                    run.append(token)
                    continue
                candidates = plain_labels.get(folded)
                if candidates is not None:
                    label(candidates, token, token, folded)
                    if pending:
                        self._cell(pending.pop(), stream)
                    run = self.run
                    continue
            self._cell(token, stream)
            run, section = self.run, self.section
        self._close(None)
        self._settle()

    def _cell(self, token: Token, stream: Iterator[Token]) -> None:
        """Read one cell, then the cells a label's look-ahead pushed back."""
        # NOTE: tokens stream in; only the few cells a broken label spans are
        # held back (``pending``, last one first), so memory stays flat.
        pending = self.pending
        while True:
            if token[4] != self.section:
                if self.section is not _START:
                    self._close(None)
                self.section = token[4]
                # NOTE: a section with a single table (四) is that table
                # even before any of its labels, so a bare data row is
                # not lost.
                alone = self.sections.get(token[4] or "", [])
                self.current = alone[0] if len(alone) == 1 else None
            folded = token[1]
            if not folded or folded.isdigit():
                self.run.append(token)
            else:
                reading = self.matcher.readings.get(folded) or self.matcher.read(folded)
                if reading.value:
                    self.run.append(token)
                elif reading.prefix:
                    self._joined(token, reading, pending, stream)
                elif reading.labels:
                    self._label(reading.labels, token, token, folded)
                else:
                    self._text(token, reading.near)
            if not pending:
                return
            token = pending.pop()

    def _joined(
        self,
        first: Token,
        reading: Reading,
        pending: list[Token],
        stream: Iterator[Token],
    ) -> None:
        """Read a cell that may be the start of a label broken over cells.

        The longest run of cells that is a label wins; cells looked at but
        not part of it go back to ``pending``. Without one, the cell is read
        on its own: a near miss, a short text value or a row-ending text.
        """
        matcher = self.matcher
        joined = first[1]
        best: tuple[list[Candidate], Token, str] | None = None
        if reading.labels:
            best = (reading.labels, first, joined)
        parts = [first]
        used = 1
        while len(parts) < MAX_JOIN and matcher.is_prefix(joined):
            following = pending.pop() if pending else next(stream, None)
            if following is None:
                break
            if following[4] != first[4] or matcher.is_value(following[1]):
                pending.append(following)
                break
            parts.append(following)
            joined += following[1]
            candidates = matcher.lookup(joined)
            if candidates:
                best = (candidates, following, joined)
                used = len(parts)
        if best is None:
            # NOTE: a long row label wrapped with its numbers between its
            # lines (PDF text: ``1.申请人无正当理由逾期不补正、`` /
            # ``行政机关不再处理其政府信息公 0 0 …`` / ``开申请``): the
            # longest start that only one label has is that label.
            for size in range(len(parts), 0, -1):
                joined = "".join(part[1] for part in parts[:size])
                entry = matcher.pieces.unique_prefix(joined)
                if entry is not None:
                    best = ([Candidate(entry, "loose")], parts[size - 1], joined)
                    used = size
                    break
        for token in reversed(parts[used:]):
            pending.append(token)
        if best is not None:
            self._label(best[0], first, best[1], best[2])
        else:
            self._text(first, reading.near)

    def _choose(self, candidates: list[Candidate], section: str | None) -> Candidate:
        """The candidate the reader's state makes likeliest (labels are shared).

        NOTE: the same labels meet the same states draft after draft, so the
        choice is remembered per pack (``LabelMatcher.choices``) by the
        candidates, the section, the table being read and ``state``.
        """
        current = self.current.key if self.current is not None else None
        key = (id(candidates), section, current, self.state)
        choices = self.matcher.choices
        known = choices.get(key)
        if known is None or known[0] is not candidates:
            if len(choices) >= _CHOICES:
                choices.clear()
            best = self._best(candidates, section)
            known = choices[key] = (candidates, best, same_column(candidates, best))
        if known[2]:
            # NOTE: the review table repeats 结果维持 … 总计 under three groups;
            # each occurrence fills the next column with that label.
            columns = self.tables[known[1].entry.table].columns
            for candidate in known[2]:
                if not columns.get(candidate.entry.key):
                    return candidate
        return known[1]

    def _best(self, candidates: list[Candidate], section: str | None) -> Candidate:
        """The first of the lowest score.

        The score: the label's own section, the table being read, whether
        that table's body has begun, the match's quality, tables not yet
        found, then schema order.
        """
        tables, current, order, state = (
            self.tables,
            self.current,
            self.order,
            self.state,
        )
        best = candidates[0]
        best_score: tuple[int, ...] | None = None
        for candidate in candidates:
            entry = candidate.entry
            table = tables[entry.table]
            position = order[entry.table]
            in_body = state >> (2 * position + 1) & 1
            kind = entry.kind
            if kind == "caption":
                phase = 0
            elif kind == "row" or kind == "group":
                phase = 1 - in_body
            else:
                phase = in_body
            score = (
                0 if section is None or entry.section == section else 1,
                0 if table is current else 1,
                phase,
                QUALITY[candidate.quality],
                state >> (2 * position) & 1,  # Table.found
                position,
                entry.index,
            )
            if best_score is None or score < best_score:
                best, best_score = candidate, score
        return best

    def _found(self, table: Table, body: bool = False) -> None:
        """Note for ``_choose`` that ``table`` was found (and its body begun)."""
        self.state |= state_bits(self.order[table.key], body)

    def _label(
        self, candidates: list[Candidate], first: Token, last: Token, folded: str
    ) -> None:
        """Open the table, column or row of the label in cells ``first..last``.

        ``folded`` is the label's folded text (its cells' joined).
        """
        section = first[4]
        choice = candidates[0]
        entry = choice.entry
        if entry.section != section and self._elsewhere(candidates, section):
            self._plain(first)  # NOTE: a piece of this section's header
            return
        if len(candidates) != 1:
            choice = self._choose(candidates, section)
            entry = choice.entry
        table = self.tables[entry.table]
        if self.row is not None or self.run:
            self._close(table)  # NOTE: else nothing is open (most header labels)
        start, end = first[2], last[3]
        # NOTE: a token's text is ``document[start:end]``: no slice for one cell.
        text = first[0] if first is last else self.text[start:end]
        quality = choice.quality
        fix = None
        if quality == "fuzzy":
            fix_start, fix_end, replacement = minimal_fix(
                text, start, entry.official, self.spec.numbering
            )
            fix = (Span(fix_start, fix_end), replacement)
        kind = entry.kind
        hit = new_hit(
            (
                kind,
                entry.table,
                entry.key,
                entry.official,
                text,
                start,
                end,
                quality,
                choice.distance,
                fix,
            )
        )
        table.labels.append(hit)
        # NOTE: ``table.extend(start, end)``, inlined: a call per label.
        if table.start is None or start < table.start:
            table.start = start
        if table.end is None or end > table.end:
            table.end = end
        self.current = table
        self.row = None
        # NOTE: ``_found``, worked out once per label entry.
        self.state |= entry.found_bits
        if kind == "column":
            table.columns.setdefault(entry.key, []).append(hit)
            unit = self.matcher.header_unit(folded)
            if unit:
                table.header_units[entry.key] = unit.group("unit")
        elif kind == "group":
            self.row = _Group(table, hit)
        elif kind == "row":
            spec = entry.spec
            if spec is not None and entry.key not in table.rows:
                # NOTE: positional (``anchor`` is the eighth field): cheaper.
                row = Row(spec, hit, 0, 0, "", None, 0, Span(start, end))
                table.rows[entry.key] = row
                self.row, self.row_table = row, table

    def _close(self, trigger: Table | None) -> None:
        """End the values of the row being read (``trigger``: next label's table)."""
        run, self.run = self.run, []
        row = self.row
        if isinstance(row, Row) and self.row_table is not None:
            self.row = None
            if self.waiting or not (run and (run[-1][1] or any(map(_FOLDED, run)))):
                self._end_row(self.row_table, row, run)  # NOTE: may wait
            else:
                # NOTE: ``_end_row``'s common case: nothing waits, and the
                # row has a number (often a merged empty field last).
                self.ended = row.label
                self._assign_counts(self.row_table, row, run)
            return
        if isinstance(row, _Group):
            self._end_group(row, run)
            return
        table = self.current
        if table is None or not run:
            return
        if (
            self.waiting
            and self._waits(table)
            and _filled(run) == len(table.schema.column_keys)
        ):
            self._claim(table, None, run)  # NOTE: a waiting label's numbers
            return
        if trigger is table:
            # NOTE: values between a table's own header labels are merged
            # header cells, not data; a number there belongs to no row.
            self._dropped(table, run)
            return
        spec = unlabelled_spec(table.schema.rows)
        if spec is None or spec.key in table.rows or not self._numbers(run):
            self._dropped(table, run)  # NOTE: header text is no data row
            return
        unlabelled = Row(spec, None)
        table.rows[spec.key] = unlabelled
        self._found(table)
        self._assign(table, unlabelled, run)

    def _assign_counts(self, table: Table, row: Row, run: list[Token]) -> None:
        """``_assign``, quicker for its common case (``values.hold_counts``)."""
        if hold_counts(row, run, table.schema):
            table.extend(run[0][2], run[-1][3])
        else:
            self._assign(table, row, run)

    def _assign(self, table: Table, row: Row, run: list[Token]) -> None:
        assign(row, run, table.schema, self.spec, table.columns)
        if run:
            table.extend(run[0][2], run[-1][3])


def read_tables(doc: Document, outline: Outline, pack: Pack) -> list[Table]:
    """Read every table the pack's schemas describe (empty without schemas).

    Raises:
        TableSchemaError: the pack's ``tables:`` data is malformed.
    """
    if not pack.tables:
        return []
    compiled = compiled_tables(pack)
    if not compiled.schemas:
        return []
    return read(doc, outline, compiled)
