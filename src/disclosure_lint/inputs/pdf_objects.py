"""What a PDF page shows, read with PDFium: glyphs, ruling edges, images.

PDFium (``pypdfium2``, the PDF engine of Chromium) parses a page in C++,
several times faster than pdfminer.six in Python; this module asks it for
the characters with their boxes and font sizes, the straight segments of
the page's paths (table rules: lines, thin rectangles, rectangle outlines)
and whether the page shows images (a scan). Coordinates are PDF points
with the origin at the top left of the page's crop box as it is shown
(turned by the page's ``/Rotate``), as pdfplumber's.

Shading is not a rule: a filled rectangle thicker than ``RULE_WIDTH`` (a
paragraph or header background) and white paint give no edges, or every
shaded paragraph would be a one-cell table.
"""

from __future__ import annotations

import ctypes
import re
import zlib
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped,unused-ignore]
import pypdfium2.raw as raw  # type: ignore[import-untyped,unused-ignore]

from .pdf_layout import Glyph

# A filled shape thinner than this (points) is a rule drawn as a rectangle.
RULE_WIDTH = 2.0
# Path segments on one page past which its drawings are not read for tables.
MAX_SEGMENTS = 100_000
# Objects nested deeper in form XObjects than this are not looked at.
_MAX_DEPTH = 8
# A segment within this many points of level (or plumb) is horizontal (vertical).
_LEVEL = 0.5
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class PageObjects:
    """The glyphs, edges (pdfplumber's dicts) and image count of one page."""

    __slots__ = ("bbox", "edges", "glyphs", "height", "images", "width")

    def __init__(self, page: Any, max_glyphs: int) -> None:
        """Read ``page`` (a ``pdfium.PdfPage``); at most ``max_glyphs`` glyphs.

        Raises:
            OverflowError: the page has more than ``max_glyphs`` characters.
        """
        view = View(page.get_cropbox(), page.get_rotation())
        self.width, self.height = view.width, view.height
        self.bbox = (0.0, 0.0, self.width, self.height)
        self.glyphs = _glyphs(page, view, max_glyphs)
        self.edges: list[dict[str, Any]] = []
        self.images = 0
        segments = 0
        for kind, handle, matrix in _objects(page):
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                self.images += 1
            elif kind == raw.FPDF_PAGEOBJ_PATH and segments <= MAX_SEGMENTS:
                segments += max(raw.FPDFPath_CountSegments(handle), 0)
                self.edges += _path_edges(handle, matrix, view)
        if segments > MAX_SEGMENTS:
            # NOTE: a detailed drawing (a map, a chart), not a ruled table;
            # reading all of it would take seconds a page.
            self.edges = []


class View:
    """PDF user space to the page as shown: origin top left, turned by /Rotate."""

    __slots__ = ("bottom", "height", "left", "right", "top", "turn", "width")

    def __init__(self, box: tuple[float, float, float, float], turn: int) -> None:
        """The view of crop ``box`` (left, bottom, right, top) turned ``turn``°."""
        self.left, self.bottom, self.right, self.top = (float(v) for v in box)
        self.turn = turn % 360
        across, down = self.right - self.left, self.top - self.bottom
        if self.turn in (90, 270):
            across, down = down, across
        self.width, self.height = across, down

    def point(self, x: float, y: float) -> tuple[float, float]:
        """Where user-space ``(x, y)`` is shown (a page turned clockwise)."""
        if self.turn == 90:
            return y - self.bottom, x - self.left
        if self.turn == 180:
            return self.right - x, y - self.bottom
        if self.turn == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(
        self, left: float, bottom: float, right: float, top: float
    ) -> tuple[float, float, float, float]:
        """A user-space box as shown: x0, top, x1, bottom."""
        xa, ya = self.point(left, bottom)
        xb, yb = self.point(right, top)
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


# The start of a stream's data, and the dictionary before it.
_STREAM = re.compile(rb"stream\r?\n")
_DICT_BEFORE = 400
_CHUNK = 1 << 20
# Streams that are not drawn as operators: images, embedded fonts (a whole
# Chinese font is 10 MB and harmless), metadata.
_NOT_CONTENT: tuple[bytes, ...] = (b"/Image", b"/Length1", b"/Length2", b"/Type1C")
_NOT_CONTENT += (b"/CIDFontType0C", b"/OpenType", b"/Metadata", b"/XML")


