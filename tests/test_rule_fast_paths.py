"""The rule kinds' fast paths give exactly what the plain way gives.

Issue 11 (engine throughput): the cross-check rules test the texts their
checks need once per paragraph (``regex.guard.required_choices``) and skip
statements that agree; FM003 skips pairs closed on their line; FM101 tries
its markers only where two characters fit; the pattern kind scans for one of
the texts a match needs. Each is compared here with the plain way (every
check run on every paragraph, every mark counted, ``finditer``) on the
seeds, the examples, corpus drafts and random text.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.document.text import Span
from disclosure_lint.engine.lint import build_report
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds import (
    KINDS,
    cross_check,
    cross_values,
    paired_punctuation,
    pattern,
)
from disclosure_lint.kinds.edition_markers import _markers
from disclosure_lint.kinds.prose_lines import KeywordIndex, Prose, candidate_lines
from disclosure_lint.kinds.report import LintOptions, Report
from disclosure_lint.packs.load import load_packset
from disclosure_lint.regex.guard import required_choices

from .conftest import benchmark_corpus

ROOT = Path(__file__).resolve().parent.parent
PACKSET = load_packset(use_cache=False)


def _rules(kind: str) -> list[Any]:
    return [
        rule for pack in PACKSET.editions() for rule in pack.rules if rule.kind == kind
    ]


def _report(text: str, year: int = 2021) -> Report | None:
    try:
        doc = document_from_bytes("t.txt", text.encode("utf-8", "surrogatepass"))
    except LoadError:
        return None
    return build_report(doc, PACKSET, LintOptions(year=year))


# --- required_choices -------------------------------------------------------


def test_required_choices_name_the_texts_every_match_holds() -> None:
    assert required_choices("予以公开(?P<n>\\d+)件") == (("予以公开",), ("件",))
    assert required_choices("(?:未|没有)发生(?:依申请公开|信息公开申请)") == (
        ("未", "没有"),
        ("发生",),
        ("依申请公开", "信息公开申请"),
    )
    # A text holding another is implied by it; an optional part needs none.
    assert required_choices("(?:信息来源|来源)[:：](?:打印)?") == (("来源",),)
    # An alternative needing no text: the alternation needs none.
    assert required_choices("a(?:bc|\\d)") == (("a",),)
    assert required_choices("(?:ab){2}(cd)+") == (("ab",), ("cd",))
    assert required_choices("(?i)abc") == ()
    assert required_choices("x(?i:ab)") == (("x",),)
    assert required_choices("[") == ()


def _patterns() -> list[tuple[str, int]]:
    found = [
        (str(check["pattern"]), 0)
        for rule in _rules("cross-check")
        for check in rule.params["checks"]
    ]
    found += [(str(rule.params["pattern"]), re.MULTILINE) for rule in _rules("pattern")]
    return found


PATTERNS = _patterns()
WORDS = sorted(
    {text for p, f in PATTERNS for c in required_choices(p, f) for text in c}
)
PROSE = [
    *("，", "。", "；", "：", "\n", " ", "\t", "3", "12", "0", "件", "(", "%", "其中"),
    *("本级", "市教育局", "均获维持", "结果维持", "【", "】"),
]
TEXTS = st.lists(
    st.sampled_from(WORDS) | st.sampled_from(PROSE) | st.text(max_size=3), max_size=30
).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_every_match_holds_one_text_of_each_choice(text: str) -> None:
    for source, flags in PATTERNS:
        choices = required_choices(source, flags)
        for match in re.finditer(source, text, flags):
            for texts in choices:
                assert any(t in match.group(0) for t in texts), (source, texts)


# --- cross-check ------------------------------------------------------------


def _plain_check(report: Report, rule: Any, prepared: Any) -> list[Any]:
    """``cross_check.check`` done the plain way: every check on every paragraph.

    A fresh ``Prose``, no required texts, no agreeing numbers and the table
    values worked out for the rule alone.
    """
    if not report.tables:
        return []
    prose = Prose(report.document)
    hits: list[Any] = []
    seen: set[tuple[int, str]] = set()
    done: set[int] = set()
    values: dict[int, list[Any]] = {}
    for index in candidate_lines(prose, prepared.keywords):
        first = prose.paragraph(index)
        if first in done:
            continue
        done.add(first)
        folded = prose.folded(first)
        if folded is None:
            continue
        for number, item in enumerate(prepared.checks):
            for match in item.regex.finditer(folded):
                if number not in values:
                    totals = item.bases or (item.value, *item.alternatives)
                    values[number] = [
                        cross_values.table_value(rule, total, report.tables)
                        for total in totals
                    ]
                hit = cross_check._hit(
                    report, prepared, item, values[number], prose, first, match
                )
                if hit is None:
                    continue
                key = (hit.span.start, item.value.text())
                if key not in seen:
                    seen.add(key)
                    hits.append(hit)
    return hits


def _same_cross_checks(report: Report) -> int:
    """Compare every cross-check rule of the report's pack; the hits compared."""
    count = 0
    for rule in report.pack.rules:
        if rule.kind != "cross-check":
            continue
        prepared = KINDS[rule.kind].prepare(rule.params)
        expected = [(h.span, h.args) for h in _plain_check(report, rule, prepared)]
        # Twice: the second run reads what the first left on the report.
        for _ in range(2):
            got = list(cross_check.check(report, rule, prepared))
            assert [(h.span, h.args) for h in got] == expected, rule.id
        count += len(expected)
    return count


