"""``build_outline``: title, report year, statistics period, publication date.

Sections are found by ``sections``; the records are in ``model``, the lines
and regex helpers in ``lines``.

Everything domain-specific (heading texts, aliases, numerals, year and period
patterns, labels that look like headings but are table rows) comes from the
pack's ``document`` data; this module only knows how to apply it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..document.fold import fold, fold_parts, fold_text
from ..document.text import Document, Span
from ..memo import per_object
from .issuer import find_issuer
from .lines import Line, Lines, _needed_chars, _regex, _search_folded
from .model import DateFound, Outline, Period, Title
from .sections import _find_sections, _strip_end

if TYPE_CHECKING:
    from ..regex.linear import Regex


def build_outline(doc: Document, spec: Mapping[str, Any]) -> Outline:
    """Find title, years, period, publication date and sections."""
    lines = Lines(doc.text, *doc.split_lines())
    outline = Outline()
    title = per_object(spec, _title_spec)
    outline.title = _find_title(lines, title)
    _find_title_year(outline, spec)
    issuer = find_issuer(doc, outline.title, spec)
    if issuer is not None:
        outline.issuer, outline.issuer_key = issuer
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


# --------------------------------------------------------------------------
# Title and years


def _title_spec(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    """The title data, with the markup (worked out once a pack: ``memo.per_object``)."""
    title = spec.get("title") or {}
    if "markup" in spec or "markup_end" in spec:
        # NOTE: the title's lines carry the same markup as headings
        markup = {k: spec[k] for k in ("markup", "markup_end") if k in spec}
        title = {**markup, **title}
    return title


def _markup_of(spec: Mapping[str, Any]) -> tuple[Regex, tuple[str, ...]]:
    """The markup regex and closing marks of ``spec`` (once: ``memo.per_object``)."""
    regex = _regex(spec.get("markup", r"^\s*(?:#{1,6}\s*)?"))
    return regex, tuple(str(e) for e in spec.get("markup_end") or ())


def _strip_markup(text: str, spec: Mapping[str, Any]) -> tuple[int, str]:
    """Drop leading markup (``#``, ``**``), closing marks and blanks; keep offset."""
    regex, ends = per_object(spec, _markup_of)
    match = regex.match(text)
    skip = match.end() if match else 0
    return skip, _strip_end(text[skip:].rstrip(), ends)


def _find_title(lines: Lines, spec: Mapping[str, Any]) -> Title | None:
    """The title: the first non-blank line (wrapped over ``max_lines``).

    NOTE: text converted from a PDF or a web page may put a line or two of
    cover or page furniture (``正文``) before the title. A later line starts
    the title when the first line's title does not reach past it, or lacks
    the keyword, and only when its text is unmistakably a title (``later``).
    """
    keyword = str(spec.get("keyword", ""))
    skip_lines = int(spec.get("skip_lines", 0))
    # NOTE: only the lines a title can reach are built: from one of the
    # first ``skip_lines + 1`` lines, over ``max_lines`` at most.
    reach = skip_lines + max(int(spec.get("max_lines", 2)), 1)
    scan = min(int(spec.get("scan_lines", 8)), reach)
    # NOTE: the first lines with text: a PDF laid out as text (or a page
    # with a top margin) may begin with lines of blanks.
    texts, starts = lines.parts, lines.starts
    with_text = (n for n, part in enumerate(texts) if part.strip())
    # NOTE: each Line built here, not through ``lines[n : n + 1]`` (a slice
    # and a list a line).
    body = [Line(n + 1, starts[n], texts[n]) for n in islice(with_text, scan)]
    if not body:
        return None
    first = _title_parts(body, spec)
    valid = not keyword or keyword in fold_text("".join(p[2] for p in first))
    later = spec.get("later")
    for index in range(1, min(len(body), 1 + skip_lines)):
        if not later or (valid and len(first) <= index):
            break
        parts = _title_parts(body[index:], spec)
        if _regex(str(later)).search(fold_text("".join(p[2] for p in parts))):
            return _title(parts)
    return _title(first) if valid else None


def _title(parts: list[tuple[Line, int, str]]) -> Title:
    """The title on ``parts``: (line, characters skipped, text) each."""
    start = parts[0][0].start + parts[0][1]
    last_line, last_skip, last_text = parts[-1]
    end = last_line.start + last_skip + len(last_text)
    return Title(
        text="".join(p[2] for p in parts),
        span=Span(start, end),
        lines=tuple(p[0].number for p in parts),
        folded=fold_parts([(t, line.start + sk) for line, sk, t in parts]),
    )


def _title_parts(
    body: list[Line], spec: Mapping[str, Any]
) -> list[tuple[Line, int, str]]:
    """The lines of a title starting at ``body[0]``, each as (line, skip, text).

    A title wraps onto the fewest following short lines (``max_wrap``, up to
    ``max_lines`` in all) after which its text ends with ``ending``; else it
    is the first line alone.
    """
    ending = str(spec.get("ending", ""))
    max_lines = int(spec.get("max_lines", 2))
    max_wrap = int(spec.get("max_wrap", 24))
    skip, text = _strip_markup(body[0].text, spec)
    parts = [(body[0], skip, text)]
    if fold_text(text).endswith(ending):
        return parts
    more = list(parts)
    for line in body[1:max_lines]:
        more_skip, more_text = _strip_markup(line.text, spec)
        if len(more_text) > max_wrap:
            break
        more.append((line, more_skip, more_text))
        if fold_text("".join(p[2] for p in more)).endswith(ending):
            return more
    return parts


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
    """The statistics-period sentence, on one line or wrapped over two.

    NOTE: hard-wrapped PDF text breaks the sentence anywhere
    (``统计期限为 2025`` / ``年 1 月 1 日至 12 月 31 日``), so a line that
    holds a keyword but no whole period is read again joined with the line
    before and with the line after.
    """
    keywords = [str(k) for k in spec.get("keywords", [])]
    patterns = [_regex(str(p)) for p in spec.get("patterns", [])]
    hint = spec.get("hint")
    starts, parts = lines.starts, lines.parts
    indices = lines.containing(keywords) if keywords else range(len(lines))
    for index in indices:
        start, text = starts[index], parts[index]
        folded_text = fold_text(text)
        period = _period_in(patterns, folded_text, [(text, start)])
        if period is None:
            period = _wrapped_period(patterns, lines, index)
        if period is not None:
            outline.period = period
            return
        if (
            hint
            and outline.period_hint is None
            and _regex(str(hint)).search(folded_text)
        ):
            outline.period_hint = Span(start, start + len(text))


def _wrapped_period(patterns: list[Regex], lines: Lines, index: int) -> Period | None:
    """A period sentence across line ``index`` and the line before or after."""
    starts, parts = lines.starts, lines.parts
    for first in (index - 1, index):
        if first < 0 or first + 1 >= len(parts):
            continue
        pieces = [(parts[first], starts[first]), (parts[first + 1], starts[first + 1])]
        if not all(piece.strip() for piece, _ in pieces):
            continue  # NOTE: a blank line ends the paragraph
        joined = fold_text(pieces[0][0]) + fold_text(pieces[1][0])
        period = _period_in(patterns, joined, pieces)
        if period is not None:
            return period
    return None


def _period_in(
    patterns: list[Regex], folded_text: str, pieces: list[tuple[str, int]]
) -> Period | None:
    """The period ``patterns`` find in ``folded_text`` (the folded ``pieces``)."""
    for regex in patterns:
        match = regex.search(folded_text)
        if match is None:
            continue
        groups = match.groupdict()
        y1 = int(groups["y1"])
        y2 = int(groups["y2"]) if groups.get("y2") else y1
        folded = fold_parts(pieces) if len(pieces) > 1 else fold(*pieces[0])
        span = Span(*folded.original_span(match.start(), match.end()))
        return Period(
            span=span,
            start=DateFound(y1, int(groups["m1"]), int(groups["d1"]), span),
            end=DateFound(y2, int(groups["m2"]), int(groups["d2"]), span),
        )
    return None


def _find_publication_date(lines: Lines, spec: Mapping[str, Any]) -> DateFound | None:
    starts, parts = lines.starts, lines.parts
    for item in spec.get("publication_date") or []:
        regex = _regex(str(item["pattern"]))
        window = int(item.get("last_lines", 0))
        scan = (
            slice(-window, None) if window else slice(int(item.get("first_lines", 10)))
        )
        first, stop, _ = scan.indices(len(parts))
        for index in _holding(lines, _needed_chars(regex.pattern), first, stop):
            found = _search_folded(regex, parts[index], starts[index])
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


def _holding(lines: Lines, needed: frozenset[str], first: int, stop: int) -> list[int]:
    """Indices of the lines ``first`` to ``stop`` holding any of ``needed``.

    All of them when ``needed`` is empty. NOTE: the lines that hold none
    cannot match (``_search_folded`` turns them down), and most lines of a
    window do not: ``str.find`` skips from one that does to the next in C.
    """
    if not needed or first >= stop:
        return list(range(first, stop))
    text, starts = lines.text, lines.starts
    end = starts[stop] - 1
    found: set[int] = set()
    for char in needed:
        at = text.find(char, starts[first], end)
        while at != -1:
            index = bisect_right(starts, at) - 1
            found.add(index)
            at = text.find(char, starts[index + 1], end)
    return sorted(found)


# --------------------------------------------------------------------------
# Sections
