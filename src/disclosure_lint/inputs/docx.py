"""Word documents (.docx): the body rendered as a draft, with a map back.

``read(path, data)`` checks the ZIP archive before anything is decompressed
(member count, declared sizes, compression ratio: a zip bomb is refused in
one line), opens it with python-docx (imported here only, when a .docx is
given; its lxml parser neither expands entities nor loads DTDs or network
resources) and renders the main document's body (``docx_render``: what is
read, how merged cells and tracked changes read) with Word's automatic list
numbers (``docx_numbering``).

The ``DocxSourceMap`` turns a rendered span into a ``DocxLocation``
(paragraph number, or table, row and grid column, with a short quote) and,
for tools that edit or annotate the document, into the runs it covers
(``run_slices``).
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any, NamedTuple

from ..document.source import DocxLocation, Location, SourceMap
from ..document.text import Document
from .errors import LoadError
from .load import MAX_BYTES

#: The archive may not decompress to more than this, in all.
MAX_UNZIPPED = 4 * MAX_BYTES
#: Nor hold more members than this (a real .docx has a few dozen).
MAX_MEMBERS = 5_000
#: A member larger than ``_RATIO_FLOOR`` compressed more than this is a bomb
#: (XML compresses 5-20 times; a zip bomb thousands of times).
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
_QUOTE = 20  # characters of text quoted in a location


class RunSlice(NamedTuple):
    """Characters ``[start, end)`` of the rendered text of one ``w:r``.

    ``run_index`` is the run's position in ``list(body.iter(qn("w:r")))`` of
    the main document's ``w:body`` (every run in document order, including
    runs in ``w:ins``/``w:del``, hyperlinks, tables and text boxes). The
    run's rendered text is ``docx_render.run_text`` (``w:t`` text, one
    character per tab or break…); ``start == end`` means the span has no
    character of any run (text the reader generates, such as a list number):
    the slice then marks the nearest run of the same paragraph or cell, at
    its end if the run comes before the span, at its start if after.
    """

    run_index: int
    start: int
    end: int


class DocxSourceMap(SourceMap):
    """Rendered offsets → paragraphs, table cells and runs of a .docx.

    Anchors are (place index, run index, length): the run's characters are
    the first ``length`` of the piece; what follows them in the piece (cell
    tabs, newlines, spaces joining a cell's paragraphs) the reader made.
    """

    __slots__ = ("places", "text")

    def __init__(self, text: str, places: list[Any]) -> None:
        """A map over ``text``; ``places`` are ``docx_render.Place``s."""
        super().__init__()
        self.text = text
        # NOTE: plain tuples, so that a map pickles without the reader.
        self.places: list[tuple[int | None, int | None, int | None, int | None]] = [
            (p.paragraph, p.table, p.row, p.column) for p in places
        ]

    def locate_in(
        self, piece_start: int, anchor: Any, start: int, end: int
    ) -> Location | None:
        """The paragraph or cell of the piece, quoting the text at the span."""
        paragraph, table, row, column = self.places[anchor[0]]
        return DocxLocation(paragraph, table, row, column, self._quote(start, end))

    def _quote(self, start: int, end: int) -> str:
        """Up to 20 characters of the text at the span, for Ctrl+F.

        The span's text within its paragraph or cell; for an empty span,
        the paragraph's or cell's text from the span on; for an empty cell,
        its row (cells joined by spaces).
        """
        text = self.text
        stop = _next_break(text, start)
        quote = text[start : min(end, stop)].strip()
        if not quote:
            quote = text[start:stop].strip()
        if not quote:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            quote = text[line_start : len(text) if line_end < 0 else line_end]
        return " ".join(quote.split())[:_QUOTE]

    def run_slices(self, start: int, end: int) -> list[RunSlice]:
        """The runs the rendered span ``[start, end)`` covers (see ``RunSlice``)."""
        pieces = self.pieces(start, end)
        out: list[RunSlice] = []
        for piece_start, (_, run, length) in pieces:
            if run < 0:
                continue
            lo = max(start, piece_start) - piece_start
            hi = min(end, piece_start + length) - piece_start
            if lo < hi or (start == end and 0 <= lo <= length):
                out.append(RunSlice(run, lo, max(lo, hi)))
        if out or not pieces:
            return out
        nearest = self._nearest_run(pieces[0][0], pieces[0][1][0], start)
        return [] if nearest is None else [nearest]

    def _nearest_run(self, piece_start: int, place: int, start: int) -> RunSlice | None:
        """The closest run of the same place, before or after ``start``."""
        index = self._starts.index(piece_start)
        best: tuple[int, RunSlice] | None = None
        for i in range(index, -1, -1):
            anchor = self._anchors[i]
            if anchor[0] != place:
                break
            if anchor[1] >= 0:
                end = self._starts[i] + anchor[2]
                best = (start - end, RunSlice(anchor[1], anchor[2], anchor[2]))
                break
        for i in range(index + 1, len(self._starts)):
            anchor = self._anchors[i]
            if anchor[0] != place:
                break
            if anchor[1] >= 0:
                distance = self._starts[i] - start
                if best is None or distance < best[0]:
                    best = (distance, RunSlice(anchor[1], 0, 0))
                break
        return None if best is None else best[1]


def _next_break(text: str, start: int) -> int:
    """Where the cell or line holding ``start`` ends."""
    tab = text.find("\t", start)
    newline = text.find("\n", start)
    ends = [i for i in (tab, newline) if i >= 0]
    return min(ends) if ends else len(text)


def read(path: str, data: bytes) -> Document:
    """The draft in the Word document ``data`` (read from ``path``).

    Raises:
        LoadError: not a valid .docx, a zip bomb, too many paragraphs, or
            no text at all.
    """
    check_archive(data)
    parts = _open(data)
    from .docx_numbering import Numbering
    from .docx_render import Renderer

    body = parts["document"].find(_w("body"))
    numbering = Numbering(parts.get("numbering"), parts.get("styles"))
    rendered = Renderer(body, numbering).render()
    if not rendered.text.strip():
        raise LoadError("the Word document has no text")
    source = DocxSourceMap(rendered.text, rendered.places)
    for offset, anchor in rendered.pieces:
        source.add(offset, anchor)
    source.facts.update(rendered.facts)
    comments = parts.get("comments")
    count, first = source.facts["comments"]
    if comments is not None:
        count = max(count, len(comments.findall(_w("comment"))))
    source.facts["comments"] = (count, first)
    return Document(path, rendered.text, form="docx", source=source)


def check_archive(data: bytes) -> None:
    """Refuse a damaged archive or a zip bomb before anything is decompressed.

    NOTE: the sizes checked are the ones the archive declares; Python's
    zipfile (which python-docx reads with) never returns more than the
    declared size of a member, so a member cannot lie its way past them.

    Raises:
        LoadError: one line saying what is wrong.
    """
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        NotImplementedError,
    ) as exc:
        reason = _line(exc)
        raise LoadError(f"not a valid .docx (damaged ZIP archive: {reason})") from None
    if len(infos) > MAX_MEMBERS:
        raise LoadError(
            f"not a valid .docx ({len(infos)} parts; more than {MAX_MEMBERS})"
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED:
        raise LoadError(
            f"refused: the .docx would decompress to {total / 1_048_576:.0f} MB "
            f"(more than {MAX_UNZIPPED // 1_048_576} MB; a zip bomb?)"
        )
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            1, info.compress_size
        ):
            raise LoadError(
                f"refused: part {info.filename[:60]} of the .docx is compressed "
                f"{info.file_size // max(1, info.compress_size)} times "
                f"(more than {MAX_RATIO}; a zip bomb?)"
            )


def _open(data: bytes) -> dict[str, Any]:
    """The XML roots of ``document`` and of ``numbering``, ``styles``, ``comments``.

    NOTE: python-docx's package reader finds the parts (content types,
    relationships); only these four are parsed, with python-docx's parser
    settings (no entity expansion, no DTD, no network). Building the whole
    python-docx object model parses every part (theme, settings, fonts…)
    into its element classes and took more than half the time of a file.

    Raises:
        LoadError: not a Word document, or a part python-docx or lxml
            cannot read.
    """
    from docx.opc.pkgreader import PackageReader
    from lxml import etree

    try:
        package = PackageReader.from_file(BytesIO(data))  # type: ignore[no-untyped-call]
        main = _main_part(package)
        parser = etree.XMLParser(
            remove_blank_text=True,
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
        )
        parts = {"document": _parse(etree, main.blob, parser)}
        by_name = {str(spart.partname): spart for spart in package._sparts}
        for srel in main.srels:
            name = srel.reltype.rpartition("/")[2]
            if name in _RELATED and not srel.is_external and name not in parts:
                related = by_name.get(str(srel.target_partname))
                if related is not None:
                    parts[name] = _parse(etree, related.blob, parser)
    except LoadError:
        raise
    except Exception as exc:  # NOTE: any failure of the libraries
        raise LoadError(f"not a valid .docx ({_line(exc)})") from None
    return parts


def _parse(etree: Any, blob: bytes, parser: Any) -> Any:
    """One XML part; one with a DTD is refused.

    NOTE: the parser neither expands entities nor fetches anything, but an
    entity left unexpanded would silently cut the text it is in; Word never
    writes a DOCTYPE, so a part that has one is refused instead.
    """
    root = etree.fromstring(blob, parser)
    if root.getroottree().docinfo.doctype:
        raise LoadError("refused: an XML part of the .docx declares a DTD (entities)")
    return root


_RELATED = ("numbering", "styles", "comments")
_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def _main_part(package: Any) -> Any:
    """The main document part (``word/document.xml`` as a rule)."""
    for spart in package._sparts:
        if spart.reltype == _RELS + "officeDocument":
            if spart.content_type not in _MAIN_TYPES:
                raise LoadError(
                    f"not a Word document (its main part is {spart.content_type})"
                )
            return spart
    raise LoadError("not a valid .docx (no main document part)")


def _line(exc: BaseException) -> str:
    """The first line of an exception's message, short."""
    text = str(exc).strip().splitlines()
    message = text[0] if text else type(exc).__name__
    return message[:120]


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def package_from_body(body_xml: str) -> bytes:
    """A .docx whose body is ``body_xml`` (WordprocessingML, ``w:`` prefix).

    For rule examples about Word documents and for tests: python-docx's
    default template with the given paragraphs and tables as its body.
    """
    import docx
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    body = document.element.body
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    fragment = parse_xml(f'<w:body xmlns:w="{ns}">{body_xml}</w:body>')
    section = body.find(_w("sectPr"))
    for child in list(body):
        if child is not section:
            body.remove(child)
    for child in list(fragment):
        if section is not None:
            section.addprevious(child)
        else:
            body.append(child)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
