"""Output formats under hostile conditions (issue 10, output items).

* file names that are not UTF-8 are written escaped, reversibly, by every
  format, to a strict UTF-8 stdout or a file, never as a traceback;
* what a report quotes of a draft is bounded per finding, so a report grows
  with the findings and the input, not with findings x line length;
* ``--diff`` is refused with formats that cannot hold a diff;
* formats that need the whole run before writing keep flat memory;
* an interrupted run (SIGINT) is marked partial in every format and counts
  exactly the files it reported and fixed.

Sizes and memory are asserted, never times.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html import unescape
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

from disclosure_lint.document.paths import escape_path
from disclosure_lint.engine.lint import FileResult, RuleFilter, lint_file
from disclosure_lint.formatters import (
    FORMATS,
    FormatContext,
    Summary,
    base,
    get_formatter,
    html_view,
)
from disclosure_lint.formatters import html as html_format
from disclosure_lint.formatters.base import CONTEXT_CHARS, SPAN_CHARS, excerpt
from disclosure_lint.formatters.html_view import LONG_LINE, MAX_DRAFT_CHARS
from disclosure_lint.formatters.json import JsonFormatter
from disclosure_lint.kinds.report import LintOptions
from disclosure_lint.packs.model import PackSet

from .conftest import EXAMPLES

DEFECTS = EXAMPLES / "defects-2021.txt"
# 年度报告 in GBK, as a zip made on Windows names a draft.
GBK_NAME = "年度报告".encode("gbk") + b".txt"
TITLE = "青山镇人民政府2021年政府信息公开工作年度报告\n"
TYPO = "今年工作截止2021年底完成。"  # one TY003 finding each
FILLER = "本镇认真贯彻落实条例和上级政务公开工作要点坚持以公开为常态不公开为例外"


def _run(
    *args: object, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real CLI in a subprocess; stdout and stderr kept as bytes."""
    command = [sys.executable, "-m", "disclosure_lint", *map(os.fsdecode, args)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        command, cwd=cwd, env=full_env, capture_output=True, timeout=300, check=False
    )


def _unescape(name: str) -> bytes:
    """Undo ``escape_path`` as README says: ``codecs.escape_decode``."""
    return codecs.escape_decode(name.encode("utf-8"))[0]


# --------------------------------------------------------------------------
# 1. File names that are not UTF-8


@pytest.mark.parametrize(
    "raw",
    [
        b"plain.txt",
        "年度报告.txt".encode(),
        GBK_NAME,
        b"back\\slash\\x41.txt",  # a literal backslash, even before "x41"
        b"line\nbreak\ttab.txt",
        b"\xff\xfe\x80.txt",
    ],
)
def test_escaped_names_are_reversible(raw: bytes) -> None:
    name = os.fsdecode(raw)
    shown = escape_path(name)
    shown.encode("utf-8")  # never a lone surrogate
    assert not any(ch in shown for ch in "\n\r\t")
    assert _unescape(shown) == raw
    if name.isprintable() and "\\" not in name:
        assert shown == name  # a plain UTF-8 name is shown as it is
    else:
        assert shown != name


@pytest.fixture
def gbk_dir(tmp_path: Path) -> Path:
    """A directory holding a draft named in GBK and an unreadable one."""
    root = tmp_path / "fn"
    root.mkdir()
    (root / os.fsdecode(GBK_NAME)).write_bytes(DEFECTS.read_bytes())
    (root / os.fsdecode(b"bad\xff.txt")).write_bytes(b"\x00\x01")
    return root


