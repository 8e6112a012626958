"""The PDF reader (``inputs/pdf``): rendering, page/line locations, bad files.

The real report ``../shared/real/huaian-2024.pdf`` (made in WPS) must read
its hand-checked cells exactly and give no false error; drafts printed to
PDF by headless Chromium must give the findings their text gives; hand
written PDFs (``pdf_samples``) meet every error path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_lint.document.fold import fold
from disclosure_lint.document.source import PdfLocation
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import document_from_bytes, load_document
from disclosure_lint.inputs.pdf import MAX_INFLATED, MAX_PAGES

from .conftest import EXAMPLES, ROOT, run_module
from .pdf_samples import STYLE, draft_html, minimal_pdf, print_to_pdf, ruled_table

REAL = ROOT.parent / "shared" / "real"
HUAIAN = REAL / "huaian-2024.pdf"
TRUTH = json.loads((REAL / "truth" / "huaian-2024.json").read_text("utf-8"))
# The truth file names tables by their section numeral.
TABLE_KEYS = {"三": "applications", "四": "review"}


def _page_lines(path: Path, page: int) -> list[str]:
    """The text lines of a page as pdfplumber's own text extraction has them."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        text = pdf.pages[page - 1].extract_text()
    return ["".join(line.split()) for line in text.split("\n")]


# --------------------------------------------------------------------------
# The real report


@pytest.fixture(scope="module")
def huaian_cells() -> list[dict]:
    result = run_module("extract", "--format", "json", HUAIAN)
    assert result.code == 0, result.err
    assert result.err == ""
    return json.loads(result.out)["cells"]


def _schema_keys(table: str, row: str, column: str) -> tuple[str, str, str]:
    """Truth labels to the pack's table, row and column keys."""
    from disclosure_lint.packs.load import load_packset
    from disclosure_lint.tables.compile import compiled_tables

    pack = next(p for p in load_packset().editions() if p.edition == "2021")
    schema = next(
        s for s in compiled_tables(pack).schemas if s.key == TABLE_KEYS[table]
    )
    if table == "四":
        # row "行政诉讼·复议后起诉", column "结果维持": the column named
        # "复议后起诉·结果维持"; the table has one data row.
        name = f"{row.split('·')[-1]}·{column}"
        col = next(c.key for c in schema.columns if c.name == name)
        return schema.key, schema.data_rows[0].key, col
    row_key = next(r.key for r in schema.data_rows if fold(r.label or "") == fold(row))
    col = next(c.key for c in schema.columns if c.label == column)
    return schema.key, row_key, col


def test_huaian_truth_cells_read_exactly(huaian_cells: list[dict]) -> None:
    read = {(c["table"], c["row"], c["column"]): c for c in huaian_cells}
    assert len(TRUTH["cells"]) == 25
    for cell in TRUTH["cells"]:
        key = _schema_keys(cell["table"], cell["row"], cell["column"])
        assert read[key]["value"] == cell["value"], (cell, read[key])
        assert read[key]["status"] == "number"


def test_huaian_gives_no_false_error() -> None:
    result = run_module("--format", "json", HUAIAN)
    assert result.err == ""
    report = json.loads(result.out)
    assert report["files"][0]["edition"] == "2021"
    assert report["files"][0]["year"] == 2024
    # The published defects in the truth file are minor (format, wording):
    # none is an error, so any error is a false one.
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors == []
    assert result.code == 0


def test_huaian_rendering() -> None:
    text = load_document(HUAIAN).text
    lines = text.split("\n")
    # running footers "- 1 -" ... "- 6 -" are gone
    assert not [line for line in lines if line.strip(" -").isdigit()]
    # a paragraph wrapped over a page break is one line again
    assert any("“建设‘四最’一流营商环境高质量推进产业发展”" in line for line in lines)
    # group labels of merged cells, wrapped in the cell or cut by the page
    # break between pages 4 and 5, read whole, on the first row of the group
    assert "\t（四）无法提供\t1.本机关不掌握相关政府信息\t746\t" in text
    assert "\t（五）不予处理\t1.信访举报投诉类申请\t56\t" in text
    assert "\t（六）其他处理\t1、申请人无正当理由逾期不补正、" in text
    assert "三、本年度办理结果\t（一）予以公开\t\t1288\t" in text
    # table text is not repeated as prose
    assert text.count("行政事业性收费") == 1
    assert text.count("3.要求提供公开出版物") == 1


