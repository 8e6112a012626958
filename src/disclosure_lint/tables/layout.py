"""Reading tables from degraded layouts: text from PDFs, converter markdown.

The reader (``reader._Reader``) mixes in ``LayoutReading``: what to make of
a text cell that is no label (a piece of a torn label, two labels run
together, a label written down a merged cell, a label whose numbers come
later), and the signs of a degraded layout it notes per table, from which
``judge`` decides whether the table can be read cell by cell
(``Table.skipped``, reported once by TB012) and whether its header was torn
by the layout (``Table.header_unread``).
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import TYPE_CHECKING

from ..document.fold import translate
from ..document.text import Span
from ..records import dataclass
from .labels import MAX_LABEL_LENGTH, Candidate
from .table import GroupValues, LabelHit, Row, Table

if TYPE_CHECKING:
    from .labels import LabelMatcher
    from .schema import ReaderSpec
    from .tokens import Token

# Longest header text that may be a header cell of another form; longer
# text, or a sentence, is a note.
_HEADER_TEXT = 16
_FOLDED = itemgetter(1)
# Blanks inside a cell no label matches, where it may be two labels run
# together (``reader._Reader._split``); looked for in its first characters.
_BLANKS = re.compile(r"[ \u3000\u00a0]+")
_SPLIT_SCAN = 40


_UNALIGNED = ("too-many", "too-few")


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
    # NOTE: only rows whose values do not match the columns count; digits
    # run together are another cause, split by equations or reported per row
    # (TB013/TB014 in a reflowed draft, TB008 otherwise).
    uncertain = sum(1 for row in table.rows.values() if row.problem in _UNALIGNED)
    # NOTE: header text made of pieces of the table's own labels is the
    # layout's; other header text (another edition's columns) is a header
    # that is really different, whose missing columns are real.
    torn = signs.header_text if not signs.other_text else 0
    if not uncertain and not torn:
        return
    degraded = signs.loose + torn + signs.fragments
    # NOTE: a small table whose row labels all stand without a number, amid
    # a degraded layout, had its numbers moved away (text in column order);
    # rows with numbers to spare are rather another edition's columns.
    bare = uncertain == len(table.rows) and not any(
        row.values for row in table.rows.values()
    )
    if uncertain >= 3 or (degraded and (uncertain >= 2 or bare)):
        table.skipped = "unaligned"
    elif not uncertain and table.rows and torn:
        table.header_unread = True


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


class LayoutReading:
    """The reader's handling of text cells that degraded layouts leave.

    NOTE: a mixin of ``reader._Reader``, which owns the state declared here.
    """

    matcher: LabelMatcher
    spec: ReaderSpec
    current: Table | None
    row: Row | _Group | None
    row_table: Table | None
    run: list[Token]
    pending: list[Token]
    waiting: list[tuple[Table, Row, list[Token]]]
    vertical: str
    layout: dict[str, _Signs]
    ended: LabelHit | None
    text: str
    sections: dict[str, list[Table]]

    if TYPE_CHECKING:

        def _close(self, trigger: Table | None) -> None: ...

        def _label(
            self, candidates: list[Candidate], first: Token, last: Token, folded: str
        ) -> None: ...

        def _assign(self, table: Table, row: Row, run: list[Token]) -> None: ...

    def _text(self, token: Token, near: list[Candidate]) -> None:
        """A text cell that is no label: layout, a near miss, a value or prose."""
        folded = token[1]
        if len(folded) > MAX_LABEL_LENGTH:
            self._close(None)  # NOTE: prose (most text cells): nothing to try
            return
        matcher = self.matcher
        if matcher.pieces.is_fragment(folded) or self._continues(folded):
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
        elif (entry := matcher.pieces.unique_prefix(folded)) is not None:
            self._label([Candidate(entry, "loose")], token, token, folded)
        elif self._split(token):
            return  # NOTE: its pieces are read next (``pending``)
        elif near and self._torn(near):
            # NOTE: a group label near a wrapped one's pieces (``(四)无`` …
            # ``三、本法提供``) is the converter's garble, not a typo.
            self._layout(token, 0)
        elif near:
            self._label(near, token, token, folded)
        else:
            self._plain(token)

    def _plain(self, token: Token) -> None:
        """A text cell read as no label at all: a short text value or prose.

        NOTE: never a label, so a label turned down here (``_elsewhere``)
        cannot come back.
        """
        folded = token[1]
        if len(folded) <= self.spec.max_text_value:
            self.run.append(token)  # a short text value: ``增``, ``无``
        else:
            if len(folded) <= MAX_LABEL_LENGTH:
                self._layout(token, 1)
            self._close(None)  # prose, or a note under the table

    def _end_row(self, owner: Table, row: Row, run: list[Token]) -> None:
        """Give ``row`` of ``owner`` its numbers ``run``, or let it wait."""
        self.ended = row.label
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

    def _elsewhere(self, candidates: list[Candidate], section: str | None) -> bool:
        """True when a label read in a table section is only other tables'.

        NOTE: in PDF text a torn header leaves pieces that are labels of
        another section's table (``其他`` of 其他结果 in table 四 is table
        三's column): they do not take the reader to that table.
        """
        return (
            section is not None
            and section in self.sections
            and all(c.entry.section != section for c in candidates)
        )

    def _numbers(self, run: list[Token]) -> bool:
        """True when ``run`` holds a number or a blank cell, not only text."""
        is_value = self.matcher.is_value
        return any(is_value(token[1]) for token in run)

    def _end_group(self, group: _Group, run: list[Token]) -> None:
        """End a group row: numbers on it are noted (TB011), or a row's.

        NOTE: PDF text puts a merged group label on the middle line of its
        first row's wrapped label, before that row's numbers
        (``1. 本机关不掌握相关政`` / ``(四) 无法提供 1 0 0 0 1 0 2`` /
        ``府信息``): a full row of numbers there is the waiting row's.
        """
        filled = [t for t in run if t[1]]
        table = group.table
        last = self.waiting[-1] if self.waiting else None
        if (
            last is not None
            and last[0] is table
            and len(filled) == len(table.schema.column_keys)
        ):
            self._claim(table, last[1], run)
        elif filled:
            start, end = filled[0][2], filled[-1][3]
            text = self.text[start:end]
            table.group_values.append(GroupValues(group.hit, Span(start, end), text))
        if run:
            self.row = None

    def _continues(self, folded: str) -> bool:
        """True when ``folded`` is a later piece of the open row's label.

        Or of the row label read last, or of a label still waiting for its
        numbers: the numbers after the piece are that row's
        (``1.申请人无正当理由逾期不补正、`` … then
        ``行政机关不再处理其政府信息公 40 1 0 0 2 0 43``).
        """
        if not folded:
            return False
        row = self.row
        if row is not None:
            hit = row.hit if isinstance(row, _Group) else row.label
            if hit is not None and self._inside(folded, hit.official):
                return True
        if self.ended is not None and self._inside(folded, self.ended.official):
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
        label = self.matcher.pieces.folded_label(official)
        if len(folded) < 2:
            # NOTE: one character only as the label's last (``息``).
            return len(label) > 2 and label.endswith(folded)
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
            if matcher.lookup(folded) or matcher.pieces.unique_prefix(folded):
                labels += 1
            elif not (
                matcher.pieces.is_fragment(folded)
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
        if self.matcher.pieces.is_torn(table.key, token[0]):
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
