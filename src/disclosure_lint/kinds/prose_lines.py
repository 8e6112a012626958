"""The prose of a draft as the cross-check rules read it.

Lines are grouped in paragraphs (a sentence hard-wrapped over lines, as PDF
text is, is one paragraph), folded once per draft and shared by every
cross-check rule; the lines holding a rule's keywords are found, skipping
table rows, by one scan per draft for all the rules of a pack
(``KeywordIndex``), or by one scan per group of a rule's keywords
(``keyword_scans``; stale-year, and a rule the index does not hold).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence

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


class KeywordIndex:
    """The keywords of several rules, found in a text by one scan.

    NOTE: each set of keywords scanned for on its own costs a pass over the
    text per first character (``keyword_scans``): some twenty passes per
    draft for the cross-check rules of a pack. One regex of every word (a
    trie: ``re`` tries each position once) finds them all in one pass; a
    hit tells the word sets holding a word that occurs where it starts or
    inside it, and the few words that overlap its end are tested there, so
    every occurrence of every word is seen, as the separate scans see them.
    """

    __slots__ = ("_bits", "_inside", "_overlaps", "regex", "sets")

    def __init__(self, sets: Sequence[frozenset[str]]) -> None:
        """An index of ``sets`` of words (none holds a line break)."""
        self.sets = tuple(dict.fromkeys(sets))
        # The bit of each set.
        self._bits = {words: 1 << i for i, words in enumerate(self.sets)}
        owners: dict[str, int] = {}
        for words, bit in self._bits.items():
            for word in words:
                owners[word] = owners.get(word, 0) | bit
        # NOTE: sorted, so the pattern is the same in every process (its code
        # is saved in the pack cache).
        every = sorted(owners)
        self.regex = compile_regex(_trie(every))
        # By word: the bits of the sets holding a word found inside it; and,
        # for the few that have some, the words that may start inside it and
        # go on past its end, each with its offset and bits.
        self._inside: dict[str, int] = {}
        self._overlaps: dict[str, tuple[tuple[int, str, int], ...]] = {}
        # NOTE: by first character, so a pack with many keywords does not
        # compare every word with every other.
        starting: dict[str, list[str]] = {}
        for word in every:
            starting.setdefault(word[0], []).append(word)
        for word in every:
            inside = 0
            for other in (o for c in set(word) for o in starting.get(c, ())):
                if other in word:
                    inside |= owners[other]
            overlaps = [
                (offset, other, owners[other])
                for offset in range(1, len(word))
                for other in starting.get(word[offset], ())
                if len(other) > len(word) - offset and other.startswith(word[offset:])
            ]
            self._inside[word] = inside
            if overlaps:
                self._overlaps[word] = tuple(overlaps)

    def bit(self, words: frozenset[str]) -> int:
        """The bit of the set ``words`` (0 when it is not indexed)."""
        return self._bits.get(words, 0)

    def lines(self, text: str, starts: list[int]) -> dict[int, int]:
        """The 0-based lines where a word occurs: the bits of its sets.

        A word occurs in the line where it starts (as ``Prose._scan``).
        """
        found: dict[int, int] = {}
        inside, overlapping = self._inside, self._overlaps
        line, end, mask = -1, -1, 0
        for match in self.regex.finditer(text):
            start = match.start()
            if start >= end:
                if mask:
                    found[line] = mask
                line = bisect_right(starts, start) - 1
                end = starts[line + 1] if line + 1 < len(starts) else len(text) + 1
                mask = 0
            word = match[0]
            mask |= inside[word]
            if word in overlapping:
                for offset, other, bits in overlapping[word]:
                    # NOTE: a word starting inside this one and going on past
                    # it, which the scan, resuming at its end, skips.
                    if text.startswith(other, start + offset):
                        mask |= bits
        if mask:
            found[line] = mask
        return found


def _trie(words: list[str]) -> str:
    """A regex of ``words`` (sorted) as a trie: the longest word at a position."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    parts = []
    for first, rests in groups.items():
        longer = [rest for rest in rests if rest]
        if not longer:
            parts.append(re.escape(first))
            continue
        optional = "?" if len(longer) < len(rests) else ""
        parts.append(f"{re.escape(first)}(?:{_trie(longer)}){optional}")
    return "|".join(parts)


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
        "_indexed",
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
        # A keyword index and, by the bit of each of its sets, the prose
        # lines holding one of its words (in order).
        self._indexed: tuple[KeywordIndex, dict[int, list[int]]] | None = None

    def _is_prose(self, index: int) -> bool:
        """``is_prose`` of line ``index``, remembered."""
        found = self._prose.get(index)
        if found is None:
            found = self._prose[index] = is_prose(self.lines[index])
        return found

    def paragraphs(
        self,
        scans: tuple[re.Pattern[str], ...],
        index: KeywordIndex | None = None,
        words: frozenset[str] = frozenset(),
    ) -> tuple[tuple[int, str], ...]:
        """The paragraphs with a line where one of ``scans`` matches, folded.

        Each as (its first line, its folded text), in order, once; every
        prose paragraph when there are no scans. Worked out once per draft
        for each set of scans. ``index``: when it holds ``words`` (the words
        ``scans`` find), the lines are found through it.
        """
        found = self._paragraphs.get(scans)
        if found is None:
            lines: Iterable[int] | None = None
            if scans and index is not None and (bit := index.bit(words)):
                lines = self._indexed_lines(index).get(bit, [])
            found = self._paragraphs[scans] = tuple(self._pick(scans, lines))
        return found

    def _indexed_lines(self, index: KeywordIndex) -> dict[int, list[int]]:
        """The prose lines of each set of ``index``, by its bit; once a draft."""
        indexed = self._indexed
        if indexed is not None and indexed[0] is index:
            return indexed[1]
        found: dict[int, list[int]] = {}
        bits: dict[int, tuple[int, ...]] = {}
        for line, mask in index.lines(self.text, self.starts).items():
            if not self._is_prose(line):
                continue
            each = bits.get(mask)
            if each is None:
                each = bits[mask] = tuple(
                    1 << i for i in range(mask.bit_length()) if mask >> i & 1
                )
            for bit in each:
                found.setdefault(bit, []).append(line)
        self._indexed = (index, found)
        return found

    def _pick(
        self, scans: tuple[re.Pattern[str], ...], lines: Iterable[int] | None
    ) -> Iterator[tuple[int, str]]:
        done: set[int] = set()
        # NOTE: what ``paragraph`` and ``folded`` remember, looked up here
        # first: most lines were asked for by an earlier rule.
        firsts, folds = self._first, self._folded
        for index in candidate_lines(self, scans) if lines is None else lines:
            first = firsts.get(index)
            if first is None:
                first = self.paragraph(index)
            if first in done:
                continue  # NOTE: several lines of one wrapped paragraph.
            done.add(first)
            folded = folds[first] if first in folds else self.folded(first)
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
        lines = self.lines
        if (index == 0 or lines[index - 1].rstrip()[-1:] in _SENTENCE_END) and lines[
            index
        ].rstrip()[-1:] in _SENTENCE_END:
            # NOTE: the common case, a line between two ends of sentences:
            # neither ``_open``, as their first test says; nothing joined.
            self._first[index] = index
            self._last[index] = max(self._last.get(index, index), index)
            return index
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
