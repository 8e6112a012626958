"""Which waiver covers which finding.

A finding's ``Anchor`` is its flagged text with the text around it on its
line; ``assign`` pairs waivers and anchors one to one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from ..document.findings import Finding
from ..document.text import Document, Record
from ..packs.model import Rule
from .waiver_file import (
    CONTEXT,
    QUOTE_LIMIT,
    Waiver,
)


def flagged_region(doc: Document, finding: Finding) -> str:
    """The whole line(s) a finding is on (what a waiver's text is sought in)."""
    first, last = finding.start.line, finding.end.line
    if last > first and finding.end.column == 1:
        last -= 1  # NOTE: a span ending with its line break ends on that line
    start = doc.index.line_start(first)
    end = doc.index.line_span(min(last, doc.index.line_count or 1)).end
    return doc.text[start:end]


class Anchor(Record):
    """What identifies a finding to a waiver: rule, text and its context.

    NOTE: a plain record, not a dataclass: this module is on the start-up
    path of every check (see ``document``).
    """

    __match_args__ = ("rule", "name", "aliases", "text", "before", "after", "region")
    __slots__ = __match_args__

    def __init__(
        self,
        rule: str,
        name: str,
        aliases: tuple[str, ...],
        text: str,
        before: str,
        after: str,
        region: str,
    ) -> None:
        """The finding of rule ``rule`` (``name``, ``aliases``) at ``text``.

        ``text`` is its first line, at most QUOTE_LIMIT characters;
        ``before`` / ``after`` are up to CONTEXT characters of its line around
        it; ``region`` is its whole line(s), for loose entries.
        """
        self.rule: Final = rule
        self.name: Final = name
        self.aliases: Final = aliases
        self.text: Final = text
        self.before: Final = before
        self.after: Final = after
        self.region: Final = region

    def rule_is(self, token: str) -> bool:
        """``token`` (a waiver's ``rule``) names this finding's rule."""
        return token.upper() == self.rule or token == self.name or token in self.aliases


def anchor(doc: Document, finding: Finding, rule: Rule | None) -> Anchor:
    """The anchor of ``finding`` in ``doc`` (``rule``: its rule, for aliases)."""
    text = doc.text
    start, end = finding.span.start, finding.span.end
    stop = text.find("\n", start, min(end, start + QUOTE_LIMIT))
    flagged = text[start : stop if stop != -1 else min(end, start + QUOTE_LIMIT)]
    line_start = doc.index.line_start(finding.start.line)
    before = text[max(line_start, start - CONTEXT) : start]
    if end > start and text[end - 1] == "\n":
        after = ""  # NOTE: the span ends with its line break: nothing follows
    else:
        stop = text.find("\n", end, end + CONTEXT)
        after = text[end : stop if stop != -1 else end + CONTEXT]
    return Anchor(
        finding.rule,
        finding.name,
        tuple(rule.aliases) if rule is not None else (),
        flagged,
        before,
        after,
        flagged_region(doc, finding),
    )


def _exact(waiver: Waiver, found: Anchor) -> bool:
    return (waiver.before is None or waiver.before == found.before) and (
        waiver.after is None or waiver.after == found.after
    )


def _one_side(waiver: Waiver, found: Anchor) -> bool:
    # NOTE: the line changed on one side of the text; the other side, if it
    # says anything, still tells this occurrence from the others.
    if not waiver.text:
        return False
    return bool(waiver.before and waiver.before == found.before) or bool(
        waiver.after and waiver.after == found.after
    )


def _same_text(waiver: Waiver, found: Anchor) -> bool:
    return waiver.text in (found.text, found.text.strip())


def _in_line(waiver: Waiver, found: Anchor) -> bool:
    return waiver.text in found.region


def assign(waivers: Sequence[Waiver], anchors: Sequence[Anchor]) -> dict[int, Waiver]:
    """Which waiver covers which finding (by index into ``anchors``).

    One waiver covers at most one finding and one finding is covered by at
    most one waiver. Passes go from the closest match to the loosest, so
    that a loose entry never takes a finding an anchored one names exactly;
    within a pass waivers go in file order and findings in document order.
    """
    anchored = [w for w in waivers if w.anchored]
    loose = [w for w in waivers if not w.anchored]
    by_text: dict[str, list[int]] = {}
    for i, found in enumerate(anchors):
        by_text.setdefault(found.text, []).append(i)
    taken: dict[int, Waiver] = {}
    done: set[int] = set()
    passes: list[tuple[list[Waiver], Callable[[Waiver, Anchor], bool], bool]] = [
        (anchored, _exact, True),
        (anchored, _one_side, True),
        (loose, _same_text, False),
        (loose, _in_line, False),
    ]
    everything = range(len(anchors))
    for group, test, text_equal in passes:
        for waiver in group:
            if id(waiver) in done:
                continue
            candidates = by_text.get(waiver.text, []) if text_equal else everything
            for i in candidates:
                found = anchors[i]
                if i in taken or not found.rule_is(waiver.rule):
                    continue
                if test(waiver, found):
                    taken[i] = waiver
                    done.add(id(waiver))
                    break
    return taken
