"""Label matching for tables: exact, loose, fragment prefixes and near misses.

Every official label (caption, header, column, row, group) of every table of
a pack is folded once into lookup tables, so recognising a cell is a dict
lookup. Only a cell that matches nothing and is long enough to be a label
goes to the near-miss search, which is prefiltered by length and shared
characters before a banded edit distance runs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from ..document.fold import fold, fold_text
from ..named_tuples import NamedTuple
from ..records import dataclass
from .pieces import Pieces
from .schema import CompiledTables, RowSpec, TableSchema

if TYPE_CHECKING:
    from ..regex.linear import Regex, RegexMatch

# Longest folded text that is tried as a near miss of a label; prose is longer.
MAX_LABEL_LENGTH = 60
_TRAILING_PAREN = re.compile(r"\([^()]*\)$")
# The order of match qualities, best first (the reader's ranking).
QUALITY = {"exact": 0, "loose": 1, "fuzzy": 2}
# Texts whose lookups are remembered; cleared when full.
_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class LabelEntry:
    """One official label (or alias) of one table."""

    kind: str  # caption | header | column | row | group
    table: str
    key: str
    official: str
    section: str
    order: int
    index: int
    spec: RowSpec | None = None  # the row or group of a row or group label
    # The bits the reader's state gains when the label is read (``state_bits``).
    found_bits: int = 0


@dataclass(frozen=True, slots=True)
class Candidate:
    """A label entry a text may stand for, and how well it matched."""

    entry: LabelEntry
    quality: str  # exact | loose | fuzzy
    distance: int = 0


class Reading(NamedTuple):
    """What a folded cell can be on its own (``LabelMatcher.read``)."""

    value: bool  # a number or a zero look-alike (``is_value``)
    labels: list[Candidate]  # exact and loose candidates (``lookup``)
    prefix: bool  # it starts a longer label (``is_prefix``)
    near: list[Candidate]  # near misses when no label matched (``near_miss``)


class LabelMatcher:
    """Folded lookup tables over every label of a pack's tables."""

    def __init__(self, compiled: CompiledTables) -> None:
        """Index every label, alias and their cores."""
        self.numbering = compiled.reader.numbering
        self.near = compiled.reader.near_miss
        self._number = compiled.reader.number.match
        self._lookalike = compiled.reader.lookalike.match
        self._values: dict[str, bool] = {}
        self.exact: dict[str, list[LabelEntry]] = defaultdict(list)
        self.loose: dict[str, list[LabelEntry]] = defaultdict(list)
        self.header_prefix: dict[str, list[LabelEntry]] = defaultdict(list)
        self.prefixes: set[str] = set()
        self._seen: dict[str, list[Candidate]] = {}
        # What each folded cell is (``read``); the reader looks here first.
        self.readings: dict[str, Reading] = {}
        # The cells read so far that are plainly labels (``Reading.labels``,
        # neither a value nor the start of a longer label): their candidates.
        # NOTE: most text cells are such labels; the reader's loop reads them
        # from here without going through ``read``.
        self.plain_labels: dict[str, list[Candidate]] = {}
        # The reader's choices among shared labels' candidates, by state
        # (see ``reader._Reader._choose``).
        self.choices: dict[
            tuple[int, str | None, str | None, int],
            tuple[list[Candidate], Candidate, list[Candidate]],
        ] = {}
        self._near: dict[str, list[Candidate]] = {}
        self._unit_in_header = compiled.reader.unit_in_header.search
        self._units: dict[str, RegexMatch | None] = {}
        self.pool: dict[int, list[tuple[str, frozenset[str], LabelEntry]]] = (
            defaultdict(list)
        )
        entries = [
            item
            for position, schema in enumerate(compiled.schemas)
            for item in _entries(schema, position)
        ]
        for entry, texts in entries:
            for text in texts:
                self._add(entry, fold_text(text))
        for key in [*self.exact, *self.loose]:
            for end in range(1, len(key)):
                self.prefixes.add(key[:end])
        self.pieces: Pieces[LabelEntry] = Pieces(
            self.numbering, entries, {*self.exact, *self.loose}
        )

    def _add(self, entry: LabelEntry, folded: str) -> None:
        self.exact[folded].append(entry)
        core = self.core(folded)
        if core != folded:
            self.loose[core].append(entry)
        if entry.kind == "header":
            inner = folded[1:-1] if folded[:1] == "(" and folded[-1:] == ")" else ""
            if inner:
                self.loose[inner].append(entry)
            body = inner or folded
            for end in range(4, len(body)):
                self.header_prefix[body[:end]].append(entry)
            return
        if self.near.limit(len(core)):
            self.pool[len(core)].append((core, frozenset(core), entry))

    def core(self, folded: str) -> str:
        """The label without its numbering and a trailing parenthetical."""
        match = self.numbering.match(folded)
        text = folded[match.end() :] if match else folded
        stripped = _TRAILING_PAREN.sub("", text)
        return stripped or text or folded

    def lookup(self, folded: str) -> list[Candidate]:
        """Exact and loose candidates for a folded text (possibly none).

        The result is shared between calls: do not modify it.
        """
        cached = self._seen.get(folded)
        if cached is not None:
            return cached
        if len(self._seen) >= _CACHE_SIZE:
            # NOTE: bounded, as drafts bring unbounded distinct texts.
            self._seen.clear()
        result = self._lookup(folded)
        self._seen[folded] = result
        return result

    def _lookup(self, folded: str) -> list[Candidate]:
        out = [Candidate(e, "exact") for e in self.exact.get(folded, ())]
        core = self.core(folded)
        loose: list[LabelEntry] = []
        if core != folded:
            loose.extend(self.exact.get(core, ()))
            loose.extend(self.loose.get(core, ()))
        loose.extend(self.loose.get(folded, ()))
        if not out and not loose:
            loose.extend(self.header_prefix.get(folded, ()))
        seen = {c.entry for c in out}
        for entry in loose:
            if entry not in seen:
                seen.add(entry)
                out.append(Candidate(entry, "loose"))
        return out

    def read(self, folded: str) -> Reading:
        """Everything the reader asks about a cell on its own, in one lookup.

        The result is remembered in ``readings`` and shared: do not modify it.
        """
        found = self.readings.get(folded)
        if found is not None:
            return found
        if len(self.readings) >= _CACHE_SIZE:
            self.readings.clear()
            self.plain_labels.clear()
        value = self.is_value(folded)
        labels = [] if value else self.lookup(folded)
        found = Reading(
            value,
            labels,
            not value and self.is_prefix(folded),
            [] if value or labels else self.near_miss(folded),
        )
        self.readings[folded] = found
        if found.labels and not found.prefix:
            self.plain_labels[folded] = found.labels
        return found

    def is_value(self, folded: str) -> bool:
        """True for a folded cell that can only be a value: empty, a number, ``O``."""
        if not folded or folded.isdigit():
            return True
        known = self._values.get(folded)
        if known is None:
            if len(self._values) >= _CACHE_SIZE:
                self._values.clear()
            known = self._values[folded] = bool(
                self._number(folded) or self._lookalike(folded)
            )
        return known

    def header_unit(self, folded: str) -> RegexMatch | None:
        """Where a folded column label states its unit (``单位:万元``), if it does.

        NOTE: remembered, as the same column labels come in every draft.
        """
        units = self._units
        if folded in units:
            return units[folded]
        if len(units) >= _CACHE_SIZE:
            units.clear()
        found: RegexMatch | None = self._unit_in_header(folded)
        units[folded] = found
        return found

    def is_prefix(self, folded: str) -> bool:
        """True when ``folded`` is the start of some longer label."""
        return folded in self.prefixes

    def near_miss(self, folded: str) -> list[Candidate]:
        """Labels within the allowed edit distance; empty when none or a tie.

        The result is shared between calls: do not modify it.
        """
        cached = self._near.get(folded)
        if cached is not None:
            return cached
        if len(self._near) >= _CACHE_SIZE:
            self._near.clear()
        result = self._near_miss(folded)
        self._near[folded] = result
        return result

    def _near_miss(self, folded: str) -> list[Candidate]:
        core = self.core(folded)
        size = len(core)
        if size < self.near.min_length or len(folded) > MAX_LABEL_LENGTH:
            return []
        best: list[Candidate] = []
        best_distance = 99
        best_label = ""
        for length in (size - 1, size, size + 1):
            for official, chars, entry in self.pool.get(length, ()):
                limit = self.near.limit(length)
                shared = sum(1 for ch in core if ch in chars)
                if shared < size - limit:
                    continue
                distance = osa_distance(core, official, limit)
                if distance > limit or distance == 0:
                    continue
                if distance < best_distance:
                    best, best_distance, best_label = [], distance, official
                if distance == best_distance:
                    if official != best_label:
                        best_label = "\x00"  # NOTE: two labels equally near
                    best.append(Candidate(entry, "fuzzy", distance))
        if best_label == "\x00":
            return []
        return best


