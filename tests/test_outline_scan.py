"""The outline's shortcuts find what a look at every line finds.

The heading scan (``outline.heading_scan._line_scan``, ``_scanned``) against the
plain algorithm it replaced: every line of the draft judged by
``_heading_candidate``, with no memo and no prefilter; the title and the
publication date (``outline.outline``) against their loops before.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.document.fold import fold_text
from disclosure_lint.document.text import Span
from disclosure_lint.engine import reflow
from disclosure_lint.inputs.load import load_document
from disclosure_lint.outline import outline, sections
from disclosure_lint.outline import scan as heading_scan
from disclosure_lint.outline.lines import Lines, _regex, _search_folded
from disclosure_lint.outline.model import DateFound
from disclosure_lint.packs.load import load_packset

from .conftest import EXAMPLES, ROOT, benchmark_corpus, seed_files

PACKSET = load_packset(use_cache=False)
REAL = ROOT.parent / "shared" / "real"
DEFAULT_MARKUP = r"^\s*(?:#{1,6}\s*)?"


def _specs() -> list[dict[str, Any]]:
    """The ``document`` data of every edition (their markup and patterns)."""
    return [dict(p.document) for p in PACKSET.editions()]


def _reference(
    parts: list[str], markup: sections._Markup, heading: Any
) -> list[tuple[int, Any]]:
    """Every line judged on its own: the algorithm before the scan."""
    found = []
    for index, raw in enumerate(parts):
        candidate = sections._heading_candidate(raw, markup, heading)
        if candidate is not None:
            found.append((index, candidate))
    return found


def _markup(spec: dict[str, Any]) -> sections._Markup:
    return sections._Markup(
        _regex(spec.get("markup", DEFAULT_MARKUP)),
        tuple(str(e) for e in spec.get("markup_end") or ()),
    )


def _scanned(text: str, markup: sections._Markup, heading: Any) -> list[Any]:
    """The candidates as ``_sections_with`` finds them (scan, then memo)."""
    lines = Lines.of_text(text)
    scan = heading_scan._line_scan(markup.start.pattern, heading.pattern)
    indices = None if scan is None else heading_scan._scanned(lines, scan)
    memo: dict[str, Any] = {}
    return list(sections._candidates(lines.parts, memo, markup, heading, indices))


def _assert_same(text: str) -> None:
    for spec in _specs():
        markup = _markup(spec)
        for pattern in spec.get("heading_patterns") or []:
            heading = _regex(str(pattern))
            expected = _reference(text.split("\n"), markup, heading)
            assert _scanned(text, markup, heading) == expected


@cache
def _drafts() -> tuple[str, ...]:
    """Seeds, examples, the real reports as read, and 2,000 corpus drafts."""
    texts = [load_document(p).text for p in seed_files()]
    texts += [load_document(p).text for p in sorted(EXAMPLES.glob("*.*"))]
    texts += [
        load_document(p).text
        for p in sorted(REAL.glob("*.*"))
        if p.suffix in (".txt", ".md", ".html", ".pdf")
    ]
    corpus = benchmark_corpus()
    texts += [
        corpus.make_draft(i, seed=7, utf8=True).data.decode("utf-8")
        for i in range(2000)
    ]
    return tuple(texts)


def test_the_bundled_patterns_are_scanned() -> None:
    # NOTE: else the tests below would only compare the old path with itself.
    for spec in _specs():
        markup = _markup(spec)
        for pattern in spec.get("heading_patterns") or []:
            assert heading_scan._line_scan(markup.start.pattern, str(pattern))


def test_scan_finds_the_candidates_of_every_draft() -> None:
    drafts = _drafts()
    assert len(drafts) > 2000
    for text in drafts:
        _assert_same(text)


_PIECES = [
    "一",
    "二",
    "十",
    "十一",
    "、",
    ".",
    "．",
    ",",
    "(",
    "（",
    ")",
    "）",
    "#",
    "##",
    "**",
    "__",
    " ",
    "\t",
    "\u3000",
    "\u00a0",
    "\u2028",
    "\r",
    "\n",
    "\n\n",
    "总体情况",
    "主动公开政府信息情况",
    "其他需要报告的事项",
    "年",
    "x",
    "。",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_scan_matches_a_look_at_every_line_on_heading_like_text(
    pieces: list[str],
) -> None:
    _assert_same("".join(pieces))


@pytest.mark.parametrize(
    ("markup", "heading"),
    [
        (r"^\s*", r"^\s*(?P<numeral>一)(?P<text>.)"),  # a first blank: unsure
        (r"^.{0,3}", r"^(?P<numeral>一)(?P<text>.)"),  # any markup: unsure
        (r"^(?:一)?", r"^(?P<numeral>[一二])(?P<text>.)"),  # shared character
        (r"^\s*", r"^(?P<numeral>[一-十])(?P<text>.)"),  # a range: unsure
        (r"^\s*", r"(?i)^(?P<numeral>a)(?P<text>.)"),  # case folding
    ],
)
def test_unsure_patterns_fall_back_to_every_line(markup: str, heading: str) -> None:
    assert heading_scan._line_scan(markup, heading) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_custom_markup_is_scanned_exactly(pieces: list[str]) -> None:
    text = "".join(pieces)
    markup = sections._Markup(re.compile(r"^[ \t]*(?:\*\*)?"), ("**",))
    for pattern in (
        r"^(?P<numeral>[一二十]{1,2})[、.](?P<text>\S.{0,20})$",
        r"^(?:[(（](?P<numeral>[一二]))[)）](?P<text>.+)",
        r"^(?:第(?P<numeral>[一二])章|(?P<text>总体))",
    ):
        heading = re.compile(pattern)
        lines = Lines.of_text(text)
        scan = heading_scan._line_scan(markup.start.pattern, pattern)
        assert scan is not None
        expected = [
            (i, c) for i, c in _reference(lines.parts, markup, heading) if c is not None
        ]
        found = sections._candidates(
            lines.parts, {}, markup, heading, heading_scan._scanned(lines, scan)
        )
        assert list(found) == expected


def test_blanks_class_is_every_blank_but_the_newline() -> None:
    blanks = re.compile(f"[{heading_scan._BLANKS}]")
    every = "".join(map(chr, range(0x110000)))
    assert set(blanks.findall(every)) == set(re.findall(r"\s", every)) - {"\n"}


# --------------------------------------------------------------------------
# Title and publication date: the loops before they skipped lines, kept here
# as references (a ``Line`` built for every line looked at).


def _title_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The title data as ``build_outline`` passes it (with the markup)."""
    markup = {k: spec[k] for k in ("markup", "markup_end") if k in spec}
    return {**markup, **(spec.get("title") or {})}


