"""The prose of a draft as the cross-check rules read it.

Lines are grouped in paragraphs (a sentence hard-wrapped over lines, as PDF
text is, is one paragraph), folded once per draft and shared by every
cross-check rule; the lines holding a rule's keywords are found by one scan
per group of its keywords (see ``keyword_scans``), skipping table rows.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from ..document.fold import fold_text
from ..document.text import Document, Span
from ..regex.cached import compile_regex
from .report import Report

_SENTENCE_END = "。；;！？!?"
_SENTENCE_MAX = 400
_MAX_SCANS = 8  # keyword scans at most (see keyword_scans)
_JOIN_LINES = 8  # lines of a hard-wrapped paragraph matched as one


def keyword_scans(words: set[str]) -> tuple[re.Pattern[str], ...]:
    """Regexes that together find every occurrence of one of ``words``.

    NOTE: ``re`` skips fast to a literal first character but tries every
    position of the text for an alternation of words that start
    differently (~5x slower per character). So the words are scanned for
    in groups that share their first character, one scan per group; for
    more than ``_MAX_SCANS`` groups one scan of them all costs less.
    """
    # NOTE: longest first, then in text order: the same regexes in every
    # process (a set's order varies), so their code is found in the cache.
    ordered = sorted(words, key=lambda word: (-len(word), word))
    groups: dict[str, list[str]] = {}
    for word in ordered:
        groups.setdefault(word[0], []).append(word)
    if len(groups) > _MAX_SCANS:
        groups = {"": ordered}
    return tuple(
        compile_regex("|".join(re.escape(w) for w in group))
        for group in groups.values()
    )


class Prose:
    """The draft's lines and, once asked for, each prose paragraph folded.

    A paragraph is a run of prose lines hard-wrapped mid-sentence, as text
    from PDFs is (at most ``_JOIN_LINES``); most are one line.

    NOTE: one per draft, shared by every cross-check rule: their keywords
    often pick the same sentences, and folding costs more than matching.
    """

    __slots__ = (
        "_first",
        "_folded",
        "_last",
        "_paragraphs",
        "_prose",
        "_with",
        "lines",
        "starts",
        "text",
    )

    def __init__(self, document: Document) -> None:
        """The lines of ``document``; nothing folded yet."""
        self.text = document.text
        self.lines, self.starts = document.split_lines()
        self._folded: dict[int, str | None] = {}
        # The paragraph of a line: its first line; and the first's last.
        self._first: dict[int, int] = {}
        self._last: dict[int, int] = {}
        # The prose lines each keyword scan finds (rules may share scans).
        self._with: dict[re.Pattern[str], set[int]] = {}
        # The prose paragraphs each set of scans picks (rules may share them).
        self._paragraphs: dict[
            tuple[re.Pattern[str], ...], tuple[tuple[int, str], ...]
        ] = {}
        # Whether a line is prose (``is_prose``), once asked: the scans, the
        # paragraphs and the folding ask for the same lines.
        self._prose: dict[int, bool] = {}

    def _is_prose(self, index: int) -> bool:
        """``is_prose`` of line ``index``, remembered."""
        found = self._prose.get(index)
        if found is None:
            found = self._prose[index] = is_prose(self.lines[index])
        return found

    def paragraphs(
        self, scans: tuple[re.Pattern[str], ...]
    ) -> tuple[tuple[int, str], ...]:
        """The paragraphs with a line where one of ``scans`` matches, folded.

        Each as (its first line, its folded text), in order, once; every
        prose paragraph when there are no scans. Worked out once per draft
        for each set of scans.
        """
        found = self._paragraphs.get(scans)
        if found is None:
            found = self._paragraphs[scans] = tuple(self._pick(scans))
        return found

    def _pick(self, scans: tuple[re.Pattern[str], ...]) -> Iterator[tuple[int, str]]:
        done: set[int] = set()
        for index in candidate_lines(self, scans):
            first = self.paragraph(index)
            if first in done:
                continue  # NOTE: several lines of one wrapped paragraph.
            done.add(first)
            folded = self.folded(first)
            if folded is not None:
                yield first, folded

    def lines_with(self, scans: tuple[re.Pattern[str], ...]) -> set[int]:
        """0-based numbers of the prose lines where one of ``scans`` matches."""
        found: set[int] = set()
        for regex in scans:
            lines = self._with.get(regex)
            if lines is None:
                lines = self._with[regex] = self._scan(regex)
            found |= lines
        return found

    def _scan(self, regex: re.Pattern[str]) -> set[int]:
        """The prose lines where ``regex`` matches (table rows left out)."""
        text, starts, prose = self.text, self.starts, self._is_prose
        found: set[int] = set()
        pos = 0
        while (match := regex.search(text, pos)) is not None:
            index = bisect_right(starts, match.start()) - 1
            if prose(index):
                found.add(index)
            if index + 1 >= len(starts):
                break
            pos = starts[index + 1]  # NOTE: the next line: one hit is enough.
        return found

    def _open(self, index: int) -> bool:
        """Line ``index`` is prose whose sentence goes on in the next line."""
        line = self.lines[index]
        return (
            line.rstrip()[-1:] not in _SENTENCE_END
            and index + 1 < len(self.lines)
            and self._is_prose(index)
            and self._is_prose(index + 1)
        )

    def paragraph(self, index: int) -> int:
        """The first line of the paragraph line ``index`` belongs to."""
        first = self._first.get(index)
        if first is not None:
            return first
        first = index
        while first > 0 and index - first < _JOIN_LINES - 1 and self._open(first - 1):
            first -= 1
        last = first
        while last - first < _JOIN_LINES - 1 and self._open(last):
            last += 1
        last = max(last, index)
        for line in range(first, last + 1):
            self._first.setdefault(line, first)
        self._last[first] = max(self._last.get(first, first), last)
        return first

    def folded(self, first: int) -> str | None:
        """Paragraph ``first`` folded; None for a table row."""
        if first in self._folded:
            return self._folded[first]
        found = self._folded[first] = (
            fold_text(self.at(first)[0]) if self._is_prose(first) else None
        )
        return found

    def at(self, first: int) -> tuple[str, int]:
        """Paragraph ``first`` and its offset, as ``fold`` takes them."""
        last = self._last.get(first, first)
        start = self.starts[first]
        end = self.starts[last] + len(self.lines[last])
        return self.text[start:end], start


def is_prose(line: str) -> bool:
    """``line`` is a non-blank line of prose, not a table row."""
    return (
        "\t" not in line
        and not line.isspace()
        and bool(line)
        and not line.lstrip().startswith("|")
    )


def prose_of(report: Report) -> Prose:
    """The report's ``Prose``, built on first use."""
    prose = report.shared.get(Prose)
    if prose is None:
        prose = report.shared[Prose] = Prose(report.document)
    return prose


def candidate_lines(prose: Prose, scans: tuple[re.Pattern[str], ...]) -> Iterable[int]:
    """0-based numbers, in order, of the prose lines that contain a keyword.

    Every line when there are no keywords.
    """
    if not scans:
        return range(len(prose.lines))
    return sorted(prose.lines_with(scans))


def unwrap(text: str) -> str:
    """``text`` without line breaks (and the blanks around them)."""
    if "\n" not in text:
        return text
    return "".join(part.strip() for part in text.split("\n"))


def sentence_at(text: str, start: int, end: int, lower: int, length: int) -> Span:
    """The sentence around ``[start, end)`` within ``text[lower:lower+length]``.

    Without blanks around it.
    """
    # NOTE: bounded, so a huge line with many matches stays linear.
    line_start = max(lower, start - _SENTENCE_MAX)
    line_end = min(lower + length, end + _SENTENCE_MAX)
    begin = max(text.rfind(mark, line_start, start) for mark in _SENTENCE_END) + 1
    begin = max(begin, line_start)
    ends = [text.find(mark, end, line_end) for mark in _SENTENCE_END]
    finish = min([e for e in ends if e != -1] or [line_end])
    while begin < finish and text[begin].isspace():
        begin += 1
    return Span(begin, finish)
