"""Kind ``paired-punctuation``: a closing mark with no opening mark before it.

Each line is scanned left to right; a closing mark seen while no matching
opening mark is open is flagged. A line hard-wrapped in the middle of a pair
(PDF text: ``《规`` / ``定》``) is read with the line before it: opening marks
left open at the end of a line may be closed on the next line with text:
lines of blanks may come between, as may empty lines when the line before
does not end its sentence (text from a PDF), and one page footer line such
as ``— 1 —``, matched by ``page_footer``; so the closer there is no stray.
The fix deletes the stray mark and, when the mark sits between two
punctuation marks (``活动，》，于``), the second of those too, so the sentence
does not end up with ``，，``.

Params:
    pairs: list of ``[open, close]`` single characters.
    punctuation: characters treated as punctuation for the clean-up above.
    safe: whether the fix may be applied by ``--fix`` (default true).
    page_footer: regex of a page footer line a wrapped pair may span
        (default: none).

Message arguments: ``mark``, ``open``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

from ..document.text import Record, Span
from ..regex.cached import compile_regex
from ..regex.guard import pack_regex
from .base import FixSpec, Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex

PARAMS = {
    "pairs": Param("list", required=True, help="[open, close] pairs"),
    "punctuation": Param("str", default="，。、；：,.;:", help="punctuation marks"),
    "safe": Param("bool", default=True, help="fix is safe for --fix"),
    "page_footer": Param("regex", default="", help="a footer line a pair spans"),
}


class Prepared(Record):
    """Closing → opening marks, a scanner for all marks, one for closers.

    ``independent`` when no mark is both an opening and a closing mark and
    no two closing marks share an opening mark: each pair is then matched
    on its own. ``inline``: for each closing mark, a pair closed on its line
    with no mark of the pair inside (``《规定》``).
    """

    __match_args__ = ("closing", "marks", "closers", "independent", "footer", "inline")
    __slots__ = __match_args__

    def __init__(
        self,
        closing: dict[str, str],
        marks: re.Pattern[str],
        closers: re.Pattern[str],
        independent: bool,
        footer: Regex | None = None,
        inline: dict[str, re.Pattern[str]] | None = None,
    ) -> None:
        """Prepared pairs (see the class); ``footer``: a line a pair spans."""
        self.closing: Final = closing
        self.marks: Final = marks
        self.closers: Final = closers
        self.independent: Final = independent
        self.footer: Final = footer
        self.inline: Final = inline or {}


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Map each closing mark to its opening mark; compile scanners for them."""
    closing: dict[str, str] = {}
    for pair in params["pairs"]:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(len(str(c)) == 1 for c in pair)
        ):
            raise ValueError("each pair must be [open, close], one character each")
        if pair[0] == pair[1]:
            raise ValueError("open and close marks must differ")
        closing[str(pair[1])] = str(pair[0])
    marks = "".join(closing) + "".join(closing.values())
    openers = set(closing.values())
    return Prepared(
        closing,
        compile_regex(f"[{re.escape(marks)}]"),
        compile_regex(f"[{re.escape(''.join(closing))}]"),
        independent=len(openers) == len(closing) and not openers & set(closing),
        footer=pack_regex(str(params["page_footer"]))
        if params["page_footer"]
        else None,
        inline={close: _inline(open_, close) for close, open_ in closing.items()},
    )


