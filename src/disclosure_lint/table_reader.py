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
from .table_tokens import Token, tokenize
from .table_values import assign, is_value_token
from .tables import GroupValues, LabelHit, Row, Table

# A label broken over at most this many cells is put back together.
MAX_JOIN = 4
_QUALITY = {"exact": 0, "loose": 1, "fuzzy": 2}
_MATCHERS: dict[int, tuple[CompiledTables, LabelMatcher]] = {}
_START = object()


def matcher_for(compiled: CompiledTables) -> LabelMatcher:
    """The label matcher of ``compiled`` (built once per process)."""
    entry = _MATCHERS.get(id(compiled))
    if entry is not None and entry[0] is compiled:
        return entry[1]
    matcher = LabelMatcher(compiled)
    if len(_MATCHERS) >= 8:
        _MATCHERS.pop(next(iter(_MATCHERS)))
    _MATCHERS[id(compiled)] = (compiled, matcher)
    return matcher


def read(doc: Document, outline: Outline, compiled: CompiledTables) -> list[Table]:
    """Read the tables of ``compiled`` from ``doc``."""
    reader = _Reader(doc.text, compiled, matcher_for(compiled))
    tokens = tokenize(doc.text, _region(doc, outline, compiled), compiled.reader.number)
    reader.feed(tokens)
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
        while True:
            if pending:
                token = pending.pop()
            else:
                following = next(stream, None)
                if following is None:
                    break
                token = following
            if token.section != section:
                if section is not _START:
                    self._close(None)
                    run = self.run
                section = token.section
                # NOTE: a section with a single table (四) is that table even
                # before any of its labels, so a bare data row is not lost.
                alone = self.sections.get(token.section or "", [])
                self.current = alone[0] if len(alone) == 1 else None
            folded = token.folded
            # NOTE: most cells are empty or bare digits; keep them cheap.
            if not folded or folded.isdigit() or is_value_token(token, self.spec):
                run.append(token)
                continue
            found = self._label_at(token, pending, stream)
            if found is not None:
                candidates, parts = found
                self._label(candidates, parts)
            else:
                near = self.matcher.near_miss(folded)
                if near:
                    self._label(near, [token])
                elif len(folded) <= self.spec.max_text_value:
                    run.append(token)
                    continue
                else:
                    self._close(None)
            run = self.run
        self._close(None)

    def _label_at(
        self, first: Token, pending: list[Token], stream: Iterator[Token]
    ) -> tuple[list[Candidate], list[Token]] | None:
        """Candidates for the label starting at ``first`` and the cells it spans.

        Cells looked at but not part of the label go back to ``pending``.
        """
        joined = first.folded
        best: tuple[list[Candidate], list[Token]] | None = None
        candidates = self.matcher.lookup(joined)
        parts = [first]
        if candidates:
            best = (candidates, [first])
        while len(parts) < MAX_JOIN and self.matcher.is_prefix(joined):
            following = pending.pop() if pending else next(stream, None)
            if following is None:
                break
            if following.section != first.section or is_value_token(
                following, self.spec
            ):
                pending.append(following)
                break
            parts.append(following)
            joined += following.folded
            candidates = self.matcher.lookup(joined)
            if candidates:
                best = (candidates, list(parts))
        used = len(best[1]) if best is not None else 1
        for token in reversed(parts[used:]):
            pending.append(token)
        return best

    def _choose(self, candidates: list[Candidate], section: str | None) -> Candidate:
        if len(candidates) == 1:
            return candidates[0]

        def score(candidate: Candidate) -> tuple[int, ...]:
            entry = candidate.entry
            table = self.tables[entry.table]
            in_body = entry.table in self.body
            if entry.kind == "caption":
                phase = 0
            elif entry.kind in ("row", "group"):
                phase = 0 if in_body else 1
            else:
                phase = 1 if in_body else 0
            return (
                0 if section is None or entry.section == section else 1,
                0 if table is self.current else 1,
                phase,
                _QUALITY[candidate.quality],
                0 if not table.found else 1,
                self.order[entry.table],
                entry.index,
            )

        ranked = sorted(candidates, key=score)
        best = ranked[0]
        if best.entry.kind == "column":
            # NOTE: the review table repeats 结果维持 … 总计 under three groups;
            # each occurrence fills the next column with that label.
            table = self.tables[best.entry.table]
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
        choice = self._choose(candidates, parts[0].section)
        entry = choice.entry
        table = self.tables[entry.table]
        self._close(table)
        span = Span(parts[0].start, parts[-1].end)
        text = self.text[span.start : span.end]
        hit = LabelHit(
            entry.kind,
            entry.table,
            entry.key,
            entry.official,
            text,
            span,
            choice.quality,
            choice.distance,
        )
        if choice.quality == "fuzzy":
            start, end, replacement = minimal_fix(
                text, span.start, entry.official, self.spec.numbering
            )
            hit.fix = (Span(start, end), replacement)
        table.labels.append(hit)
        table.extend(span)
        self.current = table
        self.row = None
        if entry.kind == "column":
            table.columns.setdefault(entry.key, []).append(hit)
            unit = self.spec.unit_in_header.search(
                parts[0].folded + "".join(p.folded for p in parts[1:])
            )
            if unit:
                table.header_units[entry.key] = unit.group("unit")
        elif entry.kind == "group":
            self.body.add(table.key)
            self.row = _Group(table, hit)
        elif entry.kind == "row":
            self.body.add(table.key)
            spec = table.schema.row(entry.key)
            if spec is not None and entry.key not in table.rows:
                row = Row(spec, hit, anchor=span)
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
            filled = [t for t in run if t.folded]
            if filled:
                span = Span(filled[0].start, filled[-1].end)
                row.table.group_values.append(
                    GroupValues(row.hit, span, self.text[span.start : span.end])
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
            table.extend(Span(run[0].start, run[-1].end))


def _unlabelled(rows: tuple[RowSpec, ...]) -> RowSpec | None:
    if len(rows) == 1 and rows[0].label is None:
        return rows[0]
    return None
