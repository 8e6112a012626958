"""Word's automatic list numbering, rendered as the reader of the page sees it.

A heading numbered by a multilevel list carries no numeral in its text: the
``一、`` or ``（一）`` is drawn by Word from ``word/numbering.xml``. This module
works those labels out, paragraph by paragraph in document order, as Word
does (ECMA-376 §17.9, with Word's own behaviour where it differs):

- A paragraph is numbered by its own ``w:numPr`` or by its style's (styles
  inherit through ``w:basedOn``: ``docx_styles``); ``numId`` 0 turns
  numbering off. Without an ``ilvl`` a style-numbered paragraph takes the
  level whose ``w:pStyle`` names its style, else level 0.
- ``w:num`` points at a ``w:abstractNum`` (through ``w:numStyleLink`` when
  the definition lives in a numbering style). The running count is kept per
  abstract definition, not per ``numId``: two ``numId`` on one definition
  continue each other, as Word continues them. A ``numId`` with a
  ``w:startOverride`` restarts the overridden levels where it is first used
  (Word's "Restart numbering"); a ``w:lvlOverride`` holding a ``w:lvl``
  replaces that level's definition.
- Using a level restarts every deeper level (unless its ``w:lvlRestart``
  says otherwise; ``0`` never restarts).
- ``w:lvlText`` such as ``%1、`` or ``（%2）`` is filled with each level's
  count in that level's ``w:numFmt`` (``w:isLgl`` forces decimal), then the
  suffix: ``space`` is one space; ``tab`` (Word's default) and ``nothing``
  add nothing, since in the rendered text a tab separates table cells and
  ``一、总体情况`` is how such a heading is read.

Only lxml elements are handled here; python-docx is not imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .docx_numfmt import format_number

if TYPE_CHECKING:
    from .docx_styles import StyleLists

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    """Clark name of a WordprocessingML element or attribute."""
    return f"{{{_W}}}{tag}"


def first(parent: Any, tag: str) -> Any | None:
    """The first child ``tag`` (a Clark name) of ``parent``: ``parent.find(tag)``.

    NOTE: lxml's ``find`` goes through its ElementPath code in Python, 1-3 µs
    a call; the reader asks a few times for every paragraph, run and cell,
    whose children are few: scanning them is several times faster.
    """
    for child in parent:
        if child.tag == tag:
            return child
    return None


_VAL = w("val")
# NOTE: Clark names built once: a paragraph is looked at several times.
_NAMES = {
    tag: w(tag)
    for tag in ("pPr", "numPr", "numId", "ilvl", "pStyle", "basedOn", "start")
}
_PPR, _NUMPR = _NAMES["pPr"], _NAMES["numPr"]
_MAX_LEVELS = 9
# A list counter is an int; an absurd start value must not build a huge string.
_MAX_COUNT = 10**6


def _val(element: Any, tag: str) -> str | None:
    """The ``w:val`` of the child ``tag`` of ``element``, if there is one."""
    if element is None:
        return None
    child = first(element, _NAMES.get(tag) or w(tag))
    if child is None:
        return None
    value: str | None = child.get(_VAL)
    return value


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


class Level:
    """One level of a list definition (``w:lvl``)."""

    __slots__ = ("fmt", "is_lgl", "restart", "start", "style", "suffix", "text")

    def __init__(self, lvl: Any) -> None:
        """Read the parts of ``w:lvl`` that decide the label."""
        self.start = min(_MAX_COUNT, max(0, _int(_val(lvl, "start"), 0)))
        self.fmt = _val(lvl, "numFmt") or "decimal"
        text = _val(lvl, "lvlText")
        self.text = "" if text is None else text
        restart = _val(lvl, "lvlRestart")
        self.restart = None if restart is None else _int(restart, 0)
        suffix = _val(lvl, "suff") or "tab"
        self.suffix = " " if suffix == "space" else ""
        self.is_lgl = first(lvl, w("isLgl")) is not None and _val_on(lvl, "isLgl")
        self.style = _val(lvl, "pStyle")


def _val_on(element: Any, tag: str) -> bool:
    """An on/off property: present without ``w:val``, or with a true value."""
    value = _val(element, tag)
    return value is None or value not in ("0", "false", "off")


def _levels(abstract: Any) -> dict[int, Level]:
    out: dict[int, Level] = {}
    for lvl in abstract.findall(w("lvl")):
        ilvl = _int(lvl.get(w("ilvl")), -1)
        if 0 <= ilvl < _MAX_LEVELS:
            out[ilvl] = Level(lvl)
    return out


class _Num:
    """A ``w:num``: its abstract definition's key, levels and overrides."""

    __slots__ = ("abstract", "levels", "starts")

    def __init__(self, abstract: str, levels: dict[int, Level]) -> None:
        self.abstract = abstract
        self.levels = levels
        self.starts: dict[int, int] = {}