def _inline(open_mark: str, close_mark: str) -> re.Pattern[str]:
    """A pair closed on its line, with no mark of the pair inside."""
    marks = re.escape(open_mark + close_mark)
    return compile_regex(f"{re.escape(open_mark)}[^{marks}\n]*{re.escape(close_mark)}")


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Yield a hit for every unmatched closing mark."""
    text = report.document.text
    punctuation = str(rule.params["punctuation"])
    safe = bool(rule.params["safe"])
    strays: Iterable[int]
    if prepared.independent:
        strays = _independent_strays(
            text, prepared.closing, prepared.footer, prepared.inline
        )
    else:
        strays = _line_strays(text, prepared)
    for offset in strays:
        end = offset + 1
        ch = text[offset]
        before = text[offset - 1] if offset > 0 else ""
        after = text[end] if end < len(text) else ""
        if before and after and before in punctuation and after in punctuation:
            end += 1
        yield Hit(
            Span(offset, offset + 1),
            {"mark": ch, "open": prepared.closing[ch]},
            FixSpec(Span(offset, end), "", safe),
        )


def _independent_strays(
    text: str,
    closing: dict[str, str],
    footer: Regex | None = None,
    inline: Mapping[str, re.Pattern[str]] | None = None,
) -> list[int]:
    """Offsets of unmatched closing marks, pair by pair, in text order.

    NOTE: ``str.find`` runs ~6x faster than a regex scan for a set of
    characters, and drafts hold a few dozen marks in thousands of
    characters; each pair is matched on its own (``Prepared.independent``).
    ``inline`` (see ``Prepared``) skips a pair whose every closing mark
    ends a pair on its line: none of them can be a stray.
    """
    strays: list[int] = []
    for close_mark, open_mark in closing.items():
        count = text.count(close_mark)
        if not count:
            continue
        pairs = inline.get(close_mark) if inline else None
        if pairs is not None and len(pairs.findall(text)) == count:
            # NOTE: each match holds one closing mark, preceded on its
            # line by an opening mark with no mark of the pair between:
            # the line's count of open marks is above 0 there.
            continue
        closes = _find_all(text, close_mark)
        if closes:
            opens = _find_all(text, open_mark)
            strays += _unmatched(text, opens, closes, footer)
    strays.sort()
    return strays


def _find_all(text: str, mark: str) -> list[int]:
    found = []
    at = text.find(mark)
    while at != -1:
        found.append(at)
        at = text.find(mark, at + 1)
    return found


def _unmatched(
    text: str, opens: list[int], closes: list[int], footer: Regex | None = None
) -> list[int]:
    """The closing marks that no opening mark before them matches.

    An opening mark matches on its own line, or on the line right after it
    (a pair broken by a hard line wrap); the carry lasts one line.
    """
    strays: list[int] = []
    depth = 0  # opening marks open on the current line
    carry = 0  # opening marks left open at the end of the line before
    line_end = -1  # the newline that ends the line of the last mark
    next_open = 0
    count_opens = len(opens)
    for close in closes:
        while next_open < count_opens and opens[next_open] < close:
            depth, carry, line_end = _enter(
                text, opens[next_open], depth, carry, line_end, footer
            )
            depth += 1
            next_open += 1
        depth, carry, line_end = _enter(text, close, depth, carry, line_end, footer)
        if depth:
            depth -= 1
        elif carry:
            carry -= 1
        else:
            strays.append(close)
    return strays


def _enter(
    text: str,
    offset: int,
    depth: int,
    carry: int,
    line_end: int,
    footer: Regex | None = None,
) -> tuple[int, int, int]:
    """``(depth, carry, line_end)`` for a mark at ``offset``.

    On a new line, what was open on the line before carries over only when
    that line is the one right before, or only a page footer line is between.
    """
    if offset <= line_end:
        return depth, carry, line_end
    line_start = text.rfind("\n", 0, offset) + 1
    carry = (
        depth if line_end >= 0 and _joined(text, line_end, line_start, footer) else 0
    )
    found = text.find("\n", offset)
    return 0, carry, len(text) if found == -1 else found


def _joined(text: str, line_end: int, line_start: int, footer: Regex | None) -> bool:
    """Whether the line ending at ``line_end`` runs on at ``line_start``."""
    if line_end == line_start - 1:
        return True
    last = text[text.rfind("\n", 0, line_end) + 1 : line_end]
    return _transparent(text[line_end + 1 : line_start - 1], footer, last)


# Lines a wrapped pair may span: text from a PDF may put a line of blanks, or
# an empty line, between printed lines, and a page footer with the margins
# around it where a page ends.
_MAX_GAP_LINES = 16
# A line ending in one of these ends its paragraph: an empty line after it is
# a paragraph break, not a gap in a wrapped line.
_PARAGRAPH_END = ("。", "！", "？", "…", ".", "!", "?")


def _transparent(gap: str, footer: Regex | None, last: str) -> bool:
    """Whether the text runs on from line ``last`` across ``gap``.

    ``gap`` (whole lines) may hold lines of blanks, at most one page footer
    line and, after a line that does not end its paragraph, empty lines.
    """
    lines = gap.split("\n")
    if len(lines) > _MAX_GAP_LINES:
        return False
    runs_on = not last.rstrip().endswith(_PARAGRAPH_END)
    footers = 0
    for line in lines:
        if (line or runs_on) and not line.strip():
            continue
        if footer is not None and footers == 0 and footer.search(line) is not None:
            footers = 1
            continue
        return False
    return True


def _previous_line(text: str, line_start: int, footer: Regex | None) -> int:
    """Start of the line a line at ``line_start`` runs on from (-1: none)."""
    end = line_start - 1  # the newline that ends the line before
    for _ in range(_MAX_GAP_LINES + 1):
        if end < 0:
            return -1
        before = text.rfind("\n", 0, end) + 1
        line = text[before:end]
        if line.strip() and (footer is None or footer.search(line) is None):
            gap = text[end + 1 : line_start - 1]
            joined = end == line_start - 1 or _transparent(gap, footer, line)
            return before if joined else -1
        end = before - 1
    return -1


def _line_strays(text: str, prepared: Prepared) -> Iterator[int]:
    """Offsets of unmatched closing marks, scanning each line that has one.

    NOTE: only lines that contain a closing mark can hold a finding, so the
    text is searched for closers and just those lines are scanned (with
    what the line right before leaves open: a pair broken by a wrap).
    """
    search = prepared.closers.search
    found = search(text)
    while found is not None:
        line_start = text.rfind("\n", 0, found.start()) + 1
        line_end = text.find("\n", found.start())
        line_end = len(text) if line_end == -1 else line_end
        carry = dict.fromkeys(prepared.closing.values(), 0)
        before = _previous_line(text, line_start, prepared.footer)
        if before >= 0:
            end = text.find("\n", before)
            _scan(text, before, end, prepared, carry, {})
        yield from _scan(text, line_start, line_end, prepared, {}, carry)
        found = search(text, line_end)


def _scan(
    text: str,
    start: int,
    end: int,
    prepared: Prepared,
    depth: dict[str, int],
    carry: dict[str, int],
) -> list[int]:
    """Unmatched closing marks in ``text[start:end]`` (one line).

    ``depth`` ends holding the opening marks left open on the line;
    ``carry`` holds those left open by the line before, used up last.
    """
    closing = prepared.closing
    for mark in closing.values():
        depth.setdefault(mark, 0)
    strays = []
    for match in prepared.marks.finditer(text, start, end):
        offset, ch = match.start(), match.group()
        if ch in depth:
            depth[ch] += 1
            continue
        open_mark = closing[ch]
        if depth[open_mark] > 0:
            depth[open_mark] -= 1
        elif carry.get(open_mark, 0) > 0:
            carry[open_mark] -= 1
        else:
            strays.append(offset)
    return strays


KIND = KindSpec("paired-punctuation", PARAMS, check, prepare, __doc__ or "")
