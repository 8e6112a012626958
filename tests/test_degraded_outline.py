"""Issue 13, outline and scope: drafts as PDF text and old reports hold them.

Each case is a small synthetic draft in the layout real reports come in
(hard-wrapped PDF text, a cover line before the title, a heading after other
text on its line, a pre-2019 report), run through the real CLI in a
subprocess, as a user would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import OFFICIAL_SECTIONS, ROOT, run_module

REAL = ROOT.parent / "shared" / "real"


def _findings(path: Path, *args: str) -> list[dict[str, object]]:
    result = run_module(path, "--format", "json", *args)
    assert result.code in (0, 1), result.err
    return list(json.loads(result.out)["findings"])


def _rules(path: Path, *args: str) -> list[str]:
    return [str(f["rule"]) for f in _findings(path, *args)]


def _draft(tmp_path: Path, text: str, name: str = "draft.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# Item 1: a wrapped title and period, a pair broken by a wrap


def test_title_after_a_cover_line_wrapped_over_two_lines(tmp_path: Path) -> None:
    draft = _draft(
        tmp_path,
        "正文\n2025 年某某市人民政府办公厅政府信息公开\n工作年度报告\n"
        "一、总体情况\n全年工作平稳。\n",
    )
    rules = _rules(draft, "--select", "ST001,ST002,PE004")
    assert rules == []


def test_no_title_is_still_reported(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "正文\n某镇认真做好政府信息公开工作。\n一、总体情况\n")
    assert _rules(draft, "--select", "ST001") == ["ST001"]


@pytest.mark.parametrize(
    "period",
    [
        "本报告所列数据的统计期限自2025年1月1日\n起至2025年12月31日止。",
        "本年度报告中所列数据统计期限为 2025\n年 1 月 1 日至 12 月 31 日。",
    ],
)
def test_period_wrapped_over_two_lines_is_found(tmp_path: Path, period: str) -> None:
    draft = _draft(
        tmp_path,
        f"某镇2025年政府信息公开工作年度报告\n{period}\n一、总体情况\n",
    )
    assert _rules(draft, "--select", "PE") == []


def test_wrapped_period_of_another_year_is_still_checked(tmp_path: Path) -> None:
    draft = _draft(
        tmp_path,
        "某镇2025年政府信息公开工作年度报告\n"
        "本报告所列数据的统计期限自2024年1月1日\n起至2024年12月31日止。\n",
    )
    findings = _findings(draft, "--select", "PE")
    assert [(f["rule"], f["line"], f["end_line"]) for f in findings] == [
        ("PE002", 2, 3)
    ]


def test_pair_broken_by_a_line_wrap_is_no_stray(tmp_path: Path) -> None:
    draft = _draft(
        tmp_path,
        "本年度报告根据《上海市政府信息公开规\n定》编制。创新打造“政\n策公开讲”品牌。\n"
        "\n多余的”在这里。\n",
    )
    findings = _findings(draft, "--select", "FM003")
    assert [(f["line"], f["column"]) for f in findings] == [(5, 4)]


def test_real_pdf_text_has_no_false_title_period_or_pair_findings() -> None:
    rules = _rules(
        REAL / "shanghai-office-2025-from-pdf.md", "--select", "ST001,ST002,PE,FM003"
    )
    assert rules == []


# --------------------------------------------------------------------------
# Item 4: the publication deadline by issuer


@pytest.mark.parametrize(
    ("title", "published", "late"),
    [
        ("某某县人民政府2024年", "2025-03-10", False),  # government: 03-31
        ("某某县人民政府2024年", "2025-04-02", True),
        ("平潭综合实验区2024年度", "2025-03-10", False),  # a zone: its government
        ("某某经济技术开发区管委会2024年", "2025-03-10", False),
        ("2024年某某市人民政府办公厅", "2025-03-10", True),  # department: 01-31
        ("某某县教育局2024年", "2025-02-01", True),
        ("某某县教育局2024年", "2025-01-30", False),
        ("某某县某某乡人民政府2024年", "2025-02-10", True),  # township: 01-31
        ("某某街道办事处2024年", "2025-02-10", True),
        ("某某2024年", "2025-03-10", False),  # unknown: the later 03-31 assumed
    ],
)
def test_deadline_follows_the_issuer_in_the_title(
    tmp_path: Path, title: str, published: str, late: bool
) -> None:
    draft = _draft(tmp_path, f"{title}政府信息公开工作年度报告\n发布日期:{published}\n")
    assert _rules(draft, "--select", "PE005") == (["PE005"] if late else [])


def test_configured_deadline_wins(tmp_path: Path) -> None:
    draft = _draft(
        tmp_path, "某某县人民政府2024年政府信息公开工作年度报告\n发布日期:2025-03-10\n"
    )
    findings = _findings(draft, "--select", "PE005", "--publication-deadline", "02-20")
    assert [f["rule"] for f in findings] == ["PE005"]
    assert "2025-02-20" in str(findings[0]["message"])
    config = tmp_path / ".disclosure-lint.yaml"
    config.write_text('publication-deadline: "04-15"\n', encoding="utf-8")
    late = _draft(
        tmp_path,
        "某某县人民政府2024年政府信息公开工作年度报告\n发布日期:2025-04-10\n",
        "late.txt",
    )
    assert _rules(late, "--select", "PE005", "--config", str(config)) == []


def test_assumed_deadline_is_said(tmp_path: Path) -> None:
    draft = _draft(
        tmp_path, "某某2024年政府信息公开工作年度报告\n发布日期:2025-04-10\n"
    )
    (finding,) = _findings(draft, "--select", "PE005", "--lang", "en")
    assert "was assumed" in str(finding["message"])


# --------------------------------------------------------------------------
# Item 3: a report on a year before the national format

_OLD_REPORT = (
    "某某县教育局2017年政府信息公开工作年度报告\n"
    "本报告所列数据的统计期限自2017年1月1日起至2017年12月31日止。\n"
    "一、概述\n全年主动公开信息120条。\n"
    "二、主动公开政府信息情况\n（一）公开内容\n全年发布文件12件。\n"
    "三、依申请公开政府信息情况\n全年收到申请3件，均已按时答复。\n"
    "四、政府信息公开的收费及减免情况\n未收取费用。\n"
    "五、存在的主要问题和改进措施\n公开的及时性有待提高。\n"
    "发布日期:2018-03-20\n"
)


def test_report_before_2019_gets_one_finding_and_no_cascade(tmp_path: Path) -> None:
    draft = _draft(tmp_path, _OLD_REPORT)
    findings = _findings(draft)
    rules = [f["rule"] for f in findings]
    assert rules.count("ST013") == 1
    cascade = [r for r in rules if r.startswith(("TB", "CS", "ST")) and r != "ST013"]
    assert cascade == []
    # NOTE: published 2018-03-20 by a department: in time under the old 条例
    assert "PE005" not in rules
    (scope,) = [f for f in findings if f["rule"] == "ST013"]
    assert scope["line"] == 1
    assert "2017" in str(scope["message"]) and "PE001" in str(scope["message"])


def test_old_report_still_gets_its_text_checks(tmp_path: Path) -> None:
    draft = _draft(
        tmp_path, _OLD_REPORT.replace("未收取费用", "截止2017年底未收取费用")
    )
    assert "TY003" in _rules(draft)


def test_edition_given_checks_an_old_report_against_it(tmp_path: Path) -> None:
    draft = _draft(tmp_path, _OLD_REPORT)
    rules = _rules(draft, "--edition", "2019")
    assert "ST013" not in rules
    assert "TB001" in rules


def test_2019_report_is_in_scope(tmp_path: Path) -> None:
    draft = _draft(
        tmp_path, _OLD_REPORT.replace("2017", "2019").replace("2018", "2020")
    )
    rules = _rules(draft)
    assert "ST013" not in rules
    assert "TB001" in rules


# --------------------------------------------------------------------------
# Item 1: headings not at a line start, headings matched to the wrong section


def test_heading_after_a_sentence_on_its_line_is_found(tmp_path: Path) -> None:
    draft = _draft(tmp_path, _MID_LINE)
    findings = _findings(draft, "--select", "ST003,ST004,ST005,ST007,ST009")
    assert findings == []


def test_mid_line_heading_is_located_exactly(tmp_path: Path) -> None:
    # NOTE: section 二 left empty, so ST009 points at its heading
    draft = _draft(tmp_path, _MID_LINE.replace("全年发布文件12件。\n", ""))
    findings = _findings(draft, "--select", "ST009")
    assert [(f["line"], f["column"], f["end_column"]) for f in findings] == [
        (4, 10, 22)
    ]


def test_numbered_item_like_a_heading_is_no_second_section(tmp_path: Path) -> None:
    draft = _draft(tmp_path, _MID_LINE)
    assert _rules(draft, "--select", "ST006,ST007,ST008,TY102") == []


_MID_LINE = (
    "某某县人民政府2024年政府信息公开工作年度报告\n"
    "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。\n"
    "一、总体情况\n全年工作情况如下。二、主动公开政府信息情况\n全年发布文件12件。\n"
    "三、收到和处理政府信息公开申请情况\n"
    "全年收到申请3件。四、政府信息公开行政复议、行政诉讼情况\n无。\n"
    "五、存在的主要问题及改进情况\n一、加强政府信息公开\n二是完善制度。\n"
    "六、其他需要报告的事项\n无。\n"
)


# --------------------------------------------------------------------------
# Period wording: 截至目前 in an annual report


def test_as_of_now_is_an_info_finding(tmp_path: Path) -> None:
    draft = _draft(
        tmp_path,
        "某镇2024年政府信息公开工作年度报告\n截至目前，全镇共有新媒体 5 个。\n"
        "截至2024年底，共有网站1个。目前已覆盖2个语种。\n",
    )
    findings = _findings(draft, "--select", "PE006")
    assert [(f["line"], f["column"], f["severity"]) for f in findings] == [
        (2, 1, "info")
    ]


def test_as_of_now_in_the_real_pdf() -> None:
    assert _rules(REAL / "huaian-2024.pdf", "--select", "PE006") == ["PE006"]


def test_cover_line_before_the_title_is_one_info(tmp_path: Path) -> None:
    draft = _draft(
        tmp_path,
        "\n正文\n2025 年某某市人民政府办公厅政府信息公开\n工作年度报告\n一、总体情况\n",
    )
    findings = _findings(draft, "--select", "FM108,ST001,ST002")
    assert [(f["rule"], f["line"], f["column"], f["severity"]) for f in findings] == [
        ("FM108", 2, 1, "info")
    ]


def test_bold_markdown_title_and_headings_from_a_converter(tmp_path: Path) -> None:
    body = "".join(f"**{h}**\n\n无。\n\n" for h in OFFICIAL_SECTIONS)
    draft = _draft(
        tmp_path,
        "**某某县人民政府2024年政府信息公开工作年度报告**\n\n" + body,
        "draft.md",
    )
    findings = _findings(draft, "--select", "ST001,ST002,ST003,ST009")
    assert findings == []
    (overview,) = _findings(draft, "--select", "ST012")
    # NOTE: the heading's span leaves out the bold marks around it
    assert (overview["line"], overview["column"], overview["end_column"]) == (3, 3, 9)


@pytest.mark.parametrize(
    "pairs", [[["《", "》"]], [["《", "》"], ["《", "〉"]]], ids=["pairwise", "shared"]
)
def test_both_pairing_paths_join_a_wrap_and_a_page_footer(pairs) -> None:
    from disclosure_lint.kinds.paired_punctuation import (
        _independent_strays,
        _line_strays,
        prepare,
    )

    footer = r"^\s*[-—–－]{1,3}\s*\d{1,4}\s*[-—–－]{1,3}\s*\Z"
    prepared = prepare({"pairs": pairs, "page_footer": footer})
    text = "根据《规\n— 2 —\n定》和《关\n于》编制。\n\n坚持》多余\n"
    if prepared.independent:
        strays = _independent_strays(text, prepared.closing, prepared.footer)
    else:
        strays = list(_line_strays(text, prepared))
    assert [text[:at].count("\n") + 1 for at in strays] == [6]
