"""What every rule kind shares: parameter specs, hits and fixes as spans."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from ..document.text import Position, Record, Span

if TYPE_CHECKING:
    from ..document.source import Location
    from ..packs.model import Rule
    from .report import LintOptions, Report


class Param(Record):
    """One parameter a kind accepts in a rule's ``params``.

    ``type`` is one of ``str``, ``int``, ``bool``, ``list``, ``dict``,
    ``regex`` (a string compiled and checked at pack load) or ``template``.
    """

    __match_args__ = ("type", "required", "default", "help")
    __slots__ = __match_args__

    def __init__(
        self, type: str, required: bool = False, default: Any = None, help: str = ""
    ) -> None:
        """A parameter of ``type``, with its default and one line of help."""
        self.type: Final = type
        self.required: Final = required
        self.default: Final = default
        self.help: Final = help


class FixSpec(Record):
    """A proposed edit, in document offsets."""

    __match_args__ = ("span", "replacement", "safe")
    __slots__ = __match_args__

    def __init__(self, span: Span, replacement: str, safe: bool = True) -> None:
        """Replace ``span`` with ``replacement``."""
        self.span: Final = span
        self.replacement: Final = replacement
        self.safe: Final = safe


class Hit(Record):
    """What a kind reports: where, message arguments, optional fix."""

    __match_args__ = ("span", "args", "fix")
    __slots__ = __match_args__

    def __init__(
        self,
        span: Span,
        args: Mapping[str, Any] | None = None,
        fix: FixSpec | None = None,
    ) -> None:
        """A hit at ``span`` with message ``args`` and maybe a ``fix``."""
        self.span: Final = span
        self.args: Final[Mapping[str, Any]] = {} if args is None else args
        self.fix: Final = fix


class Where(Record):
    """A place in a draft, resolved by the process that read the draft.

    What a year-over-year kind keeps of a place in its ``extract``: the
    draft's text is gone by the time two drafts are compared (pairs are
    made after a batch is read, in the parent process), so the span comes
    with its positions and its place in the source file.
    """

    __match_args__ = ("span", "start", "end", "location")
    __slots__ = __match_args__

    def __init__(
        self, span: Span, start: Position, end: Position, location: Location | None
    ) -> None:
        """``span`` of the draft, from ``start`` to ``end``, at ``location``."""
        self.span: Final = span
        self.start: Final = start
        self.end: Final = end
        self.location: Final = location

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as six numbers and the location.

        NOTE: a batch keeps thousands (a digest has one per sentence it
        fingerprints); as three records with their field names a place
        pickles to three times the size.
        """
        span, start, end = self.span, self.start, self.end
        numbers = (span.start, span.end, start.line, start.column, end.line)
        return (_unpickle_where, (*numbers, end.column, self.location))


def _unpickle_where(
    begin: int,
    finish: int,
    line: int,
    column: int,
    end_line: int,
    end_column: int,
    location: Location | None,
) -> Where:
    return Where(
        Span(begin, finish),
        Position(line, column),
        Position(end_line, end_column),
        location,
    )


def where(report: Report, span: Span) -> Where:
    """``span`` of ``report``'s draft as a ``Where``."""
    doc = report.document
    source = doc.source
    return Where(
        span,
        doc.position(span.start),
        doc.position(span.end),
        None if source is None else source.locate(span.start, span.end),
    )


class PairHit(Record):
    """What a year-over-year kind reports: a place this year, maybe last year's.

    ``where`` is in this year's draft (the finding's place); ``related`` is
    the matching place in last year's report, if there is one.
    """

    __match_args__ = ("where", "args", "related")
    __slots__ = __match_args__

    def __init__(
        self,
        where: Where,
        args: Mapping[str, Any] | None = None,
        related: Where | None = None,
    ) -> None:
        """A hit at ``where`` with message ``args``, naming ``related``."""
        self.where: Final = where
        self.args: Final[Mapping[str, Any]] = {} if args is None else args
        self.related: Final = related


def reject_unknown_keys(item: Mapping[str, Any], allowed: set[str], what: str) -> None:
    """Refuse a param entry (a pair, a check, …) with a key the kind lacks.

    Raises:
        ValueError: naming the first unknown key, alphabetically.
    """
    unknown = set(item) - allowed
    if unknown:
        raise ValueError(f"unknown key '{sorted(unknown)[0]}' in {what}")


def _no_preparation(params: Mapping[str, Any]) -> Any:
    return None


def no_hits(report: Report, rule: Rule, prepared: Any) -> Iterable[Hit]:
    """The ``check`` of a year-over-year kind: one draft alone proves nothing."""
    return ()


#: What a year-over-year kind keeps of one draft (small, picklable).
Extract = Callable[["Report", "Rule", Any], Any]
#: This year's extract, last year's, the rule, its preparation and this
#: year's lint options (a threshold the configuration sets) -> hits.
Compare = Callable[[Any, Any, "Rule", Any, "LintOptions"], Iterable[PairHit]]


class KindSpec(Record):
    """A rule kind: its parameters, a one-time ``prepare`` and ``check``.

    A year-over-year kind (``is_pair``) also has ``extract``, which keeps
    what it needs of one draft, and ``compare``, which compares this year's
    extract with last year's; its ``check`` finds nothing (``no_hits``).
    """

    __match_args__ = ("name", "params", "check", "prepare", "doc", "extract", "compare")
    __slots__ = __match_args__

    def __init__(
        self,
        name: str,
        params: Mapping[str, Param],
        check: Callable[[Report, Rule, Any], Iterable[Hit]],
        prepare: Callable[[Mapping[str, Any]], Any] = _no_preparation,
        doc: str = "",
        extract: Extract | None = None,
        compare: Compare | None = None,
    ) -> None:
        """The kind ``name``: what ``check`` needs, prepared by ``prepare``."""
        self.name: Final = name
        self.params: Final = params
        self.check: Final = check
        self.prepare: Final = prepare
        self.doc: Final = doc
        self.extract: Final = extract
        self.compare: Final = compare

    @property
    def is_pair(self) -> bool:
        """True for a kind that compares a draft with last year's report."""
        return self.compare is not None
