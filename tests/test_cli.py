from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import EXAMPLES, SEEDS

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
    assert cli(DEFECTS, "--ignore", "error-rules-none", "--select", "TY").code == 0
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
    assert data["version"] == 1
    assert set(data) >= {"version", "findings", "files", "summary"}
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
        [sys.executable, "-m", "disclosure_lint.cli", str(tmp_path / "nope.txt")],
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
