"""The web page reader (inputs/html.py): article, tables, encodings, locations.

Pages are built from the text fixtures (``tests/html_pages.py``: site
chrome, spans, ``&nbsp;``, merged cells) and must give the same findings as
the ``.txt``; the real published page in ``../shared/real`` must read its
hand-checked cells exactly and give no false error; every location must
point at the source text that renders the finding; hostile pages end in a
one-line error or a bounded read.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_lint.document.source import TextLocation
from disclosure_lint.document.text import Document
from disclosure_lint.engine.lint import lint_document
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.html import decode
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.packs.model import PackSet

from .conftest import EXAMPLES, ROOT, SEEDS
from .html_pages import page

REAL = ROOT.parent / "shared" / "real"
PINGTAN = REAL / "pingtan-2024.html"
TEXT_FIXTURES = sorted([*EXAMPLES.glob("*.txt"), *SEEDS.glob("*.txt")])
CLI = [sys.executable, "-m", "disclosure_lint"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def _normal(line: str) -> str:
    """A line as both forms must agree on it.

    NOTE: by design the page differs from the typed draft in three ways:
    spaces at the ends of a paragraph are not shown (a browser drops them),
    ``&nbsp;`` is read as a space, and a table row has every cell of the
    table's grid (a typed row may stop early).
    """
    return line.replace("\xa0", " ").rstrip(" \t").lstrip(" ")


def _keys(doc: Document, packset: PackSet) -> Counter[tuple[str, str, str]]:
    """(rule, the line it is on, the flagged text) of every finding."""
    _report, findings = lint_document(doc, packset)
    return Counter(
        (
            f.rule,
            _normal(doc.line_text(f.start.line)),
            doc.text[f.span.start : f.span.end].replace("\xa0", " "),
        )
        for f in findings
    )


def _text_doc(path: Path) -> Document:
    return document_from_bytes(str(path), path.read_bytes())


def _page_doc(text: str, seed: int, encoding: str = "utf-8") -> Document:
    markup = page(text, seed)
    if encoding != "utf-8":
        markup = markup.replace(
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
        )
    return document_from_bytes("page.html", markup.encode(encoding))


# -- same findings whatever the form ------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.name)
def test_page_gives_the_findings_of_its_text(
    path: Path, seed: int, packset: PackSet
) -> None:
    text_doc = _text_doc(path)
    page_doc = _page_doc(text_doc.text, seed)
    assert page_doc.form == "html"
    assert _keys(page_doc, packset) == _keys(text_doc, packset)


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.name)
def test_page_renders_the_text_of_its_draft(path: Path) -> None:
    text_doc = _text_doc(path)
    for seed in (0, 1):
        rendered = _page_doc(text_doc.text, seed).text
        expected = [_normal(line) for line in text_doc.text.split("\n")]
        got = [_normal(line) for line in rendered.split("\n")]
        # chrome (menus, breadcrumb, share bar, footer, scripts) is gone,
        # the title kept; blank lines are the only other difference
        assert [x for x in got if x] == [x for x in expected if x]


def test_defects_draft_as_page_has_findings(packset: PackSet) -> None:
    # guards the comparison above against two empty sets
    doc = _page_doc(_text_doc(EXAMPLES / "defects-2021.txt").text, 0)
    assert sum(_keys(doc, packset).values()) >= 5


def test_gb2312_page_reads_like_utf8(packset: PackSet) -> None:
    text = _text_doc(EXAMPLES / "defects-2021.txt").text
    utf8 = _page_doc(text, 0)
    for encoding in ("gb2312", "gbk", "gb18030"):
        other = _page_doc(text, 0, encoding)
        assert other.text == utf8.text
        assert _keys(other, packset) == _keys(utf8, packset)


# -- locations in the HTML source ---------------------------------------------


def _source_lines(data: bytes) -> list[str]:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _source_between(lines: list[str], loc: TextLocation) -> str:
    if loc.line == loc.end_line:
        return lines[loc.line - 1][loc.column - 1 : loc.end_column - 1]
    first = lines[loc.line - 1][loc.column - 1 :]
    middle = lines[loc.line : loc.end_line - 1]
    last = lines[loc.end_line - 1][: loc.end_column - 1]
    return "\n".join([first, *middle, last])


def _rendered(source: str) -> str:
    """What a stretch of HTML source shows, white space removed."""
    no_tags = re.sub(r"<[^>]*>", "", source)
    return "".join(html.unescape(no_tags).split())


def _assert_every_character_located(doc: Document, data: bytes) -> int:
    """Each rendered character's location is exactly the source that renders it."""
    lines = _source_lines(data)
    assert doc.source is not None
    checked = 0
    for offset, char in enumerate(doc.text):
        if char in "\t\n":
            continue  # added by the reader (cells, lines): no source of its own
        loc = doc.source.locate(offset, offset + 1)
        assert isinstance(loc, TextLocation) and loc.form == "html"
        raw = _source_between(lines, loc)
        shown = html.unescape(raw).replace("\xa0", " ")
        assert shown == char or (char == " " and raw and raw.isspace()), (
            offset,
            char,
            raw,
            loc,
        )
        checked += 1
    return checked


