"""--fix and --diff: byte-exact output, atomic writes, passes, number guard."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_lint.document.findings import Category, Finding, Fix, Severity
from disclosure_lint.document.text import Document, Span
from disclosure_lint.engine.fixes import (
    FixError,
    apply_fixes,
    changes_number,
    fix_document,
    touches_cell,
    write_atomic,
)
from disclosure_lint.engine.lint import RuleFilter, lint_document
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.packs.model import PackSet

# Rules with safe fixes: a web leftover line (FM002, deletes the line), a
# bookmark (FM001), 截止→截至 (TY003), a known typo (TY001). Selecting them
# keeps these tests independent of rules other developers add.
FIXABLE = ("--select", "FM001,FM002,TY001,TY003", "--isolated")
TITLE = "某镇2021年政府信息公开工作年度报告"


def _draft(tmp_path: Path, data: bytes, name: str = "draft.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_gb18030_crlf_and_mixed_endings_byte_for_byte(cli, tmp_path) -> None:
    # 𪚥 only exists in GB18030 (4 bytes), so the file cannot be GBK or UTF-8.
    lines = [
        (TITLE + "𪚥", "\r\n"),
        ("来源:某镇人民政府", "\r\n"),  # FM002: the whole line goes
        ("[bookmark: _GoBack]截止2021年底，共收到申请0件。", "\n"),
        ("一、总体情况", "\r"),
        ("前面做好工作，截止目前无复议。", "\r\n"),
        ("末行无换行", ""),
    ]
    original = "".join(t + nl for t, nl in lines).encode("gb18030")
    expected_lines = [
        (TITLE + "𪚥", "\r\n"),
        ("截至2021年底，共收到申请0件。", "\n"),
        ("一、总体情况", "\r"),
        ("全面做好工作，截至目前无复议。", "\r\n"),
        ("末行无换行", ""),
    ]
    expected = "".join(t + nl for t, nl in expected_lines).encode("gb18030")
    path = _draft(tmp_path, original)
    result = cli(path, "--fix", *FIXABLE, "--no-show-source")
    assert result.code == 0, result.err
    assert path.read_bytes() == expected
    assert "已修复 5 个" in result.out
    # no temp file left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.txt"]


def test_utf8_bom_lf_byte_for_byte(cli, tmp_path) -> None:
    body = f"{TITLE}\n[bookmark: _Toc123]前面做好工作。\n分享到:\n"
    path = _draft(tmp_path, b"\xef\xbb\xbf" + body.encode())
    expected = b"\xef\xbb\xbf" + f"{TITLE}\n全面做好工作。\n".encode()
    assert cli(path, "--fix", *FIXABLE).code == 0
    assert path.read_bytes() == expected


def test_utf16_bom_crlf_byte_for_byte(cli, tmp_path) -> None:
    body = f"{TITLE}\r\n截止2021年底无申请。\r\n"
    path = _draft(tmp_path, b"\xff\xfe" + body.encode("utf-16-le"))
    expected = b"\xff\xfe" + f"{TITLE}\r\n截至2021年底无申请。\r\n".encode("utf-16-le")
    assert cli(path, "--fix", *FIXABLE).code == 0
    assert path.read_bytes() == expected


def test_fix_twice_changes_nothing_the_second_time(cli, tmp_path) -> None:
    body = f"{TITLE}\r\n来源:某镇\r\n截止2021年底，前面做好。\r\n"
    path = _draft(tmp_path, body.encode("gb18030"))
    first = cli(path, "--fix", *FIXABLE, "--format", "json")
    once = path.read_bytes()
    second = cli(path, "--fix", *FIXABLE, "--format", "json")
    assert '"fixed": 3' in first.out
    assert '"fixed": 0' in second.out
    assert path.read_bytes() == once


def test_fix_reports_remaining_findings(cli, tmp_path) -> None:
    # TY004's fix is marked unsafe: --fix leaves it, and it is still reported.
    body = f"{TITLE}\n截止2021年底办理人大代表提案3件。\n"
    path = _draft(tmp_path, body.encode())
    result = cli(
        path,
        "--fix",
        "--select",
        "TY003,TY004",
        "--isolated",
        "--fail-on",
        "warning",
        "--no-show-source",
    )
    assert result.code == 1
    assert "TY004" in result.out
    assert "TY003" not in result.out
    assert "截至2021年底" in path.read_text(encoding="utf-8")


def test_fix_keeps_file_mode_and_symlink(cli, tmp_path) -> None:
    real = _draft(tmp_path, f"{TITLE}\n截止2021年底无申请。\n".encode(), "real.txt")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert cli(link, "--fix", *FIXABLE).code == 0
    assert link.is_symlink()
    assert "截至" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_failed_write_leaves_original_and_no_temp_file(
    cli, tmp_path, monkeypatch
) -> None:
    original = f"{TITLE}\n截止2021年底无申请。\n".encode()
    path = _draft(tmp_path, original)

    def refuse(self: Path, target: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    result = cli(path, "--fix", *FIXABLE)
    monkeypatch.undo()
    assert result.code == 2
    assert "No space left on device" in result.err
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.txt"]


def test_read_only_directory_is_reported(cli, tmp_path, monkeypatch) -> None:
    # NOTE: root may write into a read-only directory, so the refusal the OS
    # would give a normal user is simulated where the temp file is created.
    original = f"{TITLE}\n截止2021年底无申请。\n".encode()
    path = _draft(tmp_path, original)

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = cli(path, "--fix", *FIXABLE)
    monkeypatch.undo()
    assert result.code == 2
    assert f"{path}: error: not fixed: cannot write: Permission denied" in result.err
    assert path.read_bytes() == original


def test_write_atomic_refuses_a_file_changed_since_read(tmp_path) -> None:
    path = _draft(tmp_path, b"new content")
    with pytest.raises(FixError, match="changed since it was read"):
        write_atomic(path, b"fixed", expected=b"old content")
    assert path.read_bytes() == b"new content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.txt"]


def test_diff_prints_and_writes_nothing(cli, tmp_path) -> None:
    original = f"{TITLE}\r\n来源:某镇\r\n截止2021年底无申请。\r\n".encode("gb18030")
    path = _draft(tmp_path, original)
    result = cli(path, "--diff", *FIXABLE, "--fail-on", "warning")
    assert path.read_bytes() == original
    assert result.out == (
        f"--- {path}\n"
        f"+++ {path}\n"
        "@@ -1,3 +1,2 @@\n"
        f" {TITLE}\n"
        "-来源:某镇\n"
        "-截止2021年底无申请。\n"
        "+截至2021年底无申请。\n"
    )
    assert "可自动修复 2 个问题" in result.err
    # exit code of the remaining findings: none left once fixed
    assert result.code == 0


def test_diff_exit_code_counts_what_fixing_leaves(cli, tmp_path) -> None:
    path = _draft(tmp_path, f"{TITLE}\n截止2021年底办理人大代表提案3件。".encode())
    result = cli(
        path, "--diff", "--select", "TY003,TY004", "--isolated", "--fail-on", "warning"
    )
    assert result.code == 1  # TY004 has no safe fix
    assert "+截至2021年底办理人大代表提案3件。\n\\ No newline at end of file\n" in (
        result.out
    )


# --------------------------------------------------------------------------
# Passes, overlaps and the number guard (unit level)


def _finding(doc: Document, start: int, end: int, replacement: str) -> Finding:
    span = Span(start, end)
    fix = Fix(span, replacement, doc.position(start), doc.position(end), True)
    return Finding(
        doc.path,
        span,
        doc.position(start),
        doc.position(end),
        "TY999",
        "test",
        Category.TYPO,
        Severity.WARNING,
        "m",
        fix,
    )


def _fix(finding: Finding) -> Fix:
    assert finding.fix is not None
    return finding.fix


def test_overlapping_fix_waits_for_the_next_pass() -> None:
    doc = Document("t.txt", "abcdef\n")
    first = _finding(doc, 1, 3, "X")  # bc → X
    overlapping = _finding(doc, 2, 4, "Y")  # cd → Y, overlaps the first
    new_doc, applied = apply_fixes(doc, [_fix(first), _fix(overlapping)])
    assert (new_doc.text, applied) == ("aXdef\n", 1)
    calls: list[str] = []

    def relint(d: Document) -> tuple[None, list[Finding]]:
        calls.append(d.text)
        # the second rule still fires on the new text: "d" → "Y"
        at = d.text.find("d")
        return None, [_finding(d, at, at + 1, "Y")] if at != -1 else []

    outcome = fix_document(doc, [first, overlapping], relint)
    assert outcome.document.text == "aXYef\n"
    assert outcome.fixed == 2
    assert calls == ["aXdef\n", "aXYef\n"]
    assert outcome.findings == []


def test_passes_stop_after_the_limit() -> None:
    doc = Document("t.txt", "a\n")

    def flip(d: Document) -> tuple[None, list[Finding]]:
        other = "b" if d.text[0] == "a" else "a"
        return None, [_finding(d, 0, 1, other)]

    outcome = fix_document(doc, flip(doc)[1], flip)
    assert outcome.fixed == 10  # MAX_PASSES, then it stops


@pytest.mark.parametrize(
    ("text", "start", "end", "replacement", "refused"),
    [
        ("截止2021年", 0, 2, "截至", False),  # digits untouched
        ("共12件", 1, 3, "13", True),  # a number changed
        ("共12件", 2, 3, "", True),  # cuts into a number
        ("共12件", 2, 2, "X", True),  # inserts into a number
        ("共0件", 1, 2, "", True),  # deletes a bare number
        ("共1,234件", 2, 3, "", True),  # joins two digit runs
        ("[bookmark: _Toc12]正文", 0, 18, "", False),  # a leftover with digits
        ("发布日期:2021-01-27\n正文", 0, 17, "", False),  # a leftover line
        ("２０２１年", 0, 4, "2021", False),  # same digits, other width
        ("共件", 1, 1, "3", True),  # writes a digit
    ],
)
def test_changes_number(text, start, end, replacement, refused) -> None:
    assert changes_number(text, Span(start, end), replacement) is refused


def test_touches_cell() -> None:
    cells = [Span(10, 12), Span(20, 20)]  # a filled cell and a blank one
    assert touches_cell(cells, Span(11, 13))
    assert touches_cell(cells, Span(12, 12))  # insertion at its edge
    assert touches_cell(cells, Span(19, 21))  # deleting across a blank cell
    assert touches_cell(cells, Span(20, 20))  # writing into a blank cell
    assert not touches_cell(cells, Span(0, 10))
    assert not touches_cell(cells, Span(13, 20))


def test_no_fix_touches_a_table_cell() -> None:
    class Table:
        def __init__(self, spans: list[Span]) -> None:
            self._cells = [type("Cell", (), {"span": s})() for s in spans]

        def cells(self) -> list[object]:
            return self._cells

    report = type("Report", (), {"tables": [Table([Span(3, 5)])]})()
    doc = Document("t.txt", "行政许可\t前面\n")
    fixes = [_fix(_finding(doc, 5, 7, "全面")), _fix(_finding(doc, 3, 5, "X"))]
    new_doc, applied = apply_fixes(doc, fixes, report)
    assert (new_doc.text, applied) == ("行政许可\t全面\n", 1)


def test_deleting_a_line_drops_its_terminator_only() -> None:
    doc = document_from_bytes("t.txt", b"a\r\nbb\nc\rd")
    line2 = doc.index.line_span(2)
    fix = _fix(_finding(doc, line2.start, line2.end + 1, ""))
    new_doc, _ = apply_fixes(doc, [fix])
    assert new_doc.encode() == b"a\r\nc\rd"


# --------------------------------------------------------------------------
# Property: any draft, fixed once, has nothing left to fix

VOCAB = [
    TITLE,
    "\n",
    "\r\n",
    "截止",
    "2021年底",
    "前面做好",
    "[bookmark: _GoBack]",
    "来源:某镇\n",
    "分享到:",
    "》，",
    "，",
    "0",
    "人大代表提案",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(VOCAB) | st.text(max_size=4), max_size=25))
def test_fixing_twice_changes_nothing(packset: PackSet, parts: list[str]) -> None:
    data = "".join(parts).encode("utf-8", "surrogatepass")
    try:
        doc = document_from_bytes("p.txt", data)
    except Exception:
        return
    rules = RuleFilter(select=("FM", "TY"))

    def relint(d: Document) -> tuple[object, list[Finding]]:
        return lint_document(d, packset, None, rules)

    report, findings = relint(doc)
    once = fix_document(doc, findings, relint, report)
    again = fix_document(once.document, once.findings, relint, once.report)
    assert again.fixed == 0
    assert again.document.encode() == once.document.encode()
    assert not [
        f
        for f in once.findings
        if f.fix is not None
        and f.fix.safe
        and (once.document.text[f.fix.span.start : f.fix.span.end] != f.fix.replacement)
        and not changes_number(once.document.text, f.fix.span, f.fix.replacement)
    ]


def test_cell_guard_uses_the_tables_the_engine_reads(packset: PackSet) -> None:
    from disclosure_lint.engine.fixes import _cell_spans
    from disclosure_lint.inputs.load import load_document

    from .conftest import EXAMPLES

    doc = load_document(EXAMPLES / "clean-2021.txt")
    report, _ = lint_document(doc, packset)
    cells = list(_cell_spans(report))
    assert len(cells) > 100  # tables 二, 三 and 四 of the 2021 edition
    cell = next(c for c in cells if c.end > c.start)
    # keeps the digits, so only the cell guard can refuse it
    replacement = doc.text[cell.start : cell.end] + "件"
    assert not changes_number(doc.text, cell, replacement)
    finding = _finding(doc, cell.start, cell.end, replacement)
    assert apply_fixes(doc, [_fix(finding)], report) == (doc, 0)
    assert apply_fixes(doc, [_fix(finding)]) != (doc, 0)  # no tables: applied


def test_fixing_every_seed_and_example_is_idempotent(cli, tmp_path) -> None:
    from disclosure_lint.inputs.load import load_document

    from .conftest import EXAMPLES, seed_files

    drafts = [*seed_files(), *sorted(EXAMPLES.glob("*.txt")), *EXAMPLES.glob("*.md")]
    for draft in drafts:
        (tmp_path / draft.name).write_bytes(draft.read_bytes())
    first = cli(tmp_path, "--fix", "--isolated", "--format", "json")
    assert first.code in (0, 1), first.err
    assert json.loads(first.out)["summary"]["fixed"] > 0
    fixed = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    second = cli(tmp_path, "--fix", "--isolated", "--format", "json")
    assert json.loads(second.out)["summary"]["fixed"] == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == fixed
    for draft in drafts:
        before, after = load_document(draft), load_document(tmp_path / draft.name)
        assert (after.encoding, after.bom) == (before.encoding, before.bom)
        assert after.newline_style == before.newline_style


# --------------------------------------------------------------------------
# Who may have a file rewritten (the run keeps a file's mode and owner)

NOBODY = 65534
UNFIXED = f"{TITLE}\n截止2021年底无申请。\n".encode()
FIXED = f"{TITLE}\n截至2021年底无申请。\n".encode()


def _needs_root() -> None:
    if os.geteuid() != 0:
        pytest.fail(
            "this test changes file owners and drops to uid 65534 (nobody): "
            "run the suite as root, as CI (.ci/run) does"
        )


def test_read_only_file_is_not_fixed(cli, tmp_path) -> None:
    # NOTE: root may write a 0444 file, but the mode says it is not to change.
    path = _draft(tmp_path, UNFIXED)
    path.chmod(0o444)
    other = _draft(tmp_path, UNFIXED, "other.txt")
    result = cli(path, other, "--fix", *FIXABLE)
    assert result.code == 2
    assert result.err.splitlines() == [f"{path}: error: not fixed: read-only"]
    assert path.read_bytes() == UNFIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert other.read_bytes() == FIXED  # the rest of the batch is fixed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.txt", "other.txt"]


def test_immutable_file_is_not_fixed(cli, tmp_path) -> None:
    _needs_root()
    path = _draft(tmp_path, UNFIXED)
    made = subprocess.run(["chattr", "+i", path], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.fail(
            f"chattr +i failed ({made.stderr.strip()}): this test needs root and "
            "a file system with the immutable flag (ext4, xfs, btrfs)"
        )
    try:
        result = cli(path, "--fix", *FIXABLE)
    finally:
        subprocess.run(["chattr", "-i", path], check=True)
    assert result.code == 2
    assert result.err.splitlines() == [f"{path}: error: not fixed: read-only"]
    assert path.read_bytes() == UNFIXED


def test_fix_keeps_owner_group_and_mode(cli, tmp_path) -> None:
    _needs_root()
    path = _draft(tmp_path, UNFIXED)
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o2640)  # set-group-ID too: changing the owner would clear it
    assert cli(path, "--fix", *FIXABLE).code == 0
    info = path.stat()
    assert path.read_bytes() == FIXED
    assert (info.st_uid, info.st_gid) == (NOBODY, NOBODY)
    assert stat.S_IMODE(info.st_mode) == 0o2640


# NOTE: the interpreter and its library may live where nobody may not go
# (/root/.pyenv): the child runs the command once as root on a writable copy
# (importing every module the run needs), then drops to nobody for real.
_DROP_AND_RUN = """
import contextlib, io, os, sys
from disclosure_lint.cli.app import main
warm, real, args = sys.argv[1], sys.argv[2], sys.argv[3:]
os.chdir(warm)
with contextlib.redirect_stdout(io.StringIO()):
    with contextlib.redirect_stderr(io.StringIO()):
        main(args)
