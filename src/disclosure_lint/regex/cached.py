"""Compile the packs' regexes from code saved in the pack cache.

``re.compile`` parses a pattern and generates its matching code in pure
Python: ~0.15 ms a pattern, and a run compiles some sixty of them from the
packs (a sixth of a cold start). The matching code is plain data (a list of
ints, the group names), so the pack cache keeps it next to the packs
(``packs.load``), and a later run hands it straight to the C engine.

What is saved is exactly what ``re.compile`` would build: before saving, a
pattern built from its saved code must compare equal to ``re.compile``'s
(same pattern, flags and code), else it is not saved and is compiled by
``re`` as before. The C engine validates code it is given; saved code that
does not load (a cache written by another Python) is compiled by ``re``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

# NOTE: private modules, as ``regex.guard`` uses (stable since 3.11):
# ``re._compiler.compile`` is the parse + code generation this replaces, and
# ``_sre.compile`` is the call it ends with.
_sre: Any = importlib.import_module("_sre")
_compiler: Any = importlib.import_module("re._compiler")
_parser: Any = importlib.import_module("re._parser")

# The rest of ``_sre.compile``'s arguments: flags (with the pattern's own),
# code, the number of groups less one, group names to numbers and back.
Code = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
# (pattern, flags) -> its code.
_SAVED: dict[tuple[str, int], Code] = {}
# What was compiled by ``re`` in this process, to save with the packs.
_COMPILED: set[tuple[str, int]] = set()
_MAX = 10_000


def compile_regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from saved code when there is some."""
    saved = _SAVED.get((pattern, flags))
    if saved is not None:
        try:
            compiled: re.Pattern[str] = _sre.compile(pattern, *saved)
            return compiled
        except (RuntimeError, TypeError, ValueError, OverflowError):
            del _SAVED[pattern, flags]
    if len(_COMPILED) < _MAX:
        _COMPILED.add((pattern, int(flags)))
    return re.compile(pattern, flags)


def saved_code() -> list[list[Any]]:
    """The code of every pattern compiled so far, for the pack cache."""
    out: list[list[Any]] = []
    for pattern, flags in sorted(_COMPILED | set(_SAVED)):
        args = _SAVED.get((pattern, flags)) or _code(pattern, flags)
        if args is not None:
            final, code, groups, groupindex, indexgroup = args
            out.append([pattern, flags, final, code, groups, groupindex, indexgroup])
    return out


def load_saved(entries: Iterable[list[Any]]) -> None:
    """Take the code saved by ``saved_code`` (read back from the pack cache)."""
    # NOTE: taken as read (``compile_regex`` refuses what does not load); the
    # cache's JSON data turned the tuple of group names into a list.
    for pattern, flags, final, code, groups, groupindex, indexgroup in entries:
        if len(_SAVED) < _MAX:
            names = tuple(indexgroup)
            _SAVED[pattern, flags] = (final, code, groups, groupindex, names)


def _code(pattern: str, flags: int) -> Code | None:
    """``_sre.compile``'s arguments for ``pattern``, if they rebuild it exactly.

    NOTE: the steps of ``re._compiler.compile``; the result is checked
    against ``re.compile`` so that a Python whose steps differ saves nothing.
    """
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        state = parsed.state
        indexgroup: list[str | None] = [None] * state.groups
        for name, index in state.groupdict.items():
            indexgroup[index] = name
        args: Code = (
            flags | state.flags,
            code,
            state.groups - 1,
            dict(state.groupdict),
            tuple(indexgroup),
        )
        if _sre.compile(pattern, *args) != re.compile(pattern, flags):
            return None
    except (re.error, RuntimeError, TypeError, ValueError, AttributeError):
        return None
    return args