def test_huaian_locations_are_lines_of_the_page() -> None:
    doc = load_document(HUAIAN)
    assert doc.form == "pdf" and doc.source is not None
    for quote, page in [
        ("截至目前，全市在运维政务新媒体", 3),
        ("营商环境高质量推进产业发展", 2),
        ("六、其他需要报告的事项", 6),
        ("一、本年新收政府信息公开申请数量", 4),
    ]:
        start = doc.text.index(quote)
        location = doc.source.locate(start, start + len(quote))
        assert isinstance(location, PdfLocation)
        assert location.page == page
        line = _page_lines(HUAIAN, page)[location.line - 1]
        assert line[location.column - 1 :].startswith(quote[:6]), (quote, line)


# --------------------------------------------------------------------------
# Drafts printed to PDF: the same findings as the text


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("printed")
    return {
        name: print_to_pdf(draft_html((EXAMPLES / name).read_text("utf-8")), tmp, name)
        for name in ("defects-2021.txt", "clean-2021.txt")
    }


def _rules(path: Path) -> tuple[list[str], dict]:
    result = run_module("--format", "json", path)
    assert result.err == "", result.err
    report = json.loads(result.out)
    return sorted(f["rule"] for f in report["findings"]), report


@pytest.mark.slow
@pytest.mark.parametrize("name", ["defects-2021.txt", "clean-2021.txt"])
def test_printed_draft_gives_the_findings_of_its_text(
    printed: dict[str, Path], name: str
) -> None:
    want, _ = _rules(EXAMPLES / name)
    got, report = _rules(printed[name])
    assert got == want
    assert all(f["location"]["form"] == "pdf" for f in report["findings"])


@pytest.mark.slow
def test_printed_draft_findings_point_at_their_page_line(
    printed: dict[str, Path],
) -> None:
    path = printed["defects-2021.txt"]
    doc = load_document(path)
    _, report = _rules(path)
    checked = 0
    for finding in report["findings"]:
        where = finding["location"]
        start = doc.index.line_start(finding["line"]) + finding["column"] - 1
        end = min(start + 4, doc.index.line_span(finding["line"]).end)
        flagged = "".join(doc.text[start:end].split())
        if not flagged:
            continue
        line = _page_lines(path, where["page"])[where["line"] - 1]
        assert line[where["column"] - 1 :].startswith(flagged), (finding, line)
        checked += 1
    assert checked >= 8


@pytest.mark.slow
def test_table_cut_open_by_a_page_break_is_joined(
    printed: dict[str, Path],
) -> None:
    # Chromium splits table 三's first row over pages 1 and 2 with no rule
    # closing it at the page bottom: the cell's text is whole again.
    text = load_document(printed["clean-2021.txt"]).text
    assert (
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        "\t\t申请人情况" in text
    )


@pytest.mark.slow
def test_header_rows_repeated_on_each_page_are_read_once(tmp_path: Path) -> None:
    # A <thead> prints on every page the table is on, as Word's repeated
    # header rows do: the table is one table with one header.
    rows = "".join(
        f"<tr><td>第{i}项</td><td>{i}</td><td>{i * 2}</td></tr>" for i in range(1, 80)
    )
    page = (
        '<!doctype html><html><head><meta charset="utf-8"><style>'
        f"{STYLE}</style></head><body><p>前言。</p><table><thead><tr><td>项目"
        f"</td><td>数量</td><td>金额</td></tr></thead><tbody>{rows}</tbody>"
        "</table><p>结束。</p></body></html>"
    )
    path = print_to_pdf(page, tmp_path, "thead")
    lines = load_document(path).text.split("\n")
    assert lines[:3] == ["前言。", "项目\t数量\t金额", "第1项\t1\t2"]
    assert lines.count("项目\t数量\t金额") == 1
    assert lines[-3:] == ["第79项\t79\t158", "结束。", ""]
    assert len(lines) == 1 + 1 + 79 + 1 + 1


