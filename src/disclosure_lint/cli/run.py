"""One lint run: packs, files, formatter, exit code. The CLI only calls this.

Each file gets the settings of its own configuration file (``config``); files
are linted (``-j`` workers, see ``engine.parallel``) and reported in path order,
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
from collections.abc import Generator
from typing import TYPE_CHECKING, TextIO, cast

from ..document.paths import escape_path
from ..engine.lint import FileResult, lint_document, lint_loaded
from ..engine.worker import sigint_deferred
from ..formatters import FormatContext, Summary, get_formatter
from .pairing import load_previous, paired_again, paired_results, with_previous
from .plan import Plan, Planned, RunRequest, plan_or_report

if TYPE_CHECKING:
    from ..document.findings import Finding
    from ..document.text import Document
    from ..engine.fixes import FixOutcome
    from ..engine.pairs import Digest
    from ..kinds.report import Report

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
#: The error when the paths given hold no draft.
NO_DRAFTS = "no drafts found (.txt, .md, .docx, .html, .htm or .pdf)"


#: Most worker processes per core. Linting is CPU-bound: beyond the cores,
#: workers only add start-up time and memory (``-j 2000`` on 1,400 files
#: took 81 s instead of 1.5 s); twice the cores leaves room for reads that
#: wait on a slow disk.
JOBS_PER_CORE = 2


def worker_count(asked: int | None, files: int) -> int:
    """Workers for ``files`` files: ``-j`` (default one per core), capped.

    Never more than the files, nor than ``JOBS_PER_CORE`` per core.
    """
    from ..engine.parallel import default_jobs

    cores = default_jobs()
    return max(1, min(asked or cores, cores * JOBS_PER_CORE, files))


def _jobs_note(asked: int | None) -> str | None:
    """The stderr note when ``-j`` asks for more workers than the cap."""
    from ..engine.parallel import default_jobs

    cap = default_jobs() * JOBS_PER_CORE
    if asked is None or asked <= cap:
        return None
    return (
        f"disclosure-lint: note: -j {asked} lowered to {cap} "
        f"({JOBS_PER_CORE} per core; more would only slow the run down)\n"
    )


def iter_results(
    request: RunRequest,
    plan: Plan,
    needs: str = "document",
    stdin: bytes = b"",
    previous: Digest | None = None,
    err: TextIO | None = None,
) -> Generator[tuple[Planned, FileResult, FixOutcome | None], None, None]:
    """Lint every planned file in path order (``-j`` workers), pair, waive, fix.

    ``needs`` says what of each ``result.report`` the caller reads (see
    ``parallel``): ``meta``, ``document`` (default), ``tables`` or ``report``. With
    ``request.stdin``, ``stdin`` is what was read from standard input.
    ``previous`` is the digest of ``--previous`` (``cli.pairing``), which
    notes on ``err`` when it is not last year's report.
    """
    from ..engine.parallel import add_grids, lint_in_order

    grids = needs == "tables"
    if (plan.targets or request.annotate) and needs == "meta":
        needs = "document"  # NOTE: waivers are matched against the text
    if request.fix or request.diff:
        needs = "report"  # NOTE: table cells guard fixes; fixing relints here
    jobs = worker_count(request.jobs, plan.count)
    # NOTE: a generator, closed below so that its workers stop with us.
    pairing = request.pairing and plan.count > 1 and not request.stdin
    results = cast(
        Generator[tuple[Planned, FileResult], None, None],
        _lint_stdin(plan, stdin, previous is not None)
        if request.stdin
        else paired_results(plan, jobs, needs)
        if pairing
        else lint_in_order(plan.files, jobs, needs, plan.count, previous is not None),
    )
    if previous is not None:
        results = with_previous(results, previous, err or sys.stderr)
    try:
        for item, result in results:
            # NOTE: Ctrl-C is held back from here until the caller asks for
            # the next file, that is until this one is fixed and reported.
            with sigint_deferred():
                if grids:  # NOTE: read here (stdin, --fix), not by a worker
                    add_grids(result, item.context)
                yield (item, *_after_lint(request, plan, item, result))
    finally:
        results.close()


def _lint_stdin(
    plan: Plan, data: bytes, digests: bool = False
) -> Generator[tuple[Planned, FileResult], None, None]:
    """Lint the draft read from standard input, in this process."""
    from ..engine.worker import add_digest, internal_error
    from ..inputs.errors import LoadError
    from ..inputs.load import stdin_document

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
            # NOTE: as worker.lint_one: a bug is a one-line error.
            if os.environ.get("DISCLOSURE_LINT_DEBUG"):
                raise
            result = FileResult(item.path, error=internal_error(exc))
        if digests:
            add_digest(result)
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
    if request.annotate is not None:
        from .word import WordError, annotate

        try:
            annotate(
                item.path, request.annotate, result.findings, doc, item.settings.lang
            )
        except WordError as exc:
            return FileResult(
                result.path, result.findings, f"not annotated: {exc}"
            ), None
    if not (request.fix or request.diff):
        return result, None
    from ..engine.fixes import FixError, fix_document, fix_refusal, write_atomic

    refusal = fix_refusal(doc.form, doc.source)
    if refusal is not None:
        if not any(f.fix is not None and f.fix.safe for f in result.findings):
            return result, None  # NOTE: nothing to fix, nothing refused
        # NOTE: that file's error (exit 2), its findings still reported; the
        # rest of the batch is fixed.
        return FileResult(result.path, result.findings, refusal), None

    def relint(document: Document) -> tuple[Report, list[Finding]]:
        options = item.settings.options()
        report, findings = lint_document(
            document, item.packset, options, item.rule_filter
        )
        findings = paired_again(report, findings, result.previous, item)
        return report, waive(findings, document)

    save = None
    try:
        if doc.form == "docx":
            from .word import fix_word

            outcome, save = fix_word(
                item.path, doc, result.findings, relint, result.report, request.stdin
            )
        else:
            outcome = fix_document(doc, result.findings, relint, result.report)
    except FixError as exc:
        return FileResult(result.path, result.findings, f"not fixed: {exc}"), None
    except Exception as exc:
        # NOTE: as in worker.lint_one, a bug met while relinting a fixed
        # text is that file's error, not a traceback for the whole batch.
        from ..engine.worker import internal_error

        if os.environ.get("DISCLOSURE_LINT_DEBUG"):
            raise
        return FileResult(result.path, result.findings, internal_error(exc)), None
    if outcome.changed and not request.diff:
        try:
            if save is not None:
                save()  # NOTE: a Word document: its package, as tracked changes
            elif request.stdin:
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
    plan = plan_or_report(request, err)
    if plan is None:
        return EXIT_ERROR
    settings = plan.first
    previous = None
    if request.previous is not None:
        previous, problem = load_previous(request.previous, plan)
        if problem is not None:
            err.write(f"disclosure-lint: error: {problem}\n")
            return EXIT_ERROR
    data = b""
    if request.stdin:
        from ..inputs.load import read_stdin

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
    elif formatter.needs_tables:
        needs = "tables"
    elif formatter.needs_document:
        needs = "document"
    results = iter_results(
        request,
        plan,
        needs,
        data,
        previous,
        err,
    )
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
                    from ..engine.fixes import unified_diff

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
        err.write(f"disclosure-lint: error: {NO_DRAFTS}\n")
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


#: The stderr line after ``--diff``: no fix, some fixes, and what an
#: interrupted run adds.
_DIFF_CLOSING = {
    "zh": (
        "没有可自动修复的问题。",
        "可自动修复 {fixed} 个问题；加 --fix 写入文件。",
        "（检查被中断：只检查了 {files} 个文件。）",
    ),
    "en": (
        "No safe fix to apply.",
        "Would fix {fixed} problem(s); run with --fix to apply.",
        " (Interrupted: {files} file(s) checked only.)",
    ),
}


def _diff_closing(summary: Summary, lang: str) -> str:
    """The stderr line after ``--diff``."""
    none, some, partial = _DIFF_CLOSING["en" if lang == "en" else "zh"]
    text = (some if summary.fixed else none).format(fixed=summary.fixed)
    if summary.partial:
        text += partial.format(files=summary.files)
    return text + "\n"
