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

import importlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..document import Span
from ..equations import Sum, close, format_number, parse_sum
from ..fold import fold
from ..outline import iter_lines
from ..packs import Rule
from ..regex_guard import check_regex
from ..report import Report
from ..table_schema import TableSchemaError
from ..table_tokens import fold_fast
from ..tables import Table
from .base import Hit, KindSpec, Param

PARAMS = {
    "checks": Param("list", required=True, help="[{pattern, value, expect?}]"),
    "keywords": Param("list", default=[], help="prefilter: line must contain one"),
}
_CHECK_KEYS = {"pattern", "value", "expect"}
_SENTENCE_END = "。；;！？!?"
_SENTENCE_MAX = 400
# The regex parser (as regex_guard uses it): to find text a match must hold.
_sre_constants: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")


@dataclass(frozen=True, slots=True)
class Check:
    """One compiled check; every match of ``regex`` contains ``required``."""

    regex: re.Pattern[str]
    value: Sum
    expect: int | None
    required: str = ""


@dataclass(frozen=True, slots=True)
class Prepared:
    """The checks and the keyword prefilter (None: every line)."""

    checks: tuple[Check, ...]
    keywords: re.Pattern[str] | None


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the regexes, the keyword prefilter and parse the value sums."""
    checks = []
    for item in params["checks"]:
        if not isinstance(item, dict) or not {"pattern", "value"} <= set(item):
            raise ValueError("each check needs 'pattern' and 'value'")
        unknown = set(item) - _CHECK_KEYS
        if unknown:
            raise ValueError(f"unknown key '{sorted(unknown)[0]}' in a check")
        check_regex(str(item["pattern"]))
        regex = re.compile(str(item["pattern"]))
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
    words = sorted(
        {str(k) for k in params["keywords"] if str(k)}, key=len, reverse=True
    )
    keywords = re.compile("|".join(re.escape(w) for w in words)) if words else None
    return Prepared(tuple(checks), keywords)


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Compare every number the prose states with its table cells."""
    if not report.tables:
        return
    text = report.document.text
    seen: set[tuple[int, str]] = set()
    tables: dict[str, Table] = {}
    for table in report.tables:
        tables.setdefault(table.key, table)
    for start, end in _candidate_lines(text, prepared.keywords):
        line = text[start:end]
        if "\t" in line or line.lstrip().startswith("|"):
            continue
        folded = fold_fast(line)
        for item in prepared.checks:
            if item.required not in folded:
                continue  # NOTE: no match possible; finditer costs more.
            for match in item.regex.finditer(folded):
                hit = _compare(report, rule, item, (line, start), match, tables)
                if hit is None:
                    continue
                key = (hit.span.start, item.value.text())
                if key not in seen:
                    seen.add(key)
                    yield hit


def required_text(pattern: str) -> str:
    """The longest run of characters that every match of ``pattern`` contains.

    Only literals at the top level of the pattern count (not those inside a
    group, an alternative or a repeat), so the run is certain to be in any
    match. Empty when there is none, or when the pattern ignores case.
    """
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    best = run = ""
    for op, arg in parsed.data:
        if op is _sre_constants.LITERAL:
            run += chr(arg)
            if len(run) > len(best):
                best = run
        else:
            run = ""
    return best


def _candidate_lines(
    text: str, keywords: re.Pattern[str] | None
) -> Iterator[tuple[int, int]]:
    """Line spans that contain a keyword (every line without keywords)."""
    if keywords is None:
        for line in iter_lines(text):
            yield line.start, line.end
        return
    after = -1
    for match in keywords.finditer(text):
        if match.start() < after:
            continue
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end == -1 else end
        after = end
        yield start, end


def _compare(
    report: Report,
    rule: Rule,
    item: Check,
    line: tuple[str, int],
    match: re.Match[str],
    by_key: Mapping[str, Table],
) -> Hit | None:
    """A hit when the number ``match`` states differs from the table's.

    ``line`` is the text the folded line came from and its offset; offsets
    are mapped back only for a hit, as most statements agree.
    """
    stated = item.expect if item.expect is not None else int(match.group("n"))
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
        return table.total(row, column, blank_is_zero=False)

    actual = item.value.evaluate(value)
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
