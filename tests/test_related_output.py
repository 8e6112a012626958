"""Findings that name a place in another file (``Finding.related``), per format.

A year-over-year finding sits on this year's draft and names the matching
place in last year's report. Each test lints two real drafts (this year's
``2024.txt`` and last year's ``previous/2023.txt``, both the clean example)
and gives the formatters this year's document with one such finding, built
with the real record classes, and compares the whole output.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from disclosure_lint.document.findings import (
    SCHEMA_VERSION,
    Category,
    Finding,
    Related,
    Severity,
)
from disclosure_lint.document.source import DocxLocation, PdfLocation
from disclosure_lint.document.text import Position, Span
from disclosure_lint.engine.lint import FileResult, RuleFilter, lint_file
from disclosure_lint.formatters import FormatContext, Summary, get_formatter
from disclosure_lint.formatters.base import Spool
from disclosure_lint.formatters.html import _Links
from disclosure_lint.formatters.html_view import RelatedNote
from disclosure_lint.kinds.report import LintOptions

from .conftest import EXAMPLES
from .test_formats import assert_valid_sarif
from .test_html_report import dump_dom

THIS = "2024.txt"
LAST = "previous/2023.txt"
MESSAGE = "上年结转（1件）与上年报告的结转下年度（2件）不一致，可能因统计口径调整而不同"
NOTE = "上年（2023年）报告中的对应内容"
NOTE_EN = "the matching place in last year's (2023) report"


@pytest.fixture
def drafts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This year's and last year's drafts, in the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "previous").mkdir()
    shutil.copy(EXAMPLES / "clean-2021.txt", tmp_path / THIS)
    shutil.copy(EXAMPLES / "clean-2021.txt", tmp_path / LAST)
    return tmp_path


def linted(path: str, packset) -> FileResult:
    """The real result of linting ``path``, with its report."""
    result = lint_file(path, packset, LintOptions(), RuleFilter(), keep_report=True)
    assert result.error is None and result.report is not None
    return result


def related(path: str = LAST, message: str = NOTE, location: object = None) -> Related:
    """结转下年度 in line 11 of last year's draft (offsets 375..380)."""
    return Related(path, Position(11, 67), Position(11, 72), message, location)


def finding(*places: Related, path: str = THIS) -> Finding:
    """CS019 on 上年结转1件 in line 11 of this year's draft."""
    return Finding(
        path=path,
        span=Span(333, 339),
        start=Position(11, 25),
        end=Position(11, 31),
        rule="CS019",
        name="carried-over-vs-last-year",
        category=Category.CONSISTENCY,
        severity=Severity.WARNING,
        message=MESSAGE,
        related=places,
    )


def render(fmt: str, results: list[FileResult], packset=None, **options: object) -> str:
    """Run formatter ``fmt`` over ``results`` as a run does."""
    out = io.StringIO()
    formatter = get_formatter(fmt, FormatContext(out=out, packset=packset, **options))
    summary = Summary()
    for result in results:
        formatter.file(result)
        summary.add(result)
    formatter.finish(summary)
    return out.getvalue()


def with_findings(result: FileResult, *findings: Finding) -> FileResult:
    out = FileResult(result.path, list(findings), report=result.report)
    out.tables = result.tables
    return out


# --------------------------------------------------------------------------
# text


def test_text_names_the_related_place_under_the_finding(drafts, packset) -> None:
    result = with_findings(linted(THIS, packset), finding(related()))
    assert render("text", [result], quiet=True) == (
        f"2024.txt:11:25: warning CS019 {MESSAGE}\n"
        f"    = 参见 previous/2023.txt:11:67: {NOTE}\n"
    )
    english = with_findings(result, finding(related(message=NOTE_EN)))
    assert render("text", [english], quiet=True, lang="en") == (
        f"2024.txt:11:25: warning CS019 {MESSAGE}\n"
        f"    = see previous/2023.txt:11:67: {NOTE_EN}\n"
    )


def test_text_related_line_comes_after_the_source_excerpt(drafts, packset) -> None:
    result = with_findings(linted(THIS, packset), finding(related(), related()))
    lines = render("text", [result], quiet=True, show_source=True).splitlines()
    assert lines[0] == f"2024.txt:11:25: warning CS019 {MESSAGE}"
    assert lines[1].startswith("   11 | （二）依申请公开。")
    # 23 wide characters and an 8 before the span; 5 wide and a 1 in it
    assert lines[2] == "      | " + " " * 47 + "^" * 11
    assert lines[3:] == [f"    = 参见 previous/2023.txt:11:67: {NOTE}"] * 2


