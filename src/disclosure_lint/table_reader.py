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
from dataclasses import dataclass

from .document import Document, Span
from .outline import Outline
from .table_labels import Candidate, LabelMatcher, minimal_fix
from .table_schema import CompiledTables, RowSpec
from .table_tokens import Token, Tokenizer
from .table_values import assign
from .tables import GroupValues, LabelHit, Row, Table

# A label broken over at most this many cells is put back together.
MAX_JOIN = 4
_QUALITY = {"exact": 0, "loose": 1, "fuzzy": 2}
_KITS: dict[int, tuple[CompiledTables, LabelMatcher, Tokenizer]] = {}
_START = object()


def kit_for(compiled: CompiledTables) -> tuple[LabelMatcher, Tokenizer]:
    """The label matcher and tokenizer of ``compiled`` (built once per process).

    Both remember what they worked out (labels looked up, line shapes), so
    they are kept per pack rather than built per draft.
    """
    entry = _KITS.get(id(compiled))
    if entry is not None and entry[0] is compiled:
        return entry[1], entry[2]
    matcher = LabelMatcher(compiled)
    tokenizer = Tokenizer(compiled.reader.number)
    if len(_KITS) >= 8:
        _KITS.pop(next(iter(_KITS)))
    _KITS[id(compiled)] = (compiled, matcher, tokenizer)
    return matcher, tokenizer


def read(doc: Document, outline: Outline, compiled: CompiledTables) -> list[Table]:
    """Read the tables of ``compiled`` from ``doc``."""
    matcher, tokenizer = kit_for(compiled)
    reader = _Reader(doc.text, compiled, matcher)
    reader.feed(tokenizer.tokens(doc.text, _region(doc, outline, compiled)))
    return [reader.tables[s.key] for s in compiled.schemas]


def _region(
    doc: Document, outline: Outline, compiled: CompiledTables
) -> list[tuple[int, int, str | None]]:
    """The section bodies that hold tables; the whole text if one is missing."""
    text = doc.text
    wanted = {s.section for s in compiled.schemas}
    found = {s.key for s in outline.sections}
    if wanted <= found:
        return [
            (s.body.start, _line_start(text, s.body), s.key)
            for s in outline.sections
            if s.key in wanted
        ]
    # NOTE: without its heading a table lies in another section's body (or
    # before the first heading), so read everything, tagged by section.
    spans: list[tuple[int, int, str | None]] = []
    cursor = 0
    for section in outline.sections:
        start = text.rfind("\n", 0, section.span.start) + 1
        if start > cursor:
            spans.append((cursor, start, None))
        spans.append((section.body.start, _line_start(text, section.body), section.key))
        cursor = max(cursor, section.body.end)
    if cursor < len(text):
        spans.append((cursor, len(text), None))
    return spans


def _line_start(text: str, body: Span) -> int:
    """Where a body ends: before the line of the next heading (and its ``#``)."""
    if body.end >= len(text):
        return body.end
    return max(body.start, text.rfind("\n", body.start, body.end) + 1)


@dataclass(slots=True)
class _Group:
    """A group row being read: values after it are reported, not stored."""

    table: Table
    hit: LabelHit


