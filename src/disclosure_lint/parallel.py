"""Batch runs on several cores, results streamed in path order.

``iter_file_results`` lints the files in the order ``expand_paths`` gives and
yields one ``FileResult`` per file in that same order, whatever the number of
jobs. With one job (or one file) everything runs in this process. With more,
files go to worker processes in small chunks with a bounded number of chunks
in flight, so a batch of any size holds at most ``window * chunk`` results in
memory and a slow file only delays the output, never reorders it.

Workers load nothing themselves: the compiled ``PackSet`` is handed to each
worker once, at start-up (inherited for free under ``fork``). They send back
compact rows (numbers and strings), not documents. What the formatter needs of
``FileResult.report`` decides how much comes back:

``meta``      encoding, report year and edition (json ``files`` entries);
``document``  also the full text, BOM and line endings, so ``report.document``
              is the real document (source lines, ``--fix``);
``report``    the whole report (outline, tables): the run stays in-process.

A file that makes a worker raise is reported as that file's error; a worker
that dies (killed, out of memory) is replaced and the chunk it was working on
is retried file by file, so only the culprit is reported. Workers ignore
SIGINT: Ctrl-C reaches the parent alone, which cancels the queued chunks,
waits for the running ones (a fraction of a second) and lets the caller
print a partial summary.
"""

from __future__ import annotations

import gc
import os
import signal
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .document import Document, Position, Span
from .engine import FileResult, RuleFilter, lint_file
from .findings import Category, Finding, Fix, Severity
from .outline import Outline
from .packs import Pack, PackSet
from .report import LintOptions, Report

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# NOTE: multiprocessing and concurrent.futures (with logging) cost ~10 ms to
# import; a one-file run (pre-commit) never needs them, so _Pool imports them.

NEEDS = ("meta", "document", "report")
#: Chunks in flight per job: enough to keep every worker busy while the
#: parent formats, small enough to bound memory.
WINDOW_PER_JOB = 4
MAX_CHUNK = 32
#: Batches of at least this many files start their workers from a fork
#: server rather than by forking this (large) process.
FORKSERVER_FROM = 20_000
_MAX_ERROR = 300

# One row per file: (path, error, findings, meta); see _encode/_decode.
_Row = tuple[str, str | None, list[tuple[Any, ...]], tuple[Any, ...] | None]


