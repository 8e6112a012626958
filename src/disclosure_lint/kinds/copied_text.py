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
per counted sentence, a 64-bit fingerprint of the normalised text, its
place and its first ``excerpt_chars`` characters.

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

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ..records import dataclass
from ..regex.guard import pack_regex
from .base import KindSpec, PairHit, Param, Where, no_hits, where
from .report import LintOptions, Report
from .year_text import (
    SENTENCE_PARAMS,
    SentenceRules,
    clip,
    fingerprint,
    normalise,
    sentence_rules,
    sentences,
)

if TYPE_CHECKING:
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


class Printed(NamedTuple):
    """A counted sentence as a draft keeps it."""

    fingerprint: int
    where: Where
    excerpt: str


class SectionPrint(NamedTuple):
    """A section as a draft keeps it: heading and counted sentences."""

    heading: Where
    title: str
    sentences: tuple[Printed, ...]


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
    for key in prepared.sections:
        section = report.outline.section(key)
        if section is None:
            continue
        printed = []
        for span in sentences(text, section.body, prepared.rules):
            sentence = text[span.start : span.end]
            normal = normalise(sentence, prepared.rules)
            if len(normal) < prepared.rules.min_chars or any(
                regex.search(normal) for regex in prepared.boilerplate
            ):
                continue
            excerpt = clip(sentence, prepared.excerpt_chars)
            printed.append(Printed(fingerprint(normal), where(report, span), excerpt))
        heading = where(report, section.span)
        out[key] = SectionPrint(heading, section.heading, tuple(printed))
    return out


def compare(
    current: dict[str, SectionPrint],
    previous: dict[str, SectionPrint],
    rule: Rule,
    prepared: Prepared,
    options: LintOptions,
) -> Iterator[PairHit]:
    """One hit per section mostly repeated from last year's same section."""
    configured = options.copy_threshold
    threshold = prepared.threshold if configured is None else configured
    for key in prepared.sections:
        this, last = current.get(key), previous.get(key)
        if this is None or last is None:
            continue
        counted = this.sentences
        if len(counted) < prepared.min_sentences:
            continue
        # NOTE: the first of equal sentences is the one named.
        earlier: dict[int, Where] = {}
        for sentence in last.sentences:
            earlier.setdefault(sentence.fingerprint, sentence.where)
        repeated = [s for s in counted if s.fingerprint in earlier]
        share = len(repeated) / len(counted)
        if not repeated or share < threshold:
            continue
        first = repeated[0]
        yield PairHit(
            this.heading,
            {
                "heading": this.title,
                # NOTE: rounded down: a share just short of all is not 100%.
                "share": f"{len(repeated) * 100 // len(counted)}%",
                "repeated": len(repeated),
                "total": len(counted),
                "sentence": first.excerpt,
                "problems": key in prepared.problem_sections,
            },
            earlier[first.fingerprint],
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