def inflated_size(data: bytes, cap: int) -> int:
    """How many bytes the Flate streams of ``data`` inflate to (images aside).

    Counting stops past ``cap``. NOTE: PDFium inflates a page's content
    stream whole and builds an object for every drawing operator: a few
    hundred kilobytes that inflate to 100 MB of operators take it half a
    minute and 2 GB. Images and fonts are left out (a flat-coloured image
    inflates a thousand times, a font is large, both harmlessly); an
    encrypted stream does not inflate and counts nothing.
    """
    total = 0
    for found in _STREAM.finditer(data):
        head = data[max(0, found.start() - _DICT_BEFORE) : found.start()]
        head = head[head.rfind(b"obj") :]
        if b"/FlateDecode" not in head or any(word in head for word in _NOT_CONTENT):
            continue
        end = data.find(b"endstream", found.end())
        total += _inflate(data, found.end(), len(data) if end < 0 else end, cap - total)
        if total > cap:
            break
    return total


def _inflate(data: bytes, start: int, end: int, room: int) -> int:
    """Bytes the zlib data at ``data[start:end]`` inflates to, up to ``room + 1``."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        for at in range(start, end, _CHUNK):
            size += len(
                inflater.decompress(data[at : min(at + _CHUNK, end)], room + 1 - size)
            )
            while inflater.unconsumed_tail and size <= room:
                size += len(
                    inflater.decompress(inflater.unconsumed_tail, room + 1 - size)
                )
            if size > room or inflater.eof:
                break
    except zlib.error:
        pass  # damaged or encrypted: PDFium decides
    return size


def open_pdf(data: bytes) -> Any:
    """The ``pdfium.PdfDocument`` of ``data`` (``PdfiumError`` when it fails)."""
    return pdfium.PdfDocument(data)


def error_code(exc: BaseException) -> int | None:
    """PDFium's error code of a failed load (``FPDF_ERR_*``), if any."""
    return getattr(exc, "err_code", None)


PASSWORD_ERRORS = (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY)
#: What PDFium's load errors mean, for the user.
LOAD_ERRORS = {
    raw.FPDF_ERR_FORMAT: "damaged, or not in PDF format",
    raw.FPDF_ERR_FILE: "cannot be opened",
    raw.FPDF_ERR_PAGE: "its page tree is damaged",
}


def _glyphs(page: Any, view: View, cap: int) -> list[Glyph]:
    """Every character PDFium finds in the page's text, inside the crop box."""
    text = page.get_textpage()
    try:
        count = raw.FPDFText_CountChars(text)
        if count > cap:
            raise OverflowError(count)
        box = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        out = []
        for index in range(count):
            code = raw.FPDFText_GetUnicode(text, index)
            # NOTE: spaces and line breaks PDFium makes up are not glyphs.
            if code <= 32 or raw.FPDFText_IsGenerated(text, index) == 1:
                continue
            if not raw.FPDFText_GetLooseCharBox(text, index, box):
                continue
            x0, y0, x1, y1 = view.box(box.left, box.bottom, box.right, box.top)
            if not (-1 <= x0 <= view.width and -1 <= y0 <= view.height):
                continue  # outside the visible page
            out.append(Glyph(_char(code), x0, x1, y0, y1, _size(text, index, matrix)))
        return out
    finally:
        text.close()


def _size(text: Any, index: int, matrix: Any) -> float:
    """The font size a reader sees: the font's size scaled by the text matrix.

    NOTE: WPS writes text at size 259 scaled by 0.05 (12.95 points);
    PDFium's font size is the unscaled one.
    """
    size = float(raw.FPDFText_GetFontSize(text, index))
    if raw.FPDFText_GetMatrix(text, index, matrix):
        size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
    return size


def _char(code: int) -> str:
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return "\ufffd"
    return chr(code)


