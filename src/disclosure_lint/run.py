"""One lint run: packs, files, formatter, exit code. The CLI only calls this.

Each file gets the settings of its own configuration file (``config``); files
are linted (``-j`` workers, see ``parallel``) and reported in path order,
streamed: nothing per file is kept once it is reported. Waivers then drop
accepted findings, and ``--fix`` / ``--diff`` apply the safe fixes.

A draft on standard input (``-``, ``--stdin-filename``) is linted in this
process under the name it is given, with the configuration found from that
name; as with ruff, ``--fix`` then writes the fixed draft to stdout (the
draft unchanged if it cannot be read or fixed) and the report to stderr.

Ctrl-C is held back while one file is waived, fixed and reported, so an
interrupted run has reported exactly the files it counts (and fixed on disk
exactly those it reports fixed); the report is then closed and marked
partial (``Summary.partial``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from .config import (
    ConfigError,
    ConfigResolver,
    check_cli_tokens,
    ignores_for,
    packset_for,
)
from .engine import FileResult, RuleFilter, lint_document, lint_loaded
from .formatters import FormatContext, Summary, get_formatter
from .formatters.base import escape_path
from .load import join_name, walk
from .packs import PackError, PackSet
from .parallel import LintContext, sigint_deferred
from .records import dataclass
from .settings import Settings
from .waivers import WaiverBook

if TYPE_CHECKING:
    from .document import Document
    from .findings import Finding
    from .fixes import FixOutcome
    from .report import Report

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


@dataclass(slots=True)
class RunRequest:
    """What the user asked for on the command line."""

    paths: list[str]
    settings: Settings
    format: str = "text"
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    jobs: int | None = None  # worker processes; None: one per core
    explicit: tuple[str, ...] = ()  # Settings fields given on the command line
    config: Path | None = None  # --config: this file for every draft
    isolated: bool = False  # --isolated: find no configuration or waiver file
    waivers: Path | None = None  # --waivers: this waiver file for every draft
    fix: bool = False  # --fix: write the safe fixes
    diff: bool = False  # --diff: print them as a diff, write nothing
    stdin: bool = False  # the draft is standard input, named paths[0]
    quiet: bool = False  # --quiet: findings only, no closing line or note


@dataclass(slots=True)
class Planned:
    """One file with the settings, packs and rule filter that apply to it."""

    path: str
    settings: Settings
    packset: PackSet
    rule_filter: RuleFilter
    ignored: tuple[str, ...]
    context: LintContext  # packs, options and rule filter, shared by many files
    real: str = ""  # the path with every symbolic link resolved


@dataclass(slots=True)
class _Place:
    """What applies to every file of one (resolved) directory."""

    settings: Settings
    packset: PackSet
    waived: bool  # a waiver file governs the directory


class Plan:
    """Configuration, packs and waiver files of a run, resolved up front.

    NOTE: a bad configuration or waiver file stops the run (exit 2) before
    anything is printed, rather than half-way through a report; so
    ``make_plan`` walks the files once and resolves each directory. The
    per-file records (``files``) are made on the fly as the files are walked
    again: a batch of 100,000 drafts keeps no per-file state, only a record
    per directory and per distinct setting.
    """

    def __init__(
        self,
        request: RunRequest,
        resolver: ConfigResolver,
        book: WaiverBook,
    ) -> None:
        """Nothing is resolved yet: ``make_plan`` does that."""
        self.paths = request.paths
        self.stdin = request.stdin
        self.resolver = resolver
        self.waivers = book
        self.count = 0
        self.has_waivers = False
        #: The resolved paths some waiver names: the only files whose
        #: findings ``WaiverBook.apply`` can change or must see.
        self.targets: frozenset[str] = frozenset()
        self._places: dict[str, _Place] = {}
        self._real_dirs: dict[str, str] = {}
        self._contexts: dict[tuple[int, tuple[str, ...]], LintContext] = {}
        self._first: _Place | None = None
        self.lang = "zh"

    @property
    def first(self) -> Settings:
        """The first file's settings (the current directory's if none)."""
        if self._first is None:
            return self.resolver.settings_for(".")
        return self._first.settings

    @property
    def packset(self) -> PackSet:
        """The first file's packs."""
        if self._first is None:
            return self.resolver.packset_for(self.first)
        return self._first.packset

    @property
    def packsets(self) -> list[PackSet]:
        """The packs of every directory resolved (one entry per directory)."""
        return [place.packset for place in self._places.values()]

    @property
    def files(self) -> Iterator[Planned]:
        """Every file, in output order, with what applies to it."""
        for path, link in self._walk():
            real_dir, name = self._locate(path, link)
            place = self._place(real_dir)
            settings = place.settings
            ignored: tuple[str, ...] = ()
            if settings.per_path_ignores:
                ignored = tuple(ignores_for(settings, path))
            context = self._context(settings, place.packset, ignored)
            yield Planned(
                path,
                settings,
                place.packset,
                context.rule_filter,
                ignored,
                context,
                join_name(real_dir, name),
            )

    def resolve(self) -> None:
        """Walk the files once: resolve every directory, count the files.

        Raises:
            ConfigError: a configuration or waiver file is invalid.
            PackError: a pack does not load.
        """
        for path, link in self._walk():
            place = self._place(self._locate(path, link)[0])
            self._first = self._first or place
            self.count += 1
        # NOTE: the run's own text (closing line, report labels) is in one
        # language even when directories configure different ones: --lang,
        # else that of the configuration governing the first PATH given (as
        # `disclosure-lint config PATH` shows), not of whichever file the
        # walk meets first.
        self.lang = self.resolver.settings_for(
            self.paths[0] if self.paths else "."
        ).lang
        self.has_waivers = any(place.waived for place in self._places.values())
        self.targets = frozenset(
            str(waiver.target)
            for waiver_file in self.waivers.files
            for waiver in waiver_file.waivers
        )

    def _walk(self) -> Iterator[tuple[str, bool | None]]:
        """``load.walk`` of the paths; standard input's name as it is."""
        if self.stdin:
            return iter([(self.paths[0], None)])
        return walk(self.paths)

    def _locate(self, path: str, link: bool | None) -> tuple[str, str]:
        """The resolved directory and name of ``path`` (``Path.resolve``).

        NOTE: resolving every file costs a system call per path component;
        a file that is not a link lives in its directory's resolved form,
        which is resolved once.
        """
        if link is None:
            link = Path(path).is_symlink()
        if link:
            return os.path.split(os.path.realpath(path))
        head, name = os.path.split(path)
        real_dir = self._real_dirs.get(head)
        if real_dir is None:
            real_dir = self._real_dirs[head] = os.path.realpath(head or ".")
        return real_dir, name

    def _place(self, real_dir: str) -> _Place:
        """Settings, packs and waiver file of a resolved directory.

        NOTE: the configuration and waiver file of a file are found by
        walking up from its resolved directory, so the directory's answer is
        each of its files' answer.
        """
        place = self._places.get(real_dir)
        if place is None:
            settings = self.resolver.settings_for(real_dir)
            packset = self.resolver.packset_for(settings)
            waived = self.waivers.file_for(real_dir) is not None
            place = self._places[real_dir] = _Place(settings, packset, waived)
        return place

    def _context(
        self, settings: Settings, packset: PackSet, ignored: tuple[str, ...]
    ) -> LintContext:
        # NOTE: one context (and rule filter) per settings and ignores, not
        # per file: the engine caches its rule plan per filter, and workers
        # receive each context once.
        key = (id(settings), ignored)
        context = self._contexts.get(key)
        if context is None:
            context = LintContext(
                packset, settings.options(), settings.rule_filter(list(ignored))
            )
            self._contexts[key] = context
        return context


