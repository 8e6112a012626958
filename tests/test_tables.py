"""The table reader on every layout drafts come in, cell by cell."""

from __future__ import annotations

import pytest

from disclosure_lint.engine.lint import build_report
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds.report import LintOptions
from disclosure_lint.packs.model import PackSet
from disclosure_lint.tables.compile import compile_tables
from disclosure_lint.tables.schema import TableSchemaError
from disclosure_lint.tables.table import Table, table_by_key

REVIEW_HEADER = (
    "行政复议\t行政诉讼\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
)


def read(packset: PackSet, text: str, year: int = 2021) -> tuple[object, list[Table]]:
    doc = document_from_bytes("t.txt", text.encode("utf-8"))
    report = build_report(doc, packset, LintOptions(year=year))
    return doc, report.tables


def table(tables: list[Table], key: str) -> Table:
    found = table_by_key(tables, key)
    assert found is not None
    return found


def values(t: Table, row: str) -> list[object]:
    return [c.value for c in t.rows[row].cells.values()]


def at(doc, cell) -> tuple[int, int]:
    pos = doc.position(cell.span.start)
    return pos.line, pos.column


def test_tsv_with_merged_label_columns(packset: PackSet) -> None:
    text = (
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况\n"
        "\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n"
        "一、本年新收政府信息公开申请数量\t\t\t5\t2\t0\t0\t1\t0\t8\n"
        "三、本年度办理结果\t（一）予以公开\t\t3\t1\t0\t0\t0\t0\t4\n"
        "\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n"
        "一、本年新收政府信息公开申请数量\t\t\t\t2\t0\t0\t1\t0\t3\n"
    )
    doc, tables = read(packset, text)
    t = table(tables, "applications")
    assert values(t, "new") == [5, 2, 0, 0, 1, 0, 8]
    assert values(t, "granted") == [3, 1, 0, 0, 0, 0, 4]
    assert values(t, "denied_1") == [0] * 7
    assert at(doc, t.rows["new"].cells["total"]) == (3, 32)
    assert t.rows["granted"].problem == ""


def test_blank_cell_inside_merged_padding_stays_blank(packset: PackSet) -> None:
    # Three label columns, then 自然人 left empty: the empty field nearest the
    # numbers is the blank cell, the others are merged padding.
    text = "二、上年结转政府信息公开申请数量\t\t\t\t2\t0\t0\t1\t0\t3\n"
    doc, tables = read(packset, text)
    row = table(tables, "applications").rows["carried_over"]
    assert row.cells["natural_person"].status == "blank"
    assert values(table(tables, "applications"), "carried_over")[1:] == [
        2,
        0,
        0,
        1,
        0,
        3,
    ]
    assert at(doc, row.cells["natural_person"]) == (1, 20)


def test_one_cell_per_line_separated_by_blank_lines(packset: PackSet) -> None:
    text = (
        "\n\n".join(
            [
                "第二十条第(六)项",
                "信息内容",
                "本年处理决定数量",
                "行政处罚",
                "\u00a0 35",
                "行政强制",
                " 2",
            ]
        )
        + "\n"
    )
    doc, tables = read(packset, text)
    t = table(tables, "proactive_enforcement")
    assert values(t, "penalty") == [35]
    assert values(t, "coercion") == [2]
    assert at(doc, t.rows["penalty"].cells["decisions"]) == (9, 3)


def test_tab_indented_cells_with_wrapped_labels(packset: PackSet) -> None:
    text = (
        "\t（三）不予\n公开\n\t1.\u00a0属于国家秘密\n\t1\n\t\n\t0\n\t0\n\t0\n\t0\n\t1\n\n"
        "\t行政复议\n\t行政诉讼\n\n\t结果维持\n\t结果纠正\n\t其他结果\n\t尚未审\n结\n\t总计\n"
    )
    doc, tables = read(packset, text)
    t = table(tables, "applications")
    assert values(t, "denied_1") == [1, None, 0, 0, 0, 0, 1]
    assert t.rows["denied_1"].cells["commercial"].status == "blank"
    assert at(doc, t.rows["denied_1"].cells["total"]) == (10, 2)
    review = table(tables, "review")
    assert review.columns["review_pending"][0].text == "尚未审\n结"


