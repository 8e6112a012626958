"""The .docx reader: rendering, list numbers, merged cells, tracked changes,
locations and run slices, hostile archives, and the same findings as .txt."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_lint.document.source import DocxLocation
from disclosure_lint.engine.examples import package_from_body
from disclosure_lint.engine.lint import lint_document
from disclosure_lint.inputs import docx_render
from disclosure_lint.inputs.docx import RunSlice
from disclosure_lint.inputs.docx_numfmt import format_number
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import MAX_BYTES, document_from_bytes

from .conftest import EXAMPLES, ROOT, SEEDS, run_module
from .docx_build import W_NS, docx_from_text

W = f'xmlns:w="{W_NS}"'


def _read(body: str, name: str = "t.docx"):
    return document_from_bytes(name, package_from_body(body))


def _p(text: str, ppr: str = "") -> str:
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


# --------------------------------------------------------------------------
# Same findings whatever the form (issue 12 item 6)

TEXT_FIXTURES = sorted(
    [*EXAMPLES.glob("*.txt"), *EXAMPLES.glob("*.md"), *SEEDS.glob("*.txt")]
)


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.name)
def test_docx_built_from_a_text_draft_reads_and_lints_the_same(
    path: Path, packset
) -> None:
    text_doc = document_from_bytes(str(path), path.read_bytes())
    data = docx_from_text(text_doc.text)
    word_doc = document_from_bytes("draft.docx", data)
    # The Word form really has what a Word draft has: merged cells and
    # headings numbered by the list, without the numeral in their text.
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    if "\t" in text_doc.text:
        assert "w:gridSpan" in xml or "w:vMerge" in xml
    if path.parent == EXAMPLES and "\t" in text_doc.text:
        assert "w:gridSpan" in xml and "w:vMerge" in xml
    headings = [
        p.text
        for p in docx.Document(io.BytesIO(data)).paragraphs
        if p.style is not None and p.style.name == "Heading 1"
    ]
    if "\n一、总体情况" in text_doc.text:
        assert headings and "总体情况" in headings
    assert not [h for h in headings if h[:1] in "一二三四五六七"]
    expected = text_doc.text if text_doc.text.endswith("\n") else text_doc.text + "\n"
    assert word_doc.text == expected
    _, text_findings = lint_document(text_doc, packset)
    _, word_findings = lint_document(word_doc, packset)

    def key(findings):
        return [(f.rule, f.start.line, f.start.column) for f in findings]

    assert key(word_findings) == key(text_findings)
    assert all(isinstance(f.location, DocxLocation) for f in word_findings)


def test_cross_form_through_the_cli(tmp_path: Path) -> None:
    source = EXAMPLES / "defects-2021.txt"
    text_doc = document_from_bytes(str(source), source.read_bytes())
    word = tmp_path / "defects-2021.docx"
    word.write_bytes(docx_from_text(text_doc.text))
    as_text = run_module(source, "--format", "json")
    as_word = run_module(word, "--format", "json")
    assert as_text.code == as_word.code == 1

    import json

    def key(out: str):
        return [
            (f["rule"], f["line"], f["column"]) for f in json.loads(out)["findings"]
        ]

    assert key(as_word.out) == key(as_text.out)
    locations = [f["location"] for f in json.loads(as_word.out)["findings"]]
    assert all(loc["form"] == "docx" for loc in locations)
    # the heading numbered by the list: paragraph number and the quote
    extra = next(f for f in json.loads(as_word.out)["findings"] if f["rule"] == "ST006")
    assert extra["location"]["quote"].startswith("六、下一步工作打算")
    assert "paragraph" in extra["location"] and "table" not in extra["location"]


# --------------------------------------------------------------------------
# List numbering


def _numbered(levels: str, paragraphs: str, nums: str = "") -> str:
    """A body with a numbering part: returns the rendered text."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    from docx.oxml.parser import parse_xml

    wrapper = parse_xml(f"<w:numbering {W}>{levels}{nums}</w:numbering>")
    for child in list(wrapper):
        numbering.append(child)
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not section:
            body.remove(child)
    for child in list(parse_xml(f"<w:body {W}>{paragraphs}</w:body>")):
        section.addprevious(child)
    out = io.BytesIO()
    document.save(out)
    return document_from_bytes("n.docx", out.getvalue()).text


