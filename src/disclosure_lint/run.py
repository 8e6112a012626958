"""One lint run: packs, files, formatter, exit code. The CLI only calls this."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from .engine import FileResult, lint_paths
from .formatters import FormatContext, Summary, get_formatter
from .load import expand_paths
from .packs import PackError, PackSet, bundled_rules_dir, load_packset
from .settings import Settings

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


@dataclass(slots=True)
class RunRequest:
    """What the user asked for on the command line."""

    paths: list[str]
    settings: Settings
    format: str = "text"
    color: bool = False
    show_source: bool = False
    statistics: bool = False


def load_packs_for(settings: Settings) -> PackSet:
    """The bundled packs plus any local pack directories."""
    roots = [bundled_rules_dir(), *settings.packs]
    return load_packset(roots)


def iter_results(request: RunRequest, packset: PackSet) -> Iterator[FileResult]:
    """Lint every file the request names, in path order."""
    settings = request.settings
    files = expand_paths(request.paths)
    yield from lint_paths(
        files,
        packset,
        settings.options(),
        settings.rule_filter(),
        keep_report=True,
    )


def run(request: RunRequest, out: TextIO, err: TextIO | None = None) -> int:
    """Lint, write the output and return the exit code."""
    err = err or sys.stderr
    try:
        packset = load_packs_for(request.settings)
    except PackError as exc:
        err.write(f"disclosure-lint: error: pack: {exc}\n")
        return EXIT_ERROR
    ctx = FormatContext(
        out=out,
        lang=request.settings.lang,
        color=request.color,
        show_source=request.show_source,
        statistics=request.statistics,
        packset=packset,
    )
    formatter = get_formatter(request.format, ctx)
    summary = Summary()
    worst = EXIT_OK
    threshold = request.settings.fail_on.rank
    for result in iter_results(request, packset):
        if result.error is not None:
            err.write(f"{result.path}: error: {result.error}\n")
            worst = EXIT_ERROR
        elif worst == EXIT_OK and any(
            f.severity.rank >= threshold for f in result.findings
        ):
            worst = EXIT_FINDINGS
        summary.add(result)
        formatter.file(result)
        result.report = None  # NOTE: free the document before the next file
    formatter.finish(summary)
    if summary.files == 0:
        err.write("disclosure-lint: error: no .txt or .md files found\n")
        return EXIT_ERROR
    return worst
