"""How the tables were read: ``extract --format table`` and the HTML table view.

The terminal grid runs through the real CLI (a subprocess, ``COLUMNS`` set);
the HTML table view is drawn by headless Chromium (see test_html_report.py:
it fails, never skips, without Chromium), with a screenshot kept under
``test-artifacts/``.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from disclosure_lint.cli.extract_table import display_width, grid_lines
from disclosure_lint.document import grids
from disclosure_lint.document.grids import (
    GridCell,
    GridColumn,
    GridRow,
    TableGrid,
    header_rows,
)
from disclosure_lint.engine.lint import RuleFilter
from disclosure_lint.engine.parallel import iter_file_results
from disclosure_lint.kinds.report import LintOptions
from disclosure_lint.tables import table as tables_table

from .conftest import EXAMPLES, ROOT, run_module
from .test_html_report import ARTIFACTS, dump_dom, run_chromium, screenshot

GRIDS = Path(__file__).resolve().parent / "grids"
CLEAN = EXAMPLES / "clean-2021.txt"
# The CS001 equation of table 三 in column 自然人, written out as the form
# reads it, when 一 (new) is 6 instead of 5.
CS001_TEXT = "自然人: 一 + 二 = （七）总计 + 四: 6 + 1 ≠ 5 + 1"


def odd_draft(tmp_path: Path) -> Path:
    """clean-2021 with a blank, a text and an unsplittable cell, a failing
    equation (一/自然人 6, not 5) and no table 四."""
    text = CLEAN.read_text(encoding="utf-8")
    text = text.replace("规章\t0\t0\t0", "规章\t\t0\t0")
    text = text.replace("行政许可\t120", "行政许可\t无")
    text = text.replace("行政处罚\t35", "行政处罚\t3 5 1")
    text = text.replace(
        "一、本年新收政府信息公开申请数量\t\t\t5\t2",
        "一、本年新收政府信息公开申请数量\t\t\t6\t2",
    )
    text = (
        text[: text.index("四、政府信息公开行政复议")] + "五、存在的主要问题\n\n无。\n"
    )
    path = tmp_path / "odd-2021.txt"
    path.write_text(text, encoding="utf-8")
    return path


def extract_table(*paths: object, columns: int = 120, cwd: Path = ROOT) -> str:
    result = run_module(
        "extract", "--format", "table", *paths, cwd=cwd, env={"COLUMNS": str(columns)}
    )
    assert result.code == 0, result.err
    return result.out


# --------------------------------------------------------------------------
# The records


def test_statuses_are_those_of_the_reader() -> None:
    for name in ("NUMBER", "BLANK", "TEXT", "MISSING", "AMBIGUOUS"):
        assert getattr(grids, name) == getattr(tables_table, name)


def test_header_rows_follow_the_groups_of_the_form() -> None:
    columns = (
        GridColumn("a", "自然人", ("申请人情况",)),
        GridColumn("b", "商业企业", ("申请人情况", "法人或其他组织")),
        GridColumn("c", "其他", ("申请人情况", "法人或其他组织")),
        GridColumn("d", "总计", ("申请人情况",)),
    )
    assert header_rows(columns) == [
        [("申请人情况", 4, 1)],
        [("自然人", 1, 2), ("法人或其他组织", 2, 1), ("总计", 1, 2)],
        [("商业企业", 1, 1), ("其他", 1, 1)],
    ]


def test_grids_travel_from_worker_processes_only_when_asked(packset) -> None:
    drafts = [str(CLEAN), str(EXAMPLES / "defects-2021.txt")]
    options, rules = LintOptions(), RuleFilter()
    plain = list(iter_file_results(drafts, packset, options, rules, 2, "meta"))
    assert all(r.tables is None for r in plain)
    here = list(iter_file_results(drafts, packset, options, rules, 1, "tables"))
    there = list(iter_file_results(drafts, packset, options, rules, 2, "tables"))
    assert [r.tables for r in here] == [r.tables for r in there]
    assert all(r.tables and len(r.tables) == 6 for r in there)
    assert pickle.loads(pickle.dumps(there[1].tables)) == there[1].tables


# --------------------------------------------------------------------------
# extract --format table


def test_grid_of_clean_2021_is_exact() -> None:
    expected = (GRIDS / "clean-2021.txt.table").read_text(encoding="utf-8")
    assert extract_table("examples/clean-2021.txt") == expected


def test_grid_columns_align_by_display_width() -> None:
    out = extract_table("examples/clean-2021.txt")
    block = out[out.index("收到和处理政府信息公开申请情况表") :].split("\n\n")[0]
    lines = [line for line in block.splitlines()[1:] if " | " in line]
    assert len(lines) > 20
    # Every row's separators stand at the same terminal columns, CJK labels
    # (two columns a character) or not.
    bars = {
        tuple(display_width(line[:i]) for i, ch in enumerate(line) if ch == "|")
        for line in lines
        if line.count("|") == 7
    }
    assert len(bars) == 1, bars
    widths = {display_width(line) for line in lines if line.count("|") == 7}
    assert len(widths) == 1


def test_wide_table_is_drawn_in_bands_in_a_narrow_terminal() -> None:
    for columns in (100, 160):
        out = extract_table("examples/clean-2021.txt", columns=columns)
        assert max(display_width(line) for line in out.splitlines()[2:]) <= columns
    out = extract_table("examples/clean-2021.txt", columns=100)
    review = out[out.index("政府信息公开行政复议、行政诉讼情况表") :]
    assert review.count("结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计") == 3
    for group in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"):
        assert group in review


def test_grid_marks_odd_cells_failing_equations_and_missing_tables(tmp_path) -> None:
    out = extract_table(odd_draft(tmp_path), cwd=tmp_path)
    lines = out.splitlines()

    def row(label: str) -> list[str]:
        line = next(x for x in lines if x.startswith(label))
        return [cell.strip() for cell in line.split("|")[1:]]

    assert row("规章") == ["_", "0", "0"]  # blank
    assert row("行政许可") == ["'无'"]  # text
    assert row("行政处罚") == ["?"]  # three values for one column
    assert "? 行政处罚（第32行）：数值多于列数，无法确定各值所属列" in lines
    assert row("一、本年新收政府信息公开申请数量") == [
        "6*", "2*", "0*", "0*", "1*", "0*", "8*",
    ]  # fmt: skip
    assert row("（七）总计")[0] == "5*" and row("（七）总计")[1] == "2"
    assert f"* CS001 {CS001_TEXT}" in lines
    assert "政府信息公开行政复议、行政诉讼情况表：未找到" in lines


def test_a_skipped_table_is_one_line() -> None:
    grid = TableGrid(
        key="applications",
        title="收到和处理政府信息公开申请情况表",
        columns=(GridColumn("a", "自然人"),),
        rows=(GridRow("new", "一、本年新收", "一", cells=(GridCell("number", "5"),)),),
        found=True,
        skipped="unaligned",
        line=41,
    )
    assert list(grid_lines(grid, 120)) == [
        "收到和处理政府信息公开申请情况表（第41行）："
        "未逐格读取（原因：行与列无法对齐，版式已散乱），表中数值未核对"
    ]


def test_real_reports_grids_say_why_in_words() -> None:
    """A table TB012 skipped and a row TB014 could not split, in words."""
    real = ROOT.parent / "shared" / "real"
    if not real.is_dir():
        pytest.fail(f"{real} is missing: clone with ../shared beside the repo")
    shanghai = run_module(
        "extract", "--format", "table", real / "shanghai-office-2025-from-pdf.md"
    )
    assert (
        "第二十条第（一）项（第78行）：未逐格读取（原因：行与列无法对齐" in shanghai.out
    )
    crawled = run_module(
        "extract", "--format", "table", real / "pingtan-2024-crawled.txt"
    )
    assert (
        "? 行政规范性文件（第21行）：数字连写，按表内勾稽关系有多种拆法" in crawled.out
    )


# --------------------------------------------------------------------------
# The HTML table view, in Chromium

# Appended to a copy of the page (whose CSP forbids scripts) so that the DOM
# Chromium dumps carries the computed style of every highlighted cell.
_PROBE = """<script>
for (const td of document.querySelectorAll("table.form td")) {
  const s = getComputedStyle(td);
  td.setAttribute("data-bg", s.backgroundColor);
  td.setAttribute("data-outline", s.outlineStyle + " " + s.outlineColor);
}
</script>"""


def probed_copy(page: Path, out: Path) -> Path:
    source = page.read_text(encoding="utf-8")
    source = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", source)
    out.write_text(source.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    return out


def test_table_view_in_chromium(tmp_path, capsys) -> None:
    draft = odd_draft(tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / "table-view.html"
    result = run_module(draft, "--format", "html", "--output", page, cwd=tmp_path)
    assert result.code == 1, result.err
    source = page.read_text(encoding="utf-8")
    assert "<script" not in source and "Content-Security-Policy" in source
    dom, console = dump_dom(tmp_path, probed_copy(page, tmp_path / "probed.html"))
    assert not console, "\n".join(console)
    tables = re.findall(r'<table class="form" id="file-1-t\d">.*?</table>', dom, re.S)
    assert len(tables) == 5  # 四 was not found: one line instead
    assert "政府信息公开行政复议、行政诉讼情况表：未找到此表" in dom
    applications = next(t for t in tables if "收到和处理政府信息公开申请情况表" in t)
    # The official grid: grouped header, labels as row headers.
    assert '<th scope="colgroup" colspan="7">申请人情况</th>' in applications
    assert '<th scope="colgroup" colspan="5">法人或其他组织</th>' in applications
    assert '<th scope="col" rowspan="2">自然人</th>' in applications
    assert applications.count('<th scope="row"') == 30
    # Every cell of the failing CS001 (自然人: 一, 二, （七）总计, 四) is
    # highlighted, and only the cells of failing equations are.
    failing = re.findall(
        r'<td class="v st-number fail sev-error"([^>]*)>(\d+)<sup', dom
    )
    assert len(failing) == 10  # CS001: 4 cells, CS003: 7, one in both
    by_eq = [(re.search(r'data-eq="([^"]*)"', a).group(1), v) for a, v in failing]
    assert sorted(v for eq, v in by_eq if "1" in eq.split()) == ["1", "1", "5", "6"]
    for attrs, _ in failing:
        assert 'data-bg="rgb(247, 185, 179)"' in attrs  # --error-hl
        assert 'data-outline="solid rgb(179, 38, 30)"' in attrs  # --error
    plain = re.findall(r'<td class="v st-number"[^>]*data-bg="([^"]*)"', dom)
    assert plain and set(plain) == {"rgba(0, 0, 0, 0)"}
    # The equations, written out.
    assert f'<span class="rule">CS001</span><span class="eq">{CS001_TEXT}</span>' in dom
    # Cells that hold no number say what they are.
    assert re.search(r'<td class="v st-blank" title="空白单元格"[^>]*>空</td>', dom)
    assert re.search(r'<td class="v st-text" title="非数字内容"[^>]*>“无”</td>', dom)
    assert re.search(
        r'<td class="v st-ambiguous" title="无法确定所属列"[^>]*>\?</td>', dom
    )
    png = ARTIFACTS / "table-view.png"
    screenshot(tmp_path, page, png)
    with capsys.disabled():
        print(f"\ntable view screenshot: {png}")


def test_table_view_prints_the_highlight(tmp_path) -> None:
    draft = odd_draft(tmp_path)
    page = tmp_path / "report.html"
    assert run_module(draft, "-f", "html", "-o", page, cwd=tmp_path).code == 1
    pdf = ARTIFACTS / "table-view.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf.unlink(missing_ok=True)
    run_chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    css = page.read_text(encoding="utf-8")
    assert "@media print" in css and "print-color-adjust: exact" in css


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_other_formats_do_not_build_grids(fmt, cli, tmp_path, monkeypatch) -> None:
    from disclosure_lint.engine import grids as engine_grids

    built: list[str] = []
    real = engine_grids.table_grids

    def counting(report, rule_filter=None):
        built.append(report.document.path)
        return real(report, rule_filter)

    # NOTE: ``cli`` undoes every monkeypatch when it returns: set it per run.
    monkeypatch.setattr(engine_grids, "table_grids", counting)
    cli(CLEAN, "--format", fmt, "--output", tmp_path / "out")
    assert built == []
    monkeypatch.setattr(engine_grids, "table_grids", counting)
    cli(CLEAN, "--format", "html", "--output", tmp_path / "out.html")
    assert built == [str(CLEAN)]


def test_html_marks_a_skipped_table_with_its_reason(packset) -> None:
    import io

    from disclosure_lint.engine.grids import table_grids
    from disclosure_lint.engine.lint import lint_file
    from disclosure_lint.formatters.base import FormatContext, Summary
    from disclosure_lint.formatters.html import HtmlFormatter

    result = lint_file(str(CLEAN), packset, LintOptions(), RuleFilter(), True)
    assert result.report is not None
    tables = list(table_grids(result.report))
    tables[4] = tables[4]._replace(skipped="unaligned-rows")
    result.tables = tuple(tables)
    out = io.StringIO()
    formatter = HtmlFormatter(FormatContext(out=out))
    formatter.file(result)
    formatter.finish(Summary())
    page = out.getvalue()
    assert re.search(
        r'<p class="tbl-note tbl-skipped" id="file-1-t5" data-skipped="unaligned-rows">'
        r"收到和处理政府信息公开申请情况表（行 41）："
        r"未逐格读取，表中数值和勾稽关系未核对（原因：unaligned-rows）</p>",
        page,
    )
    assert page.count('<table class="form"') == 5
