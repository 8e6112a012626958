"""The table code's fast paths give exactly what the plain way gives.

Each speed-up keeps a plain definition next to it: the fold table as a list
(``fold_text``), remembered line shapes (a fresh tokenizer), memoised totals
(the recursive sum), the edition markers' start scan (``finditer``) and the
text a cross-check pattern requires (every match holds it). Property tests
compare the two on table-like text.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from disclosure_lint.document.fold import (
    fold_char_table,
    fold_list_table,
    fold_text,
    translate,
)
from disclosure_lint.document.text import Document, Span
from disclosure_lint.engine.lint import build_report
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds import KINDS
from disclosure_lint.kinds.edition_markers import _markers
from disclosure_lint.kinds.report import LintOptions
from disclosure_lint.outline.model import Outline
from disclosure_lint.packs.load import load_packset
from disclosure_lint.packs.model import Pack
from disclosure_lint.regex.guard import required_text
from disclosure_lint.tables.compile import compiled_tables
from disclosure_lint.tables.labels import Candidate, LabelMatcher
from disclosure_lint.tables.layout import _NO_SIGNS, judge
from disclosure_lint.tables.reader import _Reader, read_tables
from disclosure_lint.tables.region import table_region
from disclosure_lint.tables.table import Row, Table
from disclosure_lint.tables.tokens import Token, Tokenizer
from disclosure_lint.tables.values import assign, hold_counts

from .conftest import benchmark_corpus

PACKSET = load_packset(use_cache=False)
PACK_2021 = PACKSET.for_year(2021)
assert PACK_2021 is not None

CELLS = [
    "三、收到和处理政府信息公开申请情况\n",
    "四、政府信息公开行政复议、行政诉讼情况\n",
    "第二十条第（一）项",
    "第二十条第(九)项",
    "本年新制作\n数量",
    "（三）不予公开",
    "1.属于国家秘密",
    "（七）总 计",
    "行政复议",
    "结果维持",
    "总计",
    "自然人",
    "规章 0 0 0",
    "上年转结",
    "尚未审",
    "结",
    "0",
    "１２",
    "1,234",
    "-3",
    "O",
    "增",
    "3件",
    "000000000000000",
    "\t",
    "\t\t",
    "\n",
    "\n\n",
    " ",
    "|",
    "| --- |",
    "\u00a0",
    "\u3000",
    "**",
]
TEXTS = st.lists(st.sampled_from(CELLS) | st.text(max_size=4), max_size=60).map("".join)


def test_both_fold_tables_fold_every_character_alike() -> None:
    # NOTE: translate folds with the dict table, then with the list table
    # once a batch has folded enough text; either gives fold_text's result.
    every = "".join(map(chr, range(0x30000)))
    assert every.translate(fold_list_table()) == every.translate(fold_char_table())
    assert translate(every) == fold_text(every)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.text(max_size=30))
def test_remembered_line_shapes_give_the_same_cells(text: str, before: str) -> None:
    is_number = compiled_tables(PACK_2021).reader.number
    fresh = list(Tokenizer(is_number).tokens(text, [(0, len(text), "a")]))
    for cell_text, folded, start, end, section in fresh:
        assert (text[start:end], folded, section) == (
            cell_text,
            fold_text(cell_text),
            "a",
        )
    # The same lines seen first at other offsets (and in another section).
    primed = Tokenizer(is_number)
    shifted = before + "\n" + text
    list(primed.tokens(shifted, [(0, len(shifted), "b")]))
    assert list(primed.tokens(text, [(0, len(text), "a")])) == fresh


def _naive_total(table: Table, name: str, column: str, blank_is_zero: bool):
    """``Table.total`` as first written: recursive, nothing remembered."""
    members = table.schema.members.get(name)
    if members is not None:
        total = 0
        for member in members:
            value = _naive_total(table, member, column, blank_is_zero)
            if value is None:
                return None
            total += value
        return total
    row = table.rows.get(name)
    if row is None or row.uncertain:
        return None
    cell = row.cells.get(column)
    if cell is None or not cell.usable:
        return None
    if cell.value is None and not blank_is_zero:
        return None
    return cell.number


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_remembered_totals_are_the_recursive_sums(text: str) -> None:
    try:
        doc = document_from_bytes("t.txt", text.encode("utf-8", "surrogatepass"))
    except LoadError:
        return
    report = build_report(doc, PACKSET, LintOptions(year=2021))
    for table in report.tables:
        names = [row.key for row in table.schema.rows]
        for column in table.schema.column_keys:
            for name in names:
                for blank_is_zero in (True, False):
                    expected = _naive_total(table, name, column, blank_is_zero)
                    got = table.total(name, column, blank_is_zero)
                    assert got == expected and type(got) is type(expected)
        for name in names:
            by_row = table.row_totals(name)
            assert by_row == {c: table.total(name, c) for c in table.schema.column_keys}


def _running_sums(table: Table, names: tuple[str, ...], blank_is_zero: bool) -> list:
    """``Table.sum_vector`` the plain way: a running total per column, from 0."""
    sums: list = []
    for index in range(len(table.schema.column_keys)):
        total = 0
        for name in names:
            value = table.vector(name, blank_is_zero)[index]
            if value is None:
                total = None
                break
            total = total + value
        sums.append(total)
    return sums


def _same_sum_vectors(report, names_of) -> int:
    """Every table's ``sum_vector`` of some names against running totals."""
    compared = 0
    for table in report.tables:
        keys = [row.key for row in table.schema.rows]
        for names in names_of(keys):
            for blank_is_zero in (True, False):
                got = table.sum_vector(names, blank_is_zero)
                expected = _running_sums(table, names, blank_is_zero)
                assert list(got) == expected, names
                assert [type(v) for v in got] == [type(v) for v in expected]
                compared += 1
    return compared