class _Reader:
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
        self.body: set[str] = set()
        self.current: Table | None = None
        self.row: Row | _Group | None = None
        self.row_table: Table | None = None
        self.run: list[Token] = []

    def feed(self, tokens: Iterable[Token]) -> None:
        """Read every cell: values join the current row, labels open rows."""
        # NOTE: tokens stream in; only the few cells a broken label spans are
        # held back (``pending``, last one first), so memory stays flat.
        stream = iter(tokens)
        pending: list[Token] = []
        section: object = _START
        run = self.run
        is_value = self.matcher.is_value
        for token in stream:
            # NOTE: the inner loop goes on with the cells a label's look-ahead
            # pushed back (pending) before the next cell of the stream.
            while True:
                if token[4] != section:
                    if section is not _START:
                        self._close(None)
                        run = self.run
                    section = token[4]
                    # NOTE: a section with a single table (四) is that table
                    # even before any of its labels, so a bare data row is
                    # not lost.
                    alone = self.sections.get(token[4] or "", [])
                    self.current = alone[0] if len(alone) == 1 else None
                folded = token[1]
                # NOTE: most cells are empty or bare digits; keep them cheap.
                if not folded or folded.isdigit() or is_value(folded):
                    run.append(token)
                elif self._text(token, pending, stream):
                    run = self.run
                else:
                    run.append(token)  # a short text value: ``增``, ``无``
                if not pending:
                    break
                token = pending.pop()
        self._close(None)

    def _text(
        self, token: Token, pending: list[Token], stream: Iterator[Token]
    ) -> bool:
        """Read a cell that is no value: a label, or a row-ending text.

        Returns:
            False when the cell is a short text value of the current row
            (``增``, ``无``), which the caller appends to it.
        """
        found = self._label_at(token, pending, stream)
        if found is not None:
            self._label(*found)
            return True
        near = self.matcher.near_miss(token[1])
        if near:
            self._label(near, [token])
            return True
        if len(token[1]) <= self.spec.max_text_value:
            return False
        self._close(None)
        return True

    def _label_at(
        self, first: Token, pending: list[Token], stream: Iterator[Token]
    ) -> tuple[list[Candidate], list[Token]] | None:
        """Candidates for the label starting at ``first`` and the cells it spans.

        Cells looked at but not part of the label go back to ``pending``.
        """
        matcher = self.matcher
        joined = first[1]
        candidates = matcher.lookup(joined)
        if not matcher.is_prefix(joined):
            # NOTE: the common case: a whole label in one cell, or no label.
            return (candidates, [first]) if candidates else None
        best: tuple[list[Candidate], list[Token]] | None = None
        parts = [first]
        if candidates:
            best = (candidates, [first])
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
                best = (candidates, list(parts))
        used = len(best[1]) if best is not None else 1
        for token in reversed(parts[used:]):
            pending.append(token)
        return best

    def _choose(self, candidates: list[Candidate], section: str | None) -> Candidate:
        """The candidate the reader's state makes likeliest (labels are shared)."""
        tables, body, current, order = self.tables, self.body, self.current, self.order

        def score(candidate: Candidate) -> tuple[int, ...]:
            entry = candidate.entry
            table = tables[entry.table]
            kind = entry.kind
            if kind == "caption":
                phase = 0
            elif kind == "row" or kind == "group":
                phase = 0 if entry.table in body else 1
            else:
                phase = 1 if entry.table in body else 0
            return (
                0 if section is None or entry.section == section else 1,
                0 if table is current else 1,
                phase,
                _QUALITY[candidate.quality],
                1 if table.labels or table.rows else 0,  # Table.found
                order[entry.table],
                entry.index,
            )

        ranked = sorted(candidates, key=score)
        best = ranked[0]
        if best.entry.kind == "column":
            # NOTE: the review table repeats 结果维持 … 总计 under three groups;
            # each occurrence fills the next column with that label.
            table = tables[best.entry.table]
            for candidate in ranked:
                entry = candidate.entry
                if (
                    entry.table == best.entry.table
                    and entry.kind == "column"
                    and entry.official == best.entry.official
                    and not table.columns.get(entry.key)
                ):
                    return candidate
        return best

    def _label(self, candidates: list[Candidate], parts: list[Token]) -> None:
        if len(candidates) == 1:
            choice = candidates[0]
        else:
            choice = self._choose(candidates, parts[0][4])
        entry = choice.entry
        table = self.tables[entry.table]
        if self.row is not None or self.run:
            self._close(table)  # NOTE: else nothing is open (most header labels)
        start, end = parts[0][2], parts[-1][3]
        text = self.text[start:end]
        hit = LabelHit(
            entry.kind,
            entry.table,
            entry.key,
            entry.official,
            text,
            start,
            end,
            choice.quality,
            choice.distance,
        )
        if choice.quality == "fuzzy":
            fix_start, fix_end, replacement = minimal_fix(
                text, start, entry.official, self.spec.numbering
            )
            hit.fix = (Span(fix_start, fix_end), replacement)
        table.labels.append(hit)
        table.extend(start, end)
        self.current = table
        self.row = None
        kind = entry.kind
        if kind == "column":
            table.columns.setdefault(entry.key, []).append(hit)
            folded = parts[0][1] if len(parts) == 1 else "".join(p[1] for p in parts)
            unit = self.spec.unit_in_header.search(folded)
            if unit:
                table.header_units[entry.key] = unit.group("unit")
        elif kind == "group":
            self.body.add(table.key)
            self.row = _Group(table, hit)
        elif kind == "row":
            self.body.add(table.key)
            spec = table.schema.row(entry.key)
            if spec is not None and entry.key not in table.rows:
                row = Row(spec, hit, anchor=Span(start, end))
                table.rows[entry.key] = row
                self.row, self.row_table = row, table

    def _close(self, trigger: Table | None) -> None:
        """End the values of the row being read (``trigger``: next label's table)."""
        run, self.run = self.run, []
        row = self.row
        if isinstance(row, Row) and self.row_table is not None:
            self._assign(self.row_table, row, run)
            self.row = None
            return
        if isinstance(row, _Group):
            filled = [t for t in run if t[1]]
            if filled:
                start, end = filled[0][2], filled[-1][3]
                row.table.group_values.append(
                    GroupValues(row.hit, Span(start, end), self.text[start:end])
                )
            if run:
                self.row = None
            return
        table = self.current
        if table is None or not run or trigger is table:
            # NOTE: values between a table's own header labels are merged
            # header cells, not data.
            return
        spec = _unlabelled(table.schema.rows)
        if spec is None or spec.key in table.rows:
            return
        unlabelled = Row(spec, None)
        table.rows[spec.key] = unlabelled
        self._assign(table, unlabelled, run)

    def _assign(self, table: Table, row: Row, run: list[Token]) -> None:
        assign(row, run, table.schema, self.spec, table.columns)
        if run:
            table.extend(run[0][2], run[-1][3])


def _unlabelled(rows: tuple[RowSpec, ...]) -> RowSpec | None:
    if len(rows) == 1 and rows[0].label is None:
        return rows[0]
    return None
