"""Waivers: matching by rule, file and text; WV001/WV002; `waive`."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from disclosure_lint.config.waiver_file import read_waivers
from disclosure_lint.config.waiver_rules import WAIVER_NAME

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


# --------------------------------------------------------------------------
# A waiver covers the one finding it was written for (issue 10, item 2)

APPLICATIONS_ROW = 68  # 四、结转下年度继续办理 in examples/clean-2021.txt
ROW_LABEL = "\t四、结转下年度继续办理\t"


def _table_draft(project: Path, cells: str) -> Path:
    """examples/clean-2021.txt with the cells of 四、结转下年度继续办理 replaced."""
    source = Path(__file__).resolve().parent.parent / "examples" / "clean-2021.txt"
    lines = source.read_text(encoding="utf-8").split("\n")
    assert lines[APPLICATIONS_ROW - 1].startswith(ROW_LABEL)
    lines[APPLICATIONS_ROW - 1] = ROW_LABEL + "\t" + "\t".join(cells.split())
    draft = project / "drafts" / "t.txt"
    draft.write_text("\n".join(lines), encoding="utf-8")
    return draft


def _cs001(cli, *args: object) -> list[str]:
    result = cli("drafts/t.txt", "--select", "CS001,WV", "-f", "json", *args)
    return _findings(result.out)


def test_a_waiver_does_not_hide_new_findings_on_its_line(cli, project) -> None:
    _table_draft(project, "2 0 0 0 0 0 1")  # 自然人 off by one
    assert _cs001(cli) == ["t.txt:68:15 CS001"]
    waived = cli("waive", "drafts/t.txt", "--rule", "CS001", "--reason", "原表如此")
    assert waived.code == 0, waived.err
    assert _cs001(cli) == []
    # two more columns go wrong on the same line: they are new findings
    _table_draft(project, "2 1 1 0 0 0 1")
    assert _cs001(cli, "--isolated") == [
        "t.txt:68:15 CS001",
        "t.txt:68:17 CS001",
        "t.txt:68:19 CS001",
    ]
    assert _cs001(cli) == ["t.txt:68:17 CS001", "t.txt:68:19 CS001"]
    # waiving again adds exactly those two
    again = cli("waive", "drafts/t.txt", "--rule", "CS001", "--reason", "x")
    assert again.out == f"{WAIVER_NAME}: added 2 waiver(s)\n"
    assert _cs001(cli) == []


def test_a_changed_value_is_not_the_waived_finding(cli, project) -> None:
    _table_draft(project, "2 0 0 0 0 0 1")
    cli("waive", "drafts/t.txt", "--rule", "CS001", "--reason", "x")
    _table_draft(project, "3 0 0 0 0 0 1")  # the waived cell itself changed
    result = cli("drafts/t.txt", "--select", "CS001,WV", "-f", "json", "--lang", "en")
    assert _findings(result.out) == ["t.txt:68:15 CS001", f"{WAIVER_NAME}:6:5 WV002"]
    # a short text is quoted with its context
    message = json.loads(result.out)["findings"][1]["message"]
    assert 'no CS001 finding on "四、结转下年度继续办理 2 0 0 0 0 0 1"' in message


def test_an_old_entry_without_context_waives_one_finding(cli, project) -> None:
    # written before waivers stored context: still read, still waives,
    # but only one finding (the one whose flagged text is exactly its text)
    _waivers(project, "  - {rule: CS001, file: drafts/t.txt, text: '1', reason: x}\n")
    _table_draft(project, "2 1 1 0 0 0 1")
    assert _cs001(cli) == ["t.txt:68:15 CS001", "t.txt:68:19 CS001"]
    _waivers(project, "  - {rule: CS001, file: drafts/t.txt, text: 结转, reason: x}\n")
    assert _cs001(cli) == ["t.txt:68:17 CS001", "t.txt:68:19 CS001"]


def test_waive_stores_the_text_in_its_context(cli, project) -> None:
    result = cli("waive", "drafts/r.txt", "--reason", "x", "--rule", "TY003")
    assert result.code == 0, result.err
    (entry,) = read_waivers(project / WAIVER_NAME).waivers
    assert (entry.text, entry.before, entry.after) == (
        "截止",
        "今年工作",
        "2021年底完成。",
    )
    # lines added above keep it
    draft = project / "drafts" / "r.txt"
    draft.write_text(DRAFT.replace("\n", "\n新增一行。\n", 1), encoding="utf-8")
    assert _findings(cli("drafts", *ONLY).out) == ["r.txt:4:1 TY001"]
    # an edit on one side of the text keeps it; on both sides, it is new
    draft.write_text(DRAFT.replace("今年工作截止", "工作截止"), encoding="utf-8")
    assert _findings(cli("drafts", *ONLY).out) == ["r.txt:3:1 TY001"]
    draft.write_text(DRAFT.replace("工作截止2021", "事项截止2020"), encoding="utf-8")
    assert _findings(cli("drafts", *ONLY).out)[:2] == [
        "r.txt:2:5 TY003",
        "r.txt:3:1 TY001",
    ]


def test_context_is_bounded(cli, project) -> None:
    draft = project / "drafts" / "r.txt"
    line = "前文" * 15 + "截止2021年底" + "后文" * 15
    draft.write_text(
        DRAFT.replace("今年工作截止2021年底完成。", line), encoding="utf-8"
    )
    assert cli("waive", "drafts/r.txt", "--reason", "x", "--rule", "TY003").code == 0
    (entry,) = read_waivers(project / WAIVER_NAME).waivers
    assert (entry.before, entry.after) == ("前文" * 10, "2021年底" + "后文" * 7)
    # edits on both sides, beyond CONTEXT characters, keep it
    far = "首句" + line[2:-2] + "末句"
    draft.write_text(DRAFT.replace("今年工作截止2021年底完成。", far), encoding="utf-8")
    assert _findings(cli("drafts", *ONLY).out) == ["r.txt:3:1 TY001"]


def test_one_waiver_per_finding_even_when_findings_look_alike(cli, project) -> None:
    draft = project / "drafts" / "r.txt"
    draft.write_text(DRAFT + "今年工作截止2021年底完成。\n", encoding="utf-8")
    result = cli("waive", "drafts/r.txt", "--reason", "x", "--rule", "TY003")
    assert result.out == f"{WAIVER_NAME}: added 2 waiver(s)\n"
    assert _findings(cli("drafts", *ONLY).out) == ["r.txt:3:1 TY001"]
    # a third identical sentence is a new finding
    draft.write_text(DRAFT + "今年工作截止2021年底完成。\n" * 2, encoding="utf-8")
    assert _findings(cli("drafts", *ONLY).out) == ["r.txt:3:1 TY001", "r.txt:5:5 TY003"]


def test_per_file_waivers_in_a_batch(cli, project) -> None:
    # each directory has its own waiver file, which `waive` finds and fills
    for name in ("a", "b"):
        (project / name).mkdir()
        (project / name / "r.txt").write_text(DRAFT, encoding="utf-8")
        _waivers(project / name, "")
    assert cli("waive", "a/r.txt", "--reason", "x", "--rule", "TY003").code == 0
    assert cli("waive", "b/r.txt", "--reason", "x", "--rule", "TY001").code == 0
    assert not (project / WAIVER_NAME).exists()
    result = cli("a", "b", *ONLY, "-j", "2")
    assert [f.replace(".txt", "") for f in _findings(result.out)] == [
        "r:3:1 TY001",
        "r:2:5 TY003",
    ]
    paths = [f["path"] for f in json.loads(result.out)["findings"]]
    assert paths == ["a/r.txt", "b/r.txt"]


# --------------------------------------------------------------------------
# `waive --expires`, waiver file limits


def test_waive_refuses_an_expiry_date_in_the_past(cli, project) -> None:
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    result = cli("waive", "drafts/r.txt", "--reason", "x", "--expires", yesterday)
    assert result.code == 2
    assert result.err == (
        f"disclosure-lint: error: --expires {yesterday} is in the past; "
        "a waiver holds through its expiry date\n"
    )
    assert not (project / WAIVER_NAME).exists()
    today = dt.date.today().isoformat()
    ok = cli("waive", "drafts/r.txt", "--reason", "x", "--expires", today)
    assert ok.code == 0, ok.err


def test_a_waiver_file_too_large_is_named_as_such(cli, project) -> None:
    from disclosure_lint.packs.discover import MAX_FILE_BYTES

    entry = "  - {rule: TY003, file: drafts/r.txt, text: 截止, reason: x}\n"
    body = entry * (MAX_FILE_BYTES // len(entry.encode()) + 1)
    _waivers(project, body)
    result = cli("drafts", *ONLY)
    assert result.code == 2
    assert result.err.startswith(f"disclosure-lint: error: {WAIVER_NAME}: ")
    assert "waiver file too large" in result.err and "pack" not in result.err
    assert result.err.count("\n") == 1


# --------------------------------------------------------------------------
# Concurrent `waive` runs sharing one waiver file (issue 10, item 15)


WAIVE = (sys.executable, "-m", "disclosure_lint", "waive", "--reason", "x")


def test_concurrent_waive_runs_lose_no_entry(tmp_path) -> None:
    runs = 4  # one draft each, plus one more run on the first draft
    for trial in range(5):
        root = tmp_path / f"t{trial}"
        root.mkdir()
        for k in range(runs):
            (root / f"r{k}.txt").write_text(DRAFT, encoding="utf-8")
        drafts = [f"r{k}.txt" for k in range(runs)] + ["r0.txt"]
        procs = [
            subprocess.Popen(
                [*WAIVE, name, "--waivers", "w.yaml", "--rule", "TY003,TY001"],
                cwd=root,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in drafts
        ]
        outputs = [p.communicate() for p in procs]
        outcomes = [
            (p.returncode, *output) for p, output in zip(procs, outputs, strict=True)
        ]
        assert all(code == 0 for code, _, _ in outcomes), outcomes
        entries = read_waivers(root / "w.yaml").waivers
        # every draft's two findings, once each: none lost, none doubled
        assert sorted((w.file, w.rule) for w in entries) == sorted(
            (f"r{k}.txt", rule) for k in range(runs) for rule in ("TY001", "TY003")
        ), f"trial {trial}"
        added = sum(
            int(out.split("added ")[1].split()[0])
            for _, out, _ in outcomes
            if "added" in out
        )
        assert added == 2 * runs


def test_waive_waits_for_the_lock_then_gives_up(cli, project, monkeypatch) -> None:
    import fcntl

    from disclosure_lint.config import waiver_write

    monkeypatch.setattr(waiver_write, "LOCK_WAIT", 0.3)
    waiver_file = _waivers(project, "")
    lock = project / f"{WAIVER_NAME}.lock"
    with lock.open("w") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another run is writing
        result = cli("waive", "drafts/r.txt", "--reason", "x")
    assert result.code == 2
    assert result.err == (
        f"disclosure-lint: error: {WAIVER_NAME}: another run held "
        f"{WAIVER_NAME}.lock for over 0.3 s; try again\n"
    )
    assert waiver_file.read_text(encoding="utf-8") == "waivers:\n"
    assert cli("waive", "drafts/r.txt", "--reason", "x").code == 0  # released


def test_context_with_invisible_characters_reads_back(cli, project) -> None:
    # U+0085 and U+2028 are not line breaks in a draft, but a YAML reader
    # takes a raw U+0085 for one: such text is written escaped.
    draft = project / "drafts" / "r.txt"
    line = "今年\x85工作截止2021年底\u2028完成。"
    draft.write_text(
        DRAFT.replace("今年工作截止2021年底完成。", line), encoding="utf-8"
    )
    assert cli("waive", "drafts/r.txt", "--reason", "x", "--rule", "TY003").code == 0
    (entry,) = read_waivers(project / WAIVER_NAME).waivers
    assert (entry.before, entry.after) == ("今年\x85工作", "2021年底\u2028完成。")
    assert _findings(cli("drafts", *ONLY).out) == ["r.txt:3:1 TY001"]
