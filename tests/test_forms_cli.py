"""The command line on drafts of every form: render, locations, batches, fixes.

Real runs of ``python -m disclosure_lint`` in a subprocess. The Word
documents and web pages are built here from the text fixtures (with
python-docx and plain HTML), so every run has a known rendered text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import EXAMPLES

DEFECTS = EXAMPLES / "defects-2021.txt"
CLEAN = EXAMPLES / "clean-2021.txt"
TIMEOUT = 120


def _run(*args: object, stdin: bytes = b"", cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=TIMEOUT,
        check=False,
    )


def _text(proc: subprocess.CompletedProcess[bytes]) -> tuple[str, str]:
    return proc.stdout.decode(), proc.stderr.decode()


# --------------------------------------------------------------------------
# render


def test_render_of_a_text_draft_is_its_text_numbered_like_cat_n(tmp_path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_bytes(b"\xef\xbb\xbftitle\r\na\tb\r\n\r\nlast")
    proc = _run("render", draft)
    out, err = _text(proc)
    assert proc.returncode == 0, err
    assert out == "     1\ttitle\n     2\ta\tb\n     3\t\n     4\tlast\n"
    cat = subprocess.run(
        ["cat", "-n"], input=b"title\na\tb\n\nlast\n", capture_output=True, check=True
    )
    assert out == cat.stdout.decode()
    plain = _run("render", "--plain", draft)
    assert plain.stdout.decode() == "title\na\tb\n\nlast\n"


def test_render_numbers_are_the_lines_findings_point_at() -> None:
    rendered = _run("render", DEFECTS).stdout.decode().splitlines()
    findings = json.loads(_run(DEFECTS, "--format", "json").stdout)["findings"]
    for finding in findings:
        number, _, line = rendered[finding["line"] - 1].partition("\t")
        assert int(number) == finding["line"]
        assert len(line) >= finding["column"] - 1


def test_render_of_bad_input_is_one_line_and_exit_2(tmp_path) -> None:
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    (tmp_path / "empty.txt").write_bytes(b"")
    for name in ("old.doc", "empty.txt", "missing.docx", "."):
        proc = _run("render", name, cwd=tmp_path)
        out, err = _text(proc)
        assert proc.returncode == 2, (name, err)
        assert out == ""
        assert err.count("\n") == 1 and err.startswith(f"{name}: error: "), err
        assert "Traceback" not in err


def test_a_draft_named_render_is_still_checked_with_check(tmp_path) -> None:
    shutil.copy(DEFECTS, tmp_path / "render")
    proc = _run("check", "render", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["files"][0]["path"] == "render"
