"""Pieces of labels that degraded layouts leave between a table's cells.

PDF text and converters tear labels: a group label wraps inside its merged
cell (``(三)不`` … ``予公开``), a long row label wraps with its numbers on a
middle line (``2、申请人逾期未按收费通知要`` / ``求缴纳费用 … 6 0 0``), a
header splits over lines or runs together (``社会法律``,
``信息内容本年处理决定数量``). ``Pieces`` knows, from the labels of a pack's
tables, which texts are such pieces; the reader treats them as layout.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from ..document.fold import fold_text

if TYPE_CHECKING:
    from ..regex.linear import Regex


class Entry(Protocol):
    """What ``Pieces`` reads of a label entry (``labels.LabelEntry``)."""

    @property
    def kind(self) -> str:
        """One of caption, header, column, row, group."""

    @property
    def table(self) -> str:
        """The table's key."""

    @property
    def key(self) -> str:
        """The row's or column's key."""

    @property
    def official(self) -> str:
        """The official label."""


E = TypeVar("E", bound=Entry)

# Characters after its numbering that a wrapped row label's start must have
# to stand for the label (``Pieces.unique_prefix``).
_MIN_START = 6
# Longest text looked at as a torn header.
_MAX_TEXT = 60
# Texts whose answers are remembered; cleared when full.
_CACHE_SIZE = 4096


class Pieces(Generic[E]):
    """Which texts are pieces of a pack's table labels (built once per pack)."""

    def __init__(
        self,
        numbering: Regex,
        entries: Iterable[tuple[E, list[str]]],
        labels: set[str],
    ) -> None:
        """Index the labels of ``entries``; ``labels``: every folded label."""
        self.numbering = numbering
        entries = list(entries)
        # Pieces of a group label wrapped inside its merged cell (PDF text:
        # ``(三)不`` … ``予公开``): layout, neither a value nor a label.
        self.fragments: set[str] = set()
        for entry, texts in entries:
            if entry.kind == "group":
                for text in texts:
                    self._add_fragments(fold_text(text))
        self.fragments -= labels
        # The folded caption, header and column labels of each table, and
        # (on first use) their pieces (``is_torn``).
        self._headers: dict[str, list[str]] = defaultdict(list)
        self._pieces: dict[str, frozenset[str]] = {}
        self._torn: dict[tuple[str, str], bool] = {}
        for entry, texts in entries:
            if entry.kind in ("caption", "header", "column"):
                self._headers[entry.table] += [fold_text(t) for t in texts]
        # Starts of numbered row labels only one label has (``None``: several).
        self._unique: dict[str, E | None] = {}
        self._folded_labels: dict[str, str] = {}
        for entry, texts in entries:
            if entry.kind in ("row", "group"):
                for text in texts:
                    self._add_starts(entry, fold_text(text))

    def _add_fragments(self, folded: str) -> None:
        """Heads, tails (two characters or more), middles (three) of a label."""
        match = self.numbering.match(folded)
        head = match.end() if match else 0
        if not head:
            return
        for end in range(head + 1, len(folded)):
            self.fragments.add(folded[:end])
        for start in range(head + 1, len(folded) - 1):
            self.fragments.add(folded[start:])
            # NOTE: and the middles, three characters or more (``年度办``).
            for end in range(start + 3, len(folded)):
                self.fragments.add(folded[start:end])

    def _add_starts(self, entry: E, folded: str) -> None:
        match = self.numbering.match(folded)
        if match is None:
            return
        core = folded[match.end() :]
        for end in range(_MIN_START, len(core)):
            start = core[:end]
            known = self._unique.get(start, entry)
            same = known is not None and (known.table, known.key) == (
                entry.table,
                entry.key,
            )
            self._unique[start] = entry if same else None

    def unique_prefix(self, folded: str) -> E | None:
        """The numbered row label that alone starts as ``folded`` does.

        ``folded`` must be numbered (in any style: ``2、`` for ``2.``) and
        have six characters or more after its numbering
        (``2.申请人逾期未按收费通知要求``), so that a start stands for one
        label whatever the draft's other rows.
        """
        match = self.numbering.match(folded)
        if match is None:
            return None
        return self._unique.get(folded[match.end() :])

    def folded_label(self, official: str) -> str:
        """``official`` folded (remembered: labels are few)."""
        found = self._folded_labels.get(official)
        if found is None:
            found = self._folded_labels[official] = fold_text(official)
        return found

    def is_torn(self, table: str, text: str) -> bool:
        """True when ``text`` is made of pieces of ``table``'s header labels.

        Pieces of two characters or more, each part of a caption, header or
        column label of the table: a header split over lines or run
        together (``社会法律`` = 社会公益组织 + 法律服务机构,
        ``信息内容本年处理决定数量``), not another form's column. Between
        blanks a piece may be one character (``业 构 组织 机构``: the ends of
        columns split down their cells).
        """
        key = (table, text)
        known = self._torn.get(key)
        if known is None:
            pieces = self._pieces.get(table)
            if pieces is None:
                pieces = self._pieces[table] = self._header_pieces(table)
            if len(self._torn) >= _CACHE_SIZE:
                self._torn.clear()
            words = [fold_text(word) for word in text.split()]
            known = self._torn[key] = all(
                word in pieces or _segments(word, pieces) for word in words
            )
        return known

    def _header_pieces(self, table: str) -> frozenset[str]:
        out: set[str] = set()
        for texts in self._headers.get(table, ()):
            for start in range(len(texts)):
                for end in range(start + 1, len(texts) + 1):
                    out.add(texts[start:end])
        return frozenset(out)

    def is_fragment(self, folded: str) -> bool:
        """True for a piece of a wrapped group label (``(四)无``, ``法提供``)."""
        return folded in self.fragments


def _segments(text: str, pieces: frozenset[str]) -> bool:
    """True when ``text`` is a sequence of ``pieces`` (longest first)."""
    if len(text) < 2 or len(text) > _MAX_TEXT:
        return False
    # NOTE: reach[i]: text[:i] is a sequence of pieces; quadratic in a
    # short header text, and run only for text no label matched.
    reach = [True] + [False] * len(text)
    for end in range(2, len(text) + 1):
        for start in range(end - 2, -1, -1):
            if reach[start] and text[start:end] in pieces:
                reach[end] = True
                break
    return reach[-1]
