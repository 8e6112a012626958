"""Outline: title, report year, statistics period, publication date, sections.

Everything domain-specific (heading texts, aliases, numerals, year and period
patterns, labels that look like headings but are table rows) comes from the
pack's ``document`` data; this module only knows how to apply it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import accumulate, count
from operator import add
from typing import Any, NamedTuple

from .document import Document, Span
from .fold import Folded, fold, fold_parts, fold_text


class Line(NamedTuple):
    """One line of the document with its offsets.

    NOTE: a named tuple, not a frozen dataclass: one is built per line per
    draft, and a tuple is several times cheaper to create.
    """

    number: int
    start: int
    text: str

    @property
    def end(self) -> int:
        """Offset just past the last character (before the newline)."""
        return self.start + len(self.text)

    @property
    def span(self) -> Span:
        """The line's span without its newline."""
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Title:
    """The report title, possibly wrapped over several lines."""

    text: str
    span: Span
    lines: tuple[int, ...]
    folded: Folded


@dataclass(frozen=True, slots=True)
class DateFound:
    """A calendar date found in the text, at ``span``."""

    year: int
    month: int
    day: int
    span: Span


@dataclass(frozen=True, slots=True)
class Period:
    """The statistics-period sentence and the dates it states."""

    span: Span
    start: DateFound
    end: DateFound


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level heading recognised as one of the official sections."""

    key: str
    numeral: str
    expected_numeral: str
    heading: str
    official: str
    span: Span
    line: int
    variant: bool
    body: Span = field(default_factory=lambda: Span(0, 0))


@dataclass(frozen=True, slots=True)
class StrayHeading:
    """A numbered top-level line that is no official section."""

    numeral: str
    text: str
    span: Span
    line: int


@dataclass(slots=True)
class Outline:
    """What the outline pass learnt about a document."""

    title: Title | None = None
    title_year: int | None = None
    title_year_span: Span | None = None
    opening_year: int | None = None
    opening_year_span: Span | None = None
    period: Period | None = None
    period_hint: Span | None = None
    publication_date: DateFound | None = None
    year: int | None = None
    year_source: str = ""
    edition: str | None = None
    edition_source: str = ""
    sections: list[Section] = field(default_factory=list)
    strays: list[StrayHeading] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        """The first section with ``key``."""
        for section in self.sections:
            if section.key == key:
                return section
        return None


def iter_lines(text: str) -> Iterator[Line]:
    """Yield every line with its 1-based number and start offset."""
    return iter(split_lines(text))


def split_lines(text: str) -> list[Line]:
    """Every line with its 1-based number and start offset."""
    return Lines(text)[:]


class Lines:
    """The lines of a text; a ``Line`` is built only for lines that are read.

    NOTE: a draft with a cell-per-line table has several hundred lines and
    most passes look at a few of them, or only at their text.
    """

    __slots__ = ("parts", "starts")

    def __init__(self, text: str) -> None:
        """Split ``text`` at newlines and note where each line starts."""
        self.parts = text.split("\n")
        self.starts = list(
            map(add, accumulate(map(len, self.parts), initial=0), count())
        )

    def __len__(self) -> int:
        return len(self.parts)

    def __getitem__(self, index: slice) -> list[Line]:
        """Lines ``index`` (a slice) as ``Line`` objects."""
        first, stop, _ = index.indices(len(self.parts))
        new = tuple.__new__
        return [
            new(Line, (n + 1, self.starts[n], self.parts[n]))
            for n in range(first, stop)
        ]

    def raw(self) -> Iterator[tuple[int, int, str]]:
        """``(number, start, text)`` of every line, without building Lines."""
        return zip(count(1), self.starts, self.parts)


@lru_cache(maxsize=64)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def build_outline(doc: Document, spec: Mapping[str, Any]) -> Outline:
    """Find title, years, period, publication date and sections."""
    lines = Lines(doc.text)
    outline = Outline()
    outline.title = _find_title(lines, spec.get("title") or {})
    _find_title_year(outline, spec)
    outline.sections, outline.strays = _find_sections(lines, spec)
    outline.sections = _with_bodies(outline.sections, outline.strays, len(doc.text))
    _find_opening_year(outline, lines, spec)
    _find_period(outline, lines, spec.get("period") or {})
    outline.publication_date = _find_publication_date(lines, spec)
    for source, year in (
        ("title", outline.title_year),
        ("period", outline.period.start.year if outline.period else None),
        ("opening", outline.opening_year),
    ):
        if year is not None:
            outline.year, outline.year_source = year, source
            break
    return outline


# --------------------------------------------------------------------------
# Title and years


def _strip_markup(text: str, spec: Mapping[str, Any]) -> tuple[int, str]:
    """Drop a leading markdown ``#`` run and surrounding blanks; keep offset."""
    match = _regex(spec.get("markup", r"^\s*(?:#{1,6}\s*)?")).match(text)
    skip = match.end() if match else 0
    return skip, text[skip:].rstrip()


