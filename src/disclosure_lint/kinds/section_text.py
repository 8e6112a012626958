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

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

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


def prepare(params: Mapping[str, Any]) -> list[tuple[Regex, str]]:
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
    return compiled


def check(
    report: Report, rule: Rule, patterns: list[tuple[Regex, str]]
) -> Iterator[Hit]:
    """Yield a hit at each section heading whose text lacks what is required."""
    text = report.document.text
    mode = rule.params["require"]
    wanted = {str(k) for k in rule.params["sections"]}
    seen: set[str] = set()
    for section in report.outline.sections:
        if section.key not in wanted or section.key in seen:
            continue
        seen.add(section.key)
        body = text[section.body.start : section.body.end]
        if mode == "nonempty":
            missing = [] if body.strip() else ["text"]
        else:
            missing = [label for regex, label in patterns if not regex.search(body)]
            if mode == "any" and len(missing) < len(patterns):
                missing = []
        if missing:
            yield Hit(
                section.span,
                {"heading": section.heading, "missing": "、".join(missing)},
            )


KIND = KindSpec("section-text", PARAMS, check, prepare, __doc__ or "")