def test_every_character_of_the_real_page_is_located() -> None:
    data = PINGTAN.read_bytes()
    doc = document_from_bytes(str(PINGTAN), data)
    assert _assert_every_character_located(doc, data) > 2500


@pytest.mark.parametrize("path", TEXT_FIXTURES[:3], ids=lambda p: p.name)
def test_every_character_of_a_built_page_is_located(path: Path) -> None:
    for seed in (0, 1):
        data = page(_text_doc(path).text, seed).encode()
        doc = document_from_bytes("page.html", data)
        assert _assert_every_character_located(doc, data) > 1000


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.name)
def test_finding_locations_hold_the_flagged_text(path: Path, packset: PackSet) -> None:
    data = page(_text_doc(path).text, 0).encode()
    doc = document_from_bytes("page.html", data)
    lines = _source_lines(data)
    _report, findings = lint_document(doc, packset)
    for finding in findings:
        loc = finding.location
        assert isinstance(loc, TextLocation) and loc.form == "html"
        flagged = "".join(doc.text[finding.span.start : finding.span.end].split())
        # the source from the start to the end location shows the flagged text
        assert flagged in _rendered(_source_between(lines, loc)), (finding, loc)


def test_entity_maps_to_the_whole_entity() -> None:
    data = "<html><body><p>报告&amp;正文&#x4e2d;&nbsp;结束</p></body></html>".encode()
    doc = document_from_bytes("p.html", data)
    assert doc.text == "报告&正文中 结束\n"
    assert doc.source is not None
    amp = doc.source.locate(2, 3)
    assert amp == TextLocation(1, 18, 1, 23, form="html")  # &amp;
    ref = doc.source.locate(5, 6)
    assert ref == TextLocation(1, 25, 1, 33, form="html")  # &#x4e2d;
    span = doc.source.locate(3, 6)  # 正文中: from 正 to the end of &#x4e2d;
    assert span == TextLocation(1, 23, 1, 33, form="html")


def test_crlf_source_lines_are_counted() -> None:
    data = "<html>\r\n<body>\r\n<p>第一段</p>\r\n<p>  第二段</p></body></html>".encode()
    doc = document_from_bytes("p.html", data)
    assert doc.text == "第一段\n第二段\n"
    assert doc.source is not None
    assert doc.source.locate(4, 7) == TextLocation(4, 6, 4, 9, form="html")


# -- the real published page (its key cells: tests/test_real_reports.py) ------


def test_real_page_gives_no_false_error() -> None:
    truth = json.loads((REAL / "truth" / "pingtan-2024.json").read_text("utf-8"))
    run = _cli("check", "--format", "json", str(PINGTAN))
    assert run.returncode in (0, 1), run.stderr
    out = json.loads(run.stdout)
    assert out["files"][0].get("error") is None
    known = [d["where"] for d in truth["defects"]]
    doc = document_from_bytes(str(PINGTAN), PINGTAN.read_bytes())
    for finding in out["findings"]:
        # a finding must be about a defect really in the published report
        line = doc.line_text(finding["line"])
        assert any(where in line for where in known), finding


def test_real_page_keeps_title_and_drops_site_chrome() -> None:
    doc = document_from_bytes(str(PINGTAN), PINGTAN.read_bytes())
    lines = doc.text.split("\n")
    assert lines[0] == "平潭综合实验区2024年度政府信息公开工作年度报告"
    for chrome in ("当前位置", "首页", "分享到", "长者模式", "网站标识码", "来源："):
        assert chrome not in doc.text
    assert "六、其他需要报告的事项" in lines
    # a label split across <span> runs and <p>s of one cell is one cell
    assert any(
        line.startswith("\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理")
        for line in lines
    )


# -- encodings ----------------------------------------------------------------


