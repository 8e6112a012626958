"""WordprocessingML elements as the .docx reader reads them.

Tag names, what an open tracked change is, the rendered text of a run, and
the rows and cells of a table through content controls. Only lxml elements
are handled here; python-docx is not imported.
"""

from __future__ import annotations

from typing import Any, Final

from .docx_numbering import first, w

_MAX_SPAN = 64  # grid columns one cell may span or a row may skip

P, TBL, TR, TC, R = w("p"), w("tbl"), w("tr"), w("tc"), w("r")
SDT, SDT_CONTENT, CUSTOM_XML = w("sdt"), w("sdtContent"), w("customXml")
INS, DEL, MOVE_TO, MOVE_FROM = w("ins"), w("del"), w("moveTo"), w("moveFrom")
PPR, RPR, TRPR, TCPR = w("pPr"), w("rPr"), w("trPr"), w("tcPr")
T, _VAL = w("t"), w("val")
COMMENT_MARKS = (w("commentRangeStart"), w("commentReference"))
# Inline wrappers whose runs are body text.
INLINE_THROUGH = frozenset(
    {
        w("hyperlink"),
        w("smartTag"),
        w("customXml"),
        w("fldSimple"),
        w("bdo"),
        w("dir"),
        INS,
        MOVE_TO,
    }
)
DROPPED = frozenset({DEL, MOVE_FROM})
#: Every element that is an open tracked change.
REVISION_TAGS: Final = tuple(
    w(tag)
    for tag in (
        "ins",
        "del",
        "moveFrom",
        "moveTo",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblGridChange",
        "trPrChange",
        "tcPrChange",
        "cellIns",
        "cellDel",
        "cellMerge",
        "numberingChange",
    )
)
_REVISION_SET = frozenset(REVISION_TAGS)
# Characters inside w:t that would break the line structure.
_T_BODY = str.maketrans({"\n": " ", "\r": " ", "\v": " ", "\f": " "})
_T_CELL = str.maketrans({"\n": " ", "\r": " ", "\v": " ", "\f": " ", "\t": " "})


_TABS = (w("tab"), w("ptab"))
_BREAKS = (w("br"), w("cr"))
_TYPE, _HYPHEN = w("type"), w("noBreakHyphen")


def run_text(run: Any, in_cell: bool = False) -> list[tuple[Any, str]]:
    r"""The rendered pieces of a ``w:r``: (child element, its text), in order.

    The run's rendered text is the join of the texts; each child gives its
    own characters (``w:t`` its text, ``w:tab`` one ``\t``, a line break one
    ``\n``…), so an offset into the run's text leads to one child. In a
    table cell a tab or a break is one space instead: the same length.
    """
    out: list[tuple[Any, str]] = []
    for child in run:
        tag = child.tag
        if tag == T:
            text = child.text or ""
            if text:
                out.append((child, text.translate(_T_CELL if in_cell else _T_BODY)))
        elif tag in _TABS:
            out.append((child, " " if in_cell else "\t"))
        elif tag in _BREAKS:
            if child.get(_TYPE) not in ("page", "column"):
                out.append((child, " " if in_cell else "\n"))
        elif tag == _HYPHEN:
            out.append((child, "-"))
    return out


def run_string(run: Any, in_cell: bool = False) -> str:
    """The rendered text of a ``w:r``: ``"".join`` of ``run_text``'s texts."""
    return read_run(run, in_cell)[1]


def read_run(run: Any, in_cell: bool = False) -> tuple[Any, str]:
    """(the run's first ``w:rPr`` or None, ``run_string(run, in_cell)``).

    NOTE: the reader's hot path (once per run): one pass over the run's
    children for both; the same rules as ``run_text`` without the pairs
    (tests/test_reader_docx_parts.py compares them).
    """
    rpr = None
    out: list[str] = []
    for child in run:
        tag = child.tag
        if tag == T:
            text = child.text
            if text:
                out.append(text.translate(_T_CELL if in_cell else _T_BODY))
        elif tag == RPR:
            if rpr is None:
                rpr = child
        elif tag in _TABS:
            out.append(" " if in_cell else "\t")
        elif tag in _BREAKS:
            if child.get(_TYPE) not in ("page", "column"):
                out.append(" " if in_cell else "\n")
        elif tag == _HYPHEN:
            out.append("-")
    return rpr, "".join(out)


