"""Kind ``copied-sections``: sections copied from last year's report (内容雷同).

Each section of ``sections`` is cut into sentences and each sentence
normalised (``year_text``: numbers and years as ``#``, no blanks or
punctuation); sentences shorter than ``min_chars`` (numbered sub-headings,
``无。``) and those a ``boilerplate`` regex finds (on the normalised text)
do not count. When at least ``threshold`` of this year's counted sentences
of a section are also in last year's same section, one finding points at
the section's heading and names the first repeated sentence in last
year's report (``related``). A section with fewer than ``min_sentences``
counted sentences is not judged: a one-line section (``本年度未收取信息处理费。``)
may well read the same every year. The configuration's ``copy-threshold``
(``LintOptions.copy_threshold``) overrides ``threshold``.

What a draft keeps (``extract``), per section: its heading's place and,
compactly (``SectionPrint``), per counted sentence a 64-bit fingerprint of
the normalised text and its offsets, the offsets of the section's lines,
and the excerpts (first ``excerpt_chars`` characters) of only the first
sentences, those that can be named at the share of the draft's options.

Params:
    sections: section keys.
    threshold: share of repeated sentences (0 < threshold <= 1).
    min_sentences: fewest counted sentences a judged section has.
    boilerplate: regexes (normalised text) of sentences that do not count.
    problem_sections: sections that list problems: their message says the
        same problems are listed again (argument ``problems``).
    excerpt_chars: longest excerpt of a sentence kept.
    and the sentence params of ``year_text``.

Message arguments: ``heading``, ``share`` (``85%``), ``repeated``,
``total``, ``sentence`` (this year's first repeated sentence, clipped),
``problems`` (true for a section of ``problem_sections``).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Position, Span
from ..named_tuples import NamedTuple
from ..records import dataclass
from ..regex.guard import pack_regex
from .base import KindSpec, PairHit, Param, Where, no_hits, where
from .report import LintOptions, Report
from .year_text import (
    SENTENCE_PARAMS,
    SentenceRules,
    clip,
    fingerprints,
    section_sentences,
    sentence_rules,
)

if TYPE_CHECKING:
    from ..document.source import Location
    from ..packs.model import Rule
    from ..regex.linear import Regex

PARAMS = {
    "sections": Param("list", required=True, help="section keys"),
    "threshold": Param("float", default=0.8, help="share of repeated sentences"),
    "min_sentences": Param("int", default=3, help="fewer counted: not judged"),
    "boilerplate": Param("list", default=[], help="regexes: sentences not counted"),
    "problem_sections": Param("list", default=[], help="sections listing problems"),
    "excerpt_chars": Param("int", default=30, help="longest excerpt kept"),
    **SENTENCE_PARAMS,
}


class SectionPrint(NamedTuple):
    """A section as a draft keeps it: heading and counted sentences.

    Kept compact (a batch keeps one per section of every draft): per
    counted sentence its fingerprint (``prints``) and its start and end
    offsets (``offsets``, two numbers a sentence); the offsets of the lines
    they are on (``lines``, the first being line ``first_line``), from
    which ``compare`` makes the place of the one sentence it names; their
    places in the source file (``locations``, None for plain text); and
    the excerpts (clipped) of only the first ``len(excerpts)`` sentences:
    the first repeated sentence of a section judged copied is among them
    (``excerpts_needed``).
    """

    heading: Where
    title: str
    prints: array[int]
    offsets: array[int]
    first_line: int
    lines: array[int]
    excerpts: tuple[str, ...]
    locations: tuple[Location | None, ...] | None
    # The share the excerpts were kept for (see ``excerpts_needed``).
    cut: float


@dataclass(frozen=True, slots=True)
class Prepared:
    """The params, checked and compiled."""

    sections: tuple[str, ...]
    threshold: float
    min_sentences: int
    boilerplate: tuple[Regex, ...]
    problem_sections: frozenset[str]
    excerpt_chars: int
    rules: SentenceRules


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the regexes; check the threshold."""
    threshold = check_share(params["threshold"], "threshold")
    return Prepared(
        tuple(str(k) for k in params["sections"]),
        threshold,
        int(params["min_sentences"]),
        tuple(pack_regex(str(p)) for p in params["boilerplate"]),
        frozenset(str(k) for k in params["problem_sections"]),
        int(params["excerpt_chars"]),
        sentence_rules(params),
    )


