r"""Compile pack regexes: the bundled packs' on ``re``, all others on RE2.

Packs may come from untrusted hands. Python's ``re`` has no time limit, so a
pattern such as ``(a+)+$`` or ``(a?){30}a{30}`` can hang the linter on one
line, and no check of a pattern's shape catches every such case. So
``pack_regex`` compiles the regexes of packs other than the bundled ones for
RE2 (linear time; see ``regex.linear``), refusing what RE2 cannot run with
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

from .cached import compile_regex

if TYPE_CHECKING:
    from .linear import Regex

# NOTE: the regex parser is private API; it has been stable since 3.11 (the
# oldest Python we support) and is the only way to inspect a pattern's shape.
_sre_constants: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")

MAX_PATTERN_LENGTH = 4_000


class RegexRejected(ValueError):
    """A pattern that is invalid or may backtrack catastrophically."""

    def __init__(self, message: str, pattern: str | None = None) -> None:
        """``message`` about ``pattern`` (when known, to locate it in a pack)."""
        super().__init__(message)
        self.pattern = pattern


# NOTE: the patterns of the bundled packs, which run on ``re`` (they may use
# look-around); every other pack regex runs on RE2 (see regex.linear). A
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
# to linear.MAX_MEMORY for each): at most MAX_LINEAR of them.
_LINEAR: dict[tuple[str, int], Any] = {}
MAX_LINEAR = 1_000


def _linear(pattern: str, flags: int, iterate: bool) -> Regex:
    from .linear import LinearPattern
    from .translate import Untranslatable

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
        compiled = compile_regex(pattern, flags)
        if pattern in _PROVEN:
            return compiled
        parsed = list(_sre_parse.parse(pattern))
    except (re.error, RecursionError, OverflowError) as exc:
        raise RegexRejected(f"invalid regex: {exc}", pattern) from None
    # NOTE: imported here: a cached load proved its patterns already.
    from .shape import _Shape

    try:
        problem = _Shape(parsed).problem()
    except RecursionError:
        problem = "is nested too deeply to check"
    if problem:
        raise RegexRejected(f"regex '{pattern}' {problem}", pattern)
    if len(_PROVEN) < _MAX_PROVEN:
        _PROVEN.add(pattern)
    return compiled


# NOTE: answers derived from a pattern's parse (``starts_at_line_start``,
# ``required_texts``, ``required_choices``, and the kinds' and outline's own
# questions through ``remembered``), by question, pattern and flags: parsing
# takes ~0.1 ms a pattern and every run prepares its rules again (~6 ms a
# run), so the answers are kept in the pack cache with the proofs.
_FACTS: dict[tuple[str, str, int], Any] = {}
_UNKNOWN: Any = object()


def remembered(question: str, pattern: str, flags: int, work: Any) -> Any:
    """The answer to ``question`` about ``pattern``: remembered, else ``work``'s.

    ``work(pattern, flags)`` gives it; it must be plain data (a text, a
    bool, None, tuples of texts), as the pack cache keeps it. Answers found
    while packs are compiled are saved with them (``pattern_facts``).
    """
    key = (question, pattern, flags)
    found = _FACTS.get(key, _UNKNOWN)
    if found is _UNKNOWN:
        found = work(pattern, flags)
        if len(_FACTS) < _MAX_PROVEN:
            _FACTS[key] = found
    return found


def pattern_facts() -> list[list[Any]]:
    """``[question, pattern, flags, answer]`` of every answer so far (for the cache)."""
    return [[*key, value] for key, value in sorted(_FACTS.items())]


def remember_facts(entries: Iterable[list[Any]]) -> None:
    """Take the answers ``pattern_facts`` gave, read back from the pack cache.

    NOTE: the cache's JSON data turned tuples into lists: made tuples again.
    """
    for question, pattern, flags, value in entries:
        if len(_FACTS) >= _MAX_PROVEN:
            return
        _FACTS[question, pattern, flags] = _as_tuples(value)


def _as_tuples(value: Any) -> Any:
    """``value`` with every list (at any depth) a tuple again."""
    if isinstance(value, list):
        return tuple(_as_tuples(item) for item in value)
    return value


def starts_at_line_start(regex: re.Pattern[str]) -> bool:
    """Whether ``regex`` (multiline) can only match where a line starts.

    True when its first item is ``^``: a match then starts at the text's
    start or right after a newline.
    """
    if not regex.flags & re.MULTILINE:
        return False
    return bool(
        remembered("line-start", regex.pattern, regex.flags, _starts_at_line_start)
    )


def _starts_at_line_start(pattern: str, flags: int) -> bool:
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):  # pragma: no cover
        return False
    return len(parsed) > 0 and parsed[0] == (
        _sre_constants.AT,
        _sre_constants.AT_BEGINNING,
    )


def required_text(pattern: str) -> str:
    """The longest run of characters that every match of ``pattern`` contains.

    Only literals at the top level of the pattern count (not those inside a
    group, an alternative or a repeat), so the run is certain to be in any
    match. Empty when there is none, or when the pattern ignores case.
    """
    return max(required_texts(pattern), key=len, default="")


def required_texts(pattern: str) -> tuple[str, ...]:
    """Every run of characters that every match of ``pattern`` contains.

    The runs of top-level literals (see ``required_text``), longest first;
    empty when there is none, or when the pattern ignores case.
    """
    found: tuple[str, ...] = remembered("texts", pattern, 0, _required_texts)
    return found


def _required_texts(pattern: str, flags: int) -> tuple[str, ...]:
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):
        return ()
    if parsed.state.flags & re.IGNORECASE:
        return ()
    runs: list[str] = []
    run = ""
    for op, arg in parsed.data:
        if op is _sre_constants.LITERAL:
            run += chr(arg)
            continue
        if run:
            runs.append(run)
        run = ""
    if run:
        runs.append(run)
    # NOTE: stable: the first longest run first, as required_text gives it.
    return tuple(sorted(runs, key=len, reverse=True))


def required_choices(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...]:
    """Texts every match of ``pattern`` holds: one of each tuple's texts.

    A 1-tuple is a run of literals every match holds (``required_texts``
    gives those at the top level); a longer tuple comes from alternatives
    (``(?:未发生|没有发生)``), each of which holds one of its texts. Runs
    inside groups and repeats of at least one count too; look-arounds,
    classes and optional parts do not. In pattern order, each once; empty
    when the pattern ignores case or does not parse.
    """
    found: tuple[tuple[str, ...], ...] = remembered(
        "choices", pattern, flags, _required_choices
    )
    return found


def _required_choices(pattern: str, flags: int) -> tuple[tuple[str, ...], ...]:
    try:
        parsed = _sre_parse.parse(pattern, flags)
        if parsed.state.flags & re.IGNORECASE:
            return ()
        return tuple(dict.fromkeys(_choices(parsed.data)))
    except (re.error, RecursionError, OverflowError):
        return ()


def _choices(items: Iterable[tuple[Any, Any]]) -> list[tuple[str, ...]]:
    """``required_choices`` of a sequence of parsed items."""
    found: list[tuple[str, ...]] = []
    run = ""
    for op, arg in items:
        if op is _sre_constants.LITERAL:
            run += chr(arg)
            continue
        if run:
            found.append((run,))
        run = ""
        if op is _sre_constants.BRANCH:
            found.extend(_branch(arg[1]))
        elif op is _sre_constants.SUBPATTERN:
            if not arg[1] & re.IGNORECASE:
                found.extend(_choices(arg[3]))
        elif op in _REPEATS and arg[0] >= 1:
            found.extend(_choices(arg[2]))
        elif op is _sre_constants.ATOMIC_GROUP:
            found.extend(_choices(arg))
    if run:
        found.append((run,))
    return found


_REPEATS = (
    _sre_constants.MAX_REPEAT,
    _sre_constants.MIN_REPEAT,
    _sre_constants.POSSESSIVE_REPEAT,
)


def _branch(alternatives: Iterable[Any]) -> list[tuple[str, ...]]:
    """One tuple of texts, one of which each alternative holds ([] if none)."""
    texts: list[str] = []
    for alternative in alternatives:
        choices = _choices(alternative)
        if not choices:
            return []  # NOTE: this alternative needs no text at all.
        # NOTE: the best of its own: a run it must hold (the longest),
        # else its smallest choice of texts.
        best = min(choices, key=lambda c: (len(c), -max(map(len, c))))
        texts.extend(best)
    # NOTE: a text holding another is implied by it (信息来源 by 来源).
    unique = dict.fromkeys(texts)
    return [tuple(t for t in unique if not any(o != t and o in t for o in unique))]
