"""Build Word documents from text drafts, as an editor would have typed them.

``docx_from_text`` turns a ``.txt`` draft into a ``.docx`` with python-docx:

- a line without tabs is a paragraph; consecutive lines with tabs are the
  rows of one table (a row ends at its last cell, as in the text);
- in each table, a cell with text and the empty cells to its right in a
  header row (before the first row with a number) are MERGED into it
  (``gridSpan``), and a cell with text in the first two columns and the
  empty cells below it are MERGED down (``vMerge``): the merged header
  cells and group labels (``三、本年度办理结果``, ``（五）不予处理``) of real
  drafts;
- headings ``一、…`` and ``（一）…`` are numbered by a two-level LIST
  (``chineseCounting``, ``%1、`` and ``（%2）``, Word's default tab suffix)
  and their text carries no numeral: level 0 through the ``Heading 1``
  style's ``w:numPr``, level 1 through the paragraph's own. A numeral that
  Word's count would not draw there (a skipped or repeated number) stays
  typed in the text.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NUMERALS = "一二三四五六七八九十"
_LEVEL0 = re.compile(r"^([一二三四五六七八九十]{1,3})、")
_LEVEL1 = re.compile(r"^（([一二三四五六七八九十]{1,3})）")
_NUMBER = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
NUM_ID = 90

_NUMBERING = f"""
<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{NUM_ID}">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
"""


def chinese(n: int) -> str:
    """1..99 as Word's chineseCounting draws it."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else _NUMERALS[tens - 1])
        + "十"
        + (_NUMERALS[ones - 1] if ones else "")
    )


def _add_numbering(document: Any) -> None:
    numbering = document.part.numbering_part.element
    abstract = parse_xml(_NUMBERING)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num xmlns:w="{W_NS}" w:numId="{NUM_ID}">'
            f'<w:abstractNumId w:val="{NUM_ID}"/></w:num>'
        )
    )
    style = document.styles["Heading 1"].element
    ppr = style.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/>'
            f'<w:numId w:val="{NUM_ID}"/></w:numPr>'
        )
    )


def _numbered_paragraph(document: Any, level: int, text: str) -> None:
    if level == 0:
        document.add_paragraph(text, style="Heading 1")
        return
    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{NUM_ID}"/></w:numPr>'
        )
    )


class _Counter:
    """Word's count of the two list levels, to know what it will draw."""

    def __init__(self) -> None:
        self.level0 = 0
        self.level1 = 0

    def take(self, line: str) -> tuple[int, str] | None:
        """(level, text without the numeral) if Word would draw the numeral."""
        match = _LEVEL0.match(line)
        if match and match.group(1) == chinese(self.level0 + 1):
            self.level0 += 1
            self.level1 = 0
            return 0, line[match.end() :]
        match = _LEVEL1.match(line)
        if match and match.group(1) == chinese(self.level1 + 1):
            self.level1 += 1
            return 1, line[match.end() :]
        return None


def docx_from_text(text: str, numbered: bool = True, merged: bool = True) -> bytes:
    """A .docx whose body reads as ``text`` (see the module docstring)."""
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if numbered:
        _add_numbering(document)
    counter = _Counter()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            _add_table(document, [line.split("\t") for line in lines[i:j]], merged)
            i = j
            continue
        found = counter.take(lines[i]) if numbered else None
        if found is None:
            document.add_paragraph(lines[i])
        else:
            _numbered_paragraph(document, *found)
        i += 1
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _add_table(document: Any, rows: list[list[str]], merged: bool) -> None:
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    if merged:
        for (r, c), (height, span) in _merges(rows).items():
            table.cell(r, c).merge(table.cell(r + height - 1, c + span - 1))
    # A row ends at its last cell, as its line does.
    for tr, row in zip(table._tbl.tr_lst, rows, strict=True):
        column = 0
        for tc in list(tr.tc_lst):
            if column >= len(row):
                tr.remove(tc)
            column += tc.grid_span


def _merges(rows: list[list[str]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Rectangles to merge: (row, col) → (height, width)."""
    header_end = next(
        (r for r, row in enumerate(rows) if any(_NUMBER.match(v) for v in row if v)),
        len(rows),
    )
    taken: set[tuple[int, int]] = set()

    def free(r: int, c: int) -> bool:
        return c < len(rows[r]) and not rows[r][c] and (r, c) not in taken

    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if not value or (r, c) in taken:
                continue
            span = 1
            if r < header_end:
                while free(r, c + span):
                    span += 1
            height = 1
            if c < 2 or r < header_end:
                while r + height < len(rows) and all(
                    free(r + height, k) for k in range(c, c + span)
                ):
                    height += 1
            if span > 1 or height > 1:
                out[(r, c)] = (height, span)
                taken |= {
                    (rr, cc) for rr in range(r, r + height) for cc in range(c, c + span)
                }
    return out
