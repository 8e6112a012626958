"""Kind ``title``: the report title is present and has the official form.

Params:
    check: ``missing`` (no title line found at the top of the draft),
        ``form`` (the folded title does not match ``pattern``) or
        ``before`` (text before the title: a cover or furniture line the
        outline skipped, e.g. ``正文`` in text converted from a PDF).
    pattern: regex the folded title must match (for ``form``).

Message arguments: ``title``; for ``before`` also ``text`` (what precedes it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from ..regex.guard import pack_regex
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex

PARAMS = {
    "check": Param("str", required=True, help="missing, form or before"),
    "pattern": Param("regex", default="", help="regex for the folded title"),
}


def prepare(params: Mapping[str, Any]) -> Regex:
    """Compile the title pattern."""
    if params["check"] not in ("missing", "form", "before"):
        raise ValueError("check must be 'missing', 'form' or 'before'")
    if params["check"] == "form" and not params["pattern"]:
        raise ValueError("check 'form' needs a pattern")
    return pack_regex(str(params["pattern"]))


def check(report: Report, rule: Rule, regex: Regex) -> Iterator[Hit]:
    """Yield one hit when the title is missing or malformed."""
    title = report.outline.title
    if rule.params["check"] == "missing":
        if title is None:
            line = report.document.index.line_span(1)
            yield Hit(Span(line.start, line.end), {"title": ""})
        return
    if title is None:
        return
    if rule.params["check"] == "before":
        yield from _before(report, title.span.start)
        return
    if not regex.search(title.folded.text):
        yield Hit(title.span, {"title": title.text})


def _before(report: Report, title_start: int) -> Iterator[Hit]:
    """One hit on the text before the title, when there is any.

    NOTE: markup (``# ``) before the title on its own line is no text; only
    whole lines before the title's first line count.
    """
    text = report.document.text
    line_start = text.rfind("\n", 0, title_start) + 1
    before = text[:line_start]
    stripped = before.strip()
    if not stripped:
        return
    start = before.index(stripped[0])
    yield Hit(
        Span(start, start + len(stripped)),
        {"title": "", "text": " ".join(stripped.split())[:40]},
    )


KIND = KindSpec("title", PARAMS, check, prepare, __doc__ or "")
