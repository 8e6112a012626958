"""Kind ``cross-check``: numbers stated in the prose agree with the tables.

Each check is a regex run on folded lines of the prose (full-width to
half-width, no blanks, so ``申请 0 件`` reads ``申请0件``) and the table value
it states, written as a sum of ``table.row.column`` names (a group row sums
its rows). The number comes from the regex group ``n``, or is ``expect``
when the sentence states it in words ("未收到申请" means 0). Lines that are
table rows (tab- or pipe-separated) are not prose and are skipped; blank or
unreadable cells leave a check unchecked.

Params:
    checks: list of ``{pattern, value, expect?}``.
    keywords: a line is only folded and matched when it contains one of these
        (a cheap prefilter; default: none, every line).

The finding points at the sentence. Message arguments: ``stated``,
``table_value``, ``where`` (the cells, by official labels), ``sentence``,
``match``.
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
from ..regex.guard import pack_regex, required_text
from ..tables.equations import Sum, close, format_number, parse_sum
from ..tables.schema import TableSchemaError
from ..tables.table import Table
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex, RegexMatch

PARAMS = {
    "checks": Param("list", required=True, help="[{pattern, value, expect?}]"),
    "keywords": Param("list", default=[], help="prefilter: line must contain one"),
}
_CHECK_KEYS = {"pattern", "value", "expect"}
_SENTENCE_END = "。；;！？!?"
_SENTENCE_MAX = 400
_MAX_SCANS = 8  # keyword scans per rule at most (see _keyword_scans)


@dataclass(frozen=True, slots=True)
class Check:
    """One compiled check; every match of ``regex`` contains ``required``."""

    regex: Regex
    value: Sum
    expect: int | None
    required: str = ""


@dataclass(frozen=True, slots=True)
class Prepared:
    """The checks and the keyword prefilter (empty: every line)."""

    checks: tuple[Check, ...]
    # A line holds a keyword when one of these finds it (see _keyword_scans).
    keywords: tuple[re.Pattern[str], ...]


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the regexes, the keyword prefilter and parse the value sums."""
    checks = []
    for item in params["checks"]:
        if not isinstance(item, dict) or not {"pattern", "value"} <= set(item):
            raise ValueError("each check needs 'pattern' and 'value'")
        unknown = set(item) - _CHECK_KEYS
        if unknown:
            raise ValueError(f"unknown key '{sorted(unknown)[0]}' in a check")
        regex = pack_regex(str(item["pattern"]), iterate=True)
        expect = item.get("expect")
        if expect is None and "n" not in regex.groupindex:
            raise ValueError(f"pattern '{item['pattern']}' needs a group 'n' or expect")
        value = parse_sum(str(item["value"]))
        for name in value.names:
            if name.count(".") != 2:
                raise ValueError(f"'{name}' must be table.row.column")
        checks.append(
            Check(
                regex,
                value,
                int(expect) if expect is not None else None,
                required_text(str(item["pattern"])),
            )
        )
    words = {str(k) for k in params["keywords"] if str(k)}
    return Prepared(tuple(checks), _keyword_scans(words))


def _keyword_scans(words: set[str]) -> tuple[re.Pattern[str], ...]:
    """Regexes that together find every line holding one of ``words``.

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
    tables: dict[str, Table] = {}
    for table in report.tables:
        tables.setdefault(table.key, table)
    # NOTE: a check's table value is the same for every sentence of a draft;
    # worked out on its first match (so a bad name still fails only then).
    values: dict[int, _Value] = {}
    for index in _candidate_lines(prose, prepared.keywords):
        folded = prose.folded(index)
        if folded is None:
            continue
        for number, item in enumerate(prepared.checks):
            if item.required not in folded:
                continue  # NOTE: no match possible; finditer costs more.
            for match in item.regex.finditer(folded):
                value = values.get(number)
                if value is None:
                    value = values[number] = _table_value(rule, item, tables)
                hit = _compare(report, item, value, prose.at(index), match)
                if hit is None:
                    continue
                key = (hit.span.start, item.value.text())
                if key not in seen:
                    seen.add(key)
                    yield hit


class _Prose:
    """The draft's lines and, once asked for, each prose line folded.

    NOTE: one per draft, shared by every cross-check rule: their keywords
    often pick the same sentences, and folding costs more than matching.
    """

    __slots__ = ("_folded", "lines", "starts", "text")

    def __init__(self, document: Document) -> None:
        """The lines of ``document``; nothing folded yet."""
        self.text = document.text
        self.lines, self.starts = document.split_lines()
        self._folded: dict[int, str | None] = {}

    def folded(self, index: int) -> str | None:
        """Line ``index`` (0-based) folded; None for a table row.

        Table rows (tab- or pipe-separated) are not prose.
        """
        if index in self._folded:
            return self._folded[index]
        line = self.lines[index]
        prose = not ("\t" in line or line.lstrip().startswith("|"))
        found = self._folded[index] = fold_text(line) if prose else None
        return found

    def at(self, index: int) -> tuple[str, int]:
        """Line ``index`` and its offset, as ``fold`` takes them."""
        return self.lines[index], self.starts[index]


def _prose(report: Report) -> _Prose:
    """The report's ``_Prose``, built on first use."""
    prose = report.shared.get(_Prose)
    if prose is None:
        prose = report.shared[_Prose] = _Prose(report.document)
    return prose


