"""Linting one task, in this process or in a worker process.

``LintContext`` and ``lint_one`` serve the in-process path too; the rest is the
worker's side: its loop (``_serve``), the messages on its pipes (``_frame``)
and the compact rows its results travel as (``encode``, ``decode``), also
what a paired batch spools (``cli.pairing``).
``sigint_deferred`` blocks Ctrl-C while a worker forks or a result is written.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, BinaryIO

from ..document.findings import Category, Finding, Fix, Severity
from ..document.text import Document, Position, Span
from ..kinds.report import LintOptions, Report
from ..outline.model import Outline
from ..packs.model import Pack, PackSet
from .lint import FileResult, RuleFilter, lint_file

if TYPE_CHECKING:
    pass

_MAX_ERROR = 300
#: Bytes before each message: the length of the pickle that follows.
_HEADER = 8
# One row per file: (error, findings, meta); see encode/decode.
_Row = tuple[str | None, list[tuple[Any, ...]], tuple[Any, ...] | None]


# NOTE: plain classes with __slots__, not dataclasses: every run imports this
# module, and building a dataclass costs about a millisecond of each start.


class LintContext:
    """What linting a file needs besides its path; shared by many files.

    Compared by identity: workers are sent each context once.
    """

    __slots__ = ("options", "packset", "rule_filter")

    def __init__(
        self, packset: PackSet, options: LintOptions, rule_filter: RuleFilter
    ) -> None:
        """Keep the three."""
        self.packset = packset
        self.options = options
        self.rule_filter = rule_filter


def lint_one(path: str, context: LintContext, keep_report: bool) -> FileResult:
    """``lint_file`` that turns an internal error into that file's error.

    NOTE: a bug in a kind must not take the other files of a batch down with
    it; the message names the exception so the bug can still be reported.
    Set ``DISCLOSURE_LINT_DEBUG=1`` to get the traceback instead.
    """
    try:
        return lint_file(
            path, context.packset, context.options, context.rule_filter, keep_report
        )
    except Exception as exc:
        if os.environ.get("DISCLOSURE_LINT_DEBUG"):
            raise
        return FileResult(path, error=internal_error(exc))


def add_digest(result: FileResult) -> None:
    """Set ``result.digest`` (year-over-year pairing) from its full report.

    NOTE: a failure here is that file's error, as one in linting would be.
    """
    if result.error is not None or result.report is None:
        return
    from .pairs import build_digest

    try:
        result.digest = build_digest(result.report)
    except Exception as exc:
        if os.environ.get("DISCLOSURE_LINT_DEBUG"):
            raise
        result.error = internal_error(exc)


def internal_error(exc: BaseException) -> str:
    """One line naming an unexpected exception."""
    detail = " ".join(str(exc).split())[:_MAX_ERROR]
    name = type(exc).__name__
    text = f"{name}: {detail}" if detail else name
    return f"internal error ({text}); please report this as a bug"


def _frame(message: Any) -> bytes:
    # NOTE: pickle is imported here, not with the module: a one-file run
    # (pre-commit) never needs it (~2 ms of every start).
    import pickle

    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(_HEADER, "little") + data


def _unframe(inbox: BinaryIO) -> Any:
    """The next message, or None at the end of the stream."""
    import pickle

    header = inbox.read(_HEADER)
    if len(header) < _HEADER:
        return None
    return pickle.loads(inbox.read(int.from_bytes(header, "little")))


def _packs_data(packset: PackSet) -> dict[str, Any]:
    """A pack set as plain data, for a worker that did not fork from us."""
    return {name: pack.to_json() for name, pack in packset.packs.items()}


def _prepare(rules: Sequence[Any]) -> None:
    from ..kinds import KINDS

    for rule in rules:
        if rule.prepared is None:
            rule.prepared = KINDS[rule.kind].prepare(rule.params)


_SEVERITIES = {s.value: s for s in Severity}
_CATEGORIES = {c.value: c for c in Category}


def _finding(path: str, row: tuple[Any, ...]) -> Finding:
    start, end, sl, sc, el, ec, rule, name, category, severity, message, fix, where = (
        row
    )
    return Finding(
        path=path,
        span=Span(start, end),
        start=Position(sl, sc),
        end=Position(el, ec),
        rule=rule,
        name=name,
        category=_CATEGORIES[category],
        severity=_SEVERITIES[severity],
        message=message,
        fix=None if fix is None else _fix(fix),
        location=where,
    )


def _fix(row: tuple[Any, ...]) -> Fix:
    start, end, sl, sc, el, ec, replacement, safe = row
    return Fix(Span(start, end), replacement, Position(sl, sc), Position(el, ec), safe)


class _WorkerState:
    """What a worker knows: contexts and pack sets by number, and ``needs``."""

    __slots__ = ("contexts", "digests", "needs", "packsets")

    def __init__(
        self,
        contexts: dict[int, LintContext],
        packsets: dict[int, PackSet],
        needs: str,
        digests: bool = False,
    ) -> None:
        """Start from what the worker inherited (nothing if it did not fork).

        ``digests``: each result also carries the draft's pairing digest.
        """
        self.contexts = contexts
        self.packsets = packsets
        self.needs = needs
        self.digests = digests

    def learn(
        self,
        contexts: dict[int, tuple[int, LintOptions, RuleFilter]],
        packsets: dict[int, dict[str, Any]],
    ) -> None:
        """Add what a chunk brought along."""
        for number, packs in packsets.items():
            packset = PackSet({n: Pack.from_json(p) for n, p in packs.items()})
            _prepare([r for p in packset.packs.values() for r in p.rules])
            self.packsets[number] = packset
        for number, (packs_number, options, rule_filter) in contexts.items():
            packset = self.packsets[packs_number]
            self.contexts[number] = LintContext(packset, options, rule_filter)


def _serve(inbox: BinaryIO, outbox: BinaryIO, state: _WorkerState) -> None:
    """The worker's loop: read a chunk, lint it, send its rows; until EOF."""
    while (message := _unframe(inbox)) is not None:
        tasks, contexts, packsets = message
        state.learn(contexts, packsets)
        contexts_by_number = state.contexts
        rows = [_work(path, contexts_by_number[n], state) for path, n in tasks]
        outbox.write(_frame(rows))
        outbox.flush()


