"""Kind ``paired-punctuation``: a closing mark with no opening mark before it.

Each paragraph (line) is scanned left to right; a closing mark seen while no
matching opening mark is open is flagged. The fix deletes the stray mark and,
when the mark sits between two punctuation marks (``活动，》，于``), the
second of those too, so the sentence does not end up with ``，，``.

Params:
    pairs: list of ``[open, close]`` single characters.
    punctuation: characters treated as punctuation for the clean-up above.
    safe: whether the fix may be applied by ``--fix`` (default true).

Message arguments: ``mark``, ``open``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..document import Span
from ..packs import Rule
from ..report import Report
from .base import FixSpec, Hit, KindSpec, Param

PARAMS = {
    "pairs": Param("list", required=True, help="[open, close] pairs"),
    "punctuation": Param("str", default="，。、；：,.;:", help="punctuation marks"),
    "safe": Param("bool", default=True, help="fix is safe for --fix"),
}


@dataclass(frozen=True, slots=True)
class Prepared:
    """Closing → opening marks, a scanner for all marks, one for closers."""

    closing: dict[str, str]
    marks: re.Pattern[str]
    closers: re.Pattern[str]


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Map each closing mark to its opening mark; compile scanners for them."""
    closing: dict[str, str] = {}
    for pair in params["pairs"]:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(len(str(c)) == 1 for c in pair)
        ):
            raise ValueError("each pair must be [open, close], one character each")
        if pair[0] == pair[1]:
            raise ValueError("open and close marks must differ")
        closing[str(pair[1])] = str(pair[0])
    marks = "".join(closing) + "".join(closing.values())
    return Prepared(
        closing,
        re.compile(f"[{re.escape(marks)}]"),
        re.compile(f"[{re.escape(''.join(closing))}]"),
    )


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Yield a hit for every unmatched closing mark.

    NOTE: only lines that contain a closing mark can hold a finding, so the
    text is searched for closers and just those lines are scanned; a draft
    with no stray mark costs one regex search.
    """
    text = report.document.text
    punctuation = str(rule.params["punctuation"])
    safe = bool(rule.params["safe"])
    search = prepared.closers.search
    found = search(text)
    while found is not None:
        line_start = text.rfind("\n", 0, found.start()) + 1
        line_end = text.find("\n", found.start())
        line_end = len(text) if line_end == -1 else line_end
        for offset, end in _strays(text, line_start, line_end, prepared):
            ch = text[offset]
            before = text[offset - 1] if offset > 0 else ""
            after = text[end] if end < len(text) else ""
            if before and after and before in punctuation and after in punctuation:
                end += 1
            yield Hit(
                Span(offset, offset + 1),
                {"mark": ch, "open": prepared.closing[ch]},
                FixSpec(Span(offset, end), "", safe),
            )
        found = search(text, line_end)


def _strays(
    text: str, start: int, end: int, prepared: Prepared
) -> Iterator[tuple[int, int]]:
    """Offsets of unmatched closing marks in ``text[start:end]`` (one line)."""
    closing = prepared.closing
    depth = dict.fromkeys(closing.values(), 0)
    for match in prepared.marks.finditer(text, start, end):
        offset, ch = match.start(), match.group()
        if ch in depth:
            depth[ch] += 1
            continue
        open_mark = closing[ch]
        if depth[open_mark] > 0:
            depth[open_mark] -= 1
            continue
        yield offset, offset + 1


KIND = KindSpec("paired-punctuation", PARAMS, check, prepare, __doc__ or "")
