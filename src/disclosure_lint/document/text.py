"""Document text, spans and the line index that maps offsets to positions.

Rules work in character offsets into ``Document.text``; only this module turns
an offset into a 1-based line and a 1-based column counted in characters (code
points) of the user's original file.

NOTE: the classes here (and the records of the outline, findings and kinds)
are plain classes with ``__slots__``, not dataclasses: defining a frozen
dataclass costs about a millisecond of every start (``exec`` of its generated
methods), and creating one costs twice what a plain class does. ``Record``
gives them the equality, hash and repr of the dataclasses they replace;
attributes declared ``Final`` are read-only for mypy, as ``frozen=True`` was
at run time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate, count
from operator import add, attrgetter
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from .source import SourceMap


class Record:
    """Equality, hash and repr by fields, like the dataclass it replaces.

    A subclass lists its fields in constructor order in ``__match_args__``
    (as a dataclass does) and uses them as its ``__slots__``. Two records
    are equal only when they are of the same class and all their fields are
    equal. A mutable subclass sets ``__hash__ = None``.
    """

    __slots__ = ()
    __match_args__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__match_args__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__match_args__)
        return f"{type(self).__name__}({fields})"


class _Pair(Record):
    """Two fields that compare, order and hash like the tuple of them.

    Only records of the same class compare: a ``Span`` is not a
    ``Position`` and neither is a tuple.
    """

    __slots__ = ()
    _key: Callable[[Any], tuple[Any, Any]]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls._key = attrgetter(*cls.__match_args__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key(self) == self._key(other)

    def __hash__(self) -> int:
        return hash(self._key(self))

    def __lt__(self, other: Any) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key(self) < self._key(other)

    def __le__(self, other: Any) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key(self) <= self._key(other)

    def __gt__(self, other: Any) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key(self) > self._key(other)

    def __ge__(self, other: Any) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key(self) >= self._key(other)


class Span(_Pair):
    """Half-open range ``[start, end)`` of character offsets into the text.

    Spans compare, order and hash like ``(start, end)``, among spans only.
    """

    __match_args__ = ("start", "end")
    __slots__ = __match_args__

    def __init__(self, start: int, end: int) -> None:
        """A span from ``start`` up to (not including) ``end``."""
        self.start: Final = start
        self.end: Final = end


class Position(_Pair):
    """1-based line and 1-based column in characters.

    Positions compare, order and hash like ``(line, column)``, among
    positions only.
    """

    __match_args__ = ("line", "column")
    __slots__ = __match_args__

    def __init__(self, line: int, column: int) -> None:
        """The position at 1-based ``line`` and ``column``."""
        self.line: Final = line
        self.column: Final = column


def line_starts(lines: list[str]) -> list[int]:
    r"""Start offset of each of ``lines`` (the text split at ``\\n``), then one more.

    The extra last entry is where a line after the text would start
    (``len(text) + 1``).
    """
    # NOTE: all in C (map, accumulate): twice as fast as a generator.
    return list(map(add, accumulate(map(len, lines), initial=0), count()))


class LineIndex:
    """Maps character offsets to 1-based (line, column) by bisecting line starts."""

    __slots__ = ("_length", "_starts")

    def __init__(self, text: str, starts: list[int] | None = None) -> None:
        r"""Index the line starts of ``text`` (lines end at ``\\n``).

        ``starts`` is ``line_starts(text.split("\n"))`` when the caller has it.
        """
        if starts is None:
            starts = line_starts(text.split("\n"))
            starts.pop()
        else:
            starts = starts[:-1]
        self._starts = starts
        self._length = len(text)

    @property
    def line_count(self) -> int:
        """Number of lines (a trailing newline does not open a new line)."""
        starts = self._starts
        if len(starts) > 1 and starts[-1] == self._length:
            return len(starts) - 1
        return len(starts)

    def position(self, offset: int) -> Position:
        """Return the 1-based position of ``offset`` (clamped into the text)."""
        offset = max(0, min(offset, self._length))
        line = bisect_right(self._starts, offset) - 1
        return Position(line + 1, offset - self._starts[line] + 1)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def line_span(self, line: int) -> Span:
        """Span of 1-based ``line`` without its newline."""
        start = self._starts[line - 1]
        if line < len(self._starts):
            return Span(start, self._starts[line] - 1)
        return Span(start, self._length)

    def line_of(self, offset: int) -> int:
        """1-based line that contains ``offset``."""
        return self.position(offset).line


class Document:
    r"""A decoded draft.

    ``text`` has every line ending normalised to ``\\n``; ``newlines`` keeps
    each line's original terminator (only when the file is not pure LF) so
    that ``--fix`` writes every byte outside a fixed span back unchanged.
    """

    __slots__ = (
        "_index",
        "_lines",
        "bom",
        "encoding",
        "form",
        "newlines",
        "path",
        "source",
        "text",
    )

    def __init__(
        self,
        path: str,
        text: str,
        encoding: str = "utf-8",
        bom: bytes = b"",
        newlines: list[str] | None = None,
        form: str = "text",
        source: SourceMap | None = None,
    ) -> None:
        """A document; its line index is built when first needed.

        A draft read from another format (``form``: ``docx``, ``html``,
        ``pdf``) has the rendered text and a ``source`` map back into the
        file; ``encoding``, ``bom`` and ``newlines`` then describe nothing
        that can be written back.
        """
        self.path = path
        self.text = text
        self.encoding = encoding
        self.bom = bom
        self.newlines = newlines
        self.form = form
        self.source = source
        self._index: LineIndex | None = None
        self._lines: tuple[list[str], list[int]] | None = None

    # NOTE: no __eq__: as the dataclass this was (whose fields included the
    # line index, which compares by identity) a document equals only itself.

    def __repr__(self) -> str:
        return (
            f"Document(path={self.path!r}, text={self.text!r}, "
            f"encoding={self.encoding!r}, bom={self.bom!r}, "
            f"newlines={self.newlines!r})"
        )

    @property
    def index(self) -> LineIndex:
        """The line index (built on first use)."""
        index = self._index
        if index is None:
            index = self._index = LineIndex(self.text)
        return index

    def split_lines(self) -> tuple[list[str], list[int]]:
        r"""The text split at ``\\n`` and ``line_starts`` of the pieces.

        NOTE: the outline and several rules need them; they are worked out
        once (the caller must not change the lists) and the line index is
        built from the same starts when it was not built yet.
        """
        found = self._lines
        if found is None:
            lines = self.text.split("\n")
            found = self._lines = (lines, line_starts(lines))
            if self._index is None:
                self._index = LineIndex(self.text, found[1])
        return found

    @property
    def newline_style(self) -> str:
        """``lf``, ``crlf``, ``cr`` or ``mixed``, for reports and tests."""
        if not self.newlines:
            return "lf"
        kinds = {nl for nl in self.newlines if nl}
        if kinds == {"\r\n"}:
            return "crlf"
        if kinds == {"\r"}:
            return "cr"
        if kinds <= {"\n"}:
            return "lf"
        return "mixed"

    def position(self, offset: int) -> Position:
        """1-based position of ``offset``."""
        return self.index.position(offset)

    def line_text(self, line: int) -> str:
        """Text of 1-based ``line`` without its newline."""
        span = self.index.line_span(line)
        return self.text[span.start : span.end]

    def encode(self) -> bytes:
        """Serialise back to bytes in the original encoding, BOM and newlines."""
        if self.newlines is None:
            body = self.text
        else:
            parts = self.text.split("\n")
            out: list[str] = []
            for i, part in enumerate(parts):
                out.append(part)
                if i < len(parts) - 1:
                    out.append(self.newlines[i] if i < len(self.newlines) else "\n")
            body = "".join(out)
        return self.bom + body.encode(self.encoding)