_GBK_META = '<html><head><meta charset="GBK"></head><body><p>报告</p></body></html>'
_WRONG_META = '<html><head><meta charset="gb2312"></head><body><p>报告</p></body>'


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("<html><body><p>报告</p></body></html>".encode("utf-16"), "报告\n"),
        (b"\xef\xbb\xbf<html><body><p>\xe6\x8a\xa5</p></body></html>", "报\n"),
        ("<html><body><p>报告</p></body></html>".encode("gb18030"), "报告\n"),
        (_GBK_META.encode("gbk"), "报告\n"),
        # a wrong declaration: the bytes are UTF-8
        (_WRONG_META.encode(), "报告\n"),
        # UTF-16 without a BOM (markup makes every other byte NUL)
        ("<html><body><p>报告正文</p></body></html>".encode("utf-16-le"), "报告正文\n"),
        ("<html><body><p>报告正文</p></body></html>".encode("utf-16-be"), "报告正文\n"),
    ],
)
def test_encoding_is_found(data: bytes, text: str) -> None:
    assert document_from_bytes("p.html", data).text == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<p>\x81\xff\xfe\x80\x81\x30</p>", "cannot decode"),
        # NUL bytes are valid UTF-8, but no web page has them
        (b"<html><body><p>\x00\x01\x02 report \x00\x00</p>", "binary file"),
    ],
)
def test_undecodable_page_is_a_one_line_error(data: bytes, message: str) -> None:
    with pytest.raises(LoadError) as info:
        document_from_bytes("p.html", data)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


# -- hostile and broken pages -------------------------------------------------


def test_entities_are_never_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", "utf-8")
    data = (
        "<!DOCTYPE html [\n"
        f'<!ENTITY xxe SYSTEM "file://{secret}">\n'
        '<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
        "<html><body><p>报告正文 &xxe; &c; 结束</p></body></html>"
    ).encode()
    doc = document_from_bytes("p.html", data)
    assert "TOPSECRET" not in doc.text
    assert "lol" not in doc.text
    assert "报告正文 &xxe; &c; 结束" in doc.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>" + b"<div>" * 100_000 + b"x", "too deeply"),
        (b"<html><body>" + b"<p>x</p>" * 150_000, "too many elements"),
        (b"<html><body><p>" + "报告".encode() * 3_000_000 + b"</p>", "limits"),
        (b"<html><body><p>" + b"&amp;" * 2_100_000 + b"</p>", "too long"),
        (b"<html><body></body></html>", "no article text"),
        (
            b'<html><body><a href="/">a</a><a href="/b">b</a></body></html>',
            "no article",
        ),
        (b"<!DOCTYPE html>\n<html>   \n", "no article text"),
    ],
    ids=["deep", "elements", "text-node", "article", "empty", "links", "blank"],
)
def test_hostile_page_is_a_one_line_error(data: bytes, message: str) -> None:
    with pytest.raises(LoadError) as info:
        document_from_bytes("p.html", data)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><p>x</p>" + b"<!--" * 1_000_000,
        b"<!DOCTYPE html><html><body><p>x</p>" + b"<a" * 1_000_000,
        b"<!DOCTYPE html><html><body><p>x</p>" + b"</" * 2_000_000,
        b"<html><body><table><tr>"
        + b'<td colspan="99999" rowspan="99999">1</td>' * 1000
        + b"</tr>"
        + b"<tr><td>2</td></tr>" * 2000
        + b"</table>",
    ],
    ids=["comments", "open-tags", "end-tags", "spans"],
)
def test_hostile_page_is_read_in_bounded_time(data: bytes) -> None:
    # NOTE: the standard library's html.parser takes minutes on the first
    # two (quadratic); the reader's scan is linear. No timing is asserted:
    # a regression shows as a hang.
    try:
        doc = document_from_bytes("p.html", data)
    except LoadError as exc:
        assert "\n" not in str(exc)
        return
    assert len(doc.text) < 3_000_000


def test_broken_markup_still_reads() -> None:
    data = (
        b"<html><body><p>abc<b>def<i>ghi</b>jkl</i><table><tr><td>1<td>2</tr>"
        b"junk</table><p>end <  &amp &#xZZ; &#99999999;"
    )
    doc = document_from_bytes("p.html", data)
    assert doc.text.split("\n")[:3] == ["abcdefghijkl", "junk", "1\t2"]
    assert "end < & &#xZZ; \ufffd" in doc.text


def test_no_article_page_is_exit_2_and_batch_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "menu.html"
    empty.write_text(
        '<html><body><a href="/">首页</a><a href="/x">政务</a></body></html>'
    )
    good = tmp_path / "report.html"
    good.write_text(page(_text_doc(EXAMPLES / "defects-2021.txt").text, 0), "utf-8")
    run = _cli(str(empty), str(good))
    assert run.returncode == 2
    errors = [line for line in run.stderr.splitlines() if "menu.html" in line]
    assert len(errors) == 1 and "no article text" in errors[0]
    assert "Traceback" not in run.stderr
    assert str(good) in run.stdout  # the other file was checked


