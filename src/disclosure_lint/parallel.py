"""Batch runs on several cores, results streamed in path order.

``lint_in_order`` lints a stream of tasks (a path and the packs, options and
rule filter that apply to it) and yields one ``FileResult`` per task, in the
order the tasks came, whatever the number of jobs. With one job (or one
file) everything runs in this process. With more, tasks go to worker
processes in small chunks, at most ``window`` chunks ahead of the output, so
a batch of any size holds at most ``window * chunk`` tasks and results in
memory (the stream itself is consumed lazily) and a slow file only delays
the output, never reorders it.

Workers are plain ``os.fork`` children of this process, each with a pipe in
and a pipe out: no fork server, no resource tracker, no executor threads.
They inherit the compiled packs for free; a lint context they do not know yet
(a rule filter made for a ``per-path-ignores`` glob) travels with the chunk
that first needs it. Where ``fork`` is unsafe (macOS) workers are new
interpreters started with ``-m disclosure_lint.parallel`` that receive the
packs' plain data once; where pipes cannot be polled (Windows) the run stays
in this process. Workers send back compact rows (numbers and strings), not
documents. What the formatter needs of ``FileResult.report`` decides how
much comes back:

``meta``      encoding, report year and edition (json ``files`` entries);
``document``  also the full text, BOM and line endings, so ``report.document``
              is the real document (source lines, ``--fix``);
``report``    the whole report (outline, tables): the run stays in-process.

A file that makes a worker raise is reported as that file's error. A worker
that dies (killed, out of memory) is replaced; the chunk it was working on is
retried file by file, and a file whose worker dies again is reported, so
only the culprit is lost. Workers ignore SIGINT: Ctrl-C reaches the parent
alone, which stops the workers (they only read drafts, so nothing is left
half-written) and lets the caller print a partial summary.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from .document import Document, Position, Span
from .engine import FileResult, RuleFilter, lint_file
from .findings import Category, Finding, Fix, Severity
from .outline import Outline
from .packs import Pack, PackSet
from .report import LintOptions, Report

if TYPE_CHECKING:
    import selectors
    import subprocess
    from typing import Protocol

NEEDS = ("meta", "document", "report")
#: Chunks in flight per job: enough to keep every worker busy while the
#: parent formats, small enough to bound memory.
WINDOW_PER_JOB = 4
MAX_CHUNK = 32
#: Chunks sent to one worker ahead of its results, so that it never waits
#: for the parent between two chunks.
DEPTH = 2
#: Workers that die without a chunk to blame before the run gives up.
MAX_IDLE_DEATHS = 8
DIED = "internal error (worker process died)"
_MAX_ERROR = 300
#: Bytes before each message: the length of the pickle that follows.
_HEADER = 8
_READ_SIZE = 1 << 16

# One row per file: (error, findings, meta); see _encode/_decode.
_Row = tuple[str | None, list[tuple[Any, ...]], tuple[Any, ...] | None]


# NOTE: the classes below are plain classes with __slots__, not dataclasses
# or named tuples: every run imports this module, and building those costs
# about a millisecond of each start (pre-commit checks one file).


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


if TYPE_CHECKING:

    class Task(Protocol):
        """One file to lint: anything with a path and a context."""

        @property
        def path(self) -> str:
            """The file."""

        @property
        def context(self) -> LintContext:
            """Its packs, options and rule filter."""


TaskT = TypeVar("TaskT", bound="Task")


class _PathTask:
    __slots__ = ("context", "path")

    def __init__(self, path: str, context: LintContext) -> None:
        self.path = path
        self.context = context


def default_jobs() -> int:
    """Cores this process may run on (affinity-aware where the OS says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


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
    """Lint ``paths`` (one context for all) with ``jobs`` processes, in order."""
    context = LintContext(packset, options, rule_filter)
    tasks = (_PathTask(path, context) for path in paths)
    for _, result in lint_in_order(tasks, jobs, needs, len(paths)):
        yield result


def lint_in_order(
    tasks: Iterable[TaskT], jobs: int = 1, needs: str = "meta", count: int = 0
) -> Iterator[tuple[TaskT, FileResult]]:
    """Lint ``tasks`` with ``jobs`` processes; yield ``(task, result)`` in order.

    Args:
        tasks: files to lint, in output order; read lazily.
        jobs: processes; 1 runs in this process.
        needs: what of ``FileResult.report`` the consumer reads, one of
            ``NEEDS`` (see the module docstring).
        count: how many tasks there are, if known (sizes the chunks).
    """
    if needs not in NEEDS:
        raise ValueError(f"needs must be one of {', '.join(NEEDS)}")
    stream = iter(tasks)
    # NOTE: a single file (pre-commit) never starts a worker.
    head = list(islice(stream, 2))
    method = _start_method()
    if jobs <= 1 or len(head) <= 1 or needs == "report" or method is None:
        for task in chain(head, stream):
            yield task, lint_one(task.path, task.context, keep_report=True)
        return
    size = _chunk_size(max(count, len(head)), jobs)
    pool = _Pool(method, jobs, needs, size)
    try:
        yield from pool.run(chain(head, stream))
    finally:
        pool.close()


def _start_method() -> str | None:
    """``fork``; ``spawn`` where forking is unsafe; None: stay in-process.

    NOTE: on macOS a forked child may crash in system libraries, so workers
    are new interpreters there; on Windows pipes cannot be polled.
    """
    if hasattr(os, "fork") and sys.platform != "darwin":
        return "fork"
    if os.name == "posix":  # pragma: no cover - macOS
        return "spawn"
    return None  # pragma: no cover - Windows


def _chunk_size(files: int, jobs: int) -> int:
    # Small chunks for small batches (every worker gets work at once), up to
    # MAX_CHUNK files for large ones (fewer round trips).
    return max(1, min(MAX_CHUNK, files // (jobs * WINDOW_PER_JOB * 2) or 1))


# --------------------------------------------------------------------------
# Parent side


class _Chunk:
    """Consecutive tasks linted by one worker; ``rows`` once it is done."""

    __slots__ = ("retried", "rows", "tasks", "worker")

    def __init__(self, tasks: list[Any], retried: bool = False) -> None:
        """A chunk not sent yet."""
        self.tasks = tasks
        self.retried = retried
        self.rows: list[_Row] | None = None
        self.worker: _Worker | None = None


class _Worker:
    """The parent's handle on one worker process."""

    __slots__ = (
        "chunks",
        "contexts",
        "inbox",
        "outbox",
        "packsets",
        "pid",
        "process",
        "recv_fd",
        "send_fd",
    )

    def __init__(
        self,
        pid: int,
        send_fd: int,
        recv_fd: int,
        known: tuple[set[int], set[int]],
        process: subprocess.Popen[bytes] | None = None,
    ) -> None:
        """A started worker that knows the ``known`` contexts and pack sets."""
        self.pid = pid
        self.send_fd = send_fd
        self.recv_fd = recv_fd
        #: Numbers of the contexts and pack sets it has (inherited or sent).
        self.contexts, self.packsets = known
        self.process = process
        self.chunks: deque[_Chunk] = deque()  # sent, in order, no result yet
        self.inbox = bytearray()
        self.outbox = bytearray()


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


class _Pool:
    """Worker processes fed chunk by chunk; results drained in task order."""

    def __init__(self, method: str, jobs: int, needs: str, chunk: int) -> None:
        import selectors

        self.method = method
        self.jobs = jobs
        self.needs = needs
        self.chunk = chunk
        self.window = jobs * WINDOW_PER_JOB
        self.registry = _Registry()
        self.selector: selectors.BaseSelector = selectors.DefaultSelector()
        self.workers: list[_Worker] = []
        self.waiting: deque[_Chunk] = deque()  # not sent to any worker yet
        self.idle_deaths = 0

    # -- the run

    def run(self, tasks: Iterator[Any]) -> Iterator[tuple[Any, FileResult]]:
        """Yield ``(task, result)`` per task, in order."""
        pending: deque[_Chunk] = deque()  # every chunk not yet yielded, in order
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.window:
                batch = list(islice(tasks, self.chunk))
                for task in batch:
                    # NOTE: known before the next fork, so inherited.
                    self.registry.number(task.context)
                exhausted = len(batch) < self.chunk
                if batch:
                    chunk = _Chunk(batch)
                    pending.append(chunk)
                    self.waiting.append(chunk)
            if not pending:
                return
            head = pending[0]
            if head.rows is not None:
                pending.popleft()
                for task, row in zip(head.tasks, head.rows, strict=True):
                    yield task, self._decode(task, row)
                continue
            self._dispatch()
            self._wait(pending)

    def _dispatch(self) -> None:
        """Start missing workers; send waiting chunks to the least busy."""
        while self.waiting and len(self.workers) < self.jobs:
            self._spawn()
        while self.waiting:
            worker = min(self.workers, key=lambda w: len(w.chunks))
            if len(worker.chunks) >= DEPTH:
                return
            self._send(worker, self.waiting.popleft())

    def _send(self, worker: _Worker, chunk: _Chunk) -> None:
        registry = self.registry
        tasks: list[tuple[str, int]] = []
        contexts: dict[int, tuple[int, LintOptions, RuleFilter]] = {}
        packsets: dict[int, dict[str, Any]] = {}
        for task in chunk.tasks:
            number = registry.number(task.context)
            tasks.append((task.path, number))
            if number in worker.contexts:
                continue
            worker.contexts.add(number)
            context = task.context
            packs = registry.packset_number(context.packset)
            contexts[number] = (packs, context.options, context.rule_filter)
            if packs not in worker.packsets:
                worker.packsets.add(packs)
                packsets[packs] = _packs_data(context.packset)
        chunk.worker = worker
        worker.chunks.append(chunk)
        self._post(worker, (tasks, contexts, packsets))

    def _post(self, worker: _Worker, message: Any) -> None:
        """Queue a message; write what the pipe takes now, the rest later.

        NOTE: writes never block: a worker may itself be blocked writing its
        results to us, so a blocking write could wait for ever.
        """
        import selectors

        had_output = bool(worker.outbox)
        worker.outbox += _frame(message)
        if had_output:
            return
        self._flush(worker)
        if worker.outbox:
            self.selector.register(worker.send_fd, selectors.EVENT_WRITE, worker)

    def _flush(self, worker: _Worker) -> None:
        try:
            written = os.write(worker.send_fd, worker.outbox)
        except BlockingIOError:
            return
        except BrokenPipeError:
            worker.outbox.clear()  # NOTE: its death shows as EOF on recv_fd
            return
        del worker.outbox[:written]

    def _wait(self, pending: deque[_Chunk]) -> None:
        """Block until some worker sends results or can take more input."""
        import selectors

        for key, events in self.selector.select():
            worker: _Worker = key.data
            if worker not in self.workers:
                continue  # NOTE: buried earlier in this same round
            if events & selectors.EVENT_WRITE and key.fd == worker.send_fd:
                self._flush(worker)
                if not worker.outbox:
                    self.selector.unregister(worker.send_fd)
                continue
            data = os.read(worker.recv_fd, _READ_SIZE)
            if not data:
                self._bury(worker, pending)
                continue
            worker.inbox += data
            self._take_results(worker)

    def _take_results(self, worker: _Worker) -> None:
        import pickle

        while len(worker.inbox) >= _HEADER:
            end = _HEADER + int.from_bytes(worker.inbox[:_HEADER], "little")
            if len(worker.inbox) < end:
                return
            rows = pickle.loads(worker.inbox[_HEADER:end])
            del worker.inbox[:end]
            chunk = worker.chunks.popleft()
            chunk.rows = rows
            chunk.worker = None
            self.idle_deaths = 0

    def _bury(self, worker: _Worker, pending: deque[_Chunk]) -> None:
        """A worker died: reap it, give its chunks to others, blame a file."""
        self._stop(worker, kill=True)
        self.workers.remove(worker)
        if not worker.chunks:
            self.idle_deaths += 1
            if self.idle_deaths > MAX_IDLE_DEATHS:
                raise RuntimeError("worker processes keep dying")
            return
        running, *queued = worker.chunks
        for chunk in reversed(queued):
            chunk.worker = None
            self.waiting.appendleft(chunk)
        if running.retried:
            running.rows = [(DIED, [], None)]
            running.worker = None
            return
        # NOTE: each file of the chunk it was working on is tried alone on
        # a fresh worker; a file whose worker dies again is the culprit.
        pieces = [_Chunk([task], retried=True) for task in running.tasks]
        at = pending.index(running)
        pending.remove(running)
        for offset, piece in enumerate(pieces):
            pending.insert(at + offset, piece)
        self.waiting.extendleft(reversed(pieces))

    # -- starting and stopping workers

    def _spawn(self) -> None:
        """Start a worker (SIGINT held back meanwhile, then ignored in it).

        NOTE: a Ctrl-C before the worker is in ``workers`` would leave it
        running, unknown to ``close``.
        """
        import selectors

        with sigint_deferred():
            if self.method == "fork":
                worker = self._fork()
            else:
                worker = self._start_interpreter()
            self.workers.append(worker)
        os.set_blocking(worker.send_fd, False)
        self.selector.register(worker.recv_fd, selectors.EVENT_READ, worker)
        if worker.process is not None:
            self._post(worker, self.needs)

    def _fork(self) -> _Worker:
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        # NOTE: a garbage collection in a worker would write to every object
        # it shares with this process and so copy its pages; frozen objects
        # are never visited.
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; measured by its results
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                os.close(from_parent)
                os.close(to_parent)
                # NOTE: a sibling's pipes left open here would hide its death
                # (no EOF) from the parent.
                for other in self.workers:
                    os.close(other.send_fd)
                    os.close(other.recv_fd)
                self.selector.close()
                state = _WorkerState(
                    self.registry.contexts, self.registry.packsets, self.needs
                )
                _serve(os.fdopen(to_child, "rb"), os.fdopen(from_child, "wb"), state)
            finally:
                os._exit(0)
        os.close(to_child)
        os.close(from_child)
        registry = self.registry
        known = (set(registry.contexts), set(registry.packsets))
        return _Worker(pid, from_parent, to_parent, known)

    def _start_interpreter(self) -> _Worker:  # pragma: no cover - macOS
        import subprocess

        process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # NOTE: its own session: Ctrl-C at the terminal reaches the
            # parent only, even while the interpreter is still starting.
            start_new_session=True,
        )
        assert process.stdin is not None and process.stdout is not None
        return _Worker(
            process.pid,
            process.stdin.fileno(),
            process.stdout.fileno(),
            (set(), set()),
            process,
        )

    def _stop(self, worker: _Worker, kill: bool) -> None:
        """Close our ends of the pipes; reap the process (killed if asked)."""
        for fd in (worker.recv_fd, worker.send_fd):
            with suppress(KeyError, ValueError):
                self.selector.unregister(fd)
        if worker.process is not None:  # pragma: no cover - macOS
            if kill:
                worker.process.kill()
            worker.process.stdin.close()  # type: ignore[union-attr]
            worker.process.stdout.close()  # type: ignore[union-attr]
            worker.process.wait()
            return
        os.close(worker.send_fd)
        os.close(worker.recv_fd)
        if kill:
            with suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        os.waitpid(worker.pid, 0)

    def close(self) -> None:
        """Stop every worker: at the end (they exit on EOF) or on Ctrl-C.

        NOTE: on Ctrl-C the workers are killed: they only read drafts, so
        nothing is left half-written, and the parent does not wait for the
        chunks they are working on.
        """
        with sigint_deferred():
            for worker in self.workers:
                self._stop(worker, kill=bool(worker.chunks))
            self.workers.clear()
            self.selector.close()
            gc.unfreeze()

    # -- results

    def _decode(self, task: Any, row: _Row) -> FileResult:
        error, rows, meta = row
        path = task.path
        if error is not None:
            return FileResult(path, error=error)
        findings = [_finding(path, r) for r in rows]
        return FileResult(path, findings, report=self._report(task, meta))

    def _report(self, task: Any, meta: tuple[Any, ...] | None) -> Report | None:
        if meta is None:
            return None
        encoding, year, year_source, edition, edition_source, doc_data = meta
        text, bom, newlines = doc_data if doc_data is not None else ("", b"", None)
        document = Document(task.path, text, encoding, bom, newlines)
        outline = Outline(
            year=year,
            year_source=year_source,
            edition=edition,
            edition_source=edition_source,
        )
        context: LintContext = task.context
        pack = context.packset.for_edition(edition) if edition else None
        pack = pack or context.packset.for_year(year)
        if pack is None:  # pragma: no cover - a lint result implies a pack
            return None
        return Report(document, outline, pack, context.options)


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


def _prepare(rules: Sequence[Any]) -> None:
    from .kinds import KINDS

    for rule in rules:
        if rule.prepared is None:
            rule.prepared = KINDS[rule.kind].prepare(rule.params)


_SEVERITIES = {s.value: s for s in Severity}
_CATEGORIES = {c.value: c for c in Category}


def _finding(path: str, row: tuple[Any, ...]) -> Finding:
    start, end, sl, sc, el, ec, rule, name, category, severity, message, fix = row
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
    )


def _fix(row: tuple[Any, ...]) -> Fix:
    start, end, sl, sc, el, ec, replacement, safe = row
    return Fix(Span(start, end), replacement, Position(sl, sc), Position(el, ec), safe)


# --------------------------------------------------------------------------
# Worker side


class _WorkerState:
    """What a worker knows: contexts and pack sets by number, and ``needs``."""

    __slots__ = ("contexts", "needs", "packsets")

    def __init__(
        self,
        contexts: dict[int, LintContext],
        packsets: dict[int, PackSet],
        needs: str,
    ) -> None:
        """Start from what the worker inherited (nothing if it did not fork)."""
        self.contexts = contexts
        self.packsets = packsets
        self.needs = needs

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
        rows = [_work(path, contexts_by_number[n], state.needs) for path, n in tasks]
        outbox.write(_frame(rows))
        outbox.flush()


def _work(path: str, context: LintContext, needs: str) -> _Row:
    result = lint_one(path, context, keep_report=True)
    try:
        return _encode(result, needs)
    except Exception as exc:  # pragma: no cover - defensive
        return (internal_error(exc), [], None)


def _encode(result: FileResult, needs: str) -> _Row:
    if result.error is not None:
        return (result.error, [], None)
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
    return (None, rows, meta)


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


def _interpreter_worker() -> None:  # pragma: no cover - macOS
    """``python -m disclosure_lint.parallel``: a worker on stdin / stdout.

    NOTE: the protocol uses the original stdout; anything printed by
    mistake goes to stderr instead of corrupting it.
    """
    inbox = os.fdopen(os.dup(0), "rb")
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    needs = _unframe(inbox)
    if needs is None:
        return
    with suppress(BrokenPipeError):
        _serve(inbox, outbox, _WorkerState({}, {}, needs))


if __name__ == "__main__":  # pragma: no cover - macOS workers
    _interpreter_worker()
