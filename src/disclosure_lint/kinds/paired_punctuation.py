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


def prepare(params: Mapping[str, Any]) -> tuple[dict[str, str], re.Pattern[str]]:
    """Map each closing mark to its opening mark; compile a scanner for them."""
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
    return closing, re.compile(f"[{re.escape(marks)}\n]")


def check(
    report: Report, rule: Rule, prepared: tuple[dict[str, str], re.Pattern[str]]
) -> Iterator[Hit]:
    """Yield a hit for every unmatched closing mark."""
    closing, scanner = prepared
    text = report.document.text
    opening = set(closing.values())
    punctuation = str(rule.params["punctuation"])
    safe = bool(rule.params["safe"])
    depth = dict.fromkeys(opening, 0)
    for match in scanner.finditer(text):
        offset, ch = match.start(), match.group()
        if ch == "\n":
            depth = dict.fromkeys(opening, 0)
        elif ch in opening:
            depth[ch] += 1
        elif ch in closing:
            open_mark = closing[ch]
            if depth[open_mark] > 0:
                depth[open_mark] -= 1
                continue
            end = offset + 1
            before = text[offset - 1] if offset > 0 else ""
            after = text[end] if end < len(text) else ""
            if before and after and before in punctuation and after in punctuation:
                end += 1
            yield Hit(
                Span(offset, offset + 1),
                {"mark": ch, "open": open_mark},
                FixSpec(Span(offset, end), "", safe),
            )


KIND = KindSpec("paired-punctuation", PARAMS, check, prepare, __doc__ or "")
