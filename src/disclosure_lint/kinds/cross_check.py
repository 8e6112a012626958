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
line (at most ``_JOIN_LINES`` lines).

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
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ..document.fold import fold, fold_text
from ..document.text import Document, Span
from ..records import dataclass
from ..regex.cached import compile_regex
from ..regex.guard import pack_regex, required_texts
from ..tables.equations import Sum, close, format_number, parse_sum
from ..tables.schema import TableSchemaError
from ..tables.table import Table
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule
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
_JOIN_LINES = 8  # lines of a hard-wrapped paragraph matched as one
_SENTENCE_END = "。；;！？!?"
_SENTENCE_MAX = 400
_MAX_SCANS = 8  # keyword scans per rule at most (see _keyword_scans)


@dataclass(frozen=True, slots=True)
class Check:
    """One compiled check; every match of ``regex`` contains each ``required``."""

    regex: Regex
    value: Sum
    expect: int | None
    required: tuple[str, ...] = ()
    # Non-empty: the check states a share of one of these (``value`` unused).
    bases: tuple[Sum, ...] = ()
    # Other values the sentence may mean; it holds when one agrees.
    alternatives: tuple[Sum, ...] = ()


@dataclass(frozen=True, slots=True)
class Prepared:
    """The checks and the keyword prefilter (empty: every line)."""

    checks: tuple[Check, ...]
    # The prefilter's words (empty: every line); see _Keywords.
    keywords: frozenset[str]
    scope: str = "any"
    # Each finds a scope marker in a clause.
    markers: tuple[Regex, ...] = ()


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the regexes, the keyword prefilter and parse the value sums."""
    checks = tuple(_prepare_check(item) for item in params["checks"])
    words = frozenset(str(k) for k in params["keywords"] if str(k))
    _KEYWORDS.register(words)
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
    return Prepared(checks, words, scope, found)


def _prepare_check(item: Any) -> Check:
    """One check of the ``checks`` param, compiled and checked."""
    if not isinstance(item, dict) or "pattern" not in item:
        raise ValueError("each check needs 'pattern' and 'value' or 'percent_of'")
    unknown = set(item) - _CHECK_KEYS
    if unknown:
        raise ValueError(f"unknown key '{sorted(unknown)[0]}' in a check")
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
        required_texts(pattern),
        bases,
        alternatives,
    )


class _Keywords:
    """The keywords of every cross-check rule prepared in this process.

    NOTE: a draft is scanned for all of them at once (``_Prose.lines_with``)
    rather than once per rule: on a clean draft the scan is most of what
    these rules cost.
    """

    def __init__(self) -> None:
        """No keywords yet."""
        self.words: frozenset[str] = frozenset()
        self._scan: tuple[tuple[re.Pattern[str], ...], dict[str, tuple[str, ...]]]
        self._scan = ((), {})

    def register(self, words: frozenset[str]) -> None:
        """Add ``words`` (a rule being prepared)."""
        if not words <= self.words:
            self.words |= words
            self._scan = ((), {})

    def scan(self) -> tuple[tuple[re.Pattern[str], ...], dict[str, tuple[str, ...]]]:
        """The regexes that find every keyword, and what each found word holds.

        A match finds one word; every keyword inside it is in the text too
        (``部分公开`` holds ``公开``), so the words it holds are listed.
        """
        if not self._scan[0] and self.words:
            words = self.words
            holds = {w: tuple(sorted(k for k in words if k in w)) for w in words}
            self._scan = (_keyword_scans(set(words)), holds)
        return self._scan


_KEYWORDS = _Keywords()


def _keyword_scans(words: set[str]) -> tuple[re.Pattern[str], ...]:
    """Regexes that together find every occurrence of one of ``words``.

    NOTE: ``re`` skips fast to a literal first character but tries every
    position of the text for an alternation of words that start
    differently (~5x slower per character). So the words are scanned for
    in groups that share their first character, one scan per group; for
    more than ``_MAX_SCANS`` groups one scan of them all costs less.
    """
    # NOTE: longest first, then in text order: the same regexes in every
    # process (a set's order varies), so their code is found in the cache.
    ordered = sorted(words, key=lambda word: (-len(word), word))
    groups: dict[str, list[str]] = {}
    for word in ordered:
        groups.setdefault(word[0], []).append(word)
    if len(groups) > _MAX_SCANS:
        groups = {"": ordered}
    return tuple(
        compile_regex("|".join(re.escape(w) for w in group))
        for group in groups.values()
    )


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Compare every number the prose states with its table cells."""
    if not report.tables:
        return
    prose = _prose(report)
    seen: set[tuple[int, str]] = set()
    done: set[int] = set()
    # NOTE: a check's table value is the same for every sentence of a draft;
    # worked out on its first match (so a bad name still fails only then).
    values: dict[int, list[_Value]] = {}
    for index in _candidate_lines(prose, prepared.keywords):
        first = prose.paragraph(index)
        if first in done:
            continue  # NOTE: several lines of one wrapped paragraph.
        done.add(first)
        folded = prose.folded(first)
        if folded is None:
            continue
        for number, item in enumerate(prepared.checks):
            if not _holds(folded, item.required):
                continue  # NOTE: no match possible; finditer costs more.
            for match in item.regex.finditer(folded):
                value = values.get(number)
                if value is None:
                    value = values[number] = _table_values(report, rule, item)
                hit = _hit(report, prepared, item, value, prose, first, match)
                if hit is None:
                    continue
                key = (hit.span.start, item.value.text())
                if key not in seen:
                    seen.add(key)
                    yield hit


