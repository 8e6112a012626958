r"""Pack regexes on RE2: matching in linear time, with ``re``'s results.

Python's ``re`` backtracks, so a hostile pattern can take hours on one short
line, bounded repeats included (``(a?){30}a{30}``, ``(.*a){20}x``). No static
check of a pattern's shape catches every such case, so the regexes of packs
other than the bundled ones run on RE2 (google-re2), whose time is linear in
the text whatever the pattern.

RE2 writes some things differently (``\d`` is ASCII there, ``\Z`` is ``\z``)
and cannot do others (look-around, back-references), so a pattern is not
handed to RE2 as written: ``translate`` rewrites Python's own parse of it
into RE2 syntax that matches exactly the same texts at the same places, with
the same groups, or refuses it with a reason. Character classes are spelled
out as the code-point ranges Python's ``re`` itself matches; what RE2
cannot mean exactly (look-around, back-references, atomic groups, case
folding, Unicode ``\b``, ``$`` without MULTILINE, a repeated part that can
match nothing) is refused.

``LinearPattern`` offers the part of ``re.Pattern`` the rule kinds use
(``search``, ``match``, ``finditer`` with ``pos`` and ``endpos``,
``groupindex``) with match objects like ``re.Match``; offsets are in
characters, as ``re`` gives them.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, Final, Protocol

from .translate import _P, _TOO_LARGE, Untranslatable, nullable, translate

#: Memory RE2 may use for one pattern (program and DFA cache): enough for
#: every bundled regex to run as a DFA (smaller budgets fall back to a
#: slower NFA); ``regex.guard`` bounds how many such patterns a run has.
MAX_MEMORY = 512 * 1024


class RegexMatch(Protocol):
    """What the rule kinds use of a match (``re.Match`` or ``LinearMatch``)."""

    def group(self, group: int | str, /) -> Any:
        """The text of ``group`` (None when it did not take part)."""

    def start(self, group: int | str = 0, /) -> int:
        """Where ``group`` starts (-1 when it did not take part)."""

    def end(self, group: int | str = 0, /) -> int:
        """Where ``group`` ends (-1 when it did not take part)."""

    def groupdict(self) -> dict[str, Any]:
        """Every named group's text (None when it did not take part)."""

    def expand(self, template: str) -> str:
        r"""``template`` with ``\g<name>`` and ``\1`` filled in."""


class Regex(Protocol):
    """What the rule kinds use of a pattern (``re.Pattern`` or ``LinearPattern``)."""

    @property
    def pattern(self) -> str:
        """The pattern as written."""

    @property
    def flags(self) -> int:
        """The ``re`` flags it was compiled with."""

    @property
    def groupindex(self) -> Mapping[str, int]:
        """Group numbers by name."""

    def search(self, string: str, pos: int = 0, endpos: int = ..., /) -> Any:
        """The first match at or after ``pos``, or None."""

    def match(self, string: str, pos: int = 0, endpos: int = ..., /) -> Any:
        """A match that starts at ``pos``, or None."""

    def finditer(self, string: str, pos: int = 0, endpos: int = ..., /) -> Any:
        """Every match, left to right."""


# --------------------------------------------------------------------------
# Translation


# --------------------------------------------------------------------------
# Matching