def vanished(rpr: Any) -> bool:
    """The run properties ``rpr`` hide the run (``w:vanish`` on)."""
    child = first(rpr, _VANISH)
    return child is not None and child.get(_VAL) not in ("0", "false", "off")


_VANISH = w("vanish")
_GRID = {tag: w(tag) for tag in ("gridSpan", "gridBefore")}
_GRID_SPAN = _GRID["gridSpan"]
_VMERGE = w("vMerge")


def mark_deleted(paragraph: Any) -> bool:
    """The paragraph mark of ``paragraph`` is a tracked deletion."""
    ppr = first(paragraph, PPR)
    rpr = None if ppr is None else first(ppr, RPR)
    return rpr is not None and first(rpr, DEL) is not None


def has_accepted_text(paragraph: Any) -> bool:
    """Any text left in ``paragraph`` once its tracked changes are accepted."""
    for t in paragraph.iter(T):
        node = t.getparent()
        dropped = False
        while node is not None and node is not paragraph:
            if node.tag in DROPPED:
                dropped = True
                break
            node = node.getparent()
        if not dropped and t.text:
            return True
    return False


def grid_int(element: Any, tag: str, default: int) -> int:
    """The ``w:val`` of child ``tag`` (``gridSpan``, ``gridBefore``), bounded."""
    child = None if element is None else first(element, _GRID.get(tag) or w(tag))
    return default if child is None else _bounded(child.get(_VAL), default)


def _bounded(value: str | None, default: int) -> int:
    """A grid count: 0 to ``_MAX_SPAN``; ``default`` if missing or not a number."""
    if value is None:
        return default
    try:
        return max(0, min(_MAX_SPAN, int(value)))
    except ValueError:
        return default


def continues_merge(tcpr: Any) -> bool:
    """A cell covered by the merged cell above it (``vMerge`` continue)."""
    if tcpr is None:
        return False
    merge = first(tcpr, _VMERGE)
    return merge is not None and merge.get(_VAL, "continue") == "continue"


def cell_grid(tcpr: Any) -> tuple[int, bool]:
    """(grid columns the cell spans, at least 1; covered by the cell above).

    The same as ``grid_int(tcpr, "gridSpan", 1)`` and ``continues_merge``,
    in one look at the cell's properties (once per cell of every table).
    """
    if tcpr is None:
        return 1, False
    span = merge = None
    for child in tcpr:
        tag = child.tag
        if tag == _GRID_SPAN and span is None:
            span = child
        elif tag == _VMERGE and merge is None:
            merge = child
    spans = 1 if span is None else _bounded(span.get(_VAL), 1)
    return max(1, spans), merge is not None and merge.get(
        _VAL, "continue"
    ) == "continue"


def rows(table: Any) -> list[Any]:
    """The ``w:tr`` of a table."""
    return _children(table, TR)


def cells(row: Any) -> list[Any]:
    """The ``w:tc`` of a row."""
    return _children(row, TC)


def _children(parent: Any, tag: str) -> list[Any]:
    """Children ``tag`` of ``parent``, through content controls and custom XML.

    NOTE: a list, not a generator: once per row and table, cheaper to build.
    """
    out: list[Any] = []
    for child in parent:
        kind = child.tag
        if kind == tag:
            out.append(child)
        elif kind == SDT:
            content = first(child, SDT_CONTENT)
            if content is not None:
                out.extend(_children(content, tag))
        elif kind == CUSTOM_XML:
            out.extend(_children(child, tag))
    return out
