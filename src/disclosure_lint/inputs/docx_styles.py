"""The list a paragraph style carries, read from ``styles.xml`` only as far as needed.

A heading numbered by a multilevel list usually gets its ``w:numPr`` from its
style (``Heading 1``), possibly inherited through ``w:basedOn``. The styles
part is the largest part a reader might need (python-docx's template: 350 KB
of table and list styles; Word's own: 30-60 KB) and parsing it whole was half
the reading time of a file. Word writes ``Normal`` and the headings first, so
the part is parsed incrementally (``more()``: the ``w:style`` elements of the
next chunk) until the style asked about and the ones it is based on have been
read; a style that is not defined reads the part to its end.

A style id defined twice: the first definition counts (ECMA-376 §17.7.4.17).
Only lxml elements are handled here; python-docx is not imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .docx_numbering import first, w

#: (numId, ilvl) of a style's list; either may be missing.
StyleList = tuple[str | None, str | None]

_PPR, _NUMPR, _BASED_ON = w("pPr"), w("numPr"), w("basedOn")
_STYLE_ID, _VAL = w("styleId"), w("val")
_NUM_ID, _ILVL = w("numId"), w("ilvl")


class StyleLists:
    """Style id → the list its paragraphs are numbered by, read on demand.

    ``more()`` parses the next chunk of the styles part and returns the
    ``w:style`` elements completed in it, or None once the part is read
    (or when the document has no styles part).
    """

    __slots__ = ("_done", "_known", "_memo", "_more")

    def __init__(self, more: Callable[[], list[Any] | None]) -> None:
        """Nothing read yet."""
        self._more = more
        self._done = False
        # style id -> (own list if it has a w:numPr, the style it is based on)
        self._known: dict[str, tuple[StyleList | None, str | None]] = {}
        self._memo: dict[str, StyleList | None] = {}

    def get(self, sid: str) -> StyleList | None:
        """The list of style ``sid``, its own or the nearest ancestor's.

        The first style of the ``basedOn`` chain with a ``w:numPr`` decides;
        None if it has no ``numId``, if no style of the chain has one, or if
        the style is not defined.
        """
        if sid not in self._memo:
            self._memo[sid] = self._resolve(sid)
        return self._memo[sid]

    def _resolve(self, sid: str) -> StyleList | None:
        seen: set[str] = set()
        current: str | None = sid
        while current is not None and current not in seen:
            seen.add(current)
            style = self._style(current)
            if style is None:
                return None
            own, current = style
            if own is not None:
                return own if own[0] is not None else None
        return None

    def _style(self, sid: str) -> tuple[StyleList | None, str | None] | None:
        """What style ``sid`` says, reading on until it is defined or the end."""
        while sid not in self._known and not self._done:
            found = self._more()
            if found is None:
                self._done = True
                break
            for style in found:
                self._add(style)
        return self._known.get(sid)

    def _add(self, style: Any) -> None:
        sid = style.get(_STYLE_ID)
        if sid is None or sid in self._known:
            return
        based = first(style, _BASED_ON)
        ppr = first(style, _PPR)
        num_pr = None if ppr is None else first(ppr, _NUMPR)
        own = None if num_pr is None else (_val(num_pr, _NUM_ID), _val(num_pr, _ILVL))
        self._known[sid] = (own, None if based is None else based.get(_VAL))


def _val(element: Any, tag: str) -> str | None:
    """The ``w:val`` of the first child ``tag`` of ``element``."""
    child = first(element, tag)
    return None if child is None else child.get(_VAL)
