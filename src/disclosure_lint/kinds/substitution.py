"""Kind ``substitution``: known wrong → right pairs, each with a safe fix.

All ``wrong`` strings of a rule are compiled into one alternation (longest
first) so the text is scanned once however many pairs there are. Message
arguments: ``wrong``, ``right``, ``note`` and ``source``.

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
from collections.abc import Iterator, Mapping
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
    """The alternation and its pairs by wrong text."""

    regex: re.Pattern[str]
    pairs: dict[str, Pair]


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
    alternation = "|".join(re.escape(w) for w in sorted(pairs, key=len, reverse=True))
    return Prepared(compile_regex(alternation), pairs)


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
        for match in prepared.regex.finditer(text, scope.start, scope.end):
            pair = prepared.pairs[match.group(0)]
            before = text[max(0, match.start() - _CONTEXT) : match.start()]
            after = text[match.end() : match.end() + _CONTEXT]
            if pair.not_before and pair.not_before.search(before):
                continue
            if pair.not_after and pair.not_after.search(after):
                continue
            span = Span(match.start(), match.end())
            args = {
                "wrong": pair.wrong,
                "right": pair.right,
                "note": pair.note,
                "source": pair.source,
            }
            yield Hit(span, args, FixSpec(span, pair.right, safe))


KIND = KindSpec("substitution", PARAMS, check, prepare, __doc__ or "")