# --------------------------------------------------------------------------
# Hand-written PDFs: text, and every error


def test_minimal_pdf_reads_lines_and_pages() -> None:
    doc = document_from_bytes(
        "x.pdf", minimal_pdf([["Hello world", "Two"], ["Page 2x"]])
    )
    assert doc.text == "Hello world\nTwo\nPage 2x\n"
    assert doc.form == "pdf"
    assert doc.source is not None
    assert doc.source.locate(6, 11) == PdfLocation(1, 1, 6)
    assert doc.source.locate(12, 13) == PdfLocation(1, 2, 1)
    assert doc.source.locate(16, 17) == PdfLocation(2, 1, 1)


def test_page_shown_turned_reads_across() -> None:
    # A landscape page stored portrait-wise with /Rotate 90 (scanners,
    # some printers): lines are read as shown, not along the stored page.
    data = minimal_pdf([["First line here", "Second line", "Third"]], turned=True)
    doc = document_from_bytes("x.pdf", data)
    assert doc.text == "First line here\nSecond line\nThird\n"
    assert doc.source is not None
    assert doc.source.locate(16, 22) == PdfLocation(1, 2, 1)


def test_running_headers_and_page_numbers_are_dropped() -> None:
    pages = [
        [
            (72, 40, "Qingshan Town Annual Report 2021"),
            (72, 120, f"Body text of page {n}"),
            (290, 815, f"- {n} -"),
        ]
        for n in (1, 2, 3)
    ]
    doc = document_from_bytes("x.pdf", minimal_pdf(pages))
    assert doc.text == "Body text of page 1\nBody text of page 2\nBody text of page 3\n"
    # the dropped header still counts as line 1 of its page, as it is seen
    assert doc.source is not None
    assert doc.source.locate(0, 4) == PdfLocation(1, 2, 1)


def test_wrapped_prose_is_joined_into_paragraphs() -> None:
    # Courier: 0.6 em a character, so 60 characters from x=72 and 56 from
    # x=96 (an indent) end together at the right margin.
    full = "the text of a paragraph goes on to the right margin here ok"
    assert len(full) == 59
    lines: list = [
        (96, 100, "Indented first line of paragraph one that fills it up aa"),
        (72, 116, full + "x"),
        (72, 132, "and ends here."),
        (96, 148, "Paragraph two is one full line, a short one then follows"),
        (72, 164, "1. a numbered item starts a paragraph though not indented ok"),
        (72, 180, full + "y"),
        (72, 196, "end of the item."),
    ]
    doc = document_from_bytes("x.pdf", minimal_pdf([lines], font="Courier"))
    assert doc.text.split("\n") == [
        f"Indented first line of paragraph one that fills it up aa {full}x "
        "and ends here.",
        "Paragraph two is one full line, a short one then follows",
        f"1. a numbered item starts a paragraph though not indented ok {full}y "
        "end of the item.",
        "",
    ]
    assert doc.source is not None
    start = doc.text.index("and ends")
    assert doc.source.locate(start, start + 3) == PdfLocation(1, 3, 1)


def _two_page_table(last: list[str], first: list[str]) -> str:
    """A 3-column table: two rows at the bottom of page 1, two on page 2."""
    widths = [150.0, 150.0, 60.0]
    one, rules_one = ruled_table(72, 760, widths, [["Row", "Before", "1"], last])
    two, rules_two = ruled_table(72, 72, widths, [first, ["Row", "After", "9"]])
    data = minimal_pdf([one, two], rules=[rules_one, rules_two])
    return document_from_bytes("x.pdf", data).text


def test_table_over_a_page_break_is_one_table() -> None:
    text = _two_page_table(["Caption", "", ""], ["Header", "Values", ""])
    assert text == "Row\tBefore\t1\nCaption\t\t\nHeader\tValues\t\nRow\tAfter\t9\n"