def _names_in(fmt: str, report: str) -> set[bytes]:
    """The raw file names a report names, each unescaped as README says."""
    if fmt == "json":
        data = json.loads(report)
        shown = {f["path"] for f in data["files"]} | {
            f["path"] for f in data["findings"]
        }
        return {_unescape(name) for name in shown}
    if fmt == "sarif":
        run = json.loads(report)["runs"][0]
        locations = [r["locations"][0] for r in run["results"]] + [
            n["locations"][0]
            for n in run["invocations"][0]["toolExecutionNotifications"]
        ]
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for loc in locations}
        return {unquote_to_bytes(uri) for uri in uris}
    if fmt == "junit":
        root = ET.fromstring(report)
        return {_unescape(suite.get("name", "")) for suite in root}
    if fmt == "html":
        text = unescape(report)
        return {
            _unescape(name)
            for name in (
                text.split("<h2>")[i].split("</h2>")[0]
                for i in range(1, text.count("<h2>") + 1)
            )
            if name.startswith("fn/")
        }
    if fmt == "github":
        files = {
            line.split("file=")[1].split(",")[0]
            for line in report.splitlines()
            if "file=" in line
        }
        return {
            _unescape(name.replace("%2C", ",").replace("%3A", ":")) for name in files
        }
    lines = [line for line in report.splitlines() if line.startswith("fn/")]
    return {_unescape(line.split(":")[0]) for line in lines}


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_undecodable_file_names_in_every_format(gbk_dir, fmt, to_file) -> None:
    cwd = gbk_dir.parent
    args: list[object] = ["fn", "--format", fmt, "--no-show-source"]
    if to_file:
        args += ["--output", "report.out"]
    # NOTE: a strict UTF-8 stdout, as under an ordinary UTF-8 locale.
    done = _run(*args, cwd=cwd, env={"PYTHONIOENCODING": "utf-8:strict"})
    err = done.stderr.decode("utf-8")  # strict: valid UTF-8
    assert "Traceback" not in err, err
    assert done.returncode == 2, err  # the unreadable draft
    assert "fn/bad\\xff.txt: error: binary file" in err
    data = (cwd / "report.out").read_bytes() if to_file else done.stdout
    report = data.decode("utf-8")  # strict: valid UTF-8
    names = _names_in(fmt, report)
    assert b"fn/" + GBK_NAME in names, names
    if fmt in ("json", "sarif", "junit", "html"):
        assert b"fn/bad\xff.txt" in names, names


def test_undecodable_names_with_a_lenient_stdout(gbk_dir) -> None:
    # NOTE: with surrogateescape, stdout used to take the raw GBK bytes:
    # JSON that is not UTF-8.
    env = {"PYTHONIOENCODING": "utf-8:surrogateescape"}
    done = _run("fn", "-f", "json", cwd=gbk_dir.parent, env=env)
    data = json.loads(done.stdout.decode("utf-8"))
    paths = [_unescape(f["path"]) for f in data["files"]]
    assert paths == [b"fn/bad\xff.txt", b"fn/" + GBK_NAME]


def test_undecodable_names_in_diff_and_extract(gbk_dir) -> None:
    cwd = gbk_dir.parent
    env = {"PYTHONIOENCODING": "utf-8:strict"}
    diff = _run("fn", "--diff", cwd=cwd, env=env)
    assert "Traceback" not in diff.stderr.decode("utf-8")
    header = diff.stdout.decode("utf-8").splitlines()[0]
    assert header.startswith("--- ") and _unescape(header[4:]) == b"fn/" + GBK_NAME
    for fmt in ("json", "csv"):
        done = _run("extract", "fn", "--format", fmt, cwd=cwd, env=env)
        err = done.stderr.decode("utf-8")
        assert done.returncode == 2 and "Traceback" not in err, err
        assert "fn/bad\\xff.txt: error: " in err
        text = done.stdout.decode("utf-8")
        if fmt == "json":
            data = json.loads(text)
            files = {_unescape(f["path"]) for f in data["files"]}
            cells = {_unescape(c["file"]) for c in data["cells"]}
        else:
            rows = list(csv.DictReader(io.StringIO(text)))
            files = cells = {_unescape(row["file"]) for row in rows}
        assert b"fn/" + GBK_NAME in files and cells == {b"fn/" + GBK_NAME}


