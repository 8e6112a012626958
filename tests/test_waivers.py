"""Waivers: matching by rule, file and text; WV001/WV002; `waive`."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from disclosure_lint.waivers import WAIVER_NAME, read_waivers

# TY003 on line 2 (column 5), TY001 on line 3; nothing else is selected.
DRAFT = (
    "某镇2021年政府信息公开工作年度报告\n今年工作截止2021年底完成。\n前面做好宣传。\n"
)
ONLY = ("--select", "TY003,TY001,WV", "--format", "json")


@pytest.fixture
def project(tmp_path) -> Iterator[Path]:
    # NOTE: not monkeypatch.chdir: the cli fixture undoes that monkeypatch.
    with contextlib.chdir(tmp_path):
        (tmp_path / "drafts").mkdir()
        (tmp_path / "drafts" / "r.txt").write_text(DRAFT, encoding="utf-8")
        yield tmp_path


def _waivers(path: Path, body: str) -> Path:
    target = path / WAIVER_NAME
    target.write_text("waivers:\n" + body, encoding="utf-8")
    return target


def _findings(out: str) -> list[str]:
    data = json.loads(out)
    return [
        f"{Path(f['path']).name}:{f['line']}:{f['column']} {f['rule']}"
        for f in data["findings"]
    ]


def test_waived_finding_is_not_reported(cli, project) -> None:
    _waivers(
        project,
        "  - rule: TY003\n"
        "    file: drafts/r.txt\n"
        "    text: 截止2021年底\n"
        "    reason: 引用原文\n",
    )
    result = cli("drafts", *ONLY)
    assert _findings(result.out) == ["r.txt:3:1 TY001"]


def test_text_may_be_part_of_the_line_and_survives_edits_above(cli, project) -> None:
    _waivers(
        project,
        "  - {rule: jiezhi-before-time-point, file: drafts/r.txt, "
        "text: 今年工作, reason: 原文}\n",
    )
    draft = project / "drafts" / "r.txt"
    draft.write_text(DRAFT.replace("\n", "\n新增一行。\n", 1), encoding="utf-8")
    assert _findings(cli("drafts", *ONLY).out) == ["r.txt:4:1 TY001"]


def test_text_not_on_the_line_does_not_waive(cli, project) -> None:
    _waivers(
        project,
        "  - {rule: TY003, file: drafts/r.txt, text: 前面做好, reason: x}\n",
    )
    assert _findings(cli("drafts", *ONLY).out) == [
        "r.txt:2:5 TY003",
        "r.txt:3:1 TY001",
        f"{WAIVER_NAME}:2:5 WV002",
    ]


def test_expired_waiver_reports_the_finding_and_wv001(cli, project) -> None:
    _waivers(
        project,
        "  - rule: TY003\n"
        "    file: drafts/r.txt\n"
        "    text: 截止\n"
        "    reason: 临时\n"
        "    expires: 2000-01-31\n"
        "  - {rule: TY001, file: drafts/r.txt, text: 前面, reason: x, "
        "expires: 2999-12-31}\n",
    )
    result = cli("drafts", *ONLY, "--lang", "en")
    assert _findings(result.out) == ["r.txt:2:5 TY003", f"{WAIVER_NAME}:6:14 WV001"]
    message = json.loads(result.out)["findings"][1]["message"]
    assert message.startswith("waiver expired on 2000-01-31: TY003")
    assert result.code == 0  # WV001 is a warning


def test_unused_waivers(cli, project) -> None:
    (project / "other.txt").write_text(DRAFT, encoding="utf-8")
    _waivers(
        project,
        "  - {rule: TY001, file: drafts/r.txt, text: 没有这句, reason: x}\n"
        "  - {rule: TY001, file: other.txt, text: 没有这句, reason: x}\n"
        "  - {rule: TY001, file: gone.txt, text: 前面, reason: x}\n"
        "  - {rule: ST003, file: drafts/r.txt, text: 前面, reason: x}\n",
    )
    result = cli("drafts", *ONLY)
    # other.txt was not checked; ST003 did not run; gone.txt no longer exists
    assert _findings(result.out)[-2:] == [
        f"{WAIVER_NAME}:2:5 WV002",
        f"{WAIVER_NAME}:4:5 WV002",
    ]
    gone = json.loads(result.out)["findings"][-1]["message"]
    assert "gone.txt 不存在" in gone
    ignored = cli(
        "drafts", "--select", "TY003,TY001", "--ignore", "WV002", "-f", "json"
    )
    assert "WV002" not in ignored.out


def test_forced_and_isolated(cli, project) -> None:
    elsewhere = project / "review"
    elsewhere.mkdir()
    _waivers(
        elsewhere, "  - {rule: TY001, file: ../drafts/r.txt, text: 前面, reason: x}\n"
    )
    forced = cli("drafts", *ONLY, "--waivers", elsewhere / WAIVER_NAME)
    assert _findings(forced.out) == ["r.txt:2:5 TY003"]
    _waivers(project, "  - {rule: TY003, file: drafts/r.txt, text: 截止, reason: x}\n")
    assert _findings(cli("drafts", *ONLY).out) == ["r.txt:3:1 TY001"]
    assert len(_findings(cli("drafts", *ONLY, "--isolated").out)) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "  - {rul: TY003, file: a, text: b, reason: c}\n",
            ":2:6: unknown key 'rul' (did you mean 'rule'?)",
        ),
        ("  - {rule: TY003, file: a, text: b}\n", ":2:5: waiver needs 'reason'"),
        (
            "  - {rule: TY003, file: a, text: b, reason: c, expires: soon}\n",
            ":2:57: 'expires' must be a date YYYY-MM-DD",
        ),
        (
            "  - {rule: TY003, file: a, text: b, reason: ''}\n",
            ":2:45: 'reason' must be a",
        ),
        ("  oops\n", ":2:3: 'waivers' must be a list"),
    ],
)
def test_bad_waiver_file_exits_2(cli, project, body, message) -> None:
    _waivers(project, body)
    result = cli("drafts", *ONLY)
    assert result.code == 2
    assert f"{WAIVER_NAME}{message}" in result.err
    assert result.out == ""


def test_unknown_top_level_key_suggests(cli, project) -> None:
    (project / WAIVER_NAME).write_text("waiver:\n  - {}\n", encoding="utf-8")
    result = cli("drafts", *ONLY)
    assert "unknown key 'waiver' (did you mean 'waivers'?)" in result.err


def test_waive_appends_one_entry_per_finding(cli, project) -> None:
    _waivers(project, "  # reviewed by the office\n")
    result = cli(
        "waive",
        "drafts/r.txt",
        "--reason",
        "引用上级文件原文",
        "--rule",
        "TY003",
        "--rule",
        "TY001",
        "--expires",
        "2999-06-30",
    )
    assert result.code == 0, result.err
    assert result.out == f"{WAIVER_NAME}: added 2 waiver(s)\n"
    text = (project / WAIVER_NAME).read_text(encoding="utf-8")
    assert "# reviewed by the office" in text
    entries = read_waivers(project / WAIVER_NAME).waivers
    assert [(w.rule, w.file, w.text, w.reason) for w in entries] == [
        ("TY003", "drafts/r.txt", "截止", "引用上级文件原文"),
        ("TY001", "drafts/r.txt", "前面做好", "引用上级文件原文"),
    ]
    assert {str(w.expires) for w in entries} == {"2999-06-30"}
    assert "&id" not in text  # one date per entry, no YAML aliases
    # everything is waived now; waiving again adds nothing
    assert _findings(cli("drafts", *ONLY).out) == []
    again = cli("waive", "drafts/r.txt", "--reason", "x", "--rule", "TY")
    assert again.out == "no findings to waive\n"


def test_waive_creates_the_file_and_validates_options(cli, project) -> None:
    assert cli("waive", "drafts/r.txt", "--reason", " ").code == 2
    assert cli("waive", "drafts/r.txt", "--reason", "x", "--expires", "31/12").code == 2
    bad_rule = cli("waive", "drafts/r.txt", "--reason", "x", "--rule", "TY03")
    assert bad_rule.code == 2
    assert "did you mean 'TY003'?" in bad_rule.err
    assert not (project / WAIVER_NAME).exists()
    ok = cli("waive", "drafts/r.txt", "--reason", "x", "--rule", "known-typo")
    assert ok.code == 0
    text = (project / WAIVER_NAME).read_text(encoding="utf-8")
    assert text.startswith("# Findings a reviewer accepted")
    assert "rule: TY001" in text


def test_waive_into_a_new_named_file(cli, project) -> None:
    target = project / "review" / "accepted.yaml"
    target.parent.mkdir()
    assert cli("drafts", *ONLY, "--waivers", target).code == 2  # check: must exist
    result = cli("waive", "drafts/r.txt", "--reason", "x", "--waivers", target)
    assert result.code == 0, result.err
    assert "file: ../drafts/r.txt" in target.read_text(encoding="utf-8")
    assert _findings(cli("drafts", *ONLY, "--waivers", target).out) == []
