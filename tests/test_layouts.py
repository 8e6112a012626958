"""Tables in degraded layouts: text from PDFs, markdown from converters.

Each synthetic draft is ``examples/clean-2021.txt`` with one table rewritten
the way PDF text or a converter leaves it; its cells must read as the clean
draft's do, and nothing about the layout may be reported as a defect. A
table whose rows cannot be aligned gets one TB012 and nothing per row. The
real reports in ``../shared/real`` (and the PDF text of one of them,
``tests/layouts``) are read against their truth files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT, run_module
from .pdf_samples import draft_html, print_to_pdf

CLEAN = (EXAMPLES / "clean-2021.txt").read_text("utf-8")
REAL = ROOT.parent / "shared" / "real"
LAYOUTS = Path(__file__).resolve().parent / "layouts"
HUAIAN_TEXT = LAYOUTS / "huaian-2024-pdfplumber.txt"
# Rules about tables and their labels: what a layout must not set off.
TABLE_RULES = ("TB", "TY101")


def _block(start: str, end: str) -> tuple[int, int]:
    """Offsets of the clean draft's text from line ``start`` to line ``end``."""
    begin = CLEAN.index(start)
    return begin, CLEAN.index("\n", CLEAN.index(end, begin)) + 1


def _with(start: str, end: str, replacement: str) -> str:
    """The clean draft with lines ``start`` … ``end`` replaced."""
    begin, finish = _block(start, end)
    return CLEAN[:begin] + replacement + CLEAN[finish:]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _findings(path: Path) -> list[dict]:
    result = run_module("--format", "json", path)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)["findings"]


def _table_findings(path: Path) -> list[dict]:
    return [f for f in _findings(path) if f["rule"].startswith(TABLE_RULES)]


def _cells(path: Path, table: str) -> dict[tuple[str, str], object]:
    result = run_module("extract", "--format", "json", path)
    assert result.code == 0, result.err
    return {
        (c["row"], c["column"]): c["value"]
        for c in json.loads(result.out)["cells"]
        if c["table"] == table
    }


