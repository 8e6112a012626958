"""The ``check`` command without the CLI framework: option values → one run.

``cli.check`` (typer) parses the command line and calls ``check_request`` and
``run_check``. ``__main__`` calls them directly when the command line is
plain, ``disclosure-lint [check] [--fix] FILE...``, which is how the
pre-commit hooks run the tool: typer and click then stay unimported, which
saves about 40 ms of a 160 ms cold start (importing them and building the
command from the function signatures). ``plain_check`` decides that; the tests pin that
both ways give the same request and the same output.

This module imports nothing heavy at the top: ``__main__`` imports it to ask
``plain_check`` on every start.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..document.findings import Severity
    from .plan import RunRequest

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
# NOTE: click's status when stdout is a closed pipe (`disclosure-lint ... | head`).
EXIT_BROKEN_PIPE = 1

# The subcommands of ``cli.app``; a first word naming one of them is not a
# draft (tests/test_cli.py checks that this matches the typer app).
COMMANDS = frozenset(
    (
        "check",
        "rules",
        "explain",
        "validate-packs",
        "extract",
        "render",
        "config",
        "docs",
        "waive",
        "series",
    )
)
# The one option the plain path understands: the fixing pre-commit hook's.
FIX_FLAG = "--fix"
# NOTE: ``load.STDIN``; not imported from there: this module stays light.
STDIN = "-"
# Formats ``--diff`` may go with: a diff is plain lines, which a structured
# report (JSON, SARIF, JUnit XML, HTML) cannot hold.
DIFF_FORMATS = ("text", "github")
# NOTE: set by a shell asking click for completions; click must answer it.
COMPLETION_VARIABLE = "_DISCLOSURE_LINT_COMPLETE"


class CheckUsageError(Exception):
    """A bad option value; the message is one line (exit 2)."""


def plain_check(args: list[str]) -> tuple[list[str], bool] | None:
    """``(paths, fix)`` if ``args`` mean ``check`` with no option but ``--fix``.

    ``None`` sends the command line to typer: any other option (or ``--``,
    ``-`` or ``--help``), a first word naming a subcommand other than
    ``check``, no path at all, or a shell completion request.
    """
    if COMPLETION_VARIABLE in os.environ or not args:
        return None
    # NOTE: the routing of ``cli.DefaultCheckGroup``: a first word that is no
    # subcommand is the first path.
    if args[0] == "check":
        words = args[1:]
    elif args[0] in COMMANDS:
        return None
    else:
        words = args
    paths = [w for w in words if w != FIX_FLAG]
    if not paths or any(p.startswith("-") for p in paths):
        return None
    return paths, len(paths) < len(words)


def check_request(
    paths: list[str],
    *,
    output_format: str = "text",
    output: Path | None = None,
    lang: str | None = None,
    fail_on: Severity | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    year: int | None = None,
    edition: str | None = None,
    publication_deadline: str | None = None,
    packs: list[Path] | None = None,
    statistics: bool = False,
    color: str = "auto",
    show_source: bool | None = None,
    jobs: int | None = None,
    config: Path | None = None,
    isolated: bool = False,
    waivers: Path | None = None,
    fix: bool = False,
    diff: bool = False,
    stdin_filename: str | None = None,
    quiet: bool = False,
    annotate: Path | None = None,
    previous: Path | None = None,
    no_pairing: bool = False,
) -> RunRequest:
    """The run that ``check``'s option values ask for.

    The defaults are those of ``cli.check`` (tests/test_cli.py pins that).
    ``output`` only decides whether stdout is the report (colour, source).

    Raises:
        CheckUsageError: an unknown format, a bad value, exclusive options.
    """
    from ..config.settings import Settings, SettingsError, split_list
    from ..document.findings import Severity
    from ..formatters import FORMATS
    from .plan import RunRequest

    if output_format not in FORMATS:
        raise CheckUsageError(
            f"unknown format '{output_format}' (choose from {', '.join(FORMATS)})"
        )
    given = {
        "lang": lang,
        "fail_on": fail_on,
        "select": select,
        "ignore": ignore,
        "year": year,
        "edition": edition,
        "publication_deadline": publication_deadline,
        "pairing": False if no_pairing else None,
    }
    settings = Settings(
        lang=lang or "zh",
        fail_on=fail_on or Severity.ERROR,
        select=split_list(select),
        ignore=split_list(ignore),
        year=year,
        edition=edition,
        publication_deadline=publication_deadline,
        pairing=not no_pairing,
        packs=list(packs or []),
    )
    try:
        settings.validate()
    except SettingsError as exc:
        raise CheckUsageError(str(exc)) from None
    if config is not None and isolated:
        raise CheckUsageError("--config and --isolated exclude each other")
    stdin = _reads_stdin(paths, stdin_filename)
    if stdin:
        paths = [stdin_filename or STDIN]
    if diff and output_format not in DIFF_FORMATS:
        raise CheckUsageError(
            f"--diff prints a unified diff, which a {output_format} report cannot "
            f"hold; use --format {' or '.join(DIFF_FORMATS)}"
        )
    if annotate is not None:
        from .word import WordError, check_annotate

        try:
            check_annotate(paths, annotate, output, fix=fix, diff=diff, stdin=stdin)
        except WordError as exc:
            raise CheckUsageError(str(exc)) from None
    if previous is not None and no_pairing:
        raise CheckUsageError("--previous and --no-pairing exclude each other")
    tty = output is None and sys.stdout.isatty()
    use_color = color == "always" or (
        color == "auto" and tty and "NO_COLOR" not in os.environ
    )
    return RunRequest(
        paths=paths,
        settings=settings,
        format=output_format,
        color=use_color,
        show_source=tty if show_source is None else show_source,
        statistics=statistics,
        jobs=jobs,
        # NOTE: only options the user gave override a configuration file.
        explicit=tuple(name for name, value in given.items() if value is not None),
        config=config,
        isolated=isolated,
        waivers=waivers,
        fix=fix,
        diff=diff,
        stdin=stdin,
        quiet=quiet,
        annotate=annotate,
        previous=None if previous is None else str(previous),
        pairing=not no_pairing,
    )


def _reads_stdin(paths: list[str], stdin_filename: str | None) -> bool:
    """Whether the draft is standard input: ``-`` alone or ``--stdin-filename``.

    Raises:
        CheckUsageError: no path, or standard input and files together.
    """
    if stdin_filename is not None:
        if not stdin_filename.strip():
            raise CheckUsageError("--stdin-filename needs a file name")
        others = [p for p in paths if p != STDIN]
        if others:
            raise CheckUsageError(
                f"--stdin-filename reads the draft from standard input; "
                f"'{others[0]}' cannot be checked with it"
            )
        return True
    if STDIN in paths and len(paths) > 1:
        raise CheckUsageError(
            "`-` (standard input) cannot be combined with other paths"
        )
    if not paths:
        raise CheckUsageError(
            "no path given: name drafts or directories, or `-` for standard input"
        )
    return paths == [STDIN]


def run_check(request: RunRequest, output: Path | None) -> int:
    """Run ``request``, the report to ``output`` or stdout; the exit code."""
    from .run import run

    try:
        if output is not None:
            from .output import run_to_file

            return run_to_file(request, output, sys.stderr)
        return run(request, sys.stdout)
    except KeyboardInterrupt:
        # NOTE: Ctrl-C before the first result (files being listed, packs
        # loading); an interrupt during linting is reported by ``run``.
        sys.stderr.write("disclosure-lint: interrupted\n")
        return EXIT_INTERRUPTED


def main_plain(paths: list[str], fix: bool) -> int:
    """``disclosure-lint [check] [--fix] FILE...`` as typer would run it."""
    try:
        request = check_request(paths, fix=fix)
    except CheckUsageError as exc:
        sys.stderr.write(f"disclosure-lint: error: {exc}\n")
        return EXIT_ERROR
    try:
        return run_check(request, None)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        # NOTE: like click: the reader went away; exit 1 without a traceback
        # (and without another EPIPE when Python flushes stdout at exit).
        _silence(sys.stdout)
        return EXIT_BROKEN_PIPE


def _silence(stream: TextIO) -> None:
    """Point ``stream``'s file descriptor at /dev/null."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