@settings(max_examples=100, deadline=None)
@given(TEXTS, st.randoms(use_true_random=False))
def test_sum_vectors_are_running_totals(text: str, random) -> None:
    try:
        doc = document_from_bytes("t.txt", text.encode("utf-8", "surrogatepass"))
    except LoadError:
        return
    report = build_report(doc, PACKSET, LintOptions(year=2021))
    _same_sum_vectors(
        report,
        lambda keys: [tuple(random.choices(keys, k=n)) for n in (1, 2, 3, 5)],
    )


def test_sum_vectors_of_corpus_tables_are_running_totals() -> None:
    corpus = benchmark_corpus()
    compared = 0
    for number in range(40):
        made = corpus.make_draft(number, 1)
        report = build_report(
            document_from_bytes(made.name, made.data), PACKSET, LintOptions()
        )
        compared += _same_sum_vectors(
            report,
            lambda keys: [
                tuple(keys[i : i + n])
                for n in (1, 2, 4)
                for i in range(0, len(keys), n)
            ],
        )
    assert compared > 0


def _rules(kind: str) -> list:
    return [
        rule for pack in PACKSET.editions() for rule in pack.rules if rule.kind == kind
    ]


MARKERS = [str(m) for rule in _rules("edition-markers") for m in rule.params["markers"]]
# Markers, their first characters (a start that fails right before a match)
# and the same markers with blanks or other widths inside.
MARKER_TEXTS = st.lists(
    st.sampled_from(MARKERS)
    | st.sampled_from([m[0] for m in MARKERS])
    | st.sampled_from(CELLS)
    | st.text(max_size=3),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKER_TEXTS)
def test_marker_scan_finds_what_finditer_finds(text: str) -> None:
    for rule in _rules("edition-markers"):
        prepared = KINDS["edition-markers"].prepare(rule.params)
        for span in (Span(0, len(text)), Span(len(text) // 3, len(text) // 2)):
            expected = [
                (m.start(), m.end(), prepared.names[m.lastgroup or ""])
                for m in prepared.regex.finditer(text, span.start, span.end)
            ]
            assert list(_markers(text, span, prepared)) == expected


PROSE = [
    *("行政复议", "行政诉讼", "申请", "办结", "上年结转", "予以公开", "规范性文件"),
    *("规章", "制发", "未收到", "公开", "3", "0", "件", "起", "，", "。", "无"),
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PROSE) | st.text(max_size=3), max_size=20).map("".join))
def test_every_cross_check_match_holds_its_required_text(text: str) -> None:
    for rule in _rules("cross-check"):
        for check in rule.params["checks"]:
            pattern = str(check["pattern"])
            required = required_text(pattern)
            for match in re.finditer(pattern, text):
                assert required in match.group(0), (pattern, required)


def test_required_text_is_the_longest_top_level_literal_run() -> None:
    assert required_text("予以公开(?P<n>\\d+)件") == "予以公开"
    assert required_text("(?:新收|收到)[^。]{0,3}?申请(?:数量)?(?P<n>\\d+)") == "申请"
    assert required_text("ab|cd") == ""  # either side may match
    assert required_text("a(?:b)?c") == "a"  # b is optional
    assert required_text("(?i)abc") == ""  # case-insensitive: no exact text
    assert required_text("[") == ""  # not a regex: no prefilter


class _PlainReader(_Reader):
    """The reader without its row shortcut: every row through ``values.assign``.

    A row ended with numbers and nothing waiting takes the general way
    (``_end_row``: a row may wait for its numbers, or share them with one
    that waits), which ends in ``values.assign``.
    """

    def _assign_counts(self, table: Table, row: Row, run: list[Token]) -> None:
        self._end_row(table, row, run)