def check_share(value: Any, what: str) -> float:
    """``value`` as a share above 0 and at most 1.

    Raises:
        ValueError: naming ``what``.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number above 0 and at most 1")
    if not 0 < value <= 1:
        raise ValueError(f"{what} must be above 0 and at most 1, not {value}")
    return float(value)


def extract(report: Report, rule: Rule, prepared: Prepared) -> dict[str, SectionPrint]:
    """Per section: its heading and its counted sentences' fingerprints."""
    text = report.document.text
    out: dict[str, SectionPrint] = {}
    cut = _threshold(prepared, report.options)
    for key in prepared.sections:
        section = report.outline.section(key)
        if section is None:
            continue
        found = section_sentences(text, section.body, prepared.rules)
        counted = [
            i
            for i, normal in enumerate(found.normal)
            if len(normal) >= prepared.rules.min_chars
            and not any(regex.search(normal) for regex in prepared.boilerplate)
        ]
        bounds = [found.bounds[i] for i in counted]
        keep = excerpts_needed(len(counted), cut, prepared.min_sentences)
        excerpts = tuple(
            clip(text[start:end], prepared.excerpt_chars)
            for start, end in bounds[:keep]
        )
        first_line, lines = _lines(report, section.body)
        source = report.document.source
        out[key] = SectionPrint(
            where(report, section.span),
            section.heading,
            fingerprints([found.normal[i] for i in counted]),
            _numbers([offset for bound in bounds for offset in bound]),
            first_line,
            lines,
            excerpts,
            None if source is None else tuple(source.locate(*b) for b in bounds),
            cut,
        )
    return out


def excerpts_needed(counted: int, threshold: float, min_sentences: int) -> int:
    """How many of a section's first counted sentences may be named.

    The first repeated sentence, at index ``f``, is followed by the others
    repeated: a section with ``repeated / counted >= threshold`` has
    ``(counted - f) / counted >= threshold`` (the same float division, so
    the same rounding). A section too short to be judged names none.
    """
    if counted < min_sentences:
        return 0
    keep = 0
    while keep < counted and (counted - keep) / counted >= threshold:
        keep += 1
    return keep


def _threshold(prepared: Prepared, options: LintOptions) -> float:
    configured = options.copy_threshold
    return prepared.threshold if configured is None else configured


def _lines(report: Report, body: Span) -> tuple[int, array[int]]:
    """The number of the line ``body`` starts on, and the offsets of its lines."""
    text = report.document.text
    position = report.document.position(body.start)
    starts = [body.start - position.column + 1]
    starts += [m.end() for m in _LINE_BREAK.finditer(text, body.start, body.end)]
    return position.line, _numbers(starts)


_LINE_BREAK = re.compile("\n")


def _numbers(values: list[int]) -> array[int]:
    """Non-negative numbers in 2 bytes each if they fit, else in 8."""
    return array("H" if not values or max(values) < 0x10000 else "Q", values)


def _place(section: SectionPrint, index: int) -> Where:
    """The place of counted sentence ``index`` (what ``where`` gave)."""
    start, end = section.offsets[2 * index], section.offsets[2 * index + 1]
    locations = section.locations
    return Where(
        Span(start, end),
        _position(section, start),
        _position(section, end),
        None if locations is None else locations[index],
    )


def _position(section: SectionPrint, offset: int) -> Position:
    line = bisect_right(section.lines, offset) - 1
    return Position(section.first_line + line, offset - section.lines[line] + 1)


def compare(
    current: dict[str, SectionPrint],
    previous: dict[str, SectionPrint],
    rule: Rule,
    prepared: Prepared,
    options: LintOptions,
) -> Iterator[PairHit]:
    """One hit per section mostly repeated from last year's same section."""
    threshold = _threshold(prepared, options)
    for key in prepared.sections:
        this, last = current.get(key), previous.get(key)
        if this is None or last is None:
            continue
        total = len(this.prints)
        if total < prepared.min_sentences:
            continue
        # NOTE: the first of equal sentences is the one named.
        earlier: dict[int, int] = {}
        for index, print_ in enumerate(last.prints):
            earlier.setdefault(print_, index)
        repeated = [i for i, p in enumerate(this.prints) if p in earlier]
        share = len(repeated) / total
        if not repeated or share < threshold:
            continue
        first = repeated[0]
        if first >= len(this.excerpts):
            # NOTE: only if this year's digest was built for a higher share.
            raise ValueError(
                f"copied-sections: digest kept excerpts for a share of {this.cut}, "
                f"compared at {threshold}"
            )
        yield PairHit(
            this.heading,
            {
                "heading": this.title,
                # NOTE: rounded down: a share just short of all is not 100%.
                "share": f"{len(repeated) * 100 // total}%",
                "repeated": len(repeated),
                "total": total,
                "sentence": this.excerpts[first],
                "problems": key in prepared.problem_sections,
            },
            _place(last, earlier[this.prints[first]]),
        )


KIND = KindSpec(
    "copied-sections",
    PARAMS,
    no_hits,
    prepare,
    __doc__ or "",
    extract=extract,
    compare=compare,
)
