"""Kind ``enumeration``: numbered items out of sequence within one block.

Two families of sequences, both as pack data:

- ``inline``: markers inside prose (``一是……二是……三是``); a sequence runs
  until the next numbered line (any ``levels`` marker, or a section
  heading), which restarts it; ``一是`` itself starts a new sequence.
- ``levels``: markers at a line start, outermost first
  (``（一）``, ``1.``, ``（1）``); a marker of a level restarts every deeper
  level, and each section heading restarts them all.

Markers inside 《》 or “” (a quoted document's own numbering), inside a
table, or on a table-like line (a tab, or ``|`` first) are not items. When
the sections themselves are numbered with a level's markers (``（一）总体
情况``), that level is left to the section rules.

One finding per sequence, at the first item out of place, saying which
numeral was expected: when replacing that single item would make the
sequence run 1, 2, 3 …, the message says so.

Params:
    numerals: numeral words in order (一, 二, … 十).
    inline: regex with a named group ``n`` (the numeral) for a prose marker.
    inline_after: the characters a prose marker may follow, besides a line
        start (a sentence mark: ``，二是``; not ``唯一是``, ``统一是``).
    levels: list of ``{name, pattern}``; ``pattern`` (matched at a line
        start, after blanks and markdown ``#``) has a group ``n``: a numeral
        word or arabic digits.

Message arguments: ``found`` and ``expected`` (the markers as written and
as expected) and ``single`` (true when only this item is out of place).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from re import Match
from typing import TYPE_CHECKING, Any, cast

from ..document.text import Span
from ..records import dataclass
from ..regex.cached import compile_regex
from ..regex.guard import pack_regex, required_text
from ..regex.matches import single_line, widest_match
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex

PARAMS = {
    "numerals": Param("list", required=True, help="numeral words in order"),
    "inline": Param("regex", required=True, help="prose marker with group n"),
    "inline_after": Param(
        "str", default="", help="characters a prose marker may follow (or a line start)"
    ),
    "levels": Param("list", required=True, help="line-start markers, outermost first"),
}
_PREFIX = re.compile(r"[ \t\u3000]*(?:#{1,6}[ \t]*)?")
_OPEN = {"《": "》", "“": "”"}


@dataclass(frozen=True, slots=True)
class Prepared:
    """Numeral values, the prose marker and one scan for the line markers.

    ``any_level`` matches a line start; group ``m<i>`` is the marker of
    level ``i`` and ``n<i>`` its numeral. ``inline_hint`` is text every
    prose marker holds (a line without it is not searched);
    ``inline_width`` the most characters a prose marker takes (0: unknown
    or too many: the whole text is scanned).
    """

    values: dict[str, int]
    inline: Regex
    inline_hint: str
    inline_width: int
    any_level: re.Pattern[str]
    line_starts: re.Pattern[str]
    depths: int
    after: frozenset[str]
    line_bound: bool


@dataclass(slots=True)
class Item:
    """One marker: its value, where it is and how it is written."""

    value: int
    span: Span
    text: str


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the markers; every pattern needs a group ``n``."""
    values = {str(n): i + 1 for i, n in enumerate(params["numerals"])}
    inline = pack_regex(str(params["inline"]), re.MULTILINE)
    if "n" not in inline.groupindex:
        raise ValueError("inline needs a named group 'n'")
    parts = []
    for depth, item in enumerate(params["levels"]):
        if not isinstance(item, dict) or not {"name", "pattern"} <= set(item):
            raise ValueError("each level needs 'name' and 'pattern'")
        pattern = str(item["pattern"])
        if pattern.count("(?P<n>") != 1:
            raise ValueError(f"level '{item['name']}' needs one named group 'n'")
        pack_regex(pattern)  # NOTE: checked like every pack regex
        parts.append(f"(?P<m{depth}>{pattern.replace('(?P<n>', f'(?P<n{depth}>')})")
    levels = _PREFIX.pattern + "(?:" + "|".join(parts) + ")"
    any_level = compile_regex(levels)
    # NOTE: a line led by a tab is a table row: its markers are dropped. When
    # no marker can take in a newline (so that every line is matched on its
    # own), the scan passes such lines at once instead of trying every level.
    after_newline = _PREFIX.pattern
    if all(single_line(str(item["pattern"])) for item in params["levels"]):
        after_newline = r"(?!\t)[ \u3000]*(?:#{1,6}[ \t]*)?"
    # NOTE: a scan from each newline a marker follows skips from line to line
    # like a literal search; a pattern anchored with ^ is tried everywhere.
    # Each match but the first line's (``any_level`` at 0) begins with the
    # newline before its line.
    line_starts = compile_regex("\n" + after_newline + "(?:" + "|".join(parts) + ")")
    hint = required_text(str(params["inline"]))
    return Prepared(
        values,
        inline,
        hint,
        widest_match(str(params["inline"]), inline) if hint else 0,
        any_level,
        line_starts,
        len(parts),
        frozenset(str(params["inline_after"])),
        all(single_line(str(i["pattern"]), strict=True) for i in params["levels"]),
    )