def make_plan(request: RunRequest, book: WaiverBook | None = None) -> Plan:
    """Resolve configuration, packs and waiver files for every file.

    Raises:
        ConfigError: a configuration or waiver file is invalid.
        PackError: a pack does not load.
    """
    resolver = ConfigResolver(
        request.settings, request.explicit, request.config, request.isolated
    )
    book = book or WaiverBook(request.waivers, request.isolated)
    plan = Plan(request, resolver, book)
    plan.resolve()
    check_cli_tokens(request.settings, request.explicit, plan.packsets)
    return plan


def load_packs_for(settings: Settings) -> PackSet:
    """The packs ``settings`` ask for (bundled, configured and ``--packs``)."""
    return packset_for(settings)


#: Most worker processes per core. Linting is CPU-bound: beyond the cores,
#: workers only add start-up time and memory (``-j 2000`` on 1,400 files
#: took 81 s instead of 1.5 s); twice the cores leaves room for reads that
#: wait on a slow disk.
JOBS_PER_CORE = 2


def worker_count(asked: int | None, files: int) -> int:
    """Workers for ``files`` files: ``-j`` (default one per core), capped.

    Never more than the files, nor than ``JOBS_PER_CORE`` per core.
    """
    from .parallel import default_jobs

    cores = default_jobs()
    return max(1, min(asked or cores, cores * JOBS_PER_CORE, files))


def _jobs_note(asked: int | None) -> str | None:
    """The stderr note when ``-j`` asks for more workers than the cap."""
    from .parallel import default_jobs

    cap = default_jobs() * JOBS_PER_CORE
    if asked is None or asked <= cap:
        return None
    return (
        f"disclosure-lint: note: -j {asked} lowered to {cap} "
        f"({JOBS_PER_CORE} per core; more would only slow the run down)\n"
    )


