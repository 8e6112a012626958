"""Command-line contracts of issue 10 ("Hardening"): options, messages, docs.

Every case runs the real ``disclosure-lint`` (``python -m disclosure_lint``)
in a subprocess, as a user or a CI job would, and checks the exit code and
the exact text it prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import textwrap
from pathlib import Path

import pytest

from disclosure_lint.cli import run as run_module
from disclosure_lint.engine.parallel import default_jobs
from disclosure_lint.packs.load import load_packset

from .conftest import EXAMPLES
from .conftest import CliResult as Run
from .conftest import run_module as run

CLEAN = EXAMPLES / "clean-2021.txt"
DEFECTS = EXAMPLES / "defects-2021.txt"
# The one unlabelled row of table 四 in CLEAN: fifteen values, one per column.
REVIEW_ROW = "1\t0\t0\t0\t1\t0\t0\t0\t1\t1\t0\t0\t0\t0\t0\n"
CJK = re.compile(r"[\u4e00-\u9fff]")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def clean_with_review_row(tmp_path: Path, row: str, name: str = "draft.txt") -> Path:
    text = CLEAN.read_text(encoding="utf-8")
    assert text.count(REVIEW_ROW) == 1
    return write(tmp_path / name, text.replace(REVIEW_ROW, row))


def one_error_line(result: Run) -> str:
    assert result.code == 2, result
    assert result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


# --------------------------------------------------------------------------
# 8. unknown rule ids on the command line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--select", "TY03"],
            "disclosure-lint: error: 'TY03' in --select matches no rule "
            "(did you mean 'TY003'?)",
        ),
        (
            ["--ignore", "TY003,kown-typo"],
            "disclosure-lint: error: 'kown-typo' in --ignore matches no rule "
            "(did you mean 'known-typo'?)",
        ),
        (
            ["--select", "typo", "--ignore", "tpyo"],
            "disclosure-lint: error: 'tpyo' in --ignore matches no rule "
            "(did you mean 'typo'?)",
        ),
    ],
)
def test_unknown_rule_on_the_command_line_is_an_error(args, message) -> None:
    assert one_error_line(run(CLEAN, *args)) == message


def test_every_form_of_rule_selector_is_accepted() -> None:
    result = run(DEFECTS, "--select", "TY,typo,known-typo,FM001,ALL", "--ignore", "WV")
    assert result.code == 1, result.err
    assert result.err == ""


def test_a_rule_of_a_pack_configured_for_one_directory_only(tmp_path) -> None:
    # FM901 exists only under `local/` (its configuration loads the pack);
    # selecting it for a batch over both directories is no typo.
    pack = tmp_path / "local" / "rules" / "team"
    write(
        pack / "pack.yaml",
        "name: team\nextends: [gov-annual-2021]\nedition: '2021'\n"
        "years: {from: 2021}\n",
    )
    write(
        pack / "FM901.yaml",
        textwrap.dedent(
            """\
            id: FM901
            name: no-draft-marker
            kind: pattern
            category: format
            severity: error
            summary: 草稿标记
            message: {zh: 删除“草稿”, en: delete 草稿}
            source: test
            params: {pattern: 草稿}
            """
        ),
    )
    write(tmp_path / "local" / ".disclosure-lint.yaml", "packs: [./rules]\n")
    write(tmp_path / "local" / "a.txt", "草稿\n")
    write(tmp_path / "other" / "b.txt", "草稿\n")
    result = run(
        "local", "other", "--select", "FM901", "--no-show-source", cwd=tmp_path
    )
    assert result.err == ""
    assert result.out.splitlines()[0] == "local/a.txt:1:1: error FM901 删除“草稿”"
    assert result.code == 1


# --------------------------------------------------------------------------
# 9. --year / year: drive every rule


@pytest.mark.parametrize("year", [2020, 2022])
def test_given_year_is_the_report_year_of_the_period_rules(year) -> None:
    result = run(
        CLEAN.name, "--year", year, "--select", "PE", "--no-show-source", cwd=EXAMPLES
    )
    assert result.out.splitlines()[0] == (
        f"clean-2021.txt:3:86: error PE002 统计期限写的是2021年，而报告年度是{year}年"
    )
    assert result.code == 1


def test_year_in_a_configuration_file_is_the_report_year(tmp_path) -> None:
    write(tmp_path / ".disclosure-lint.yaml", "year: 2022\nlang: en\n")
    draft = write(tmp_path / "draft.txt", CLEAN.read_text(encoding="utf-8"))
    result = run(draft.name, "--select", "PE002", "--no-show-source", cwd=tmp_path)
    assert result.out.splitlines()[0] == (
        "draft.txt:3:86: error PE002 the statistics period names 2021 "
        "but the report is for 2022"
    )


# --------------------------------------------------------------------------
# 12. extract: a row the linter cannot place is not exported as numbers


@pytest.mark.parametrize(
    ("row", "raw", "message"),
    [
        (
            REVIEW_ROW.replace("\n", "\t7\n"),
            REVIEW_ROW.replace("\n", "\t7"),
            "一行有16个数值，表格只有15列",
        ),
        ("5\t\t\t\t\t\n", "5\t\t\t\t\t", "一行只有1个数值和5个空单元格"),
    ],
)
def test_extract_marks_an_unplaceable_row_ambiguous(tmp_path, row, raw, message):
    draft = clean_with_review_row(tmp_path, row)
    lint = run(draft, "--select", "TB007", "--no-show-source")
    assert message in lint.out
    data = json.loads(run("extract", draft).out)
    review = [c for c in data["cells"] if c["table"] == "review"]
    assert len(review) == 15
    assert {c["status"] for c in review} == {"ambiguous"}
    assert {c["value"] for c in review} == {None}
    assert {(c["line"], c["col"], c["raw"]) for c in review} == {(75, 1, raw)}
    # the other tables are still exported as read
    others = [c for c in data["cells"] if c["table"] != "review"]
    assert others and {c["status"] for c in others} == {"number"}
    rows = csv.DictReader(io.StringIO(run("extract", draft, "-f", "csv").out))
    csv_review = [r for r in rows if r["table"] == "review"]
    assert len(csv_review) == 15
    assert {(r["status"], r["value"], r["raw"]) for r in csv_review} == {
        ("ambiguous", "", raw)
    }


# --------------------------------------------------------------------------
# 16. -j is capped


def test_worker_count_is_capped_by_files_and_cores() -> None:
    worker_count = run_module.worker_count
    cores = default_jobs()
    assert worker_count(2000, 1400) == min(1400, cores * 2)
    assert worker_count(None, 1400) == cores
    assert worker_count(8, 3) <= 3
    assert worker_count(None, 1) == 1
    assert worker_count(1, 1400) == 1


def test_a_capped_jobs_option_says_so_once(tmp_path) -> None:
    cap = default_jobs() * 2
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path / name, DEFECTS.read_text(encoding="utf-8"))
    many = run(tmp_path, "-j", 500, "--no-show-source")
    one = run(tmp_path, "-j", 1, "--no-show-source")
    assert many.out == one.out
    assert many.err == (
        f"disclosure-lint: note: -j 500 lowered to {cap} "
        "(2 per core; more would only slow the run down)\n"
    )
    assert run(tmp_path, "-j", 500, "-q").err == ""
    assert run(tmp_path, "-j", cap).err == ""


# --------------------------------------------------------------------------
# 17c. messages that say what they mean; paths; the run's language


def test_period_message_without_a_year_names_no_empty_year(tmp_path) -> None:
    draft = write(
        tmp_path / "draft.txt", "某镇政府信息公开工作年度报告\n一、总体情况\n"
    )
    zh = run(draft, "--select", "PE001").out
    assert "自年" not in zh and "至年" not in zh
    assert "统计期限自X年1月1日起至X年12月31日止”（X为报告年度）" in zh
    en = run(draft, "--select", "PE001", "--lang", "en").out
    assert '自X年1月1日起至X年12月31日止" (X: the report year)' in en


def test_edition_message_without_a_year_names_no_empty_year(tmp_path) -> None:
    text = CLEAN.read_text(encoding="utf-8")
    text = re.sub(r"(?<!\d)20(?:19|2\d)年", "当年", text)
    draft = write(tmp_path / "draft.txt", text)
    result = run(draft, "--select", "FM", "--edition", "2019", "--no-show-source")
    (line,) = [x for x in result.out.splitlines() if " FM102 " in x]
    assert " FM102 未能确定报告年度；按2019年版（试行）格式" in line
    assert " FM102 年度" not in line


def test_value_count_message_counts_values_and_empty_cells(tmp_path) -> None:
    draft = clean_with_review_row(tmp_path, "5\t\t\t\t\t\n")
    result = run(draft, "--select", "TB007", "--lang", "en", "--no-show-source")
    assert result.out.splitlines()[0].endswith(
        "has only 1 value(s) and 5 empty cell(s) for 15 columns; "
        "which column each belongs to is unclear"
    )


@pytest.mark.parametrize(
    "body", ["selct: [TY]\n", "select: [TY\n", "select: [TY03]\n", "year: 1800\n"]
)
def test_configuration_errors_name_the_file_relative_to_the_cwd(tmp_path, body) -> None:
    write(tmp_path / ".disclosure-lint.yaml", body)
    draft = write(tmp_path / "sub" / "draft.txt", CLEAN.read_text(encoding="utf-8"))
    below = one_error_line(run("sub/draft.txt", cwd=tmp_path))
    above = one_error_line(run(draft.name, cwd=draft.parent))
    assert below.startswith("disclosure-lint: error: .disclosure-lint.yaml:")
    assert above.startswith("disclosure-lint: error: ../.disclosure-lint.yaml:")
    assert above.replace("../", "", 1) == below


def test_run_text_follows_the_first_path_configuration(tmp_path) -> None:
    # The walk meets a/ first, whose configuration says zh; the closing line
    # follows the configuration of the PATH given (en), as `config` shows it.
    write(tmp_path / "reports" / ".disclosure-lint.yaml", "lang: en\n")
    write(tmp_path / "reports" / "a" / ".disclosure-lint.yaml", "lang: zh\n")
    for sub in ("a", "b"):
        write(tmp_path / "reports" / sub / "d.txt", DEFECTS.read_text("utf-8"))
    result = run("reports", "--select", "TY003", "--no-show-source", cwd=tmp_path)
    lines = result.out.splitlines()
    assert "“截止”后接时间点时应为“截至”" in lines[0]  # a/: zh findings
    assert "write 截至" in lines[-2]  # b/: en findings
    assert lines[-1].startswith("Found 2 problem(s) in 2 file(s)")
    forced = run("reports", "--select", "TY003", "--lang", "zh", cwd=tmp_path)
    assert forced.out.splitlines()[-1].startswith("共发现 2 个问题（2 个文件）")
    shown = run("config", "reports", cwd=tmp_path).out
    assert "lang:" in shown and '"en"' in shown.split("lang:")[1].splitlines()[0]


# --------------------------------------------------------------------------
# 18b. report years out of range or before the formats


@pytest.mark.parametrize("command", [[], ["extract"]])
@pytest.mark.parametrize("year", [1999, 2007, dt.date.today().year + 2])
def test_year_out_of_range_is_refused(command, year) -> None:
    line = one_error_line(run(*command, CLEAN, "--year", year))
    last = dt.date.today().year + 1
    assert line == (
        f"disclosure-lint: error: --year {year} is out of range: report years run "
        f"from 2008 (when the 条例 took effect) to {last}"
    )


@pytest.mark.parametrize("command", [[], ["extract"]])
@pytest.mark.parametrize("edition", [[], ["--edition", "2019"]])
def test_a_year_before_the_formats_is_accepted(command, edition) -> None:
    # NOTE: no national format before 2019: the draft gets one ST013 (no
    # cascade) unless an edition is given, which checks it against that.
    done = run(*command, CLEAN, "--year", 2015, *edition)
    assert done.code in (0, 1), done.err
    assert done.err == ""
    if not command:
        assert ("ST013" in done.out) is (not edition)


def test_a_year_before_the_formats_in_a_configuration_is_accepted(tmp_path):
    write(tmp_path / ".disclosure-lint.yaml", "lang: en\nyear: 2012\n")
    write(tmp_path / "draft.txt", CLEAN.read_text(encoding="utf-8"))
    done = run("draft.txt", cwd=tmp_path)
    assert done.err == ""
    assert "ST013" in done.out and "a report on 2012" in done.out
    assert "ST003" not in done.out and "TB0" not in done.out


def test_an_unknown_edition_is_one_error_for_the_whole_batch() -> None:
    line = one_error_line(run(CLEAN, DEFECTS, "--edition", "2020"))
    assert line == (
        "disclosure-lint: error: --edition: unknown edition '2020' (known: 2021, 2019)"
    )


@pytest.mark.parametrize("year", [2008, 2018, 2019, 2020, 2021])
def test_every_draft_year_gets_the_nearest_edition(year) -> None:
    # A draft's own title may name any year (a scope finding is for later):
    # before 2019 the oldest edition applies, as before.
    packset = load_packset()
    expected = "2019" if year <= 2020 else "2021"
    pack = packset.for_year(year)
    assert pack is not None and pack.edition == expected


# --------------------------------------------------------------------------
# 20. explain in Chinese


def test_explain_in_chinese_renders_the_examples() -> None:
    result = run("explain", "TB007")
    assert result.code == 0, result.err
    out = result.out
    assert "{%" not in out and "{{" not in out
    assert "four values, then two" not in out  # the example names are English
    assert "A value too many" not in out
    assert "理由：\n  多一个或少一个数值，会使其后的每个数值错入别的列" in out
    assert "示例 2（报告年度 2021）：2 个问题" in out
    assert "  → 3:10 TB007 “规章”一行有4个数值，表格只有3列" in out
    assert "  → 4:1 TB007 “行政规范性文件”一行只有2个数值，表格有3列" in out


def test_explain_in_english_renders_the_examples() -> None:
    out = run("explain", "PE002", "--lang", "en").out
    assert "Rationale:\n  A period copied from last year's report" in out
    assert "Example 2 (last year's period left in): 1 finding(s)" in out
    assert (
        "  → 2:9 PE002 the statistics period names 2020 but the report is for 2021"
        in out
    )
    assert "{{" not in out


def test_every_rule_explains_itself_in_chinese_without_templates() -> None:
    packset = load_packset()
    from disclosure_lint.cli.docs import explain_rule

    for rule in packset.all_rules():
        assert CJK.search(rule.rationale), f"{rule.id}: rationale not in Chinese"
        assert re.search("[A-Za-z]{4} [a-z]{2,}", rule.rationale_en), rule.id
        text = explain_rule(rule, "zh", packset)
        assert "{{" not in text and "{%" not in text, rule.id
        assert rule.rationale_en not in text, rule.id


# --------------------------------------------------------------------------
# 21. a clean run says so; --quiet


def test_a_clean_run_prints_a_closing_line() -> None:
    assert run(CLEAN).out == "未发现问题（1 个文件）。\n"
    assert run(CLEAN, "--lang", "en").out == "No problems found in 1 file(s).\n"
    quiet = run(CLEAN, "-q")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    assert run(CLEAN, "--quiet").out == ""


def test_unreadable_files_are_counted_apart(tmp_path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00binary")
    result = run(CLEAN, bad)
    assert result.code == 2
    assert result.out == "未发现问题（1 个文件）。1 个文件出错（见错误信息）。\n"
    assert result.err.count("\n") == 1 and "bad.txt: error: binary file" in result.err
    en = run(bad, "--lang", "en")
    assert en.out == "1 file(s) had errors (see the error messages).\n"
    found = run(DEFECTS, bad, "--lang", "en", "--no-show-source")
    assert found.out.splitlines()[-1].startswith("Found ")
    assert found.out.splitlines()[-1].endswith(
        " 1 file(s) had errors (see the error messages)."
    )
    assert " in 1 file(s): " in found.out.splitlines()[-1]


def test_quiet_prints_the_findings_only(tmp_path) -> None:
    full = run(DEFECTS, "--no-show-source")
    quiet = run(DEFECTS, "--no-show-source", "-q")
    assert quiet.code == full.code == 1
    assert quiet.out.splitlines() == full.out.splitlines()[:-1]
    assert full.out.splitlines()[-1].startswith("共发现 ")
    draft = write(tmp_path / "d.txt", DEFECTS.read_text(encoding="utf-8"))
    diff = run(draft, "--diff", "-q")
    assert diff.out.startswith("---") and diff.err == ""
    assert run(draft, "--diff").err.startswith("可自动修复 ")


def test_fixing_everything_says_so(tmp_path) -> None:
    draft = write(tmp_path / "d.txt", DEFECTS.read_text(encoding="utf-8"))
    result = run(draft.name, "--select", "TY003", "--fix", cwd=tmp_path)
    assert result.code == 0, result.out
    assert result.out == "已修复 1 个问题，未发现其他问题（1 个文件）。\n"
    assert "截至2021年" in draft.read_text(encoding="utf-8")
