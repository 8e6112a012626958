"""The HTML report: unit tests of the line view, then the page in real Chromium.

The Chromium tests need Debian's ``chromium`` (and a CJK font for the
screenshot to show glyphs): ``apt-get install chromium fonts-wqy-microhei``;
``.ci/run`` installs both. They fail, never skip, when these are missing.
Artifacts (the pages and their screenshots) go to ``test-artifacts/``.
"""

from __future__ import annotations

import html
import json
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from disclosure_lint.formatters.html_view import Note, split_line
from disclosure_lint.inputs.load import load_document

from .conftest import EXAMPLES, ROOT, seed_files

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "install them (Debian, as root: apt-get install chromium fonts-wqy-microhei) "
    "or run .ci/run, which installs both and runs the suite; see README, Quick start"
)


def _note(line: int, severity: str = "warning", rule: str = "TY001") -> Note:
    return Note(1, "n", line, 1, rule, "name", "typo", severity, "msg", None)


# --------------------------------------------------------------------------
# The line view (no browser)


def test_split_line_highlights_exact_spans_and_overlaps() -> None:
    text = "abcdefghij"
    w, e = _note(3), _note(3, "error", "PE002")
    line = split_line(3, text, 100, [(102, 106, w), (104, 108, e)])
    got = [(p.text, p.severity, [n.rule for n in p.notes]) for p in line.pieces]
    assert got == [
        ("ab", None, []),
        ("cd", "warning", ["TY001"]),
        ("ef", "error", ["TY001", "PE002"]),
        ("gh", "error", ["PE002"]),
        ("ij", None, []),
    ]
    assert "".join(p.text for p in line.pieces) == text
    assert line.severity == "error" and line.notes == [w, e]


def test_split_line_multi_line_spans_and_carets() -> None:
    spanning = _note(1)
    first = split_line(1, "abc", 0, [(1, 6, spanning)])
    second = split_line(2, "def", 4, [(1, 6, spanning)])
    assert [(p.text, p.severity) for p in first.pieces] == [
        ("a", None),
        ("bc", "warning"),
    ]
    assert [(p.text, p.severity) for p in second.pieces] == [
        ("de", "warning"),
        ("f", None),
    ]
    assert second.notes == []  # the message stands on the first line only
    empty = _note(5, "error")
    caret = split_line(5, "xy", 10, [(11, 11, empty)])
    assert [(p.text, p.caret) for p in caret.pieces] == [
        ("x", False),
        ("", True),
        ("y", False),
    ]
    # a span that covers only the newline still shows where it is
    newline = _note(7)
    end = split_line(7, "xy", 20, [(22, 23, newline)])
    assert [(p.text, p.caret) for p in end.pieces] == [("xy", False), ("", True)]


def test_markup_in_a_draft_is_escaped(cli, tmp_path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "青山镇人民政府2021年政府信息公开工作年度报告\n"
        '<script>alert("x")</script>截止2021年底&amp;\n',
        encoding="utf-8",
    )
    page = cli(draft, "--format", "html").out
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&amp;amp;" in page


# --------------------------------------------------------------------------
# Chromium


def chromium() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found is None:
        pytest.fail(
            "headless Chromium (and a CJK font) is needed for this test and no "
            f"`chromium` was found on PATH or at /usr/bin/chromium: {INSTALL_HINT}"
        )
    return found