class Numbering:
    """The list definitions of a document and the running counts.

    ``label(paragraph)`` must be called for every paragraph in document order
    (body and table cells alike): it returns the paragraph's rendered number
    with its suffix, or ``""``, and advances the counts.
    """

    __slots__ = ("_counts", "_nums", "_seen", "_styles")

    def __init__(self, numbering: Any | None, styles: StyleLists) -> None:
        """Index ``numbering.xml``'s root (None: no lists) with the ``styles``."""
        self._styles = styles
        self._nums: dict[str, _Num] = {}
        if numbering is not None:
            self._nums = _read_nums(numbering, styles)
        # abstract key -> counts of levels 0..8 (None: level not used yet)
        self._counts: dict[str, list[int | None]] = {}
        self._seen: set[str] = set()

    @property
    def active(self) -> bool:
        """Whether any paragraph can be numbered (the document defines lists)."""
        return bool(self._nums)

    def label(self, paragraph: Any) -> str:
        """The number Word draws before ``paragraph`` (a ``w:p``), or ``""``."""
        if not self._nums:
            return ""
        ppr = first(paragraph, _PPR)
        if ppr is None:  # NOTE: most paragraphs (all cells, as a rule)
            return ""
        found = self._num_of(ppr)
        if found is None:
            return ""
        num_id, ilvl = found
        num = self._nums.get(num_id)
        if num is None or ilvl not in num.levels:
            return ""
        counts = self._counts.setdefault(num.abstract, [None] * _MAX_LEVELS)
        if num_id not in self._seen:
            self._seen.add(num_id)
            for overridden, start in num.starts.items():
                # NOTE: the next use of the level shows ``start``.
                counts[overridden] = start - 1
        self._advance(num, counts, ilvl)
        level = num.levels[ilvl]
        return _fill(level, num.levels, counts, ilvl) + level.suffix

    def _advance(self, num: _Num, counts: list[int | None], ilvl: int) -> None:
        current = counts[ilvl]
        start = num.levels[ilvl].start
        counts[ilvl] = start if current is None else min(_MAX_COUNT, current + 1)
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            level = num.levels.get(deeper)
            restart = None if level is None else level.restart
            # lvlRestart n: restarted by levels 1..n (1-based); 0: never.
            if restart is None or ilvl < restart:
                counts[deeper] = None

    def _num_of(self, ppr: Any) -> tuple[str, int] | None:
        """The list (numId, level) of a paragraph with properties ``ppr``."""
        num_pr = first(ppr, _NUMPR)
        style = _val(ppr, "pStyle")
        num_id = _val(num_pr, "numId")
        ilvl = _val(num_pr, "ilvl")
        if num_id is None and style is not None:
            from_style = self._styles.get(style)
            if from_style is not None:
                num_id, style_ilvl = from_style
                ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0":
            return None
        if ilvl is None:
            ilvl = str(self._style_level(num_id, style))
        return num_id, _int(ilvl, 0)

    def _style_level(self, num_id: str, style: str | None) -> int:
        num = self._nums.get(num_id)
        if num is None or style is None:
            return 0
        for ilvl, level in num.levels.items():
            if level.style == style:
                return ilvl
        return 0


def _fill(
    level: Level, levels: dict[int, Level], counts: list[int | None], ilvl: int
) -> str:
    """``lvlText`` with ``%1`` … ``%9`` replaced by the levels' counts."""
    text = level.text
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
            ref = int(text[i + 1]) - 1
            other = levels.get(ref)
            count = counts[ref] if ref < len(counts) else None
            if count is None:
                count = other.start if other is not None else 1
            fmt = other.fmt if other is not None else "decimal"
            if level.is_lgl and ref != ilvl:
                fmt = "decimal"
            out.append(format_number(count, fmt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _read_nums(numbering: Any, styles: StyleLists) -> dict[str, _Num]:
    abstracts: dict[str, Any] = {}
    links: dict[str, str] = {}
    for abstract in numbering.findall(w("abstractNum")):
        aid = abstract.get(w("abstractNumId"))
        if aid is None:
            continue
        abstracts[aid] = abstract
        link = _val(abstract, "numStyleLink")
        if link is not None:
            links[aid] = link
    raw: dict[str, str] = {}
    for num in numbering.findall(w("num")):
        nid = num.get(w("numId"))
        aid = _val(num, "abstractNumId")
        if nid is not None and aid is not None:
            raw[nid] = aid
    out: dict[str, _Num] = {}
    for num in numbering.findall(w("num")):
        nid = num.get(w("numId"))
        aid = raw.get(nid or "")
        if nid is None or aid is None:
            continue
        if aid in links:
            aid = _follow_link(aid, links, styles, raw)
        abstract = abstracts.get(aid)
        if abstract is None:
            continue
        item = _Num(aid, _levels(abstract))
        _overrides(num, item)
        out[nid] = item
    return out


def _follow_link(
    aid: str,
    links: dict[str, str],
    styles: StyleLists,
    raw: dict[str, str],
) -> str:
    """The abstract definition a ``numStyleLink`` leads to (one hop)."""
    style = links.get(aid)
    if style is None:
        return aid
    linked = styles.get(style)
    if linked is None or linked[0] is None:
        return aid
    return raw.get(linked[0], aid)


def _overrides(num: Any, item: _Num) -> None:
    for override in num.findall(w("lvlOverride")):
        ilvl = _int(override.get(w("ilvl")), -1)
        if not 0 <= ilvl < _MAX_LEVELS:
            continue
        lvl = first(override, w("lvl"))
        if lvl is not None:
            item.levels = {**item.levels, ilvl: Level(lvl)}
        start = _val(override, "startOverride")
        if start is not None:
            item.starts[ilvl] = min(_MAX_COUNT, max(0, _int(start, 0)))