def _files() -> list[Path]:
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*"))
    examples = sorted(p for p in (ROOT / "examples").iterdir() if p.is_file())
    return [p for p in seeds + examples if p.is_file()]


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_cross_checks_find_what_every_check_on_every_paragraph_finds(
    path: Path,
) -> None:
    report = build_report(
        document_from_bytes(path.name, path.read_bytes()), PACKSET, LintOptions()
    )
    _same_cross_checks(report)


def test_cross_checks_on_corpus_drafts_find_what_the_plain_way_finds() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    hits = 0
    for index in range(60):
        made = corpus.make_draft(index, 1)
        doc = document_from_bytes(made.name, made.data)
        hits += _same_cross_checks(build_report(doc, PACKSET, LintOptions()))
    assert hits > 0  # NOTE: the sample holds statements that differ.


SENTENCES = [
    "全年新收政府信息公开申请{a}件，予以公开{b}件，部分公开{c}件。",
    "本年度办理政府信息公开申请{a}件，办结{b}件，结转下年度{c}件。",
    "上年结转{a}件，不予公开{b}件，无法提供{c}件，不予处理{a}件。",
    "其中，市本级受理申请{a}件，其中市教育局办结{b}件。",
    "发生政府信息公开行政复议{a}件，行政诉讼{b}件，均获维持。",
    "政府信息公开行政复议{a}件，其中结果维持{b}件，结果纠正{c}件，",
    "尚未审结{a}件；行政诉讼{b}件，其中其他结果{c}件。",
    "全年未发生因政府信息公开引起的行政复议、行政诉讼。",
    "未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",
    "所有申请均已按时办结，予以公开{a}件（{b}.{c}%）。",
    "本年未收到政府信息公开申请。",
]
EXAMPLES = sorted(
    {
        str(example["text"])
        for rule in _rules("cross-check")
        for example in rule.examples
        if "\t" in str(example.get("text", ""))
    }
)
DRAFTS = st.tuples(
    st.lists(
        st.tuples(
            st.sampled_from(SENTENCES),
            st.integers(0, 12),
            st.integers(0, 12),
            st.integers(0, 99),
            st.sampled_from(["", "\n", "\n\n", "\t"]),
        ),
        max_size=6,
    ),
    st.sampled_from(EXAMPLES),
)


@settings(max_examples=150, deadline=None)
@given(DRAFTS)
def test_cross_checks_on_random_statements_find_what_the_plain_way_finds(
    draft: tuple[list[tuple[str, int, int, int, str]], str],
) -> None:
    sentences, tables = draft
    prose = "".join(s.format(a=a, b=b, c=c) + end for s, a, b, c, end in sentences)
    report = _report(prose + "\n" + tables)
    if report is not None:
        _same_cross_checks(report)


# --- keyword index -----------------------------------------------------------


def _lines_with_reference(text: str, words: frozenset[str]) -> list[int]:
    """The 0-based lines where one of ``words`` starts: every occurrence found."""
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    lines: set[int] = set()
    for word in words:
        at = text.find(word)
        while at != -1:
            lines.add(bisect_right(starts, at) - 1)
            at = text.find(word, at + 1)
    return sorted(lines)


def _indexed(index: KeywordIndex, text: str, words: frozenset[str]) -> list[int]:
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    bit = index.bit(words)
    return [line for line, bits in index.lines(text, starts).items() if bits & bit]


# NOTE: few characters, so that words overlap, hold one another and repeat.
WORD = st.text(alphabet="ab申请%.", min_size=1, max_size=4)
WORD_SETS = st.lists(
    st.frozensets(WORD, min_size=1, max_size=5), min_size=1, max_size=5
)


@settings(max_examples=400, deadline=None)
@given(WORD_SETS, st.text(alphabet="ab申请%.\n x", max_size=60))
def test_one_scan_finds_the_lines_of_every_word_set(
    sets: list[frozenset[str]], text: str
) -> None:
    index = KeywordIndex(sets)
    for words in sets:
        assert _indexed(index, text, words) == _lines_with_reference(text, words)


