"""Kind ``substitution``: known wrong → right pairs, each with a safe fix.

The ``wrong`` strings of every substitution rule of the pack are found in
one scan of the text (``SubstitutionIndex``); each rule takes its own as one
alternation of them (longest first) would find them. Message arguments: ``wrong``,
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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from ..memo import per_object
from ..records import dataclass
from ..regex.cached import compile_regex
from ..regex.guard import pack_regex
from .base import FixSpec, Hit, KindSpec, Param, reject_unknown_keys
from .report import Report
from .scope import scope_spans

if TYPE_CHECKING:
    from ..packs.model import Pack, Rule
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
    """The pairs by wrong text; the scan is the pack's (``substitution_index``)."""

    pairs: dict[str, Pair]
    words: frozenset[str]


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Validate the pairs and compile their context regexes."""
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
    return Prepared(pairs, frozenset(pairs))


# A wrong text found: where it starts, the text, the bits of its rules.
Found = tuple[int, str, int]


class SubstitutionIndex:
    """The wrong texts of every substitution rule of a pack, found by one scan.

    NOTE: each rule scanning the text for its own wrong texts cost a pass
    per rule (~0.1 ms a draft for the bundled packs). ``guard`` finds where
    any wrong text may start (``_guard``, never consuming, so overlapping
    ones are all found) and the texts starting there are looked up by their
    first two characters: ``find`` gives every occurrence of every wrong
    text, overlapping or not, and each rule picks its own (``_occurrences``).
    """

    __slots__ = ("_bits", "_by_id", "_ones", "_starting", "guard")

    def __init__(self, sets: Sequence[frozenset[str]]) -> None:
        """An index of ``sets`` of wrong texts (one set per rule)."""
        self._bits = {words: 1 << i for i, words in enumerate(dict.fromkeys(sets))}
        owners: dict[str, int] = {}
        for words, bit in self._bits.items():
            for word in words:
                owners[word] = owners.get(word, 0) | bit
        # NOTE: sorted, so the pattern is the same in every process (its code
        # is saved in the pack cache); longest first at each start.
        ordered = sorted(owners, key=lambda w: (-len(w), w))
        self.guard = compile_regex(_guard(ordered))
        starting: dict[str, list[tuple[str, int]]] = {}
        for word in ordered:
            if len(word) > 1:
                starting.setdefault(word[:2], []).append((word, owners[word]))
        self._starting = {key: tuple(words) for key, words in starting.items()}
        self._ones = {word: owners[word] for word in ordered if len(word) == 1}
        # By id (with the set, so an id is never reused): a set's bit.
        self._by_id: dict[int, tuple[frozenset[str], int]] = {}

    def bit(self, words: frozenset[str]) -> int:
        """The bit of the set ``words`` (0 when it is not indexed)."""
        # NOTE: by id first: a rule's set is an equal set, not the same
        # object, and comparing two sets of ~300 texts costs ~10 µs a draft.
        known = self._by_id.get(id(words))
        if known is not None and known[0] is words:
            return known[1]
        bit = self._bits.get(words, 0)
        if len(self._by_id) >= _BY_ID_MAX:
            self._by_id.clear()
        self._by_id[id(words)] = (words, bit)
        return bit

    def find(self, text: str) -> list[Found]:
        """Every occurrence in ``text``: by start, the longest first."""
        out: list[Found] = []
        starting, ones = self._starting, self._ones
        for match in self.guard.finditer(text):
            start = match.start()
            words = starting.get(text[start : start + 2])
            if words is not None:
                for word, bits in words:
                    if text.startswith(word, start):
                        out.append((start, word, bits))
            if ones and (bits := ones.get(text[start], 0)):
                out.append((start, text[start], bits))
        return out


# Sets of wrong texts remembered by id in an index (``SubstitutionIndex.bit``).
_BY_ID_MAX = 64


def substitution_index(pack: Pack) -> SubstitutionIndex | None:
    """One index of the wrong texts of every substitution rule of ``pack``.

    None when the pack has none. NOTE: once per pack (``compile_packs``
    builds it too, so its regex is saved in the pack cache).
    """
    return per_object(pack, _substitution_index)


def _substitution_index(pack: Pack) -> SubstitutionIndex | None:
    sets = [
        frozenset(str(pair["wrong"]) for pair in rule.params["pairs"])
        for rule in pack.rules
        if rule.kind == KIND_NAME
    ]
    return SubstitutionIndex(sets) if any(sets) else None


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
    found = _found(report, prepared)
    for scope in scope_spans(report, str(rule.params["scope"])):
        for start, wrong in _occurrences(found, scope):
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


def _found(report: Report, prepared: Prepared) -> list[tuple[int, str]]:
    """``(start, wrong)`` of every occurrence of the rule's wrong texts.

    By start, the longest first; overlapping ones too. From the pack's
    index, found once per draft (``Report.shared``); a rule the index does
    not know (not of the report's pack) looks for its own.
    """
    text = report.document.text
    index = substitution_index(report.pack)
    bit = index.bit(prepared.words) if index is not None else 0
    if index is None or not bit:
        return _find_each(text, prepared.words)
    every: list[Found] | None = report.shared.get(SubstitutionIndex)
    if every is None:
        every = report.shared[SubstitutionIndex] = index.find(text)
    return [(start, wrong) for start, wrong, bits in every if bits & bit]


def _find_each(text: str, words: Iterable[str]) -> list[tuple[int, str]]:
    """Every occurrence of ``words`` in ``text``, by start, the longest first."""
    out = []
    for word in words:
        start = text.find(word)
        while start >= 0:
            out.append((start, word))
            start = text.find(word, start + 1)
    out.sort(key=lambda item: (item[0], -len(item[1])))
    return out


def _occurrences(
    found: list[tuple[int, str]], scope: Span
) -> Iterator[tuple[int, str]]:
    """``(start, wrong)`` of each wrong text in ``scope``, from ``found``.

    As one alternation of the rule's wrong texts (longest first) would find
    them in ``scope``: leftmost, the longest of those that start there and
    end in it, none overlapping.
    """
    pos, end = scope.start, scope.end
    for start, wrong in found:
        if start < pos:
            continue
        if start >= end:
            break
        if start + len(wrong) <= end:
            yield start, wrong
            pos = start + len(wrong)


KIND_NAME = "substitution"
KIND = KindSpec(KIND_NAME, PARAMS, check, prepare, __doc__ or "")
