"""Where rendered text came from: locations in the user's source file.

A ``.txt`` or ``.md`` draft is read as it is, so a finding's line and column
are already places in the file. A Word document, a web page or a PDF is
*rendered* first (one paragraph a line, one table row a line with its cells
separated by tabs): rules work on that text, and the reader keeps a
``SourceMap`` from every character of it back to the place in the source
that a user can find (a line and column of the HTML source, a paragraph or
table cell as Word counts them, a page and a line on the page).

Each ``Location`` kind has a JSON form (``to_dict``, the ``location`` object
of the wire schema), a short label for text output (``label``) and, where
the source file has lines, the line and column to give SARIF and GitHub.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, Final

from .text import Record


class Location(Record):
    """A place in the source file, in the file's own terms (a base class)."""

    __slots__ = ()
    #: ``text`` (.txt, .md), ``html``, ``docx`` or ``pdf``.
    form: str = "text"

    def to_dict(self) -> dict[str, Any]:
        """The ``location`` object of the JSON wire schema."""
        out: dict[str, Any] = {"form": self.form}
        for name in self.__match_args__:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out

    def label(self, lang: str = "zh") -> str:
        """How text output names the place after the path (``12:5``)."""
        raise NotImplementedError

    @property
    def file_line(self) -> tuple[int, int, int, int] | None:
        """Line, column, end line, end column in the source file, if it has lines."""
        return None


class TextLocation(Location):
    """1-based line and column (characters) of a text file, end exclusive.

    Also used for a web page: the place in its HTML source.
    """

    __match_args__ = ("line", "column", "end_line", "end_column", "form")
    __slots__ = __match_args__

    def __init__(
        self,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        form: str = "text",
    ) -> None:
        """The span from ``line``:``column`` to ``end_line``:``end_column``."""
        self.line: Final = line
        self.column: Final = column
        self.end_line: Final = end_line
        self.end_column: Final = end_column
        self.form = form

    def label(self, lang: str = "zh") -> str:
        """``line:column``, as compilers and linters print it."""
        return f"{self.line}:{self.column}"

    @property
    def file_line(self) -> tuple[int, int, int, int] | None:
        """The span itself."""
        return (self.line, self.column, self.end_line, self.end_column)


class SourceMap:
    """From offsets of a rendered ``Document.text`` to ``Location``s.

    A reader builds one as it renders: ``add(offset, anchor)`` each time a
    new piece of rendered text starts that comes from one place of the
    source (a text node, a Word run or paragraph, a line of a PDF page).
    Characters the reader adds itself (tabs between cells, newlines) belong
    to the piece before them. ``anchor`` is whatever the reader needs to
    turn an offset into a place; subclasses implement ``locate_in``.

    ``facts`` are what the reader noticed about the source that is not text
    (a Word draft's open revisions and comments): name → (count, offset of
    the first one in the rendered text). Rules of kind ``source-facts`` read
    them; a format that has none leaves the dict empty.
    """

    __slots__ = ("_anchors", "_starts", "facts")

    def __init__(self) -> None:
        """An empty map; pieces must be added in increasing offset order."""
        self._starts: list[int] = []
        self._anchors: list[Any] = []
        self.facts: dict[str, tuple[int, int]] = {}

    def add(self, offset: int, anchor: Any) -> None:
        """A new piece of rendered text starts at ``offset``."""
        if self._starts and offset == self._starts[-1]:
            self._anchors[-1] = anchor  # NOTE: an empty piece; the later wins
            return
        self._starts.append(offset)
        self._anchors.append(anchor)

    def piece(self, offset: int) -> tuple[int, Any] | None:
        """Start offset and anchor of the piece that holds ``offset``."""
        index = bisect_right(self._starts, offset) - 1
        if index < 0:
            return None
        return self._starts[index], self._anchors[index]

    def pieces(self, start: int, end: int) -> list[tuple[int, Any]]:
        """Every piece that overlaps ``[start, end)`` (at least the one at start)."""
        first = max(0, bisect_right(self._starts, start) - 1)
        last = max(first + 1, bisect_right(self._starts, max(start, end - 1)))
        return list(
            zip(self._starts[first:last], self._anchors[first:last], strict=True)
        )

    def locate(self, start: int, end: int) -> Location | None:
        """Where the rendered span ``[start, end)`` is in the source, if known."""
        found = self.piece(start)
        if found is None:
            return None
        return self.locate_in(found[0], found[1], start, end)

    def locate_in(
        self, piece_start: int, anchor: Any, start: int, end: int
    ) -> Location | None:
        """The location of ``[start, end)``, which starts in the given piece."""
        raise NotImplementedError


