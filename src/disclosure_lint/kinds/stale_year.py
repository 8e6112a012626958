"""Kind ``stale-year``: a year in the prose written as the report's current one.

A report on year R copied from last year's keeps last year's years in
sentences that speak of the present (``2023年，我局加大…`` in a 2024
report) or of the plans (``2024年，我局将继续…``: the plans of a report on
R are for R+1). The pack's ``frames`` say which wordings make a year the
current one or the plan year; everything else (history, comparisons,
document dates, citations) is left alone. When unsure, the rule is silent.

Each frame is a regex run on the folded prose paragraphs (full-width to
half-width, no blanks; table rows skipped), with a group ``year``, and a
``flag``: ``before`` (the year is earlier than the report year), ``through``
(not later than the report year: a plan year) or ``other`` (any year but
the report year: ``本年度(2023年)``). The first frame that matches a year
decides; a year is reported once.

Silent, besides: a sentence that also names the report year (a contrast of
two years) or matches one of ``quiet`` (history and comparison words); a
year inside 《》 or quotation marks; the title, the statistics period, the
publication date, and the opening year (rule ``opening`` of kind
``period`` reports that one).

The report year is ``--year``, else the outline's (title, period, opening).

Params:
    keywords: a line is only folded and matched when it holds one of these.
    frames: list of ``{pattern, flag, tense}``; ``tense`` is passed to the
        message (``current``, ``plan``, ``apposition``...).
    quiet: regexes; a sentence matching one of them is never reported.
    back: ``before`` and ``through`` flag only years at most this many
        before the report year (older ones are history, not leftovers).
    heading: regex matched at the start of a line (unfolded) of at most
        ``_HEADING_MAX`` characters: a sub-heading, never joined to the
        sentence after it (the title and section headings never are).

Message arguments: ``year`` (as written), ``report_year``, ``next_year``
(report year + 1), ``tense``, ``match`` (the frame's text, unfolded).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

from ..document.fold import Folded, fold
from ..document.text import Record, Span
from ..regex.guard import pack_regex
from .base import Hit, KindSpec, Param, reject_unknown_keys
from .prose_lines import candidate_lines, is_prose, keyword_scans, prose_of, unwrap
from .report import Report

if TYPE_CHECKING:
    import re

    from ..packs.model import Rule
    from ..regex.linear import Regex, RegexMatch

FLAGS = ("before", "through", "other")
PARAMS = {
    "keywords": Param("list", default=["年"], help="prefilter: line must hold one"),
    "frames": Param("list", required=True, help="[{pattern, flag, tense}]"),
    "quiet": Param("list", default=[], help="regexes: a sentence never reported"),
    "back": Param("int", default=2, help="years back a leftover may be"),
    "heading": Param("str", default="", help="regex: a short line that is a heading"),
}
# Sentence ends in folded text (full-width ；！？ fold to half-width).
_SENTENCE_END = "。;!?"
# Quotation marks fold to '"'; book-title marks stay.
_OPEN_TITLE, _CLOSE_TITLE, _QUOTE = "《", "》", '"'
# A line ending in one of these ends its paragraph (unfolded text).
_LINE_END = "。；;！!？?"
_JOIN_LINES = 8  # lines of a hard-wrapped paragraph, as in prose_lines
# The quoted clause ends at one of these, at most this far after the frame.
_CLAUSE, _CLAUSE_MAX = "，,。；;！!？?", 24
_HEADING_MAX = 40  # a longer line is no heading, whatever it starts with


class Frame(Record):
    """One wording that makes a year current: its regex and which years flag."""

    __match_args__ = ("regex", "flag", "tense")
    __slots__ = __match_args__

    def __init__(self, regex: Regex, flag: str, tense: str) -> None:
        """``regex`` with a group ``year``; ``flag`` one of ``FLAGS``."""
        self.regex: Final = regex
        self.flag: Final = flag
        self.tense: Final = tense


class Prepared(Record):
    """The frames, the quiet regexes and the keyword scans."""

    __match_args__ = ("frames", "quiet", "keywords", "heading")
    __slots__ = __match_args__

    def __init__(
        self,
        frames: tuple[Frame, ...],
        quiet: tuple[Regex, ...],
        keywords: tuple[re.Pattern[str], ...],
        heading: Regex | None,
    ) -> None:
        """Everything ``check`` needs, compiled once per process."""
        self.heading: Final = heading
        self.frames: Final = frames
        self.quiet: Final = quiet
        self.keywords: Final = keywords


def prepare(params: Mapping[str, Any]) -> Prepared:
    """Compile the frames and the quiet regexes; check the flags."""
    frames = []
    for item in params["frames"] or []:
        if not isinstance(item, Mapping) or not {"pattern", "flag"} <= set(item):
            raise ValueError("each frame needs a pattern and a flag")
        reject_unknown_keys(item, {"pattern", "flag", "tense"}, "a frame")
        if item["flag"] not in FLAGS:
            raise ValueError(f"a frame's flag must be one of {', '.join(FLAGS)}")
        regex = pack_regex(str(item["pattern"]), iterate=True)
        if "year" not in regex.groupindex:
            raise ValueError("a frame's pattern needs a group named year")
        frames.append(Frame(regex, str(item["flag"]), str(item.get("tense", ""))))
    if not frames:
        raise ValueError("frames must not be empty")
    quiet = tuple(pack_regex(str(q)) for q in params["quiet"] or [])
    words = {str(k) for k in params["keywords"] or [] if str(k)}
    heading = pack_regex(str(params["heading"])) if params["heading"] else None
    return Prepared(tuple(frames), quiet, keyword_scans(words), heading)


def _flags(flag: str, year: int, report_year: int, back: int) -> bool:
    """``year`` is one the frame's ``flag`` rules out for ``report_year``."""
    if flag == "other":
        return year != report_year
    if year < report_year - back:
        return False  # NOTE: too old for a leftover: history.
    return year < report_year or (flag == "through" and year == report_year)


