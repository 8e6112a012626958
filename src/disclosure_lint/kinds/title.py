"""Kind ``title``: the report title is present and has the official form.

Params:
    check: ``missing`` (no title line found at the top of the draft) or
        ``form`` (the folded title does not match ``pattern``).
    pattern: regex the folded title must match (for ``form``).

Message arguments: ``title``.
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
    "check": Param("str", required=True, help="missing or form"),
    "pattern": Param("regex", default="", help="regex for the folded title"),
}


def prepare(params: Mapping[str, Any]) -> Regex:
    """Compile the title pattern."""
    if params["check"] not in ("missing", "form"):
        raise ValueError("check must be 'missing' or 'form'")
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
    if not regex.search(title.folded.text):
        yield Hit(title.span, {"title": title.text})


KIND = KindSpec("title", PARAMS, check, prepare, __doc__ or "")