def _candidate_lines(
    prose: _Prose, keywords: tuple[re.Pattern[str], ...]
) -> Iterable[int]:
    """0-based numbers, in order, of the lines that contain a keyword.

    Every line when there are no keywords.
    """
    if not keywords:
        return range(len(prose.lines))
    text, starts = prose.text, prose.starts
    found: set[int] = set()
    for keyword in keywords:
        pos = 0
        while (match := keyword.search(text, pos)) is not None:
            index = bisect_right(starts, match.start()) - 1
            found.add(index)
            pos = starts[index + 1]  # NOTE: the next line: one hit is enough.
    return sorted(found)


class _Value(NamedTuple):
    """A check's table value (None: unknown) and the tables it was read from."""

    actual: int | float | None
    tables: dict[str, Table]


def _table_value(rule: Rule, item: Check, by_key: Mapping[str, Table]) -> _Value:
    """The value of ``item.value`` in the draft's tables.

    Raises:
        TableSchemaError: a name is not a table, row or column of the pack.
    """
    tables: dict[str, Table] = {}
    for name in item.value.names:
        table_key = name.split(".", 1)[0]
        table = by_key.get(table_key)
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
        if table.skipped:
            return None  # NOTE: not read cell by cell (TB012): not compared
        return table.total(row, column, blank_is_zero=False)

    return _Value(item.value.evaluate(value), tables)


def _compare(
    report: Report,
    item: Check,
    value: _Value,
    line: tuple[str, int],
    match: RegexMatch,
) -> Hit | None:
    """A hit when the number ``match`` states differs from the table's.

    ``line`` is the text the folded line came from and its offset; offsets
    are mapped back only for a hit, as most statements agree.
    """
    stated = item.expect if item.expect is not None else int(match.group("n"))
    actual, tables = value
    if actual is None or close(actual, stated):
        return None
    start, end = fold(*line).original_span(match.start(), match.end())
    sentence = _sentence(report.document.text, start, end)
    where = " + ".join(_describe(tables, name) for name in item.value.names)
    return Hit(
        sentence,
        {
            "stated": stated,
            "table_value": format_number(actual),
            "where": where,
            "sentence": report.document.text[sentence.start : sentence.end],
            "match": report.document.text[start:end],
        },
    )


def _describe(tables: dict[str, Table], name: str) -> str:
    table_key, row, column = name.split(".")
    table = tables[table_key]
    return f"{table.row_label(row)}·{table.column_name(column)}"


def _sentence(text: str, start: int, end: int) -> Span:
    """The sentence around ``[start, end)`` within its line, without blanks."""
    # NOTE: bounded, so a huge line with many matches stays linear.
    line_start = max(text.rfind("\n", 0, start) + 1, start - _SENTENCE_MAX)
    line_end = text.find("\n", end, end + _SENTENCE_MAX)
    line_end = min(len(text), end + _SENTENCE_MAX) if line_end == -1 else line_end
    begin = max(text.rfind(mark, line_start, start) for mark in _SENTENCE_END) + 1
    begin = max(begin, line_start)
    ends = [text.find(mark, end, line_end) for mark in _SENTENCE_END]
    finish = min([e for e in ends if e != -1] or [line_end])
    while begin < finish and text[begin].isspace():
        begin += 1
    return Span(begin, finish)


KIND = KindSpec("cross-check", PARAMS, check, prepare, __doc__ or "")