def _find_title(lines: Lines, spec: Mapping[str, Any]) -> Title | None:
    keyword = str(spec.get("keyword", ""))
    ending = str(spec.get("ending", ""))
    max_lines = int(spec.get("max_lines", 2))
    scan = int(spec.get("scan_lines", 8))
    body = [line for line in lines[:scan] if line.text.strip()]
    if not body:
        return None
    first = body[0]
    skip, text = _strip_markup(first.text, spec)
    parts = [(first, skip, text)]
    for line in body[1:max_lines]:
        if fold_text(parts[-1][2]).endswith(ending):
            break
        more_skip, more = _strip_markup(line.text, spec)
        joined = fold_text("".join(p[2] for p in parts) + more)
        if not joined.endswith(ending) or len(more) > int(spec.get("max_wrap", 24)):
            break
        parts.append((line, more_skip, more))
    if keyword and keyword not in fold_text("".join(p[2] for p in parts)):
        return None
    start = parts[0][0].start + parts[0][1]
    last_line, last_skip, last_text = parts[-1]
    end = last_line.start + last_skip + len(last_text)
    return Title(
        text="".join(p[2] for p in parts),
        span=Span(start, end),
        lines=tuple(p[0].number for p in parts),
        folded=fold_parts([(t, line.start + sk) for line, sk, t in parts]),
    )


def _find_title_year(outline: Outline, spec: Mapping[str, Any]) -> None:
    title = outline.title
    pattern = (spec.get("year") or {}).get("title")
    if title is None or not pattern:
        return
    folded = title.folded
    match = _regex(pattern).search(folded.text)
    if match:
        outline.title_year = int(match.group("year"))
        start, end = folded.original_span(match.start("year"), match.end("year"))
        outline.title_year_span = Span(start, end)


def _find_opening_year(outline: Outline, lines: Lines, spec: Mapping[str, Any]) -> None:
    pattern = (spec.get("year") or {}).get("opening")
    if not pattern:
        return
    regex = _regex(pattern)
    title_lines = set(outline.title.lines) if outline.title else set()
    limit = outline.sections[1].line if len(outline.sections) > 1 else 40
    for line in lines[: max(limit, 1)]:
        if line.number in title_lines or not line.text.strip():
            continue
        folded = fold(line.text, line.start)
        match = regex.search(folded.text)
        if match:
            outline.opening_year = int(match.group("year"))
            outline.opening_year_span = Span(
                *folded.original_span(match.start("year"), match.end("year"))
            )
            return


def _find_period(outline: Outline, lines: Lines, spec: Mapping[str, Any]) -> None:
    keywords = [str(k) for k in spec.get("keywords", [])]
    patterns = [_regex(str(p)) for p in spec.get("patterns", [])]
    hint = spec.get("hint")
    for number, start, text in lines.raw():
        if keywords and not any(k in text for k in keywords):
            continue
        line = Line(number, start, text)
        folded = fold(line.text, line.start)
        for regex in patterns:
            match = regex.search(folded.text)
            if match is None:
                continue
            groups = match.groupdict()
            y1 = int(groups["y1"])
            y2 = int(groups["y2"]) if groups.get("y2") else y1
            span = Span(*folded.original_span(match.start(), match.end()))
            outline.period = Period(
                span=span,
                start=DateFound(y1, int(groups["m1"]), int(groups["d1"]), span),
                end=DateFound(y2, int(groups["m2"]), int(groups["d2"]), span),
            )
            return
        if (
            hint
            and outline.period_hint is None
            and _regex(str(hint)).search(folded.text)
        ):
            outline.period_hint = line.span


