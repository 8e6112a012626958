"""Crawled one-line text: headings and tables inside long lines, digits split.

A crawler's text rendering of a report page puts the whole report on one
line, with table cells run together (``21710000218`` = 217, 1, 0, 0, 0, 0,
218). The drafts here are built from ``examples/clean-2021.txt`` the way a
crawler loses the layout (lines joined, cell separators dropped) and checked
through the real CLI against the same draft in its normal layout: the same
cells, exact places in the file, the splits reported as information, a
guess never taken for a value, and ``--fix`` refused.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import OFFICIAL_SECTIONS

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean-2021.txt"
# The review table's row with multi-digit numbers (groups 15 = 12+0+3+0, …).
REVIEW_ROW = "1\t0\t0\t0\t1\t0\t0\t0\t1\t1\t0\t0\t0\t0\t0"
REVIEW_WIDE = "12\t0\t3\t0\t15\t0\t0\t0\t1\t1\t10\t2\t0\t0\t12"
HEADER = (
    "标题: 青山镇人民政府2021年政府信息公开工作年度报告\n"
    "发布时间: 2022-01-20 09:30\n"
    "发布机构: 青山镇人民政府\n"
    "原文链接: https://example.gov.cn/xxgk/2022/0120.htm\n"
    "==================== 正文 ====================\n"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def findings(path: Path) -> list[dict[str, Any]]:
    done = run("--format", "json", str(path))
    assert done.returncode in (0, 1), done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)["findings"]
    return found


def cells(path: Path) -> dict[tuple[str, str, str], Any]:
    done = run("extract", "--format", "json", str(path))
    assert done.returncode == 0, done.stderr
    return {
        (c["table"], c["row"], c["column"]): (c["status"], c.get("value"))
        for c in json.loads(done.stdout)["cells"]
    }


def crawled(text: str) -> str:
    """``text`` as a crawler saves it: the title, then the body on one line."""
    title, body = text.split("\n", 1)
    return title + "\n" + body.replace("\t", "").replace("\n", "") + "\n"


@pytest.fixture
def drafts(tmp_path: Path) -> tuple[Path, Path]:
    """The clean example with a multi-digit review row: normal and crawled."""
    text = CLEAN.read_text("utf-8")
    assert REVIEW_ROW in text
    text = text.replace(REVIEW_ROW, REVIEW_WIDE)
    normal = tmp_path / "normal.txt"
    normal.write_text(text, "utf-8")
    one_line = tmp_path / "crawled.txt"
    one_line.write_text(crawled(text), "utf-8")
    return normal, one_line


def test_crawled_draft_reads_every_cell_as_the_normal_layout(drafts) -> None:
    normal, one_line = drafts
    want = cells(normal)
    assert want and all(status == "number" for status, _ in want.values())
    assert cells(one_line) == want


def test_crawled_draft_has_the_findings_of_the_normal_layout_plus_info(
    drafts,
) -> None:
    normal, one_line = drafts
    base = sorted(f["rule"] for f in findings(normal))
    found = findings(one_line)
    recovered = ("TB013", "FM107")
    assert sorted(f["rule"] for f in found if f["rule"] not in recovered) == base
    assert [f["rule"] for f in found].count("FM107") == 1
    assert not any(f["rule"] in ("ST003", "TB001", "TB002", "TB008") for f in found)
    review = [f for f in found if "1203015000111020012" in f["message"]]
    assert len(review) == 1 and review[0]["severity"] == "info"
    assert "12、0、3、0、15、0、0、0、1、1、10、2、0、0、12" in review[0]["message"]


def test_crawled_page_that_kept_blanks_between_cells(tmp_path: Path) -> None:
    """No digits run together: found by the headings the outline misses."""
    text = CLEAN.read_text("utf-8")
    title, body = text.split("\n", 1)
    path = tmp_path / "spaced.txt"
    path.write_text(title + "\n" + re.sub(r"\t+", " ", body).replace("\n", ""), "utf-8")
    assert cells(path) == cells(CLEAN)
    found = findings(path)
    assert [f["rule"] for f in found] == ["FM107"]


def test_findings_point_at_the_digits_in_the_file(drafts) -> None:
    _, one_line = drafts
    lines = one_line.read_text("utf-8").split("\n")
    split = [f for f in findings(one_line) if f["rule"] == "TB013"]
    # one finding for the draft (one cause), at its first split row, naming
    # how many rows of how many tables were split, with its longest run
    assert len(split) == 1
    (finding,) = split
    assert "3个表格共28行" in finding["message"]
    where = finding["location"]
    assert where["line"] == where["end_line"] == 2
    text = lines[1][where["column"] - 1 : where["end_column"] - 1]
    assert re.fullmatch(r"\d+", text), text
    shown = re.search(r"一行的“(\d+)”读作", finding["message"])
    assert shown is not None and shown[1] in lines[1]
    assert len(shown[1]) == max(len(run) for run in re.findall(r"\d+", lines[1]))


@pytest.mark.parametrize("heading_alone", [True, False])
def test_one_line_per_section(tmp_path: Path, heading_alone: bool) -> None:
    """A partial layout: each section on a line of its own (or two)."""
    text = CLEAN.read_text("utf-8")
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if line in OFFICIAL_SECTIONS:
            out.append("\n" + line + ("\n" if heading_alone else ""))
        else:
            out.append(line.replace("\t", ""))
    path = tmp_path / "sections.txt"
    path.write_text("".join(out) + "\n", "utf-8")
    assert path.read_text("utf-8").count("\n") < 16
    found = findings(path)
    assert not [f for f in found if f["severity"] != "info"], found
    normal = tmp_path / "normal.txt"
    normal.write_text(text, "utf-8")
    assert cells(path) == cells(normal)


def test_render_shows_headings_and_labels_at_line_starts(drafts) -> None:
    _, one_line = drafts
    done = run("render", "--plain", str(one_line))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    for heading in (
        "一、总体情况",
        "三、收到和处理政府信息公开申请情况",
        "六、其他需要报告的事项",
    ):
        assert heading in lines
    assert "行政规范性文件" in lines and "215" in lines
    # NOTE: only line breaks were added.
    assert done.stdout.replace("\n", "") == one_line.read_text("utf-8").replace(
        "\n", ""
    )


def test_a_normal_draft_is_not_reflowed() -> None:
    done = run("render", "--plain", str(CLEAN))
    assert done.stdout == CLEAN.read_text("utf-8")


def test_fix_is_refused_and_the_file_kept(drafts) -> None:
    _, one_line = drafts
    text = one_line.read_text("utf-8")
    # A safe fix to offer: 截止 for 截至 (TY003).
    one_line.write_text(
        text.replace("一、总体情况", "一、总体情况截止2021年底，"), "utf-8"
    )
    before = one_line.read_bytes()
    done = run("--fix", str(one_line))
    assert done.returncode == 2
    assert "not fixed" in done.stderr and "line breaks" in done.stderr
    assert one_line.read_bytes() == before


def test_ambiguous_digits_are_a_warning_never_a_value(tmp_path: Path) -> None:
    text = CLEAN.read_text("utf-8").replace(
        "行政规范性文件\t2\t1\t5", "行政规范性文件\t62\t3\t3440"
    )
    path = tmp_path / "crawled.txt"
    path.write_text(crawled(text), "utf-8")
    warned = [f for f in findings(path) if f["rule"] == "TB014"]
    assert len(warned) == 1 and warned[0]["severity"] == "warning"
    assert "6233440" in warned[0]["message"]
    read = cells(path)
    assert read[("proactive_rules", "normative", "issued")] == ("ambiguous", None)


def test_a_pathological_row_is_undecided_not_guessed(tmp_path: Path) -> None:
    row = "(七) 总计\t\t5\t2\t0\t0\t1\t0\t8"
    text = CLEAN.read_text("utf-8")
    assert row in text
    wide = "\t".join(["12345"] * 6 + ["74070"])
    path = tmp_path / "crawled.txt"
    path.write_text(crawled(text.replace(row, "(七) 总计\t\t" + wide)), "utf-8")
    found = findings(path)
    warned = [f for f in found if f["rule"] == "TB014"]
    assert len(warned) == 1 and "12345123451234512345" in warned[0]["message"]
    assert not [f for f in found if f["severity"] == "error"]
    read = cells(path)
    assert read[("applications", "total", "total")] == ("ambiguous", None)


def test_crawler_header_is_metadata(tmp_path: Path) -> None:
    _title, body = crawled(CLEAN.read_text("utf-8")).split("\n", 1)
    path = tmp_path / "crawled.txt"
    path.write_text(HEADER + body, "utf-8")
    found = findings(path)
    assert not [f for f in found if f["rule"] in ("FM002", "ST001", "ST003")]
    assert not [f for f in found if f["severity"] == "error"]


def test_split_search_is_bounded_and_never_guesses() -> None:
    from disclosure_lint.tables.equations import parse_equation
    from disclosure_lint.tables.split import UNDECIDED, cuts

    columns = ["a", "b", "c", "total"]
    equation = [parse_equation("total == a + b + c")]
    # 10 + 0 + 0 = 10; 1, 0, 0, 010 would need a leading zero.
    assert cuts("100010", columns, equation) == [(2, 1, 1, 2)]
    assert cuts("21518", columns, equation) == []  # no cut fits: never a guess
    assert len(cuts("1111", columns[:3], [])) == 3  # no equation: several
    # A search over its budget is undecided (two empty cuts), not a value.
    budget = [10]
    assert cuts("12345671234567123456724691357", columns, equation, budget) is UNDECIDED
    assert budget == [0]