def _work(path: str, context: LintContext, state: _WorkerState) -> _Row:
    result = lint_one(path, context, keep_report=True)
    try:
        if state.digests:
            add_digest(result)
        return encode(result, state.needs, context)
    except Exception as exc:  # pragma: no cover - defensive
        return (internal_error(exc), [], None)


def encode(result: FileResult, needs: str, context: LintContext) -> _Row:
    """``result`` as a compact row: what ``needs`` asks for of its report.

    NOTE: never the whole report (its pack, its tables): the document's text
    only for ``document`` and ``tables`` (see ``engine.parallel``).
    """
    if result.error is not None:
        return (result.error, [], None)
    rows = [_finding_row(f) for f in result.findings]
    report = result.report
    meta: tuple[Any, ...] | None = None
    if report is not None:
        doc = report.document
        outline = report.outline
        doc_data = None
        if needs in ("document", "tables"):
            doc_data = (doc.text, doc.bom, doc.newlines)
        grids = result.tables
        if needs == "tables" and grids is None:
            # NOTE: imported here: only an output that draws tables pays.
            from .grids import table_grids

            grids = table_grids(report, context.rule_filter)
        meta = (
            doc.encoding,
            outline.year,
            outline.year_source,
            outline.edition,
            outline.edition_source,
            doc_data,
            doc.form,
            grids,
            result.digest,
        )
    return (None, rows, meta)