def _reference_title(lines: Lines, spec: dict[str, Any]) -> Any:
    keyword = str(spec.get("keyword", ""))
    scan = int(spec.get("scan_lines", 8))
    body = [line for line in lines[:] if line.text.strip()][:scan]
    if not body:
        return None
    first = outline._title_parts(body, spec)
    valid = not keyword or keyword in fold_text("".join(p[2] for p in first))
    later = spec.get("later")
    for index in range(1, min(len(body), 1 + int(spec.get("skip_lines", 0)))):
        if not later or (valid and len(first) <= index):
            break
        parts = outline._title_parts(body[index:], spec)
        if _regex(str(later)).search(fold_text("".join(p[2] for p in parts))):
            return outline._title(parts)
    return outline._title(first) if valid else None


def _reference_publication_date(lines: Lines, spec: dict[str, Any]) -> Any:
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


def _assert_same_title_and_date(text: str) -> None:
    lines = Lines.of_text(text)
    for spec in _specs():
        title = _title_spec(spec)
        assert repr(outline._find_title(lines, title)) == repr(
            _reference_title(lines, title)
        )
        assert outline._find_publication_date(
            lines, spec
        ) == _reference_publication_date(lines, spec)


def test_title_and_publication_date_of_every_draft() -> None:
    found = 0
    for text in _drafts():
        _assert_same_title_and_date(text)
        found += (
            outline._find_publication_date(Lines.of_text(text), _specs()[0]) is not None
        )
    assert found > 100  # NOTE: the comparison saw dates, not only None


_DATED = [
    "2024年1月20日",
    "发布日期：2024-01-02",
    "成文日期:2023.12.31",
    "发布时间：2024年3月",
    "年",
    "发",
    "成",
    "2024年度某某县人民政府政府信息公开工作年度报告",
    "政府信息公开",
    "报告",
    "正文",
    "# ",
    "**",
    " ",
    "\t",
    "\n",
    "\n\n",
    "\n",
    "某某",
    "2024年度某某县人民政府",
    "工作年度报告",
    "第1页",
]


@pytest.mark.parametrize(
    "text",
    [
        "正文\n\n2024年度某某县人民政府\n政府信息公开\n工作年度报告\n一、总体情况",
        "正文\n第1页\n2024年度某某县人民政府\n政府信息公开\n工作年度报告\n",
        "  \n正文\n第1页\n某某县人民政府\n2024年政府信息公开工作年度报告\n",
    ],
)
def test_title_after_furniture_wrapped_over_the_most_lines(text: str) -> None:
    _assert_same_title_and_date(text)
    title = outline._find_title(Lines.of_text(text), _title_spec(_specs()[0]))
    assert title is not None and title.text.endswith("工作年度报告")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DATED), max_size=40))
def test_title_and_publication_date_on_random_text(pieces: list[str]) -> None:
    _assert_same_title_and_date("".join(pieces))


# --------------------------------------------------------------------------
# Reflow: the test that settles most drafts, against its plain definition.


def _reference_long_run(lines: list[str]) -> bool:
    return any(
        re.search("[0-9]{7}", line) for line in lines if len(line) >= reflow.MIN_LINE
    )


def test_long_run_of_every_draft() -> None:
    seen = set()
    for text in _drafts():
        lines = text.split("\n")
        seen.add(reflow._long_run(lines))
        assert reflow._long_run(lines) == _reference_long_run(lines)
    assert seen == {True, False}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["1", "12345", "1234567", "年", "\n", " ", "x" * 60, "报告"]),
        max_size=60,
    )
)
def test_long_run_on_random_text(pieces: list[str]) -> None:
    lines = "".join(pieces).split("\n")
    assert reflow._long_run(lines) == _reference_long_run(lines)


def _reference_hint(line: str) -> bool:
    """The hint as the one alternation it was."""
    heading = reflow._hint_heading(PACKSET.for_year(None))
    hint = re.compile(f"{heading.pattern}|[^\\x00-\\x7f][0-9]{{7,}}")
    return hint.search(line, 1) is not None


def test_hint_of_every_long_line() -> None:
    heading = reflow._hint_heading(PACKSET.for_year(None))
    seen = set()
    for text in _drafts()[:400]:
        for line in text.split("\n"):
            if len(line) >= reflow.MIN_LINE:
                seen.add(reflow._hinted(line, heading))
                assert reflow._hinted(line, heading) == _reference_hint(line)
    assert seen == {True, False}


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["1", "123", "1234567", "年", "a", " ", "二、", "二,主动", "、", "总体"]
        ),
        max_size=30,
    )
)
def test_hint_on_random_text(pieces: list[str]) -> None:
    line = "".join(pieces)
    heading = reflow._hint_heading(PACKSET.for_year(None))
    assert reflow._hinted(line, heading) == _reference_hint(line)
