"""Kind ``format-scope``: a report on a year before the national format.

The national table format (国办公开办函〔2019〕60号) applies from the first
year an edition pack covers (its ``years``). A report on an earlier year was
written to no such format: it gets this one finding, and the rules whose
kinds check the format's sections and tables (the pack's
``document.scope.format_kinds``) do not run on it (``format_rules_skipped``),
so there is no cascade of missing sections and tables. An edition given on
the command line (``--edition``) asks for the format: then everything runs.

Params: none.

Message arguments: ``year`` (the report's), ``first`` (the first year of the
format), ``ran`` (the ids of the rules that still run, ``、``-separated).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from .base import Hit, KindSpec
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Pack, Rule


def format_start(report: Report) -> int | None:
    """The first year of the format when the report is on an earlier year."""
    outline = report.outline
    years = report.pack.years
    if (
        outline.year is None
        or outline.edition_source == "option"
        or not years
        or years[0] is None
    ):
        return None
    return years[0] if outline.year < years[0] else None


def format_kinds(pack: Pack) -> frozenset[str]:
    """The kinds of rule that check the national format's sections and tables."""
    scope = pack.document.get("scope") or {}
    return frozenset(str(k) for k in scope.get("format_kinds") or [])


def check(report: Report, rule: Rule, prepared: Any) -> Iterator[Hit]:
    """One hit, at the title (else line 1), for a report before the format."""
    first = format_start(report)
    if first is None:
        return
    skipped = format_kinds(report.pack) | {rule.kind}
    ran = "、".join(sorted(r.id for r in report.pack.rules if r.kind not in skipped))
    title = report.outline.title
    span = title.span if title else report.document.index.line_span(1)
    yield Hit(
        Span(span.start, span.end),
        {"year": report.outline.year, "first": first, "ran": ran},
    )


def _prepare(params: Mapping[str, Any]) -> None:
    return None


KIND = KindSpec("format-scope", {}, check, _prepare, __doc__ or "")
