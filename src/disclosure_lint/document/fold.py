r"""Folding for matching: width, punctuation and whitespace, with offsets back.

Labels in drafts arrive as ``（一）予以公开``, ``(一) 予以公开``, ``总 计`` or
``尚未审\\n结``. Rules compare folded text; ``Folded.offsets`` maps every folded
character back to its offset in the original text so findings stay exact.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import compress
from operator import not_
from typing import Final

from .text import Record

# Characters that vanish when folding: ASCII and Unicode spaces, tabs, line
# breaks, NBSP (common in Word and web exports), ideographic space, zero-width
# characters and a stray BOM.
_DROP = " \t\n\r\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
_DROP += "\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f"
_DROP += "\u3000\ufeff"

_TABLE: dict[int, int | None] = {ord(c): None for c in _DROP}
# Full-width ASCII (！ to ～) to half-width: digits, Latin letters, （）：，．／
for _code in range(0xFF01, 0xFF5F):
    _TABLE[_code] = _code - 0xFEE0
# Every quotation mark variant folds to one character.
for _quote in '“”„‟＂「」『』"':
    _TABLE[ord(_quote)] = ord('"')
for _dash in "‐‑‒–—―－":
    _TABLE[ord(_dash)] = ord("-")
_TABLE[ord("〔")] = ord("[")
_TABLE[ord("〕")] = ord("]")
_TABLE[ord("﹒")] = ord(".")

DROPPED = frozenset(_DROP)
_LIST_TABLE: list[int | None] = []
# Characters translated with the dict table so far (see ``translate``).
_translated = 0
_LIST_AFTER = 200_000


def fold_list_table() -> list[int | None]:
    """The translation table as a list indexed by code point (built once).

    NOTE: ``str.translate`` looks every character up in its table, and a
    dict lookup that misses (nearly every Chinese character) raises and
    catches a ``KeyError`` inside CPython. A list gives the character's own
    code point instead, and an index past its end leaves the character
    unchanged, as a miss does: the same result in half the time.
    """
    if not _LIST_TABLE:
        table: list[int | None] = list(range(max(_TABLE) + 1))
        for code, target in _TABLE.items():
            table[code] = target
        _LIST_TABLE[:] = table
    return _LIST_TABLE


def translate(text: str) -> str:
    """``text`` folded, without the memo of ``fold_text``.

    NOTE: the list table (``fold_list_table``) takes ~2 ms to build, more
    than folding one draft with the dict costs in all; so the dict folds
    until ``_LIST_AFTER`` characters have been folded (a batch, not a
    single draft), and the list from then on. Both give the same result.
    """
    if _LIST_TABLE:
        return text.translate(_LIST_TABLE)
    global _translated
    _translated += len(text)
    if _translated > _LIST_AFTER:
        return text.translate(fold_list_table())
    return text.translate(_TABLE)


class Folded(Record):
    """Folded text and, per folded character, its offset in the original.

    NOTE: ``offsets`` is a ``range`` when nothing was dropped (most lines)
    and a compact ``array`` otherwise: a list of ints would take ~36 bytes
    a character, 120 MB for a 10 MB draft on one line.
    """

    __match_args__ = ("text", "offsets", "end")
    __slots__ = __match_args__

    def __init__(self, text: str, offsets: Sequence[int], end: int) -> None:
        """Folded ``text``, the original offset of each character, the end."""
        self.text: Final = text
        self.offsets: Final = offsets
        self.end: Final = end

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map folded ``[start, end)`` back to an original ``(start, end)``."""
        if start >= len(self.offsets):
            return self.end, self.end
        begin = self.offsets[start]
        finish = self.offsets[end - 1] + 1 if end > start else begin
        return begin, finish


def fold_char_table() -> dict[int, int | None]:
    """The translation table (exposed for tests and for pack-time folding)."""
    return dict(_TABLE)


# NOTE: ``str.translate`` costs ~40 ns a character on Chinese text (a
# lookup per character); hashing a line and finding it costs a few. The
# lines folded (headings, official phrases, period and date sentences)
# repeat from draft to draft of one format, so short texts are remembered:
# bounded in count and length, cleared when full; correct for any input.
_MEMO: dict[str, str] = {}
_MEMO_TEXT = 400
_MEMO_SIZE = 4096


def fold_text(text: str) -> str:
    """Fold ``text`` without offsets (for pack labels and comparisons)."""
    folded = _MEMO.get(text)
    if folded is None:
        folded = translate(text)
        if len(text) <= _MEMO_TEXT:
            if len(_MEMO) >= _MEMO_SIZE:
                _MEMO.clear()
            _MEMO[text] = folded
    return folded


def fold(text: str, base: int = 0) -> Folded:
    """Fold ``text`` (which starts at offset ``base`` of the document)."""
    folded = fold_text(text)
    end = base + len(text)
    if len(folded) == len(text):
        return Folded(folded, range(base, end), end)
    kept = map(not_, map(DROPPED.__contains__, text))
    return Folded(folded, array("q", compress(range(base, end), kept)), end)


def fold_parts(parts: list[tuple[str, int]]) -> Folded:
    """Fold several pieces of text (each with its base offset) as one string.

    Used for labels and titles that wrap over lines: the line break between
    the pieces disappears, and every folded character still maps back.
    """
    texts: list[str] = []
    offsets: list[int] = []
    end = 0
    for text, base in parts:
        piece = fold(text, base)
        texts.append(piece.text)
        offsets.extend(piece.offsets)
        end = piece.end
    return Folded("".join(texts), offsets, end)
