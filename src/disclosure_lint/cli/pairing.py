"""Year over year in a check run: a batch's two passes, and ``--previous``.

In a batch of two drafts or more (unless ``--no-pairing``), this year's
draft is paired with last year's report of the same issuer when the batch
holds it, wherever it stands in path order. So the batch is read in two
passes over its results, never over its files:

1. every file is linted as in any run (``-j`` workers, in path order), each
   result also carrying its ``Digest``; the result and the digest go to an
   unnamed temporary file (``engine.series.Spool``) and only a ``Placed``
   (index, issuer key, year) and the offsets stay in memory;
2. the series are found (``engine.series.find_series``), then the results
   are read back in path order; a draft with last year's report in the
   batch gets the pair's findings (``engine.pairs.pair_findings``, with its
   own rule filter and options) before waivers, fixes and the report.

A Ctrl-C in pass 1 stops the linting; pass 2 then reports the files linted
so far (paired among themselves) and the run ends as interrupted. With
``--fix`` or ``--diff`` the results hold the whole report (table cells guard
the fixes), which is not spooled: pass 2 lints each file again.

``--previous FILE`` names last year's report of a single draft: it is
linted (its findings are not reported) only for its digest.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any, TextIO, cast

from ..engine.lint import FileResult

if TYPE_CHECKING:
    from ..document.findings import Finding
    from ..engine.pairs import Digest
    from ..kinds.report import Report
    from .plan import Plan, Planned

_Results = Generator[tuple["Planned", FileResult], None, None]


def paired_results(plan: Plan, jobs: int, needs: str) -> _Results:
    """Every planned file's result in path order, with its pair's findings."""
    from ..engine.parallel import lint_in_order
    from ..engine.series import Placed, Spool, find_series
    from ..engine.worker import encode

    spool = Spool()
    # NOTE: per file, only this: its plan record (shared settings), where
    # its result and digest are in the spool, and its place in a series.
    entries: list[tuple[Planned, int, int | None]] = []
    placed: list[Placed] = []
    interrupted = False
    results = cast(
        Generator[tuple["Planned", FileResult], None, None],
        lint_in_order(plan.files, jobs, needs, plan.count, digests=True),
    )
    try:
        for item, result in results:
            digest, result.digest = result.digest, None
            offset = spool.put(
                None if needs == "report" else encode(result, needs, item.context)
            )
            at = None if digest is None else spool.put(digest)
            entries.append((item, offset, at))
            placed.append(_placed(len(placed), item.path, digest))
    except KeyboardInterrupt:
        interrupted = True  # NOTE: report what was linted, then stop
    finally:
        results.close()
    try:
        pairs = find_series(placed).pairs
        del placed
        for index, (item, offset, at) in enumerate(entries):
            result = _result(item, spool, offset, needs)
            last = pairs.get(index)
            if last is not None and at is not None and item.settings.pairing:
                previous = entries[last][2]
                if previous is not None:
                    add_pair_findings(result, spool.get(at), spool.get(previous), item)
            yield item, result
    finally:
        spool.close()
    if interrupted:
        raise KeyboardInterrupt


def add_pair_findings(
    result: FileResult, current: Digest, previous: Digest, item: Planned
) -> None:
    """Add the findings of this year's draft against last year's report.

    NOTE: as in ``worker.lint_one``, a bug in a pair rule is that file's
    one-line error, not a traceback for the whole batch.
    """
    from ..engine.worker import internal_error

    report = result.report
    if result.error is not None or report is None:
        return
    result.previous = previous
    try:
        result.findings = paired_again(report, result.findings, previous, item, current)
    except Exception as exc:
        if os.environ.get("DISCLOSURE_LINT_DEBUG"):
            raise
        result.findings, result.error = [], internal_error(exc)


def paired_again(
    report: Report,
    findings: list[Finding],
    previous: Digest | None,
    item: Planned,
    current: Digest | None = None,
) -> list[Finding]:
    """``findings`` and the pair's findings on ``report`` (``current``'s).

    Also called on a draft relinted after ``--fix``, whose digest is built
    again from the fixed text (``current`` None).
    """
    from ..engine.pairs import build_digest, pair_findings

    if previous is None:
        return findings
    current = current or build_digest(report)
    context = item.context
    found = pair_findings(
        current, previous, report.pack, context.rule_filter, context.options
    )
    if not found:
        return findings
    return sorted([*findings, *found], key=lambda f: f.sort_key)


def _placed(index: int, path: str, digest: Digest | None) -> Any:
    from ..engine.series import Placed

    if digest is None:
        return Placed(index, path, None, None, None)
    return Placed(index, path, digest.issuer, digest.issuer_key, digest.year)


def _result(item: Planned, spool: Any, offset: int, needs: str) -> FileResult:
    """The result of ``item`` back from the spool (linted again for a fix)."""
    from ..engine.worker import decode, lint_one

    if needs == "report":
        return lint_one(item.path, item.context, keep_report=True)
    return decode(item.path, item.context, spool.get(offset))


def load_previous(path: str, plan: Plan) -> tuple[Digest | None, str | None]:
    """``--previous``: the digest of last year's report, or why there is none.

    It is linted with the one draft's settings; its findings are dropped.
    """
    from ..engine.worker import add_digest, lint_one

    if plan.count != 1:
        return None, "--previous gives last year's report of one draft; name one"
    item = next(iter(plan.files))
    result = lint_one(path, item.context, keep_report=True)
    add_digest(result)
    if result.error is not None:
        return None, f"--previous {path}: {result.error}"
    return result.digest, None


def with_previous(
    results: Iterator[tuple[Planned, FileResult]],
    previous: Digest,
    err: TextIO,
) -> _Results:
    """The single draft's result, paired with ``previous`` if it fits.

    NOTE: an explicit ``--previous`` is trusted as the same issuer (a body
    may be renamed; a differing title is noted), but not for the year: last
    year's findings against a report two years back would be false.
    """
    for item, result in results:
        current, result.digest = result.digest, None
        if current is not None and item.settings.pairing:
            problem = _mismatch(current, previous)
            if problem is None:
                add_pair_findings(result, current, previous, item)
            else:
                err.write(f"disclosure-lint: {problem}\n")
            if (
                problem is None
                and current.issuer_key
                and previous.issuer_key
                and current.issuer_key != previous.issuer_key
            ):
                err.write(
                    f"disclosure-lint: note: --previous {previous.path} names "
                    f"{previous.issuer}, not {current.issuer}; paired as given\n"
                )
        yield item, result


def _mismatch(current: Digest, previous: Digest) -> str | None:
    """Why ``previous`` is not last year's report of ``current``, if it is not."""
    if current.year is None or previous.year is None:
        return (
            f"warning: --previous {previous.path}: the report year of "
            f"{'the draft' if current.year is None else previous.path} "
            "is unknown; not paired"
        )
    if previous.year != current.year - 1:
        return (
            f"warning: --previous {previous.path} is the {previous.year} report, "
            f"not {current.year - 1} (the year before {current.path}'s "
            f"{current.year}); not paired"
        )
    return None