def _holds(text: str, runs: tuple[str, ...]) -> bool:
    """``text`` contains every one of ``runs``."""
    return all(run in text for run in runs)


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


class _Prose:
    """The draft's lines and, once asked for, each prose paragraph folded.

    A paragraph is a run of prose lines hard-wrapped mid-sentence, as text
    from PDFs is (at most ``_JOIN_LINES``); most are one line.

    NOTE: one per draft, shared by every cross-check rule: their keywords
    often pick the same sentences, and folding costs more than matching.
    """

    __slots__ = (
        "_first",
        "_folded",
        "_indexed",
        "_last",
        "_with",
        "lines",
        "starts",
        "text",
    )

    def __init__(self, document: Document) -> None:
        """The lines of ``document``; nothing folded yet."""
        self.text = document.text
        self.lines, self.starts = document.split_lines()
        self._folded: dict[int, str | None] = {}
        # The paragraph of a line: its first line; and the first's last.
        self._first: dict[int, int] = {}
        self._last: dict[int, int] = {}
        # The lines holding each keyword, found for the words ``_indexed``.
        self._with: dict[str, set[int]] = {}
        self._indexed: frozenset[str] = frozenset()

    def lines_with(self, words: frozenset[str]) -> list[int]:
        """0-based numbers, in order, of the lines holding one of ``words``."""
        if not words <= self._indexed:
            # NOTE: a rule prepared after this draft's scan (the first draft).
            self._index()
        found: set[int] = set()
        for word in words:
            found |= self._with.get(word, set())
        return sorted(found)

    def _index(self) -> None:
        """Scan the text once for every keyword."""
        regexes, holds = _KEYWORDS.scan()
        self._indexed = _KEYWORDS.words
        found: dict[str, set[int]] = {}
        self._with = found
        text, starts, lines = self.text, self.starts, self.lines
        for regex in regexes:
            pos, index, line_end, prose = 0, -1, -1, False
            while (match := regex.search(text, pos)) is not None:
                if match.start() >= line_end:
                    # NOTE: a new line; most hits share one with the last.
                    index = bisect_right(starts, match.start()) - 1
                    line_end = starts[index] + len(lines[index])
                    prose = _is_prose(lines[index])
                if not prose:
                    pos = line_end + 1  # NOTE: a table row: on to the next line.
                    continue
                for word in holds[match.group()]:
                    held = found.get(word)
                    if held is None:
                        held = found[word] = set()
                    held.add(index)
                pos = match.end()

    def _open(self, index: int) -> bool:
        """Line ``index`` is prose whose sentence goes on in the next line."""
        line = self.lines[index]
        return (
            line.rstrip()[-1:] not in _SENTENCE_END
            and index + 1 < len(self.lines)
            and _is_prose(line)
            and _is_prose(self.lines[index + 1])
        )

    def paragraph(self, index: int) -> int:
        """The first line of the paragraph line ``index`` belongs to."""
        first = self._first.get(index)
        if first is not None:
            return first
        first = index
        while first > 0 and index - first < _JOIN_LINES - 1 and self._open(first - 1):
            first -= 1
        last = first
        while last - first < _JOIN_LINES - 1 and self._open(last):
            last += 1
        last = max(last, index)
        for line in range(first, last + 1):
            self._first.setdefault(line, first)
        self._last[first] = max(self._last.get(first, first), last)
        return first

    def folded(self, first: int) -> str | None:
        """Paragraph ``first`` folded; None for a table row."""
        if first in self._folded:
            return self._folded[first]
        found = self._folded[first] = (
            fold_text(self.at(first)[0]) if _is_prose(self.lines[first]) else None
        )
        return found

    def at(self, first: int) -> tuple[str, int]:
        """Paragraph ``first`` and its offset, as ``fold`` takes them."""
        last = self._last.get(first, first)
        start = self.starts[first]
        end = self.starts[last] + len(self.lines[last])
        return self.text[start:end], start


def _is_prose(line: str) -> bool:
    """``line`` is a non-blank line of prose, not a table row."""
    return (
        "\t" not in line
        and not line.isspace()
        and bool(line)
        and not line.lstrip().startswith("|")
    )


