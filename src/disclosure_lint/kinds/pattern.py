r"""Kind ``pattern``: text that must not appear, with an optional fix.

Flags every match of ``pattern`` (a Python regex, checked at pack load; on
RE2 unless the pack is bundled, see ``regex.linear``) in ``scope``. Message
arguments: ``match`` and every named group.

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
from typing import TYPE_CHECKING, Any, Final

from ..document.text import Record, Span
from ..regex.cached import compile_regex
from ..regex.guard import (
    pack_regex,
    required_choices,
    required_text,
    starts_at_line_start,
)
from .base import FixSpec, Hit, KindSpec, Param
from .report import Report
from .scope import scope_spans

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex, RegexMatch

PARAMS = {
    "pattern": Param("regex", required=True, help="regex to flag"),
    "scope": Param("str", default="all", help="all, title, body or a section key"),
    "report_group": Param("str", default="", help="named group to report"),
    "replace": Param("str", default=None, help="replacement template"),
    "delete": Param("bool", default=False, help="fix by deleting the match"),
    "delete_line": Param("bool", default=False, help="fix by deleting the line"),
    "safe": Param("bool", default=True, help="fix is safe for --fix"),
}


class Prepared(Record):
    """The pattern and what speeds it up.

    For a pattern anchored at line starts, a scanner for them; the text
    every match holds (``regex.guard.required_text``; may be empty); and,
    when there is none, a scanner for texts one of which every match holds
    (``regex.guard.required_choices``: ``(?:来源|发布日期)``), or None.
    """

    __match_args__ = ("regex", "line_starts", "required", "needles")
    __slots__ = __match_args__

    def __init__(
        self,
        regex: Regex,
        line_starts: re.Pattern[str] | None,
        required: str = "",
        needles: re.Pattern[str] | None = None,
    ) -> None:
        """``line_starts`` finds each newline the pattern matches right after."""
        self.regex: Final = regex
        self.line_starts: Final = line_starts
        self.required: Final = required
        self.needles: Final = needles

    def finditer(self, text: str, start: int, end: int) -> Iterator[RegexMatch]:
        """What ``regex.finditer(text, start, end)`` yields."""
        if self.line_starts is None or not isinstance(self.regex, re.Pattern):
            return iter(self.regex.finditer(text, start, end))
        return _line_start_matches(self.regex, self.line_starts, text, start, end)


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the pattern once per process."""
    regex = pack_regex(str(params["pattern"]), re.MULTILINE, iterate=True)
    group = params.get("report_group")
    if group and group not in regex.groupindex:
        raise ValueError(f"report_group '{group}' is not a named group of pattern")
    required = required_text(str(params["pattern"]))
    needles = None if required else _needles(str(params["pattern"]))
    if not isinstance(regex, re.Pattern):
        # NOTE: RE2 needs no line-start scanner (linear anyway).
        return Prepared(regex, None, required, needles)
    return Prepared(regex, _line_start_scanner(regex), required, needles)


def _needles(pattern: str) -> re.Pattern[str] | None:
    """A scanner for the texts one of which every match holds, or None.

    NOTE: such a pattern (an alternation of words) is tried at every
    character; most drafts hold none of its words, which one scan for them
    (a literal alternation, fast) shows.
    """
    choices = required_choices(pattern, re.MULTILINE)
    if not choices:
        return None
    texts = min(choices, key=len)
    return compile_regex("|".join(re.escape(t) for t in sorted(texts)))


def _line_start_scanner(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""``\n(?=pattern)`` for a pattern that starts with ``^``, else None.

    NOTE: ``re`` tries such a pattern at every character of the text (it
    has no first character to skip to), ~7 ns each; the scanner skips from
    newline to newline like a literal and tries the pattern only there.
    """
    if not starts_at_line_start(regex):
        return None
    try:
        return compile_regex(f"\n(?={regex.pattern})", regex.flags)
    except re.error:  # NOTE: e.g. global inline flags, which must lead
        return None


def _line_start_matches(
    regex: re.Pattern[str],
    line_starts: re.Pattern[str],
    text: str,
    start: int,
    end: int,
) -> Iterator[re.Match[str]]:
    """``regex.finditer(text, start, end)`` for a pattern that needs a line start.

    NOTE: such a pattern matches only at ``start`` (when a line starts
    there) or right after a newline the scanner finds, so each search jumps
    to the first of those where it matches. An empty match hands over to
    ``finditer``, which alone knows that the next match must then advance.
    """
    pos = start
    while True:
        match = None
        if pos == 0 or text[pos - 1] == "\n":
            match = regex.match(text, pos, end)
        if match is None:
            newline = line_starts.search(text, pos, end)
            if newline is None:
                return
            match = regex.match(text, newline.start() + 1, end)
            if match is None:  # pragma: no cover - the scanner proved it matches
                return
        if match.end() == match.start():
            rest = regex.finditer(text, match.start(), end)
            yield from rest  # NOTE: the first is this same match
            return
        yield match
        pos = match.end()


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Yield a hit per match inside the scope."""
    params = rule.params
    text = report.document.text
    group = params.get("report_group") or 0
    required = prepared.required
    for scope in scope_spans(report, str(params["scope"])):
        if required and text.find(required, scope.start, scope.end) < 0:
            # NOTE: no match can lie in the scope (most drafts hold no typo
            # or leftover); a search for the text costs less than the regex.
            continue
        needles = prepared.needles
        if needles is not None and needles.search(text, scope.start, scope.end) is None:
            continue  # NOTE: likewise, for one of several texts.
        for match in prepared.finditer(text, scope.start, scope.end):
            if match.end() == match.start():
                continue
            span = Span(match.start(group), match.end(group))
            args: dict[str, Any] = {"match": match.group(0)}
            args.update({k: v or "" for k, v in match.groupdict().items()})
            yield Hit(span, args, _fix(report, params, match, span))


def _fix(
    report: Report, params: Mapping[str, Any], match: RegexMatch, span: Span
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