def same_column(candidates: list[Candidate], best: Candidate) -> list[Candidate]:
    """When ``best`` is a column: the columns of its table with its label.

    In the order the reader's ``_best`` ranks them: columns of one table differ in score
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
    same.sort(key=lambda c: (QUALITY[c.quality], c.entry.index))
    return same


def state_bits(position: int, body: bool) -> int:
    """The bits of the table reader's state for a table found (and its body begun).

    The state holds two bits per table, by the table's ``position`` among the
    pack's schemas: ``1 << 2 * position`` once it is found (a label or row
    read), ``1 << 2 * position + 1`` once its body has begun (a row or group
    label read).
    """
    return (3 if body else 1) << 2 * position


def _entries(schema: TableSchema, position: int) -> list[tuple[LabelEntry, list[str]]]:
    """The label entries of ``schema``, the ``position``-th table of its pack."""
    out: list[tuple[LabelEntry, list[str]]] = []
    base = (schema.key, schema.section, schema.order)
    head, body = state_bits(position, False), state_bits(position, True)
    if schema.caption:
        entry = LabelEntry(
            "caption", base[0], "", schema.caption, *base[1:], 0, None, head
        )
        out.append((entry, [schema.caption]))
    for i, header in enumerate(schema.header):
        entry = LabelEntry("header", base[0], "", header, *base[1:], i, None, head)
        out.append((entry, [header]))
    for i, column in enumerate(schema.columns):
        entry = LabelEntry(
            "column", base[0], column.key, column.label, *base[1:], i, None, head
        )
        out.append((entry, [column.label, *column.aliases]))
    for i, row in enumerate(schema.rows):
        if row.label is None:
            continue
        kind = "group" if row.group else "row"
        entry = LabelEntry(kind, base[0], row.key, row.label, *base[1:], i, row, body)
        out.append((entry, [row.label, *row.aliases]))
    return out


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or ``limit + 1`` once it exceeds it.

    Only the diagonal band of width ``limit`` is computed, so the cost is
    linear in the length for the small limits used for labels.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    big = limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [big] * (len(b) + 1)
        row[0] = i
        low = max(1, i - limit)
        high = min(len(b), i + limit)
        best = row[0] if low == 1 else big
        for j in range(low, high + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if (
                i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
                and prev2
            ):
                value = min(value, prev2[j - 2] + 1)
            row[j] = value
            best = min(best, value)
        if best > limit:
            return big
        prev2, prev = prev, row
    return min(prev[len(b)], big)


def minimal_fix(
    text: str, start: int, official: str, numbering: Regex
) -> tuple[int, int, str]:
    """The smallest edit turning the label at ``start`` into ``official``.

    Both sides are compared without their numbering; the differing middle of
    the folded texts is mapped back to offsets of the document and to the
    official label's own characters (so full-width punctuation stays).

    Returns:
        ``(start, end, replacement)`` in document offsets.
    """
    mine = fold(text, start)
    theirs = fold(official)
    skip_mine = _numbering_length(mine.text, numbering)
    skip_theirs = _numbering_length(theirs.text, numbering)
    a = mine.text[skip_mine:]
    b = theirs.text[skip_theirs:]
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(a), len(b)) - head
        and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]
    ):
        tail += 1
    a_start, a_end = skip_mine + head, skip_mine + len(a) - tail
    b_start, b_end = skip_theirs + head, skip_theirs + len(b) - tail
    if a_end > a_start:
        begin, finish = mine.original_span(a_start, a_end)
    else:
        begin = mine.offsets[a_start] if a_start < len(mine.offsets) else mine.end
        finish = begin
    if b_end > b_start:
        raw_start, raw_end = theirs.original_span(b_start, b_end)
        replacement = official[raw_start:raw_end]
    else:
        replacement = ""
    return begin, finish, replacement


def _numbering_length(folded: str, numbering: Regex) -> int:
    match = numbering.match(folded)
    return match.end() if match else 0