def run_chromium(
    tmp_path: Path, page: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``page`` with a fresh profile."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    command = [
        chromium(),
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        *args,
        page.resolve().as_uri(),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=120, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish in 120 s: {' '.join(command)}")
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def console_messages(stderr: str) -> list[str]:
    """Console messages (errors, CSP violations) that Chromium logged."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def dump_dom(tmp_path: Path, page: Path) -> tuple[str, list[str]]:
    done = run_chromium(
        tmp_path, page, "--enable-logging=stderr", "--v=0", "--dump-dom"
    )
    return done.stdout, console_messages(done.stderr)


def screenshot(tmp_path: Path, page: Path, png: Path) -> None:
    """Save a 1280x2000 screenshot of ``page`` and check it is one."""
    if shutil.which("fc-list") is None:
        pytest.fail(f"no fc-list (fontconfig) to look for a CJK font; {INSTALL_HINT}")
    fonts = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True
    )
    if not fonts.stdout.strip():
        pytest.fail(
            "no CJK font (fc-list :lang=zh lists none): the screenshot would show "
            f"boxes; {INSTALL_HINT}"
        )
    png.unlink(missing_ok=True)
    run_chromium(tmp_path, page, f"--screenshot={png}", "--window-size=1280,2000")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000, "screenshot looks blank"


class Markup(HTMLParser):
    """Tags, attributes and style sheets of a page (not its text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str, str]] = []
        self.css = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.extend((tag, k, v or "") for k, v in attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css += data


def assert_self_contained(source: str) -> None:
    """Nothing to fetch, nothing to run, and a CSP that forbids loading."""
    markup = Markup()
    markup.feed(source)
    assert not markup.tags & {"script", "link", "img", "iframe", "object", "embed"}
    for tag, name, value in markup.attrs:
        assert name not in ("src", "srcset", "style"), (tag, name)
        assert not name.startswith("on"), (tag, name)  # no event handlers
        if name == "href":
            assert value.startswith("#"), (tag, value)
    assert "url(" not in markup.css and "@import" not in markup.css
    csp = [v for t, k, v in markup.attrs if t == "meta" and k == "content"]
    assert any(v.startswith("default-src 'none';") for v in csp), csp


class DomRows(HTMLParser):
    """Per draft-table row: the highlighted pieces (with titles) and the notes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, dict[str, list]] = {}
        self._row: dict[str, list] | None = None
        self._mark: list | None = None
        self._note: list[str] | None = None
        self.marks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("id"):
            self._row = self.rows.setdefault(a["id"] or "", {"marks": [], "notes": []})
        elif tag == "mark" and self._row is not None:
            self.marks += 1
            self._mark = [a.get("title") or "", "", "caret" in (a.get("class") or "")]
            self._row["marks"].append(self._mark)
        elif tag == "div" and "note" in (a.get("class") or "").split():
            self._note = []
            assert self._row is not None
            self._row["notes"].append(self._note)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._mark = None
        elif tag == "div":
            self._note = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self._mark[1] += data
        if self._note is not None:
            self._note.append(data)


def assert_findings_shown(dom: str, findings: list[dict], anchors: dict[str, str]):
    """Every finding: its message beside its line, its exact span highlighted."""
    parser = DomRows()
    parser.feed(dom)
    assert parser.marks >= len(findings)
    docs: dict[str, object] = {}
    for f in findings:
        row = parser.rows[f"{anchors[f['path']]}-L{f['line']}"]
        notes = ["".join(n) for n in row["notes"]]
        assert any(f["rule"] in n and f["message"] in n for n in notes), (f, notes)
        title = f"{f['rule']} {f['message']}"
        mine = [m for m in row["marks"] if title in m[0].split("\n")]
        assert mine, f"no highlight for {f}"
        doc = docs.setdefault(f["path"], load_document(f["path"]))
        line_text = doc.line_text(f["line"])  # type: ignore[attr-defined]
        end = f["end_column"] - 1 if f["end_line"] == f["line"] else len(line_text)
        flagged = line_text[f["column"] - 1 : end]
        if flagged:
            assert "".join(m[1] for m in mine) == flagged, f
        else:
            assert any(m[2] for m in mine), f"no caret for empty span {f}"


def test_html_report_of_the_seeds_in_chromium(cli, tmp_path) -> None:
    seeds = seed_files()
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / "report-seeds.html"
    result = cli(*seeds, "--format", "html", "--statistics", "--output", page)
    assert result.code in (0, 1), result.err
    findings = json.loads(cli(*seeds, "--format", "json").out)["findings"]
    assert findings
    source = page.read_text(encoding="utf-8")

    assert_self_contained(source)

    dom, console = dump_dom(tmp_path, page)
    assert not console, "console messages while loading the page:\n" + "\n".join(
        console
    )
    anchors = {str(p): f"file-{i}" for i, p in enumerate(seeds, 1)}
    for path, anchor in anchors.items():  # summary table links to every file
        assert f'href="#{anchor}"' in dom and f'id="{anchor}"' in dom
        assert html.escape(path, quote=False) in dom
    assert_findings_shown(dom, findings, anchors)

    screenshot(tmp_path, page, ARTIFACTS / "report-seeds.png")


def test_console_check_catches_a_broken_page(tmp_path) -> None:
    """The console check can fail: a page script is refused by the CSP."""
    page = tmp_path / "canary.html"
    broken = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '</head><body><script>document.body.dataset.ran = "yes"</script></body></html>'
    )
    page.write_text(broken, encoding="utf-8")
    dom, console = dump_dom(tmp_path, page)
    assert 'data-ran="yes"' not in dom
    assert any("Content Security Policy" in line for line in console), console


def test_html_report_of_one_draft_in_chromium(cli, tmp_path) -> None:
    draft = EXAMPLES / "defects-2021.txt"
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / "report-defects-2021.html"
    assert cli(draft, "-f", "html", "-o", page).code == 1
    findings = json.loads(cli(draft, "--format", "json").out)["findings"]
    assert_self_contained(page.read_text(encoding="utf-8"))
    dom, console = dump_dom(tmp_path, page)
    assert not console, "\n".join(console)
    assert 'id="summary"' not in dom  # one file: no summary table
    assert_findings_shown(dom, findings, {str(draft): "file-1"})
    screenshot(tmp_path, page, ARTIFACTS / "report-defects-2021.png")
