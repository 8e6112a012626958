from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys

import click
import pytest
import typer

from disclosure_lint.cli.app import app, check
from disclosure_lint.cli.check import COMMANDS, check_request, plain_check

from .conftest import EXAMPLES, SEEDS, run_module

DEFECTS = EXAMPLES / "defects-2021.txt"
CLEAN = EXAMPLES / "clean-2021.txt"


def test_version(cli) -> None:
    result = cli("--version")
    assert result.code == 0
    assert result.out.startswith("disclosure-lint ")


def test_exit_codes(cli) -> None:
    assert cli(CLEAN).code == 0
    assert cli(DEFECTS).code == 1
    # only warnings left once errors are ignored: 0 by default, 1 with --fail-on warning
    assert cli(DEFECTS, "--select", "TY").code == 0
    assert cli(DEFECTS, "--select", "TY", "--fail-on", "warning").code == 1


def test_text_format_line(cli) -> None:
    result = cli(DEFECTS, "--select", "TY003", "--no-show-source")
    assert result.out.splitlines()[0] == (
        f"{DEFECTS}:12:10: warning TY003 [*] “截止”后接时间点时应为“截至”"
    )


def test_source_marker_is_width_aware(cli) -> None:
    result = cli(DEFECTS, "--select", "TY003", "--show-source", "--color", "never")
    lines = result.out.splitlines()
    source, marker = lines[1], lines[2]
    assert source.startswith("   12 | ")
    prefix = source[len("   12 | ") :].split("截止")[0]
    # 9 CJK characters before 截止 → 18 columns; 截止 is 4 columns wide
    assert marker == "      | " + " " * (2 * len(prefix)) + "^^^^"


def test_english_messages(cli) -> None:
    result = cli(DEFECTS, "--select", "TY003", "--lang", "en", "--no-show-source")
    assert "write 截至" in result.out
    assert "Found 1 problem(s)" in result.out


def test_json_contract(cli) -> None:
    result = cli(DEFECTS, "--format", "json")
    data = json.loads(result.out)
    assert data["version"] == 3
    assert set(data) >= {"version", "findings", "files", "summary"}
    assert set(data["summary"]) == {
        "files",
        "files_failed",
        "findings",
        "error",
        "warning",
        "info",
        "fixable",
        "fixed",
        "tables_skipped",
    }
    assert data["summary"]["tables_skipped"] == []  # DEFECTS' tables all read
    finding = data["findings"][0]
    assert set(finding) >= {
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "rule",
        "name",
        "category",
        "severity",
        "message",
        "location",
    }
    # NOTE: a text draft's location is the finding's own line and column.
    for finding in data["findings"]:
        assert finding["location"] == {
            "form": "text",
            **{k: finding[k] for k in ("line", "column", "end_line", "end_column")},
        }
    fixable = [f for f in data["findings"] if "fix" in f]
    assert fixable and set(fixable[0]["fix"]) == {
        "line",
        "column",
        "end_line",
        "end_column",
        "replacement",
        "safe",
    }
    assert data["files"][0]["edition"] == "2021"
    assert data["summary"]["findings"] == len(data["findings"])


def test_files_failed_counts_unreadable_files_not_error_findings(cli, tmp_path) -> None:
    missing = tmp_path / "missing.txt"
    data = json.loads(cli(DEFECTS, CLEAN, missing, "--format", "json").out)
    assert data["summary"]["error"] > 0  # DEFECTS has error findings ...
    assert data["summary"]["files"] == 3
    assert data["summary"]["files_failed"] == 1  # ... but only one file failed
    assert "files_with_errors" not in data["summary"]


