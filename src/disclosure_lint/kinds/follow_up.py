"""Kind ``problems-follow-up``: this year says how last year's problems went.

When last year's report listed problems in ``section`` (a sentence a
``problem_patterns`` regex finds and no ``none_patterns`` regex does), this
year's same section must say how they were handled, by either of:

- a sentence a ``followup_patterns`` regex finds (``上年度报告中指出的问题已
  整改``, ``上一年度问题整改情况``);
- a sentence a ``handled_patterns`` regex finds that takes up one of last
  year's problems: at least ``overlap`` of that problem's character pairs
  (numbers left out, ``year_text``) are in such sentences.

Otherwise one finding points at this year's section heading and names last
year's problem list (``related``), unless this year's section is last
year's word for word (numbers aside): the same problems listed again are
the finding of the ``copied-sections`` rule, one cause, one finding.
Only a report whose pack's edition is in ``editions`` is held to it (the
2021 edition asks for it); last year's report may be of any edition.
Regexes run on folded text (half-width punctuation, no blanks); a section
without text of its own is left to the rules on sections.

What a draft keeps (``extract``): its edition, the section heading's place,
whether it reports on last year's problems, the normalised text of its
problem sentences and of its handled sentences (their character pairs are
hashed when compared), the place of its problem list.

Params:
    section: section key.
    editions: editions (of this year's report) the rule applies to.
    problem_patterns, none_patterns, followup_patterns, handled_patterns:
        lists of regexes (see above).
    overlap: share of a problem's character pairs a handled sentence takes up.
    max_problems: most problem sentences kept.
    and the sentence params of ``year_text``.

Message arguments: ``heading``, ``problems`` (how many problem sentences
last year's report has).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.text import Span
from ..named_tuples import NamedTuple
from ..records import dataclass
from ..regex.guard import pack_regex
from .base import KindSpec, PairHit, Param, Where, no_hits, where
from .copied_text import check_share
from .report import LintOptions, Report
from .year_text import (
    SENTENCE_PARAMS,
    SentenceRules,
    bigrams,
    fingerprint,
    section_sentences,
    sentence_rules,
)

if TYPE_CHECKING:
    from ..packs.model import Rule
    from ..regex.linear import Regex

PARAMS = {
    "section": Param("str", required=True, help="section key"),
    "editions": Param("list", required=True, help="this year's editions held to it"),
    "problem_patterns": Param("list", required=True, help="regexes: a problem"),
    "none_patterns": Param("list", default=[], help="regexes: no problem"),
    "followup_patterns": Param("list", required=True, help="regexes: follow-up"),
    "handled_patterns": Param("list", default=[], help="regexes: handled"),
    "overlap": Param("float", default=0.5, help="share of a problem taken up"),
    "max_problems": Param("int", default=20, help="most problem sentences kept"),
    **SENTENCE_PARAMS,
}


class FollowUp(NamedTuple):
    """What a draft keeps of its section (``heading`` None: no text).

    ``problems`` and ``handled``: the normalised text of its problem
    sentences and of its handled sentences; their character pairs are
    hashed (``bigrams``) only by a ``compare`` that needs them.
    """

    edition: str | None
    heading: Where | None
    title: str
    followed: bool
    problems: tuple[str, ...]
    problem_list: Where | None
    handled: tuple[str, ...]
    # A fingerprint of the section's normalised sentences.
    body: int = 0


@dataclass(frozen=True, slots=True)
class Prepared:
    """The params, checked and compiled."""

    section: str
    editions: frozenset[str]
    problem: tuple[Regex, ...]
    none: tuple[Regex, ...]
    followup: tuple[Regex, ...]
    handled: tuple[Regex, ...]
    overlap: float
    max_problems: int
    rules: SentenceRules


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the regexes; check the overlap."""

    def regexes(key: str) -> tuple[Regex, ...]:
        return tuple(pack_regex(str(p)) for p in params[key])

    return Prepared(
        str(params["section"]),
        frozenset(str(e) for e in params["editions"]),
        regexes("problem_patterns"),
        regexes("none_patterns"),
        regexes("followup_patterns"),
        regexes("handled_patterns"),
        check_share(params["overlap"], "overlap"),
        int(params["max_problems"]),
        sentence_rules(params),
    )


def _found(regexes: tuple[Regex, ...], text: str) -> bool:
    return any(regex.search(text) for regex in regexes)


def extract(report: Report, rule: Rule, prepared: Prepared) -> FollowUp:
    """The section's problems, handled sentences and follow-up, kept small."""
    edition = report.pack.edition
    section = report.outline.section(prepared.section)
    text = report.document.text
    if section is None or not text[section.body.start : section.body.end].strip():
        return FollowUp(edition, None, "", False, (), None, ())
    found = section_sentences(text, section.body, prepared.rules)
    followed = False
    problems: list[int] = []
    handled: list[str] = []
    min_chars = prepared.rules.min_chars
    for index, folded in enumerate(found.folded):
        if _found(prepared.followup, folded):
            # NOTE: a follow-up sentence is no new problem (next year's).
            followed = True
            continue
        normal = found.normal[index]
        if len(normal) < min_chars:
            continue
        if _found(prepared.handled, folded):
            handled.append(normal)
        elif (
            len(problems) < prepared.max_problems
            and _found(prepared.problem, folded)
            and not _found(prepared.none, folded)
        ):
            problems.append(index)
    problem_list = None
    if problems:
        first, last = found.bounds[problems[0]], found.bounds[problems[-1]]
        problem_list = where(report, Span(first[0], last[1]))
    return FollowUp(
        edition,
        where(report, section.span),
        section.heading,
        followed,
        tuple(found.normal[i] for i in problems),
        problem_list,
        tuple(handled),
        fingerprint("\n".join(found.normal)),
    )


def compare(
    current: FollowUp,
    previous: FollowUp,
    rule: Rule,
    prepared: Prepared,
    options: LintOptions,
) -> Iterator[PairHit]:
    """A hit when last year listed problems and this year says nothing of them."""
    if current.edition not in prepared.editions or current.heading is None:
        return
    if not previous.problems or current.followed:
        return
    if current.body == previous.body:
        return  # NOTE: the section copied whole: CS022's one finding
    handled: set[int] = set()
    for sentence in current.handled:
        handled |= bigrams(sentence)
    for problem in previous.problems:
        pairs = bigrams(problem)
        if pairs and len(pairs & handled) >= prepared.overlap * len(pairs):
            return
    yield PairHit(
        current.heading,
        {"heading": current.title, "problems": len(previous.problems)},
        previous.problem_list,
    )


KIND = KindSpec(
    "problems-follow-up",
    PARAMS,
    no_hits,
    prepare,
    __doc__ or "",
    extract=extract,
    compare=compare,
)
