"""Kind ``section-text``: what a section's own text must contain.

Params:
    sections: section keys (from ``document.sections``) to check; a key whose
        section is absent is skipped (``sections`` rules report that).
    require: ``nonempty`` (the section has text of its own besides its
        heading), ``any`` (at least one of ``patterns`` occurs) or ``all``
        (every pattern occurs; the missing ones are listed).
    patterns: list of ``{pattern, label}``; ``label`` names what is missing.

The finding points at the section heading. Message arguments: ``heading``,
``missing`` (labels joined with 、).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..named_tuples import NamedTuple
from ..regex.guard import pack_regex
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex

MODES = ("nonempty", "any", "all")
PARAMS = {
    "sections": Param("list", required=True, help="section keys"),
    "require": Param("str", default="nonempty", help=", ".join(MODES)),
    "patterns": Param("list", default=[], help="[{pattern, label}]"),
}


class Prepared(NamedTuple):
    """A rule made ready: its mode, its section keys, its compiled patterns."""

    mode: str
    sections: frozenset[str]
    patterns: list[tuple[Regex, str]]


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the patterns; check the mode."""
    if params["require"] not in MODES:
        raise ValueError(f"require must be one of {', '.join(MODES)}")
    compiled = []
    for item in params["patterns"]:
        if not isinstance(item, dict) or not {"pattern", "label"} <= set(item):
            raise ValueError("each pattern needs 'pattern' and 'label'")
        compiled.append((pack_regex(str(item["pattern"])), str(item["label"])))
    if params["require"] != "nonempty" and not compiled:
        raise ValueError(f"require '{params['require']}' needs patterns")
    sections = frozenset(str(k) for k in params["sections"])
    return Prepared(str(params["require"]), sections, compiled)


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Yield a hit at each section heading whose text lacks what is required."""
    text = report.document.text
    mode, wanted, patterns = prepared
    seen: set[str] = set()
    for section in report.outline.sections:
        key = section.key
        if key not in wanted or key in seen:
            continue
        seen.add(key)
        body = section.body
        if mode == "nonempty":
            # NOTE: ``text[body].strip()`` without copying the body: ``\S``
            # is exactly what ``str.strip`` keeps (``str.isspace``).
            blank = _NONBLANK.search(text, body.start, body.end) is None
            missing = ["text"] if blank else []
        else:
            within = text[body.start : body.end]
            missing = [label for regex, label in patterns if not regex.search(within)]
            if mode == "any" and len(missing) < len(patterns):
                missing = []
        if missing:
            yield Hit(
                section.span,
                {"heading": section.heading, "missing": "、".join(missing)},
            )
        if len(seen) == len(wanted):
            return  # NOTE: every section checked; the rest are repeats or others


_NONBLANK = re.compile(r"\S")


KIND = KindSpec("section-text", PARAMS, check, prepare, __doc__ or "")
