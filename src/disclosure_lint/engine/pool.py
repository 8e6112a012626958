"""Worker processes fed chunk by chunk, results drained in task order.

The parent's side of ``parallel.lint_in_order`` with more than one job (see
``parallel`` for the design); imported only when workers are started.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator
from contextlib import suppress
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..kinds.report import LintOptions
from .lint import FileResult, RuleFilter
from .worker import (
    _HEADER,
    _frame,
    _packs_data,
    _Registry,
    _Row,
    _serve,
    _WorkerState,
    decode,
    sigint_deferred,
)

if TYPE_CHECKING:
    import selectors
    import subprocess


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
_READ_SIZE = 1 << 16


def _chunk_size(files: int, jobs: int) -> int:
    # Small chunks for small batches (every worker gets work at once), up to
    # MAX_CHUNK files for large ones (fewer round trips).
    return max(1, min(MAX_CHUNK, files // (jobs * WINDOW_PER_JOB * 2) or 1))


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


class _Pool:
    """Worker processes fed chunk by chunk; results drained in task order."""

    def __init__(
        self, method: str, jobs: int, needs: str, chunk: int, digests: bool = False
    ) -> None:
        import selectors

        self.method = method
        self.jobs = jobs
        self.needs = needs
        self.digests = digests
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
                    yield task, decode(task.path, task.context, row)
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
            self._post(worker, (self.needs, self.digests))

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
                    self.registry.contexts,
                    self.registry.packsets,
                    self.needs,
                    self.digests,
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
            [sys.executable, "-m", f"{__package__}.worker"],
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