def test_markdown_pipe_table(packset: PackSet) -> None:
    text = (
        "**第二十条第（一）项**\n\n"
        "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
        "| --- | --- | --- | --- |\n"
        "| 规章 | 0 | 0 | 0 |\n"
        "| 规范性文件 | 1 | 1 | 6 |\n"
    )
    doc, tables = read(packset, text, year=2020)
    t = table(tables, "proactive_rules")
    assert t.labels[0].kind == "caption"
    assert values(t, "normative") == [1, 1, 6]
    assert at(doc, t.rows["normative"].cells["total_published"]) == (6, 19)


def test_pdf_text_label_wraps_and_values_are_space_separated(packset: PackSet) -> None:
    text = (
        "（二）部分公开（区分处理的，只计这一情形，不计其他\n"
        "情形） 1 0 0 0 0 0 1\n"
        "（七）总 计 5 2 0 0 1 0 8\n"
    )
    doc, tables = read(packset, text)
    t = table(tables, "applications")
    assert values(t, "partial") == [1, 0, 0, 0, 0, 0, 1]
    assert t.rows["partial"].label is not None
    assert t.rows["partial"].label.span.start == 0
    assert values(t, "total") == [5, 2, 0, 0, 1, 0, 8]
    assert at(doc, t.rows["total"].cells["natural_person"]) == (3, 8)


def test_full_width_digits_and_thousands_separators(packset: PackSet) -> None:
    text = (
        "第二十条第（六）项\n信息内容\t本年处理决定数量\n"
        "行政处罚\t１，２３４\n行政强制\t2,001\n"
    )
    _doc, tables = read(packset, text)
    t = table(tables, "proactive_enforcement")
    assert values(t, "penalty") == [1234]
    assert values(t, "coercion") == [2001]


def test_text_and_lookalike_cells(packset: PackSet) -> None:
    text = (
        "第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
        "行政许可\tO\t增\t+3\n"
    )
    _doc, tables = read(packset, text, year=2020)
    cells = table(tables, "proactive_licensing").rows["licensing"].cells
    assert (
        cells["items_last_year"].status == "text" and cells["items_last_year"].lookalike
    )
    assert (
        cells["items_change"].status == "text" and not cells["items_change"].lookalike
    )
    assert cells["decisions"].value == 3


def test_header_column_missing_but_every_value_present(packset: PackSet) -> None:
    text = (
        "申请人情况\n法人或其他组织\n总计\n商业企业\n科研机构\n社会公益组织\n法律服务机构\n其他\n"
        "一、本年新收政府信息公开申请数量\n1\n2\n3\n4\n5\n6\n21\n"
    )
    _doc, tables = read(packset, text)
    t = table(tables, "applications")
    assert "natural_person" not in t.columns
    assert values(t, "new") == [1, 2, 3, 4, 5, 6, 21]


def test_column_missing_from_header_and_rows(packset: PackSet) -> None:
    text = (
        "\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
        "一、本年新收政府信息公开申请数量\t2\t3\t4\t5\t6\t20\n"
    )
    _doc, tables = read(packset, text)
    row = table(tables, "applications").rows["new"]
    assert row.cells["natural_person"].status == "missing"
    assert [c.value for c in row.cells.values()][1:] == [2, 3, 4, 5, 6, 20]
    assert row.problem == ""


def test_digits_run_together(packset: PackSet) -> None:
    doc, tables = read(packset, REVIEW_HEADER + "000000000000010\n")
    row = table(tables, "review").rows["cases"]
    assert row.problem == "run-together"
    assert values(table(tables, "review"), "cases")[13] == 1
    assert at(doc, row.cells["after_pending"]) == (4, 14)


def test_digits_run_together_that_cannot_be_split(packset: PackSet) -> None:
    _doc, tables = read(packset, REVIEW_HEADER + "1000000000000000010\n")
    row = table(tables, "review").rows["cases"]
    assert row.problem == "unsplittable"
    assert {c.status for c in row.cells.values()} == {"ambiguous"}