def test_page_through_the_cli_reports_findings(tmp_path: Path) -> None:
    good = tmp_path / "report.htm"
    good.write_text(page(_text_doc(EXAMPLES / "defects-2021.txt").text, 1), "utf-8")
    run = _cli("check", "--format", "json", str(good))
    assert run.returncode == 1, run.stderr
    out = json.loads(run.stdout)
    assert out["findings"]
    assert all(f["location"]["form"] == "html" for f in out["findings"])


def test_text_draft_does_not_import_lxml() -> None:
    code = (
        "import sys; from disclosure_lint.inputs.load import load_document; "
        f"load_document({str(EXAMPLES / 'clean-2021.txt')!r}); "
        "assert not [m for m in sys.modules if m.startswith('lxml')]; "
        f"load_document({str(PINGTAN)!r}); "
        "assert 'lxml.html' in sys.modules"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


# -- fuzz ---------------------------------------------------------------------

_PIECES = [
    "<p>",
    "</p>",
    "<div class='a\"b'>",
    "</div>",
    "<span>",
    "</span>",
    "一、总体情况",
    "报告",
    "2021年",
    " ",
    "\n",
    "\r\n",
    "&nbsp;",
    "&amp;",
    "&lt",
    "&#20013;",
    "&#xD800;",
    "<",
    ">",
    "&",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<style>",
    "<br>",
    "<table>",
    "<tr>",
    '<td colspan="3" rowspan="0">',
    "<td>",
    "</td>",
    "</tr>",
    "</table>",
    "<title>",
    "</title>",
    "<!DOCTYPE html>",
    '<a href="x">',
    "</a>",
    "\t",
    "<textarea>",
    "<![CDATA[",
    "]]>",
    "<h1>",
    "<li>",
    '<p style="display:none">',
    "\x00",
    "\x0c",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=5), max_size=40))
def test_fuzz_reader_never_fails(parts: list[str]) -> None:
    data = ("<!DOCTYPE html><html><body>" + "".join(parts)).encode(
        "utf-8", "surrogatepass"
    )
    try:
        doc = document_from_bytes("fuzz.html", data)
    except LoadError as exc:
        assert "\n" not in str(exc)
        return
    assert doc.text.endswith("\n") and doc.source is not None
    lines = _source_lines(data)
    for start in range(0, len(doc.text), 7):
        loc = doc.source.locate(start, min(len(doc.text), start + 5))
        assert isinstance(loc, TextLocation)
        assert 1 <= loc.line <= loc.end_line <= len(lines)
        assert (loc.line, loc.column) <= (loc.end_line, loc.end_column)
        assert 1 <= loc.column <= len(lines[loc.line - 1]) + 1


def test_layout_table_cells_are_read_as_blocks() -> None:
    # An old site: the page is a table, a sidebar with much plain text in
    # one cell (so the walk stops above the table) and the article in the
    # other; the article's paragraphs and its own tables must still read.
    text = _text_doc(EXAMPLES / "clean-2021.txt").text
    built = page(text, 0)
    start = built.index('<div class="TRS_Editor">')
    end = built.index('<div class="related">')
    article = built[start:end]
    sidebar = "".join(
        f"<p>通知公告第{i}条：本站将于周末维护，期间暂停服务。</p>" for i in range(60)
    )
    layout = (
        "<!DOCTYPE html><html><body><table><tr>"
        f'<td class="side">{sidebar}</td><td class="main">{article}</td>'
        "</tr></table></body></html>"
    )
    doc = document_from_bytes("old.html", layout.encode())
    got = [_normal(line) for line in doc.text.split("\n") if _normal(line)]
    expected = [_normal(line) for line in text.split("\n")[1:] if _normal(line)]
    at = got.index(expected[0])
    assert got[at : at + len(expected)] == expected


def test_share_bar_dropped_but_a_paragraph_citing_two_links_kept() -> None:
    data = (
        "<html><body><div class='content'>"
        "<p>一、总体情况</p>"
        '<p>详见<a href="/a">《中华人民共和国政府信息公开条例》</a>和'
        '<a href="/b">《关于做好年度报告工作的通知》</a>。</p>'
        '<p>分享到：<a href="#1">微信</a><a href="#2">微博</a></p>'
        '<div class="page">上一篇：<a href="/p">2020年年报</a> '
        '下一篇：<a href="/n">2022年年报</a></div>'
        "</div></body></html>"
    ).encode()
    doc = document_from_bytes("p.html", data)
    assert doc.text == (
        "一、总体情况\n"
        "详见《中华人民共和国政府信息公开条例》和《关于做好年度报告工作的通知》。\n"
    )
