"""What the CLI reads: regular files only, bounded; stdin as `-`; unread formats.

Real runs of ``python -m disclosure_lint`` in a subprocess, each with a
timeout (a FIFO used to block forever) and a 2 GB address-space limit (reading
/dev/zero used to grow memory until the machine ran out).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES

TITLE = "某镇2021年政府信息公开工作年度报告"
DEFECTS = EXAMPLES / "defects-2021.txt"
CLEAN = EXAMPLES / "clean-2021.txt"
LIMIT = 20 * 1024 * 1024
STDIN_HINT = "give `-` to read a draft from standard input"
FIXABLE = ("--select", "FM001,FM002,TY001,TY003", "--isolated")
TIMEOUT = 120


def _bounded() -> None:
    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _lint(
    *args: object, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "disclosure_lint", *map(str, args)]
    try:
        return subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            cwd=cwd,
            timeout=TIMEOUT,
            preexec_fn=_bounded,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer in {TIMEOUT} s (blocked?): {' '.join(command)}")


def _checked(proc: subprocess.CompletedProcess[bytes]) -> set[str]:
    """The paths of the findings in a text report."""
    lines = proc.stdout.decode().splitlines()[:-1]  # not the closing line
    return {line.split(":")[0] for line in lines}


def _errors(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    text = proc.stderr.decode()
    assert "Traceback" not in text, text
    return text.splitlines()


# --------------------------------------------------------------------------
# Non-regular files


def test_fifo_is_refused_without_blocking(tmp_path) -> None:
    fifo = tmp_path / "draft.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    shutil.copy(DEFECTS, good)
    proc = _lint(fifo, good, "-j", "1")
    assert proc.returncode == 2
    assert _errors(proc) == [
        f"{fifo}: error: not a regular file (a named pipe); {STDIN_HINT}"
    ]
    assert _checked(proc) == {str(good)}  # the other file is checked
    # A directory walk lists regular .txt/.md files only: the FIFO is not one.
    walked = _lint(tmp_path, "-j", "1")
    assert walked.returncode == 1, walked.stderr.decode()
    assert _checked(walked) == {str(good)}


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/dev/zero", "a character device"), ("/dev/stdin", "a named pipe")],
)
def test_devices_and_dev_stdin_are_refused(path, kind) -> None:
    # NOTE: /dev/stdin is whatever stdin is: here a pipe (with 25 MB in it).
    proc = _lint(path, stdin=b"a\n" * (LIMIT // 2 + 2_000_000))
    assert proc.returncode == 2
    assert _errors(proc) == [
        f"{path}: error: not a regular file ({kind}); {STDIN_HINT}"
    ]


def test_stdin_over_the_limit_is_refused_and_passed_through_by_fix() -> None:
    data = f"{TITLE}\n截止2021年底无申请。\n".encode() * (LIMIT // 60 + 1000)
    assert len(data) > LIMIT
    proc = _lint("-", stdin=data)
    assert proc.returncode == 2
    message = "-: error: standard input too large (more than the 20 MB limit)"
    assert _errors(proc) == [message]
    # NOTE: `--fix - <a >b` must never leave b short: unfixed, it is a whole.
    fixed = _lint("-", "--fix", *FIXABLE, stdin=data)
    assert fixed.returncode == 2
    assert _errors(fixed)[0] == message
    assert fixed.stdout == data


# --------------------------------------------------------------------------
# Standard input: `-` and --stdin-filename


def test_stdin_with_filename_lints_like_the_file(tmp_path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / ".disclosure-lint.yaml").write_text("select: [FM, TY]\n", encoding="utf-8")
    shutil.copy(DEFECTS, sub / "draft.txt")
    data = DEFECTS.read_bytes()
    name = str(Path("sub", "draft.txt"))
    for fmt in ("text", "json"):
        on_disk = _lint(name, "-f", fmt, cwd=tmp_path)
        for given in (["-", "--stdin-filename", name], ["--stdin-filename", name]):
            piped = _lint(*given, "-f", fmt, stdin=data, cwd=tmp_path)
            assert piped.returncode == on_disk.returncode == 0  # warnings only
            assert piped.stdout == on_disk.stdout
            assert piped.stderr == on_disk.stderr == b""
    findings = json.loads(on_disk.stdout)["findings"]
    assert findings and {f["path"] for f in findings} == {name}
    # the configuration found from sub/ applied: only FM and TY rules
    assert {f["rule"][:2] for f in findings} == {"FM", "TY"}


def test_dash_alone_is_named_dash_and_configured_from_the_cwd(tmp_path) -> None:
    (tmp_path / ".disclosure-lint.yaml").write_text("select: [TY]\n", encoding="utf-8")
    proc = _lint("-", "-f", "json", stdin=DEFECTS.read_bytes(), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()  # TY: warnings
    findings = json.loads(proc.stdout)["findings"]
    assert findings
    assert {(f["path"], f["rule"][:2]) for f in findings} == {("-", "TY")}
    text = _lint("-", stdin=DEFECTS.read_bytes(), cwd=tmp_path).stdout.decode()
    assert text.startswith("-:")


def test_stdin_fix_writes_the_fixed_draft_to_stdout(tmp_path) -> None:
    data = f"{TITLE}\r\n[bookmark: _GoBack]截止2021年底无申请。\r\n".encode("gb18030")
    want = f"{TITLE}\r\n截至2021年底无申请。\r\n".encode("gb18030")
    proc = _lint("-", "--fix", *FIXABLE, stdin=data)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == want  # the encoding and CRLF kept
    assert "已修复 2 个" in proc.stderr.decode()  # the report goes to stderr
    # the same bytes as fixing the file
    path = tmp_path / "draft.txt"
    path.write_bytes(data)
    assert _lint(path, "--fix", *FIXABLE).returncode == 0
    assert path.read_bytes() == want
    # the report in another format, on stderr or in --output
    as_json = _lint("-", "--fix", *FIXABLE, "-f", "json", stdin=data)
    assert as_json.stdout == want
    assert json.loads(as_json.stderr)["summary"]["fixed"] == 2
    report = tmp_path / "report.json"
    to_file = _lint("-", "--fix", *FIXABLE, "-f", "json", "-o", report, stdin=data)
    assert (to_file.stdout, to_file.stderr) == (want, b"")
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["fixed"] == 2
    # nothing to fix: the draft comes back as it was
    same = _lint("-", "--fix", *FIXABLE, stdin=want)
    assert (same.returncode, same.stdout) == (0, want)


def test_stdin_fix_passes_an_unreadable_draft_through() -> None:
    data = b"abc\x00def\n"
    proc = _lint("-", "--fix", stdin=data)
    assert proc.returncode == 2
    assert proc.stdout == data
    assert _errors(proc) == [
        "-: error: binary file (NUL byte at line 1, column 4 (byte offset 3: 0x00)); "
        "expected a text draft",
        # the report goes to stderr when stdout carries the draft
        "1 个文件出错（见错误信息）。",
    ]


def test_stdin_diff_prints_the_diff(tmp_path) -> None:
    data = f"{TITLE}\n截止2021年底无申请。\n".encode()
    proc = _lint("--stdin-filename", "a/b.txt", "--diff", *FIXABLE, stdin=data)
    assert proc.returncode == 0
    assert proc.stdout.decode().splitlines()[:2] == ["--- a/b.txt", "+++ a/b.txt"]
    assert "+截至2021年底无申请。" in proc.stdout.decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "a.txt"], "`-` (standard input) cannot be combined with other paths"),
        (
            ["--stdin-filename", "x.txt", "a.txt"],
            "--stdin-filename reads the draft from standard input; "
            "'a.txt' cannot be checked with it",
        ),
        (["--stdin-filename", ""], "--stdin-filename needs a file name"),
        (["check"], "no path given: name drafts or directories, or `-` for "),
    ],
)
def test_stdin_usage_errors(args, message) -> None:
    proc = _lint(*args, stdin=CLEAN.read_bytes())
    assert proc.returncode == 2
    (line,) = _errors(proc)
    assert line.startswith(f"disclosure-lint: error: {message}")


# --------------------------------------------------------------------------
# Formats not read yet


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("x.doc", "Word 97-2003 documents (.doc)"),
        ("x.DOC", "Word 97-2003 documents (.doc)"),
        ("x.wps", "WPS documents (.wps)"),
        ("x.rtf", "RTF documents (.rtf)"),
    ],
)
def test_formats_not_read_are_named_by_suffix(tmp_path, name, kind) -> None:
    # NOTE: plain text inside: the suffix alone says what the user has.
    path = tmp_path / name
    shutil.copy(DEFECTS, path)
    good = tmp_path / "z-good.txt"
    shutil.copy(DEFECTS, good)
    proc = _lint(path, good)
    assert proc.returncode == 2
    assert _errors(proc) == [f"{path}: error: {kind} are not read; {ADVICE}"]
    assert _checked(proc) == {str(good)}


ADVICE = "open it in Word or WPS and save it as .docx"
CONTENTS = {
    "ole2": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "a Word 97-2003 or WPS document (.doc, .wps)",
    ),
    "rtf": (b"{\\rtf1\\ansi\\ansicpg936 " + TITLE.encode("gbk") + b"}", "an RTF"),
}


@pytest.mark.parametrize("content", sorted(CONTENTS))
def test_formats_not_read_are_named_by_content(tmp_path, content) -> None:
    data, kind = CONTENTS[content]
    path = tmp_path / "draft.txt"
    path.write_bytes(data)
    for proc, name in ((_lint(path), str(path)), (_lint("-", stdin=data), "-")):
        assert proc.returncode == 2
        (line,) = _errors(proc)
        assert line.startswith(f"{name}: error: the content is {kind}")
        assert line.endswith(f", which is not read; {ADVICE}")


def test_stdin_filename_suffix_names_the_format() -> None:
    proc = _lint("--stdin-filename", "报告.wps", stdin=DEFECTS.read_bytes())
    assert proc.returncode == 2
    assert _errors(proc) == [
        f"报告.wps: error: WPS documents (.wps) are not read; {ADVICE}"
    ]


def test_directories_are_walked_for_every_form_read(tmp_path) -> None:
    names = ("a.docx", "b.PDF", "c.html", "c.htm", "d.wps", "e.doc", "~$a.docx")
    for name in names:
        shutil.copy(DEFECTS, tmp_path / name)
    shutil.copy(DEFECTS, tmp_path / "g.txt")
    proc = _lint(tmp_path, "--format", "json")
    listed = {entry["path"] for entry in json.loads(proc.stdout)["files"]}
    # NOTE: each file of a form read is checked (or is its own error); old
    # Word and WPS files and Word's lock file are not drafts to walk into.
    assert listed == {
        str(tmp_path / name) for name in ("a.docx", "b.PDF", "c.html", "c.htm", "g.txt")
    }