def test_too_many_and_too_few_values(packset: PackSet) -> None:
    text = "第二十条第（一）项\n规章\t0\t0\t0\t7\n行政规范性文件\t\t5\n"
    _doc, tables = read(packset, text)
    t = table(tables, "proactive_rules")
    assert t.rows["regulations"].problem == "too-many"
    assert t.rows["regulations"].values == 4
    assert t.rows["normative"].problem == "too-few"
    assert [c.status for c in t.rows["normative"].cells.values()] == [
        "missing",
        "blank",
        "number",
    ]


def test_near_miss_label_is_read_and_marked(packset: PackSet) -> None:
    text = "二、上年转结政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
    doc, tables = read(packset, text)
    t = table(tables, "applications")
    assert values(t, "carried_over") == [1, 0, 0, 0, 0, 0, 1]
    label = t.rows["carried_over"].label
    assert label is not None and label.quality == "fuzzy"
    assert label.fix is not None
    span, replacement = label.fix
    assert doc.text[span.start : span.end] == "转结" and replacement == "结转"


def test_labels_from_the_prose_are_not_table_rows(packset: PackSet) -> None:
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "本机关全年新收政府信息公开申请数量较上年有所增加，均已依法答复。\n"
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
    )
    _doc, tables = read(packset, text)
    t = table(tables, "applications")
    assert list(t.rows) == ["new"]
    assert values(t, "new") == [1, 0, 0, 0, 0, 0, 1]


def test_group_row_values_are_recorded_not_stored(packset: PackSet) -> None:
    text = "（六）其他处理\t0\t1\t0\t0\t0\t0\t1\n3.其他\t0\t0\t0\t0\t0\t0\t0\n"
    _doc, tables = read(packset, text, year=2021)
    t = table(tables, "applications")
    assert [g.label.key for g in t.group_values] == ["other"]
    assert values(t, "other_3") == [0] * 7


def test_group_sums_its_rows(packset: PackSet) -> None:
    text = (
        "（四）无法提供\t1.本机关不掌握相关政府信息\t1\t0\t0\t0\t1\t0\t2\n"
        "\t2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0\n"
        "\t3.补正后申请内容仍不明确\t0\t3\t0\t0\t0\t0\t3\n"
    )
    _doc, tables = read(packset, text)
    t = table(tables, "applications")
    assert t.total("unable", "total") == 5
    assert t.total("denied", "total") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"t": {"section": "x", "columns": [], "rows": []}}, "at least one column"),
        ({"t": {"section": "x", "rows": []}}, "missing 'columns'"),
        (
            {
                "t": {
                    "section": "x",
                    "columns": [{"key": "a", "label": "A"}],
                    "rows": [{"rows": "nope"}],
                }
            },
            "unknown row set 'nope'",
        ),
        (
            {
                "t": {
                    "section": "x",
                    "columns": [{"key": "a", "label": "A", "type": "x"}],
                    "rows": [{"key": "r", "label": "R"}],
                }
            },
            "type 'x'",
        ),
        (
            {
                "t": {
                    "section": "x",
                    "columns": [{"key": "a", "label": "A"}],
                    "rows": [{"key": "r", "label": "R", "in": "g"}],
                }
            },
            "unknown group 'g'",
        ),
        ({"reader": {"colour": 1}}, "unknown key 'colour'"),
    ],
)
def test_schema_errors_name_the_key(packset: PackSet, data: dict, message: str) -> None:
    reader = dict(packset.packs["common"].tables["reader"])
    reader.update(data.pop("reader", {}))
    with pytest.raises(TableSchemaError, match=message):
        compile_tables({"reader": reader, **data}, "p")


def test_reader_settings_come_from_the_pack() -> None:
    with pytest.raises(TableSchemaError, match="missing 'numbering'"):
        compile_tables({}, "p")


def test_bare_data_row_under_its_heading(packset: PackSet) -> None:
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "（七）总计\t0\t0\t0\t0\t0\t0\t0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "0\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"
    )
    _doc, tables = read(packset, text)
    review = table(tables, "review")
    assert review.found and not review.columns
    assert values(review, "cases")[4] == 1