def _lvl(ilvl: int, fmt: str, text: str, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def _np(num: int, ilvl: int, text: str) -> str:
    ppr = (
        f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/>'
        "</w:numPr></w:pPr>"
    )
    return _p(text, ppr)


def test_multilevel_list_renders_chinese_numerals_and_restarts_lower_levels() -> None:
    levels = (
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "chineseCounting", "%1、")
        + _lvl(1, "chineseCountingThousand", "（%2）")
        + _lvl(2, "decimal", "%3.")
        + "</w:abstractNum>"
    )
    nums = '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
    body = (
        _np(5, 0, "总体情况")
        + _np(5, 1, "主动公开")
        + _np(5, 2, "属于国家秘密")
        + _np(5, 2, "其他")
        + _np(5, 1, "依申请公开")
        + _np(5, 2, "重新从1起")
        + _np(5, 0, "主动公开政府信息情况")
        + _np(5, 1, "又从（一）起")
        + _p("没有编号")
    )
    assert _numbered(levels, body, nums).split("\n")[:-1] == [
        "一、总体情况",
        "（一）主动公开",
        "1.属于国家秘密",
        "2.其他",
        "（二）依申请公开",
        "1.重新从1起",
        "二、主动公开政府信息情况",
        "（一）又从（一）起",
        "没有编号",
    ]


def test_list_counts_are_shared_per_definition_and_start_override_restarts() -> None:
    levels = (
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "decimal", "%1.")
        + "</w:abstractNum>"
    )
    nums = (
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride>'
        "</w:num>"
    )
    body = _np(1, 0, "a") + _np(2, 0, "b") + _np(3, 0, "c") + _np(1, 0, "d")
    # numId 2 continues numId 1 (one definition); numId 3 restarts at 7.
    assert _numbered(levels, body, nums).split("\n")[:-1] == [
        "1.a",
        "2.b",
        "7.c",
        "8.d",
    ]


