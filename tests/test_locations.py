"""Every output names the place of a finding in the user's file, per form.

A draft read from a Word document, a web page or a PDF is checked as its
rendered text; its findings carry a ``Location`` in the source file. These
tests build such documents with a small ``SourceMap`` of their own (each
rendered line from one paragraph / table cell, one PDF line, one line of
HTML source), lint them with the real packs and run the real formatters, so
they do not depend on a reader. End-to-end runs on real files are in
tests/test_forms_cli.py.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from disclosure_lint.document.source import (
    DocxLocation,
    Location,
    PdfLocation,
    SourceMap,
    TextLocation,
)
from disclosure_lint.document.text import Document, line_starts
from disclosure_lint.engine.fixes import fix_refusal
from disclosure_lint.engine.lint import FileResult, lint_document
from disclosure_lint.formatters import FormatContext, Summary, get_formatter
from disclosure_lint.formatters.text import display_width
from disclosure_lint.kinds.report import LintOptions

from .conftest import EXAMPLES
from .test_formats import assert_valid_sarif

DEFECTS = EXAMPLES / "defects-2021.txt"
FORMS = ("text", "html", "docx", "pdf")
#: The HTML source has this many lines of markup before the article.
HTML_HEAD = 10
#: Lines of text a PDF page holds in these tests.
PAGE_LINES = 40


class LineMap(SourceMap):
    """Each rendered line (each cell of a table row) comes from one place."""

    def __init__(self, text: str, form: str) -> None:
        super().__init__()
        self.form = form
        self.text = text
        lines = text.split("\n")
        for number, (line, start) in enumerate(
            zip(lines, line_starts(lines), strict=False), 1
        ):
            if form == "docx" and "\t" in line:
                offset = start
                for column, cell in enumerate(line.split("\t"), 1):
                    self.add(offset, ("cell", number, column))
                    offset += len(cell) + 1
            else:
                self.add(start, ("line", number, 1))

    def locate_in(
        self, piece_start: int, anchor: Any, start: int, end: int
    ) -> Location | None:
        kind, number, column = anchor
        if self.form == "docx":
            if kind == "cell":
                return DocxLocation(table=1, row=number, column=column)
            return DocxLocation(paragraph=number, quote=self.text[start:end][:10])
        if self.form == "pdf":
            page, line = divmod(number - 1, PAGE_LINES)
            return PdfLocation(page + 1, line + 1, start - piece_start + 1)
        first = start - piece_start + 5  # NOTE: after "<p>" and an indent
        return TextLocation(
            number + HTML_HEAD, first, number + HTML_HEAD, first + end - start, "html"
        )


def _document(form: str) -> Document:
    text = DEFECTS.read_text(encoding="utf-8")
    if form == "text":
        return Document(str(DEFECTS), text)
    return Document(f"报告.{form}", text, form=form, source=LineMap(text, form))


@pytest.fixture(scope="module")
def results(packset) -> dict[str, FileResult]:
    out = {}
    for form in FORMS:
        doc = _document(form)
        report, findings = lint_document(doc, packset, LintOptions())
        out[form] = FileResult(doc.path, findings, report=report)
    return out


def _render(name: str, result: FileResult, lang: str = "zh", **options: Any) -> str:
    out = io.StringIO()
    ctx = FormatContext(out=out, lang=lang, **options)
    formatter = get_formatter(name, ctx)
    formatter.file(result)
    summary = Summary()
    summary.add(result)
    formatter.finish(summary)
    return out.getvalue()


def test_findings_of_rendered_drafts_carry_their_location(results) -> None:
    text = results["text"].findings
    assert text and all(f.location is None for f in text)
    for form in ("html", "docx", "pdf"):
        findings = results[form].findings
        # NOTE: the same rules at the same rendered places, whatever the form.
        assert [(f.rule, f.span) for f in findings] == [(f.rule, f.span) for f in text]
        assert all(f.location is not None for f in findings)
        assert {f.location.form for f in findings} == {form}
    assert any(f.location.table for f in results["docx"].findings)
    assert any(f.location.paragraph for f in results["docx"].findings)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_output_names_the_place_in_the_source_file(results, lang) -> None:
    labels = {
        "zh": (r"段落\d+|表1第\d+行第\d+列", r"第\d+页第\d+行"),
        "en": (r"paragraph \d+|table 1 row \d+ column \d+", r"page \d+ line \d+"),
    }[lang]
    shapes = {
        "text": re.escape(str(DEFECTS)) + r":\d+:\d+",
        "html": r"报告\.html:\d+:\d+",
        "docx": rf"报告\.docx:(?:{labels[0]})",
        "pdf": rf"报告\.pdf:(?:{labels[1]})",
    }
    for form, shape in shapes.items():
        result = results[form]
        lines = _render("text", result, lang).splitlines()[:-1]
        assert len(lines) == len(result.findings)
        for line, finding in zip(lines, result.findings, strict=True):
            assert re.match(rf"{shape}: (error|warning|info) {finding.rule}", line), (
                line
            )
    # The HTML line is the one in the page's source, not the rendered line.
    first = results["html"].findings[0]
    line = _render("text", results["html"]).splitlines()[0]
    assert line.startswith(f"报告.html:{first.start.line + HTML_HEAD}:")


def test_show_source_of_a_rendered_draft_says_the_line_is_rendered(results) -> None:
    finding = results["docx"].findings[0]
    shown = _render("text", results["docx"], show_source=True).splitlines()
    assert shown[1].startswith(f"渲染第{finding.start.line}行 | ")
    # NOTE: the marker's bar is under the gutter's (wide characters count 2).
    head = shown[1][: shown[1].index("|")]
    assert shown[2].index("|") == display_width(head)
    english = _render("text", results["pdf"], "en", show_source=True).splitlines()
    assert english[1].startswith(f"rendered line {finding.start.line} | ")
    plain = _render("text", results["text"], show_source=True).splitlines()
    assert plain[1].startswith(f"{finding.start.line:>5} | ")


def test_json_has_a_location_object_for_every_form(results) -> None:
    for form in FORMS:
        data = json.loads(_render("json", results[form]))
        assert data["version"] == 3
        (entry,) = data["files"]
        assert entry["form"] == form
        assert ("encoding" in entry) == (form == "text")
        for got, finding in zip(data["findings"], results[form].findings, strict=True):
            assert got["location"] == finding.source_location.to_dict()
            assert got["location"]["form"] == form
            # line/column stay those of the rendered text.
            assert (got["line"], got["column"]) == (
                finding.start.line,
                finding.start.column,
            )
    docx = json.loads(_render("json", results["docx"]))["findings"]
    shapes = {tuple(sorted(f["location"])) for f in docx}
    assert shapes == {
        ("form", "paragraph", "quote"),
        ("column", "form", "quote", "row", "table"),
    }
    pdf = json.loads(_render("json", results["pdf"]))["findings"]
    assert {tuple(sorted(f["location"])) for f in pdf} == {
        ("column", "form", "line", "page")
    }


def test_sarif_is_valid_for_every_form(results) -> None:
    for form in FORMS:
        log = json.loads(_render("sarif", results[form]))
        assert_valid_sarif(log)
        (run,) = log["runs"]
        assert len(run["results"]) == len(results[form].findings)


def test_sarif_regions_point_into_text_artifacts_only(results) -> None:
    text = json.loads(_render("sarif", results["text"]))["runs"][0]["results"]
    assert any("fixes" in r for r in text)
    html = json.loads(_render("sarif", results["html"]))["runs"][0]["results"]
    for got, finding in zip(html, results["html"].findings, strict=True):
        (where,) = got["locations"]
        region = where["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (
            finding.location.line,
            finding.location.column,
        )
        assert "snippet" not in region  # NOTE: the markup is not the flagged text
        assert where["properties"]["location"]["form"] == "html"
        assert "fixes" not in got  # NOTE: a fix edits rendered text, not markup
    for form in ("docx", "pdf"):
        log = json.loads(_render("sarif", results[form]))
        for got, finding in zip(
            log["runs"][0]["results"], results[form].findings, strict=True
        ):
            (where,) = got["locations"]
            assert set(where["physicalLocation"]) == {"artifactLocation"}
            label = finding.location.label("zh")
            assert where["message"] == {"text": label}
            (logical,) = where["logicalLocations"]
            assert logical["name"] == label
            assert logical["kind"] in {"paragraph", "tableCell", "pdfLine"}
            assert where["properties"]["location"] == finding.location.to_dict()
            assert where["properties"]["rendered"]["startLine"] == finding.start.line
            assert "fixes" not in got


def test_github_annotations_carry_a_line_where_the_file_has_lines(results) -> None:
    html = _render("github", results["html"]).splitlines()
    lines = {int(m) for m in re.findall(r"line=(\d+)", "\n".join(html))}
    assert lines == {
        f.location.line for f in results["html"].findings if f.location is not None
    }
    for form in ("docx", "pdf"):
        annotations = [
            a for a in _render("github", results[form]).splitlines() if "file=" in a
        ]
        assert len(annotations) == len(results[form].findings)
        assert not any("line=" in a or "col=" in a for a in annotations)
        titles = {re.search(r"title=([^:]*)::", a).group(1) for a in annotations}
        assert titles == {
            f"{f.rule} {f.name} ({f.location.label('zh')})"
            for f in results[form].findings
        }


def test_junit_names_the_place(results) -> None:
    for form in FORMS:
        root = ET.fromstring(_render("junit", results[form]))
        cases = root.findall(".//testcase")
        assert len(cases) == len(results[form].findings)
        for case, finding in zip(cases, results[form].findings, strict=True):
            if form == "docx" or form == "pdf":
                assert case.get("name").startswith(finding.location.label("zh") + " ")
                assert case.get("line") is None
                assert "渲染第" in next(iter(case)).text
            elif form == "html":
                assert case.get("line") == str(finding.location.line)
            else:
                assert case.get("line") == str(finding.start.line)


def test_html_report_shows_the_rendered_text_and_the_places(results) -> None:
    page = _render("html", results["docx"])
    assert "由 .docx 文件转换成的文本" in page
    assert "转换后的文本（问题处已标出）" in page
    labels = {f.location.label("zh") for f in results["docx"].findings}
    for label in labels:
        assert f'<span class="pos">{label}</span>' in page
    english = _render("html", results["pdf"], "en")
    assert "rendered from .pdf" in english
    text = _render("html", results["text"])
    assert "转换成的文本" not in text and "编码 utf-8" in text


def test_fixes_are_refused_for_published_forms_only() -> None:
    assert fix_refusal("text") is None
    assert fix_refusal("docx") is None  # NOTE: written as tracked changes
    for form in ("html", "pdf"):
        reason = fix_refusal(form)
        assert reason is not None and reason.startswith("not fixed: ")
        assert "\n" not in reason
