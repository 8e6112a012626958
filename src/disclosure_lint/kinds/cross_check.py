"""Kind ``cross-check``: numbers stated in the prose agree with the tables.

Each check is a regex run on folded lines of the prose (full-width to
half-width, no blanks, so ``申请 0 件`` reads ``申请0件``) and the table value
it states, written as a sum of ``table.row.column`` names (a group row sums
its rows). The number comes from the regex group ``n``, or is ``expect``
when the sentence states it in words ("未收到申请" means 0). Lines that are
table rows (tab- or pipe-separated) are not prose and are skipped; blank or
unreadable cells leave a check unchecked.

A check with ``percent_of`` (a list of sums) instead of ``value`` states
a share: its regex has a group ``n`` (the number) and ``p`` (the percent
printed after it, ``208件(17.46%)``); it holds when ``p`` is ``n`` divided by
any of the bases, to within one unit of the last printed digit (rounded or
cut). Several bases mean the sentence does not say which it meant: only a
share that fits none of them is reported.

Prose hard-wrapped at the page width (text from PDFs) is matched as one
paragraph: a line that does not end a sentence is joined to the next prose
line (``prose_lines``).

A statement may speak of a part of what the table counts (``其中市本级``, one
office): ``scope_markers`` are regexes found in the clause before the number.
``scope: whole`` skips such statements (the table's value is not theirs);
``scope: part`` checks only them, and only that the part does not exceed the
whole. Tables that could not be read cell by cell (``Table.skipped``) are
never compared.

Params:
    checks: list of ``{pattern, value | percent_of, expect?}``; ``value``
        may be a list of sums the sentence may mean (it holds when one
        agrees; the first is named in the message).
    keywords: a line is only folded and matched when it contains one of these
        (a cheap prefilter; default: none, every line).
    scope_markers: regexes saying a clause speaks of a part.
    scope: ``any`` (default), ``whole`` or ``part`` (see above).

The finding points at the sentence. Message arguments: ``stated``,
``table_value``, ``where`` (the cells, by official labels), ``sentence``,
``match``; for a share also ``percent`` (as printed) and ``computed``; for
a part, ``scope`` (the marker's text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.fold import fold
from ..memo import per_object
from ..records import dataclass, field
from ..regex.guard import pack_regex
from ..tables.equations import Sum, close, format_number, parse_sum
from ..tables.table import Table
from .base import Hit, KindSpec, Param, reject_unknown_keys
from .cross_values import Totals, Value, cells_of, table_values
from .prose_lines import (
    KeywordIndex,
    Prose,
    keyword_scans,
    prose_of,
    sentence_at,
    unwrap,
)
from .report import Report
from .text_sieve import Sieve, worth_testing

if TYPE_CHECKING:
    from ..packs.model import Pack, Rule
    from ..regex.linear import Regex, RegexMatch

PARAMS = {
    "checks": Param(
        "list", required=True, help="[{pattern, value | percent_of, expect?}]"
    ),
    "keywords": Param("list", default=[], help="prefilter: line must contain one"),
    "scope_markers": Param("list", default=[], help="regexes: a clause about a part"),
    "scope": Param("str", default="any", help="any, whole or part"),
}
_CHECK_KEYS = {"pattern", "value", "expect", "percent_of"}
_SCOPES = ("any", "whole", "part")
_CLAUSE_END = ",;。:!?"
_CLAUSE_MAX = 40  # characters before a number searched for a scope marker


@dataclass(frozen=True, slots=True)
class Check:
    """One compiled check; a match of ``regex`` holds a text of each ``required``.

    ``required``: see ``text_sieve.worth_testing``.
    """

    regex: Regex
    value: Sum
    expect: int | None
    required: tuple[tuple[str, ...], ...] = ()
    # Non-empty: the check states a share of one of these (``value`` unused).
    bases: tuple[Sum, ...] = ()
    # Other values the sentence may mean; it holds when one agrees.
    alternatives: tuple[Sum, ...] = ()
    # The sums compared with (``bases``, else ``value`` and ``alternatives``),
    # each with its text (the key of its table value for a draft) and its
    # names split (see ``cross_values.Cells``).
    totals: Totals = ()


@dataclass(frozen=True, slots=True)
class Prepared:
    """The checks and the keyword prefilter (empty: every line)."""

    checks: tuple[Check, ...]
    # A line holds a keyword when one of these finds it (see keyword_scans).
    keywords: tuple[re.Pattern[str], ...]
    scope: str = "any"
    # Each finds a scope marker in a clause.
    markers: tuple[Regex, ...] = ()
    # Which checks may match a paragraph (by the texts their matches hold).
    sieve: Sieve[Check] = field(default_factory=lambda: Sieve((), ()), compare=False)
    # The keywords (``_keywords``), as the pack's ``KeywordIndex`` knows them.
    words: frozenset[str] = frozenset()


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the regexes, the keyword prefilter and parse the value sums."""
    checks = tuple(_prepare_check(item) for item in params["checks"])
    words = _keywords(params)
    # NOTE: .get: a pack cache written before these params existed lacks them.
    scope = str(params.get("scope") or "any")
    if scope not in _SCOPES:
        raise ValueError(f"scope must be one of {', '.join(_SCOPES)}")
    markers = [str(m) for m in params.get("scope_markers") or () if str(m)]
    if scope != "any" and not markers:
        raise ValueError(f"scope '{scope}' needs scope_markers")
    # NOTE: one regex per marker, not an alternation: a bundled pattern is
    # trusted by its own text. They only run on the clause before a match.
    found = tuple(pack_regex(marker) for marker in markers)
    sieve = Sieve(checks, [item.required for item in checks])
    return Prepared(checks, keyword_scans(set(words)), scope, found, sieve, words)


