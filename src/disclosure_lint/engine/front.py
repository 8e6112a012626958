"""A crawler's metadata header before the report: no part of its text.

A page saved by a crawler starts with ``标题: …``, ``发布时间: …`` lines
and a separator (``==== 正文 ====``); the pack says which keys and which
separator (``document.crawler_header``). Text rules start after it (no
FM002 "web leftover" on ``发布时间: …``), while the outline may still read
the title and publication date from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..document.text import Document


def front_matter(doc: Document, spec: Mapping[str, Any]) -> int:
    """Where the report starts after a crawler's metadata header, else 0.

    The header (pack ``document.crawler_header``): up to ``max_lines``
    lines at the start, ``min_keys`` of them ``key: value`` with a known
    key, ending with a separator line (``==== 正文 ====``).
    """
    header = spec.get("crawler_header")
    first = doc.text[: doc.text.find("\n")]
    if not header or (":" not in first and "：" not in first):
        return 0  # NOTE: most drafts: a header starts with a `key: value` line
    separator = _compiled(str(header["separator"]))
    keys = tuple(str(k) for k in header.get("keys", ()))
    lines, starts = doc.split_lines()
    known = 0
    for i, line in enumerate(lines[: int(header.get("max_lines", 20))]):
        if separator.match(line):
            if known >= int(header.get("min_keys", 2)) and i + 1 < len(starts):
                return starts[i + 1]
            return 0
        key = line.lstrip().partition(":")[0].partition("：")[0].strip()
        if key in keys:
            known += 1
    return 0


_SEPARATORS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    found = _SEPARATORS.get(pattern)
    if found is None:
        found = _SEPARATORS[pattern] = re.compile(pattern)
    return found