def check(report: Report, rule: Rule, prepared: Prepared) -> Iterator[Hit]:
    """Yield a hit per year a frame makes current and the report year rules out."""
    report_year = report.options.year or report.outline.year
    if report_year is None:
        return
    skip = _skipped_spans(report)
    back = int(rule.params["back"])
    for folded in _paragraphs(report, prepared.keywords, prepared.heading):
        decided: set[int] = set()  # NOTE: the first frame to match a year.
        for frame in prepared.frames:
            for match in frame.regex.finditer(folded.text):
                if match.start("year") in decided:
                    continue
                decided.add(match.start("year"))
                year = int(match.group("year"))
                if not _flags(frame.flag, year, report_year, back):
                    continue
                if _silent(prepared, folded.text, match, report_year):
                    continue
                hit = _hit(report, folded, match, frame, report_year)
                if not any(s.start <= hit.span.start < s.end for s in skip):
                    yield hit


def _paragraphs(
    report: Report, keywords: tuple[re.Pattern[str], ...], heading: Regex | None
) -> Iterator[Folded]:
    """Each prose paragraph holding a keyword, folded.

    NOTE: a line that does not end a sentence is joined to the next, as text
    from PDFs is hard-wrapped mid-sentence; unlike ``prose_lines.Prose``, a
    heading (the title, a section heading, a short line the pack's
    ``heading`` matches) is never joined, so the first sentence under it
    starts a paragraph and is not read as part of the heading.
    """
    prose = prose_of(report)
    lines, starts = prose.lines, prose.starts
    known = _heading_lines(report)
    headings: dict[int, bool] = {}

    def is_heading(index: int) -> bool:
        """Line ``index`` is a heading (worked out once, when first asked)."""
        found = headings.get(index)
        if found is None:
            line = lines[index]
            found = headings[index] = index in known or (
                heading is not None
                and len(line) <= _HEADING_MAX
                and heading.match(line) is not None
            )
        return found

    def joins(index: int) -> bool:
        """Line ``index`` and the next are one paragraph."""
        return (
            index + 1 < len(lines)
            and lines[index].rstrip()[-1:] not in _LINE_END
            and is_prose(lines[index])
            and is_prose(lines[index + 1])
            and not is_heading(index)
            and not is_heading(index + 1)
        )

    last = -1
    for index in candidate_lines(prose, keywords):
        if index <= last or not is_prose(lines[index]):
            continue
        first = index
        while first > 0 and index - first < _JOIN_LINES and joins(first - 1):
            first -= 1
        last = index
        while last - first < _JOIN_LINES and joins(last):
            last += 1
        begin, end = starts[first], starts[last] + len(lines[last])
        yield fold(report.document.text[begin:end], begin)


def _heading_lines(report: Report) -> set[int]:
    """0-based numbers of the outline's heading lines: title and sections."""
    outline = report.outline
    found = {line - 1 for line in outline.title.lines} if outline.title else set()
    found.update(section.line - 1 for section in outline.sections)
    found.update(stray.line - 1 for stray in outline.strays)
    return found


def _skipped_spans(report: Report) -> list[Span]:
    """Title, period, publication date and opening year: other rules' years."""
    outline = report.outline
    spans = [
        outline.title.span if outline.title else None,
        outline.period.span if outline.period else None,
        outline.publication_date.span if outline.publication_date else None,
        # NOTE: PE004 (kind ``period``) compares it with the title's year.
        outline.opening_year_span if outline.title_year is not None else None,
    ]
    return [span for span in spans if span is not None]


def _silent(
    prepared: Prepared, folded: str, match: RegexMatch, report_year: int
) -> bool:
    """The year's sentence is a contrast, history or a citation."""
    at = match.start("year")
    begin = max(folded.rfind(mark, 0, at) for mark in _SENTENCE_END) + 1
    ends = [folded.find(mark, at) for mark in _SENTENCE_END]
    end = min([e for e in ends if e != -1] or [len(folded)])
    sentence = folded[begin:end]
    before = folded[begin:at]
    if before.count(_OPEN_TITLE) > before.count(_CLOSE_TITLE):
        return True  # NOTE: inside the name of a document.
    if before.count(_QUOTE) % 2:
        return True  # NOTE: inside a quotation.
    own = match.end("year") - begin
    if f"{report_year}年" in sentence[: at - begin] + sentence[own:]:
        return True  # NOTE: two years set side by side: a comparison.
    return any(regex.search(sentence) for regex in prepared.quiet)


def _hit(
    report: Report,
    folding: Folded,
    match: RegexMatch,
    frame: Frame,
    report_year: int,
) -> Hit:
    start, end = folding.original_span(match.start("year"), match.end("year"))
    whole = folding.original_span(match.start(), match.end())
    text = report.document.text
    # NOTE: quoted to the end of its clause (bounded), as an editor reads it.
    stops = [text.find(mark, whole[1], whole[1] + _CLAUSE_MAX) for mark in _CLAUSE]
    until = min([stop for stop in stops if stop != -1] or [whole[1]])
    quoted = unwrap(text[whole[0] : max(until, whole[1])])
    return Hit(
        Span(start, end),
        {
            "year": int(match.group("year")),
            "report_year": report_year,
            "next_year": report_year + 1,
            "tense": frame.tense,
            "match": quoted.strip("。;；!！?？:： \t"),
        },
    )


KIND = KindSpec("stale-year", PARAMS, check, prepare, __doc__ or "")