def test_undecodable_names_in_waive_and_waiver_findings(gbk_dir) -> None:
    # NOTE: a waiver for a draft named in GBK, then the draft removed: the
    # WV002 message names the file and used to write its raw bytes.
    cwd = gbk_dir.parent
    env = {"PYTHONIOENCODING": "utf-8:strict"}
    waived = _run("waive", "fn", "--reason", "test", cwd=cwd, env=env)
    err = waived.stderr.decode("utf-8")
    assert "fn/bad\\xff.txt: error: " in err and "Traceback" not in err, err
    (gbk_dir / os.fsdecode(GBK_NAME)).unlink()
    (gbk_dir / os.fsdecode(b"bad\xff.txt")).unlink()
    (gbk_dir / "other.txt").write_bytes(DEFECTS.read_bytes())
    done = _run("fn", cwd=cwd, env=env)
    out = done.stdout.decode("utf-8")
    assert "Traceback" not in done.stderr.decode("utf-8")
    unused = [line for line in out.splitlines() if " WV002 " in line]
    assert unused and all(
        escape_path("fn/" + os.fsdecode(GBK_NAME)) in line for line in unused
    ), out


# --------------------------------------------------------------------------
# 3. What a report quotes of a draft is bounded


def _one_line_draft(path: Path, findings: int, length: int) -> Path:
    """A title, then one line of about ``length`` characters with typos."""
    gap = max(0, length // findings - len(TYPO))
    chunk = (FILLER * (gap // len(FILLER) + 1))[:gap]
    path.write_text(TITLE + (chunk + TYPO) * findings + "\n", encoding="utf-8")
    return path


def test_excerpt_is_bounded(packset: PackSet, tmp_path: Path) -> None:
    draft = _one_line_draft(tmp_path / "long.txt", 20, 50_000)
    result = lint_file(
        str(draft), packset, LintOptions(), RuleFilter(), keep_report=True
    )
    assert result.report is not None
    doc = result.report.document
    assert len(result.findings) >= 20
    for finding in result.findings:
        shown = excerpt(doc, finding)
        assert len(shown.text) <= 2 * CONTEXT_CHARS + SPAN_CHARS + 2
        line = doc.line_text(finding.start.line)
        flagged = shown.flagged.removesuffix("…")
        start = finding.start.column - 1
        assert line[start : start + len(flagged)] == flagged
        assert shown.before.removeprefix("…") == line[:start][-CONTEXT_CHARS:]


@pytest.mark.parametrize("fmt", [*FORMATS, "show-source"])
def test_reports_grow_with_findings_not_with_line_length(tmp_path, fmt) -> None:
    findings = 100
    draft = _one_line_draft(tmp_path / "long.txt", findings, 400_000)
    args: list[object] = [draft, "--output", tmp_path / "report"]
    args += ["--show-source"] if fmt == "show-source" else ["--format", fmt]
    done = _run(*args, cwd=tmp_path)
    assert done.returncode == 1, done.stderr.decode()
    counted = json.loads(_run(draft, "-f", "json", cwd=tmp_path).stdout)
    total = counted["summary"]["findings"]
    assert total >= findings
    size = (tmp_path / "report").stat().st_size
    # NOTE: a few KB per finding (an excerpt of ~200 characters, the
    # message, SARIF's rule table and fingerprints) and the HTML page's
    # style sheet; quoting the 400,000-character line once per finding
    # made 100+ MB.
    assert size < 150_000 + 4_000 * total, size


def test_html_shows_a_bounded_part_of_a_long_draft(tmp_path) -> None:
    # NOTE: 20,000 lines of 20 characters (over MAX_DRAFT_CHARS) with one
    # finding in the middle, and a long line with one finding at its end.
    lines = [FILLER[:20]] * 20_000
    lines[10_000] = TYPO
    lines[15_000] = FILLER * 200 + TYPO
    draft = tmp_path / "long.txt"
    draft.write_text(TITLE + "\n".join(lines) + "\n", encoding="utf-8")
    assert len(draft.read_text(encoding="utf-8")) > MAX_DRAFT_CHARS
    assert len(lines[15_000]) > LONG_LINE
    page = tmp_path / "report.html"
    done = _run(draft, "--format", "html", "--output", page, cwd=tmp_path)
    assert done.returncode == 1, done.stderr.decode()
    text = page.read_text(encoding="utf-8")
    assert len(text) < 100_000, len(text)
    for line in (10_002, 15_002):  # after the title line, 1-based
        assert f'id="file-1-L{line}"' in text
    assert 'id="file-1-L5000"' not in text
    assert "行未显示" in text and "个字符未显示" in text
    assert ">截止</mark>2021年底" in text


def test_html_leaves_out_the_text_of_clean_drafts(tmp_path) -> None:
    clean = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    (tmp_path / "a-clean.txt").write_text(clean, encoding="utf-8")
    (tmp_path / "b-defects.txt").write_bytes(DEFECTS.read_bytes())
    page = tmp_path / "report.html"
    _run(
        tmp_path / "a-clean.txt",
        tmp_path / "b-defects.txt",
        "-f",
        "html",
        "-o",
        page,
        cwd=tmp_path,
    )
    text = page.read_text(encoding="utf-8")
    assert 'id="file-1"' in text and 'id="file-2"' in text
    assert 'id="file-1-L1"' not in text  # the clean draft: listed, not shown
    assert 'id="file-2-L1"' in text


def _note(line: int, number: int, severity: str = "warning") -> html_view.Note:
    return html_view.Note(
        number, f"n{number}", line, 1, "TY003", "name", "typo", severity, "msg", None
    )


def test_long_lines_show_windows_around_spans() -> None:
    text = "".join(chr(0x4E00 + n % 500) for n in range(5_000))
    near_start, middle = _note(1, 1), _note(1, 2, "error")
    spans = [(100, 102, near_start), (2_000, 2_500, middle)]
    line = html_view.split_line(1, text, 0, spans)
    shown = [(p.text, p.elided) for p in line.pieces]
    # every character is either shown, in order, or counted as left out
    assert sum(e or len(t) for t, e in shown) == len(text)
    kept = "".join(t for t, e in shown if not e)
    assert len(kept) <= 5 * 2 * CONTEXT_CHARS
    assert kept.startswith(text[: 102 + CONTEXT_CHARS])
    marks = [p.text for p in line.pieces if p.severity and not p.elided]
    assert text[100:102] in marks
    # the 500-character span shows both of its ends, its middle is left out
    assert text[2_000 : 2_000 + CONTEXT_CHARS] in marks
    assert text[2_500 - CONTEXT_CHARS : 2_500] in marks
    assert line.pieces[-1].elided == len(text) - 2_500 - CONTEXT_CHARS
    assert [n.number for n in line.notes] == [1, 2]


def test_tooltips_name_the_narrowest_findings() -> None:
    wide = [(0, 50, _note(1, n)) for n in range(1, 9)]
    narrow = (10, 12, _note(1, 9, "error"))
    line = html_view.split_line(1, "x" * 50, 0, [*wide, narrow])
    piece = next(p for p in line.pieces if p.text == "xx" and p.severity == "error")
    assert len(piece.notes) == html_view.MAX_TITLE_NOTES
    assert piece.notes[-1].number == 9  # the narrow span is named
    assert piece.more == 9 - html_view.MAX_TITLE_NOTES
    assert piece.title.endswith(f"(+{piece.more})")


def test_html_rendered_in_batches_is_the_same_page(cli, monkeypatch) -> None:
    # NOTE: a line with more pieces and notes than ITEMS_PER_RENDER is
    # written a batch at a time by other macros than ``rows``; with a tiny
    # batch every flagged line and the findings lists take that path.
    drafts = [EXAMPLES / "defects-2021.txt", EXAMPLES / "clean-2020.md"]
    whole = cli(*drafts, "--format", "html").out
    monkeypatch.setattr(html_format, "ITEMS_PER_RENDER", 2)
    batched = cli(*drafts, "--format", "html").out
    assert 'class="flagged' in whole
    assert batched == whole


# --------------------------------------------------------------------------
# 7. --diff only with formats that can hold a diff


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "html"])
def test_diff_is_refused_with_structured_formats(cli, tmp_path, fmt) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(DEFECTS.read_bytes())
    result = cli(draft, "--diff", "--format", fmt)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert "--diff" in result.err and fmt in result.err
    assert draft.read_bytes() == DEFECTS.read_bytes()


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_diff_with_line_formats(cli, tmp_path, fmt) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(DEFECTS.read_bytes())
    result = cli(draft, "--diff", "--format", fmt)
    assert result.code == 1
    assert result.out.startswith(f"--- {draft}\n+++ {draft}\n@@ ")


# --------------------------------------------------------------------------
# 13. Memory does not grow with the number of drafts


@pytest.mark.parametrize("fmt", ["sarif", "html", "json", "junit"])
def test_formatter_memory_is_flat_in_the_number_of_drafts(
    packset, fmt, monkeypatch
) -> None:
    # NOTE: spools move to their file after 64 KB instead of 4 MB, so that
    # a few hundred drafts show whether anything else is kept per draft.
    monkeypatch.setattr(base, "SPOOL_MEMORY", 64_000)
    result = lint_file(
        str(DEFECTS), packset, LintOptions(), RuleFilter(), keep_report=True
    )
    assert result.findings
    with Path(os.devnull).open("w", encoding="utf-8") as out:
        formatter = get_formatter(fmt, FormatContext(out=out, packset=packset))
        summary = Summary()

        def feed(count: int) -> None:
            for n in range(count):
                path = f"drafts/{n}.txt"
                copy = FileResult(path, list(result.findings), None, result.report)
                summary.add(copy)
                formatter.file(copy)

        tracemalloc.start()
        try:
            feed(100)
            gc.collect()
            before = tracemalloc.get_traced_memory()[0]
            feed(600)
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        formatter.finish(summary)
    # NOTE: keeping what the report needs per draft grew by 0.25-50 KB per
    # draft: 0.15-28 MB here; now a few KB at most.
    assert grown < 50_000, grown


# --------------------------------------------------------------------------
# 14. Interrupted runs


def _drafts(root: Path, count: int, data: bytes) -> Path:
    """``count`` copies of a draft after one unreadable file, which is first.

    NOTE: its error line on stderr is the sign that results are coming: a
    SIGINT sent then lands mid-batch, whatever the machine's speed.
    """
    root.mkdir()
    (root / "00000-unreadable.txt").write_bytes(b"\x00\x01")
    for n in range(1, count + 1):
        (root / f"{n:05d}.txt").write_bytes(data)
    return root


def _interrupt(
    args: list[object], cwd: Path, ready: Callable[[], bool] = lambda: True
) -> tuple[int, bytes, str]:
    """Run the CLI, SIGINT it once the first result is out; code, out, err.

    ``ready`` is polled after that until it holds. NOTE: without pairing, so
    that results stream while files are still being read (with pairing, a
    batch reports only once every file is read: tests/test_pairing.py
    interrupts that first pass).
    """
    command = [
        sys.executable,
        "-m",
        "disclosure_lint",
        "--no-pairing",
        *map(str, args),
    ]
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
        # NOTE: a shell without job control starts background jobs with
        # SIGINT ignored, and Python keeps it so; the CLI must see it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert b"error" in first, first
        while not ready() and proc.poll() is None:
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out, (first + err).decode("utf-8")


def _done(err: str) -> int:
    assert "Traceback" not in err, err
    return int(err.split("interrupted after ")[1].split(" ")[0])


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_interrupted_reports_say_so(tmp_path, fmt) -> None:
    count = 3000
    _drafts(tmp_path / "drafts", count, DEFECTS.read_bytes())
    code, out, err = _interrupt(["drafts", "-f", fmt, "-j", "2"], tmp_path)
    assert code == 130, err
    done = _done(err)
    assert 0 < done < count + 1
    report = out.decode("utf-8")
    if fmt == "json":
        data = json.loads(report)
        assert data["partial"] is True
        assert data["summary"]["files"] == len(data["files"]) == done
        assert data["summary"]["findings"] == len(data["findings"])
        assert sum(f["findings"] for f in data["files"]) == len(data["findings"])
    elif fmt == "sarif":
        invocation = json.loads(report)["runs"][0]["invocations"][0]
        assert invocation["executionSuccessful"] is False
        assert invocation["exitCode"] == 130
        texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
        assert any(f"interrupted after {done} file(s)" in t for t in texts), texts
    elif fmt == "junit":
        root = ET.fromstring(report)
        suites = [s for s in root if s.get("name") == "disclosure-lint"]
        assert len(suites) == 1 and suites[0].find("testcase/error") is not None
        assert len(root) == done + 1
    elif fmt == "html":
        assert f"本报告只包含已检查完的 {done} 个文件的结果" in report
        assert report.rstrip().endswith("</html>")
    else:
        assert report.splitlines()[-1].endswith(
            f"检查被中断：以上只是已检查完的 {done} 个文件的结果。"
        )


def test_interrupted_fix_counts_what_it_wrote(tmp_path) -> None:
    count = 2000
    data = DEFECTS.read_bytes()
    drafts = _drafts(tmp_path / "drafts", count, data)
    first = drafts / "00001.txt"
    code, out, err = _interrupt(
        ["drafts", "--fix", "-f", "json"], tmp_path, lambda: first.read_bytes() != data
    )
    assert code == 130, err
    report = json.loads(out)
    assert report["partial"] is True
    assert report["summary"]["files"] == len(report["files"]) == _done(err)
    copies = [p for p in drafts.iterdir() if p.name != "00000-unreadable.txt"]
    changed = [p for p in copies if p.read_bytes() != data]
    assert 0 < len(changed) < count
    # every copy gets the same fixes: the count is exact if it matches disk
    per_file = report["summary"]["fixed"] // len(changed)
    assert per_file > 0 and report["summary"]["fixed"] == per_file * len(changed)
    assert len(report["files"]) == len(changed) + 1  # and the unreadable one


def _signal_during(monkeypatch, owner: object, name: str) -> None:
    """Make ``owner.name`` SIGINT this process as it starts its real work."""
    real = getattr(owner, name)

    def interrupted(*args: object, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, interrupted)


def test_ctrl_c_while_a_file_is_reported(cli, tmp_path, monkeypatch) -> None:
    # NOTE: a real SIGINT, at the worst moment: the file is counted but not
    # yet written to the report.
    for n in range(3):
        (tmp_path / f"{n}.txt").write_bytes(DEFECTS.read_bytes())
    _signal_during(monkeypatch, JsonFormatter, "file")
    result = cli(tmp_path, "-f", "json", "-j", "1")
    monkeypatch.undo()
    assert result.code == 130
    data = json.loads(result.out)
    assert data["partial"] is True
    assert data["summary"]["files"] == len(data["files"]) == 1
    assert data["summary"]["findings"] == len(data["findings"])
    assert "interrupted after 1 file(s)" in result.err


def test_ctrl_c_while_a_fix_is_written(cli, tmp_path, monkeypatch) -> None:
    from disclosure_lint.engine import fixes

    alone = tmp_path / "alone.txt"
    alone.write_bytes(DEFECTS.read_bytes())
    expected = json.loads(cli(alone, "--fix", "-f", "json").out)["summary"]["fixed"]
    assert expected > 0
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for n in range(3):
        (drafts / f"{n}.txt").write_bytes(DEFECTS.read_bytes())
    _signal_during(monkeypatch, fixes, "write_atomic")
    result = cli(drafts, "--fix", "-f", "json")
    monkeypatch.undo()
    assert result.code == 130
    data = json.loads(result.out)
    changed = [p for p in drafts.iterdir() if p.read_bytes() != DEFECTS.read_bytes()]
    assert len(changed) == 1  # written before the signal was taken
    assert data["summary"]["files"] == len(data["files"]) == 1
    assert data["summary"]["fixed"] == expected  # and counted
