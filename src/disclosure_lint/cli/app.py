"""Command line: parse options, build settings, call ``run``, return the code.

``disclosure-lint FILE...`` is short for ``disclosure-lint check FILE...``.
What ``check`` does with its options is in ``check.py``, which ``__main__``
also calls directly for the plain ``disclosure-lint [check] [--fix] FILE...``.
"""

# NOTE: no ``from __future__ import annotations``: typer reads the options
# from the annotations, and as strings it evals (compiles) every one of them
# on each start, ~10 ms more than evaluating them here once.
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ..document.findings import Severity
from ..version import __version__
from . import commands
from .options import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EditionOption,
    PacksOption,
    YearOption,
    _fail,
)


class DefaultCheckGroup(TyperGroup):
    """Route ``disclosure-lint PATH`` to the ``check`` command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Insert ``check`` unless the first word names a command."""
        first = next((a for a in args if a not in ("--help", "-h", "--version")), None)
        if args and first is not None and first not in self.commands:
            args = ["check", *args]
        return list(super().parse_args(ctx, args))


app = typer.Typer(
    cls=DefaultCheckGroup,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Lint 政府信息公开工作年度报告 drafts: `disclosure-lint FILE...`.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"disclosure-lint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Lint 政府信息公开工作年度报告 drafts."""


@app.command()
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Drafts (.txt, .md, .docx, .html, .pdf) or directories; `-` for "
            "standard input."
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="text, json, sarif (code scanning), github (Actions "
            "annotations), junit (CI test reports) or html (a page for editors).",
        ),
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to this file (atomically) instead of stdout.",
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="Message language: zh or en (default zh).")
    ] = None,
    fail_on: Annotated[
        Severity | None,
        typer.Option(
            help="Lowest severity that makes the exit code 1 (default error)."
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(help="Only these rules: ids, id prefixes, names or categories."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(help="Skip these rules (same forms as --select)."),
    ] = None,
    year: YearOption = None,
    edition: EditionOption = None,
    publication_deadline: Annotated[
        str | None,
        typer.Option(help="Deadline: MM-DD of the next year, or YYYY-MM-DD."),
    ] = None,
    packs: PacksOption = None,
    statistics: Annotated[bool, typer.Option(help="Count findings per rule.")] = False,
    color: Annotated[
        str, typer.Option(help="auto, always or never (NO_COLOR is honoured).")
    ] = "auto",
    show_source: Annotated[
        bool | None,
        typer.Option(
            "--show-source/--no-show-source",
            help="Print the source line under each finding (default: on a terminal).",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes (default: one per core; 1: no workers; "
            "at most two per core and one per file).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Use this configuration file (.yaml or pyproject.toml) for every "
            "draft instead of the nearest one.",
        ),
    ] = None,
    isolated: Annotated[
        bool,
        typer.Option(help="Ignore every configuration and found waiver file."),
    ] = False,
    waivers: Annotated[
        Path | None,
        typer.Option("--waivers", help="Use this waiver file for every draft."),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the safe fixes ([*]) to the files.")
    ] = False,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Print the safe fixes as a diff; change nothing."),
    ] = False,
    stdin_filename: Annotated[
        str | None,
        typer.Option(
            help="Read the draft from standard input under this name (for the "
            "output and to find its configuration); with --fix, write the fixed "
            "draft to stdout.",
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print the findings only: no closing line or note."
        ),
    ] = False,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            help="Write a copy of the .docx draft with every finding as a Word "
            "comment (批注) to this .docx file.",
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="Last year's report of the one draft checked (any input format): "
            "year-over-year checks compare the two.",
        ),
    ] = None,
    no_pairing: Annotated[
        bool,
        typer.Option(
            "--no-pairing",
            help="Do not pair a batch's drafts with last year's report of their "
            "issuer.",
        ),
    ] = False,
) -> None:
    """Check drafts and report findings with line and column."""
    from .check import CheckUsageError, check_request, run_check

    try:
        request = check_request(
            paths or [],
            output_format=output_format,
            output=output,
            lang=lang,
            fail_on=fail_on,
            select=select,
            ignore=ignore,
            year=year,
            edition=edition,
            publication_deadline=publication_deadline,
            packs=packs,
            statistics=statistics,
            color=color,
            show_source=show_source,
            jobs=jobs,
            config=config,
            isolated=isolated,
            waivers=waivers,
            fix=fix,
            diff=diff,
            stdin_filename=stdin_filename,
            quiet=quiet,
            annotate=annotate,
            previous=previous,
            no_pairing=no_pairing,
        )
    except CheckUsageError as exc:
        raise _fail(str(exc)) from None
    raise typer.Exit(run_check(request, output))


# The other commands, in the order of `--help`.
app.command("rules")(commands.list_rules)
app.command()(commands.explain)
app.command("validate-packs")(commands.validate_packs)
app.command()(commands.extract)
app.command()(commands.render)
app.command("config")(commands.show_config)
app.command("docs")(commands.docs_command)
app.command()(commands.waive)
app.command("series")(commands.series_command)


def main(argv: list[str] | None = None) -> int:
    """Console entry point; never lets a usage error become a traceback."""
    args = sys.argv[1:] if argv is None else argv
    command = typer.main.get_command(app)
    try:
        result = command.main(
            args=args, prog_name="disclosure-lint", standalone_mode=False
        )
    except Exception as exc:
        # NOTE: click's usage errors (typer vendors click) carry exit_code and
        # format_message(); print them as one line instead of a usage block.
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            message = exc.format_message().strip().replace("\n", " ")
            sys.stderr.write(
                f"disclosure-lint: error: {message} (see `disclosure-lint --help`)\n"
            )
            return EXIT_ERROR
        if type(exc).__name__ == "Abort":
            # NOTE: click turns Ctrl-C outside a lint loop (e.g. while packs
            # load) into Abort; exit like an interrupted run, no traceback.
            sys.stderr.write("disclosure-lint: interrupted\n")
            return EXIT_INTERRUPTED
        raise
    except KeyboardInterrupt:
        sys.stderr.write("disclosure-lint: interrupted\n")
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