def iter_results(
    request: RunRequest, plan: Plan, needs: str = "document", stdin: bytes = b""
) -> Generator[tuple[Planned, FileResult, FixOutcome | None], None, None]:
    """Lint every planned file in path order (``-j`` workers), waive, fix.

    ``needs`` says what of each ``result.report`` the caller reads (see
    ``parallel``): ``meta``, ``document`` (default) or ``report``. With
    ``request.stdin``, ``stdin`` is what was read from standard input.
    """
    from .parallel import lint_in_order

    if plan.targets and needs == "meta":
        needs = "document"  # NOTE: waivers are matched against the text
    if request.fix or request.diff:
        needs = "report"  # NOTE: table cells guard fixes; fixing relints here
    jobs = worker_count(request.jobs, plan.count)
    # NOTE: a generator, closed below so that its workers stop with us.
    results = cast(
        Generator[tuple[Planned, FileResult], None, None],
        _lint_stdin(plan, stdin)
        if request.stdin
        else lint_in_order(plan.files, jobs, needs, plan.count),
    )
    try:
        for item, result in results:
            # NOTE: Ctrl-C is held back from here until the caller asks for
            # the next file, that is until this one is fixed and reported.
            with sigint_deferred():
                yield (item, *_after_lint(request, plan, item, result))
    finally:
        results.close()


def _lint_stdin(
    plan: Plan, data: bytes
) -> Generator[tuple[Planned, FileResult], None, None]:
    """Lint the draft read from standard input, in this process."""
    from .load import LoadError, stdin_document
    from .parallel import internal_error

    for item in plan.files:
        try:
            doc = stdin_document(item.path, data)
        except LoadError as exc:
            yield item, FileResult(item.path, error=str(exc))
            continue
        context = item.context
        try:
            result = lint_loaded(
                doc, context.packset, context.options, context.rule_filter, True
            )
        except Exception as exc:
            # NOTE: as parallel.lint_one: a bug is a one-line error.
            if os.environ.get("DISCLOSURE_LINT_DEBUG"):
                raise
            result = FileResult(item.path, error=internal_error(exc))
        yield item, result


def _after_lint(
    request: RunRequest, plan: Plan, item: Planned, result: FileResult
) -> tuple[FileResult, FixOutcome | None]:
    """Drop waived findings; apply (or only compute) the safe fixes."""
    doc = result.report.document if result.report is not None else None
    if result.error is not None or doc is None:
        return result, None

    def waive(findings: list[Finding], document: Document) -> list[Finding]:
        if item.real not in plan.targets:
            return findings  # NOTE: no waiver names the file (see Plan.targets)
        return plan.waivers.apply(
            item.path,
            findings,
            document,
            item.packset,
            item.rule_filter,
            item.settings.lang,
        )

    result.findings = waive(result.findings, doc)
    if not (request.fix or request.diff):
        return result, None
    from .fixes import FixError, fix_document, write_atomic

    def relint(document: Document) -> tuple[Report, list[Finding]]:
        options = item.settings.options()
        report, findings = lint_document(
            document, item.packset, options, item.rule_filter
        )
        return report, waive(findings, document)

    try:
        outcome = fix_document(doc, result.findings, relint, result.report)
    except Exception as exc:
        # NOTE: as in parallel.lint_one, a bug met while relinting a fixed
        # text is that file's error, not a traceback for the whole batch.
        from .parallel import internal_error

        if os.environ.get("DISCLOSURE_LINT_DEBUG"):
            raise
        return FileResult(result.path, result.findings, internal_error(exc)), None
    if outcome.changed and not request.diff:
        try:
            if request.stdin:
                outcome.document.encode()  # NOTE: ``run`` writes it to stdout
            else:
                write_atomic(item.path, outcome.document.encode(), doc.encode())
        except (FixError, UnicodeError) as exc:
            return FileResult(result.path, result.findings, f"not fixed: {exc}"), None
    result.findings = outcome.findings
    result.report = outcome.report
    return result, outcome


