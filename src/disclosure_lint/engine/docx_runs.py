"""Word runs cut at character offsets, for comments and tracked changes.

A finding or a fix covers characters of the rendered text; the reader's map
(``DocxSourceMap.run_slices``) turns them into slices of ``w:r`` elements
(the index of the run in document order, and offsets in the run's rendered
text). A Word comment or revision can only cover whole runs, so a run that a
slice starts or ends inside is cut there: the run keeps the text before the
first cut, and each further piece becomes a new ``w:r`` right after it with
the same attributes and a copy of its formatting (``w:rPr``). Nothing else
of the document changes: the text read back is the same, and so is the
formatting of every character.

What a run's children render to is the reader's business
(``inputs.docx_xml.run_text``); only ``w:t`` holds more than one character,
so only a ``w:t`` is ever divided.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

from ..records import dataclass

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W_NS}}}{tag}"


_T = w("t")
_RPR = w("rPr")
_TC = w("tc")


@dataclass(slots=True)
class Piece:
    """One piece of a cut run: characters ``start``..``end`` of the original."""

    start: int
    end: int
    element: Any  # the w:r element now holding them


def run_parts(run: Any) -> list[tuple[Any, str]]:
    """The rendered text of a ``w:r``, child by child, as the reader reads it.

    NOTE: in a table cell a tab or a line break reads as a space
    (``inputs.docx_xml.run_text``); the length is the same.
    """
    from ..inputs.docx_xml import run_text as reader_parts

    in_cell = any(a.tag == _TC for a in run.iterancestors(_TC))
    return reader_parts(run, in_cell)


def run_text(run: Any) -> str:
    """The rendered text of a ``w:r`` element (as the reader renders it)."""
    return "".join(text for _, text in run_parts(run))


def cut_runs(
    runs: Sequence[Any], cuts: Mapping[int, Iterable[int]]
) -> dict[int, list[Piece]]:
    """Cut ``runs[i]`` at each offset of ``cuts[i]``; the pieces of each run.

    Offsets at the edges of a run, or outside it, cut nothing. Every run
    named in ``cuts`` gets its list of pieces (one when nothing is cut).
    """
    out: dict[int, list[Piece]] = {}
    for index, offsets in cuts.items():
        out[index] = _cut(runs[index], offsets)
    return out


def covering(pieces: Sequence[Piece], start: int, end: int) -> list[Any]:
    """The run elements of ``pieces`` that hold characters ``start``..``end``.

    An empty range covers nothing.
    """
    return [
        p.element
        for p in pieces
        if start <= p.start and p.end <= end and p.end > p.start
    ]


def _cut(run: Any, offsets: Iterable[int]) -> list[Piece]:
    length = len(run_text(run))
    points = sorted({o for o in offsets if 0 < o < length})
    if not points:
        return [Piece(0, length, run)]
    buckets: list[list[Any]] = [[] for _ in range(len(points) + 1)]
    texts = dict(run_parts(run))
    position = 0
    for child in [c for c in run if c.tag != _RPR]:
        text = texts.get(child, "")
        if child.tag == _T and len(text) > 1:
            for part, at in _divide(child, position, points):
                buckets[bisect_right(points, at)].append(part)
        else:
            # NOTE: a child with no text (a drawing, a field character)
            # goes with the characters after it.
            buckets[bisect_right(points, position)].append(child)
        position += len(text)
    rpr = run.find(_RPR)
    previous = run
    bounds = [0, *points, length]
    pieces = [Piece(0, points[0], run)]
    for number, bucket in enumerate(buckets[1:], start=1):
        piece = run.makeelement(run.tag, dict(run.attrib))
        if rpr is not None:
            piece.append(copy.deepcopy(rpr))
        for child in bucket:
            piece.append(child)  # NOTE: lxml moves it out of the original run
        previous.addnext(piece)
        previous = piece
        pieces.append(Piece(bounds[number], bounds[number + 1], piece))
    return pieces


def _divide(
    text_el: Any, position: int, points: Sequence[int]
) -> list[tuple[Any, int]]:
    """Split a ``w:t`` starting at ``position`` at the cut points inside it.

    Returns the elements (the original first) with their start offsets.
    """
    text = text_el.text or ""
    inner = [p - position for p in points if position < p < position + len(text)]
    if not inner:
        return [(text_el, position)]
    edges = [0, *inner, len(text)]
    parts: list[tuple[Any, int]] = []
    for first, last in pairwise(edges):
        if first == 0:
            element = text_el
        else:
            element = text_el.makeelement(text_el.tag, dict(text_el.attrib))
        element.text = text[first:last]
        # NOTE: a piece that now starts or ends with a space would lose it.
        element.set(XML_SPACE, "preserve")
        parts.append((element, position + first))
    return parts
