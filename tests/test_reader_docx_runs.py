"""Run indexes of a .docx: positions in ``list(body.iter(qn("w:r")))``.

The reader finds a run's index from the last run it met (runs come in
document order); runs it does not read (hidden, deleted, in a deleted row,
in a covered merged cell, in a text box inside a run) must still count.
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from disclosure_lint.engine.examples import package_from_body
from disclosure_lint.inputs import docx_render
from disclosure_lint.inputs.load import document_from_bytes

_V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def _r(text: str, rpr: str = "") -> str:
    return f"<w:r>{rpr}<w:t>{text}</w:t></w:r>"


def _cell(content: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p>{content}</w:p></w:tc>"


_RESTART = '<w:vMerge w:val="restart"/>'
_BODY = (
    # a text box in a run: its runs follow the run in body.iter(w:r)
    f"<w:p>{_r('甲')}<w:r><w:pict><v:shape {_V}><v:textbox><w:txbxContent>"
    f"<w:p>{_r('框一')}{_r('框二')}</w:p></w:txbxContent></v:textbox></v:shape>"
    f"</w:pict></w:r>{_r('乙')}</w:p>"
    f"<w:p>{_r('隐', '<w:rPr><w:vanish/></w:rPr>')}"
    f'<w:del w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">'
    f"<w:r><w:delText>删</w:delText></w:r></w:del>{_r('丙')}</w:p>"
    "<w:tbl>"
    f'<w:tr><w:trPr><w:del w:id="2" w:author="a" '
    f'w:date="2024-01-01T00:00:00Z"/></w:trPr>{_cell(_r("删行"))}'
    f"{_cell(_r('删行二'))}</w:tr>"
    f"<w:tr>{_cell(_r('并'), _RESTART)}"
    f"{_cell(_r('丁'))}</w:tr>"
    f"<w:tr>{_cell(_r('盖'), '<w:vMerge/>')}{_cell(_r('戊'))}</w:tr>"
    "</w:tbl>"
    f"<w:p>{_r('己')}</w:p>"
)


def test_run_index_counts_runs_the_reader_skips() -> None:
    data = package_from_body(_BODY)
    doc = document_from_bytes("r.docx", data)
    body = docx.Document(io.BytesIO(data)).element.body
    runs = list(body.iter(qn("w:r")))
    texts = ["".join(t for _, t in docx_render.run_text(run)) for run in runs]
    assert "框一" in texts and "删行" in texts and "盖" in texts
    read = [c for c in doc.text if not c.isspace()]
    assert "".join(read) == "甲乙丙并丁戊己"
    for char in read:
        offset = doc.text.index(char)
        (found,) = doc.source.run_slices(offset, offset + 1)
        assert texts[found.run_index][found.start] == char
        assert texts.index(char) == found.run_index
