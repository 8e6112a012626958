"""Checks of a configuration against the packs: rule names, year and edition."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from ..engine.lint import RuleFilter
from ..packs.model import Pack, PackSet, Rule
from ..packs.reading import _suggest
from .file import ConfigError, ConfigFile, display
from .settings import (
    Settings,
)


def check_tokens(config: ConfigFile, packset: PackSet) -> None:
    """Every rule selector in ``config`` must match a rule; edition must exist.

    Raises:
        ConfigError: naming the selector's place and the closest rule.
    """
    from .waiver_rules import WAIVER_RULES

    rules = [*packset.all_rules(), *WAIVER_RULES]
    words = sorted(
        {r.id for r in rules}
        | {r.name for r in rules}
        | {r.category.value for r in rules}
    )
    for token in config.tokens:
        if token.value.upper() == "ALL":
            continue
        if not any(RuleFilter._matches(rule, token.value) for rule in rules):
            raise ConfigError(
                f"{token.where}: '{token.value}' in '{token.key}' matches no rule"
                f"{_suggest(token.value, words)}"
            )
    edition = config.values.get("edition")
    if edition is not None and packset.for_edition(edition) is None:
        known = ", ".join(str(p.edition) for p in packset.editions())
        raise ConfigError(
            f"{config.where['edition']}: unknown edition '{edition}' (known: {known})"
        )


def _rule_words(packsets: Iterable[PackSet]) -> tuple[list[Rule], list[str]]:
    """Every rule of ``packsets`` (and the waiver findings) and their words."""
    from .waiver_rules import WAIVER_RULES

    rules = [*WAIVER_RULES]
    seen: set[int] = set()
    for packset in packsets:
        if id(packset) not in seen:
            seen.add(id(packset))
            rules.extend(packset.all_rules())
    words = sorted(
        {r.id for r in rules}
        | {r.name for r in rules}
        | {r.category.value for r in rules}
    )
    return rules, words


def check_cli_tokens(
    cli: Settings, explicit: Collection[str], packsets: Iterable[PackSet]
) -> None:
    """Every ``--select`` / ``--ignore`` token must match a rule of the run.

    NOTE: as in a configuration file (``check_tokens``): a typo would
    otherwise select nothing (a clean run) or ignore nothing. A token need
    only match in one of the packs the run uses, as a local pack's rule
    exists only where that pack is configured.

    Raises:
        ConfigError: naming the option and the closest rule.
    """
    given = [
        (name, token)
        for name in ("select", "ignore")
        if name in explicit
        for token in getattr(cli, name)
        if token.upper() != "ALL"
    ]
    sets = list(packsets)
    if not given or not sets:
        return  # NOTE: no file, no packs: the run reports that instead
    rules, words = _rule_words(sets)
    for name, token in given:
        if not any(RuleFilter._matches(rule, token) for rule in rules):
            raise ConfigError(
                f"'{token}' in --{name} matches no rule{_suggest(token, words)}"
            )


def _years_text(pack: Pack) -> str:
    low, high = pack.years or (None, None)
    if low and high:
        return f"{low}–{high}"
    if low or high:
        return f"{low} onwards" if low else f"up to {high}"
    return "no years"


def check_year_edition(
    settings: Settings,
    packset: PackSet,
    config: ConfigFile | None = None,
    explicit: Collection[str] = ("year", "edition"),
) -> None:
    """An edition given must exist; a year given must be one a pack covers.

    The message names the option (a field in ``explicit``, given on the
    command line) or the key of ``config``.

    NOTE: before 2019 there was no national format (FORMAT.md §2): a year
    before every edition is accepted, and its drafts are not held to the
    format's sections and tables (one ``ST013`` finding says so, unless an
    edition is given too). A year no edition covers after the first (a gap
    in the packs' ``years``) is refused: the rules would not apply.

    Raises:
        ConfigError: naming the option or the file's key.
    """
    year, edition = settings.year, settings.edition
    if edition is not None and packset.for_edition(edition) is None:
        known = ", ".join(str(p.edition) for p in packset.editions())
        where = (
            "--edition"
            if "edition" in explicit or config is None
            else f"{config.where.get('edition', display(config.path))}: 'edition'"
        )
        raise ConfigError(f"{where}: unknown edition '{edition}' (known: {known})")
    editions = packset.editions()
    if year is None or any(p.applies_to_year(year) for p in editions):
        return
    starts = [p.years[0] for p in editions if p.years and p.years[0] is not None]
    if starts and year < min(starts):
        return
    covered = ", ".join(f"{p.name} covers {_years_text(p)}" for p in reversed(editions))
    if "year" in explicit or config is None:
        where = f"--year {year}"
    else:
        where = f"{config.where.get('year', display(config.path))}: 'year' {year}"
    raise ConfigError(
        f"{where}: no format edition covers report year {year} ({covered}); "
        "the rules would not apply"
    )
