r"""Kind ``pattern``: text that must not appear, with an optional fix.

Flags every match of ``pattern`` (a Python regex, checked at pack load) in
``scope``. Message arguments: ``match`` and every named group.

Params:
    pattern: the regex (multiline: ``^`` and ``$`` match at line breaks).
    scope: ``all`` (default), ``title``, ``body`` (all but the title) or a
        section key from the pack's ``document.sections``.
    report_group: named group whose span is reported (default: whole match).
    replace: replacement template (``\\g<name>`` group references) for a fix.
    delete: fix by deleting the match.
    delete_line: fix by deleting the whole line(s) the match is on.
    safe: whether the fix may be applied by ``--fix`` (default true).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..document import Span
from ..packs import Rule
from ..report import Report
from .base import FixSpec, Hit, KindSpec, Param
from .scope import scope_spans

PARAMS = {
    "pattern": Param("regex", required=True, help="regex to flag"),
    "scope": Param("str", default="all", help="all, title, body or a section key"),
    "report_group": Param("str", default="", help="named group to report"),
    "replace": Param("str", default=None, help="replacement template"),
    "delete": Param("bool", default=False, help="fix by deleting the match"),
    "delete_line": Param("bool", default=False, help="fix by deleting the line"),
    "safe": Param("bool", default=True, help="fix is safe for --fix"),
}


def prepare(params: Mapping[str, Any]) -> re.Pattern[str]:
    """Compile the pattern once per process."""
    regex = re.compile(str(params["pattern"]), re.MULTILINE)
    group = params.get("report_group")
    if group and group not in regex.groupindex:
        raise ValueError(f"report_group '{group}' is not a named group of pattern")
    return regex


def check(report: Report, rule: Rule, regex: re.Pattern[str]) -> Iterator[Hit]:
    """Yield a hit per match inside the scope."""
    params = rule.params
    text = report.document.text
    for scope in scope_spans(report, str(params["scope"])):
        for match in regex.finditer(text, scope.start, scope.end):
            if match.end() == match.start():
                continue
            group = params.get("report_group") or 0
            span = Span(match.start(group), match.end(group))
            args: dict[str, Any] = {"match": match.group(0)}
            args.update({k: v or "" for k, v in match.groupdict().items()})
            yield Hit(span, args, _fix(report, params, match, span))


def _fix(
    report: Report, params: Mapping[str, Any], match: re.Match[str], span: Span
) -> FixSpec | None:
    safe = bool(params["safe"])
    if params["delete_line"]:
        text = report.document.text
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end == -1 else end + 1
        if end == len(text) and start > 0 and not text.endswith("\n"):
            start -= 1  # last line: take the newline before it instead
        return FixSpec(Span(start, end), "", safe)
    if params["delete"]:
        return FixSpec(span, "", safe)
    if params["replace"] is not None:
        return FixSpec(
            Span(match.start(), match.end()), match.expand(params["replace"]), safe
        )
    return None


KIND = KindSpec("pattern", PARAMS, check, prepare, __doc__ or "")
