"""Kind ``period``: statistics period, report year and publication date.

The period sentence, title year, opening year and publication date are found
by the outline from the pack's ``document.period`` and ``document.year`` data.

Params:
    check: one of
        ``missing``   no statistics-period sentence (reported at a bare date
                      range if the draft has one, else at the first heading);
        ``year``      the period's year differs from the report year
                      (``--year``, else the title's, else the opening's);
        ``calendar``  the period is not 1 January to 31 December of one year;
        ``opening``   the opening paragraph's year differs from the title's;
        ``deadline``  the publication date is later than the deadline.
    deadline: ``MM-DD`` in the year after the report year (default ``01-31``);
        the ``publication_deadline`` setting overrides it (``MM-DD`` or
        ``YYYY-MM-DD``).

Message arguments: ``year``, ``period_year``, ``title_year``,
``opening_year``, ``start``, ``end``, ``date``, ``deadline``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule

CHECKS = ("missing", "year", "calendar", "opening", "deadline")
PARAMS = {
    "check": Param("str", required=True, help=", ".join(CHECKS)),
    "deadline": Param("str", default="01-31", help="MM-DD in the next year"),
}
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_FULL_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def prepare(params: Mapping[str, Any]) -> str:
    """Validate ``check`` and ``deadline``."""
    if params["check"] not in CHECKS:
        raise ValueError(f"check must be one of {', '.join(CHECKS)}")
    if not _MONTH_DAY.match(str(params["deadline"])):
        raise ValueError("deadline must be MM-DD")
    return str(params["check"])


def check(report: Report, rule: Rule, which: str) -> Iterator[Hit]:
    """Dispatch to the named check."""
    outline = report.outline
    if which == "missing":
        if outline.period is None:
            yield Hit(_missing_anchor(report), {"year": outline.year or ""})
    elif which == "year":
        # NOTE: a year given (``--year``, ``year:``) is the report year;
        # the draft's own title or opening only stand in for it.
        stated = report.options.year or outline.title_year or outline.opening_year
        if outline.period and stated is not None:
            years = {outline.period.start.year, outline.period.end.year}
            if years != {stated}:
                period_year = next(iter(years - {stated}))
                yield Hit(
                    outline.period.span, {"year": stated, "period_year": period_year}
                )
    elif which == "calendar":
        period = outline.period
        if period is not None:
            start, end = period.start, period.end
            if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or (
                start.year != end.year
            ):
                yield Hit(
                    period.span,
                    {
                        "start": f"{start.year}-{start.month:02d}-{start.day:02d}",
                        "end": f"{end.year}-{end.month:02d}-{end.day:02d}",
                    },
                )
    elif which == "opening":
        if (
            outline.title_year is not None
            and outline.opening_year is not None
            and outline.opening_year != outline.title_year
            and outline.opening_year_span is not None
        ):
            yield Hit(
                outline.opening_year_span,
                {
                    "title_year": outline.title_year,
                    "opening_year": outline.opening_year,
                },
            )
    else:
        yield from _deadline(report, rule)


def _missing_anchor(report: Report) -> Span:
    outline = report.outline
    if outline.period_hint is not None:
        return outline.period_hint
    if outline.sections:
        return outline.sections[0].span
    if outline.title is not None:
        return outline.title.span
    return report.document.index.line_span(1)


def _deadline(report: Report, rule: Rule) -> Iterator[Hit]:
    published = report.outline.publication_date
    year = report.outline.year
    if published is None or year is None:
        return
    setting = report.options.publication_deadline or str(rule.params["deadline"])
    full = _FULL_DATE.match(setting)
    try:
        if full:
            deadline = dt.date(int(full[1]), int(full[2]), int(full[3]))
        else:
            month_day = _MONTH_DAY.match(setting)
            if month_day is None:
                return
            deadline = dt.date(year + 1, int(month_day[1]), int(month_day[2]))
        date = dt.date(published.year, published.month, published.day)
    except ValueError:
        return
    if date > deadline:
        yield Hit(
            published.span, {"date": date.isoformat(), "deadline": deadline.isoformat()}
        )


KIND = KindSpec("period", PARAMS, check, prepare, __doc__ or "")