def _prose(report: Report) -> _Prose:
    """The report's ``_Prose``, built on first use."""
    prose = report.shared.get(_Prose)
    if prose is None:
        prose = report.shared[_Prose] = _Prose(report.document)
    return prose


def _candidate_lines(prose: _Prose, keywords: frozenset[str]) -> Iterable[int]:
    """0-based numbers, in order, of the lines that contain a keyword.

    Every line when there are no keywords.
    """
    if not keywords:
        return range(len(prose.lines))
    return prose.lines_with(keywords)


class _Value(NamedTuple):
    """A sum's table value (None: unknown) and the tables it was read from."""

    actual: int | float | None
    tables: dict[str, Table]


def _table_values(report: Report, rule: Rule, item: Check) -> list[_Value]:
    """The value of ``item.value`` (and its alternatives), or of each base."""
    totals = item.bases or (item.value, *item.alternatives)
    return [_table_value(rule, total, report.tables) for total in totals]


def _table_value(rule: Rule, total: Sum, all_tables: list[Table]) -> _Value:
    """The value of ``total`` in the draft's tables (the first of each key).

    Unknown (None) when a table could not be read cell by cell.

    Raises:
        TableSchemaError: a name is not a table, row or column of the pack.
    """
    tables: dict[str, Table] = {}
    for name in total.names:
        table_key = name.split(".", 1)[0]
        table = next((t for t in all_tables if t.key == table_key), None)
        if table is None:
            raise TableSchemaError(
                f"rule {rule.id}: unknown table '{table_key}' in '{name}'"
            )
        tables[table_key] = table

    def value(name: str) -> int | float | None:
        table_key, row, column = name.split(".")
        table = tables[table_key]
        if table.schema.row(row) is None or table.schema.column(column) is None:
            raise TableSchemaError(f"rule {rule.id}: unknown cell '{name}'")
        return table.total(row, column, blank_is_zero=False)

    found = total.evaluate(value)
    if any(table.skipped for table in tables.values()):
        found = None  # NOTE: its cells are not known; say nothing.
    return _Value(found, tables)


def _hit(
    report: Report,
    prepared: Prepared,
    item: Check,
    values: list[_Value],
    prose: _Prose,
    first: int,
    match: RegexMatch,
) -> Hit | None:
    """A hit when the number ``match`` states differs from the table's.

    Scope markers are looked for, and offsets mapped back, only then: most
    statements agree.
    """
    stated = item.expect if item.expect is not None else int(match.group("n"))
    found = _differs(item, values, stated, match)
    if found is None:
        return None
    value, extra = found
    folded = prose.folded(first) or ""
    scope = _scope(prepared, folded, match)
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
        extra["scope"] = _unwrap(report.document.text[at:until])
    actual, tables = value
    sentence = _sentence(report.document.text, start, end, offset, len(line))
    names = (item.bases[values.index(value)] if item.bases else item.value).names
    where = " + ".join(_describe(tables, name) for name in names)
    return Hit(
        sentence,
        {
            "stated": stated,
            "table_value": format_number(actual),
            "where": where,
            # NOTE: without the breaks of a hard-wrapped paragraph.
            "sentence": _unwrap(report.document.text[sentence.start : sentence.end]),
            "match": _unwrap(report.document.text[start:end]),
            **extra,
        },
    )


def _differs(
    item: Check, values: list[_Value], stated: int, match: RegexMatch
) -> tuple[_Value, dict[str, Any]] | None:
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
    printed: str, stated: int, values: list[_Value]
) -> tuple[_Value, dict[str, Any]] | None:
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


def _unwrap(text: str) -> str:
    """``text`` without line breaks (and the blanks around them)."""
    if "\n" not in text:
        return text
    return "".join(part.strip() for part in text.split("\n"))


def _describe(tables: dict[str, Table], name: str) -> str:
    table_key, row, column = name.split(".")
    table = tables[table_key]
    return f"{table.row_label(row)}·{table.column_name(column)}"


def _sentence(text: str, start: int, end: int, lower: int, length: int) -> Span:
    """The sentence around ``[start, end)`` within ``text[lower:lower+length]``.

    Without blanks around it.
    """
    # NOTE: bounded, so a huge line with many matches stays linear.
    line_start = max(lower, start - _SENTENCE_MAX)
    line_end = min(lower + length, end + _SENTENCE_MAX)
    begin = max(text.rfind(mark, line_start, start) for mark in _SENTENCE_END) + 1
    begin = max(begin, line_start)
    ends = [text.find(mark, end, line_end) for mark in _SENTENCE_END]
    finish = min([e for e in ends if e != -1] or [line_end])
    while begin < finish and text[begin].isspace():
        begin += 1
    return Span(begin, finish)


KIND = KindSpec("cross-check", PARAMS, check, prepare, __doc__ or "")