def _find_publication_date(lines: Lines, spec: Mapping[str, Any]) -> DateFound | None:
    for item in spec.get("publication_date") or []:
        regex = _regex(str(item["pattern"]))
        window = int(item.get("last_lines", 0))
        scan = lines[-window:] if window else lines[: int(item.get("first_lines", 10))]
        for line in scan:
            folded = fold(line.text, line.start)
            match = regex.search(folded.text)
            if match:
                span = Span(*folded.original_span(match.start(), match.end()))
                try:
                    return DateFound(
                        int(match.group("y")),
                        int(match.group("m")),
                        int(match.group("d")),
                        span,
                    )
                except (IndexError, ValueError):
                    continue
    return None


# --------------------------------------------------------------------------
# Sections


def _find_sections(
    lines: Lines, spec: Mapping[str, Any]
) -> tuple[list[Section], list[StrayHeading]]:
    """Try each numbering style in turn (``一、`` first, then ``（一）``).

    NOTE: ``（一）`` usually numbers sub-items inside a section, so that style
    only counts when the draft has fewer than two ``一、``-style sections.
    """
    if not spec.get("sections"):
        return [], []
    patterns = [str(p) for p in spec.get("heading_patterns") or []]
    best: tuple[list[Section], list[StrayHeading]] = ([], [])
    for pattern in patterns:
        found = _sections_with(lines, spec, _regex(pattern))
        if len(found[0]) >= 2:
            return found
        if len(found[0]) > len(best[0]):
            best = found
    return best


def _sections_with(
    lines: Lines, spec: Mapping[str, Any], heading_re: re.Pattern[str]
) -> tuple[list[Section], list[StrayHeading]]:
    prepared = _section_spec(spec)
    markup = _regex(spec.get("markup", r"^\s*(?:#{1,6}\s*)?"))
    numerals = prepared.numerals
    found: list[Section] = []
    strays: list[StrayHeading] = []
    last_value = 0
    memo = prepared.lines.setdefault(heading_re.pattern, {})
    for number, start, raw in lines.raw():
        candidate = memo.get(raw, _UNSEEN)
        if candidate is _UNSEEN:
            candidate = _heading_candidate(raw, markup, heading_re)
            # NOTE: short lines (cells, labels, blanks) repeat from draft to
            # draft; remembering them skips three regex calls per line.
            if len(raw) <= _MEMO_LINE and len(memo) < _MEMO_SIZE * 4:
                memo[raw] = candidate
        if candidate is None:
            continue
        skip, text, numeral, raw_label = candidate
        verdict = prepared.classify(raw_label)
        if verdict is None:
            continue
        span = Span(start + skip, start + skip + len(text))
        if verdict is not _NOT_A_SECTION:
            key, expected, heading, is_variant = verdict
            found.append(
                Section(key, numeral, expected, text, heading, span, number, is_variant)
            )
            last_value = _numeral_value(numeral, numerals) or last_value
            continue
        value = _numeral_value(numeral, numerals)
        if value is not None and value == last_value + 1 and last_value > 0:
            strays.append(StrayHeading(numeral, text, span, number))
            last_value = value
    return found, strays


_Candidate = tuple[int, str, str, str] | None
_UNSEEN: Any = object()
_MEMO_LINE = 40


def _heading_candidate(
    raw: str, markup: re.Pattern[str], heading_re: re.Pattern[str]
) -> _Candidate:
    """``(skip, text, numeral, label)`` when the line looks like a heading."""
    stripped = raw.strip()
    if not stripped or "\t" in stripped:
        return None
    prefix = markup.match(raw)
    skip = prefix.end() if prefix else 0
    text = raw[skip:].rstrip()
    match = heading_re.match(text)
    if match is None:
        return None
    return skip, text, match.group("numeral"), match.group("text")


_Official = tuple[str, str, str, tuple[str, ...], str]
_Verdict = tuple[str, str, str, bool]
_NOT_A_SECTION: _Verdict = ("", "", "", False)
_MEMO_SIZE = 4096


