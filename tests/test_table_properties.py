"""Property: changing any one number of a balanced table breaks a balance there.

Only tables 三 and 四 are covered: every one of their cells appears in an
equation (C1–C6: each row of 三 in its row total, each cell of 四 in its
group's total). Table 二 has no equations (its columns are independent
counts), so a changed number there cannot be caught by a balance rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.engine.lint import RuleFilter, lint_document
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import document_from_bytes, load_document
from disclosure_lint.packs.load import load_packset

from .conftest import EXAMPLES

PACKSET = load_packset(use_cache=False)
CONSISTENCY = RuleFilter(select=("consistency",))
BALANCED = ("applications", "review")


def _cells(path: Path) -> tuple[str, list[tuple[int, int, int, tuple[int, int]]]]:
    """The draft's text and, per number cell of 三 and 四: span, value, lines."""
    doc = load_document(path)
    report, findings = lint_document(doc, PACKSET, rule_filter=CONSISTENCY)
    assert findings == [], f"{path.name} must balance to start with"
    out = []
    for table in report.tables:
        if table.key not in BALANCED:
            continue
        first = doc.position(table.span.start).line
        last = doc.position(table.span.end).line
        for cell in table.cells():
            assert cell.status == "number", cell
            out.append(
                (cell.span.start, cell.span.end, int(cell.number), (first, last))
            )
    return doc.text, out


DRAFTS = {name: _cells(EXAMPLES / name) for name in ("clean-2021.txt", "clean-2020.md")}


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_every_cell_of_tables_three_and_four_is_covered(name: str) -> None:
    _text, cells = DRAFTS[name]
    expected = {"clean-2021.txt": 175 + 15, "clean-2020.md": 161 + 15}[name]
    assert len(cells) == expected


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(DRAFTS)),
    pick=st.integers(min_value=0),
    value=st.integers(min_value=0, max_value=99_999),
)
def test_one_changed_number_breaks_a_balance_in_its_table(
    name: str, pick: int, value: int
) -> None:
    text, cells = DRAFTS[name]
    start, end, old, (first, last) = cells[pick % len(cells)]
    if value == old:
        value = old + 1
    mutated = text[:start] + str(value) + text[end:]
    doc = document_from_bytes(name, mutated.encode("utf-8"))
    _report, findings = lint_document(doc, PACKSET, rule_filter=CONSISTENCY)
    inside = [f for f in findings if first <= f.start.line <= last]
    assert inside, (name, doc.position(start), old, value, findings)


VOCAB = [
    "三、收到和处理政府信息公开申请情况\n",
    "四、政府信息公开行政复议、行政诉讼情况\n",
    "第二十条第（一）项",
    "（三）不予",
    "公开",
    "1.属于国家秘密",
    "（七）总 计",
    "行政复议",
    "结果维持",
    "总计",
    "自然人",
    "规章",
    "采购总金额(单位:万元)",
    "上年转结",
    "0",
    "１２",
    "1,234",
    "-3",
    "O",
    "增",
    "3件",
    "000000000000000",
    "\t",
    "\n",
    "\n\n",
    " ",
    "|",
    "| --- |",
    "\u00a0",
    "**",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCAB) | st.text(max_size=4), max_size=60))
def test_any_table_like_text_reads_without_error(parts: list[str]) -> None:
    text = "".join(parts)
    try:
        doc = document_from_bytes("t.txt", text.encode("utf-8", "surrogatepass"))
    except LoadError:
        return
    report, findings = lint_document(doc, PACKSET)
    length = len(doc.text)
    for table in report.tables:
        for cell in table.cells():
            assert 0 <= cell.span.start <= cell.span.end <= length
            assert doc.text[cell.span.start : cell.span.end] == cell.raw or (
                cell.status in ("missing", "ambiguous")
            )
    for finding in findings:
        assert 0 <= finding.span.start <= finding.span.end <= length
