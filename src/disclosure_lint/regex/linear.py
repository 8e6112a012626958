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
import sys
from array import array
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, Final, Protocol

_C: Any = importlib.import_module("re._constants")
_P: Any = importlib.import_module("re._parser")

#: RE2 refuses a repeat count above this.
MAX_REPEAT = 1_000
#: Longest RE2 text of one pattern (classes spelled out), in characters.
MAX_TRANSLATION = 1_000_000
#: Memory RE2 may use for one pattern (program and DFA cache): enough for
#: every bundled regex to run as a DFA (smaller budgets fall back to a
#: slower NFA); ``regex_guard`` bounds how many such patterns a run has.
MAX_MEMORY = 512 * 1024
_TOO_LARGE = "is too large for the linear-time engine; make it shorter or simpler"
_MAX_CODE = 0x10FFFF
_WORD_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)


class Untranslatable(ValueError):
    """A pattern RE2 cannot run with exactly ``re``'s meaning."""


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


def translate(pattern: str, flags: int = 0) -> str:
    """RE2 syntax for ``pattern`` (with ``re`` ``flags``), meaning the same.

    Raises:
        Untranslatable: with a one-line reason and what to write instead.
        re.error: the pattern is no valid Python regex.
    """
    known = _TRANSLATED.get((pattern, flags))
    if known is not None:
        return known
    parsed = _P.parse(pattern, flags)
    names = {number: name for name, number in parsed.state.groupdict.items()}
    text = _Translator(names).sequence(list(parsed), parsed.state.flags)
    if len(_TRANSLATED) < _MAX_TRANSLATED:
        _TRANSLATED[pattern, flags] = text
    return text


# NOTE: translations made in this process or read back from the pack cache
# (which only this tool writes): spelling out \d, \s or \w the first time
# costs ~0.1 s, and every run prepares its rules anew.
_TRANSLATED: dict[tuple[str, int], str] = {}
_MAX_TRANSLATED = 10_000


def translations() -> list[list[Any]]:
    """``[pattern, flags, translation]`` of every pattern translated so far."""
    return [[p, f, t] for (p, f), t in sorted(_TRANSLATED.items())]


def remember(items: list[list[Any]]) -> None:
    """Take translations made by an earlier run (from the pack cache)."""
    for pattern, flags, text in items:
        if len(_TRANSLATED) < _MAX_TRANSLATED:
            _TRANSLATED[str(pattern), int(flags)] = str(text)


def nullable(pattern: str, flags: int = 0) -> bool:
    """Whether ``pattern`` can match the empty text."""
    return _all_nullable(list(_P.parse(pattern, flags)))


class _Translator:
    """Python's parse of a pattern, written out in RE2 syntax."""

    def __init__(self, names: dict[int, str]) -> None:
        """``names``: group names by number."""
        self.names = names
        self.size = 0  # characters written so far

    def sequence(self, items: list[Any], flags: int) -> str:
        """The RE2 text of a sequence of parsed items."""
        parts = []
        for op, arg in items:
            part = self.item(op, arg, flags)
            self.size += len(part)
            if self.size > MAX_TRANSLATION:
                # NOTE: e.g. many \w (11,000 characters each spelled out)
                raise Untranslatable(_TOO_LARGE)
            parts.append(part)
        return "".join(parts)

    def item(self, op: Any, arg: Any, flags: int) -> str:
        """The RE2 text of one parsed item."""
        if flags & re.IGNORECASE:
            raise Untranslatable(
                "ignores case ((?i)), which cannot be matched exactly as Python "
                "does; write the cases out (e.g. [Aa])"
            )
        if op is _C.LITERAL:
            return _char(arg)
        if op is _C.NOT_LITERAL:
            return "[^" + _char(arg) + "]"
        if op is _C.ANY:
            return "(?s:.)" if flags & re.DOTALL else "."
        if op is _C.IN:
            return _char_class(arg, flags)
        if op is _C.BRANCH:
            return "(?:" + "|".join(self.sequence(list(b), flags) for b in arg[1]) + ")"
        if op is _C.SUBPATTERN:
            return self._group(arg, flags)
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            return self._repeat(op, arg, flags)
        if op is _C.AT:
            return _anchor(arg, flags)
        raise Untranslatable(_UNSUPPORTED.get(op, f"uses {op}, which packs may not"))

    def _group(self, arg: Any, flags: int) -> str:
        number, add, remove, items = arg
        inner = self.sequence(list(items), (flags | add) & ~remove)
        if number is None:
            return "(?:" + inner + ")"
        name = self.names.get(number)
        if name is None:
            return "(" + inner + ")"
        if not (name.isascii() and name.replace("_", "a").isalnum()):
            raise Untranslatable(
                f"names a group '{name}'; use ASCII letters, digits and _"
            )
        return f"(?P<{name}>{inner})"

    def _repeat(self, op: Any, arg: Any, flags: int) -> str:
        low, high, items = arg
        items = list(items)
        if _all_nullable(items):
            raise Untranslatable(
                "repeats something that can match nothing (like '(a?)*'); "
                "make the repeated part match at least one character"
            )
        if low > MAX_REPEAT or (high != _C.MAXREPEAT and high > MAX_REPEAT):
            raise Untranslatable(
                f"repeats more than {MAX_REPEAT:,} times; use a smaller bound"
            )
        body = "(?:" + self.sequence(items, flags) + ")"
        if high == _C.MAXREPEAT:
            count = "*" if low == 0 else "+" if low == 1 else f"{{{low},}}"
        else:
            count = f"{{{low}}}" if low == high else f"{{{low},{high}}}"
        return body + count + ("?" if op is _C.MIN_REPEAT else "")