os.chdir(real)
os.setgroups([])
os.setgid(65534)
os.setuid(65534)
assert os.geteuid() == 65534 and os.getegid() == 65534
sys.exit(main(args))
"""


def _as_nobody(
    directory: Path, warm: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in ``directory`` as uid/gid 65534, no supplementary groups."""
    env = {**os.environ, "HOME": str(warm), "XDG_CACHE_HOME": str(warm)}
    return subprocess.run(
        [sys.executable, "-c", _DROP_AND_RUN, str(warm), str(directory), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_unprivileged_fix_keeps_hands_off_files_it_may_not_write() -> None:
    _needs_root()
    # NOTE: not pytest's tmp_path: /tmp/pytest-of-root is closed to nobody.
    directory = Path(tempfile.mkdtemp(prefix="disclosure-lint-nobody-"))
    warm = Path(tempfile.mkdtemp(prefix="disclosure-lint-warm-"))
    try:
        directory.chmod(0o777)  # anyone may create, rename and delete here
        warm.chmod(0o755)
        files = {  # name: (owner, mode, reason not fixed or None)
            "a-roots.txt": (0, 0o644, "read-only"),
            "b-own-read-only.txt": (NOBODY, 0o444, "read-only"),
            "c-roots-world-writable.txt": (
                0,
                0o666,
                "owned by another user (uid 0); rewriting it would change that",
            ),
            "d-own.txt": (NOBODY, 0o640, None),
        }
        for name, (owner, mode, _) in files.items():
            path = _draft(directory, UNFIXED, name)
            os.chown(path, owner, NOBODY)
            path.chmod(mode)
            _draft(warm, UNFIXED, name)
        result = _as_nobody(directory, warm, ".", "--fix", *FIXABLE)
        assert result.returncode == 2, result.stderr
        expected = [
            f"{name}: error: not fixed: {reason}"
            for name, (_, _, reason) in files.items()
            if reason is not None
        ]
        assert result.stderr.splitlines() == expected
        for name, (owner, mode, reason) in files.items():
            info = (directory / name).stat()
            assert (info.st_uid, info.st_gid) == (owner, NOBODY), name
            assert stat.S_IMODE(info.st_mode) == mode, name
            done = UNFIXED if reason else FIXED
            assert (directory / name).read_bytes() == done, name
        assert sorted(p.name for p in directory.iterdir() if p.suffix == ".tmp") == []
    finally:
        shutil.rmtree(directory)
        shutil.rmtree(warm)
