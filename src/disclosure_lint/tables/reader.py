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

import re
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING

from ..document.fold import translate
from ..document.text import Document, Span
from ..outline.model import Outline
from ..records import dataclass
from .compile import compiled_tables
from .labels import (
    MAX_LABEL_LENGTH,
    Candidate,
    LabelMatcher,
    Reading,
    minimal_fix,
    state_bits,
)
from .schema import CompiledTables, RowSpec
from .table import GroupValues, LabelHit, Row, Table, new_hit
from .tokens import Token, Tokenizer
from .values import assign

if TYPE_CHECKING:
    from ..packs.model import Pack

# A label broken over at most this many cells is put back together.
MAX_JOIN = 4
_FOLDED = itemgetter(1)
# Longest header text that may be a header cell of another form; longer
# text, or a sentence, is a note.
_HEADER_TEXT = 16
# Blanks inside a cell no label matches, where it may be two labels run
# together (``reader._Reader._split``); looked for in its first characters.
_BLANKS = re.compile(r"[ \u3000\u00a0]+")
_SPLIT_SCAN = 40
_QUALITY = {"exact": 0, "loose": 1, "fuzzy": 2}
_KITS: dict[int, tuple[CompiledTables, LabelMatcher, Tokenizer]] = {}
_START = object()
# Choices among candidates remembered per pack; cleared when full.
_CHOICES = 4096


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
    tables = [reader.tables[s.key] for s in compiled.schemas]
    layout = reader.layout
    for table in tables:
        judge(table, layout.get(table.key, _NO_SIGNS))
    return tables


def judge(table: Table, signs: _Signs) -> None:
    """Decide whether ``table`` can be read cell by cell (``Table.skipped``).

    NOTE: one row with too many or too few values in a clean layout is a
    defect the editor fixes, reported precisely (TB007). Rows that cannot be
    aligned in a table that also shows signs of a degraded layout (numbers
    loose above it, header text that is no label, wrapped group labels) are
    one cause, the layout: the table gets one finding (TB012) instead of one
    per row. Three such rows are that cause whatever the signs.
    A table whose rows all read in full but whose header is split or run
    together (header text that is no label) is read; its missing column
    labels are a layout artifact (``header_unread``), not missing columns.
    """
    uncertain = sum(1 for row in table.rows.values() if row.problem and row.uncertain)
    # NOTE: header text made of pieces of the table's own labels is the
    # layout's; other header text (another edition's columns) is a header
    # that is really different, whose missing columns are real.
    torn = signs.header_text if not signs.other_text else 0
    if not uncertain and not torn:
        return
    degraded = signs.loose + torn + signs.fragments
    if uncertain >= 3 or (uncertain >= 2 and degraded):
        table.skipped = "unaligned"
    elif not uncertain and table.rows and torn:
        table.header_unread = True


def _region(
    doc: Document, outline: Outline, compiled: CompiledTables
) -> list[tuple[int, int, str | None]]:
    """The section bodies that hold tables; the whole text if one is missing."""
    text = doc.text
    wanted = {s.section for s in compiled.schemas}
    found = {s.key for s in outline.sections}
    if wanted <= found:
        # NOTE: a table section reads on to the next section's heading: a
        # row such as ``四、结转下年度继续办理 103 0 …`` (PDF text) looks like
        # a stray heading and ends the body, not the table.
        ordered = sorted(outline.sections, key=lambda s: s.span.start)
        found_spans: list[tuple[int, int, str | None]] = []
        for i, s in enumerate(ordered):
            if s.key not in wanted:
                continue
            end = _line_start(text, s.body)
            if i + 1 < len(ordered):
                end = max(end, text.rfind("\n", 0, ordered[i + 1].span.start) + 1)
            found_spans.append((s.body.start, end, s.key))
        return found_spans
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
class _Signs:
    """Signs that a table's layout was degraded (PDF text, converters).

    ``loose``: numbers that belong to no row (``55`` above the header);
    ``header_text``: text before the first row that is no label or value
    but made of pieces of the table's labels (a header split or run
    together: ``社会法律``, ``结果结果其他尚未``); ``other_text``: short
    text there that is not (``上一年项目数量``, another edition's column);
    ``fragments``: pieces of wrapped group labels (``(三)不``, ``予公开``).
    """

    loose: int = 0
    header_text: int = 0
    other_text: int = 0
    fragments: int = 0

    def text(self, torn: bool | None) -> None:
        """Count header text: torn labels (True), other (False), prose (None)."""
        if torn:
            self.header_text += 1
        elif torn is not None:
            self.other_text += 1