def decode(path: str, context: LintContext, row: _Row) -> FileResult:
    """The ``FileResult`` that ``encode`` made ``row`` of, for ``path``."""
    error, rows, meta = row
    if error is not None:
        return FileResult(path, error=error)
    result = FileResult(path, [_finding(path, r) for r in rows])
    if meta is None:
        return result
    encoding, year, year_source, edition, edition_source, doc_data, form = meta[:7]
    result.tables, result.digest = meta[7:]
    text, bom, newlines = doc_data if doc_data is not None else ("", b"", None)
    # NOTE: the source map stays where the file was read: findings carry
    # their locations.
    document = Document(path, text, encoding, bom, newlines, form)
    outline = Outline(
        year=year,
        year_source=year_source,
        edition=edition,
        edition_source=edition_source,
    )
    pack = context.packset.for_edition(edition) if edition else None
    pack = pack or context.packset.for_year(year)
    if pack is not None:
        result.report = Report(document, outline, pack, context.options)
    return result


def _finding_row(f: Finding) -> tuple[Any, ...]:
    fix = f.fix
    fix_row = (
        None
        if fix is None
        else (
            fix.span.start,
            fix.span.end,
            fix.start.line,
            fix.start.column,
            fix.end.line,
            fix.end.column,
            fix.replacement,
            fix.safe,
        )
    )
    return (
        f.span.start,
        f.span.end,
        f.start.line,
        f.start.column,
        f.end.line,
        f.end.column,
        f.rule,
        f.name,
        f.category.value,
        f.severity.value,
        f.message,
        fix_row,
        f.location,
    )


def _interpreter_worker() -> None:  # pragma: no cover - macOS
    """``python -m disclosure_lint.engine.worker``: a worker on stdin / stdout.

    NOTE: the protocol uses the original stdout; anything printed by
    mistake goes to stderr instead of corrupting it.
    """
    inbox = os.fdopen(os.dup(0), "rb")
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    first = _unframe(inbox)
    if first is None:
        return
    needs, digests = first
    with suppress(BrokenPipeError):
        _serve(inbox, outbox, _WorkerState({}, {}, needs, digests))


@contextmanager
def sigint_deferred() -> Iterator[None]:
    """Block SIGINT in this thread for the block; a pending one fires after.

    NOTE: a child forked meanwhile inherits the mask, not the pending
    signal, and ignores SIGINT before it unblocks it.
    """
    # NOTE: threads are started through ``threading``; if nothing imported
    # it, this is the main thread (and its import, ~1 ms, is saved).
    threading = sys.modules.get("threading")
    main_thread = threading is None or (
        threading.current_thread() is threading.main_thread()
    )
    if not main_thread or not hasattr(signal, "pthread_sigmask"):
        yield  # pragma: no cover - Windows, threads
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


if __name__ == "__main__":  # pragma: no cover - macOS workers
    _interpreter_worker()


class _Registry:
    """Lint contexts and pack sets by number, as parent and workers know them."""

    def __init__(self) -> None:
        self.contexts: dict[int, LintContext] = {}
        self.packsets: dict[int, PackSet] = {}
        self._numbers: dict[int, tuple[int, LintContext]] = {}
        self._packset_numbers: dict[int, tuple[int, PackSet]] = {}

    def number(self, context: LintContext) -> int:
        """The context's number (registered on first sight)."""
        known = self._numbers.get(id(context))
        if known is not None and known[1] is context:
            return known[0]
        self.packset_number(context.packset)
        number = len(self.contexts)
        self.contexts[number] = context
        self._numbers[id(context)] = (number, context)
        return number

    def packset_number(self, packset: PackSet) -> int:
        """The pack set's number; its rules are prepared on first sight.

        NOTE: prepared here, before any fork, so that the compiled patterns
        are shared with every worker instead of compiled in each.
        """
        known = self._packset_numbers.get(id(packset))
        if known is not None and known[1] is packset:
            return known[0]
        for pack in packset.packs.values():
            _prepare(pack.rules)
        number = len(self.packsets)
        self.packsets[number] = packset
        self._packset_numbers[id(packset)] = (number, packset)
        return number
