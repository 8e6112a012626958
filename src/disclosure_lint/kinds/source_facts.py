"""Kind ``source-facts``: what a reader noticed in the source, not in its text.

A Word draft can still hold open tracked changes and comments: the reader
renders it as if every change were accepted and comments removed, and
records how many there were (``SourceMap.facts``: name → count and offset of
the first one in the rendered text). A draft with open revisions is not
ready to publish. One hit per draft, where the first fact was found, when
any of the named facts was seen; a text draft has no facts.

Params:
    facts: names of the facts to report (``revisions``, ``comments``).

Message arguments: each fact's count by its name, and ``total``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from .base import Hit, KindSpec, Param
from .report import Report

if TYPE_CHECKING:
    from ..packs.model import Rule

PARAMS = {
    "facts": Param("list", required=True, help="names of the facts to report"),
}


def prepare(params: Mapping[str, Any]) -> tuple[str, ...]:
    """The fact names, checked."""
    names = tuple(str(name) for name in params["facts"])
    if not names:
        raise ValueError("facts is empty")
    return names


def check(report: Report, rule: Rule, names: tuple[str, ...]) -> Iterator[Hit]:
    """One hit at the first fact seen, with every fact's count."""
    source = report.document.source
    if source is None:
        return
    counts: dict[str, Any] = {}
    firsts: list[int] = []
    for name in names:
        count, first = source.facts.get(name, (0, 0))
        counts[name] = count
        if count:
            firsts.append(first)
    if not firsts:
        return
    length = len(report.document.text)
    at = max(0, min(min(firsts), length))
    counts["total"] = sum(counts[name] for name in names)
    yield Hit(Span(at, at), counts)


KIND = KindSpec("source-facts", PARAMS, check, prepare, __doc__ or "")
