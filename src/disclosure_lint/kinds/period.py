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
    deadline: ``MM-DD`` in the year after the report year (default ``01-31``),
        for a draft whose issuer is not known; the ``publication_deadline``
        setting overrides every deadline (``MM-DD`` or ``YYYY-MM-DD``).
    issuer: a regex with a group ``issuer``, searched in the folded title:
        the name of the issuing body.
    issuers: list of ``{kind, pattern, deadline}``: the first ``pattern``
        found in the issuer's name says which ``kind`` of body it is and so
        its ``deadline`` (a government's own report is due later than a
        department's).
    until: ``{year, deadline}``: reports on years up to ``year`` had one
        ``deadline`` for every issuer (the 2008 条例), kind ``old``.

Message arguments: ``year``, ``period_year``, ``title_year``,
``opening_year``, ``start``, ``end``, ``date``, ``deadline``, ``issuer``
(the body's name, "" if unknown) and ``issuer_kind`` (the matching entry's
``kind``; ``config`` when the setting gave the deadline; "" when the issuer
is not known and ``deadline`` was assumed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

from ..dates import checked_date, iso
from ..document.text import Record, Span
from ..regex.guard import pack_regex
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex

CHECKS = ("missing", "year", "calendar", "opening", "deadline")
PARAMS = {
    "check": Param("str", required=True, help=", ".join(CHECKS)),
    "deadline": Param("str", default="01-31", help="MM-DD in the next year"),
    "issuer": Param("str", default="", help="regex: the issuer in the title"),
    "issuers": Param("list", default=[], help="[{kind, pattern, deadline}]"),
    "until": Param("dict", default={}, help="{year, deadline}: the old 条例's"),
}
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_FULL_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class Prepared(Record):
    """The check's name, and for ``deadline`` the issuer regexes."""

    __match_args__ = ("which", "issuer", "issuers")
    __slots__ = __match_args__

    def __init__(
        self,
        which: str,
        issuer: Regex | None,
        issuers: tuple[tuple[str, Regex, str], ...],
    ) -> None:
        """``which`` check; ``issuers`` as ``(kind, regex, deadline)``."""
        self.which: Final = which
        self.issuer: Final = issuer
        self.issuers: Final = issuers


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Validate ``check`` and the deadlines; compile the issuer regexes."""
    if params["check"] not in CHECKS:
        raise ValueError(f"check must be one of {', '.join(CHECKS)}")
    if not _MONTH_DAY.match(str(params["deadline"])):
        raise ValueError("deadline must be MM-DD")
    issuers = []
    for entry in params["issuers"] or []:
        if not isinstance(entry, Mapping) or not {"kind", "pattern", "deadline"} <= set(
            entry
        ):
            raise ValueError("each issuers entry needs kind, pattern and deadline")
        if not _MONTH_DAY.match(str(entry["deadline"])):
            raise ValueError("an issuers deadline must be MM-DD")
        regex = pack_regex(str(entry["pattern"]))
        issuers.append((str(entry["kind"]), regex, str(entry["deadline"])))
    issuer = pack_regex(str(params["issuer"])) if params["issuer"] else None
    if issuer is not None and "issuer" not in issuer.groupindex:
        raise ValueError("the issuer regex needs a group named issuer")
    until = params["until"] or {}
    if until and not (
        {"year", "deadline"} <= set(until) and _MONTH_DAY.match(str(until["deadline"]))
    ):
        raise ValueError("until needs a year and a MM-DD deadline")
    return Prepared(str(params["check"]), issuer, tuple(issuers))


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Dispatch to the named check."""
    which = prepared.which
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
        yield from _deadline(report, rule, prepared)


def _missing_anchor(report: Report) -> Span:
    outline = report.outline
    if outline.period_hint is not None:
        return outline.period_hint
    if outline.sections:
        return outline.sections[0].span
    if outline.title is not None:
        return outline.title.span
    return report.document.index.line_span(1)


def _deadline(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    published = report.outline.publication_date
    year = report.outline.year
    if published is None or year is None:
        return
    issuer, kind, setting = _issuer_deadline(report, rule, prepared)
    full = _FULL_DATE.match(setting)
    try:
        if full:
            deadline = checked_date(int(full[1]), int(full[2]), int(full[3]))
        else:
            month_day = _MONTH_DAY.match(setting)
            if month_day is None:
                return
            deadline = checked_date(year + 1, int(month_day[1]), int(month_day[2]))
        date = checked_date(published.year, published.month, published.day)
    except ValueError:
        return
    if date > deadline:
        yield Hit(
            published.span,
            {
                "date": iso(date),
                "deadline": iso(deadline),
                "issuer": issuer,
                "issuer_kind": kind,
            },
        )


def _issuer_deadline(
    report: Report, rule: Rule, prepared: Prepared
) -> tuple[str, str, str]:
    """``(issuer, kind, deadline)``: the setting wins, then the title's issuer.

    NOTE: the kind of body is read from the issuer's name in the title
    (县级以上人民政府 vs 部门 vs 乡镇); an issuer the data does not place
    gets the rule's own ``deadline`` and kind "" (the message says so).
    """
    issuer = ""
    title = report.outline.title
    if title is not None and prepared.issuer is not None:
        match = prepared.issuer.search(title.folded.text)
        if match is not None:
            issuer = match.group("issuer")
    if report.options.publication_deadline:
        return issuer, "config", report.options.publication_deadline
    until = rule.params["until"] or {}
    year = report.outline.year
    if until and year is not None and year <= int(until["year"]):
        return issuer, "old", str(until["deadline"])
    if issuer:
        for kind, regex, deadline in prepared.issuers:
            if regex.search(issuer):
                return issuer, kind, deadline
    return issuer, "", str(rule.params["deadline"])


KIND = KindSpec("period", PARAMS, check, prepare, __doc__ or "")