def _keywords(params: Mapping[str, Any]) -> frozenset[str]:
    """The ``keywords`` param: the words a line must hold one of."""
    return frozenset(str(k) for k in params["keywords"] if str(k))


def keyword_index(pack: Pack) -> KeywordIndex | None:
    """One index of the keywords of every cross-check rule of ``pack``.

    None when no rule has keywords. NOTE: once per pack (``compile_packs``
    builds it too, so its regex is saved in the pack cache); a set with a
    word holding a line break is left to its own scans.
    """
    return per_object(pack, _keyword_index)


def _keyword_index(pack: Pack) -> KeywordIndex | None:
    sets = [
        words
        for rule in pack.rules
        if rule.kind == KIND.name
        and (words := _keywords(rule.params))
        and not any("\n" in word for word in words)
    ]
    return KeywordIndex(sets) if sets else None


def _prepare_check(item: Any) -> Check:
    """One check of the ``checks`` param, compiled and checked."""
    if not isinstance(item, dict) or "pattern" not in item:
        raise ValueError("each check needs 'pattern' and 'value' or 'percent_of'")
    reject_unknown_keys(item, _CHECK_KEYS, "a check")
    pattern = str(item["pattern"])
    regex = pack_regex(pattern, iterate=True)
    bases = tuple(parse_sum(str(base)) for base in item.get("percent_of") or ())
    alternatives: tuple[Sum, ...] = ()
    if bases:
        if "value" in item or "expect" in item:
            raise ValueError("a check with percent_of has no value or expect")
        if not {"n", "p"} <= set(regex.groupindex):
            raise ValueError(f"pattern '{pattern}' needs groups 'n' and 'p'")
        value = bases[0]
    else:
        if "value" not in item:
            raise ValueError("each check needs 'pattern' and 'value' or 'percent_of'")
        given = item["value"]
        # NOTE: a list: the sentence may mean any of these (办理申请N件: new,
        # concluded, or new + carried over); it holds when one agrees.
        sums = [parse_sum(str(v)) for v in given] if isinstance(given, list) else []
        value = sums[0] if sums else parse_sum(str(given))
        alternatives = tuple(sums[1:])
    expect = item.get("expect")
    if expect is None and "n" not in regex.groupindex:
        raise ValueError(f"pattern '{pattern}' needs a group 'n' or expect")
    for name in (n for total in (value, *bases, *alternatives) for n in total.names):
        if name.count(".") != 2:
            raise ValueError(f"'{name}' must be table.row.column")
    return Check(
        regex,
        value,
        int(expect) if expect is not None else None,
        worth_testing(pattern),
        bases,
        alternatives,
        tuple(
            (total.text(), total, cells_of(total))
            for total in bases or (value, *alternatives)
        ),
    )


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Compare every number the prose states with its table cells."""
    if not report.tables:
        return
    prose = prose_of(report)
    seen: set[tuple[int, str]] = set()
    # NOTE: a check's table value is the same for every sentence of a draft;
    # worked out on its first match (so a bad name still fails only then).
    values: dict[int, list[Value]] = {}
    # The numbers that agree with a check's values; None: every statement
    # agrees or cannot be compared (see ``_agreeing``).
    agreeing: dict[int, frozenset[int | float] | None] = {}
    index = keyword_index(report.pack)
    paragraphs = prose.paragraphs(prepared.keywords, index, prepared.words)
    for first, folded in paragraphs:
        for item in prepared.sieve.sift(folded):
            number = id(item)
            if number in values and agreeing[number] is None:
                continue  # NOTE: no statement of it can differ: not matched.
            for match in item.regex.finditer(folded):
                value = values.get(number)
                if value is None:
                    value = values[number] = table_values(report, rule, item.totals)
                    agreeing[number] = _agreeing(item, value)
                numbers = agreeing[number]
                if numbers is None:
                    break
                if numbers and int(match.group("n")) in numbers:
                    continue  # NOTE: most statements agree: no _hit.
                hit = _hit(report, prepared, item, value, prose, first, match)
                if hit is None:
                    continue
                key = (hit.span.start, item.value.text())
                if key not in seen:
                    seen.add(key)
                    yield hit


def _agreeing(item: Check, values: list[Value]) -> frozenset[int | float] | None:
    """The stated numbers ``_differs`` finds agreeing with ``values``.

    None when it finds every statement of ``item`` agreeing or unknown (a
    value is unknown; or ``expect`` agrees; or a base of a share is unknown
    or 0): then ``_hit`` gives None for each. A number not in the set may
    agree too (``close``): ``_hit`` decides.
    """
    actual = [value.actual for value in values]
    if item.bases:
        if any(found is None or found <= 0 for found in actual):
            return None
        return frozenset()  # NOTE: a share is compared in _hit.
    known = [found for found in actual if found is not None]
    if len(known) < len(actual):
        return None
    if item.expect is not None:
        expect = item.expect
        return None if any(close(found, expect) for found in known) else frozenset()
    return frozenset(known)


def _scope(prepared: Prepared, folded: str, match: RegexMatch) -> tuple[int, int]:
    """Where (folded) a scope marker is in the clause of ``match``; (0, 0): none."""
    if not prepared.markers:
        return (0, 0)
    start = match.start()
    floor = max(0, start - _CLAUSE_MAX)
    begin = max(folded.rfind(mark, floor, start) for mark in _CLAUSE_END) + 1
    begin = max(begin, floor)
    # NOTE: "其中，市教育局受理…": the clause opens with the 其中 before it.
    if folded.endswith("其中", floor, max(floor, begin - 1)):
        begin -= 3
    clause = folded[begin : match.end()]
    for marker in prepared.markers:
        found = marker.search(clause)
        if found is not None:
            return (begin + found.start(), begin + found.end())
    return (0, 0)


def _hit(
    report: Report,
    prepared: Prepared,
    item: Check,
    values: list[Value],
    prose: Prose,
    first: int,
    match: RegexMatch,
) -> Hit | None:
    """A hit when the number ``match`` states differs from the table's.

    Scope markers are looked for, and offsets mapped back, only then: most
    statements agree.
    """
    scope = (0, 0)
    if prepared.scope == "part":
        # NOTE: most statements are about the whole: looked for first here.
        scope = _scope(prepared, prose.folded(first) or "", match)
        if not scope[1]:
            return None
    stated = item.expect if item.expect is not None else int(match.group("n"))
    found = _differs(item, values, stated, match)
    if found is None:
        return None
    value, extra = found
    if prepared.scope != "part":
        scope = _scope(prepared, prose.folded(first) or "", match)
    if (prepared.scope == "whole" and scope[1]) or (
        prepared.scope == "part"
        and not (scope[1] and not item.bases and stated > (value.actual or 0))
    ):
        return None  # NOTE: a part within the whole, or its share.
    line, offset = prose.at(first)
    folding = fold(line, offset)
    start, end = folding.original_span(match.start(), match.end())
    if scope[1]:
        at, until = folding.original_span(*scope)
        extra["scope"] = unwrap(report.document.text[at:until])
    actual, tables = value
    sentence = sentence_at(report.document.text, start, end, offset, len(line))
    names = (item.bases[values.index(value)] if item.bases else item.value).names
    where = _where(tables, names)
    return Hit(
        sentence,
        {
            "stated": stated,
            "table_value": format_number(actual),
            "where": where,
            # NOTE: without the breaks of a hard-wrapped paragraph.
            "sentence": unwrap(report.document.text[sentence.start : sentence.end]),
            "match": unwrap(report.document.text[start:end]),
            **extra,
        },
    )


def _differs(
    item: Check, values: list[Value], stated: int, match: RegexMatch
) -> tuple[Value, dict[str, Any]] | None:
    """The value compared with and message arguments, when ``stated`` differs.

    None when it agrees with one of ``values``, or a value is unknown.
    """
    if item.bases:
        return _share(match.group("p"), stated, values)
    for other in values:
        if other.actual is None or close(other.actual, stated):
            return None
    return values[0], {}


def _share(
    printed: str, stated: int, values: list[Value]
) -> tuple[Value, dict[str, Any]] | None:
    """The first base and the share worked out, when ``printed`` fits none.

    None when it fits one of them, or a base is unknown or 0 (no share can
    be worked out: say nothing).
    """
    percent = float(printed)
    decimals = len(printed.partition(".")[2])
    # NOTE: one unit of the last printed digit either way: a share rounded
    # or cut to the printed precision fits.
    slack = 10.0**-decimals + 1e-9
    for value in values:
        if value.actual is None or value.actual <= 0:
            return None
        if abs(100.0 * stated / value.actual - percent) <= slack:
            return None
    computed = 100.0 * stated / values[0].actual  # type: ignore[operator]
    return values[0], {"percent": printed, "computed": f"{computed:.{decimals}f}"}


def _where(tables: dict[str, Table], names: tuple[str, ...]) -> str:
    """The cells ``names`` by their labels; a row shared by all named once."""
    rows = {name.rsplit(".", 1)[0] for name in names}
    if len(names) < 2 or len(rows) != 1:
        return " + ".join(_describe(tables, name) for name in names)
    table_key, row, _ = names[0].split(".")
    table = tables[table_key]
    columns = " + ".join(table.column_name(n.rsplit(".", 1)[1]) for n in names)
    return f"{table.row_label(row)}：{columns}"


def _describe(tables: dict[str, Table], name: str) -> str:
    table_key, row, column = name.split(".")
    table = tables[table_key]
    return f"{table.row_label(row)}·{table.column_name(column)}"


KIND = KindSpec("cross-check", PARAMS, check, prepare, __doc__ or "")