def run(request: RunRequest, out: TextIO, err: TextIO | None = None) -> int:
    """Lint, write the output and return the exit code."""
    err = err or sys.stderr
    try:
        plan = make_plan(request)
    except PackError as exc:
        err.write(f"disclosure-lint: error: pack: {exc}\n")
        return EXIT_ERROR
    except ConfigError as exc:
        err.write(f"disclosure-lint: error: {exc}\n")
        return EXIT_ERROR
    settings = plan.first
    data = b""
    if request.stdin:
        from .load import read_stdin

        try:
            data = read_stdin(sys.stdin.buffer)
        except OSError as exc:
            err.write(f"disclosure-lint: error: cannot read stdin: {exc.strerror}\n")
            return EXIT_ERROR
    # NOTE: as ruff: with --fix, stdout carries the fixed draft from stdin.
    source_out = sys.stdout if request.stdin and request.fix else None
    if source_out is not None and out is sys.stdout:
        out = err
    ctx = FormatContext(
        out=out,
        lang=plan.lang,
        color=request.color,
        show_source=request.show_source,
        statistics=request.statistics,
        packset=plan.packset,
        fail_on=settings.fail_on,
        quiet=request.quiet,
    )
    note = _jobs_note(request.jobs)
    if note is not None and plan.count > 1 and not request.quiet:
        err.write(note)
    formatter = get_formatter(request.format, ctx)
    report_findings = not request.diff
    summary = Summary()
    worst = EXIT_OK
    needs = "meta"
    if formatter.needs_report:
        needs = "report"
    elif formatter.needs_document:
        needs = "document"
    results = iter_results(request, plan, needs, data)
    try:
        for item, result, outcome in results:
            threshold = item.settings.fail_on.rank
            if result.error is not None:
                err.write(f"{escape_path(result.path)}: error: {result.error}\n")
                worst = EXIT_ERROR
            elif worst == EXIT_OK and any(
                f.severity.rank >= threshold for f in result.findings
            ):
                worst = EXIT_FINDINGS
            if outcome is not None and outcome.changed:
                summary.fixed += outcome.fixed
                if request.diff:
                    from .fixes import unified_diff

                    out.write(
                        unified_diff(
                            escape_path(result.path),
                            outcome.original,
                            outcome.document,
                        )
                    )
            summary.add(result)
            if report_findings:
                formatter.file(result)
            if source_out is not None:
                _write_source(source_out, outcome, data)
            result.report = None  # NOTE: free the document before the next file
    except KeyboardInterrupt:
        # NOTE: stop the workers first, then close the output so that it is
        # complete (valid JSON, SARIF...) for the files done so far, and says
        # that it is partial; a second Ctrl-C waits for that.
        results.close()
        summary.partial = True
        with sigint_deferred():
            if report_findings:
                formatter.finish(summary)
            else:
                err.write(_diff_closing(summary, plan.lang))
            err.write(f"disclosure-lint: interrupted after {summary.files} file(s)\n")
        return EXIT_INTERRUPTED
    finally:
        results.close()
    if summary.files == 0:
        formatter.finish(summary)
        err.write("disclosure-lint: error: no .txt or .md files found\n")
        return EXIT_ERROR
    for extra in plan.waivers.leftovers(settings.rule_filter(), settings.lang):
        # NOTE: WV001/WV002 point into the waiver file, after every draft.
        if worst == EXIT_OK and any(
            f.severity.rank >= settings.fail_on.rank for f in extra.findings
        ):
            worst = EXIT_FINDINGS
        summary.add(extra)
        if report_findings:
            formatter.file(extra)
    if report_findings:
        formatter.finish(summary)
    elif not request.quiet:
        err.write(_diff_closing(summary, plan.lang))
    return worst


def _write_source(out: TextIO, outcome: FixOutcome | None, data: bytes) -> None:
    """Write the fixed draft from stdin, else the draft as it came, to ``out``.

    NOTE: ``disclosure-lint --fix - <a >b`` must never leave ``b`` short:
    a draft that could not be read or fixed is passed through whole (past
    the size limit too, from what is still unread).
    """
    fixed, encoding = data, "utf-8"
    if outcome is not None and outcome.changed:
        fixed, encoding = outcome.document.encode(), outcome.document.encoding
    sink = getattr(out, "buffer", None)
    if sink is None:  # NOTE: an in-process caller's text stream
        out.write(fixed.decode(encoding, "surrogateescape"))
        return
    out.flush()
    sink.write(fixed)
    if outcome is None:
        import shutil

        shutil.copyfileobj(sys.stdin.buffer, sink)
    sink.flush()


def _diff_closing(summary: Summary, lang: str) -> str:
    """The stderr line after ``--diff``."""
    if lang == "en":
        if not summary.fixed:
            text = "No safe fix to apply."
        else:
            text = f"Would fix {summary.fixed} problem(s); run with --fix to apply."
        if summary.partial:
            text += f" (Interrupted: {summary.files} file(s) checked only.)"
        return text + "\n"
    if not summary.fixed:
        text = "没有可自动修复的问题。"
    else:
        text = f"可自动修复 {summary.fixed} 个问题；加 --fix 写入文件。"
    if summary.partial:
        text += f"（检查被中断：只检查了 {summary.files} 个文件。）"
    return text + "\n"
