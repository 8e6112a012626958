"""The command line on drafts of every form: render, locations, batches, fixes.

Real runs of ``python -m disclosure_lint`` in a subprocess. The Word
documents and web pages are built here from the text fixtures (with
python-docx and plain HTML), so every run has a known rendered text.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLES
from .docx_build import docx_from_text
from .html_pages import page
from .test_formats import assert_valid_sarif

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


def test_render_reads_standard_input_by_content(drafts) -> None:
    data = (drafts / "defects.docx").read_bytes()
    piped = _run("render", "-", stdin=data)
    assert piped.returncode == 0, piped.stderr.decode()
    assert piped.stdout == _run("render", drafts / "defects.docx").stdout
    assert b"\t" in piped.stdout and b"PK" not in piped.stdout


def test_a_draft_named_render_is_still_checked_with_check(tmp_path) -> None:
    shutil.copy(DEFECTS, tmp_path / "render")
    proc = _run("check", "render", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["files"][0]["path"] == "render"


# --------------------------------------------------------------------------
# Drafts of every form, built from the text fixtures


def pdf_from_lines(lines: list[str], path: Path) -> Path:
    """A PDF with a text layer, printed by the headless Chromium from HTML."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is needed to print test PDFs (apt install chromium)"
    page = path.with_suffix(".src.html")
    body = "".join(f"<p>{line}</p>" for line in lines)
    page.write_text(
        '<!doctype html><html><head><meta charset="utf-8"><style>'
        'body{font-family:"WenQuanYi Micro Hei",sans-serif} p{margin:0 0 2em}'
        f"</style></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={path}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
    )
    page.unlink()
    return path


