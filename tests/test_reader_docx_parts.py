"""The .docx reader's package handling: parts found through the relationships,
styles read only as far as a list needs, and a run's text built two ways."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from disclosure_lint.engine.examples import package_from_body
from disclosure_lint.inputs.docx_xml import run_string, run_text
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import document_from_bytes

from .docx_build import W_NS

W = f'xmlns:w="{W_NS}"'
_NUMBERING = (
    f'<w:numbering {W}><w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
).encode()


def _members(data: bytes) -> dict[str, bytes]:
    source = zipfile.ZipFile(io.BytesIO(data))
    return {info.filename: source.read(info) for info in source.infolist()}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _styled(style: str, text: str) -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f"<w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def _style(sid: str, inner: str = "") -> str:
    return f'<w:style w:type="paragraph" w:styleId="{sid}">{inner}</w:style>'


_LIST = '<w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr>'
_NO_LIST = '<w:pPr><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>'


def _with_styles(body: str, styles: str) -> bytes:
    members = _members(package_from_body(body))
    members["word/numbering.xml"] = _NUMBERING
    members["word/styles.xml"] = f"<w:styles {W}>{styles}</w:styles>".encode()
    return _zip(members)


def test_styles_are_read_on_across_chunks_and_the_first_definition_counts() -> None:
    # 200 KB of styles before the ones asked about: several chunks of the part
    padding = "".join(
        _style(f"Pad{i}", f'<w:name w:val="{"x" * 180}"/>') for i in range(1000)
    )
    styles = (
        _style("Twice", _LIST)
        + padding
        + _style("Child", '<w:basedOn w:val="Parent"/>')
        + _style("Twice", _NO_LIST)  # a second definition of the id: ignored
        + _style("Parent", _LIST)
    )
    body = (
        _styled("Child", "甲")
        + _styled("Twice", "乙")
        + _styled("Missing", "丙")
        + _styled("Pad3", "丁")
    )
    text = document_from_bytes("s.docx", _with_styles(body, styles)).text
    assert text.split("\n")[:-1] == ["一、甲", "二、乙", "丙", "丁"]


def test_styles_part_is_read_only_when_a_list_needs_it() -> None:
    broken = b"<w:styles " + W.encode() + b"><w:style"
    members = _members(package_from_body(_styled("Heading1", "正文")))
    members["word/styles.xml"] = broken
    members["word/numbering.xml"] = f"<w:numbering {W}/>".encode()
    # no list in the document: the styles part is never parsed
    assert document_from_bytes("a.docx", _zip(members)).text == "正文\n"
    members["word/numbering.xml"] = _NUMBERING
    # a list defined: the paragraph's style must be looked up, and fails
    with pytest.raises(LoadError, match=r"not a valid \.docx"):
        document_from_bytes("b.docx", _zip(members))


def test_a_dtd_in_the_styles_part_is_refused_when_it_is_read() -> None:
    styles = _style("Heading1", _LIST)
    data = _with_styles(_styled("Heading1", "正文"), styles)
    members = _members(data)
    members["word/styles.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE w:styles [<!ENTITY x "Heading1">]>'
        + members["word/styles.xml"]
    )
    with pytest.raises(LoadError, match="declares a DTD"):
        document_from_bytes("d.docx", _zip(members))


_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)


def _package(main_type: str = _MAIN, override: str = "/Doc/Main.XML") -> bytes:
    """A package laid out unlike Word's: found only through its relationships."""
    document = (
        f"<w:document {W}><w:body>"
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr>'
        "</w:pPr><w:r><w:t>总体情况</w:t></w:r></w:p></w:body></w:document>"
    )
    types = (
        f'<Types xmlns="{_CT}"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{override}" ContentType="{main_type}"/></Types>'
    )
    return _zip(
        {
            "[Content_Types].xml": types.encode(),
            "_rels/.rels": (
                f'<Relationships xmlns="{_PR}"><Relationship Id="r1" '
                f'Type="{_OD}/officeDocument" Target="/doc/main.xml"/>'
                "</Relationships>"
            ).encode(),
            "doc/main.xml": document.encode(),
            "doc/_rels/main.xml.rels": (
                f'<Relationships xmlns="{_PR}">'
                f'<Relationship Id="r1" Type="{_OD}/hyperlink" '
                'Target="http://example.org/" TargetMode="External"/>'
                f'<Relationship Id="r2" Type="{_OD}/numbering" '
                'Target="../lists/n.xml"/></Relationships>'
            ).encode(),
            "lists/n.xml": _NUMBERING,
        }
    )


def test_parts_are_found_through_relationships_and_content_types() -> None:
    assert document_from_bytes("p.docx", _package()).text == "一、总体情况\n"
    with pytest.raises(LoadError, match="not a Word document"):
        document_from_bytes("p.docx", _package(main_type="application/xml"))
    # without an override the part's extension gives application/xml
    with pytest.raises(LoadError, match="not a Word document"):
        document_from_bytes("p.docx", _package(override="/other.xml"))


@pytest.mark.parametrize("in_cell", [False, True])
def test_run_string_is_the_text_of_run_text(in_cell: bool) -> None:
    run = etree.fromstring(
        f"<w:r {W}><w:rPr><w:b/></w:rPr><w:t>a\nb\tc</w:t><w:tab/>"
        '<w:br/><w:br w:type="page"/><w:br w:type="textWrapping"/><w:cr/>'
        "<w:noBreakHyphen/><w:softHyphen/><w:t></w:t><w:ptab/><w:t>末</w:t>"
        '<w:br w:type="column"/></w:r>'
    )
    assert run_string(run, in_cell) == "".join(t for _, t in run_text(run, in_cell))
    expected = "a b c    - 末" if in_cell else "a b\tc\t\n\n\n-\t末"
    assert run_string(run, in_cell) == expected