def _inline_matches(text: str, prepared: Prepared) -> Iterator[Match[str]]:
    """The matches ``prepared.inline.finditer(text)`` gives, found from the hint.

    NOTE: every match holds the hint and takes at most ``inline_width``
    characters, so it starts at most that far before an occurrence of the
    hint: a literal search (C speed) for the hint, then a match tried at
    those few places, leftmost first (as a scan would), replaces a scan of
    every character. A match is never empty (it holds the hint).
    """
    hint, width = prepared.inline_hint, prepared.inline_width
    if not width:
        yield from prepared.inline.finditer(text)
        return
    match_at = cast("re.Pattern[str]", prepared.inline).match
    back = width - len(hint)
    pos = 0
    at = text.find(hint)
    while at >= 0:
        for start in range(max(pos, at - back), at + 1):
            match = match_at(text, start)
            if match is not None:
                yield match
                pos = match.end()
                break
        else:
            # NOTE: a match starting after ``at`` holds a later occurrence.
            pos = at + 1
        at = text.find(hint, pos)


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Yield one hit per sequence that does not run 1, 2, 3 and on."""
    text = report.document.text
    skip_levels = _section_levels(report, prepared)
    inline: list[Item] = []
    levels: list[list[Item]] = [[] for _ in range(prepared.depths)]
    for depth, item in _events(report, prepared):
        if depth is None:  # a prose marker
            if item.value == 1:
                yield from _close(inline, prepared, text)
                inline = []
            inline.append(item)
            continue
        if inline:
            yield from _close(inline, prepared, text)
            inline = []
        for deeper in range(depth + 1, len(levels)):
            if levels[deeper]:  # NOTE: most are empty: no generator for them
                yield from _close(levels[deeper], prepared, text)
                levels[deeper] = []
        if depth < 0 or depth in skip_levels or item.value < 1:
            continue
        if item.value == 1:
            yield from _close(levels[depth], prepared, text)
            levels[depth] = []
        levels[depth].append(item)
    yield from _close(inline, prepared, text)
    for items in levels:
        yield from _close(items, prepared, text)


_HEAD = -1


def _events(report: Report, prepared: Prepared) -> list[tuple[int | None, Item]]:
    """Section headings, numbered lines and prose markers, in text order.

    NOTE: two scans of the whole text (C speed) rather than a loop over its
    lines: most lines hold no marker. Depth ``-1`` is a section heading,
    ``None`` a prose marker; an item of value 0 only restarts deeper levels.
    """
    text = report.document.text
    tables = [
        (t.start, t.end)
        for t in report.tables
        if t.start is not None and t.end is not None
    ]
    heads = {text.rfind("\n", 0, s.span.start) + 1 for s in report.outline.sections}
    heads.update(text.rfind("\n", 0, s.span.start) + 1 for s in report.outline.strays)
    events: list[tuple[int, int | None, Item]] = [
        (start, _HEAD, Item(0, Span(start, start), "")) for start in heads
    ]
    for line, match in _numbered_lines(text, prepared, _merged(tables)):
        if line in heads or _not_prose(text, line, ()):
            continue
        group = match.lastgroup or ""
        depth = int(group[1:])
        raw = match.group(f"n{depth}")
        value = int(raw) if raw.isdigit() else prepared.values.get(raw, 0)
        span = Span(match.start(group), match.end())
        events.append((line, depth, Item(value, span, match.group(group))))
    if prepared.inline_hint in text:
        for match in _inline_matches(text, prepared):
            numeral = prepared.values.get(match.group("n"))
            pos = match.start()
            # NOTE: the cheap tests first (each only drops the marker).
            if numeral is None or (
                pos and text[pos - 1] != "\n" and text[pos - 1] not in prepared.after
            ):
                continue
            if _not_prose(text, pos, tables) or _quoted(text, pos):
                continue
            span = Span(match.start(), match.end())
            events.append((match.start(), None, Item(numeral, span, match.group(0))))
    events.sort(key=lambda event: event[0])
    return [(depth, item) for _, depth, item in events]


def _numbered_lines(
    text: str, prepared: Prepared, tables: list[tuple[int, int]]
) -> list[tuple[int, re.Match[str]]]:
    """``(line start, match)`` of each numbered line outside ``tables``.

    ``tables``: merged spans, in order. NOTE: most numbered lines are table
    rows (（一）予以公开). When no marker takes in or looks past a newline
    (``line_bound``), each match starts at a newline and reads nothing after
    the next, so the matches do not depend on where a scan starts or stops:
    only the text between the tables is scanned (C speed), not every row
    matched and dropped in Python.
    """
    found: list[tuple[int, re.Match[str]]] = []
    first = prepared.any_level.match(text)
    if not prepared.line_bound:
        # A match may run over lines: one scan of the whole text, with a walk
        # along the tables (in text order) to drop their rows.
        table, left = 0, len(tables)
        lines = chain((first,) if first else (), prepared.line_starts.finditer(text))
        for match in lines:
            line = match.start()
            line += text[line : line + 1] == "\n"
            while table < left and tables[table][1] <= line:
                table += 1
            if not (table < left and tables[table][0] <= line):
                found.append((line, match))
        return found
    pos = 0
    for start, end in (*tables, (len(text) + 1, len(text) + 1)):
        if start > pos:
            if pos == 0 and first is not None:
                found.append((0, first))
            # NOTE: the match of the line at ``pos`` starts at the newline
            # before it; that of the last line before the table reads up to
            # the newline ending it at most.
            stop = text.find("\n", start - 1) + 1 or len(text)
            for match in prepared.line_starts.finditer(text, max(0, pos - 1), stop):
                line = match.start() + 1
                if line >= start:
                    break
                found.append((line, match))
        pos = end
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (``[start, end)``) in order, overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _not_prose(text: str, pos: int, tables: Iterable[tuple[int, int]]) -> bool:
    """Whether ``pos`` is in a table or on a table-like line."""
    for start, end in tables:
        if start <= pos < end:
            return True
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    if end < 0:
        end = len(text)
    # NOTE: the line is not copied: a tab in it, or a | after its blanks.
    if text.find("\t", start, end) >= 0:
        return True
    while start < end and text[start].isspace():
        start += 1
    return text.startswith("|", start, end)


def _section_levels(report: Report, prepared: Prepared) -> set[int]:
    """Levels whose markers number the sections themselves."""
    out: set[int] = set()
    for section in report.outline.sections:
        match = prepared.any_level.match(section.heading.lstrip())
        if match is not None and match.lastgroup:
            out.add(int(match.lastgroup[1:]))
    return out


def _quoted(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a 《》 or “” opened earlier on its line."""
    before = text[text.rfind("\n", 0, pos) + 1 : pos]
    return any(before.count(o) > before.count(c) for o, c in _OPEN.items())


def _close(items: list[Item], prepared: Prepared, text: str) -> Iterator[Hit]:
    """One hit for a sequence with an item out of place."""
    if len(items) < 2:
        return
    wrong = [i for i, item in enumerate(items) if item.value != i + 1]
    if not wrong:
        return
    first = wrong[0]
    item = items[first]
    expected = _written(item.text, item.value, first + 1, prepared)
    previous = items[first - 1].span.end if first else 0
    if item.value > first + 1 and expected in text[previous : item.span.start]:
        # NOTE: the item that seems skipped is there, only not where an
        # item starts (``截至年底，（四）平台建设``): nothing is missing.
        return
    yield Hit(
        item.span,
        {"found": item.text, "expected": expected, "single": len(wrong) == 1},
    )


def _written(text: str, found: int, expected: int, prepared: Prepared) -> str:
    """``text`` with its numeral replaced by the expected one."""
    names = {v: k for k, v in prepared.values.items()}
    old = names.get(found, "")
    if old and old in text and not any(ch.isdigit() for ch in text):
        return text.replace(old, names.get(expected, str(expected)), 1)
    return text.replace(str(found), str(expected), 1)


KIND = KindSpec("enumeration", PARAMS, check, prepare, __doc__ or "")
