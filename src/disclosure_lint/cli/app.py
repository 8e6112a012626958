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

from ..config.settings import Settings, split_list
from ..document.findings import Severity
from ..version import __version__

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


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


# Options shared by `check` and `extract`.
YearOption = Annotated[
    int | None, typer.Option(help="Report year (else from the draft).")
]
EditionOption = Annotated[
    str | None,
    typer.Option(help="Format edition: 2019 or 2021 (else from the year)."),
]
PacksOption = Annotated[
    list[Path] | None, typer.Option("--packs", help="Extra pack directories.")
]


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


def _fail(message: str) -> typer.Exit:
    typer.echo(f"disclosure-lint: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


@app.command()
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Drafts (.txt, .md) or directories; `-` for standard input."
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
        )
    except CheckUsageError as exc:
        raise _fail(str(exc)) from None
    raise typer.Exit(run_check(request, output))


@app.command("rules")
def list_rules(
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text or json.")
    ] = "text",
) -> None:
    """List every rule: id, name, category, severity, pack."""
    from .docs import rules_listing

    packset = _packs_or_exit()
    if output_format not in ("text", "json"):
        raise _fail("rules --format takes text or json")
    typer.echo(rules_listing(packset, output_format), nl=False)


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(help="Rule id (or name or old alias).")],
    lang: Annotated[str, typer.Option(help="zh or en.")] = "zh",
) -> None:
    """Explain a rule: summary, rationale, source and examples."""
    from .docs import explain_rule, find_rule

    packset = _packs_or_exit()
    rule = find_rule(packset, rule_id)
    if rule is None:
        raise _fail(f"unknown rule '{rule_id}' (see `disclosure-lint rules`)")
    if lang not in ("zh", "en"):
        raise _fail(f"unknown language '{lang}' (use zh or en)")
    typer.echo(explain_rule(rule, lang, packset), nl=False)


@app.command("validate-packs")
def validate_packs(
    dirs: Annotated[
        list[Path] | None, typer.Argument(help="Pack directories (default: bundled).")
    ] = None,
) -> None:
    """Load and validate packs without the cache; exit 2 on the first error."""
    from ..packs.load import bundled_rules_dir, load_packset, never_run, packs_under
    from ..packs.model import PackError
    from ..tables.refs import validate_packset
    from ..tables.schema import TableSchemaError
    from .docs import validation_summary

    roots = list(dirs or [bundled_rules_dir()])
    try:
        # NOTE: the bundled packs come along so that DIR's packs may extend them.
        packset = load_packset(roots, use_cache=False, base=[bundled_rules_dir()])
        validate_packset(packset)
        checked = packs_under(packset, roots)
        unused = never_run(packset, [p.name for p in checked])
        if unused is not None:
            raise unused
    except (PackError, TableSchemaError) as exc:
        raise _fail(f"pack: {exc}") from None
    typer.echo(validation_summary(checked), nl=False)


@app.command()
def extract(
    paths: Annotated[
        list[str], typer.Argument(help="Drafts (.txt, .md) or directories.")
    ],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="json or csv.")
    ] = "json",
    year: YearOption = None,
    edition: EditionOption = None,
    packs: PacksOption = None,
) -> None:
    """Export every table cell (value, raw text, line, column) as JSON or CSV."""
    from ..config.checks import check_year_edition
    from ..config.settings import SettingsError
    from ..packs.load import bundled_rules_dir, load_packset
    from ..packs.model import PackError
    from .extract import FORMATS, run_extract

    if output_format not in FORMATS:
        raise _fail(f"extract --format takes {' or '.join(FORMATS)}")
    settings = Settings(year=year, edition=edition)
    try:
        settings.validate()
        packset = load_packset([bundled_rules_dir(), *(packs or [])])
        check_year_edition(settings, packset)
    except PackError as exc:
        raise _fail(f"pack: {exc}") from None
    except SettingsError as exc:  # NOTE: ConfigError too
        raise _fail(str(exc)) from None
    options = settings.options()
    raise typer.Exit(
        run_extract(paths, packset, options, output_format, sys.stdout, sys.stderr)
    )