def test_text_related_path_escaped_and_place_of_a_rendered_file(
    drafts, packset
) -> None:
    cell = DocxLocation(table=2, row=3, column=4, quote="2")
    places = (
        related(path="previous/\udcc4\udcea.txt"),
        related(path="previous/2023.docx", location=cell),
        related(path="previous/2023.pdf", location=PdfLocation(3, 12, 5)),
    )
    result = with_findings(linted(THIS, packset), finding(*places))
    assert render("text", [result], quiet=True, lang="en").splitlines()[1:] == [
        f"    = see previous/\\xc4\\xea.txt:11:67: {NOTE}",
        f"    = see previous/2023.docx:table 2 row 3 column 4: {NOTE}",
        f"    = see previous/2023.pdf:page 3 line 12: {NOTE}",
    ]


def test_text_without_related_places_is_unchanged(drafts, packset) -> None:
    result = with_findings(linted(THIS, packset), finding())
    assert render("text", [result], quiet=True) == (
        f"2024.txt:11:25: warning CS019 {MESSAGE}\n"
    )


# --------------------------------------------------------------------------
# JSON


def test_json_related_entries(drafts, packset) -> None:
    cell = DocxLocation(table=2, row=3, column=4, quote="2")
    places = (related(), related("previous/\udcc4.docx", location=cell))
    result = with_findings(linted(THIS, packset), finding(*places), finding())
    data = json.loads(render("json", [result]))
    assert data["version"] == SCHEMA_VERSION == 3
    first, second = data["findings"]
    assert first["related"] == [
        {
            "path": "previous/2023.txt",
            "line": 11,
            "column": 67,
            "end_line": 11,
            "end_column": 72,
            "message": NOTE,
            "location": {
                "form": "text",
                "line": 11,
                "column": 67,
                "end_line": 11,
                "end_column": 72,
            },
        },
        {
            "path": "previous/\\xc4.docx",
            "line": 11,
            "column": 67,
            "end_line": 11,
            "end_column": 72,
            "message": NOTE,
            "location": {
                "form": "docx",
                "table": 2,
                "row": 3,
                "column": 4,
                "quote": "2",
            },
        },
    ]
    assert "related" not in second
    # NOTE: the other file is not a file of this run: files and summary
    # count this year's draft only.
    assert [f["path"] for f in data["files"]] == ["2024.txt"]
    assert data["summary"]["findings"] == 2


# --------------------------------------------------------------------------
# SARIF


def test_sarif_related_locations(drafts, packset) -> None:
    cell = DocxLocation(table=2, row=3, column=4, quote="2")
    places = (related(), related("previous/2023.docx", location=cell))
    result = with_findings(linted(THIS, packset), finding(*places), finding())
    log = json.loads(render("sarif", [result], packset))
    assert_valid_sarif(log)
    (run,) = log["runs"]
    assert "artifacts" not in run  # NOTE: no artifact list to add the file to
    first, second = run["results"]
    assert first["message"] == {"text": f"{MESSAGE}（参见[{NOTE}](1)、[{NOTE}](2)）"}
    assert first["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {
                    "uri": "previous/2023.txt",
                    "uriBaseId": "%SRCROOT%",
                },
                "region": {
                    "startLine": 11,
                    "startColumn": 67,
                    "endLine": 11,
                    "endColumn": 72,
                },
            },
            "message": {"text": NOTE},
        },
        {
            "id": 2,
            "physicalLocation": {
                "artifactLocation": {
                    "uri": "previous/2023.docx",
                    "uriBaseId": "%SRCROOT%",
                }
            },
            "logicalLocations": [{"name": "表2第3行第4列", "kind": "tableCell"}],
            "message": {"text": f"{NOTE}（表2第3行第4列）"},
            "properties": {
                "location": cell.to_dict(),
                "rendered": {
                    "startLine": 11,
                    "startColumn": 67,
                    "endLine": 11,
                    "endColumn": 72,
                },
            },
        },
    ]
    assert second["message"] == {"text": MESSAGE}
    assert "relatedLocations" not in second
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_link_text_escapes_brackets(drafts, packset) -> None:
    place = related(path="/elsewhere/上 年.txt", message="上年[2023]报告")
    result = with_findings(linted(THIS, packset), finding(place))
    log = json.loads(render("sarif", [result], packset, lang="en"))
    assert_valid_sarif(log)
    (item,) = log["runs"][0]["results"]
    assert item["message"]["text"] == f"{MESSAGE} (see [上年\\[2023\\]报告](1))"
    (where,) = item["relatedLocations"]
    assert where["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///elsewhere/%E4%B8%8A%20%E5%B9%B4.txt"
    }


# --------------------------------------------------------------------------
# GitHub annotations and JUnit


def test_github_annotation_names_the_other_file(drafts, packset) -> None:
    result = with_findings(linted(THIS, packset), finding(related()))
    (annotation, _closing) = render("github", [result]).splitlines()
    assert annotation == (
        "::warning file=2024.txt,line=11,col=25,endLine=11,endColumn=31,"
        f"title=CS019 carried-over-vs-last-year::{MESSAGE}"
        f"%0A参见 previous/2023.txt:11:67: {NOTE}"
    )


