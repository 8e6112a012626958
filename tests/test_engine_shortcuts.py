"""The engine's per-draft shortcuts give exactly what the plain way gives.

* A ``pattern`` rule whose regex holds a literal text skips a scope without
  that text (``Prepared.required``): its hits equal those of the regex run
  over every scope.
* A message template with only ``{{ name }}`` is cut once and joined
  (``messages._simple_parts``): the same text as ``re.sub`` gives.
* A table without a row that can hold a blank keeps one set of row and
  group vectors for both readings of a blank (``Table.vector``): whichever
  reading is asked for first, every total is the recursive sum.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from disclosure_lint.engine.lint import build_report
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds import KINDS
from disclosure_lint.kinds.pattern import Prepared
from disclosure_lint.kinds.report import LintOptions, Report
from disclosure_lint.packs.load import load_packset
from disclosure_lint.packs.messages import _SIMPLE_PART, _text, render
from disclosure_lint.regex.guard import required_text

from .test_table_fast_paths import TEXTS, _naive_total

PACKSET = load_packset(use_cache=False)
PATTERN_RULES = {
    rule.id: (pack.edition, rule)
    for pack in PACKSET.editions()
    for rule in pack.rules
    if rule.kind == "pattern"
}
# Pieces of text near what the pattern rules look for, and section headings
# so that scoped rules have scopes.
PIECES = [
    "截止",
    "截止2021年",
    "截止 12月",
    "截至目前",
    "人大代表提案",
    "人大代表建议",
    "人大代表",
    "[bookmark:_Toc1]",
    "[bookmark:",
    "来源：本站",
    "发布日期: 2021",
    "【打印本页】",
    "一、总体情况\n",
    "二、主动公开政府信息情况\n",
    "2021年度政府信息公开工作年度报告\n",
    "\n",
    " ",
    "\t",
    "年",
]
DRAFTS = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=30).map(
    "".join
)


def _report(text: str, year: int) -> Report | None:
    try:
        doc = document_from_bytes("t.txt", text.encode("utf-8", "surrogatepass"))
    except LoadError:
        return None
    return build_report(doc, PACKSET, LintOptions(year=year))


def test_the_pattern_rules_have_required_texts() -> None:
    # NOTE: the shortcut is only worth keeping while it applies to rules.
    required = {
        rule_id: KINDS["pattern"].prepare(rule.params).required
        for rule_id, (_, rule) in PATTERN_RULES.items()
    }
    assert required["TY003"] == "截止"
    assert required["TY004"] == "人大代表"
    assert required["FM001"] == "[bookmark:"


@settings(max_examples=200, deadline=None)
@given(DRAFTS, st.sampled_from([2019, 2021]))
def test_pattern_hits_with_the_text_check_equal_the_plain_regex(
    text: str, year: int
) -> None:
    report = _report(text, year)
    if report is None:
        return
    kind = KINDS["pattern"]
    for _, rule in PATTERN_RULES.values():
        prepared = kind.prepare(rule.params)
        plain = Prepared(prepared.regex, prepared.line_starts, "")
        assert list(kind.check(report, rule, prepared)) == list(
            kind.check(report, rule, plain)
        )
        if prepared.required:
            for match in re.finditer(rule.params["pattern"], text, re.MULTILINE):
                assert prepared.required in match.group(0)


def test_a_required_text_is_none_for_patterns_that_need_no_literal() -> None:
    assert required_text("^[ \\t]*(?:来源|发布日期)[:：]") == ""
    assert required_text("(?i)bookmark") == ""
    assert required_text("(" * 2000 + ")" * 2000) == ""  # too deep to parse


NAMES = st.sampled_from(["a", "b", "match", "x_1"])
TEMPLATE_PARTS = st.one_of(
    NAMES.map(lambda n: "{{ " + n + " }}"),
    NAMES.map(lambda n: "{{" + n + "}}"),
    st.sampled_from(["“", "”", "：", "{", "}", "\\1", "\\g<0>", "%s", " "]),
    st.text(max_size=4),
)
VALUES = st.one_of(
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=600),
    st.booleans(),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(TEMPLATE_PARTS, max_size=8).map("".join),
    st.dictionaries(NAMES, VALUES, max_size=4),
)
def test_plain_templates_render_as_re_sub_renders_them(
    template: str, args: dict[str, Any]
) -> None:
    if re.search(r"\{[{%#]", re.sub(_SIMPLE_PART, "", template)):
        return  # NOTE: not a plain template: rendered another way
    expected = re.sub(_SIMPLE_PART, lambda m: _text(args.get(m.group(1), "")), template)
    assert render(template, args) == expected


# A row with a blank cell (and a plain one): the readings differ.
BLANK_CELL = (
    "三、收到和处理政府信息公开申请情况\n"
    "一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t1\n"
    "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
)


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.booleans())
@example(BLANK_CELL, True)
@example(BLANK_CELL, False)
def test_totals_asked_in_either_order_are_the_recursive_sums(
    text: str, blank_first: bool
) -> None:
    report = _report(text, 2021)
    if report is None:
        return
    order = (False, True) if blank_first else (True, False)
    for table in report.tables:
        names = [row.key for row in table.schema.rows]
        for blank_is_zero in order:
            for name in names:
                for column in table.schema.column_keys:
                    expected = _naive_total(table, name, column, blank_is_zero)
                    got = table.total(name, column, blank_is_zero)
                    assert got == expected and type(got) is type(expected)