class _Unkept(dict[str, list[Candidate]]):
    """A ``plain_labels`` that keeps nothing: every cell goes through ``_cell``."""

    def __setitem__(self, key: str, value: list[Candidate]) -> None:
        pass


def _read_plainly(doc: Document, outline: Outline, pack: Pack) -> list[Table]:
    """``reader.read`` the plain way: a fresh matcher and tokenizer, no shortcut."""
    compiled = compiled_tables(pack)
    matcher = LabelMatcher(compiled)
    matcher.plain_labels = _Unkept()
    reader = _PlainReader(doc.text, compiled, matcher)
    spans = table_region(doc, outline, compiled)
    reader.feed(Tokenizer(compiled.reader.number).tokens(doc.text, spans))
    tables = [reader.tables[s.key] for s in compiled.schemas]
    for table in tables:
        judge(table, reader.layout.get(table.key, _NO_SIGNS))
    return tables


def _snapshot(tables: list[Table]) -> list[tuple[object, ...]]:
    """Everything a read table holds, cells built, for comparison."""
    return [
        (
            t.key,
            t.labels,
            t.columns,
            t.header_units,
            t.group_values,
            t.start,
            t.end,
            t.skipped,
            t.header_unread,
            [(k, *_row_snapshot(r)) for k, r in t.rows.items()],
        )
        for t in tables
    ]


def _row_snapshot(r: Row) -> tuple[object, ...]:
    return (
        r.label,
        r.values,
        r.filled,
        r.problem,
        r.problem_span,
        r.anchor,
        r.plain,
        r.cells,
        r.uncertain,
    )


_EXAMPLE = (Path(__file__).parent.parent / "examples" / "clean-2021.txt").read_text(
    encoding="utf-8"
)
_HEAD, _, _REST = _EXAMPLE.partition("三、收到和处理政府信息公开申请情况\n")
_TABLE_LINES = sorted({line for line in _EXAMPLE.splitlines() if "\t" in line})
TABLE_TEXTS = st.lists(
    st.sampled_from(_TABLE_LINES) | st.sampled_from(CELLS) | TEXTS, max_size=40
).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(TABLE_TEXTS, TABLE_TEXTS)
def test_reader_shortcuts_read_what_the_plain_reader_reads(
    first: str, second: str
) -> None:
    # NOTE: the shortcuts (labels read before go straight to ``_label``; a
    # row of plain counts is held without ``values.assign``) must give the
    # same tables, cell for cell, as the plain reader on table-like text.
    text = (
        f"{_HEAD}三、收到和处理政府信息公开申请情况\n{first}\n"
        f"四、政府信息公开行政复议、行政诉讼情况\n{second}\n{_REST[-400:]}"
    )
    for data in (text, _EXAMPLE):
        try:
            doc = document_from_bytes("t.txt", data.encode("utf-8"))
        except LoadError:
            assume(False)  # NOTE: binary (a NUL drawn): no draft to read
        report = build_report(doc, PACKSET, LintOptions())
        plain = _read_plainly(report.document, report.outline, report.pack)
        fast = read_tables(report.document, report.outline, report.pack)
        assert _snapshot(fast) == _snapshot(plain)


RUN_CELLS = st.sampled_from(
    ["", "", "0", "3", "12", "007", "１２", "O", "增", "-3", "1,234", "3件", "0000000"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(RUN_CELLS, max_size=18),
    st.integers(min_value=0, max_value=20),
    st.booleans(),
)
def test_held_counts_are_what_assign_places(
    texts: list[str], table_index: int, anchored: bool
) -> None:
    # NOTE: ``hold_counts`` (the reader's row shortcut, merged empty edge
    # fields dropped) must leave a row as ``values.assign`` does, or do
    # nothing and leave the row to it.
    compiled = compiled_tables(PACK_2021)
    schema = compiled.schemas[table_index % len(compiled.schemas)]
    spec = schema.data_rows[0]
    run: list[Token] = []
    at = 10
    for text in texts:
        run.append((text, fold_text(text), at, at + len(text), "a"))
        at += len(text) + 1
    anchor = Span(1, 5) if anchored else Span(0, 0)
    fast, plain = Row(spec, None, anchor=anchor), Row(spec, None, anchor=anchor)
    if not hold_counts(fast, run, schema):
        assert fast == Row(spec, None, anchor=anchor)  # NOTE: untouched
        assign(fast, run, schema, compiled.reader, {})
    assign(plain, run, schema, compiled.reader, {})
    assert _row_snapshot(fast) == _row_snapshot(plain)