def test_one_scan_sees_a_word_overlapping_the_end_of_another() -> None:
    index = KeywordIndex([frozenset({"办结"}), frozenset({"结转"}), frozenset({"结"})])
    text = "x\n办结转入\n"
    assert _indexed(index, text, frozenset({"结转"})) == [1]
    assert _indexed(index, text, frozenset({"结"})) == [1]


def _same_paragraphs(report: Report) -> None:
    """Each cross-check rule's paragraphs, through the pack's index and not."""
    index = cross_check.keyword_index(report.pack)
    assert index is not None
    plain, indexed = Prose(report.document), Prose(report.document)
    for rule in report.pack.rules:
        if rule.kind == "cross-check":
            prepared = KINDS[rule.kind].prepare(rule.params)
            assert index.bit(prepared.words), rule.id
            expected = plain.paragraphs(prepared.keywords)
            got = indexed.paragraphs(prepared.keywords, index, prepared.words)
            assert got == expected, rule.id


def test_the_keyword_index_picks_the_paragraphs_the_scans_pick() -> None:
    corpus = benchmark_corpus()
    docs = [document_from_bytes(p.name, p.read_bytes()) for p in _files()]
    for number in range(60):
        made = corpus.make_draft(number, 1)
        docs.append(document_from_bytes(made.name, made.data))
    for doc in docs:
        _same_paragraphs(build_report(doc, PACKSET, LintOptions()))


# --- FM003, FM101, pattern --------------------------------------------------

MARKS = st.lists(
    st.sampled_from(["《", "》", "“", "”", "【", "】", "\n", "— 1 —\n", "规定", "。"])
    | st.sampled_from(["《规定》", "\n\n", " "])
    | st.text(max_size=2),
    max_size=40,
).map("".join)


@pytest.mark.parametrize(
    "text",
    [
        "《规定》",
        "《规定。\n\n》",
        "《规\n定》",
        "《规\n\n\n定》》",
        "“a《b”》",
        "》《",
    ],
)
def test_pairs_closed_on_their_line_are_skipped_exactly_in(text: str) -> None:
    _same_strays(text)


@settings(max_examples=400, deadline=None)
@given(MARKS)
def test_pairs_closed_on_their_line_are_skipped_exactly(text: str) -> None:
    _same_strays(text)


def _same_strays(text: str) -> None:
    for rule in _rules("paired-punctuation"):
        prepared = KINDS[rule.kind].prepare(rule.params)
        if not prepared.independent:
            continue
        plain = paired_punctuation._independent_strays(
            text, prepared.closing, prepared.footer
        )
        assert plain == paired_punctuation._independent_strays(
            text, prepared.closing, prepared.footer, prepared.inline
        )


MARKERS = [str(m) for rule in _rules("edition-markers") for m in rule.params["markers"]]
MARKER_TEXTS = st.lists(
    st.sampled_from(MARKERS)
    | st.sampled_from([m[:2] for m in MARKERS] + [m[0] + " " + m[1:] for m in MARKERS])
    | st.sampled_from(["本", "年", "本机关", "第二", "\n", "\u3000", "（", "九"])
    | st.text(max_size=2),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKER_TEXTS)
def test_markers_are_tried_wherever_finditer_finds_them(text: str) -> None:
    for rule in _rules("edition-markers"):
        prepared = KINDS["edition-markers"].prepare(rule.params)
        expected = [
            (m.start(), m.end(), prepared.names[m.lastgroup or ""])
            for m in prepared.regex.finditer(text)
        ]
        assert list(_markers(text, Span(0, len(text)), prepared)) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(WORDS) | st.sampled_from(PROSE) | st.text(max_size=3),
        max_size=30,
    ).map("".join)
)
def test_a_pattern_needs_scan_skips_only_text_without_a_match(text: str) -> None:
    report = _report(text)
    if report is None:
        return
    for rule in report.pack.rules:
        if rule.kind != "pattern":
            continue
        prepared = KINDS[rule.kind].prepare(rule.params)
        plain = pattern.Prepared(prepared.regex, prepared.line_starts, "", None)
        got = [(h.span, h.args) for h in pattern.check(report, rule, prepared)]
        assert got == [(h.span, h.args) for h in pattern.check(report, rule, plain)]


def test_fm002_gets_a_scan_for_the_words_of_its_alternation() -> None:
    rule = next(r for r in _rules("pattern") if r.id == "FM002")
    prepared = KINDS[rule.kind].prepare(rule.params)
    assert prepared.required == ""
    assert prepared.needles is not None
    assert prepared.needles.search("发布日期：2021-01-01") is not None
    assert prepared.needles.search("全年新收政府信息公开申请3件。") is None