@pytest.fixture(scope="module")
def clean_cells(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    path = _write(tmp_path_factory.mktemp("clean"), "clean.txt", CLEAN)
    tables = ("applications", "proactive_licensing", "review")
    return {table: _cells(path, table) for table in tables}


# --------------------------------------------------------------------------
# Text from PDFs

# Table 三 of the clean draft as pdfplumber's extract_text() gives a PDF of
# it: header split over lines, numbers after labels with blanks, group
# labels wrapped inside their merged cells and run into the next column,
# 三、本年度办理结果 written down its cell, long labels wrapped with the
# numbers on the middle line, page footers.
PDF_APPLICATIONS = """\
申请人情况
（本列数据的勾稽关系为：第一项加第二项之和， 法人或其他组织
等于第三项加第四项之和）
自然人 总计
商业企 科研机 社会公益 法律服务
其他
业 构 组织 机构
一、本年新收政府信息公开申请数量 5 2 0 0 1 0 8
二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1
（一）予以公开 3 1 0 0 0 0 4
（二）部分公开（区分处理的，只计这一情
1 0 0 0 0 0 1
形，不计其他情形）
1.属于国家秘密 0 0 0 0 0 0 0
三、
本 2.其他法律行政法规禁止公开 0 0 0 0 0 0 0
年
3.危及“三安全一稳定” 0 0 0 0 0 0 0
度
办 （三）不 4.保护第三方合法权益 0 1 0 0 0 0 1
理
予公开
5.属于三类内部事务信息 0 0 0 0 0 0 0
结
果
6.属于四类过程性信息 0 0 0 0 0 0 0
7.属于行政执法案卷 0 0 0 0 0 0 0
8.属于行政查询事项 0 0 0 0 0 0 0
（四）无 1.本机关不掌握相关政府信息 1 0 0 0 1 0 2
- 4 -
法提供 2.没有现成信息需要另行制作 0 0 0 0 0 0 0
3.补正后申请内容仍不明确 0 0 0 0 0 0 0
1.信访举报投诉类申请 0 0 0 0 0 0 0
2.重复申请 0 0 0 0 0 0 0
（五）不 3.要求提供公开出版物 0 0 0 0 0 0 0
予处理
4.无正当理由大量反复申请 0 0 0 0 0 0 0
5.要求行政机关确认或重新出
0 0 0 0 0 0 0
具已获取信息
1.申请人无正当理由逾期不补
正、行政机关不再处理其政府信 0 0 0 0 0 0 0
息公开申请
（六）其
2.申请人逾期未按收费通知要
他处理
求缴纳费用、行政机关不再处理 0 0 0 0 0 0 0
其政府信息公开申请
3.其他 0 0 0 0 0 0 0
（七）总计 5 2 0 0 1 0 8
结转下年度继续办理 1 0 0 0 0 0 1
"""


def test_pdf_text_table_read_cell_exact(tmp_path: Path, clean_cells: dict) -> None:
    text = _with("（本列数据的勾稽关系为", "四、结转下年度继续办理", PDF_APPLICATIONS)
    path = _write(tmp_path, "pdf-text.txt", text)
    assert _cells(path, "applications") == clean_cells["applications"]
    # NOTE: no TB002/TB003/TB007/TB011, no near-miss label (TY101) for the
    # torn 三、本年度办理结果, （三）不予公开, （四）无法提供 …
    assert _table_findings(path) == []


def _pdf_text(tmp: Path, name: str) -> Path:
    """An example printed to PDF, then its text as a user copies it.

    pdfplumber's ``extract_text()`` per page, pages joined: labels wrap in
    narrow cells with their numbers on a middle line, group labels land on
    their first row's line, the headers of tables 三 and 四 come apart.
    """
    import pdfplumber

    pdf = print_to_pdf(draft_html((EXAMPLES / name).read_text("utf-8")), tmp, "p")
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    return _write(tmp, f"pdf-text-{name}", text + "\n")


@pytest.mark.parametrize("name", ["clean-2021.txt", "defects-2021.txt"])
def test_pdf_text_of_an_example_reads_as_the_example(tmp_path: Path, name: str) -> None:
    path = _pdf_text(tmp_path, name)
    original = EXAMPLES / name
    for table in ("proactive_rules", "applications", "review"):
        assert _cells(path, table) == _cells(original, table), table
    # the same table findings as the example itself (the equations that
    # fail in defects-2021, nothing in clean-2021), whatever the layout
    table_rules = ("TB", "TY101", "CS00")
    mine = [f["rule"] for f in _findings(path) if f["rule"].startswith(table_rules)]
    theirs = [
        f["rule"] for f in _findings(original) if f["rule"].startswith(table_rules)
    ]
    assert sorted(mine) == sorted(theirs)


def test_pdf_text_footer_is_no_value(tmp_path: Path, clean_cells: dict) -> None:
    """A page footer between a label and its number, in any of its forms."""
    for footer in ("— 4 —", "- 3 -", "第 3 页", "第3页 共10页"):
        table = (
            f"第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\n{footer}\n120\n"
        )
        text = _with("第二十条第（五）项", "行政许可\t120", table)
        path = _write(tmp_path, "footer.txt", text)
        cells = _cells(path, "proactive_licensing")
        assert cells == clean_cells["proactive_licensing"], footer
        assert _table_findings(path) == [], footer


def test_pdf_text_header_run_together_is_read(
    tmp_path: Path, clean_cells: dict
) -> None:
    """Header labels run together or torn: the rows read, no column missing."""
    text = _with(
        "第二十条第（五）项",
        "行政许可\t120",
        "第二十条第（五）项\n信息内容本年处理决定数量\n行政许可 120\n",
    )
    review = (
        "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结果 结果 其他结 尚未\n总计\n"
        "结 果 结果 其他 尚未 结果 结果 其他 尚未审\n维持 纠正 果 审结\n总计 总计\n"
        "维持 纠正 结果 审结 维持 纠正 结果 结\n1 0 0 0 1 0 0 0 1 1 0 0 0 0 0\n"
    )
    text = text.replace(CLEAN[slice(*_block("行政复议\t", "1\t0\t0\t0\t1\t0"))], review)
    path = _write(tmp_path, "header.txt", text)
    assert _cells(path, "proactive_licensing") == clean_cells["proactive_licensing"]
    assert _cells(path, "review") == clean_cells["review"]
    assert _table_findings(path) == []


def test_another_tables_label_start_in_a_section_is_no_label(tmp_path: Path) -> None:
    """The start of table 三's row label in section 四 (found by the fuzzer:
    it sent the reader round between label and text until the stack ran
    out) is read as text there."""
    text = CLEAN.replace("行政复议\t", "2.其他法律行政法规禁\n行政复议\t", 1)
    path = _write(tmp_path, "elsewhere.txt", text)
    result = run_module("--format", "json", path)
    assert result.code in (0, 1), result.err
    assert result.err == ""
    assert _cells(path, "review") == _cells(EXAMPLES / "clean-2021.txt", "review")


def test_header_missing_a_column_in_a_clean_layout_is_reported(
    tmp_path: Path,
) -> None:
    """No layout noise: a header without 本年处理决定数量 is a real defect."""
    text = _with(
        "第二十条第（五）项",
        "行政许可\t120",
        "第二十条第（五）项\n信息内容\n行政许可\t120\n",
    )
    path = _write(tmp_path, "no-column.txt", text)
    assert [f["rule"] for f in _table_findings(path)] == ["TB003"]


# --------------------------------------------------------------------------
# One cause, one finding

COLLAPSED = """\
第二十条第（一）项
5
（其中修订 1 件）
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0
行政规范性文件\t2\t1
"""


def test_collapsed_rows_get_one_tb012(tmp_path: Path) -> None:
    text = _with("第二十条第（一）项", "行政规范性文件\t2", COLLAPSED)
    path = _write(tmp_path, "collapsed.txt", text)
    found = _table_findings(path)
    assert [(f["rule"], f["line"], f["severity"]) for f in found] == [
        ("TB012", 21, "warning")
    ]
    assert "第二十条第（一）项" in found[0]["message"]
    # the summary says which tables were skipped, in every form it has
    report = json.loads(run_module("--format", "json", path).out)
    assert report["summary"]["tables_skipped"] == [
        {"path": str(path), "line": 21, "column": 1}
    ]
    text_out = run_module(path).out
    assert "1 个表格无法逐格读取" in text_out.splitlines()[-1]
    english = run_module("--lang", "en", path).out
    assert "1 table(s) could not be read cell by cell" in english
    sarif = json.loads(run_module("--format", "sarif", path).out)
    assert sarif["runs"][0]["properties"]["tables_skipped"][0]["line"] == 21


def test_one_row_short_in_a_clean_layout_keeps_its_precise_finding(
    tmp_path: Path,
) -> None:
    text = CLEAN.replace("行政规范性文件\t2\t1\t5", "行政规范性文件\t2\t5")
    path = _write(tmp_path, "short.txt", text)
    assert [f["rule"] for f in _table_findings(path)] == ["TB007"]


def test_skipped_table_gets_no_row_cell_or_equation_finding(tmp_path: Path) -> None:
    # a wrong total in a readable table: the equations are checked, find it
    wrong = CLEAN.replace(
        "(七) 总计\t\t5\t2\t0\t0\t1\t0\t8", "(七) 总计\t\t5\t2\t0\t0\t1\t0\t9"
    )
    assert wrong != CLEAN
    path = _write(tmp_path, "readable.txt", wrong)
    assert {"CS001", "CS002", "CS003", "CS010"} <= {f["rule"] for f in _findings(path)}
    # the same table with three rows a value too many cannot be aligned:
    # one TB012, no TB007 per row, its equations are not checked and the
    # prose is not compared with it
    unaligned = wrong
    for row in (
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "(一) 予以公开",
    ):
        begin = unaligned.index(row + "\t")
        end = unaligned.index("\n", begin)
        unaligned = unaligned[:end] + "\t3" + unaligned[end:]
    path = _write(tmp_path, "unaligned.txt", unaligned)
    found = _findings(path)
    assert [f["rule"] for f in found] == ["TB012"]
    assert "3行" in found[0]["message"]


# --------------------------------------------------------------------------
# Markdown from OCR and PDF converters

MARKDOWN_APPLICATIONS = """\
申请人情况
法人或其他组织
（本列数据的勾稽关系为：第一项加第二项之和，
社会法律
公益服务其他
企业机构
组织机构
## 表三：收到和处理政府信息公开申请情况
| 等于第三项加第四项之和） | 自然人 | 商业 | 科研 | 总计 |
|---|---|---|---|---|
## 表三：收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 5 | 2 | 0 | 0 | 1 | 0 | 8 |
|---|---|---|---|---|---|---|---|
| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| （一）予以公开 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |

（二）部分公开（区分处理的，只计这一情
形，不计其他情形）
| 1 | 0 | 0 | 0 | 0 | 0 | 1 |
|---|---|---|---|---|---|---|
| 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |
|---|---|---|---|---|---|---|---|---|
| 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |
| 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |
| （三）不 | 4.保护第三方合法权益 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |
| 予公开 | 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |
| 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |
| 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |
| 1.本机关不掌握相关政府信息 | 1 | 0 | 0 | 0 | 1 | 0 | 2 |  |

（四）无
| 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|---|

三、本法提供
年度办
理结果
5.要求行政机关确认或重新出具
已获取信息
1.申请人无正当理由逾期不补正、
开申请
| 3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|---|
| 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|---|
| 2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |
|---|---|---|---|---|---|---|---|---|
| （五）不 | 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 予处理 | 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|
| 行政机关不再处理其政府信息公 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|---|

（六）其
2.申请人逾期未按收费通知要求
他处理
府信息公开申请
— 5 —
| 缴纳费用、 | 行政机关不再处理其政 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|---|---|
| 3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|---|
| （七）总计 | 5 | 2 | 0 | 0 | 1 | 0 | 8 |
| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
"""


def test_converter_markdown_table_read_cell_exact(
    tmp_path: Path, clean_cells: dict
) -> None:
    """Bogus and repeated header rows, rows split over tables, cells shifted
    by a stray label cell, trailing empty cells, labels apart from numbers."""
    text = _with(
        "（本列数据的勾稽关系为", "四、结转下年度继续办理", MARKDOWN_APPLICATIONS
    )
    path = _write(tmp_path, "converted.md", text)
    assert _cells(path, "applications") == clean_cells["applications"]
    assert _table_findings(path) == []


# --------------------------------------------------------------------------
# Real reports


def _real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        pytest.fail(
            f"real report {path} not found: clone with ../shared beside the repo"
        )
    return path


def _truth(name: str) -> dict:
    return json.loads(_real(f"truth/{name}.json").read_text("utf-8"))


def _truth_cells(path: Path, truth: dict) -> list[tuple[object, object]]:
    """(wanted, read) for every key cell of ``truth``."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from real import pack_labels, truth_key
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    rows, columns = pack_labels()
    result = run_module("extract", "--format", "json", path)
    read = {
        (c["table"], c["row"], c["column"]): c["value"]
        for c in json.loads(result.out)["cells"]
    }
    return [(c["value"], read.get(truth_key(c, rows, columns))) for c in truth["cells"]]


def test_shanghai_converted_markdown() -> None:
    path = _real("shanghai-office-2025-from-pdf.md")
    pairs = _truth_cells(path, _truth("shanghai-office-2025-from-pdf"))
    assert len(pairs) == 25
    assert [want for want, _ in pairs] == [got for _, got in pairs]
    found = _table_findings(path)
    # table 二 (一) lost cells in the conversion: one honest warning for it,
    # at its caption; nothing about tables 三 and 四, read cell by cell
    assert [(f["rule"], f["severity"]) for f in found] == [("TB012", "warning")]
    text = path.read_text("utf-8").splitlines()
    assert text[found[0]["line"] - 1] == "第二十条第（一）项"


def test_huaian_pdf_text_read_cell_exact() -> None:
    if not HUAIAN_TEXT.is_file():
        pytest.fail(f"fixture {HUAIAN_TEXT} missing")
    pairs = _truth_cells(HUAIAN_TEXT, _truth("huaian-2024"))
    assert len(pairs) == 25
    assert [want for want, _ in pairs] == [got for _, got in pairs]
    # the torn group labels （四）无 / 法提供 … are no near-miss labels; the
    # table findings are the two published defects, once each
    found = _table_findings(HUAIAN_TEXT)
    assert [(f["rule"], f["line"], f["severity"]) for f in found] == [
        ("TB016", 61, "info"),
        ("TB015", 117, "info"),
    ]
    assert "共4个表格标题如此" in found[0]["message"]
    assert "3个行标签" in found[1]["message"]
    # a row label numbered like a heading (四、结转下年度继续办理 103 0 …) is
    # the table's, no extra section (ST006); nothing else is loud
    loud = [f for f in _findings(HUAIAN_TEXT) if f["severity"] != "info"]
    assert loud == []


def test_huaian_pdf_published_format_defects() -> None:
    """Sub-rows numbered 1、 (one finding for the table) and captions written
    第二十条 第（一）项 (one finding for the four), in the PDF as published."""
    path = _real("huaian-2024.pdf")
    found = _table_findings(path)
    assert [(f["rule"], f["severity"]) for f in found] == [
        ("TB016", "info"),
        ("TB015", "info"),
    ]
    assert "“第二十条 第（一）项”" in found[0]["message"]
    assert "“1、”，规定格式为“1.”" in found[1]["message"]


def test_huaian_pdf_text_laid_out_with_blank_lines(tmp_path: Path) -> None:
    """pdfplumber's ``layout=True`` text: lines of blanks between printed
    lines and wide margins. The title after blank lines, quotes wrapped
    across the blank lines and every key cell are read; only the published
    defects are reported."""
    import pdfplumber

    with pdfplumber.open(_real("huaian-2024.pdf")) as pdf:
        text = "\n".join(page.extract_text(layout=True) for page in pdf.pages)
    path = _write(tmp_path, "huaian-layout.txt", text + "\n")
    pairs = _truth_cells(path, _truth("huaian-2024"))
    assert len(pairs) == 25
    assert [want for want, _ in pairs] == [got for _, got in pairs]
    found = _findings(path)
    assert [f for f in found if f["severity"] != "info"] == []
    assert {f["rule"] for f in found} == {"PE006", "TB015", "TB016"}


def test_huaian_pdf_text_in_column_order(tmp_path: Path) -> None:
    """pdfminer's text puts a table's labels in one block and its numbers in
    another, with an empty line between printed lines: each table is one
    honest TB012 warning, no row error, and no quote wrapped over an empty
    line is a stray."""
    from pdfminer.high_level import extract_text

    path = _write(
        tmp_path, "huaian-pdfminer.txt", extract_text(_real("huaian-2024.pdf"))
    )
    found = _findings(path)
    assert not [f for f in found if f["severity"] == "error"]
    assert {f["rule"] for f in found if f["severity"] == "warning"} == {"TB012"}
    assert {"PE006", "TB016"} <= {f["rule"] for f in found}