class DocxLocation(Location):
    """A place in a Word document as Word counts it (1-based).

    Either a body paragraph (``paragraph``: the n-th paragraph outside
    tables) or a table cell (``table``, ``row``, ``column``; a merged cell
    counts as the grid column it starts in); ``quote`` is a short piece of
    the text there, so that the place can be found with Ctrl+F.
    """

    form = "docx"
    __match_args__ = ("paragraph", "table", "row", "column", "quote")
    __slots__ = __match_args__

    def __init__(
        self,
        paragraph: int | None = None,
        table: int | None = None,
        row: int | None = None,
        column: int | None = None,
        quote: str = "",
    ) -> None:
        """A paragraph, or a table cell, with a short quote."""
        self.paragraph: Final = paragraph
        self.table: Final = table
        self.row: Final = row
        self.column: Final = column
        self.quote: Final = quote

    def label(self, lang: str = "zh") -> str:
        """``段落 12`` or ``表 2 第 3 行第 4 列`` (English with ``lang="en"``)."""
        if self.table is not None:
            if lang == "en":
                return f"table {self.table} row {self.row} column {self.column}"
            return f"表{self.table}第{self.row}行第{self.column}列"
        return (
            f"paragraph {self.paragraph}" if lang == "en" else f"段落{self.paragraph}"
        )


class PdfLocation(Location):
    """A place in a PDF: 1-based page, line on that page and column in the line."""

    form = "pdf"
    __match_args__ = ("page", "line", "column")
    __slots__ = __match_args__

    def __init__(self, page: int, line: int, column: int = 1) -> None:
        """Page ``page``, its ``line``-th line of text, ``column``-th character."""
        self.page: Final = page
        self.line: Final = line
        self.column: Final = column

    def label(self, lang: str = "zh") -> str:
        """``第 3 页第 12 行`` (English ``page 3 line 12``)."""
        if lang == "en":
            return f"page {self.page} line {self.line}"
        return f"第{self.page}页第{self.line}行"


class ReflowMap(SourceMap):
    """A text draft with line breaks inserted, back to its own lines and columns.

    A crawled page saved as text holds a whole report on one line; the
    engine inserts line breaks before its headings and table labels (and
    nothing else) so that it can be read. Every rendered character but an
    inserted break is a character of the file: anchors are the file offsets
    of the pieces between breaks, and an inserted break maps to the place
    in the file where it was inserted.

    ``--fix`` does not write such a draft back (``engine.fixes.fix_refusal``):
    its fixes are edits of the reflowed text.
    """

    __slots__ = ("_lines", "breaks")

    def __init__(self, line_starts: list[int], breaks: int) -> None:
        """A map into a file whose lines start at ``line_starts``."""
        super().__init__()
        self._lines = line_starts
        #: How many line breaks were inserted (for reports and tests).
        self.breaks = breaks

    def offset(self, rendered: int) -> int:
        """The file offset (characters) of the rendered offset ``rendered``."""
        found = self.piece(rendered)
        if found is None:
            return rendered
        start, source = found
        return int(source) + rendered - start

    def locate_in(
        self, piece_start: int, anchor: Any, start: int, end: int
    ) -> Location | None:
        """The file's line and column of the rendered ``[start, end)``."""
        first = int(anchor) + start - piece_start
        stop = max(first, self.offset(end - 1) + 1) if end > start else first
        line, column = self._position(first)
        end_line, end_column = self._position(stop)
        return TextLocation(line, column, end_line, end_column)

    def _position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self._lines, offset) - 1
        return index + 1, offset - self._lines[index] + 1