def test_github_related_path_is_relative_to_the_checkout(drafts, packset) -> None:
    absolute = str(drafts / LAST)
    result = with_findings(linted(THIS, packset), finding(related(absolute)))
    annotation = render("github", [result], lang="en").splitlines()[0]
    assert annotation.endswith(f"%0Asee previous/2023.txt:11:67: {NOTE}")


def test_junit_failure_text_names_the_other_file(drafts, packset) -> None:
    result = with_findings(linted(THIS, packset), finding(related()))
    root = ET.fromstring(render("junit", [result], fail_on=Severity.WARNING))
    (failure,) = root.iter("failure")
    assert failure.get("message") == MESSAGE
    lines = failure.text.splitlines()
    assert lines[0] == f"2024.txt:11:25: warning CS019 {MESSAGE}"
    assert lines[1].startswith("   11 | （二）依申请公开。")
    assert lines[2:] == [f"    = 参见 previous/2023.txt:11:67: {NOTE}"]


# --------------------------------------------------------------------------
# HTML


def related_elements(page: str) -> list[str]:
    return re.findall(r'<span class="related">(.*?)</span>(?=<|$)', page)


def test_html_links_to_the_other_draft_whichever_comes_first(drafts, packset) -> None:
    this = with_findings(linted(THIS, packset), finding(related()))
    own = finding(path=LAST)  # last year's draft has a finding: its lines show
    last = with_findings(linted(LAST, packset), own)
    link = (
        f'↪ 参见 <a class="rel" href="#file-{{}}-L11">previous/2023.txt:11:67</a> '
        f"{NOTE}"
    )
    for order, index in (([this, last], 2), ([last, this], 1)):
        page = render("html", order)
        # the finding list and the note beside the line
        assert related_elements(page) == [link.format(index)] * 2
        assert f'id="file-{index}-L11"' in page
        assert "\0" not in page


def test_html_links_to_the_section_of_a_draft_not_shown(drafts, packset) -> None:
    this = with_findings(linted(THIS, packset), finding(related()))
    last = with_findings(linted(LAST, packset))  # no findings: text not shown
    page = render("html", [this, last])
    expected = (
        f'↪ 参见 <a class="rel" href="#file-2">previous/2023.txt:11:67</a> {NOTE}'
    )
    assert related_elements(page) == [expected] * 2
    assert 'id="file-2-L11"' not in page


def test_html_names_a_draft_not_in_the_report_as_text(drafts, packset) -> None:
    this = with_findings(linted(THIS, packset), finding(related("<a>&.txt")))
    for results in ([this], [this, with_findings(linted(LAST, packset))]):
        page = render("html", results, lang="en")
        expected = f'↪ see <span class="rel">&lt;a&gt;&amp;.txt:11:67</span> {NOTE}'
        assert related_elements(page) == [expected] * 2


def test_html_without_related_is_unchanged(drafts, packset) -> None:
    this = with_findings(linted(THIS, packset), finding())
    page = render("html", [this])
    assert 'class="related"' not in page and 'class="rel"' not in page


def test_html_token_cut_by_a_chunk_is_replaced(tmp_path) -> None:
    links = _Links("0123456789abcdef")
    first = links.token(RelatedNote("a.txt", 3, "a.txt:3:1", "m"))
    second = links.token(RelatedNote("b.txt", 9, "b.txt:9:1", "m"))
    spool = Spool()
    # the first token straddles the first 64 KiB chunk's end
    spool.write("x" * ((1 << 16) - 10) + str(first) + "\0y" + str(second) + "z")
    out = io.StringIO()
    links.copy_to(spool, out, {"a.txt": ("file-1", 5)})
    assert out.getvalue() == (
        "x" * ((1 << 16) - 10)
        + '<a class="rel" href="#file-1-L3">a.txt:3:1</a>'
        + "\0y"
        + '<span class="rel">b.txt:9:1</span>z'
    )


def test_html_related_links_resolve_in_chromium(drafts, packset) -> None:
    this = with_findings(linted(THIS, packset), finding(related()))
    last = with_findings(linted(LAST, packset), finding(path=LAST))
    page = drafts / "report.html"
    page.write_text(render("html", [this, last]), encoding="utf-8")
    dom, console = dump_dom(drafts, page)
    assert not console, console
    hrefs = re.findall(r'<a class="rel" href="#([^"]+)"', dom)
    assert hrefs == ["file-2-L11", "file-2-L11"]
    ids = set(re.findall(r'\bid="([^"]+)"', dom))
    assert set(hrefs) <= ids
    # the link is inside this year's section, the target in last year's
    first = dom.index('id="file-1"')
    second = dom.index('id="file-2"')
    assert first < dom.index('class="rel"') < second < dom.index('id="file-2-L11"')
