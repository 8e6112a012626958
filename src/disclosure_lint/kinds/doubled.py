"""Kind ``doubled``: a word, character or mark written twice back to back.

Words: a run of 2 to ``max_unit`` Chinese characters followed at once by
the same run (``审核审核``, ``进一步进一步``), also across a hard line wrap
(the first copy ends a prose line of at least ``wrap_min_line`` characters,
the second starts the next line). Only Chinese characters form a word, so
numbers, dates, amounts and numbering (``100100``, ``（一）（一）``) never
match. A single character is too often doubled across two words
(``公开开展``, ``管理理念``, ``工作作风``), so only the characters and marks in
``singles`` are checked one by one, each with ``not_before`` /
``not_after`` contexts (``目的的``, ``的的确确``).

Legitimate reduplications are pack data: ``allowed`` lists units that may
repeat (``研究研究``) and ``allowed_pattern`` matches more (``一步一步``).
Text inside a table, and any line holding a tab or starting with ``|``
(a table row), is not prose and is skipped.

The fix deletes the second copy. It is safe only for a single character or
mark on one line; for a word, or across a line wrap, the writer may have
meant a different second word (``审核审批``), so the fix is a suggestion.

Params:
    max_unit: longest repeated word, in characters (default 8).
    wrap_min_line: a line this long is prose wrapped at the page width
        (default 20).
    singles: list of ``{text, not_before?, not_after?}``.
    allowed: units that may be repeated.
    allowed_pattern: regex a unit that may be repeated matches in full.
    prose_marks: characters of which a prose line holds at least one (a
        line without any is a label or a header run together, e.g. a table
        header ``结果结果其他尚未`` read from a PDF); empty: every line.

Message arguments: ``text`` (one copy) and ``wrapped`` (true across a line
wrap).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from ..records import dataclass
from ..regex.cached import compile_regex
from .base import FixSpec, Hit, KindSpec, Param, reject_unknown_keys
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule

PARAMS = {
    "max_unit": Param("int", default=8, help="longest repeated word"),
    "wrap_min_line": Param("int", default=20, help="shortest wrapped prose line"),
    "singles": Param("list", default=[], help="characters checked one by one"),
    "allowed": Param("list", default=[], help="units that may repeat"),
    "allowed_pattern": Param("str", default="", help="regex of units that may repeat"),
    "prose_marks": Param("str", default="", help="a prose line holds one of these"),
}
_CJK = "\u4e00-\u9fff"
_SINGLE_KEYS = {"text", "not_before", "not_after"}
_CONTEXT = 4


@dataclass(frozen=True, slots=True)
class Single:
    """A character or mark checked on its own, with its exceptions."""

    text: str
    not_before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class Prepared:
    """The word scan, the single scan and the allowed units."""

    chinese: re.Pattern[str]
    wraps: re.Pattern[str]
    longest: int
    singles: re.Pattern[str] | None
    single: dict[str, Single]
    allowed: frozenset[str]
    allowed_pattern: re.Pattern[str] | None


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile one scan for words and one alternation for the singles."""
    longest = int(params["max_unit"])
    if longest < 2:
        raise ValueError("max_unit must be at least 2")
    # NOTE: words repeated within a line are found by ``doubled_units``
    # (the shortest repeat first: 进一步进一步 as 进一步), which needs a scan
    # for the next Chinese character. Line wraps are found apart (a line
    # break is rare enough to compare by hand).
    chinese = compile_regex(f"[{_CJK}]")
    # A line break where a word may be cut in two: a literal scan for
    # newlines. NOTE: narrower than what ``_repeats`` checks, for speed, but
    # only by what it would drop: a tab around the break (a table row:
    # not prose), or a last character (not counting blanks) that is no
    # Chinese character or does not come back within ``longest`` after it.
    wraps = compile_regex(
        f"\\n(?:(?<=([{_CJK}])\\n)[ \\u3000]*(?=[{_CJK}]{{1,{longest - 1}}}?\\1)"
        f"|(?<=[ \\u3000]\\n)[ \\u3000]*(?=[{_CJK}]{{2}}))"
    )
    single: dict[str, Single] = {}
    for item in params["singles"]:
        if not isinstance(item, dict) or "text" not in item:
            raise ValueError("each single needs 'text'")
        reject_unknown_keys(item, _SINGLE_KEYS, "a single")
        text = str(item["text"])
        if len(text) != 1:
            raise ValueError(f"single '{text}' must be one character")
        single[text] = Single(
            text,
            _context(item.get("not_before"), True),
            _context(item.get("not_after"), False),
        )
    singles = None
    if single:
        chars = "".join(re.escape(c) for c in sorted(single))
        singles = compile_regex(f"([{chars}])\\1")
    pattern = str(params["allowed_pattern"] or "")
    return Prepared(
        chinese,
        wraps,
        longest,
        singles,
        single,
        frozenset(str(a) for a in params["allowed"]),
        compile_regex(pattern) if pattern else None,
    )


