"""Kind ``substitution``: known wrong → right pairs, each with a safe fix.

All ``wrong`` strings of a rule are found in one scan of the text, as one
alternation (longest first) would find them. Message arguments: ``wrong``,
``right``, ``note`` and ``source``.

Params:
    pairs: list of ``{wrong, right, note?, source?, not_before?, not_after?}``;
        ``not_before`` / ``not_after`` are regexes that, when they match right
        before / after the occurrence (ending at it / starting at its end),
        mean it is not the typo.
    sources: ``{id: {cite, url?}}``: the public lists the pairs come from;
        when given, every pair names one as ``source`` (message argument
        ``source``: its ``cite``).
    scope: as for ``pattern``.
    safe: whether fixes may be applied by ``--fix`` (default true).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from ..records import dataclass
from ..regex.cached import compile_regex
from ..regex.guard import pack_regex
from .base import FixSpec, Hit, KindSpec, Param, reject_unknown_keys
from .report import Report
from .scope import scope_spans

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex

PARAMS = {
    "pairs": Param("list", required=True, help="wrong/right pairs"),
    "sources": Param("dict", default={}, help="id: {cite, url} of each source"),
    "scope": Param("str", default="all", help="all, title, body or a section key"),
    "safe": Param("bool", default=True, help="fixes are safe for --fix"),
}
_PAIR_KEYS = {"wrong", "right", "note", "source", "not_before", "not_after"}
_CONTEXT = 12


@dataclass(frozen=True, slots=True)
class Pair:
    """One compiled pair."""

    wrong: str
    right: str
    note: str
    source: str
    not_before: Regex | None
    not_after: Regex | None


@dataclass(frozen=True, slots=True)
class Prepared:
    """The scan and the pairs by wrong text.

    With few pairs the scan is the alternation of the wrong texts
    (``regex``). With many, ``guard`` finds where one may start (its first
    characters, then its second or second and third) and ``starting`` lists
    the wrong texts by first character, in the alternation's order.
    """

    regex: re.Pattern[str] | None
    guard: re.Pattern[str] | None
    starting: dict[str, tuple[str, ...]]
    pairs: dict[str, Pair]


# NOTE: an alternation of literals tries each of them in turn wherever a
# first character matches (~300 literals: 0.2 ms a draft); a guard of
# character classes leaves only a few places to try in Python, but its
# look-ahead costs more than a short alternation.
_GUARD_FROM = 24


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Validate the pairs and compile the alternation."""
    pairs: dict[str, Pair] = {}
    sources = _sources(params.get("sources") or {})
    for item in params["pairs"]:
        if not isinstance(item, dict) or not {"wrong", "right"} <= set(item):
            raise ValueError("each pair needs 'wrong' and 'right'")
        reject_unknown_keys(item, _PAIR_KEYS, "a pair")
        wrong, right = str(item["wrong"]), str(item["right"])
        if not wrong or wrong == right:
            raise ValueError(f"pair '{wrong}' → '{right}' changes nothing")
        if wrong in pairs:
            raise ValueError(f"pair '{wrong}' listed twice")
        source = str(item.get("source", ""))
        if sources and source not in sources:
            raise ValueError(f"pair '{wrong}' names no known source ('{source}')")
        pairs[wrong] = Pair(
            wrong,
            right,
            str(item.get("note", "")),
            sources.get(source, ""),
            _context(item.get("not_before"), end=True),
            _context(item.get("not_after"), end=False),
        )
    ordered = sorted(pairs, key=len, reverse=True)
    if len(ordered) < _GUARD_FROM:
        alternation = "|".join(re.escape(w) for w in ordered)
        return Prepared(compile_regex(alternation), None, {}, pairs)
    starting: dict[str, list[str]] = {}
    for wrong in ordered:
        starting.setdefault(wrong[0], []).append(wrong)
    return Prepared(
        None,
        compile_regex(_guard(ordered)),
        {first: tuple(words) for first, words in starting.items()},
        pairs,
    )


def _guard(words: list[str]) -> str:
    """A regex matching the first character of every occurrence of ``words``.

    ``[first](?=[second]|[second][third])``: classes of the words' first,
    second and third characters (of the words of two, and of three or more).
    """

    def chars(texts: Iterable[str]) -> str:
        return "[" + "".join(re.escape(c) for c in sorted(set(texts))) + "]"

    first = chars(w[0] for w in words)
    if any(len(w) == 1 for w in words):
        return first
    ahead = []
    if pairs := [w for w in words if len(w) == 2]:
        ahead.append(chars(w[1] for w in pairs))
    if longer := [w for w in words if len(w) > 2]:
        ahead.append(chars(w[1] for w in longer) + chars(w[2] for w in longer))
    return f"{first}(?={'|'.join(ahead)})"


def _sources(table: Any) -> dict[str, str]:
    """Each source id's citation; every source needs one."""
    if not isinstance(table, dict):
        raise ValueError("sources must map ids to {cite, url}")
    out: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, dict) or not value.get("cite"):
            raise ValueError(f"source '{key}' needs 'cite'")
        out[str(key)] = str(value["cite"])
    return out


def _context(pattern: Any, end: bool) -> Regex | None:
    if pattern is None:
        return None
    # NOTE: \Z, not $: '$' would also take a match that ends before a
    # newline just before the occurrence (and RE2 has no such '$').
    wrapped = f"(?:{pattern})\\Z" if end else f"^(?:{pattern})"
    return pack_regex(wrapped, origin=str(pattern))


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Yield a hit with a fix for every occurrence of a wrong text."""
    text = report.document.text
    safe = bool(rule.params["safe"])
    for scope in scope_spans(report, str(rule.params["scope"])):
        for start, wrong in _occurrences(text, scope, prepared):
            pair = prepared.pairs[wrong]
            end = start + len(wrong)
            before = text[max(0, start - _CONTEXT) : start]
            after = text[end : end + _CONTEXT]
            if pair.not_before and pair.not_before.search(before):
                continue
            if pair.not_after and pair.not_after.search(after):
                continue
            span = Span(start, end)
            args = {
                "wrong": pair.wrong,
                "right": pair.right,
                "note": pair.note,
                "source": pair.source,
            }
            yield Hit(span, args, FixSpec(span, pair.right, safe))


def _occurrences(
    text: str, scope: Span, prepared: Prepared
) -> Iterator[tuple[int, str]]:
    """``(start, wrong)`` of each wrong text in ``scope``.

    As the alternation finds them: leftmost, the first listed of those that
    start there, none overlapping.
    """
    if prepared.regex is not None:
        for match in prepared.regex.finditer(text, scope.start, scope.end):
            yield match.start(), match.group(0)
        return
    assert prepared.guard is not None
    starting, end, pos = prepared.starting, scope.end, scope.start
    for match in prepared.guard.finditer(text, scope.start, end):
        start = match.start()
        if start < pos:
            continue
        for wrong in starting[text[start]]:
            if text.startswith(wrong, start, end):
                yield start, wrong
                pos = start + len(wrong)
                break


KIND = KindSpec("substitution", PARAMS, check, prepare, __doc__ or "")