def _objects(page: Any) -> Iterator[tuple[int, Any, _Matrix]]:
    """(type, handle, matrix to page space) of every page object, forms opened."""
    stack: list[tuple[Any, int, _Matrix, int]] = []
    count = raw.FPDFPage_CountObjects(page.raw)
    stack.append((page.raw, count, _IDENTITY, 0))
    while stack:
        parent, count, outer, depth = stack.pop()
        get = raw.FPDFPage_GetObject if depth == 0 else raw.FPDFFormObj_GetObject
        for index in range(max(count, 0)):
            handle = get(parent, index)
            if not handle:
                continue
            kind = raw.FPDFPageObj_GetType(handle)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                if depth + 1 < _MAX_DEPTH:
                    inner = _compose(_matrix(handle), outer)
                    children = raw.FPDFFormObj_CountObjects(handle)
                    stack.append((handle, children, inner, depth + 1))
                continue
            yield kind, handle, outer


def _matrix(handle: Any) -> _Matrix:
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(handle, matrix):
        return _IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _compose(first: _Matrix, then: _Matrix) -> _Matrix:
    """The matrix that applies ``first``, then ``then`` (PDF row vectors)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _paint(handle: Any) -> tuple[bool, bool]:
    """Whether the path is filled and whether it is stroked, with visible paint."""
    mode = ctypes.c_int()
    stroke = ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(handle, mode, stroke):
        return False, False
    fill = mode.value != raw.FPDF_FILLMODE_NONE and _visible(
        raw.FPDFPageObj_GetFillColor, handle
    )
    stroked = bool(stroke.value) and _visible(raw.FPDFPageObj_GetStrokeColor, handle)
    return fill, stroked


def _visible(get_color: Any, handle: Any) -> bool:
    """Not white and not transparent (white paint on white paper is no rule)."""
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    if not get_color(handle, red, green, blue, alpha):
        return True
    if alpha.value == 0:
        return False
    return min(red.value, green.value, blue.value) < 242


def _path_edges(handle: Any, outer: _Matrix, view: View) -> list[dict[str, Any]]:
    """The horizontal and vertical segments of a path that is a rule."""
    fill, stroke = _paint(handle)
    if not (fill or stroke):
        return []
    matrix = _compose(_matrix(handle), outer)
    points = _points(handle, matrix)
    if fill and not stroke:
        xs = [x for run in points for x, _ in run]
        ys = [y for run in points for _, y in run]
        if not xs or min(max(xs) - min(xs), max(ys) - min(ys)) > RULE_WIDTH:
            return []  # shading: a filled area, not a rule
    edges = []
    for run in points:
        for (xa, ya), (xb, yb) in pairwise(run):
            edge = _edge(*view.point(xa, ya), *view.point(xb, yb))
            if edge is not None:
                edges.append(edge)
    return edges


def _points(handle: Any, matrix: _Matrix) -> list[list[tuple[float, float]]]:
    """The path's subpaths as lists of points in page space (curves skipped)."""
    a, b, c, d, e, f = matrix
    runs: list[list[tuple[float, float]]] = []
    x = ctypes.c_float()
    y = ctypes.c_float()
    for index in range(max(raw.FPDFPath_CountSegments(handle), 0)):
        segment = raw.FPDFPath_GetPathSegment(handle, index)
        if not segment or not raw.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO or not runs:
            runs.append([point])
        elif kind == raw.FPDF_SEGMENT_LINETO:
            runs[-1].append(point)
        else:  # a curve: its end starts a new straight run
            runs.append([point])
        if raw.FPDFPathSegment_GetClose(segment) and len(runs[-1]) > 1:
            runs[-1].append(runs[-1][0])
    return runs


def _edge(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any] | None:
    """A segment as pdfplumber's edge dict, if it is level or plumb."""
    left, right = min(x0, x1), max(x0, x1)
    upper, lower = min(y0, y1), max(y0, y1)
    if lower - upper <= _LEVEL and right - left > _LEVEL:
        orientation, upper = "h", (upper + lower) / 2
        lower = upper
    elif right - left <= _LEVEL and lower - upper > _LEVEL:
        orientation, left = "v", (left + right) / 2
        right = left
    else:
        return None
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": left,
        "x1": right,
        "top": upper,
        "bottom": lower,
        "doctop": upper,
        "width": right - left,
        "height": lower - upper,
    }