def test_numbering_through_the_paragraph_style_and_suffixes() -> None:
    levels = (
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "ideographTraditional", "%1、", '<w:suff w:val="space"/>')
        + _lvl(1, "decimalEnclosedCircle", "%2", '<w:suff w:val="nothing"/>')
        + "</w:abstractNum>"
        + '<w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>'
    )
    # The style gives the list; numId 0 on a paragraph turns it off.
    document = docx.Document()
    style = document.styles["Heading 1"].element
    from docx.oxml.parser import parse_xml

    style.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:numId w:val="4"/></w:numPr>')
    )
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(f"<w:numbering {W}>{levels}</w:numbering>"):
        numbering.append(child)
    document.add_paragraph("甲项", style="Heading 1")
    document.add_paragraph("乙项", style="Heading 1")
    off = document.add_paragraph("不编号", style="Heading 1")
    off._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:numId w:val="0"/></w:numPr>')
    )
    second = document.add_paragraph("圈号")
    second._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="1"/><w:numId w:val="4"/></w:numPr>')
    )
    out = io.BytesIO()
    document.save(out)
    text = document_from_bytes("s.docx", out.getvalue()).text
    assert text.split("\n")[:-1] == ["甲、 甲项", "乙、 乙项", "不编号", "①圈号"]


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (21, "chineseCountingThousand", "二十一"),
        (105, "chineseCountingThousand", "一百零五"),
        (3, "chineseLegalSimplified", "叁"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (7, "unknownFormat", "7"),
    ],
)
def test_number_formats(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


# --------------------------------------------------------------------------
# Tracked changes, comments, what is not body text


def test_tracked_changes_read_as_accepted_and_one_info_finding() -> None:
    rev = 'w:author="王" w:date="2022-01-05T00:00:00Z"'
    body = (
        _p("某镇2021年政府信息公开工作年度报告")
        + f'<w:p><w:r><w:t>全年</w:t></w:r><w:del w:id="1" {rev}><w:r>'
        f"<w:delText>收到</w:delText></w:r></w:del>"
        f'<w:ins w:id="2" {rev}><w:r><w:t>新收</w:t></w:r></w:ins>'
        f'<w:moveFrom w:id="3" {rev}><w:r><w:t>旧处</w:t></w:r></w:moveFrom>'
        f'<w:moveTo w:id="4" {rev}><w:r><w:t>申请</w:t></w:r></w:moveTo>'
        "<w:r><w:t>8件。</w:t></w:r></w:p>"
        # a whole paragraph deleted (text and mark) disappears
        f'<w:p><w:pPr><w:rPr><w:del w:id="5" {rev}/></w:rPr></w:pPr>'
        f'<w:del w:id="6" {rev}><w:r><w:delText>整段删除</w:delText></w:r>'
        "</w:del></w:p>" + _p("结尾")
    )
    doc = _read(body)
    assert doc.text == "某镇2021年政府信息公开工作年度报告\n全年新收申请8件。\n结尾\n"
    assert doc.source.facts["revisions"][0] == 6
    found = lint_document(doc, _packset())[1]
    fm106 = [f for f in found if f.rule == "FM106"]
    assert len(fm106) == 1
    assert (fm106[0].start.line, fm106[0].start.column) == (2, 3)
    assert fm106[0].location == DocxLocation(paragraph=2, quote="新收申请8件。")


def test_clean_draft_has_no_revision_finding() -> None:
    doc = _read(_p("某镇2021年政府信息公开工作年度报告") + _p("正文。"))
    assert doc.source.facts == {"revisions": (0, 0), "comments": (0, 0)}
    assert not [f for f in lint_document(doc, _packset())[1] if f.rule == "FM106"]


def test_headers_footers_footnotes_and_comments_are_not_body_text(tmp_path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉文字"
    document.sections[0].footer.paragraphs[0].text = "— 1 —"
    paragraph = document.add_paragraph("正文第一段")
    document.add_comment(paragraph.runs, text="批注内容", author="审稿人")
    out = io.BytesIO()
    document.save(out)
    doc = document_from_bytes("c.docx", out.getvalue())
    assert doc.text == "正文第一段\n"
    assert doc.source.facts["comments"][0] == 1
    path = tmp_path / "c.docx"
    path.write_bytes(out.getvalue())
    done = run_module(path, "--select", "FM106", "--lang", "en", "--format", "json")
    assert done.code == 0, done.err  # info only
    import json

    (finding,) = json.loads(done.out)["findings"]
    assert finding["rule"] == "FM106" and "1 comment" in finding["message"]
    assert finding["location"] == {
        "form": "docx",
        "paragraph": 1,
        "quote": "正文第一段",
    }


def test_hidden_runs_text_boxes_and_page_breaks() -> None:
    body = (
        "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"
        '<w:r><w:t>可见</w:t><w:br w:type="page"/><w:tab/><w:t>A</w:t>'
        "<w:br/><w:t>B</w:t></w:r></w:p>"
    )
    assert _read(body).text == "可见\tA\nB\n"


# --------------------------------------------------------------------------
# Tables, merged cells, locations, run slices


def _merged_table() -> str:
    def tc(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(text)}</w:tc>"

    grid = "<w:tblGrid>" + '<w:gridCol w:w="1000"/>' * 3 + "</w:tblGrid>"
    span = '<w:gridSpan w:val="2"/>'
    restart = '<w:vMerge w:val="restart"/>'
    return (
        f"<w:tbl>{grid}"
        f"<w:tr>{tc('项目')}{tc('申请人情况', span)}</w:tr>"
        f"<w:tr>{tc('（五）不予处理', restart)}{tc('1. 重复申请')}{tc('0')}</w:tr>"
        f"<w:tr>{tc('', '<w:vMerge/>')}{tc('2. 其他')}{tc('3')}</w:tr>"
        "</w:tbl>"
    )


def test_merged_cells_expand_into_the_grid_with_text_in_the_first_cell() -> None:
    doc = _read(_p("标题") + _merged_table() + _p("段后"))
    assert doc.text == (
        "标题\n项目\t申请人情况\t\n（五）不予处理\t1. 重复申请\t0\n\t2. 其他\t3\n段后\n"
    )
    source = doc.source
    at = doc.text.index("3\n")
    assert source.locate(at, at + 1) == DocxLocation(
        table=1, row=3, column=3, quote="3"
    )
    # the covered cell right of a horizontal merge counts as the merge's column
    empty = doc.text.index("\t\n")
    assert source.locate(empty + 1, empty + 1).column == 2
    # the blank cell under a vertical merge is in its own row
    below = doc.text.index("\t2. 其他")
    # (an empty cell has no text to quote: its row is quoted)
    assert source.locate(below, below) == DocxLocation(
        table=1, row=3, column=1, quote="2. 其他 3"
    )
    last = doc.text.index("段后")
    # body paragraphs outside tables: 标题 is 1, 段后 is 2
    assert source.locate(last, last + 2) == DocxLocation(paragraph=2, quote="段后")


def test_gridbefore_cells_paragraphs_in_a_cell_and_deleted_rows() -> None:
    rev = 'w:id="9" w:author="a" w:date="2022-01-01T00:00:00Z"'
    body = (
        "<w:tbl>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
        f"<w:tc>{_p('本年新制作')}{_p('数量')}</w:tc></w:tr>"
        f"<w:tr><w:trPr><w:del {rev}/></w:trPr><w:tc>{_p('删除的行')}</w:tc>"
        "<w:tc><w:p/></w:tc></w:tr>"
        f"<w:tr><w:tc>{_p('a')}</w:tc><w:tc>{_p('b')}</w:tc></w:tr>"
        "</w:tbl>"
    )
    doc = _read(body)
    assert doc.text == "\t本年新制作 数量\na\tb\n"
    at = doc.text.index("b\n")
    # the deleted row still counts: Word shows it until it is accepted
    assert doc.source.locate(at, at + 1) == DocxLocation(
        table=1, row=3, column=2, quote="b"
    )


def test_run_slices_map_rendered_spans_to_runs_exactly() -> None:
    rev = 'w:author="a" w:date="2022-01-01T00:00:00Z"'
    levels = (
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "chineseCounting", "%1、")
        + "</w:abstractNum>"
    )
    nums = '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    body = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        "</w:pPr><w:r><w:t>总体</w:t></w:r><w:r><w:t>情况</w:t></w:r></w:p>"
        f'<w:p><w:r><w:t>全年</w:t></w:r><w:del w:id="1" {rev}><w:r>'
        "<w:delText>收到</w:delText></w:r></w:del>"
        f'<w:ins w:id="2" {rev}><w:r><w:t>新收</w:t></w:r></w:ins>'
        "<w:r><w:t>申请</w:t><w:tab/><w:t>8件</w:t></w:r></w:p>" + _merged_table()
    )
    document = docx.Document()
    from docx.oxml.parser import parse_xml

    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(f"<w:numbering {W}>{levels}{nums}</w:numbering>"):
        numbering.append(child)
    body_el = document.element.body
    section = body_el.find(qn("w:sectPr"))
    for child in list(body_el):
        if child is not section:
            body_el.remove(child)
    for child in list(parse_xml(f"<w:body {W}>{body}</w:body>")):
        section.addprevious(child)
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    doc = document_from_bytes("r.docx", data)
    assert doc.text.startswith("一、总体情况\n全年新收申请\t8件\n")
    source = doc.source
    # the writer's order: every w:r of the body, deleted ones included
    runs = list(docx.Document(io.BytesIO(data)).element.body.iter(qn("w:r")))

    def run_text(i: int) -> str:
        return "".join(t for _, t in docx_render.run_text(runs[i]))

    assert run_text(0) == "总体" and run_text(4) == "新收"
    assert run_text(3) == ""  # 收到, deleted: in the order, with no text
    # a span across two runs of the heading, after the generated 一、
    assert source.run_slices(3, 6) == [RunSlice(0, 1, 2), RunSlice(1, 0, 2)]
    # 全年 | (收到 deleted: run 3, no text) | 新收 | 申请\t8件
    line2 = doc.text.index("全年")
    assert source.run_slices(line2 + 1, line2 + 5) == [
        RunSlice(2, 1, 2),
        RunSlice(4, 0, 2),
        RunSlice(5, 0, 1),
    ]
    assert run_text(5) == "申请\t8件"
    tab = doc.text.index("\t8件")
    assert source.run_slices(tab, tab + 3) == [RunSlice(5, 2, 5)]
    # the generated list number alone: the nearest run of the paragraph
    assert source.run_slices(0, 2) == [RunSlice(0, 0, 0)]
    # every rendered run character maps back to the same character of the run
    for offset, char in enumerate(doc.text):
        for piece in source.run_slices(offset, offset + 1):
            if piece.start < piece.end:
                assert run_text(piece.run_index)[piece.start] == char
    # cells: the run of the merged group label
    label = doc.text.index("（五）")
    (found,) = source.run_slices(label, label + 7)
    assert run_text(found.run_index) == "（五）不予处理"
    assert (found.start, found.end) == (0, 7)


