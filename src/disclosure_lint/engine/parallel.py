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
interpreters started with ``-m disclosure_lint.engine.worker`` that receive the
packs' plain data once; where pipes cannot be polled (Windows) the run stays
in this process. Workers send back compact rows (numbers and strings), not
documents. What the formatter needs of ``FileResult.report`` decides how
much comes back:

``meta``      form, encoding, report year and edition (json ``files``
              entries); findings carry their own ``location``;
``document``  also the full text, BOM and line endings, so ``report.document``
              is the real document (source lines, ``--fix``);
``tables``    also the tables as read (``FileResult.tables``: ``engine.grids``
              records, built in the process that read the draft);
``report``    the whole report (outline, tables): the run stays in-process.

A file that makes a worker raise is reported as that file's error. A worker
that dies (killed, out of memory) is replaced; the chunk it was working on is
retried file by file, and a file whose worker dies again is reported, so
only the culprit is lost. Workers ignore SIGINT: Ctrl-C reaches the parent
alone, which stops the workers (they only read drafts, so nothing is left
half-written) and lets the caller print a partial summary.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import TYPE_CHECKING

from ..kinds.report import LintOptions
from ..packs.model import PackSet
from .lint import FileResult, RuleFilter
from .worker import (
    LintContext,
    add_digest,
    lint_one,
)

if TYPE_CHECKING:
    from typing import Protocol, TypeVar

NEEDS = ("meta", "document", "tables", "report")


# NOTE: the classes below are plain classes with __slots__, not dataclasses
# or named tuples: every run imports this module, and building those costs
# about a millisecond of each start (pre-commit checks one file).


if TYPE_CHECKING:

    class Task(Protocol):
        """One file to lint: anything with a path and a context."""

        @property
        def path(self) -> str:
            """The file."""

        @property
        def context(self) -> LintContext:
            """Its packs, options and rule filter."""

    # NOTE: for the checker only: a string bound makes typing compile it,
    # and a process's first compile() costs ~1 ms (the parser starts up).
    TaskT = TypeVar("TaskT", bound=Task)


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
    tasks: Iterable[TaskT],
    jobs: int = 1,
    needs: str = "meta",
    count: int = 0,
    digests: bool = False,
) -> Iterator[tuple[TaskT, FileResult]]:
    """Lint ``tasks`` with ``jobs`` processes; yield ``(task, result)`` in order.

    Args:
        tasks: files to lint, in output order; read lazily.
        jobs: processes; 1 runs in this process.
        needs: what of ``FileResult.report`` the consumer reads, one of
            ``NEEDS`` (see the module docstring).
        count: how many tasks there are, if known (sizes the chunks).
        digests: each result also carries its pairing digest
            (``FileResult.digest``, ``engine.pairs``).
    """
    if needs not in NEEDS:
        raise ValueError(f"needs must be one of {', '.join(NEEDS)}")
    stream = iter(tasks)
    # NOTE: a single file (pre-commit) never starts a worker.
    head = list(islice(stream, 2))
    method = _start_method()
    if jobs <= 1 or len(head) <= 1 or needs == "report" or method is None:
        for task in chain(head, stream):
            result = lint_one(task.path, task.context, keep_report=True)
            if digests:
                add_digest(result)
            if needs == "tables":
                add_grids(result, task.context)
            yield task, result
        return
    # NOTE: imported here: a one-file run (pre-commit) never starts workers.
    from .pool import _chunk_size, _Pool

    size = _chunk_size(max(count, len(head)), jobs)
    pool = _Pool(method, jobs, needs, size, digests)
    try:
        yield from pool.run(chain(head, stream))
    finally:
        pool.close()


def add_grids(result: FileResult, context: LintContext) -> None:
    """Set ``result.tables`` from its full report (read in this process)."""
    report = result.report
    if result.tables is None and report is not None and report.tables:
        from .grids import table_grids

        result.tables = table_grids(report, context.rule_filter)


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


# --------------------------------------------------------------------------
# Parent side


# --------------------------------------------------------------------------
# Worker side
