"""Sections: headings found by the pack's section specs, with their bodies."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping
from itertools import compress, count, repeat
from operator import is_not
from typing import TYPE_CHECKING, Any, Final

from ..document.fold import fold_text
from ..document.text import Span
from ..named_tuples import NamedTuple
from .lines import _TRAILING, Lines, _regex
from .model import Section, StrayHeading
from .scan import _line_scan, _scanned

if TYPE_CHECKING:
    from ..regex.linear import Regex


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


def heading_scans(spec: Mapping[str, Any]) -> None:
    """Work out the heading scans of ``spec`` (when packs are compiled).

    NOTE: so that their patterns and code are saved in the pack cache.
    """
    if spec.get("sections"):
        markup = _regex(spec.get("markup", _MARKUP)).pattern
        for pattern in spec.get("heading_patterns") or []:
            _line_scan(markup, _regex(str(pattern)).pattern)


_MARKUP = r"^\s*(?:#{1,6}\s*)?"


def _sections_with(
    lines: Lines, spec: Mapping[str, Any], heading_re: Regex
) -> tuple[list[Section], list[StrayHeading]]:
    prepared = _section_spec(spec)
    markup = _Markup(
        _regex(spec.get("markup", _MARKUP)),
        tuple(str(e) for e in spec.get("markup_end") or ()),
    )
    memo = prepared.lines.setdefault(heading_re.pattern, {})
    scan = _line_scan(markup.start.pattern, heading_re.pattern)
    indices = None if scan is None else _scanned(lines, scan)
    candidates = list(_candidates(lines.parts, memo, markup, heading_re, indices))
    found = _sections_of(lines, prepared, candidates)
    mid_line = spec.get("mid_line_heading")
    if mid_line and len({s.key for s in found[0]}) < len(prepared.official):
        # NOTE: only a draft with a section missing is searched for headings
        # after other text on their line: a complete draft pays nothing.
        mid_re = _regex(str(mid_line))
        more = _with_mid_line(candidates, lines, mid_re, heading_re)
        if len(more) > len(candidates):
            found = _sections_of(lines, prepared, more)
    return found


def _sections_of(
    lines: Lines,
    prepared: _SectionSpec,
    candidates: list[tuple[int, tuple[int, str, str, str]]],
) -> tuple[list[Section], list[StrayHeading]]:
    """Sections and strays of the heading ``candidates`` (in text order)."""
    values = prepared.values
    rows: list[tuple[str, str, str, str, str, Span, int, bool]] = []
    strays: list[StrayHeading] = []
    heading_starts: list[int] = []  # of sections and strays, in text order
    last_value = 0
    found: set[str] = set()  # keys of the sections found so far
    for index, (skip, text, numeral, raw_label) in candidates:
        verdict = prepared.classify(raw_label)
        if verdict is None:
            continue
        # NOTE: only a variant (``verdict[3]``) can be implausible: the call
        # is skipped for an official heading (most of them).
        if (
            verdict[3]
            and verdict is not _NOT_A_SECTION
            and not prepared.plausible(verdict, numeral, raw_label, found)
        ):
            verdict = _NOT_A_SECTION
        if skip < 0:  # NOTE: a heading after other text on its line
            if verdict is _NOT_A_SECTION:
                continue
            skip = -skip - 1
        start = lines.starts[index] + skip
        span = Span(start, start + len(text))
        if verdict is not _NOT_A_SECTION:
            key, expected, heading, is_variant = verdict
            rows.append(
                (key, numeral, expected, text, heading, span, index + 1, is_variant)
            )
            found.add(key)
            heading_starts.append(start)
            last_value = values.get(numeral) or last_value
            continue
        value = values.get(numeral)
        if value is not None and value == last_value + 1 and last_value > 0:
            strays.append(StrayHeading(numeral, text, span, index + 1))
            heading_starts.append(start)
            last_value = value
    return _with_bodies(rows, heading_starts, lines.length), strays


def _with_mid_line(
    candidates: list[tuple[int, tuple[int, str, str, str]]],
    lines: Lines,
    mid_line: Regex,
    heading_re: Regex,
) -> list[tuple[int, tuple[int, str, str, str]]]:
    """The candidates, with headings that follow other text on their line.

    NOTE: PDF text may run a heading on after the sentence before it
    (``…情况如下。二、主动公开政府信息情况``). The pack's ``mid_line_heading``
    (one search over the whole text) finds where such a heading may start;
    the rest of the line must then be a whole heading. Such a candidate has
    a negative ``skip`` (``-skip - 1`` is its offset in the line) and counts
    only as an official section, never as a stray.
    """
    text, starts = lines.text, lines.starts
    merged = dict(candidates)
    for match in mid_line.finditer(text):
        at = match.start("heading")
        index = bisect_right(starts, at) - 1
        if index in merged:
            continue
        end = starts[index] + len(lines.parts[index])
        rest = text[at:end].rstrip()
        head = heading_re.match(rest)
        if head is not None:
            skip = starts[index] - at - 1  # NOTE: negative: see above
            merged[index] = (skip, rest, head.group("numeral"), head.group("text"))
    return sorted(merged.items())


def _candidates(
    parts: list[str],
    memo: dict[str, _Candidate],
    markup: _Markup,
    heading_re: Regex,
    indices: list[int] | None = None,
) -> Iterator[tuple[int, tuple[int, str, str, str]]]:
    """``(index, candidate)`` of each line that looks like a heading.

    ``indices``: the only lines that can (``_scanned``); None: every line.
    """
    if indices is not None:
        for index in indices:
            candidate = _remembered_candidate(parts[index], memo, markup, heading_re)
            if candidate is not None:
                yield index, candidate
        return
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
    markup: _Markup,
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


class _Markup(NamedTuple):
    """Markup around a heading: a prefix regex, closing marks to drop."""

    start: Regex
    ends: tuple[str, ...]


def _heading_candidate(raw: str, markup: _Markup, heading_re: Regex) -> _Candidate:
    """``(skip, text, numeral, label)`` when the line looks like a heading."""
    stripped = raw.strip()
    if not stripped or "\t" in stripped:
        return None
    prefix = markup.start.match(raw)
    skip = prefix.end() if prefix else 0
    text = _strip_end(raw[skip:].rstrip(), markup.ends)
    match = heading_re.match(text)
    if match is None:
        return None
    return skip, text, match.group("numeral"), match.group("text")


def _strip_end(text: str, ends: tuple[str, ...]) -> str:
    """``text`` without a closing mark (``**`` of markdown bold) at its end."""
    for end in ends:
        if text.endswith(end):
            return text[: -len(end)].rstrip()
    return text


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
        "values",
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
        # NOTE: the value (1-based place) of each numeral, worked out once.
        self.values: Final = {n: numerals.index(n) + 1 for n in numerals}

    def plausible(
        self, verdict: _Verdict, numeral: str, raw_label: str, found: set[str]
    ) -> bool:
        """Whether a section match can stand where it is.

        NOTE: a heading only similar to an official one (neither equal to it
        nor an alias) is not taken for a section already found, nor, under
        another section's numeral, for one that should come before the
        sections found: ``一、加强政府信息公开`` inside section 五 is a
        numbered item, not a second 总体情况.
        """
        key, expected, _, is_variant = verdict
        if not is_variant:
            return True
        label = _clean(raw_label)
        order = 0
        latest = -1
        for index, (official_key, _, _, aliases, _) in enumerate(self.official):
            if official_key == key:
                if label in aliases:
                    return True
                order = index
            if official_key in found:
                latest = index
        if key in found:
            return False
        return numeral == expected or order > latest

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
    # NOTE: a heading, or else an alias (a score of 1.0, which only equal
    # texts reach), wins outright: looked for before any similarity, each of
    # which costs a SequenceMatcher. The first of them, as the loop below.
    for key, numeral, heading, _, raw_heading in official:
        if label == heading:
            return key, numeral, raw_heading, False
    if threshold <= 1.0:
        for key, numeral, _, aliases, raw_heading in official:
            if label in aliases:
                return key, numeral, raw_heading, True
    best: tuple[float, _Verdict] | None = None
    for key, numeral, heading, aliases, raw_heading in official:
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
    # NOTE: and so does the share of characters the two have in common
    # (difflib's quick_ratio); it turns down most of the rest.
    if 2.0 * (Counter(a) & Counter(b)).total() / total < cutoff:
        return 0.0
    # NOTE: imported here: most drafts never get this far (~1 ms of a start).
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False).ratio()