@app.command("config")
def show_config(
    path: Annotated[
        str, typer.Argument(help="A draft or directory (default: the current one).")
    ] = ".",
    config: Annotated[
        Path | None, typer.Option("--config", help="Use this configuration file.")
    ] = None,
    isolated: Annotated[
        bool, typer.Option(help="Ignore every configuration file.")
    ] = False,
    waivers: Annotated[
        Path | None, typer.Option("--waivers", help="Use this waiver file.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text or json.")
    ] = "text",
) -> None:
    """Print the effective configuration for PATH and where each value comes from."""
    from ..config.file import ConfigError
    from ..config.resolve import ConfigResolver
    from ..config.waivers import WaiverBook
    from ..packs.model import PackError
    from .config_cmd import describe

    if output_format not in ("text", "json"):
        raise _fail("config --format takes text or json")
    resolver = ConfigResolver(Settings(), (), config, isolated)
    book = WaiverBook(waivers, isolated)
    try:
        text = describe(resolver, path, output_format, book.path_for(path))
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    except PackError as exc:
        raise _fail(f"pack: {exc}") from None
    typer.echo(text, nl=False)


@app.command("docs")
def docs_command(
    dirs: Annotated[
        list[Path] | None,
        typer.Argument(help="Pack directories (default: the bundled rules/)."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 naming the pages that are stale."
        ),
    ] = False,
) -> None:
    """Generate rules/<pack>/README.md for every pack from its YAML files."""
    from ..config.file import display
    from ..packs.model import PackError
    from .docs import generate_docs, installed_pages, stale_docs, write_docs

    try:
        pages = generate_docs(list(dirs) if dirs else None)
    except PackError as exc:
        raise _fail(f"pack: {exc}") from None
    if check:
        stale = stale_docs(pages)
        for page in stale:
            typer.echo(
                f"{display(page)}: out of date; run `disclosure-lint docs`", err=True
            )
        if stale:
            raise typer.Exit(1)
        typer.echo(f"{len(pages)} pack pages up to date")
        return
    inside = installed_pages(pages)
    if inside:
        raise _fail(
            f"docs writes pack pages in a source checkout, and the packs at "
            f"{inside[0].parent.parent} are an installed copy; run it in a "
            "checkout of disclosure-lint, or name your own pack directories"
        )
    written = write_docs(pages)
    for page in written:
        typer.echo(f"wrote {display(page)}")
    if not written:
        typer.echo(f"{len(pages)} pack pages up to date")


@app.command()
def waive(
    paths: Annotated[
        list[str], typer.Argument(help="Drafts whose findings to accept.")
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why the findings are accepted (required).")
    ],
    rule: Annotated[
        list[str] | None,
        typer.Option("--rule", help="Only findings of these rules (ids, names, ...)."),
    ] = None,
    expires: Annotated[
        str | None, typer.Option(help="Last day the waivers hold: YYYY-MM-DD.")
    ] = None,
    waivers: Annotated[
        Path | None, typer.Option("--waivers", help="Append to this waiver file.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Use this configuration file.")
    ] = None,
    isolated: Annotated[
        bool, typer.Option(help="Ignore configuration and found waiver files.")
    ] = False,
) -> None:
    """Accept the current findings of FILE...: append one waiver per finding."""
    from ..config.waiver_file import WaiverError, parse_expires
    from .plan import RunRequest
    from .waive import run_waive

    if not reason.strip():
        raise _fail("--reason must say why the findings are accepted")
    until = None
    if expires is not None:
        try:
            until = parse_expires(expires)
        except WaiverError as exc:
            raise _fail(str(exc)) from None
    request = RunRequest(
        paths=paths,
        settings=Settings(),
        config=config,
        isolated=isolated,
        waivers=waivers,
    )
    code = run_waive(
        request, reason.strip(), split_list(rule), until, sys.stdout, sys.stderr
    )
    raise typer.Exit(code)


def _packs_or_exit() -> Any:
    from ..packs.load import load_packset
    from ..packs.model import PackError

    try:
        return load_packset()
    except PackError as exc:
        raise _fail(f"pack: {exc}") from None


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
