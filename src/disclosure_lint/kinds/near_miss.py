"""Kind ``near-miss``: a label a few characters away from the official one.

``table-labels``: table captions, column headers and row labels that the
reader recognised only as a near miss (edit distance within the pack's
``tables.reader.near_miss`` limits, e.g. ``上年转结`` for ``上年结转``).
``headings``: section headings within the same limits of the official
heading or an accepted variant. Exact labels and accepted variants never
match. The fix replaces only the differing characters.

Params:
    target: ``table-labels`` or ``headings``.
    safe: whether the fix may be applied by ``--fix`` (default true).

Message arguments: ``text`` (as written), ``official``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..document.fold import fold_text
from ..document.text import Span
from ..regex.guard import pack_regex
from ..tables.compile import compiled_tables
from ..tables.labels import minimal_fix, osa_distance
from ..tables.schema import NearMiss
from .base import FixSpec, Hit, KindSpec, Param
from .report import Report
from .table_support import table_walk

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex

TARGETS = ("table-labels", "headings")
PARAMS = {
    "target": Param("str", required=True, help=", ".join(TARGETS)),
    "safe": Param("bool", default=True, help="fixes are safe for --fix"),
}
_TRAILING = re.compile(r"[:：。.,，;；]+$")
_DEFAULT_NEAR = NearMiss(min_length=4, long_length=8, short=1, long=2)
# Headings are compared without their numeral already: nothing to skip.
_NO_NUMBERING = re.compile(r"(?!)")


def prepare(params: Mapping[str, Any]) -> str:
    """Validate ``target``."""
    if params["target"] not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}")
    return str(params["target"])


def check(report: Report, rule: Rule, target: str) -> Iterator[Hit]:
    """Yield a hit with a fix for every near-miss label or heading."""
    safe = bool(rule.params["safe"])
    if target == "table-labels":
        # NOTE: a skipped table's labels are torn by the layout (TB012); the
        # walk leaves it out, and the tables without a fuzzy label.
        for table in table_walk(report).candidates["fuzzy"]:
            for hit in table.labels:
                if hit.quality != "fuzzy" or hit.fix is None:
                    continue
                span, replacement = hit.fix
                yield Hit(
                    hit.span,
                    {"text": hit.text, "official": hit.official},
                    FixSpec(span, replacement, safe),
                )
        return
    yield from _headings(report, safe)


def _headings(report: Report, safe: bool) -> Iterator[Hit]:
    for section in report.outline.sections:
        if section.variant:
            break
    else:
        return  # NOTE: only a variant heading can be a near miss; most drafts
        # have none, and need not gather the pack's headings.
    spec = report.pack.document
    patterns = [str(p) for p in spec.get("heading_patterns") or []]
    if spec.get("heading_pattern"):
        patterns.append(str(spec["heading_pattern"]))
    regexes = [_regex(p) for p in patterns]
    near = _DEFAULT_NEAR
    if report.pack.tables:
        near = compiled_tables(report.pack).reader.near_miss
    official = {
        str(s["key"]): [str(s["heading"]), *(str(a) for a in s.get("aliases") or [])]
        for s in spec.get("sections") or []
    }
    for section in report.outline.sections:
        if not section.variant:
            continue
        match = next((m for r in regexes if (m := r.match(section.heading))), None)
        if match is None:
            continue
        text = _TRAILING.sub("", match.group("text").rstrip())
        folded = fold_text(text)
        best: tuple[int, str] | None = None
        for candidate in official.get(section.key, []):
            target = fold_text(candidate)
            if target == folded:
                best = None
                break
            limit = near.limit(len(target))
            distance = osa_distance(folded, target, limit)
            if 0 < distance <= limit and (best is None or distance < best[0]):
                best = (distance, candidate)
        if best is None:
            continue
        start = section.span.start + match.start("text")
        fix_start, fix_end, replacement = minimal_fix(
            text, start, best[1], _NO_NUMBERING
        )
        yield Hit(
            Span(start, start + len(text)),
            {"text": text, "official": best[1]},
            FixSpec(Span(fix_start, fix_end), replacement, safe),
        )


@lru_cache(maxsize=16)
def _regex(pattern: str) -> Regex:
    return pack_regex(pattern)


KIND = KindSpec("near-miss", PARAMS, check, prepare, __doc__ or "")
