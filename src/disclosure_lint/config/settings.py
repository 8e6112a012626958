"""Effective settings of one run: defaults < configuration file < command line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..dates import checked_date, this_year
from ..document.findings import Severity
from ..records import dataclass, field

if TYPE_CHECKING:
    # NOTE: imported on use: the CLI imports this module for every command,
    # and the engine (with every rule kind) is most of a cold start.
    from ..engine.lint import RuleFilter
    from ..kinds.report import LintOptions

LANGS = ("zh", "en")
#: The first report year there can be: the 条例 (国务院令第492号) took effect
#: on 1 May 2008. The formats the packs implement start later (their
#: ``years``); a year in between is refused unless an edition is given.
FIRST_REPORT_YEAR = 2008
_DEADLINE = re.compile(r"^(?:(?P<year>\d{4})-)?(?P<month>\d{1,2})-(?P<day>\d{1,2})$")


class SettingsError(Exception):
    """A bad option or configuration value; the message is one line."""


@dataclass(slots=True)
class Settings:
    """Everything a run needs besides the paths."""

    lang: str = "zh"
    fail_on: Severity = Severity.ERROR
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    year: int | None = None
    edition: str | None = None
    publication_deadline: str | None = None
    copy_threshold: float | None = None
    #: Year-over-year pairing of this draft with last year's report.
    pairing: bool = True
    packs: list[Path] = field(default_factory=list)
    source: str | None = None
    # NOTE: set from a configuration file. ``use_packs`` lists the packs to
    # load (bundled names or absolute directories; None: every bundled pack);
    # ``packs`` above stays the command line's extra directories. ``root`` is
    # the configuration file's directory, which per-path globs are relative to.
    use_packs: list[str] | None = None
    root: Path | None = None

    def options(self) -> LintOptions:
        """The options the rule kinds see."""
        from ..kinds.report import LintOptions

        return LintOptions(
            lang=self.lang,
            year=self.year,
            edition=self.edition,
            publication_deadline=self.publication_deadline,
            copy_threshold=self.copy_threshold,
        )

    def rule_filter(self, extra_ignore: list[str] | None = None) -> RuleFilter:
        """The select / ignore / severity filter."""
        from ..engine.lint import RuleFilter

        return RuleFilter(
            tuple(self.select),
            tuple(self.ignore + (extra_ignore or [])),
            dict(self.severity),
        )

    def validate(self) -> None:
        """Check values that typer cannot (raises ``SettingsError``)."""
        if self.lang not in LANGS:
            raise SettingsError(f"unknown language '{self.lang}' (use zh or en)")
        for token, level in self.severity.items():
            if level not in {s.value for s in Severity}:
                raise SettingsError(
                    f"severity for '{token}' must be error, warning or info, "
                    f"not '{level}'"
                )
        if self.year is not None:
            problem = year_problem(self.year)
            if problem is not None:
                raise SettingsError(f"--year {problem}")
        deadline = self.publication_deadline
        if deadline is not None and not valid_deadline(deadline):
            raise SettingsError(
                f"publication deadline '{deadline}' is not MM-DD or YYYY-MM-DD"
            )


def year_problem(year: int) -> str | None:
    """Why ``year`` cannot be a report year (None when it can).

    NOTE: before 2008 there were no reports; a report on a year after next
    is a typo. The range moves with the calendar.
    """
    last = this_year() + 1
    if FIRST_REPORT_YEAR <= year <= last:
        return None
    return (
        f"{year} is out of range: report years run from {FIRST_REPORT_YEAR} "
        f"(when the 条例 took effect) to {last}"
    )


def valid_deadline(value: str) -> bool:
    """True for a real ``MM-DD`` (any year) or ``YYYY-MM-DD`` date."""
    match = _DEADLINE.match(value)
    if match is None:
        return False
    year = int(match["year"]) if match["year"] else 2000  # 2000: has 29 Feb
    try:
        checked_date(year, int(match["month"]), int(match["day"]))
    except ValueError:
        return False
    return True


def split_list(values: list[str] | None) -> list[str]:
    """``--select A,B --select C`` → ``[A, B, C]``."""
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out