def test_bad_inputs_exit_2_and_batch_continues(cli, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\x03")
    undecodable = tmp_path / "bad.txt"
    undecodable.write_bytes(b"\xff\xff\xff\x80")
    result = cli(
        tmp_path / "missing.txt",
        empty,
        binary,
        undecodable,
        DEFECTS,
        "--no-show-source",
    )
    assert result.code == 2
    errors = result.err.strip().splitlines()
    assert len(errors) == 4
    assert all(": error: " in line for line in errors)
    assert "Traceback" not in result.err
    assert f"{DEFECTS}:" in result.out  # the good file was still checked


def test_unknown_option_is_one_line(cli) -> None:
    result = cli(CLEAN, "--no-such-option")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "no-such-option" in result.err


def test_bad_values_exit_2(cli) -> None:
    assert cli(CLEAN, "--format", "yaml").code == 2
    assert cli(CLEAN, "--lang", "fr").code == 2
    assert cli(CLEAN, "--edition", "2030").code == 2


def test_malformed_pack_exit_2(cli, tmp_path) -> None:
    pack = tmp_path / "local"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: local\nextends: [common]\nedtion: '2019'\n")
    result = cli(CLEAN, "--packs", pack)
    assert result.code == 2
    assert (
        "pack.yaml:3:1: unknown key 'edtion' in pack (did you mean 'edition'?)"
        in result.err
    )


def test_directory_argument_checks_seeds(cli) -> None:
    result = cli(SEEDS, "--format", "json")
    data = json.loads(result.out)
    assert len(data["files"]) == 5
    assert result.code == 1


def test_console_script_runs_without_traceback(tmp_path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "disclosure_lint.cli.app", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "no such file" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "command", [["rules"], ["rules", "--format", "json"], ["explain", "TY003"]]
)
def test_rule_docs_commands(cli, command) -> None:
    result = cli(*command)
    assert result.code == 0
    assert "TY003" in result.out or "jiezhi" in result.out


def test_fast_version_path_matches_cli(cli) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout == cli("--version").out


@pytest.mark.parametrize(
    ("args", "plain"),
    [
        (["a.txt"], (["a.txt"], False)),
        (["check", "a.txt", "b.md"], (["a.txt", "b.md"], False)),
        (["check", "--fix", "a.txt"], (["a.txt"], True)),
        (["a.txt", "--fix", "check"], (["a.txt", "check"], True)),
        (["--fix", "rules"], (["rules"], True)),
        (["check", "rules"], (["rules"], False)),
        ([], None),
        (["check"], None),
        (["check", "--fix"], None),
        (["rules"], None),
        (["extract", "a.txt"], None),
        (["a.txt", "--format", "json"], None),
        (["a.txt", "-j", "1"], None),
        (["--", "a.txt"], None),
        (["-"], None),
        (["--help"], None),
        (["--version"], None),
    ],
)
def test_plain_check_routes_like_the_typer_group(args, plain) -> None:
    assert plain_check(args) == plain


def test_plain_check_leaves_completion_to_click(monkeypatch) -> None:
    monkeypatch.setenv("_DISCLOSURE_LINT_COMPLETE", "bash_complete")
    assert plain_check(["a.txt"]) is None


def test_plain_path_knows_every_subcommand() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, click.Group)
    assert set(group.commands) == COMMANDS


def test_check_request_defaults_are_the_cli_defaults() -> None:
    def defaults(function) -> dict[str, object]:
        return {
            name: param.default
            for name, param in inspect.signature(function).parameters.items()
            if name != "paths"
        }

    assert defaults(check_request) == defaults(check)


@pytest.mark.parametrize("args", [[DEFECTS], ["check", CLEAN, DEFECTS]])
def test_plain_path_matches_typer(cli, args) -> None:
    assert run_module(*args) == cli(*args)


def test_plain_fix_matches_typer(cli, tmp_path) -> None:
    plain, typed = tmp_path / "plain", tmp_path / "typed"
    for directory in (plain, typed):
        directory.mkdir()
        shutil.copy(DEFECTS, directory / DEFECTS.name)
    by_plain = run_module("check", "--fix", DEFECTS.name, cwd=plain)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(typed)
        by_typer = cli("check", "--fix", DEFECTS.name)
    assert by_plain == by_typer
    assert "Traceback" not in by_plain.err
    fixed = (plain / DEFECTS.name).read_bytes()
    assert fixed == (typed / DEFECTS.name).read_bytes() != DEFECTS.read_bytes()


def test_plain_path_closed_stdout_exits_1_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "disclosure_lint", str(DEFECTS)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 1
    assert proc.stderr == ""