@dataclass(frozen=True, slots=True, eq=False)
class _SectionSpec:
    """The pack's section data, prepared once per spec, with a label memo.

    NOTE: heading labels repeat from draft to draft (the six official
    headings, table-row labels numbered like headings), and fuzzy matching
    is the costliest step of the outline, so each distinct label is judged
    once per pack and remembered (bounded).
    """

    numerals: list[str]
    threshold: float
    not_headings: tuple[str, ...]
    official: tuple[_Official, ...]
    memo: dict[str, _Verdict | None] = field(default_factory=dict)
    lines: dict[str, dict[str, _Candidate]] = field(default_factory=dict)

    def classify(self, raw_label: str) -> _Verdict | None:
        """None: not a heading; ``_NOT_A_SECTION``: a numbered stray line."""
        try:
            return self.memo[raw_label]
        except KeyError:
            pass
        label = _clean(raw_label)
        verdict: _Verdict | None
        if not label or any(
            _similar(label, nh, 0.8) >= 0.8 for nh in self.not_headings
        ):
            verdict = None
        else:
            verdict = _best_section(label, self.official, self.threshold)
            verdict = _NOT_A_SECTION if verdict is None else verdict
        if len(self.memo) >= _MEMO_SIZE:
            self.memo.clear()
        self.memo[raw_label] = verdict
        return verdict


_SPECS: dict[int, tuple[Mapping[str, Any], _SectionSpec]] = {}


def _section_spec(spec: Mapping[str, Any]) -> _SectionSpec:
    """The prepared section data of ``spec`` (cached by identity)."""
    cached = _SPECS.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1]
    prepared = _SectionSpec(
        numerals=[str(n) for n in spec.get("numerals", [])],
        threshold=float(spec.get("heading_similarity", 0.6)),
        not_headings=tuple(_clean(str(t)) for t in spec.get("not_headings") or []),
        official=tuple(
            (
                str(s["key"]),
                str(s["numeral"]),
                _clean(str(s["heading"])),
                tuple(_clean(str(a)) for a in s.get("aliases") or []),
                str(s["heading"]),
            )
            for s in spec.get("sections") or []
        ),
    )
    if len(_SPECS) >= 32:
        _SPECS.clear()
    # NOTE: the entry keeps ``spec`` alive, so its id cannot be reused.
    _SPECS[id(spec)] = (spec, prepared)
    return prepared


def _best_section(
    label: str, official: tuple[_Official, ...], threshold: float
) -> _Verdict | None:
    best: tuple[float, _Verdict] | None = None
    for key, numeral, heading, aliases, raw_heading in official:
        if label == heading:
            return key, numeral, raw_heading, False
        if label in aliases:
            score = 1.0
        else:
            score = max(
                [
                    _similar(label, heading, threshold),
                    *(_similar(label, a, threshold) for a in aliases),
                ]
            )
        if score >= threshold and (best is None or score > best[0]):
            best = (score, (key, numeral, raw_heading, True))
    return best[1] if best else None


def _with_bodies(
    sections: list[Section], strays: list[StrayHeading], length: int
) -> list[Section]:
    starts = sorted([s.span.start for s in sections] + [s.span.start for s in strays])
    out = []
    for section in sections:
        later = [s for s in starts if s > section.span.start]
        end = later[0] if later else length
        out.append(
            Section(
                section.key,
                section.numeral,
                section.expected_numeral,
                section.heading,
                section.official,
                section.span,
                section.line,
                section.variant,
                Span(section.span.end, end),
            )
        )
    return out


_TRAILING = re.compile(r"[:：。.,，;；]+$")


def _clean(text: str) -> str:
    return _TRAILING.sub("", fold_text(text))


def _similar(a: str, b: str, cutoff: float = 0.0) -> float:
    """``SequenceMatcher`` ratio, or 0.0 when it cannot reach ``cutoff``."""
    total = len(a) + len(b)
    # NOTE: 2 * min(len) / total bounds the ratio from above (difflib's
    # real_quick_ratio); most candidate pairs fail it, so skip the matcher.
    if not total:
        return 1.0
    if 2.0 * min(len(a), len(b)) / total < cutoff:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _numeral_value(numeral: str, numerals: list[str]) -> int | None:
    try:
        return numerals.index(numeral) + 1
    except ValueError:
        return None
