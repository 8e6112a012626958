"""Outline: title, report year, statistics period, publication date, sections.

Everything domain-specific (heading texts, aliases, numerals, year and period
patterns, labels that look like headings but are table rows) comes from the
pack's ``document`` data; this module only knows how to apply it.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import compress, count, islice, repeat
from operator import is_not
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from ..document.fold import Folded, fold, fold_char_table, fold_parts, fold_text
from ..document.text import Document, Record, Span, line_starts

if TYPE_CHECKING:
    from ..regex.linear import Regex, RegexMatch

# The regex parser (as regex_guard uses it): to find what a match must hold.
_sre: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")
_TRAILING = re.compile(r"[:：。.,，;；]+$")


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


class Title(Record):
    """The report title, possibly wrapped over several lines."""

    __match_args__ = ("text", "span", "lines", "folded")
    __slots__ = __match_args__

    def __init__(
        self, text: str, span: Span, lines: tuple[int, ...], folded: Folded
    ) -> None:
        """The title ``text`` at ``span``, on 1-based ``lines``."""
        self.text: Final = text
        self.span: Final = span
        self.lines: Final = lines
        self.folded: Final = folded


class DateFound(Record):
    """A calendar date found in the text, at ``span``."""

    __match_args__ = ("year", "month", "day", "span")
    __slots__ = __match_args__

    def __init__(self, year: int, month: int, day: int, span: Span) -> None:
        """The date ``year``-``month``-``day`` as written at ``span``."""
        self.year: Final = year
        self.month: Final = month
        self.day: Final = day
        self.span: Final = span


class Period(Record):
    """The statistics-period sentence and the dates it states."""

    __match_args__ = ("span", "start", "end")
    __slots__ = __match_args__

    def __init__(self, span: Span, start: DateFound, end: DateFound) -> None:
        """The sentence at ``span`` stating ``start`` to ``end``."""
        self.span: Final = span
        self.start: Final = start
        self.end: Final = end


class Section(Record):
    """A top-level heading recognised as one of the official sections."""

    __match_args__ = (
        "key",
        "numeral",
        "expected_numeral",
        "heading",
        "official",
        "span",
        "line",
        "variant",
        "body",
    )
    __slots__ = __match_args__

    def __init__(
        self,
        key: str,
        numeral: str,
        expected_numeral: str,
        heading: str,
        official: str,
        span: Span,
        line: int,
        variant: bool,
        body: Span | None = None,
    ) -> None:
        """Section ``key``, headed ``heading`` at ``span``; ``body`` follows it."""
        self.key: Final = key
        self.numeral: Final = numeral
        self.expected_numeral: Final = expected_numeral
        self.heading: Final = heading
        self.official: Final = official
        self.span: Final = span
        self.line: Final = line
        self.variant: Final = variant
        self.body: Final = Span(0, 0) if body is None else body


class StrayHeading(Record):
    """A numbered top-level line that is no official section."""

    __match_args__ = ("numeral", "text", "span", "line")
    __slots__ = __match_args__

    def __init__(self, numeral: str, text: str, span: Span, line: int) -> None:
        """The heading ``text`` numbered ``numeral`` at ``span``."""
        self.numeral: Final = numeral
        self.text: Final = text
        self.span: Final = span
        self.line: Final = line


class Outline(Record):
    """What the outline pass learnt about a document."""

    __match_args__ = (
        "title",
        "title_year",
        "title_year_span",
        "opening_year",
        "opening_year_span",
        "period",
        "period_hint",
        "publication_date",
        "year",
        "year_source",
        "edition",
        "edition_source",
        "sections",
        "strays",
    )
    __slots__ = __match_args__
    __hash__ = None  # type: ignore[assignment]  # NOTE: mutable

    def __init__(
        self,
        title: Title | None = None,
        title_year: int | None = None,
        title_year_span: Span | None = None,
        opening_year: int | None = None,
        opening_year_span: Span | None = None,
        period: Period | None = None,
        period_hint: Span | None = None,
        publication_date: DateFound | None = None,
        year: int | None = None,
        year_source: str = "",
        edition: str | None = None,
        edition_source: str = "",
        sections: list[Section] | None = None,
        strays: list[StrayHeading] | None = None,
    ) -> None:
        """An outline; every part is empty unless given."""
        self.title = title
        self.title_year = title_year
        self.title_year_span = title_year_span
        self.opening_year = opening_year
        self.opening_year_span = opening_year_span
        self.period = period
        self.period_hint = period_hint
        self.publication_date = publication_date
        self.year = year
        self.year_source = year_source
        self.edition = edition
        self.edition_source = edition_source
        self.sections: list[Section] = [] if sections is None else sections
        self.strays: list[StrayHeading] = [] if strays is None else strays

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
    return Lines.of_text(text)[:]


class Lines:
    """The lines of a text; a ``Line`` is built only for lines that are read.

    NOTE: a draft with a cell-per-line table has several hundred lines and
    most passes look at a few of them, or only at their text.
    """

    __slots__ = ("parts", "starts", "text")

    def __init__(self, text: str, parts: list[str], starts: list[int]) -> None:
        """``text`` split into ``parts`` starting at ``starts`` (``line_starts``)."""
        self.text = text
        self.parts = parts
        self.starts = starts

    @classmethod
    def of_text(cls, text: str) -> Lines:
        """Split ``text`` at newlines and note where each line starts."""
        parts = text.split("\n")
        return cls(text, parts, line_starts(parts))

    @property
    def length(self) -> int:
        """Length of the text the lines are from."""
        return self.starts[-1] - 1

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

    def containing(self, needles: list[str]) -> list[int]:
        """0-based indices of the lines that contain any of ``needles``, in order.

        NOTE: the needles are prefilters that few lines pass, so the text is
        searched (``str.find`` skips to a character in C) from line to line
        that holds one, rather than every line tested.
        """
        text, starts = self.text, self.starts
        found: set[int] = set()
        for needle in needles:
            if "\n" in needle:
                continue  # NOTE: no line holds one
            at = text.find(needle)
            while at != -1:
                index = bisect_right(starts, at) - 1
                found.add(index)
                at = text.find(needle, starts[index + 1])
        return sorted(found)


@lru_cache(maxsize=64)
def _regex(pattern: str) -> Regex:
    from ..regex.guard import pack_regex

    return pack_regex(pattern)


def build_outline(doc: Document, spec: Mapping[str, Any]) -> Outline:
    """Find title, years, period, publication date and sections."""
    lines = Lines(doc.text, *doc.split_lines())
    outline = Outline()
    outline.title = _find_title(lines, spec.get("title") or {})
    _find_title_year(outline, spec)
    outline.sections, outline.strays = _find_sections(lines, spec)
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


def _search_folded(
    regex: Regex, text: str, base: int
) -> tuple[RegexMatch, Folded] | None:
    """Search the folded ``text``; on a match, also the offsets back.

    NOTE: most lines searched do not match, and mapping offsets back costs
    more than folding, so it is done only for the line that matches; and a
    line without any of the characters a match needs is not even folded.
    """
    needed = _needed_chars(regex.pattern)
    if needed and not any(ch in text for ch in needed):
        return None
    match = regex.search(fold_text(text))
    if match is None:
        return None
    return match, fold(text, base)


@lru_cache(maxsize=64)
def _needed_chars(pattern: str) -> frozenset[str]:
    """Characters one of which the text of every match of ``pattern`` holds.

    Only characters that folding neither changes nor produces count, so a
    line can match after folding only if it holds one of them already.
    Empty when no such set is certain (then every line must be folded).
    """
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return frozenset()
    if parsed.state.flags & re.IGNORECASE:
        return frozenset()
    table = fold_char_table()
    changed = set(table) | {t for t in table.values() if t is not None}
    return _needed_in(parsed.data, changed) or frozenset()


def _needed_in(items: Any, changed: set[int]) -> frozenset[str] | None:
    """``_needed_chars`` of parsed items in sequence (None: none certain)."""
    best: frozenset[str] | None = None
    for op, arg in items:
        found: frozenset[str] | None = None
        if op is _sre.LITERAL:
            found = None if arg in changed else frozenset((chr(arg),))
        elif op is _sre.BRANCH:
            union: set[str] = set()
            for branch in arg[1]:
                needed = _needed_in(branch, changed)
                if not needed:
                    break  # NOTE: this branch may match without any
                union |= needed
            else:
                found = frozenset(union)
        elif op is _sre.SUBPATTERN and not arg[1] & re.IGNORECASE:
            found = _needed_in(arg[3], changed)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            found = _needed_in(arg[2], changed)
        if found and (best is None or len(found) < len(best)):
            best = found  # NOTE: fewest characters: the cheapest test
    return best


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
    for number, start, text in islice(lines.raw(), max(limit, 1)):
        if number in title_lines or not text.strip():
            continue
        found = _search_folded(regex, text, start)
        if found:
            match, folded = found
            outline.opening_year = int(match.group("year"))
            outline.opening_year_span = Span(
                *folded.original_span(match.start("year"), match.end("year"))
            )
            return


def _find_period(outline: Outline, lines: Lines, spec: Mapping[str, Any]) -> None:
    keywords = [str(k) for k in spec.get("keywords", [])]
    patterns = [_regex(str(p)) for p in spec.get("patterns", [])]
    hint = spec.get("hint")
    starts, parts = lines.starts, lines.parts
    for index in lines.containing(keywords) if keywords else range(len(lines)):
        start, text = starts[index], parts[index]
        folded_text = fold_text(text)
        for regex in patterns:
            match = regex.search(folded_text)
            if match is None:
                continue
            groups = match.groupdict()
            y1 = int(groups["y1"])
            y2 = int(groups["y2"]) if groups.get("y2") else y1
            folded = fold(text, start)
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
            and _regex(str(hint)).search(folded_text)
        ):
            outline.period_hint = Span(start, start + len(text))


def _find_publication_date(lines: Lines, spec: Mapping[str, Any]) -> DateFound | None:
    for item in spec.get("publication_date") or []:
        regex = _regex(str(item["pattern"]))
        window = int(item.get("last_lines", 0))
        scan = lines[-window:] if window else lines[: int(item.get("first_lines", 10))]
        for line in scan:
            found = _search_folded(regex, line.text, line.start)
            if found:
                match, folded = found
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
    lines: Lines, spec: Mapping[str, Any], heading_re: Regex
) -> tuple[list[Section], list[StrayHeading]]:
    prepared = _section_spec(spec)
    markup = _regex(spec.get("markup", r"^\s*(?:#{1,6}\s*)?"))
    numerals = prepared.numerals
    rows: list[tuple[str, str, str, str, str, Span, int, bool]] = []
    strays: list[StrayHeading] = []
    heading_starts: list[int] = []  # of sections and strays, in text order
    last_value = 0
    for index, (skip, text, numeral, raw_label) in _candidates(
        lines.parts,
        prepared.lines.setdefault(heading_re.pattern, {}),
        markup,
        heading_re,
    ):
        verdict = prepared.classify(raw_label)
        if verdict is None:
            continue
        start = lines.starts[index] + skip
        span = Span(start, start + len(text))
        if verdict is not _NOT_A_SECTION:
            key, expected, heading, is_variant = verdict
            rows.append(
                (key, numeral, expected, text, heading, span, index + 1, is_variant)
            )
            heading_starts.append(start)
            last_value = _numeral_value(numeral, numerals) or last_value
            continue
        value = _numeral_value(numeral, numerals)
        if value is not None and value == last_value + 1 and last_value > 0:
            strays.append(StrayHeading(numeral, text, span, index + 1))
            heading_starts.append(start)
            last_value = value
    return _with_bodies(rows, heading_starts, lines.length), strays


def _candidates(
    parts: list[str],
    memo: dict[str, _Candidate],
    markup: Regex,
    heading_re: Regex,
) -> Iterator[tuple[int, tuple[int, str, str, str]]]:
    """``(index, candidate)`` of each line that looks like a heading."""
    # NOTE: one pass in C (map, compress) looks every line up in the memo;
    # only heading candidates and lines not seen before reach Python.
    looked = list(map(memo.get, parts, repeat(_UNSEEN)))
    for index in compress(count(), map(is_not, looked, repeat(None))):
        candidate = looked[index]
        if candidate is _UNSEEN:
            candidate = _remembered_candidate(parts[index], memo, markup, heading_re)
        if candidate is not None:
            yield index, candidate


def _remembered_candidate(
    raw: str,
    memo: dict[str, _Candidate],
    markup: Regex,
    heading_re: Regex,
) -> _Candidate:
    """``_heading_candidate`` of a line, remembered when the line is short."""
    candidate: _Candidate = memo.get(raw, _UNSEEN)  # NOTE: seen earlier in this text
    if candidate is _UNSEEN:
        candidate = _heading_candidate(raw, markup, heading_re)
        # NOTE: short lines (cells, labels, blanks, headings, stock
        # sentences) repeat from draft to draft; remembering them skips
        # three regex calls a line. Bounded in length and count.
        if len(raw) <= _MEMO_LINE and len(memo) < _MEMO_SIZE * 4:
            memo[raw] = candidate
    return candidate


def _with_bodies(
    rows: list[tuple[str, str, str, str, str, Span, int, bool]],
    heading_starts: list[int],
    length: int,
) -> list[Section]:
    """Sections, each with its body: up to the next heading, stray or not."""
    following = iter([*heading_starts[1:], length])
    sections = []
    for row in rows:
        start = row[5].start
        end = next(following)
        while end <= start:
            end = next(following)
        sections.append(Section(*row, Span(row[5].end, end)))
    return sections


_Candidate = tuple[int, str, str, str] | None
_UNSEEN: Any = object()
_MEMO_LINE = 160


def _heading_candidate(raw: str, markup: Regex, heading_re: Regex) -> _Candidate:
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


class _SectionSpec:
    """The pack's section data, prepared once per spec, with a label memo.

    NOTE: heading labels repeat from draft to draft (the six official
    headings, table-row labels numbered like headings), and fuzzy matching
    is the costliest step of the outline, so each distinct label is judged
    once per pack and remembered (bounded).
    """

    __match_args__ = (
        "numerals",
        "threshold",
        "not_headings",
        "official",
        "memo",
        "lines",
    )
    __slots__ = __match_args__

    def __init__(
        self,
        numerals: list[str],
        threshold: float,
        not_headings: tuple[str, ...],
        official: tuple[_Official, ...],
    ) -> None:
        """Prepared section data; the memos start empty."""
        self.numerals: Final = numerals
        self.threshold: Final = threshold
        self.not_headings: Final = not_headings
        self.official: Final = official
        self.memo: Final[dict[str, _Verdict | None]] = {}
        # NOTE: heading candidates of short lines, per heading pattern.
        self.lines: Final[dict[str, dict[str, _Candidate]]] = {}

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
    # NOTE: imported here: most drafts never get this far (~1 ms of a start).
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _numeral_value(numeral: str, numerals: list[str]) -> int | None:
    try:
        return numerals.index(numeral) + 1
    except ValueError:
        return None
