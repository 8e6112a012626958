"""The commands besides ``check``, which ``app`` registers.

``rules``, ``explain``, ``validate-packs``, ``extract``, ``render``,
``config``, ``docs``, ``waive`` and ``series``: plain functions with typer annotations;
``app`` registers them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..config.settings import Settings, split_list
from .options import (
    EditionOption,
    PacksOption,
    YearOption,
    _fail,
)


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


def validate_packs(
    dirs: Annotated[
        list[Path] | None, typer.Argument(help="Pack directories (default: bundled).")
    ] = None,
) -> None:
    """Load and validate packs without the cache; exit 2 on the first error."""
    from ..packs.discover import bundled_rules_dir
    from ..packs.load import load_packset, never_run, packs_under
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


def extract(
    paths: Annotated[
        list[str],
        typer.Argument(help="Drafts (.txt, .md, .docx, .html, .pdf) or directories."),
    ],
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="json, csv, or table (each table drawn as a grid, for people).",
        ),
    ] = "json",
    year: YearOption = None,
    edition: EditionOption = None,
    packs: PacksOption = None,
) -> None:
    """Export every table cell (value, raw text, line, column) as JSON or CSV.

    ``--format table`` draws each table as the official grid in the terminal
    instead: labels, every value read (_ blank, - not read, ? ambiguous,
    'text'), the failing equations written out with their cells marked *.
    """
    from ..config.checks import check_year_edition
    from ..config.settings import SettingsError
    from ..packs.discover import bundled_rules_dir
    from ..packs.load import load_packset
    from ..packs.model import PackError
    from .extract import FORMATS, run_extract

    if output_format not in FORMATS:
        raise _fail(f"extract --format takes {', '.join(FORMATS)}")
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


def render(
    path: Annotated[
        str,
        typer.Argument(
            help="A draft: .docx, .html, .pdf, .txt or .md; `-` for standard input."
        ),
    ],
    plain: Annotated[
        bool, typer.Option("--plain", help="Print the text without line numbers.")
    ] = False,
) -> None:
    """Print the text the rules read (a .docx, web page or PDF rendered), numbered."""
    from .check import EXIT_BROKEN_PIPE, _silence
    from .render import run_render

    try:
        code = run_render(path, plain, sys.stdout, sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        # NOTE: `render big.docx | head`: the reader went away, as for check.
        _silence(sys.stdout)
        code = EXIT_BROKEN_PIPE
    raise typer.Exit(code)


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


def series_command(
    paths: Annotated[list[str], typer.Argument(help="Drafts or directories.")],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text or json.")
    ] = "text",
    lang: Annotated[
        str | None, typer.Option(help="Language of the text: zh or en.")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Use this configuration file.")
    ] = None,
    isolated: Annotated[
        bool, typer.Option(help="Ignore every configuration file.")
    ] = False,
) -> None:
    """List the series (one issuer's reports, year by year) that pairing finds."""
    from .plan import RunRequest
    from .series import run_series

    if output_format not in ("text", "json"):
        raise _fail("series --format takes text or json")
    if lang is not None and lang not in ("zh", "en"):
        raise _fail(f"unknown language '{lang}' (use zh or en)")
    if config is not None and isolated:
        raise _fail("--config and --isolated exclude each other")
    request = RunRequest(
        paths=paths,
        settings=Settings(lang=lang or "zh"),
        jobs=jobs,
        explicit=("lang",) if lang else (),
        config=config,
        isolated=isolated,
    )
    raise typer.Exit(run_series(request, output_format, sys.stdout, sys.stderr))


def _packs_or_exit() -> Any:
    from ..packs.load import load_packset
    from ..packs.model import PackError

    try:
        return load_packset()
    except PackError as exc:
        raise _fail(f"pack: {exc}") from None