def default_jobs() -> int:
    """Cores this process may run on (affinity-aware where the OS says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def lint_one(
    path: str,
    packset: PackSet,
    options: LintOptions,
    rule_filter: RuleFilter,
    keep_report: bool,
) -> FileResult:
    """``lint_file`` that turns an internal error into that file's error.

    NOTE: a bug in a kind must not take the other files of a batch down with
    it; the message names the exception so the bug can still be reported.
    Set ``DISCLOSURE_LINT_DEBUG=1`` to get the traceback instead.
    """
    try:
        return lint_file(path, packset, options, rule_filter, keep_report)
    except Exception as exc:
        if os.environ.get("DISCLOSURE_LINT_DEBUG"):
            raise
        return FileResult(path, error=internal_error(exc))


def internal_error(exc: BaseException) -> str:
    """One line naming an unexpected exception."""
    detail = " ".join(str(exc).split())[:_MAX_ERROR]
    name = type(exc).__name__
    text = f"{name}: {detail}" if detail else name
    return f"internal error ({text}); please report this as a bug"


def iter_file_results(
    paths: Sequence[str],
    packset: PackSet,
    options: LintOptions,
    rule_filter: RuleFilter,
    jobs: int = 1,
    needs: str = "meta",
) -> Iterator[FileResult]:
    """Lint ``paths`` with ``jobs`` processes; yield results in path order.

    Args:
        paths: files, already expanded and in output order.
        packset: the compiled packs (sent to each worker once).
        options: lint options.
        rule_filter: select / ignore / severities.
        jobs: worker processes; 1 runs in this process.
        needs: what of ``FileResult.report`` the consumer reads, one of
            ``NEEDS`` (see the module docstring).
    """
    if needs not in NEEDS:
        raise ValueError(f"needs must be one of {', '.join(NEEDS)}")
    jobs = min(jobs, len(paths))
    if jobs <= 1 or needs == "report":
        for path in paths:
            yield lint_one(path, packset, options, rule_filter, keep_report=True)
        return
    pool = _Pool(packset, options, rule_filter, jobs, needs, len(paths))
    try:
        yield from pool.run(paths)
    finally:
        pool.close()


# --------------------------------------------------------------------------
# Parent side


@dataclass(slots=True)
class _Batch:
    paths: list[str]
    future: Future[list[_Row]]


class _Pool:
    """A process pool fed chunk by chunk, drained in submission order."""

    def __init__(
        self,
        packset: PackSet,
        options: LintOptions,
        rule_filter: RuleFilter,
        jobs: int,
        needs: str,
        files: int,
    ) -> None:
        for pack in packset.packs.values():
            _prepare(pack.rules)
        self.packset = packset
        self.options = options
        self.rule_filter = rule_filter
        self.jobs = jobs
        self.needs = needs
        self.files = files
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = _start_method(self.files)
        context = multiprocessing.get_context(method)
        packs: PackSet | dict[str, Any] = self.packset
        if method != "fork":
            # NOTE: sent as the cache's plain data; compiled rules are rebuilt
            # in each worker, once.
            packs = {n: p.to_json() for n, p in self.packset.packs.items()}
            if method == "forkserver":
                context.set_forkserver_preload([__name__])
                _start_forkserver()
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=context,
            initializer=_init_worker,
            initargs=(packs, self.options, self.rule_filter, self.needs),
        )

    def close(self) -> None:
        """Stop the pool: cancel queued chunks, let running ones finish.

        NOTE: terminating a worker while it sends its results can leave half
        a message in the result pipe, on which the executor's own thread then
        blocks for ever; a running chunk is at most ``MAX_CHUNK`` files, so
        on Ctrl-C waiting for it costs a fraction of a second.
        """
        self.executor.shutdown(wait=True, cancel_futures=True)

    def run(self, paths: Sequence[str]) -> Iterator[FileResult]:
        """Yield a result per path, in order."""
        size = _chunk_size(len(paths), self.jobs)
        chunks = (list(paths[i : i + size]) for i in range(0, len(paths), size))
        window = self.jobs * WINDOW_PER_JOB
        pending: deque[_Batch] = deque()
        for chunk in chunks:
            # NOTE: a broken pool is repaired by draining (the culprit's batch
            # is retried file by file), not by feeding it more work.
            while pending and (len(pending) >= window or self._broken()):
                yield from self._drain(pending)
            if self._broken():
                self._fresh()
            pending.append(_Batch(chunk, self._submit(chunk)))
        while pending:
            yield from self._drain(pending)

    def _submit(self, chunk: list[str]) -> Future[list[_Row]]:
        """Queue a chunk; the executor may start a worker while doing so.

        NOTE: Ctrl-C while a worker is being started would cut the message
        that starts it, and the half-started worker prints a traceback; SIGINT
        is held back until ``submit`` returns, then delivered.
        """
        with _sigint_deferred(), _gc_frozen():
            return self.executor.submit(_work, chunk)

    def _broken(self) -> bool:
        return bool(getattr(self.executor, "_broken", False))

    def _drain(self, pending: deque[_Batch]) -> Iterator[FileResult]:
        from concurrent.futures.process import BrokenProcessPool

        batch = pending.popleft()
        try:
            rows = batch.future.result()
        except BrokenProcessPool:
            rows = self._recover(batch, pending)
        for row in rows:
            yield self._decode(row)

    def _recover(self, batch: _Batch, pending: deque[_Batch]) -> list[_Row]:
        """A worker died: retry the batch file by file on a fresh pool.

        Only the file whose worker dies again is reported; the batches that
        were queued on the broken pool are then sent to the fresh one.
        """
        from concurrent.futures.process import BrokenProcessPool

        rows: list[_Row] = []
        for path in batch.paths:
            self._fresh()
            try:
                rows.extend(self._submit([path]).result())
            except BrokenProcessPool:
                rows.append((path, "internal error (worker process died)", [], None))
        self._fresh()
        for queued in pending:
            future = queued.future
            if not future.done() or future.exception() is not None:
                queued.future = self._submit(queued.paths)
        return rows

    def _fresh(self) -> None:
        """Replace the pool if it is broken."""
        if self._broken():
            self.close()
            self.executor = self._start()

    def _decode(self, row: _Row) -> FileResult:
        path, error, rows, meta = row
        if error is not None:
            return FileResult(path, error=error)
        findings = [_finding(path, r) for r in rows]
        return FileResult(path, findings, report=self._report(path, meta))

    def _report(self, path: str, meta: tuple[Any, ...] | None) -> Report | None:
        if meta is None:
            return None
        encoding, year, year_source, edition, edition_source, doc_data = meta
        text, bom, newlines = doc_data if doc_data is not None else ("", b"", None)
        document = Document(path, text, encoding, bom, newlines)
        outline = Outline(
            year=year,
            year_source=year_source,
            edition=edition,
            edition_source=edition_source,
        )
        pack = self.packset.for_edition(edition) if edition else None
        pack = pack or self.packset.for_year(year)
        if pack is None:  # pragma: no cover - a lint result implies a pack
            return None
        return Report(document, outline, pack, self.options)


def _start_method(files: int) -> str:
    """``fork`` for small batches, ``forkserver`` for large ones.

    NOTE: a forked worker starts in a millisecond and shares the parent's
    memory, but it maps all of it, and the parent's plan of a large batch
    grows with its files (about 0.5 KB each); with ``forkserver`` the
    workers come from a server process (~150 ms to start once, plus
    multiprocessing's resource tracker) and stay small whatever the batch.
    Past ~20,000 files that is the smaller tree. Where fork does not exist
    (Windows), or is unsafe (macOS), spawn.
    """
    import multiprocessing
    import sys

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and files < FORKSERVER_FROM:
        return "fork"
    if "forkserver" in methods and sys.platform != "darwin":
        return "forkserver"
    return "spawn"


@contextmanager
def _gc_frozen() -> Iterator[None]:
    """Freeze the garbage collector's objects while workers may be forked.

    NOTE: a forked worker shares this process's memory until it writes to
    it, and a garbage collection writes to every object it visits; frozen
    objects are never visited in the workers, so they stay shared.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Block SIGINT in this thread for the block; a pending one fires after."""
    import threading

    main_thread = threading.current_thread() is threading.main_thread()
    if not main_thread or not hasattr(signal, "pthread_sigmask"):
        yield  # pragma: no cover - Windows, threads
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _start_forkserver() -> None:
    """Start the fork server (and its resource tracker) deaf to Ctrl-C.

    NOTE: Ctrl-C signals the whole process group. A server still importing
    its modules would die with a traceback of its own, so it is started with
    SIGINT ignored, which a new interpreter keeps (and the workers it forks
    inherit). SIGINT stays blocked meanwhile, so a Ctrl-C in that moment is
    delivered to this process afterwards rather than lost.
    """
    import threading
    from multiprocessing import forkserver

    main_thread = threading.current_thread() is threading.main_thread()
    if not main_thread or not hasattr(signal, "pthread_sigmask"):
        forkserver.ensure_running()  # pragma: no cover - Windows, threads
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _chunk_size(files: int, jobs: int) -> int:
    # Small chunks for small batches (every worker gets work at once), up to
    # MAX_CHUNK files for large ones (fewer round trips).
    return max(1, min(MAX_CHUNK, files // (jobs * WINDOW_PER_JOB * 2) or 1))


def _prepare(rules: Sequence[Any]) -> None:
    from .kinds import KINDS

    for rule in rules:
        if rule.prepared is None:
            rule.prepared = KINDS[rule.kind].prepare(rule.params)


def _finding(path: str, row: tuple[Any, ...]) -> Finding:
    start, end, sl, sc, el, ec, rule, name, category, severity, message, fix = row
    return Finding(
        path=path,
        span=Span(start, end),
        start=Position(sl, sc),
        end=Position(el, ec),
        rule=rule,
        name=name,
        category=Category(category),
        severity=Severity(severity),
        message=message,
        fix=None if fix is None else _fix(fix),
    )


def _fix(row: tuple[Any, ...]) -> Fix:
    start, end, sl, sc, el, ec, replacement, safe = row
    return Fix(Span(start, end), replacement, Position(sl, sc), Position(el, ec), safe)


# --------------------------------------------------------------------------
# Worker side


@dataclass(slots=True)
class _WorkerState:
    packset: PackSet
    options: LintOptions
    rule_filter: RuleFilter
    needs: str


_STATE: list[_WorkerState] = []


def _init_worker(
    packs: PackSet | dict[str, Any],
    options: LintOptions,
    rule_filter: RuleFilter,
    needs: str,
) -> None:
    # NOTE: Ctrl-C is delivered to the whole process group; only the parent
    # acts on it (it cancels the queued work), so a worker must not die
    # half-way through a chunk with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if isinstance(packs, PackSet):
        packset = packs
    else:
        packset = PackSet({n: Pack.from_json(p) for n, p in packs.items()})
    _prepare([r for p in packset.packs.values() for r in p.rules])
    _STATE[:] = [_WorkerState(packset, options, rule_filter, needs)]


def _work(paths: list[str]) -> list[_Row]:
    state = _STATE[0]
    rows: list[_Row] = []
    for path in paths:
        result = lint_one(
            path, state.packset, state.options, state.rule_filter, keep_report=True
        )
        try:
            rows.append(_encode(result, state.needs))
        except Exception as exc:  # pragma: no cover - defensive
            rows.append((path, internal_error(exc), [], None))
    return rows


def _encode(result: FileResult, needs: str) -> _Row:
    if result.error is not None:
        return (result.path, result.error, [], None)
    rows = [_finding_row(f) for f in result.findings]
    report = result.report
    meta: tuple[Any, ...] | None = None
    if report is not None:
        doc = report.document
        outline = report.outline
        doc_data = (doc.text, doc.bom, doc.newlines) if needs == "document" else None
        meta = (
            doc.encoding,
            outline.year,
            outline.year_source,
            outline.edition,
            outline.edition_source,
            doc_data,
        )
    return (result.path, None, rows, meta)


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
    )
