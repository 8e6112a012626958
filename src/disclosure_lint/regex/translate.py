"""Translation of a pack pattern from Python's ``re`` syntax to RE2's.

Same meaning or ``Untranslatable``: anything RE2 cannot express with the
meaning ``re`` gives it (look-around, backreferences, ...) is refused.
"""

from __future__ import annotations

import importlib
import re
import sys
from array import array
from functools import cache
from typing import Any

_C: Any = importlib.import_module("re._constants")
_P: Any = importlib.import_module("re._parser")
#: RE2 refuses a repeat count above this.
MAX_REPEAT = 1_000
#: Longest RE2 text of one pattern (classes spelled out), in characters.
MAX_TRANSLATION = 1_000_000
_TOO_LARGE = "is too large for the linear-time engine; make it shorter or simpler"
_MAX_CODE = 0x10FFFF
_WORD_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)


class Untranslatable(ValueError):
    """A pattern RE2 cannot run with exactly ``re``'s meaning."""


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
