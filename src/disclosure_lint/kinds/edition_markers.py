r"""Kind ``edition-markers``: labels of the other edition's tables.

A 2021 report still using the 2019 tables (``第二十条第（九）项``,
``本年新制作数量``…) or a 2020 report with 2021 columns has the wrong
format for its year. The markers are matched in the table sections whatever
their width, punctuation or blanks (``第二十条第(九)项``, ``本年新制作\n数量``).
One finding per draft, at the first marker, lists every marker found.

Params:
    markers: labels that belong only to the other edition.
    sections: section keys to search (default: 二, 三 and 四, i.e.
        ``proactive``, ``applications``, ``review``; the whole text when none
        of them is found).

Message arguments: ``markers`` (joined with 、), ``count``, ``year``,
``edition``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.fold import fold_char_table, fold_text
from ..document.text import Span
from ..records import dataclass
from ..regex.cached import compile_regex
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule

PARAMS = {
    "markers": Param("list", required=True, help="labels of the other edition"),
    "sections": Param(
        "list",
        default=["proactive", "applications", "review"],
        help="section keys to search",
    ),
}
# Blanks the fold drops may sit between any two characters of a marker.
_GAP = r"[\s\u200b\u200c\u200d\ufeff]*"


@dataclass(frozen=True, slots=True)
class Prepared:
    """The markers' regex, its group names, and where a match can start."""

    regex: re.Pattern[str]
    names: dict[str, str]
    # Where a match can start: a character a marker can start with, followed
    # (blanks between) by one its second character can be.
    starts: re.Pattern[str]


def prepare(params: Mapping[str, Any]) -> Prepared:
    """One regex for all markers, tolerant of width, punctuation and blanks."""
    markers = [str(m) for m in params["markers"]]
    if not markers:
        raise ValueError("markers is empty")
    variants = _variants()
    names: dict[str, str] = {}
    parts = []
    firsts: set[str] = set()
    seconds: set[str] = set()
    short = False  # a marker of one character: no second to look for
    for i, marker in enumerate(sorted(markers, key=len, reverse=True)):
        folded = fold_text(marker)
        if not folded:
            raise ValueError(f"marker '{marker}' is empty")
        body = _GAP.join(_char_class(ch, variants) for ch in folded)
        parts.append(f"(?P<m{i}>{body})")
        names[f"m{i}"] = marker
        firsts |= {folded[0], *variants.get(folded[0], set())}
        if len(folded) == 1:
            short = True
        else:
            seconds |= {folded[1], *variants.get(folded[1], set())}
    starts = _class(firsts)
    if not short:
        # NOTE: 本 starts many words of a draft, 本年 fewer: the marker
        # regex is tried at fewer places.
        starts += f"(?={_GAP}{_class(seconds)})"
    return Prepared(compile_regex("|".join(parts)), names, compile_regex(starts))


def _class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _variants() -> dict[str, set[str]]:
    """For each folded character, every character that folds to it."""
    out: dict[str, set[str]] = {}
    for code, target in fold_char_table().items():
        if target is not None:
            out.setdefault(chr(target), set()).add(chr(code))
    return out


def _char_class(ch: str, variants: dict[str, set[str]]) -> str:
    chars = sorted({ch, *variants.get(ch, set())})
    if len(chars) == 1:
        return re.escape(ch)
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """One hit at the first marker, naming every marker found."""
    text = report.document.text
    wanted = set(rule.params["sections"])
    spans = [s.body for s in report.outline.sections if s.key in wanted]
    if not spans:
        spans = [Span(0, len(text))]
    found: list[tuple[int, int, str]] = []
    for span in spans:
        found.extend(_markers(text, span, prepared))
    if not found:
        return
    found.sort()
    listed = list(dict.fromkeys(marker for _, _, marker in found))
    start, end, _ = found[0]
    yield Hit(
        Span(start, end),
        {
            "markers": "、".join(listed),
            "count": len(listed),
            "year": report.outline.year or "",
            "edition": report.pack.edition or "",
        },
    )


def _markers(
    text: str, span: Span, prepared: Prepared
) -> Iterator[tuple[int, int, str]]:
    """Every match of the regex in ``span``, as ``finditer`` finds them.

    NOTE: the alternation of character classes is slow to try at every
    position; a match can only start where ``starts`` matches, which a
    character class finds fast, so it is tried only there.
    """
    pos, end = span.start, span.end
    while True:
        start = prepared.starts.search(text, pos, end)
        if start is None:
            return
        match = prepared.regex.match(text, start.start(), end)
        if match is None:
            pos = start.start() + 1
            continue
        yield match.start(), match.end(), prepared.names[match.lastgroup or ""]
        pos = match.end()


KIND = KindSpec("edition-markers", PARAMS, check, prepare, __doc__ or "")
