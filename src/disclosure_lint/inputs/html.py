"""Published web pages (.html, .htm): the report's article as draft text.

The page is decoded (a BOM; else UTF-8 if the bytes are valid UTF-8; else
the ``<meta charset>`` or ``http-equiv`` declaration; else GB18030), parsed
with lxml's HTML parser (no network, no entity resolution, no huge-tree
mode: libxml2 then also caps the nesting depth), the article is found by
text density (``html_article``) and rendered one paragraph a line, one
table row a line (``html_render``).

Every rendered character maps back to the line and column of the HTML source
that renders it (``HtmlSourceMap``; an entity maps to the whole entity), so a
finding points into the file the user has. lxml is imported only here, when
a web page is read.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from typing import Any

from ..document.source import Location, SourceMap, TextLocation
from ..document.text import Document
from .errors import LoadError
from .html_article import DROP, Stats, choose, find_title, hidden, layout_table
from .html_lines import Line
from .html_render import Renderer
from .html_source import MAX_TOKENS, Aligner, Flat, TooMuchMarkup, scan

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# The declared encoding is looked for in the first bytes, as a browser does.
_PRESCAN = 4096
_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Labels a browser reads as another encoding (WHATWG Encoding Standard):
# GB2312 and GBK pages are decoded as GBK, whose superset GB18030 is;
# Latin-1 and ASCII as windows-1252; a page declaring UTF-16 without a BOM
# is not UTF-16.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}
# Characters libxml2 refuses or stops at; each becomes U+FFFD (as HTML
# parsing makes NUL), keeping every offset.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Bounds on what is read (time and memory stay linear and small): a
# report's page has a few thousand elements and tens of thousands of
# characters of article text.
MAX_ELEMENTS = 100_000
MAX_ARTICLE = 2_000_000


class HtmlSourceMap(SourceMap):
    """Rendered offsets to line and column (1-based, characters) of the source.

    Anchors are ``(source, step, width, count)``: the piece's ``count``
    characters are at ``source + k * step``, each ``width`` source
    characters wide (an entity: step 0, its length); characters the reader
    added after them (tabs, newlines) map to the end of the last one.
    """

    __slots__ = ("_lines",)

    def __init__(self, line_starts: list[int]) -> None:
        """A map into a source whose lines start at ``line_starts``."""
        super().__init__()
        self._lines = line_starts

    def _span_of(self, piece_start: int, anchor: Any, offset: int) -> tuple[int, int]:
        source, step, width, count = anchor
        k = offset - piece_start
        if k < count:
            start = source + k * step
            return start, start + width
        end = source + (count - 1) * step + width if count else source
        return end, end

    def locate_in(
        self, piece_start: int, anchor: Any, start: int, end: int
    ) -> Location | None:
        """The source span of the rendered ``[start, end)``, as a ``TextLocation``."""
        first, stop = self._span_of(piece_start, anchor, start)
        if end > start + 1:
            found = self.piece(end - 1)
            if found is not None:
                stop = max(first, self._span_of(found[0], found[1], end - 1)[1])
        elif end <= start:
            stop = first
        line, column = self._position(first)
        end_line, end_column = self._position(stop)
        return TextLocation(line, column, end_line, end_column, form="html")

    def _position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self._lines, offset) - 1
        return index + 1, offset - self._lines[index] + 1


def declared_encoding(data: bytes) -> str | None:
    """The encoding a ``<meta>`` in the first bytes declares, as a codec name."""
    for meta in _META.finditer(data[:_PRESCAN]):
        found = _CHARSET.search(meta.group())
        if found is None:
            continue
        label = found.group(1).decode("ascii").lower()
        label = _ALIASES.get(label, label)
        try:
            return codecs.lookup(label).name
        except LookupError:
            continue
    return None


def decode(data: bytes) -> str:
    """The page's text: BOM, else UTF-8, else declared encoding, else GB18030.

    Raises:
        LoadError: no encoding decodes it.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    nul = data.find(b"\x00")
    if nul != -1:
        return _with_nul(data, nul)
    declared = declared_encoding(data)
    tried = [declared] if declared else []
    # NOTE: bytes that are valid UTF-8 are UTF-8 whatever the page declares:
    # a GBK page is almost never valid UTF-8, while GB18030 decodes nearly
    # any bytes, and site templates often keep a ``gb2312`` declaration on
    # pages saved as UTF-8 (a browser would show mojibake, and every rule
    # would then report it).
    for encoding in ("utf-8", *tried, "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if declared:
        # NOTE: as a browser does, a page that is mostly in its declared
        # encoding is read with the odd bad byte replaced.
        return data.decode(declared, "replace")
    raise LoadError("cannot decode the web page: not UTF-8 and not GB18030/GBK")


def _with_nul(data: bytes, nul: int) -> str:
    """A page with NUL bytes: UTF-16 without a BOM, else not a web page.

    Raises:
        LoadError: binary content.
    """
    head = data[:4096]
    for zeros, encoding in ((head[1::2], "utf-16-le"), (head[0::2], "utf-16-be")):
        # NOTE: markup is ASCII, so UTF-16 has a NUL in every other byte.
        if zeros.count(0) * 10 >= len(zeros) * 8:
            return data.decode(encoding, "replace")
    raise LoadError(f"binary file (NUL byte at offset {nul}); expected a web page")


def _normalise(text: str) -> str:
    """Line ends as LF (lines are counted so); control characters replaced."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("\ufffd", text)


def _parse(source: str) -> Any:
    """The lxml tree of ``source`` (a safe parser: no network, no entities)."""
    from lxml import etree, html  # NOTE: imported only when a page is read

    parser = html.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
        recover=True,
        default_doctype=False,
    )
    try:
        root = html.document_fromstring(source, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise LoadError(f"cannot parse the web page: {message}") from None
    _check_limits(parser.error_log)
    count = sum(1 for _ in root.iter())
    if count > MAX_ELEMENTS:
        raise LoadError(
            f"the web page has too many elements ({count:,} > {MAX_ELEMENTS:,}); "
            "a report's page has a few thousand"
        )
    return root


def _check_limits(errors: Any) -> None:
    """Refuse a page libxml2 stopped reading at one of its limits.

    NOTE: without ``huge_tree`` libxml2 stops at 256 levels of nesting and
    at a text node of 10 MB: the rest of the page is lost, and a report
    read in part would be reported as missing what was not read.
    """
    for error in errors:
        if error.type_name != "ERR_RESOURCE_LIMIT":
            continue
        if "depth" in error.message.lower():
            raise LoadError(
                "the web page nests its elements too deeply (over 255 levels); not read"
            )
        raise LoadError(
            "the web page is beyond the HTML parser's limits "
            f"({error.message.split(',')[0].strip()}); not read"
        )


def _skip(stats: Stats) -> Any:
    def skip(el: Any) -> bool:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        return tag in DROP or hidden(el) or stats.chrome(el)

    return skip


def read(path: str, data: bytes) -> Document:
    """The report in the web page ``data`` (read from ``path``) as a Document.

    Raises:
        LoadError: undecodable, unparsable, or a page with no article text.
    """
    source = _normalise(decode(data))
    if not source.strip():
        raise LoadError("the web page is empty")
    root = _parse(source)
    stats = Stats(root)
    article = choose(root, stats)
    if stats.outside_links(article) == 0:
        raise LoadError(
            "no article text found in the web page (only markup, menus or links)"
        )
    if stats.text(article) > MAX_ARTICLE:
        raise LoadError(
            f"the web page's article is too long (over {MAX_ARTICLE:,} characters)"
        )
    title = find_title(root, article, stats)
    roots = [article] if title is None else [title, article]
    try:
        flat = scan(source)
    except TooMuchMarkup:
        raise LoadError(
            f"the web page has too many tags and references (over {MAX_TOKENS:,})"
        ) from None
    lines = Renderer(
        Aligner(flat), roots, _skip(stats), lambda table: layout_table(table, stats)
    ).run(root)
    if not lines:
        raise LoadError("no article text found in the web page")
    text, source_map = _assemble(lines, flat, source)
    return Document(path, text, form="html", source=source_map)


def _assemble(lines: list[Line], flat: Flat, source: str) -> tuple[str, HtmlSourceMap]:
    """The rendered text (a newline after each line) and its source map."""
    starts = [0]
    at = source.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = source.find("\n", at + 1)
    source_map = HtmlSourceMap(starts)
    parts: list[str] = []
    offset = 0
    first = True
    for text, pieces in lines:
        for i, (start, index) in enumerate(pieces):
            stop = pieces[i + 1][0] if i + 1 < len(pieces) else len(text)
            if index < 0 or stop <= start:
                continue
            runs = flat.runs(index, stop - start)
            ends = [run[0] for run in runs[1:]] + [stop - start]
            for (run_offset, src, step, width), end in zip(runs, ends, strict=True):
                at_offset = offset + start + run_offset
                if first and at_offset > 0:
                    # NOTE: text the reader added before any source text
                    # (an empty first cell's tab) maps to where it starts.
                    source_map.add(0, (src, step, width, 0))
                first = False
                source_map.add(at_offset, (src, step, width, end - run_offset))
        parts.append(text)
        offset += len(text) + 1
    return "\n".join(parts) + "\n", source_map
