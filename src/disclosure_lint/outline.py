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
from typing import Any

from .document import Document, Span
from .fold import Folded, fold, fold_parts, fold_text


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document with its offsets."""

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
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        yield Line(number, start, line)
        start += len(line) + 1


@lru_cache(maxsize=64)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def build_outline(doc: Document, spec: Mapping[str, Any]) -> Outline:
    """Find title, years, period, publication date and sections."""
    lines = list(iter_lines(doc.text))
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


def _find_title(lines: list[Line], spec: Mapping[str, Any]) -> Title | None:
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


def _find_opening_year(
    outline: Outline, lines: list[Line], spec: Mapping[str, Any]
) -> None:
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


def _find_period(outline: Outline, lines: list[Line], spec: Mapping[str, Any]) -> None:
    keywords = [str(k) for k in spec.get("keywords", [])]
    patterns = [_regex(str(p)) for p in spec.get("patterns", [])]
    hint = spec.get("hint")
    for line in lines:
        if keywords and not any(k in line.text for k in keywords):
            continue
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


def _find_publication_date(
    lines: list[Line], spec: Mapping[str, Any]
) -> DateFound | None:
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
    lines: list[Line], spec: Mapping[str, Any]
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
    lines: list[Line], spec: Mapping[str, Any], heading_re: re.Pattern[str]
) -> tuple[list[Section], list[StrayHeading]]:
    numerals = [str(n) for n in spec.get("numerals", [])]
    threshold = float(spec.get("heading_similarity", 0.6))
    not_headings = [_clean(str(t)) for t in spec.get("not_headings") or []]
    official = [
        (
            str(s["key"]),
            str(s["numeral"]),
            _clean(str(s["heading"])),
            [_clean(str(a)) for a in s.get("aliases") or []],
            str(s["heading"]),
        )
        for s in spec.get("sections") or []
    ]
    found: list[Section] = []
    strays: list[StrayHeading] = []
    last_value = 0
    for line in lines:
        if "\t" in line.text.strip() or not line.text.strip():
            continue
        skip, text = _strip_markup(line.text, spec)
        match = heading_re.match(text)
        if match is None:
            continue
        numeral = match.group("numeral")
        label = _clean(match.group("text"))
        if not label or any(_similar(label, nh) >= 0.8 for nh in not_headings):
            continue
        span = Span(line.start + skip, line.start + skip + len(text))
        best = _best_section(label, official, threshold)
        if best is not None:
            key, expected, heading, is_variant = best
            found.append(
                Section(
                    key, numeral, expected, text, heading, span, line.number, is_variant
                )
            )
            last_value = _numeral_value(numeral, numerals) or last_value
            continue
        value = _numeral_value(numeral, numerals)
        if value is not None and value == last_value + 1 and last_value > 0:
            strays.append(StrayHeading(numeral, text, span, line.number))
            last_value = value
    return found, strays


def _best_section(
    label: str, official: list[tuple[str, str, str, list[str], str]], threshold: float
) -> tuple[str, str, str, bool] | None:
    best: tuple[float, tuple[str, str, str, bool]] | None = None
    for key, numeral, heading, aliases, raw_heading in official:
        if label == heading:
            return key, numeral, raw_heading, False
        if label in aliases:
            score = 1.0
        else:
            score = max(
                [_similar(label, heading), *(_similar(label, a) for a in aliases)]
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


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _numeral_value(numeral: str, numerals: list[str]) -> int | None:
    try:
        return numerals.index(numeral) + 1
    except ValueError:
        return None