def test_quote_is_short() -> None:
    long = "本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为全年。"
    doc = _read(_p(long))
    location = doc.source.locate(0, len(long))
    assert location.quote == long[:20]
    assert location.label("en") == "paragraph 1"


# --------------------------------------------------------------------------
# Broken and hostile input


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _one_line_error(data: bytes, name: str = "bad.docx") -> str:
    with pytest.raises(LoadError) as info:
        document_from_bytes(name, data)
    message = str(info.value)
    assert "\n" not in message and message
    return message


def test_damaged_and_non_word_archives_are_one_line_errors() -> None:
    good = package_from_body(_p("正文"))
    assert "damaged ZIP" in _one_line_error(good[: len(good) // 2])
    assert "not a valid .docx" in _one_line_error(_zip({"word/x.txt": b"hello"}))
    broken_xml = _zip_replace(good, "word/document.xml", b"<w:document")
    assert "not a valid .docx" in _one_line_error(broken_xml)
    assert "no text" in _one_line_error(package_from_body("<w:p/>"))


def test_unsupported_zip_features_are_one_line_errors() -> None:
    data = bytearray(package_from_body(_p("正文")))
    # "version needed to extract" 6.4 in the first central directory entry
    at = data.index(b"PK\x01\x02")
    data[at + 6 : at + 8] = (64).to_bytes(2, "little")
    assert "not a valid .docx" in _one_line_error(bytes(data))


def _zip_replace(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = content
    return _zip(members)


def test_zip_bomb_is_refused_before_decompressing() -> None:
    good = package_from_body(_p("正文"))
    # 50 MB of one byte compresses about a thousand times
    bomb = _zip_replace(good, "word/media/bomb.bin", b"\0" * (50 * 1024 * 1024))
    assert len(bomb) < 200_000
    assert "zip bomb" in _one_line_error(bomb)


def test_archive_declaring_more_than_the_cap_is_refused() -> None:
    good = package_from_body(_p("正文"))
    # stored (not compressed) parts: no ratio, but more than 4 x MAX_BYTES in all
    source = zipfile.ZipFile(io.BytesIO(good))
    members = {info.filename: source.read(info) for info in source.infolist()}
    chunk = bytes(range(256)) * (MAX_BYTES // 256)
    for i in range(5):
        members[f"word/media/big{i}.bin"] = chunk
    data = _zip(members, zipfile.ZIP_STORED)
    assert "zip bomb" in _one_line_error(data)


def test_xml_entities_are_neither_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    good = package_from_body(_p("正文"))
    laughs = "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    document = (
        '<?xml version="1.0"?>'
        f'<!DOCTYPE w:document [<!ENTITY l0 "ha">{laughs}'
        f'<!ENTITY ext SYSTEM "file://{secret}">]>'
        f"<w:document {W}><w:body>"
        "<w:p><w:r><w:t>A&l9;B</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>C&ext;D</w:t></w:r></w:p>"
        "</w:body></w:document>"
    ).encode()
    data = _zip_replace(good, "word/document.xml", document)
    # refused in one line, quickly, without reading the file named (libxml2
    # stops the expansion itself, or the DTD is refused)
    message = _one_line_error(data)
    assert "entity" in message or "DTD" in message
    assert "SECRET" not in message
    small = document.replace(laughs.encode(), b"").replace(b"&l9;", b"&l0;")
    assert "declares a DTD" in _one_line_error(
        _zip_replace(good, "word/document.xml", small)
    )
    # and the parser's settings themselves never expand nor fetch
    from lxml import etree

    parser = etree.XMLParser(
        remove_blank_text=True, resolve_entities=False, load_dtd=False, no_network=True
    )
    text = "".join(etree.fromstring(small, parser).itertext())
    assert "SECRET" not in text and "ha" not in text


def test_too_many_paragraphs_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_render, "MAX_BLOCKS", 50)
    message = _one_line_error(package_from_body(_p("x") * 51))
    assert "too many paragraphs" in message
    assert _read(_p("x") * 49).text == "x\n" * 49


def test_bad_docx_in_a_batch_is_exit_2_and_the_rest_is_checked(tmp_path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + b"word/" + b"\0" * 100)
    good = tmp_path / "good.docx"
    good.write_bytes(docx_from_text((EXAMPLES / "clean-2021.txt").read_text("utf-8")))
    done = run_module(bad, good)
    assert done.code == 2
    errors = [line for line in done.err.splitlines() if "bad.docx" in line]
    assert len(errors) == 1 and "Traceback" not in done.err
    # the good file was still checked (and is clean)
    assert "1 个文件出错" in done.out and "未发现问题（1 个文件）" in done.out
    alone = run_module(good)
    assert alone.code == 0, alone.out + alone.err


def test_old_word_formats_are_refused_with_advice(tmp_path) -> None:
    old = tmp_path / "draft.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    done = run_module(old)
    assert done.code == 2 and "save it as .docx" in done.err


# --------------------------------------------------------------------------
# Fuzz: only a Document or a LoadError, never a traceback

_VALID = package_from_body(
    _p("某镇2021年政府信息公开工作年度报告") + _p("一、总体情况") + _merged_table()
)
_XML_PIECES = [
    "<w:p>",
    "</w:p>",
    "<w:r>",
    "</w:r>",
    "<w:t>",
    "</w:t>",
    "<w:tbl>",
    "</w:tbl>",
    "<w:tr>",
    "</w:tr>",
    "<w:tc>",
    "</w:tc>",
    '<w:gridSpan w:val="99999"/>',
    '<w:gridSpan w:val="-3"/>',
    "<w:vMerge/>",
    '<w:numPr><w:numId w:val="1"/><w:ilvl w:val="12"/></w:numPr>',
    "<w:del>",
    "</w:del>",
    "<w:ins>",
    "</w:ins>",
    "<w:tab/>",
    "<w:br/>",
    "<w:sdt><w:sdtContent>",
    "</w:sdtContent></w:sdt>",
    "总体情况",
    "\t",
    "&amp;",
]


def _check_reader(data: bytes) -> None:
    try:
        doc = document_from_bytes("fuzz.docx", data)
    except LoadError as exc:
        assert "\n" not in str(exc)
        return
    assert "\r" not in doc.text
    for start in range(0, len(doc.text), 7):
        doc.source.locate(start, min(len(doc.text), start + 3))
        for piece in doc.source.run_slices(start, start + 3):
            assert 0 <= piece.start <= piece.end


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_VALID) - 1), st.binary(max_size=4))))
def test_fuzz_mutated_docx_bytes(edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(_VALID)
    for at, new in edits[:8]:
        data[at : at + len(new)] = new
    _check_reader(bytes(data))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_XML_PIECES) | st.text(max_size=5), max_size=40))
def test_fuzz_random_xml_in_the_body(parts: list[str]) -> None:
    body = "".join(parts)
    document = f"<w:document {W}><w:body>{body}</w:body></w:document>".encode()
    _check_reader(_zip_replace(_VALID, "word/document.xml", document))


# --------------------------------------------------------------------------
# Costs: python-docx only when a .docx is read


def test_text_drafts_do_not_import_the_docx_reader() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "disclosure_lint",
            str(EXAMPLES / "clean-2021.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    imported = [line for line in done.stderr.splitlines() if "import time" in line]
    assert imported
    assert not [line for line in imported if "docx" in line or "lxml" in line]


def _packset():
    from disclosure_lint.packs.load import load_packset

    return load_packset()