def _context(pattern: Any, end: bool) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    return compile_regex(f"(?:{pattern})\\Z" if end else f"^(?:{pattern})")


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Yield a hit at the second copy of every doubled word or single."""
    text = report.document.text
    skip = _table_spans(report)
    wrap_min = int(rule.params["wrap_min_line"])
    marks = str(rule.params["prose_marks"])
    prose = _Prose(text, skip)
    for start, end, unit, wrapped in _repeats(text, prose, prepared, wrap_min):
        if unit in prepared.allowed or (
            prepared.allowed_pattern and prepared.allowed_pattern.fullmatch(unit)
        ):
            continue
        if _not_prose(text, start, end, skip, marks):
            continue
        second = Span(end - len(unit), end)
        delete = Span(start + len(unit), end)
        yield Hit(
            second, {"text": unit, "wrapped": wrapped}, FixSpec(delete, "", False)
        )
    if prepared.singles is None:
        return
    # NOTE: a newline single could pair across two joined lines.
    whole = "\n" in prepared.single
    for match in prepared.singles.finditer(text if whole else prose.joined):
        entry = prepared.single[match.group(1)]
        start = match.start() if whole else prose.position(match.start())
        end = start + 2
        before = text[max(0, start - _CONTEXT) : start]
        after = text[end : end + _CONTEXT]
        if entry.not_before and entry.not_before.search(before):
            continue
        if entry.not_after and entry.not_after.match(after):
            continue
        if _not_prose(text, start, end, skip, ""):
            continue
        second = Span(start + 1, end)
        yield Hit(
            second, {"text": entry.text, "wrapped": False}, FixSpec(second, "", True)
        )


class _Prose:
    """The lines of a draft that hold text outside its tables, joined.

    NOTE: a hit in a table is dropped, so the scans read only the lines
    with some text outside the tables (joined by newlines, which no scan
    crosses): every line whole, so each line gives the hits it gives in
    the whole text, in the same order.
    """

    __slots__ = ("joined", "offsets", "starts")

    def __init__(self, text: str, tables: list[Span]) -> None:
        """The lines of ``text`` that are not wholly inside ``tables``."""
        regions: list[list[int]] = []
        pos = 0
        for span in sorted(tables, key=lambda s: s.start):
            if span.start > pos:
                self._add(regions, text, pos, span.start)
            pos = max(pos, span.end)
        if pos < len(text) or not regions:
            self._add(regions, text, pos, len(text))
        parts = [text[a:b] for a, b in regions]
        self.joined = "\n".join(parts)
        self.starts: list[int] = []  # where each region starts in ``joined``
        self.offsets: list[int] = []  # and in the text
        at = 0
        for (start, _), part in zip(regions, parts, strict=True):
            self.starts.append(at)
            self.offsets.append(start)
            at += len(part) + 1

    @staticmethod
    def _add(regions: list[list[int]], text: str, start: int, end: int) -> None:
        """Add ``start:end`` widened to whole lines (merged with the last)."""
        start = text.rfind("\n", 0, start) + 1
        stop = text.find("\n", end)
        end = len(text) if stop < 0 else stop
        if regions and start <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], end)
        else:
            regions.append([start, end])

    def position(self, index: int) -> int:
        """The text offset of ``joined[index]``."""
        region = bisect_right(self.starts, index) - 1
        return self.offsets[region] + index - self.starts[region]


def doubled_units(
    text: str, longest: int, chinese: re.Pattern[str]
) -> list[tuple[int, int]]:
    r"""``(start, size)`` of each Chinese unit written twice in ``text``.

    As the scan ``([CJK]{2,longest}?)\1`` finds them: leftmost, shortest
    first, not overlapping.

    NOTE: a backreference scan tries every unit size at every character
    (~50 ns a character). Here the low bytes of the characters, as one
    integer, are compared with themselves shifted by each size at C speed:
    ``size`` zero bytes in a row are a place where ``size`` characters may
    come back at once; only those places (few) are checked in Python.
    """
    length = len(text)
    if length < 4:
        return []
    low = int.from_bytes(text.encode("utf-32-le")[::4], "little")
    found: list[tuple[int, int]] = []
    for size in range(2, longest + 1):
        same = (low ^ (low >> (8 * size))).to_bytes(length, "little")
        zeros = bytes(size)
        at = same.find(zeros)
        while 0 <= at < length:
            if not "\u4e00" <= text[at] <= "\u9fff":
                # NOTE: runs of blank lines, dashes or digits: skip to the
                # next Chinese character, where a unit may start.
                nxt = chinese.search(text, at)
                if nxt is None:
                    break
                at = same.find(zeros, nxt.start())
                continue
            unit = text[at : at + size]
            if unit == text[at + size : at + 2 * size] and _all_cjk(unit):
                found.append((at, size))
            at = same.find(zeros, at + 1)
    found.sort()
    taken: list[tuple[int, int]] = []
    end = 0
    for at, size in found:
        if at >= end:
            taken.append((at, size))
            end = at + 2 * size
    return taken


def _repeats(
    text: str, prose: _Prose, prepared: Prepared, wrap_min: int
) -> Iterator[tuple[int, int, str, bool]]:
    """``(start, end, unit, wrapped)`` of each word written twice."""
    for at, size in doubled_units(prose.joined, prepared.longest, prepared.chinese):
        start = prose.position(at)
        yield start, start + 2 * size, text[start : start + size], False
    for wrap in prepared.wraps.finditer(text):
        before, after = _trim(text, wrap.start()), wrap.end()
        last = text[before - 1] if before else ""
        # NOTE: most lines end with a mark (。), not in the middle of a word;
        # and the unit's last character must come back after the break.
        if (
            not _all_cjk(last)
            or text.find(last, after + 1, after + prepared.longest) < 0
        ):
            continue
        if _line_length(text, before - 1) < wrap_min:
            continue  # NOTE: a short line is a heading or a label, not a wrap
        for size in range(2, prepared.longest + 1):
            unit = text[after : after + size]
            if len(unit) < size or not _all_cjk(unit):
                break
            if text[before - size : before] == unit:
                yield before - size, after + size, unit, True
                break


def _trim(text: str, end: int) -> int:
    """``end`` moved back over the blanks before it."""
    while end > 0 and text[end - 1] in " \t\u3000":
        end -= 1
    return end


def _all_cjk(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _table_spans(report: Report) -> list[Span]:
    spans: list[Span] = []
    for table in report.tables:
        if table.start is not None and table.end is not None:
            spans.append(Span(table.start, table.end))
    return spans


def _not_prose(text: str, start: int, end: int, tables: list[Span], marks: str) -> bool:
    """Whether ``start:end`` is in a table, on a table-like line or not prose.

    A line with none of ``marks`` (when given) is not prose.
    """
    for span in tables:
        if span.start < end and start < span.end:
            return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    if "\t" in line or line.lstrip().startswith("|"):
        return True
    return bool(marks) and not any(mark in line for mark in marks)


def _line_length(text: str, pos: int) -> int:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return len(text[start : len(text) if end < 0 else end].strip())


KIND = KindSpec("doubled", PARAMS, check, prepare, __doc__ or "")