def test_cell_cut_by_a_page_break_is_mended() -> None:
    # a merged group label cut by the break goes on in the cell above
    text = _two_page_table(["Group", "1. first", "5"], ["label", "2. second", "6"])
    assert text == (
        "Row\tBefore\t1\nGroup label\t1. first\t5\n\t2. second\t6\nRow\tAfter\t9\n"
    )
    # a row Word lets break across pages (its cells' first lines on the
    # first page) is one row again
    text = _two_page_table(["A long label", "Values", "7"], ["cut here", "", ""])
    assert text == ("Row\tBefore\t1\nA long label cut here\tValues\t7\nRow\tAfter\t9\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (minimal_pdf([["Hello"]], password="secret"), "encrypted"),
        (minimal_pdf([[]], image=True), "needs OCR first"),
        (minimal_pdf([["x"]], broken_stream=True), "cannot be decoded"),
        (minimal_pdf([[]]), "shows no text"),
        (minimal_pdf([["Hello world"]])[:300], "not a readable PDF"),
        (
            b"plain text named .pdf",
            "not a readable PDF (damaged, or not in PDF format)",
        ),
        (b"%PDF-1.7\n", "not a readable PDF"),
        (minimal_pdf([["p"]] * (MAX_PAGES + 1)), f"pages (more than {MAX_PAGES})"),
        (minimal_pdf([["x"]], padded_to=MAX_INFLATED + 1), "decompression bomb"),
        (minimal_pdf([["x" * 200] * 101]), "characters (more than 20000)"),
    ],
    ids=[
        "encrypted",
        "scan",
        "broken-stream",
        "empty",
        "truncated",
        "not-pdf",
        "header-only",
        "pages",
        "inflates",
        "characters",
    ],
)
def test_bad_pdf_is_one_line_error(data: bytes, message: str) -> None:
    with pytest.raises(LoadError) as caught:
        document_from_bytes("x.pdf", data)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_compressed_content_is_read() -> None:
    data = minimal_pdf([["Hello world"]], padded_to=1 << 20)
    assert len(data) < 10_000
    assert document_from_bytes("x.pdf", data).text == "Hello world\n"


def test_bad_pdfs_in_a_batch_exit_2_and_the_rest_is_checked(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(minimal_pdf([[]], image=True))
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(minimal_pdf([["Hello"]], password="pw"))
    result = run_module(scan, locked, EXAMPLES / "defects-2021.txt")
    assert result.code == 2
    errors = result.err.strip().split("\n")
    assert len(errors) == 2, result.err
    assert "scan.pdf" in errors[0] and "OCR" in errors[0]
    assert "locked.pdf" in errors[1] and "encrypted" in errors[1]
    assert "Traceback" not in result.err
    assert "defects-2021.txt" in result.out  # the draft was still checked


def test_pdf_library_is_imported_only_for_a_pdf() -> None:
    draft = str(EXAMPLES / "clean-2021.txt")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "disclosure_lint", draft],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert "pdfplumber" not in proc.stderr and "pdfminer" not in proc.stderr
    assert "inputs.pdf" not in proc.stderr


# --------------------------------------------------------------------------
# Fuzz: mutated and truncated PDFs never raise anything but LoadError

_SAMPLE = minimal_pdf([["Hello world", "Line two"], ["Page two"]])


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(_SAMPLE)
    for _ in range(draw(st.integers(1, 8))):
        where = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["set", "delete", "insert"]))
        byte = draw(st.integers(0, 255))
        if how == "set":
            data[where] = byte
        elif how == "delete":
            del data[where]
        else:
            data.insert(where, byte)
    if draw(st.booleans()):
        data = data[: draw(st.integers(5, len(data)))]
    return bytes(data)


@settings(
    # NOTE: 40 in the suite; a long run sets PDF_FUZZ_EXAMPLES (README).
    max_examples=int(os.environ.get("PDF_FUZZ_EXAMPLES", "40")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_mutated())
def test_fuzzed_pdf_reads_or_fails_with_one_line(data: bytes) -> None:
    try:
        doc = document_from_bytes("fuzz.pdf", data)
    except LoadError as exc:
        assert "\n" not in str(exc)
    else:
        assert doc.form == "pdf"
        assert doc.text.endswith("\n")