_UNSUPPORTED = {
    _C.ASSERT: "uses a look-ahead or look-behind ((?=...), (?<=...)), which the "
    "linear-time engine cannot run; match the context instead",
    _C.ASSERT_NOT: "uses a negative look-ahead or look-behind ((?!...), "
    "(?<!...)), which the linear-time engine cannot run; use a class like "
    "[^...] instead",
    _C.GROUPREF: "uses a back-reference (\\1), which the linear-time engine cannot run",
    _C.GROUPREF_EXISTS: "uses a conditional group ((?(1)...)), which the "
    "linear-time engine cannot run",
    _C.ATOMIC_GROUP: "uses an atomic group ((?>...)); write a plain group",
    _C.POSSESSIVE_REPEAT: "uses a possessive repeat (*+, ++); write a plain one",
}


def _anchor(code: Any, flags: int) -> str:
    if code is _C.AT_BEGINNING:
        return "(?m:^)" if flags & re.MULTILINE else r"\A"
    if code is _C.AT_BEGINNING_STRING:
        return r"\A"
    if code is _C.AT_END_STRING:
        return r"\z"
    if code is _C.AT_END and flags & re.MULTILINE:
        return "(?m:$)"
    if code is _C.AT_END:
        raise Untranslatable(
            "uses '$', which here also matches before a final newline; write "
            "'\\Z' for the end of the text"
        )
    if code in (_C.AT_BOUNDARY, _C.AT_NON_BOUNDARY) and flags & re.ASCII:
        return r"\b" if code is _C.AT_BOUNDARY else r"\B"
    raise Untranslatable(
        "uses \\b or \\B, whose Unicode meaning the linear-time engine cannot "
        "match; add (?a) for ASCII word boundaries, or match the context"
    )


def _char(code: int) -> str:
    ch = chr(code)
    return ch if ch in _WORD_CHARS else f"\\x{{{code:x}}}"


def _char_class(items: list[Any], flags: int) -> str:
    """A class of exactly the code points ``re`` matches for ``[...]``."""
    ranges: list[tuple[int, int]] = []
    negate = False
    for op, arg in items:
        if op is _C.NEGATE:
            negate = True
        elif op is _C.LITERAL:
            ranges.append((arg, arg))
        elif op is _C.RANGE:
            ranges.append(arg)
        elif op is _C.CATEGORY and arg in _CATEGORY_BASE:
            ranges.extend(_category(arg, bool(flags & re.ASCII)))
        else:  # pragma: no cover - only with IGNORECASE, refused above
            raise Untranslatable(f"uses {op} in a class, which packs may not")
    merged = _merge(ranges)
    if negate:
        merged = _complement(merged)
    if not merged:
        return r"[^\x{0}-\x{10ffff}]"  # NOTE: matches nothing, as [^\s\S]
    parts = [_char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}" for lo, hi in merged]
    return "[" + "".join(parts) + "]"


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    start = 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= _MAX_CODE:
        out.append((start, _MAX_CODE))
    return out


def _category(code: Any, ascii_only: bool) -> tuple[tuple[int, int], ...]:
    r"""The code points Python's ``re`` matches for one class escape (``\d``...).

    What ``re`` itself matches, in this Python's Unicode version (not RE2's).
    """
    positive, negate = _CATEGORY_BASE[code]
    found = _ascii_classes()[positive] if ascii_only else _unicode_classes()[positive]
    return tuple(_complement(list(found))) if negate else found


# Each class escape: the positive one it is or negates.
_CATEGORY_BASE = {
    _C.CATEGORY_DIGIT: (r"\d", False),
    _C.CATEGORY_NOT_DIGIT: (r"\d", True),
    _C.CATEGORY_SPACE: (r"\s", False),
    _C.CATEGORY_NOT_SPACE: (r"\s", True),
    _C.CATEGORY_WORD: (r"\w", False),
    _C.CATEGORY_NOT_WORD: (r"\w", True),
}


@cache
def _unicode_classes() -> dict[str, tuple[tuple[int, int], ...]]:
    r"""``\d``, ``\s``, ``\w`` as ranges, found by running ``re`` over every code point.

    NOTE: ~0.1 s, once per process, and only when a pack regex that is not
    cached yet uses them (translations are kept in the pack cache).
    """
    codec = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
    every = array("I", range(_MAX_CODE + 1)).tobytes()
    text = every.decode(codec, "surrogatepass")
    return {escape: _runs(escape, text, 0) for escape in (r"\d", r"\s", r"\w")}


@cache
def _ascii_classes() -> dict[str, tuple[tuple[int, int], ...]]:
    text = "".join(map(chr, range(128)))
    return {escape: _runs(escape, text, re.ASCII) for escape in (r"\d", r"\s", r"\w")}


def _runs(escape: str, text: str, flags: int) -> tuple[tuple[int, int], ...]:
    regex = re.compile(escape + "+", flags)
    return tuple((m.start(), m.end() - 1) for m in regex.finditer(text))


def _all_nullable(items: list[Any]) -> bool:
    return all(_nullable(op, arg) for op, arg in items)


def _nullable(op: Any, arg: Any) -> bool:
    """Whether one parsed item can match the empty text."""
    if op in (_C.LITERAL, _C.NOT_LITERAL, _C.ANY, _C.IN):
        return False
    if op is _C.SUBPATTERN:
        return _all_nullable(list(arg[-1]))
    if op is _C.BRANCH:
        return any(_all_nullable(list(b)) for b in arg[1])
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
        return bool(arg[0] == 0 or _all_nullable(list(arg[2])))
    if op is _C.ATOMIC_GROUP:
        return _all_nullable(list(arg))
    return True  # anchors, look-around, back-references (may be empty)


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
