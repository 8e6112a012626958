r"""Compile pack regexes: the bundled packs' on ``re``, all others on RE2.

Packs may come from untrusted hands. Python's ``re`` has no time limit, so a
pattern such as ``(a+)+$`` or ``(a?){30}a{30}`` can hang the linter on one
line, and no check of a pattern's shape catches every such case. So
``pack_regex`` compiles the regexes of packs other than the bundled ones for
RE2 (linear time; see ``linear_regex``), refusing what RE2 cannot run with
``re``'s meaning. The bundled packs' regexes (some use look-around) run on
``re``; at pack load we refuse, with a one-line reason, the shapes whose
cost grows faster than the line they scan:

* an unbounded repeat inside another (``(a+)+``, ``(\s*\w+)*``):
  exponential;
* alternatives that can start with the same character inside an unbounded
  repeat (``(a|a)*``, ``(\d|\d\d)*``, ``(x|\w)+``): exponential, because
  every iteration can be matched more than one way;
* two unbounded repeats in a row that can match the same character, with
  only optional items between (``\w*\w*``, ``\d+\s*\d+``): polynomial;
* a pattern that starts with an unbounded repeat followed by more pattern
  and is not anchored with ``^`` or ``\A`` (``.*项``, ``\S+年``,
  ``\d+件``, ``\s*截止``): quadratic, since the search restarts at every
  character of a run the repeat matches and rescans the rest of it, and a
  hostile draft can be one 5 MB line of such a run. Bound the repeat
  (``\d{1,12}件``) or start with a literal (``截止\s*``).

"Unbounded" is ``*``, ``+``, ``{n,}`` or a bound above 100. Whether two
parts can match the same character is decided on a sample alphabet (ASCII,
common Chinese characters and punctuation, plus every character the pattern
names), which is exact for literals and ranges and close for classes.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .linear_regex import Regex

# NOTE: the regex parser is private API; it has been stable since 3.11 (the
# oldest Python we support) and is the only way to inspect a pattern's shape.
_sre_constants: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")

MAX_PATTERN_LENGTH = 4_000
MAX_BOUND = 100
_C = _sre_constants
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT}
_UNBOUNDED = _C.MAXREPEAT
# NOTE: string.printable, spelled out: importing ``string`` costs ~1 ms.
_PRINTABLE = (
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    + "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    + " \t\n\r\x0b\x0c"
)
_BASE_SAMPLE = (
    _PRINTABLE
    + "\u00a0\u3000\u4e00\u653f\u5e9c\u4fe1\u606f\u516c\u5f00\u5e74\u62a5\u544a"
    + "，。、；：？！“”‘’《》（）【】〔〕—…０１２３ＡＢａｂ"
)
_CATEGORIES = {
    _C.CATEGORY_DIGIT: re.compile(r"\d"),
    _C.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    _C.CATEGORY_SPACE: re.compile(r"\s"),
    _C.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    _C.CATEGORY_WORD: re.compile(r"\w"),
    _C.CATEGORY_NOT_WORD: re.compile(r"\W"),
    _C.CATEGORY_LINEBREAK: re.compile(r"\n"),
    _C.CATEGORY_NOT_LINEBREAK: re.compile(r"[^\n]"),
}
_ANCHORS = (_C.AT_BEGINNING, _C.AT_BEGINNING_STRING)


class RegexRejected(ValueError):
    """A pattern that is invalid or may backtrack catastrophically."""

    def __init__(self, message: str, pattern: str | None = None) -> None:
        """``message`` about ``pattern`` (when known, to locate it in a pack)."""
        super().__init__(message)
        self.pattern = pattern


# NOTE: the patterns of the bundled packs, which run on ``re`` (they may use
# look-around); every other pack regex runs on RE2 (see linear_regex). A
# pattern is trusted while a bundled pack is compiled (``trusting``) and
# afterwards by its text, as listed with the packs (``Pack.trusted_regexes``).
_TRUSTED: set[str] = set()
_TRUSTING: list[list[str]] = []


@contextmanager
def trusting() -> Iterator[list[str]]:
    """Trust every pattern compiled meanwhile; yield the list of them."""
    found: list[str] = []
    _TRUSTING.append(found)
    try:
        yield found
    finally:
        _TRUSTING.pop()


def trusting_now() -> bool:
    """Whether a bundled pack is being compiled."""
    return bool(_TRUSTING)


def trust(patterns: Iterable[str]) -> None:
    """Trust these patterns (of a bundled pack) from now on."""
    _TRUSTED.update(patterns)


def _trusted(pattern: str) -> bool:
    if _TRUSTING:
        _TRUSTING[-1].append(pattern)
        _TRUSTED.add(pattern)
        return True
    return pattern in _TRUSTED


def pack_regex(
    pattern: str, flags: int = 0, *, iterate: bool = False, origin: str | None = None
) -> Regex:
    """Compile a pack's regex: on ``re`` if trusted, else on RE2.

    ``iterate``: ``finditer`` will be used (a pattern that can match nothing
    is then refused off ``re``). ``origin``: the pack's own text when
    ``pattern`` wraps it (trust is decided on it).

    Raises:
        RegexRejected: with a one-line reason.
    """
    if _trusted(pattern if origin is None else origin):
        return check_regex(pattern, flags)
    try:
        return _linear(pattern, flags, iterate)
    except RegexRejected as exc:
        exc.pattern = pattern if origin is None else origin
        raise


# NOTE: every pattern compiled for RE2 in this process, kept (RE2 may use up
# to linear_regex.MAX_MEMORY for each): at most MAX_LINEAR of them.
_LINEAR: dict[tuple[str, int], Any] = {}
MAX_LINEAR = 1_000


def _linear(pattern: str, flags: int, iterate: bool) -> Regex:
    from .linear_regex import LinearPattern, Untranslatable

    compiled = _LINEAR.get((pattern, flags))
    if compiled is None:
        if len(pattern) > MAX_PATTERN_LENGTH:
            raise RegexRejected(
                f"regex longer than {MAX_PATTERN_LENGTH} characters", pattern
            )
        if len(_LINEAR) >= MAX_LINEAR:
            raise RegexRejected(
                f"more than {MAX_LINEAR:,} different regexes in packs other than "
                "the bundled ones",
                pattern,
            )
        try:
            compiled = LinearPattern(pattern, flags)
        except (re.error, RecursionError, OverflowError) as exc:
            raise RegexRejected(f"invalid regex: {exc}", pattern) from None
        except Untranslatable as exc:
            raise RegexRejected(f"regex '{pattern}' {exc}", pattern) from None
        _LINEAR[pattern, flags] = compiled
    if iterate and compiled.nullable:
        raise RegexRejected(
            f"regex '{pattern}' can match an empty text; make it match at "
            "least one character",
            pattern,
        )
    return compiled


# NOTE: patterns already proved safe in this process, or listed as proved in
# the pack cache (which only this tool writes): proving takes ~0.25 ms a
# pattern, and kinds check their patterns again whenever they are prepared.
_PROVEN: set[str] = set()
_MAX_PROVEN = 10_000


def proven_patterns() -> list[str]:
    """The patterns proved safe so far, sorted (for the pack cache)."""
    return sorted(_PROVEN)


def mark_proven(patterns: Iterable[str]) -> None:
    """Record patterns proved safe by an earlier run (from the pack cache)."""
    for pattern in patterns:
        if len(_PROVEN) < _MAX_PROVEN:
            _PROVEN.add(pattern)


def check_regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile ``pattern`` for ``re`` after checking its shape; return it.

    Raises:
        RegexRejected: with a one-line reason.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise RegexRejected(
            f"regex longer than {MAX_PATTERN_LENGTH} characters", pattern
        )
    try:
        compiled = re.compile(pattern, flags)
        if pattern in _PROVEN:
            return compiled
        parsed = list(_sre_parse.parse(pattern))
    except (re.error, RecursionError, OverflowError) as exc:
        raise RegexRejected(f"invalid regex: {exc}", pattern) from None
    try:
        problem = _Shape(parsed).problem()
    except RecursionError:
        problem = "is nested too deeply to check"
    if problem:
        raise RegexRejected(f"regex '{pattern}' {problem}", pattern)
    if len(_PROVEN) < _MAX_PROVEN:
        _PROVEN.add(pattern)
    return compiled


def starts_at_line_start(regex: re.Pattern[str]) -> bool:
    """Whether ``regex`` (multiline) can only match where a line starts.

    True when its first item is ``^``: a match then starts at the text's
    start or right after a newline.
    """
    if not regex.flags & re.MULTILINE:
        return False
    try:
        parsed = _sre_parse.parse(regex.pattern, regex.flags)
    except (re.error, RecursionError, OverflowError):  # pragma: no cover
        return False
    return len(parsed) > 0 and parsed[0] == (_C.AT, _C.AT_BEGINNING)


def _unbounded(arg: Any) -> bool:
    _low, high, _sub = arg
    return bool(high == _UNBOUNDED or high > MAX_BOUND)


class _Shape:
    """One parsed pattern and the checks above."""

    def __init__(self, parsed: list[Any]) -> None:
        self.parsed = parsed
        self._sample: frozenset[str] | None = None
        self._classes: dict[int, frozenset[str]] = {}

    @property
    def sample(self) -> frozenset[str]:
        """The alphabet overlaps are decided on (built on first use)."""
        if self._sample is None:
            extra = {chr(c) for c in _literals(self.parsed)}
            self._sample = frozenset(_BASE_SAMPLE) | frozenset(extra)
        return self._sample

    def problem(self) -> str:
        """A reason to reject the pattern, or ``""``."""
        multiplied = _multiplied_repeat(self.parsed, 1)
        if multiplied:
            return multiplied
        if not _has_unbounded(self.parsed):
            return ""  # NOTE: every shape below needs an unbounded repeat
        if _has_nested_unbounded(self.parsed, inside_unbounded=False):
            return (
                "nests unbounded repeats (like '(a+)+') and can backtrack "
                "catastrophically; rewrite it without the nesting"
            )
        if self._ambiguous_branch(self.parsed, inside_unbounded=False):
            return (
                "repeats alternatives that can match the same text (like "
                "'(a|a)*' or '(\\d|\\d\\d)*') and can backtrack catastrophically; "
                "make the alternatives start differently"
            )
        if self._adjacent_repeats(self.parsed):
            return (
                "has two unbounded repeats in a row that match the same "
                "characters (like '\\w*\\w*'); merge them into one"
            )
        if self._leading_repeat(self.parsed, tail=True):
            return (
                "starts with an unbounded repeat (like '.*x' or '\\d+x'), which "
                "rescans a long line from every position; bound it (e.g. "
                "'\\d{1,12}x'), start with a literal or anchor it with '^'"
            )
        return ""

    # -- first characters ---------------------------------------------------

    def first(self, items: list[Any]) -> tuple[frozenset[str], bool]:
        """Sample characters a match of ``items`` can start with; nullable."""
        found: set[str] = set()
        for op, arg in items:
            chars, nullable = self._first_item(op, arg)
            found |= chars
            if not nullable:
                return frozenset(found), False
        return frozenset(found), True

    def _first_item(self, op: Any, arg: Any) -> tuple[frozenset[str], bool]:
        sample = self.sample
        if op == _C.LITERAL:
            return frozenset({chr(arg)}), False
        if op == _C.NOT_LITERAL:
            return sample - {chr(arg)}, False
        if op == _C.ANY:
            return sample - {"\n"}, False
        if op == _C.IN:
            key = id(arg)
            if key not in self._classes:
                self._classes[key] = frozenset(c for c in sample if _in_class(c, arg))
            return self._classes[key], False
        if op == _C.SUBPATTERN:
            return self.first(list(arg[-1]))
        if op == _C.ATOMIC_GROUP:
            return self.first(list(arg))
        if op == _C.BRANCH:
            chars: set[str] = set()
            nullable = False
            for branch in arg[1]:
                sub, empty = self.first(list(branch))
                chars |= sub
                nullable = nullable or empty
            return frozenset(chars), nullable
        if op in _REPEATS or op == _C.POSSESSIVE_REPEAT:
            low, _high, sub = arg
            chars_, empty = self.first(list(sub))
            return chars_, empty or low == 0
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            return frozenset(), True
        # NOTE: back-references and conditionals: assume anything.
        return sample, True

    # -- the checks -----------------------------------------------------------

    def _ambiguous_branch(self, items: list[Any], inside_unbounded: bool) -> bool:
        for op, arg in items:
            if op == _C.BRANCH:
                if inside_unbounded and self._overlap(arg[1]):
                    return True
                for branch in arg[1]:
                    if self._ambiguous_branch(list(branch), inside_unbounded):
                        return True
            for sub, unbounded in _children(op, arg):
                if self._ambiguous_branch(sub, inside_unbounded or unbounded):
                    return True
        return False

    def _overlap(self, branches: list[Any]) -> bool:
        seen: set[str] = set()
        for branch in branches:
            chars, nullable = self.first(list(branch))
            # NOTE: an alternative that can match nothing competes with
            # whatever follows the group, i.e. with every other alternative.
            if nullable and len(branches) > 1:
                return True
            if seen & chars:
                return True
            seen |= chars
        return False

    def _adjacent_repeats(self, items: list[Any]) -> bool:
        previous: frozenset[str] | None = None
        for op, arg in items:
            if op in _REPEATS and _unbounded(arg):
                chars, _ = self.first(list(arg[2]))
                if previous is not None and previous & chars:
                    return True
                previous = chars if previous is None else previous | chars
            elif not _nullable(op, arg):
                previous = None  # a mandatory item separates the repeats
            for sub, _unb in _children(op, arg):
                if self._adjacent_repeats(sub):
                    return True
            if op == _C.BRANCH:
                for branch in arg[1]:
                    if self._adjacent_repeats(list(branch)):
                        return True
        return False

    def _leading_repeat(self, items: list[Any], tail: bool) -> bool:
        """An unbounded repeat where a match can start, not at the end.

        NOTE: a pattern that starts with a literal or an anchor is only
        retried where that literal or anchor is; one that starts with a
        repeat is retried at every character the repeat matches.
        """
        for i, (op, arg) in enumerate(items):
            last = tail and i == len(items) - 1
            if op == _C.AT and arg in _ANCHORS:
                return False
            if op in _REPEATS and _unbounded(arg) and not last:
                return True
            if op in (_C.ASSERT, _C.ASSERT_NOT) and self._leading_repeat(
                list(arg[1]), tail=True
            ):
                return True
            if op in (_C.SUBPATTERN, _C.ATOMIC_GROUP):
                inner = list(arg[-1] if op == _C.SUBPATTERN else arg)
                if self._leading_repeat(inner, last):
                    return True
            if op == _C.BRANCH:
                for branch in arg[1]:
                    if self._leading_repeat(list(branch), last):
                        return True
            if not _nullable(op, arg):
                return False
        return False


def _multiplied_repeat(items: list[Any], factor: int) -> str:
    """A reason when repeats multiply: ``(a?){30}``, ``(.*a){20}``, ``(a{9}){99}``.

    NOTE: bounded repeats backtrack too: a repeated part that can match
    nothing, or a repeat inside a repeat whose counts multiply past
    ``MAX_BOUND``, gives exponentially or polynomially many ways to match.
    """
    for op, arg in items:
        subs: list[tuple[list[Any], int]] = []
        if op in _REPEATS:
            _low, high, sub = arg
            body = list(sub)
            if high > 1 and all(_nullable(o, a) for o, a in body):
                return (
                    "repeats something that can match nothing (like '(a?){30}') "
                    "and can backtrack catastrophically; make it match a character"
                )
            count = _UNBOUNDED if high == _UNBOUNDED else factor * high
            if factor > 1 and high > 1 and (count >= _UNBOUNDED or count > MAX_BOUND):
                return (
                    "nests repeats whose counts multiply (like '(.*a){20}' or "
                    "'(a{1,100}){1,100}') and can backtrack catastrophically"
                )
            subs = [(body, max(factor, min(count, _UNBOUNDED)) if high > 1 else factor)]
        elif op == _C.BRANCH:
            subs = [(list(b), factor) for b in arg[1]]
        else:
            subs = [(sub, factor) for sub, _unb in _children(op, arg)]
        for sub, inner in subs:
            found = _multiplied_repeat(sub, inner)
            if found:
                return found
    return ""


def _has_unbounded(items: list[Any]) -> bool:
    for op, arg in items:
        if op in _REPEATS and _unbounded(arg):
            return True
        if op == _C.BRANCH and any(_has_unbounded(list(b)) for b in arg[1]):
            return True
        if any(_has_unbounded(sub) for sub, _unb in _children(op, arg)):
            return True
    return False


def _nullable(op: Any, arg: Any) -> bool:
    """Whether the item can match the empty string (cheap, no sample)."""
    if op in (_C.LITERAL, _C.NOT_LITERAL, _C.ANY, _C.IN):
        return False
    if op == _C.SUBPATTERN:
        return all(_nullable(o, a) for o, a in arg[-1])
    if op == _C.ATOMIC_GROUP:
        return all(_nullable(o, a) for o, a in arg)
    if op == _C.BRANCH:
        return any(all(_nullable(o, a) for o, a in b) for b in arg[1])
    if op in _REPEATS or op == _C.POSSESSIVE_REPEAT:
        return bool(arg[0] == 0 or all(_nullable(o, a) for o, a in arg[2]))
    return True


def _children(op: Any, arg: Any) -> list[tuple[list[Any], bool]]:
    """Sub-sequences of one item and whether they sit in an unbounded repeat."""
    if op in _REPEATS:
        return [(list(arg[2]), _unbounded(arg))]
    if op == _C.POSSESSIVE_REPEAT:
        # NOTE: possessive repeats never backtrack into themselves.
        return []
    if op == _C.SUBPATTERN:
        return [(list(arg[-1]), False)]
    if op in (_C.ASSERT, _C.ASSERT_NOT):
        return [(list(arg[1]), False)]
    if op == _C.GROUPREF_EXISTS:
        return [(list(b), False) for b in arg[1:] if b is not None]
    return []


def _in_class(ch: str, items: list[Any]) -> bool:
    negate = False
    hit = False
    code = ord(ch)
    for op, arg in items:
        if op == _C.NEGATE:
            negate = True
        elif op == _C.LITERAL:
            hit = hit or code == arg
        elif op == _C.RANGE:
            hit = hit or arg[0] <= code <= arg[1]
        elif op == _C.CATEGORY:
            regex = _CATEGORIES.get(arg)
            hit = hit or regex is None or bool(regex.match(ch))
    return hit != negate


def _literals(items: list[Any]) -> set[int]:
    found: set[int] = set()
    for op, arg in items:
        if op in (_C.LITERAL, _C.NOT_LITERAL):
            found.add(arg)
        elif op == _C.IN:
            for sub_op, sub_arg in arg:
                if sub_op == _C.LITERAL:
                    found.add(sub_arg)
                elif sub_op == _C.RANGE:
                    found.update(sub_arg)
        elif op == _C.BRANCH:
            for branch in arg[1]:
                found |= _literals(list(branch))
        else:
            for sub, _unb in _children(op, arg):
                found |= _literals(sub)
    return found


def _has_nested_unbounded(items: list[Any], inside_unbounded: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            _low, _high, sub = arg
            unbounded = _unbounded(arg)
            if unbounded and inside_unbounded and _can_repeat_variably(list(sub)):
                return True
            if _has_nested_unbounded(list(sub), inside_unbounded or unbounded):
                return True
        elif op == _C.SUBPATTERN:
            if _has_nested_unbounded(list(arg[-1]), inside_unbounded):
                return True
        elif op == _C.BRANCH:
            for branch in arg[1]:
                if _has_nested_unbounded(list(branch), inside_unbounded):
                    return True
        elif op in (_C.ASSERT, _C.ASSERT_NOT) and (
            _has_nested_unbounded(list(arg[1]), inside_unbounded)
        ):
            return True
    return False


def _can_repeat_variably(items: list[Any]) -> bool:
    # A repeat of something non-empty inside an unbounded repeat is the shape
    # that explodes; an inner repeat of nothing (e.g. x{0}) is harmless.
    return bool(items)
