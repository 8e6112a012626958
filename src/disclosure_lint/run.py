"""One lint run: packs, files, formatter, exit code. The CLI only calls this.

Each file gets the settings of its own configuration file (``config``); files
are still linted and reported in path order, each run of consecutive files
with the same settings going to the (parallel) linter together. Waivers then
drop accepted findings, and ``--fix`` / ``--diff`` apply the safe fixes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from .config import ConfigError, ConfigResolver, ignores_for, packset_for
from .engine import FileResult, RuleFilter, lint_document
from .formatters import FormatContext, Summary, get_formatter
from .load import expand_paths
from .packs import PackError, PackSet
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


@dataclass(slots=True)
class Planned:
    """One file with the settings, packs and rule filter that apply to it."""

    path: str
    settings: Settings
    packset: PackSet
    rule_filter: RuleFilter
    ignored: tuple[str, ...]


@dataclass(slots=True)
class Plan:
    """Every file's settings, resolved before any output.

    NOTE: a bad configuration or waiver file stops the run (exit 2) before
    anything is printed, rather than half-way through a report.
    """

    files: list[Planned]
    first: Settings
    packset: PackSet
    waivers: WaiverBook
    has_waivers: bool = False


def load_packs_for(settings: Settings) -> PackSet:
    """The packs ``settings`` ask for (bundled, configured and ``--packs``)."""
    return packset_for(settings)


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
    files: list[Planned] = []
    has_waivers = False
    # NOTE: one RuleFilter per (settings, ignores), not per file: a batch of
    # 100,000 drafts keeps its plan in memory.
    filters: dict[tuple[int, tuple[str, ...]], RuleFilter] = {}
    for path in expand_paths(request.paths):
        settings = resolver.settings_for(path)
        ignored = tuple(ignores_for(settings, path))
        rule_filter = filters.get((id(settings), ignored))
        if rule_filter is None:
            rule_filter = settings.rule_filter(list(ignored))
            filters[(id(settings), ignored)] = rule_filter
        packset = resolver.packset_for(settings)
        files.append(Planned(path, settings, packset, rule_filter, ignored))
        has_waivers = book.file_for(path) is not None or has_waivers
    first = files[0].settings if files else resolver.settings_for(".")
    packset = files[0].packset if files else resolver.packset_for(first)
    return Plan(files, first, packset, book, has_waivers)


def iter_results(
    request: RunRequest, plan: Plan, needs: str = "document"
) -> Generator[tuple[Planned, FileResult, FixOutcome | None], None, None]:
    """Lint every planned file in path order (``-j`` workers), waive, fix.

    ``needs`` says what of each ``result.report`` the caller reads (see
    ``parallel``): ``meta``, ``document`` (default) or ``report``.
    """
    from .parallel import default_jobs, iter_file_results

    if plan.has_waivers and needs == "meta":
        needs = "document"  # NOTE: waivers are matched against the text
    if request.fix or request.diff:
        needs = "report"  # NOTE: table cells guard fixes; fixing relints here
    for _, group in groupby(plan.files, key=lambda p: (id(p.settings), p.ignored)):
        planned = list(group)
        head = planned[0]
        # NOTE: a generator, closed below so that its workers stop with us.
        results = cast(
            Generator[FileResult, None, None],
            iter_file_results(
                [p.path for p in planned],
                head.packset,
                head.settings.options(),
                head.rule_filter,
                jobs=request.jobs or default_jobs(),
                needs=needs,
            ),
        )
        try:
            for item, result in zip(planned, results, strict=True):
                yield (item, *_after_lint(request, plan, item, result))
        finally:
            results.close()


def _after_lint(
    request: RunRequest, plan: Plan, item: Planned, result: FileResult
) -> tuple[FileResult, FixOutcome | None]:
    """Drop waived findings; apply (or only compute) the safe fixes."""
    doc = result.report.document if result.report is not None else None
    if result.error is not None or doc is None:
        return result, None

    def waive(findings: list[Finding], document: Document) -> list[Finding]:
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
    ctx = FormatContext(
        out=out,
        lang=settings.lang,
        color=request.color,
        show_source=request.show_source,
        statistics=request.statistics,
        packset=plan.packset,
        fail_on=settings.fail_on,
    )
    formatter = get_formatter(request.format, ctx)
    report_findings = not request.diff
    summary = Summary()
    worst = EXIT_OK
    needs = "meta"
    if formatter.needs_report:
        needs = "report"
    elif formatter.needs_document:
        needs = "document"
    results = iter_results(request, plan, needs)
    try:
        for item, result, outcome in results:
            threshold = item.settings.fail_on.rank
            if result.error is not None:
                err.write(f"{result.path}: error: {result.error}\n")
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
                        unified_diff(result.path, outcome.original, outcome.document)
                    )
            summary.add(result)
            if report_findings:
                formatter.file(result)
            result.report = None  # NOTE: free the document before the next file
    except KeyboardInterrupt:
        # NOTE: stop the workers first, then close the output so that it is
        # complete (valid JSON, SARIF...) for the files done so far.
        results.close()
        formatter.finish(summary)
        err.write(f"disclosure-lint: interrupted after {summary.files} file(s)\n")
        return EXIT_INTERRUPTED
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
    else:
        err.write(_diff_closing(summary, settings.lang))
    return worst


def _diff_closing(summary: Summary, lang: str) -> str:
    """The stderr line after ``--diff``."""
    if lang == "en":
        if not summary.fixed:
            return "No safe fix to apply.\n"
        return f"Would fix {summary.fixed} problem(s); run with --fix to apply.\n"
    if not summary.fixed:
        return "没有可自动修复的问题。\n"
    return f"可自动修复 {summary.fixed} 个问题；加 --fix 写入文件。\n"
