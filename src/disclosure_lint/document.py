"""Document text, spans and the line index that maps offsets to positions.

Rules work in character offsets into ``Document.text``; only this module turns
an offset into a 1-based line and a 1-based column counted in characters (code
points) of the user's original file.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """Half-open range ``[start, end)`` of character offsets into the text."""

    start: int
    end: int


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """1-based line and 1-based column in characters."""

    line: int
    column: int


class LineIndex:
    """Maps character offsets to 1-based (line, column) by bisecting line starts."""

    def __init__(self, text: str) -> None:
        r"""Index the line starts of ``text`` (lines end at ``\\n``)."""
        # NOTE: summing the line lengths of one split() is twice as fast as a
        # find() loop, and this runs once per draft.
        lines = text.split("\n")
        lines.pop()
        self._starts = [0, *accumulate(len(line) + 1 for line in lines)]
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


@dataclass(slots=True)
class Document:
    r"""A decoded draft.

    ``text`` has every line ending normalised to ``\\n``; ``newlines`` keeps
    each line's original terminator (only when the file is not pure LF) so
    that ``--fix`` writes every byte outside a fixed span back unchanged.
    """

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bytes = b""
    newlines: list[str] | None = None
    index: LineIndex = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Build the line index once."""
        self.index = LineIndex(self.text)

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