class LinearPattern:
    """A pack regex compiled for RE2, used like an ``re.Pattern``."""

    __slots__ = ("_nullable", "_program", "_python", "flags", "groupindex", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        """Translate and compile ``pattern``.

        Raises:
            Untranslatable: RE2 cannot run it exactly, or it is too large.
            re.error: the pattern is no valid Python regex.
        """
        self.pattern: Final = pattern
        self.flags: Final = flags
        # NOTE: compiling with re is safe (it never matches here); it checks
        # the syntax and gives the groups and the replacement templates.
        self._python: Final = re.compile(pattern, flags)
        self.groupindex: Final[Mapping[str, int]] = self._python.groupindex
        self._nullable: Final = nullable(pattern, flags)
        translated = translate(pattern, flags)
        options = importlib.import_module("re2").Options()
        options.log_errors = False
        options.max_mem = MAX_MEMORY
        program = _binding().RE2(translated.encode(), options)
        if not program.ok():
            reason = program.error()
            raise Untranslatable(f"{_TOO_LARGE} ({reason.decode()})")
        self._program: Final[Any] = program

    @property
    def nullable(self) -> bool:
        """Whether the pattern can match the empty text."""
        return self._nullable

    @property
    def groups(self) -> int:
        """The number of capturing groups."""
        return int(self._python.groups)

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        """The first match at or after ``pos``, or None."""
        return next(self._matches(string, pos, endpos, anchored=False), None)

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        """A match that starts at ``pos``, or None."""
        return next(self._matches(string, pos, endpos, anchored=True), None)

    def finditer(
        self, string: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[LinearMatch]:
        """Every match, left to right, as ``re.finditer`` finds them.

        NOTE: after an empty match ``re`` looks for a non-empty one at the
        same place, which RE2 cannot; patterns that can match nothing are
        refused where matches are iterated (``pack_regex(iterate=True)``).
        """
        if self._nullable:
            raise ValueError(f"finditer of '{self.pattern}', which can match nothing")
        return self._matches(string, pos, endpos, anchored=False)

    def _matches(
        self, string: str, pos: int, endpos: int | None, anchored: bool
    ) -> Iterator[LinearMatch]:
        size = len(string)
        end = size if endpos is None else max(0, min(endpos, size))
        pos = max(0, min(pos, size))
        if pos > end:
            return
        text = _Encoded.of(string)
        at = text.byte(pos)
        # NOTE: re treats the text as ending at endpos ($, \Z); RE2 does not.
        data = text.data if end == size else text.data[: text.byte(end)]
        text.rewind(pos, at)
        anchor = self._anchor(anchored)
        while True:
            spans = self._program.Match(anchor, data, at, len(data))
            if spans[0][0] < 0:
                return
            yield LinearMatch(self, string, pos, end, text.char_spans(spans))
            if anchored or spans[0][1] == len(data):
                return
            at = spans[0][1]

    @staticmethod
    def _anchor(anchored: bool) -> Any:
        anchors = _binding().RE2.Anchor
        return anchors.ANCHOR_START if anchored else anchors.UNANCHORED


@cache
def _binding() -> Any:
    """google-re2's C++ binding (imported on first use: ~3 ms)."""
    return importlib.import_module("re2")._re2


class _Encoded:
    """A text as UTF-8, and a cursor mapping character and byte offsets.

    NOTE: the last text is kept: the rules match many patterns against one
    draft. Offsets are mapped from the last one mapped (forward, else from
    the start), so one pass of matches over the text costs one pass.
    """

    _last: _Encoded | None = None

    def __init__(self, text: str) -> None:
        """Encode ``text``."""
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        self.ascii = len(self.data) == len(text)
        self._mark = (0, 0)  # (char, byte) of the offset last mapped

    @classmethod
    def of(cls, text: str) -> _Encoded:
        """A cursor on ``text`` (encoded once for the same text object)."""
        last = cls._last
        if last is None or last.text is not text:
            last = cls._last = cls(text)
        cursor = object.__new__(cls)
        cursor.text, cursor.data, cursor.ascii = text, last.data, last.ascii
        cursor._mark = (0, 0)
        return cursor

    def rewind(self, char: int, byte: int) -> None:
        """Map offsets from here on: character ``char`` is at byte ``byte``."""
        self._mark = (char, byte)

    def byte(self, char: int) -> int:
        """The byte offset of character offset ``char``."""
        if self.ascii:
            return char
        mark_char, mark_byte = self._mark
        if char < mark_char:
            mark_char, mark_byte = 0, 0
        offset = mark_byte + _binding().CharLenToBytes(
            self.data, mark_byte, char - mark_char
        )
        self._mark = (char, offset)
        return int(offset)

    def char_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Character offsets of byte spans (``(-1, -1)``, a group left out, stays).

        NOTE: mapped in increasing order, so from one offset to the next.
        """
        if self.ascii:
            return spans
        count = _binding().BytesToCharLen
        data = self.data
        mark_char, mark_byte = self._mark
        chars: dict[int, int] = {}
        for offset in sorted({o for span in spans for o in span if o >= 0}):
            if offset < mark_byte:
                mark_char, mark_byte = 0, 0
            mark_char += count(data, mark_byte, offset)
            mark_byte = offset
            chars[offset] = mark_char
        self._mark = (mark_char, mark_byte)
        return [(-1, -1) if s < 0 else (chars[s], chars[e]) for s, e in spans]


class LinearMatch:
    """One match of a ``LinearPattern``, used like an ``re.Match``."""

    __slots__ = ("_spans", "endpos", "pos", "re", "string")

    def __init__(
        self,
        regex: LinearPattern,
        string: str,
        pos: int,
        endpos: int,
        spans: list[tuple[int, int]],
    ) -> None:
        """The match of ``regex`` in ``string``; ``spans`` by group number."""
        self.re: Final = regex
        self.string: Final = string
        self.pos: Final = pos
        self.endpos: Final = endpos
        self._spans: Final = spans

    def _number(self, group: int | str) -> int:
        if isinstance(group, str):
            try:
                return self.re.groupindex[group]
            except KeyError:
                raise IndexError("no such group") from None
        if not 0 <= group < len(self._spans):
            raise IndexError("no such group")
        return group

    def span(self, group: int | str = 0) -> tuple[int, int]:
        """Start and end of ``group``."""
        return self._spans[self._number(group)]

    def start(self, group: int | str = 0) -> int:
        """Where ``group`` starts (-1 when it did not take part)."""
        return self.span(group)[0]

    def end(self, group: int | str = 0) -> int:
        """Where ``group`` ends (-1 when it did not take part)."""
        return self.span(group)[1]

    def __getitem__(self, group: int | str) -> str | None:
        """The text of ``group``."""
        start, end = self.span(group)
        return None if start < 0 else self.string[start:end]

    def group(self, *groups: int | str) -> Any:
        """Like ``re.Match.group``."""
        if not groups:
            return self[0]
        if len(groups) == 1:
            return self[groups[0]]
        return tuple(self[g] for g in groups)

    def groups(self, default: Any = None) -> tuple[Any, ...]:
        """Every group's text from 1 on."""
        found = (self[g] for g in range(1, len(self._spans)))
        return tuple(default if text is None else text for text in found)

    def groupdict(self, default: Any = None) -> dict[str, Any]:
        """Every named group's text."""
        found = {name: self[number] for name, number in self.re.groupindex.items()}
        return {k: default if v is None else v for k, v in found.items()}

    def expand(self, template: str) -> str:
        r"""``template`` with ``\g<name>``, ``\1`` and escapes, as ``re`` does."""
        parsed = _P.parse_template(template, self.re._python)
        if isinstance(parsed, tuple):  # NOTE: Python 3.11: (groups, literals)
            groups, literals = parsed
            pieces = list(literals)
            for index, group in groups:
                pieces[index] = self[group] or ""
            return "".join(pieces)
        # NOTE: Python 3.12 and later: literals and group numbers alternate
        return "".join(  # pragma: no cover - not the Python the suite runs on
            p if isinstance(p, str) else (self[p] or "") for p in parsed if p
        )