_NO_SIGNS = _Signs()


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
        # Signs of a degraded layout, by table key (only tables with some).
        self.layout: dict[str, _Signs] = {}

    def feed(self, tokens: Iterable[Token]) -> None:
        """Read every cell: values join the current row, labels open rows."""
        stream = iter(tokens)
        section = self.section
        run = self.run
        for token in stream:
            folded = token[1]
            # NOTE: most cells are bare digits (asked first) or empty, of the
            # section being read; they only join the row, without a call.
            if (folded.isdigit() or not folded) and token[4] == section:
                run.append(token)
            else:
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
                entry = matcher.unique_prefix(joined)
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

    def _text(self, token: Token, near: list[Candidate]) -> None:
        """A text cell that is no label: layout, a near miss, a value or prose."""
        folded = token[1]
        matcher = self.matcher
        if matcher.is_fragment(folded) or self._continues(folded):
            # NOTE: a piece of a group label wrapped inside its merged cell
            # (PDF text puts ``(三)不`` and ``予公开`` between its rows'
            # cells), or the rest of the label of the row being read: no
            # value, and the row being read goes on.
            self._layout(token, 0)
        elif self._spells(folded):
            # NOTE: a label written down a narrow merged cell, a character
            # a line (``三、`` / ``本`` / ``年`` …), between other cells.
            spelt = self.vertical + folded
            self.vertical = "" if matcher.lookup(spelt) else spelt
            self._layout(token, 0)
        elif (entry := matcher.unique_prefix(folded)) is not None:
            self._label([Candidate(entry, "loose")], token, token, folded)
        elif self._split(token):
            return  # NOTE: its pieces are read next (``pending``)
        elif near and self._torn(near):
            # NOTE: a group label near a wrapped one's pieces (``(四)无`` …
            # ``三、本法提供``) is the converter's garble, not a typo.
            self._layout(token, 0)
        elif near:
            self._label(near, token, token, folded)
        elif len(folded) <= self.spec.max_text_value:
            self.run.append(token)  # a short text value: ``增``, ``无``
        else:
            if len(folded) <= MAX_LABEL_LENGTH:
                self._layout(token, 1)
            self._close(None)  # prose, or a note under the table

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
            known = choices[key] = (candidates, best, _same_column(candidates, best))
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
                _QUALITY[candidate.quality],
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
        if len(candidates) == 1:
            choice = candidates[0]
        else:
            choice = self._choose(candidates, first[4])
        entry = choice.entry
        table = self.tables[entry.table]
        if self.row is not None or self.run:
            self._close(table)  # NOTE: else nothing is open (most header labels)
        start, end = first[2], last[3]
        text = self.text[start:end]
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
                row = Row(spec, hit, anchor=Span(start, end))
                table.rows[entry.key] = row
                self.row, self.row_table = row, table

    def _close(self, trigger: Table | None) -> None:
        """End the values of the row being read (``trigger``: next label's table)."""
        run, self.run = self.run, []
        row = self.row
        if isinstance(row, Row) and self.row_table is not None:
            self.row = None
            owner = self.row_table
            if not any(map(_FOLDED, run)):
                # NOTE: a label with no number after it; in PDF text its
                # numbers may come later, after other rows' (``_claim``).
                self.waiting.append((owner, row, run))
                return
            if (
                self.waiting
                and self._waits(owner)
                and _filled(run) == 2 * len(owner.schema.column_keys)
            ):
                # NOTE: two rows' numbers after one label, a label before
                # still waiting for its own: the second row's are its.
                cut = _after_filled(run, len(owner.schema.column_keys))
                self._assign(owner, row, run[:cut])
                self._claim(owner, None, run[cut:])
                return
            self._assign(owner, row, run)
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
        spec = _unlabelled(table.schema.rows)
        if spec is None or spec.key in table.rows:
            self._dropped(table, run)
            return
        unlabelled = Row(spec, None)
        table.rows[spec.key] = unlabelled
        self._found(table)
        self._assign(table, unlabelled, run)

    def _continues(self, folded: str) -> bool:
        """True when ``folded`` is a later piece of the open row's label.

        Or of a label still waiting for its numbers: the numbers after the
        piece are that row's (``1.申请人无正当理由逾期不补正、`` … then
        ``行政机关不再处理其政府信息公 40 1 0 0 2 0 43``).
        """
        if len(folded) < 2:
            return False
        row = self.row
        if row is not None:
            hit = row.hit if isinstance(row, _Group) else row.label
            if hit is not None and self._inside(folded, hit.official):
                return True
        for table, waiting, _ in self.waiting:
            if waiting.label is not None and self._inside(
                folded, waiting.label.official
            ):
                self._close(None)
                self._claim(table, waiting, None)
                return True
        return False

    def _inside(self, folded: str, official: str) -> bool:
        label = self.matcher.folded_label(official)
        return folded in label and not label.startswith(folded)

    def _torn(self, near: list[Candidate]) -> bool:
        """True when near misses are group labels in a table with torn ones."""
        table = self.current
        if table is None:
            return False
        signs = self.layout.get(table.key)
        return (
            signs is not None
            and signs.fragments > 0
            and all(c.entry.kind == "group" for c in near)
        )

    def _waits(self, table: Table) -> bool:
        """True when a row of ``table`` waits for its numbers."""
        return any(waiting[0] is table for waiting in self.waiting)

    def _claim(self, table: Table, row: Row | None, run: list[Token] | None) -> None:
        """Give a waiting row (``row``, else ``table``'s first) its numbers.

        With ``run`` None the row is opened: the numbers that follow are its.
        """
        for i, (owner, waiting, _) in enumerate(self.waiting):
            if owner is table and (row is None or waiting is row):
                del self.waiting[i]
                if run is None:
                    self.row, self.row_table = waiting, table
                else:
                    self._assign(table, waiting, run)
                return

    def _settle(self) -> None:
        """Rows still waiting for numbers keep what they had (none)."""
        for table, row, run in self.waiting:
            self._assign(table, row, run)
        self.waiting.clear()

    def _spells(self, folded: str) -> bool:
        """True when ``folded`` goes on a label written down, a character a line."""
        if len(folded) > 2:
            return False
        vertical = self.vertical
        if vertical:
            spelt = vertical + folded
            return self.matcher.is_prefix(spelt) or bool(self.matcher.lookup(spelt))
        match = self.spec.numbering.match(folded)
        return (
            match is not None
            and match.end() == len(folded)
            and self.matcher.is_prefix(folded)
        )

    def _split(self, token: Token) -> bool:
        """Read ``办 (三)不 4.保护第三方合法权益`` as the cells it runs together.

        NOTE: PDF text runs the labels of merged cells (or pieces of them)
        and the next column's label together with blanks between. Only a
        cell no label matches is split, and only when every piece is a
        label, the start of one, a piece of a wrapped group label or of a
        label written down a merged cell, and one at least is a label. The
        pieces go to ``pending``, read next.
        """
        raw, start, section = token[0], token[2], token[4]
        if len(raw) > _SPLIT_SCAN:
            return False
        matcher = self.matcher
        pieces: list[Token] = []
        labels = 0
        at = 0
        for blank in [*_BLANKS.finditer(raw), None]:
            end = blank.start() if blank is not None else len(raw)
            text = raw[at:end]
            folded = translate(text)
            if matcher.lookup(folded) or matcher.unique_prefix(folded):
                labels += 1
            elif not (
                matcher.is_fragment(folded)
                or matcher.is_prefix(folded)
                or self._spells(folded)
            ):
                return False
            pieces.append((text, folded, start + at, start + end, section))
            if blank is not None:
                at = blank.end()
        if not labels or len(pieces) < 2:
            return False
        self.pending.extend(reversed(pieces))
        return True

    def _dropped(self, table: Table, run: list[Token]) -> None:
        """Note cells that belong to no row: numbers loose, or header text."""
        for token in run:
            folded = token[1]
            if not folded:
                continue
            if self.matcher.is_value(folded):
                self.signs(table).loose += 1
            elif not table.rows:
                self.signs(table).text(self._torn_text(table, token))

    def _torn_text(self, table: Table, token: Token) -> bool | None:
        """Header text: pieces of the table's labels, other text or prose."""
        folded = token[1]
        if self.matcher.is_torn(table.key, token[0]):
            return True
        if len(folded) > _HEADER_TEXT or "。" in folded:
            return None  # NOTE: a note under the header, not a header cell
        return False

    def _layout(self, token: Token, weight: int) -> None:
        """Note a text cell of the current table that is neither label nor value.

        ``weight`` 0: a piece of a wrapped group label; 1: other text.
        """
        table = self.current
        if table is None:
            return
        signs = self.signs(table)
        if weight == 0:
            signs.fragments += 1
        elif not table.rows:
            signs.text(self._torn_text(table, token))

    def signs(self, table: Table) -> _Signs:
        """The layout signs noted for ``table`` so far."""
        found = self.layout.get(table.key)
        if found is None:
            found = self.layout[table.key] = _Signs()
        return found

    def _assign(self, table: Table, row: Row, run: list[Token]) -> None:
        assign(row, run, table.schema, self.spec, table.columns)
        if run:
            table.extend(run[0][2], run[-1][3])


def _same_column(candidates: list[Candidate], best: Candidate) -> list[Candidate]:
    """When ``best`` is a column: the columns of its table with its label.

    In the order ``_best`` ranks them: columns of one table differ in score
    only by quality and position.
    """
    chosen = best.entry
    if chosen.kind != "column":
        return []
    same = [
        c
        for c in candidates
        if c.entry.table == chosen.table
        and c.entry.kind == "column"
        and c.entry.official == chosen.official
    ]
    same.sort(key=lambda c: (_QUALITY[c.quality], c.entry.index))
    return same


def _filled(run: list[Token]) -> int:
    """How many cells of ``run`` are not empty."""
    return sum(1 for token in run if token[1])


def _after_filled(run: list[Token], count: int) -> int:
    """The index in ``run`` just after its ``count``-th cell that is not empty."""
    seen = 0
    for i, token in enumerate(run):
        if token[1]:
            seen += 1
            if seen == count:
                return i + 1
    return len(run)


def _unlabelled(rows: tuple[RowSpec, ...]) -> RowSpec | None:
    if len(rows) == 1 and rows[0].label is None:
        return rows[0]
    return None


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
