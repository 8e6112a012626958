"""Kind ``sections``: the official top-level sections, in order, numbered.

The sections themselves (keys, numerals, headings, aliases) are pack data in
``document.sections``; the outline finds them by text and order.

Params:
    check: one of
        ``missing``   a section of the edition is absent (reported at the
                      heading that should follow it, else the end of the text);
        ``order``     a section comes after one that should follow it;
        ``numbering`` a section is numbered with the wrong numeral;
        ``extra``     a numbered top-level heading that is no official section;
        ``duplicate`` the same section appears twice;
        ``variant``   a heading that differs from the official wording.

Message arguments: ``numeral``, ``expected``, ``heading``, ``official``,
``previous``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule

CHECKS = ("missing", "order", "numbering", "extra", "duplicate", "variant")
PARAMS = {"check": Param("str", required=True, help=", ".join(CHECKS))}


def prepare(params: Mapping[str, Any]) -> str:
    """Validate ``check``."""
    if params["check"] not in CHECKS:
        raise ValueError(f"check must be one of {', '.join(CHECKS)}")
    return str(params["check"])


def check(report: Report, rule: Rule, which: str) -> Iterator[Hit]:
    """Dispatch to the named check."""
    yield from _CHECKS[which](report)


def _official(report: Report) -> list[dict[str, Any]]:
    return list(report.pack.document.get("sections") or [])


def _first_by_key(report: Report) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for section in report.outline.sections:
        seen.setdefault(section.key, section)
    return seen


def _missing(report: Report) -> Iterator[Hit]:
    present = _first_by_key(report)
    official = _official(report)
    for i, spec in enumerate(official):
        if spec["key"] in present:
            continue
        following = [
            present[s["key"]] for s in official[i + 1 :] if s["key"] in present
        ]
        span = following[0].span if following else _last_text_line(report)
        heading = f"{spec['numeral']}、{spec['heading']}"
        yield Hit(span, {"official": heading, "numeral": spec["numeral"]})


def _last_text_line(report: Report) -> Span:
    """The last line with text: where a missing final section belongs."""
    text = report.document.text
    end = len(text.rstrip())
    start = text.rfind("\n", 0, end) + 1
    return Span(start, end)


def _order(report: Report) -> Iterator[Hit]:
    rank = {s["key"]: i for i, s in enumerate(_official(report))}
    best = -1
    previous = ""
    for section in _first_by_key(report).values():
        position = rank[section.key]
        if position < best:
            yield Hit(section.span, {"heading": section.heading, "previous": previous})
        else:
            best, previous = position, section.heading


def _numbering(report: Report) -> Iterator[Hit]:
    for section in report.outline.sections:
        if section.numeral != section.expected_numeral:
            numeral_at = section.heading.find(section.numeral)
            start = section.span.start + max(numeral_at, 0)
            yield Hit(
                Span(start, start + len(section.numeral)),
                {
                    "numeral": section.numeral,
                    "expected": section.expected_numeral,
                    "heading": section.heading,
                    "official": f"{section.expected_numeral}、{section.official}",
                },
            )


def _extra(report: Report) -> Iterator[Hit]:
    strays = report.outline.strays
    if not strays:
        return
    # NOTE: a table row label numbered like a heading (四、结转下年度继续办理
    # with its numbers on the line, as PDF text leaves it) is the table's.
    row_labels = [
        (row.label.start, row.label.end)
        for table in report.tables
        for row in table.rows.values()
        if row.label is not None
    ]
    for stray in strays:
        span = stray.span
        if any(start < span.end and span.start < end for start, end in row_labels):
            continue
        yield Hit(span, {"heading": stray.text, "numeral": stray.numeral})


def _duplicate(report: Report) -> Iterator[Hit]:
    seen: set[str] = set()
    for section in report.outline.sections:
        if section.key in seen:
            yield Hit(section.span, {"heading": section.heading})
        seen.add(section.key)


def _variant(report: Report) -> Iterator[Hit]:
    for section in report.outline.sections:
        if section.variant:
            yield Hit(
                section.span,
                {
                    "heading": section.heading,
                    "official": f"{section.expected_numeral}、{section.official}",
                },
            )


_CHECKS = {
    "missing": _missing,
    "order": _order,
    "numbering": _numbering,
    "extra": _extra,
    "duplicate": _duplicate,
    "variant": _variant,
}

KIND = KindSpec("sections", PARAMS, check, prepare, __doc__ or "")