TITLE = "青山镇人民政府2021年政府信息公开工作年度报告"
TYPO = "截止2021年底，共收到申请0件。"


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory: the defects example as .txt, .docx, .html; a PDF with a typo."""
    root = tmp_path_factory.mktemp("forms")
    shutil.copy(DEFECTS, root / "defects.txt")
    (root / "defects.docx").write_bytes(
        docx_from_text(DEFECTS.read_text(encoding="utf-8"))
    )
    (root / "defects.html").write_text(
        page(DEFECTS.read_text(encoding="utf-8")), encoding="utf-8"
    )
    pdf_from_lines([TITLE, TYPO], root / "typo.pdf")
    return root


def _json(*args: object, cwd: Path | None = None) -> dict[str, Any]:
    proc = _run(*args, "--format", "json", "--isolated", cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return json.loads(proc.stdout)


def test_word_draft_gives_the_text_drafts_findings_at_word_places(drafts) -> None:
    text = _json(drafts / "defects.txt")["findings"]
    word = _json(drafts / "defects.docx")["findings"]
    assert [f["rule"] for f in word] == [f["rule"] for f in text]
    assert {f["location"]["form"] for f in word} == {"docx"}
    out, _ = _text(_run(drafts / "defects.docx", "--isolated"))
    lines = out.splitlines()[:-1]
    assert lines and all(
        re.match(r".*defects\.docx:(段落\d+|表\d+第\d+行第\d+列): ", line)
        for line in lines
    ), lines
    rendered = _run("render", "--plain", drafts / "defects.docx").stdout.decode()
    for finding in word:
        # NOTE: line and column are those of the rendered text, as render prints it.
        line = rendered.split("\n")[finding["line"] - 1]
        assert len(line) >= finding["column"] - 1


def test_web_page_findings_point_into_the_html_source(drafts) -> None:
    text = _json(drafts / "defects.txt")["findings"]
    page = _json(drafts / "defects.html")["findings"]
    assert [f["rule"] for f in page] == [f["rule"] for f in text]
    source = (drafts / "defects.html").read_text(encoding="utf-8").split("\n")
    for finding in page:
        where = finding["location"]
        assert where["form"] == "html"
        line = source[where["line"] - 1]
        if finding["rule"] == "TY003":
            # NOTE: the source columns hold the flagged text itself.
            assert line[where["column"] - 1 : where["end_column"] - 1] == "截止"
    out, _ = _text(_run(drafts / "defects.html", "--isolated", "--select", "TY003"))
    (ty003,) = [f for f in page if f["rule"] == "TY003"]
    assert (
        f"defects.html:{ty003['location']['line']}:{ty003['location']['column']}:"
        in out
    )
    github = _run(drafts / "defects.html", "--isolated", "--format", "github")
    assert f"line={ty003['location']['line']},col=" in github.stdout.decode()


def test_pdf_finding_names_page_and_line(drafts) -> None:
    data = _json(drafts / "typo.pdf", "--select", "TY003")
    (finding,) = data["findings"]
    assert finding["location"]["form"] == "pdf"
    assert finding["location"]["page"] == 1 and finding["location"]["line"] >= 1
    (entry,) = data["files"]
    assert entry["form"] == "pdf" and "encoding" not in entry
    out, _ = _text(_run(drafts / "typo.pdf", "--select", "TY003", "--lang", "en"))
    assert re.match(r".*typo\.pdf:page 1 line \d+: warning TY003 \[\*\] ", out)


def test_jobs_give_the_same_output_for_every_form(drafts) -> None:
    for fmt in ("text", "json", "sarif", "github", "junit"):
        one = _run(drafts, "--isolated", "-j", "1", "--format", fmt)
        two = _run(drafts, "--isolated", "-j", "2", "--format", fmt)
        assert one.returncode == two.returncode == 1
        assert one.stdout == two.stdout, fmt
    shown = _run(drafts, "--isolated", "-j", "2", "--show-source").stdout.decode()
    assert "渲染第" in shown  # NOTE: the form comes back from the workers


def test_sarif_is_valid_for_word_and_pdf_drafts(drafts) -> None:
    log = json.loads(_run(drafts, "--isolated", "--format", "sarif").stdout)
    assert_valid_sarif(log)
    results = log["runs"][0]["results"]
    by_uri: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        (where,) = result["locations"]
        uri = where["physicalLocation"]["artifactLocation"]["uri"]
        by_uri.setdefault(uri.rsplit("/", 1)[-1], []).append(where)
    assert all("region" in w["physicalLocation"] for w in by_uri["defects.txt"])
    assert all("region" in w["physicalLocation"] for w in by_uri["defects.html"])
    for name in ("defects.docx", "typo.pdf"):
        assert by_uri[name]
        for where in by_uri[name]:
            assert "region" not in where["physicalLocation"]
            assert where["logicalLocations"][0]["name"] == where["message"]["text"]


def test_github_annotations_of_a_word_draft_are_on_the_file(drafts) -> None:
    out = _run(drafts / "defects.docx", "--isolated", "--format", "github").stdout
    annotations = [a for a in out.decode().splitlines() if a.startswith("::")][:-1]
    assert annotations
    for annotation in annotations:
        if "file=" in annotation:
            assert "line=" not in annotation
            assert re.search(r"title=[A-Z]{2}\d{3} [^:]* \((段落|表)", annotation)


def test_select_ignore_and_configuration_apply_to_word_drafts(drafts, tmp_path) -> None:
    shutil.copy(drafts / "defects.docx", tmp_path / "d.docx")
    only = _json(tmp_path / "d.docx", "--select", "TY")["findings"]
    assert only and {f["rule"][:2] for f in only} == {"TY"}
    ignored = _json(tmp_path / "d.docx", "--ignore", "TY,ST")["findings"]
    assert ignored and not {f["rule"][:2] for f in ignored} & {"TY", "ST"}
    (tmp_path / ".disclosure-lint.yaml").write_text("select: [TY003]\n")
    proc = _run("d.docx", "--format", "json", cwd=tmp_path)
    assert {f["rule"] for f in json.loads(proc.stdout)["findings"]} == {"TY003"}


def test_waivers_anchor_to_the_rendered_text(drafts, tmp_path) -> None:
    for name in ("defects.docx", "typo.pdf"):
        shutil.copy(drafts / name, tmp_path / name)
    before = _run(".", cwd=tmp_path)
    assert before.returncode == 1
    waived = _run("waive", ".", "--reason", "accepted in review", cwd=tmp_path)
    assert waived.returncode == 0, waived.stderr.decode()
    after = _run(".", "--format", "json", cwd=tmp_path)
    assert after.returncode == 0, after.stdout.decode()
    assert json.loads(after.stdout)["findings"] == []


def test_fix_refuses_published_forms_and_fixes_the_rest(drafts, tmp_path) -> None:
    for name in ("defects.docx", "typo.pdf", "defects.txt"):
        shutil.copy(drafts / name, tmp_path / name)
    (tmp_path / "page.html").write_text(
        f"<!doctype html><html><body><p>{TITLE}</p><p>{TYPO}</p></body></html>",
        encoding="utf-8",
    )
    pdf_bytes = (tmp_path / "typo.pdf").read_bytes()
    html_bytes = (tmp_path / "page.html").read_bytes()
    proc = _run(".", "--fix", "--isolated", "--select", "TY003", cwd=tmp_path)
    out, err = _text(proc)
    assert proc.returncode == 2, err
    refused = sorted(line.split(":")[0] for line in err.splitlines())
    assert refused == ["page.html", "typo.pdf"], err
    assert all(": error: not fixed: " in line for line in err.splitlines())
    # The published files are untouched, their findings still reported; the
    # text draft is fixed.
    assert (tmp_path / "typo.pdf").read_bytes() == pdf_bytes
    assert (tmp_path / "page.html").read_bytes() == html_bytes
    assert "typo.pdf:" in out and "page.html:" in out
    assert "截止2021年底" not in (tmp_path / "defects.txt").read_text(encoding="utf-8")
    # NOTE: the Word draft's fix is a tracked change (tests/test_word_review.py).
    assert _json(tmp_path / "defects.docx", "--select", "TY003")["findings"] == []


def test_word_and_pdf_drafts_on_stdin_are_read_by_content(drafts) -> None:
    for name, label in (
        ("defects.docx", "段落"),
        ("typo.pdf", "第1页"),
        ("defects.html", ""),
    ):
        data = (drafts / name).read_bytes()
        proc = _run("--stdin-filename", f"上传/{name}", "--isolated", stdin=data)
        out, err = _text(proc)
        assert proc.returncode == 1, err
        assert f"上传/{name}:{label}" in out
        anonymous = _run("-", "--isolated", "--format", "json", stdin=data)
        assert json.loads(anonymous.stdout)["files"][0]["form"] == name.split(".")[1]


def test_extract_gives_word_cells_with_their_table_cell(drafts) -> None:
    proc = _run("extract", drafts / "defects.docx")
    data = json.loads(proc.stdout)
    assert data["version"] == 2
    assert data["cells"]
    for cell in data["cells"]:
        where = cell["location"]
        assert where["form"] == "docx"
        assert {"table", "row", "column"} <= set(where)
    text = json.loads(_run("extract", drafts / "defects.txt").stdout)["cells"]
    assert [(c["table"], c["row"], c["column"], c["value"]) for c in text] == [
        (c["table"], c["row"], c["column"], c["value"]) for c in data["cells"]
    ]
    csv_out = _run("extract", drafts / "defects.docx", "--format", "csv").stdout
    header, first = csv_out.decode().splitlines()[:2]
    assert header.endswith(",location")
    assert '"form"":""docx""' in first or '""form"":""docx""' in first


def test_html_report_of_a_word_draft_says_it_is_rendered(drafts, tmp_path) -> None:
    report = tmp_path / "r.html"
    proc = _run(drafts / "defects.docx", "--format", "html", "-o", report)
    assert proc.returncode == 1, proc.stderr.decode()
    page = report.read_text(encoding="utf-8")
    assert "由 .docx 文件转换成的文本" in page
    assert '<span class="pos">段落' in page
