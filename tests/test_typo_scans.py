"""The typo kinds' fast scans give exactly the hits of the plain scans.

Each kind's faster search (issue 11) is checked here against the plain
algorithm it replaced, kept as a reference: on random text (hypothesis),
on the seeds, the examples and corpus drafts, and on drafts with typos
written into them at random places (next to and inside tables, at line
breaks). The hits must be equal and in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from disclosure_lint.document.text import Span
from disclosure_lint.engine.lint import build_report
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds import KINDS, doubled, enumeration, substitution
from disclosure_lint.kinds.base import FixSpec, Hit
from disclosure_lint.kinds.report import LintOptions, Report
from disclosure_lint.kinds.scope import scope_spans
from disclosure_lint.packs.load import load_packset
from disclosure_lint.packs.model import Rule
from disclosure_lint.regex import matches
from disclosure_lint.regex.guard import required_text

from .conftest import EXAMPLES, benchmark_corpus, seed_files

PACKSET = load_packset(use_cache=False)
_CJK = "\u4e00-\u9fff"


@cache
def _drafts() -> tuple[str, ...]:
    """The seeds, the examples and 40 corpus drafts, as text."""
    texts = [p.read_text(encoding="utf-8") for p in seed_files()]
    texts += [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.*"))]
    corpus = benchmark_corpus()
    texts += [
        corpus.make_draft(i, seed=11, utf8=True).data.decode("utf-8") for i in range(40)
    ]
    return tuple(texts)


def _report(text: str) -> Report:
    doc = document_from_bytes("t.txt", text.encode("utf-8"))
    return build_report(doc, PACKSET, LintOptions())


def _rule(report: Report, rule_id: str) -> Rule:
    rule = next(r for r in report.pack.rules if r.id == rule_id)
    if rule.prepared is None:
        rule.prepared = KINDS[rule.kind].prepare(rule.params)
    return rule


def _hits(report: Report, rule_id: str) -> list[Hit]:
    rule = _rule(report, rule_id)
    return list(KINDS[rule.kind].check(report, rule, rule.prepared))


# --- TY006 (doubled): the backreference scan of the whole text -----------


def _old_doubled(report: Report, rule: Rule) -> Iterator[Hit]:
    """The ``doubled`` kind's check before issue 11: three whole-text scans."""
    params = rule.params
    longest = int(params["max_unit"])
    words = re.compile(f"(?P<unit>[{_CJK}]{{2,{longest}}}?)(?P=unit)")
    wraps = re.compile(f"\\n[ \\t\\u3000]*(?=[{_CJK}]{{2}})")
    prepared = rule.prepared
    assert isinstance(prepared, doubled.Prepared)
    text = report.document.text
    skip = [
        Span(t.start, t.end)
        for t in report.tables
        if t.start is not None and t.end is not None
    ]
    marks = str(params["prose_marks"])

    def cjk(s: str) -> bool:
        return bool(s) and all("\u4e00" <= ch <= "\u9fff" for ch in s)

    def not_prose(start: int, end: int, marks: str) -> bool:
        if any(s.start < end and start < s.end for s in skip):
            return True
        line_end = text.find("\n", end)
        line = text[
            text.rfind("\n", 0, start) + 1 : len(text) if line_end < 0 else line_end
        ]
        if "\t" in line or line.lstrip().startswith("|"):
            return True
        return bool(marks) and not any(mark in line for mark in marks)

    def repeats() -> Iterator[tuple[int, int, str, bool]]:
        for match in words.finditer(text):
            yield match.start(), match.end(), match.group("unit"), False
        for wrap in wraps.finditer(text):
            before, after = wrap.start(), wrap.end()
            while before > 0 and text[before - 1] in " \t\u3000":
                before -= 1
            last = text[before - 1] if before else ""
            if not cjk(last) or text.find(last, after + 1, after + longest) < 0:
                continue
            start = text.rfind("\n", 0, before - 1) + 1
            end = text.find("\n", before - 1)
            if len(text[start : len(text) if end < 0 else end].strip()) < int(
                params["wrap_min_line"]
            ):
                continue
            for size in range(2, longest + 1):
                unit = text[after : after + size]
                if len(unit) < size or not cjk(unit):
                    break
                if text[before - size : before] == unit:
                    yield before - size, after + size, unit, True
                    break

    for start, end, unit, wrapped in repeats():
        if unit in prepared.allowed or (
            prepared.allowed_pattern and prepared.allowed_pattern.fullmatch(unit)
        ):
            continue
        if not_prose(start, end, marks):
            continue
        second = Span(end - len(unit), end)
        yield Hit(
            second,
            {"text": unit, "wrapped": wrapped},
            FixSpec(Span(start + len(unit), end), "", False),
        )
    if prepared.singles is None:
        return
    for match in prepared.singles.finditer(text):
        entry = prepared.single[match.group(1)]
        before_text = text[max(0, match.start() - 4) : match.start()]
        after_text = text[match.end() : match.end() + 4]
        if entry.not_before and entry.not_before.search(before_text):
            continue
        if entry.not_after and entry.not_after.match(after_text):
            continue
        if not_prose(match.start(), match.end(), ""):
            continue
        second = Span(match.start() + 1, match.end())
        yield Hit(
            second, {"text": entry.text, "wrapped": False}, FixSpec(second, "", True)
        )


def _same_doubled(text: str) -> None:
    report = _report(text)
    rule = _rule(report, "TY006")
    assert _hits(report, "TY006") == list(_old_doubled(report, rule))


# Characters whose low bytes are equal (丁 U+4E01, 企 U+4F01; 一 U+4E00
# has a zero low byte), reduplications, marks, blanks, tabs and digits.
_PIECES = [
    "丁",
    "企",
    "一",
    "丁企",
    "企丁",
    "审核",
    "进一步",
    "研究",
    "的",
    "目的",
    "，",
    "。",
    "《",
    "\n",
    "\n\n\n",
    " ",
    "\u3000",
    "\t",
    "|",
    "2021",
    "0",
    "😀",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
@example(["审核", "审核", "，"])
@example(["进一步", "\n", "进一步", "。"])
@example(["丁企", "企丁", "丁企", "，"])
def test_doubled_units_as_the_backreference_scan(pieces: list[str]) -> None:
    text = "".join(pieces)
    chinese = re.compile(f"[{_CJK}]")
    for longest in (2, 3, 8):
        old = re.compile(f"([{_CJK}]{{2,{longest}}}?)\\1")
        expected = [(m.start(), len(m.group(1))) for m in old.finditer(text)]
        assert doubled.doubled_units(text, longest, chinese) == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=80))
@example(["审核审核，", "\n", "\t审核审核，"])
def test_doubled_hits_as_before_on_random_text(pieces: list[str]) -> None:
    _same_doubled("报告" + "".join(pieces))


def test_doubled_hits_as_before_on_the_drafts() -> None:
    for text in _drafts():
        _same_doubled(text)


_TYPOS = [
    "审核审核",
    "进一步进一步",
    "的的",
    "，，",
    "《《",
    "信息信息\n",
    "\n信息",
    "\t",
]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_doubled_hits_as_before_with_typos_anywhere(data: Any) -> None:
    text = data.draw(st.sampled_from(_drafts()))
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(_TYPOS)) + text[at:]
    _same_doubled(text)


# --- TY001/TY007/TY104 (substitution): one scan for every rule's wrong texts -


def _old_substitution(report: Report, rule: Rule) -> Iterator[Hit]:
    """The ``substitution`` kind's check before issue 11: the alternation."""
    prepared = rule.prepared
    assert isinstance(prepared, substitution.Prepared)
    ordered = sorted(prepared.pairs, key=len, reverse=True)
    regex = re.compile("|".join(re.escape(w) for w in ordered))
    text = report.document.text
    for scope in scope_spans(report, str(rule.params["scope"])):
        for match in regex.finditer(text, scope.start, scope.end):
            pair = prepared.pairs[match.group(0)]
            before = text[max(0, match.start() - 12) : match.start()]
            after = text[match.end() : match.end() + 12]
            if pair.not_before and pair.not_before.search(before):
                continue
            if pair.not_after and pair.not_after.search(after):
                continue
            span = Span(match.start(), match.end())
            args = {
                "wrong": pair.wrong,
                "right": pair.right,
                "note": pair.note,
                "source": pair.source,
            }
            yield Hit(span, args, FixSpec(span, pair.right, bool(rule.params["safe"])))


_SUBSTITUTIONS = ("TY001", "TY002", "TY005", "TY007", "TY009", "TY104")


def _wrong_texts() -> list[str]:
    report = _report(_drafts()[0])
    return [
        str(pair["wrong"])
        for rule_id in _SUBSTITUTIONS
        for pair in _rule(report, rule_id).params["pairs"]
    ]


def _same_substitutions(text: str) -> None:
    report = _report(text)
    for rule_id in _SUBSTITUTIONS:
        rule = _rule(report, rule_id)
        assert _hits(report, rule_id) == list(_old_substitution(report, rule))


def test_the_substitution_rules_share_the_packs_index() -> None:
    # One scan per draft serves them all: each rule has its own bit in it.
    report = _report(_drafts()[0])
    index = substitution.substitution_index(report.pack)
    assert index is not None
    bits = set()
    for rule_id in _SUBSTITUTIONS:
        prepared = _rule(report, rule_id).prepared
        assert isinstance(prepared, substitution.Prepared)
        bits.add(index.bit(prepared.words))
    assert 0 not in bits and len(bits) == len(_SUBSTITUTIONS)


def test_substitutions_as_before_on_the_drafts() -> None:
    for text in _drafts():
        _same_substitutions(text)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_substitutions_as_before_with_typos_anywhere(data: Any) -> None:
    words = _wrong_texts()
    text = data.draw(st.sampled_from(_drafts()))
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(text)))
        typo = data.draw(st.sampled_from(words))
        # NOTE: a part of a typo too, and typos run together.
        cut = data.draw(st.integers(0, len(typo)))
        text = text[:at] + typo[cut:] + data.draw(st.sampled_from(words)) + text[at:]
    _same_substitutions(text)


# Many pairs: some a prefix of another, one of a single character, one
# that ends where another starts (甲乙 / 乙丙), some listed twice by length.
_MANY = ["甲乙", "乙丙", "甲乙丙丁", "甲乙丙", "丙", "丁戊"] + [
    chr(0x4E00 + 7 * i) + chr(0x4E01 + 3 * i) + "丙" * (i % 3) for i in range(30)
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([*_MANY, "甲", "乙", "丁", "\n", "，"]), max_size=40),
    st.booleans(),
)
def test_an_index_finds_what_the_alternation_finds(
    pieces: list[str], single: bool
) -> None:
    words = [w for w in _MANY if single or len(w) > 1]
    prepared = substitution.prepare(
        {"pairs": [{"wrong": w, "right": "X"} for w in words], "sources": {}}
    )
    index = substitution.SubstitutionIndex([prepared.words, frozenset(_MANY[:3])])
    bit = index.bit(prepared.words)
    text = "".join(pieces)
    found = [(at, word) for at, word, bits in index.find(text) if bits & bit]
    regex = re.compile(
        "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    )
    for scope in (Span(0, len(text)), Span(1, max(1, len(text) - 2))):
        expected = [
            (m.start(), m.group(0))
            for m in regex.finditer(text, scope.start, scope.end)
        ]
        assert list(substitution._occurrences(found, scope)) == expected


# --- TY008 (enumeration): every numbered line looked at in Python --------


def _old_events(report: Report, prepared: Any) -> list[tuple[int | None, Any]]:
    """The ``enumeration`` kind's events before issue 11."""
    text = report.document.text
    tables = [
        (t.start, t.end)
        for t in report.tables
        if t.start is not None and t.end is not None
    ]

    def not_prose(pos: int) -> bool:
        if any(a <= pos < b for a, b in tables):
            return True
        end = text.find("\n", pos)
        line = text[text.rfind("\n", 0, pos) + 1 : len(text) if end < 0 else end]
        return "\t" in line or line.lstrip().startswith("|")

    heads = {text.rfind("\n", 0, s.span.start) + 1 for s in report.outline.sections}
    heads.update(text.rfind("\n", 0, s.span.start) + 1 for s in report.outline.strays)
    events: list[tuple[int, int | None, Any]] = [
        (start, -1, (0, Span(start, start), "")) for start in heads
    ]
    first = prepared.any_level.match(text)
    numbered = ([first] if first else []) + list(prepared.line_starts.finditer(text))
    for match in numbered:
        line = match.start() + (text[match.start() : match.start() + 1] == "\n")
        if line in heads or not_prose(line):
            continue
        group = match.lastgroup or ""
        depth = int(group[1:])
        raw = match.group(f"n{depth}")
        value = int(raw) if raw.isdigit() else prepared.values.get(raw, 0)
        span = Span(match.start(group), match.end())
        events.append((line, depth, (value, span, match.group(group))))
    if prepared.inline_hint in text:
        for match in prepared.inline.finditer(text):
            numeral = prepared.values.get(match.group("n"))
            if numeral is None or not_prose(match.start()):
                continue
            pos = match.start()
            if pos and text[pos - 1] != "\n" and text[pos - 1] not in prepared.after:
                continue
            before = text[text.rfind("\n", 0, pos) + 1 : pos]
            if any(before.count(o) > before.count(c) for o, c in ("《》", "“”")):
                continue
            span = Span(match.start(), match.end())
            events.append((pos, None, (numeral, span, match.group(0))))
    events.sort(key=lambda event: event[0])
    return [(depth, item) for _, depth, item in events]


def _same_enumeration(text: str) -> None:
    report = _report(text)
    rule = _rule(report, "TY008")
    got = [
        (depth, (item.value, item.span, item.text))
        for depth, item in enumeration._events(report, rule.prepared)
    ]
    assert got == _old_events(report, rule.prepared)


def test_enumeration_events_as_before_on_the_drafts() -> None:
    for text in _drafts():
        _same_enumeration(text)


_MARKERS = [
    "\n（三）",
    "\n\t1.",
    "\n 2、",
    "，三是",
    "\n一是",
    "\n| 2. ",
    "\t",
    "《",
    "\n",
]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_enumeration_events_as_before_with_markers_anywhere(data: Any) -> None:
    text = data.draw(st.sampled_from(_drafts()))
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(_MARKERS)) + text[at:]
    _same_enumeration(text)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_numbered_lines_between_tables_as_the_whole_scan(data: Any) -> None:
    """Scanning only between the tables finds the rows the whole scan keeps.

    Table spans at any offsets (mid-line too), against the scan of the whole
    text with its walk along the tables (the path for markers that may take
    in a newline).
    """
    text = data.draw(st.sampled_from(_drafts()))
    for _ in range(data.draw(st.integers(0, 6))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(_MARKERS)) + text[at:]
    spans = []
    for _ in range(data.draw(st.integers(0, 5))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        if data.draw(st.booleans()):  # NOTE: as tables are: whole lines
            start, end = text.rfind("\n", 0, start) + 1, text.rfind("\n", 0, end) + 1
        spans.append((start, end))
    tables = enumeration._merged(spans)
    prepared = _rule(_report("一、总体情况\n"), "TY008").prepared
    assert isinstance(prepared, enumeration.Prepared) and prepared.line_bound
    fields = {name: getattr(prepared, name) for name in prepared.__slots__}
    whole = enumeration.Prepared(**{**fields, "line_bound": False})
    got = enumeration._numbered_lines(text, prepared, tables)
    want = enumeration._numbered_lines(text, whole, tables)
    assert [(line, m.span(), m.lastgroup) for line, m in got] == [
        (line, m.span(), m.lastgroup) for line, m in want
    ]


_INLINE = [
    "(?P<n>[一二三四五六七八九十])是",
    "(?P<n>[一二]|十[一二])是",
    "(?<=[，。\\n])(?P<n>[一二])是",
    "^(?P<n>[一二])是",
    "(?P<n>[一二]|是[一二])是是",
    "(?P<n>[一二])是(?=是)",
    "(?P<n>一|二是)是",
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_INLINE), st.text(alphabet="一二十是，。\n", max_size=40))
@example(_INLINE[4], "一是是是是")
@example(_INLINE[6], "二是是是二是是")
def test_inline_markers_found_from_the_hint_as_the_scan(
    pattern: str, text: str
) -> None:
    """The hint-led search gives exactly the matches of the whole-text scan.

    On patterns of several widths, with look-arounds and anchors (run by
    ``re``, as the packs' proven patterns are).
    """
    prepared = _rule(_report("一、总体情况\n"), "TY008").prepared
    assert isinstance(prepared, enumeration.Prepared)
    inline = re.compile(pattern, re.MULTILINE)
    fields = {name: getattr(prepared, name) for name in prepared.__slots__}
    fields.update(
        inline=inline,
        inline_hint=required_text(pattern),
        inline_width=matches.widest_match(pattern, inline),
    )
    ours = enumeration.Prepared(**fields)
    assert ours.inline_width > 0
    got = [(m.span(), m.group("n")) for m in enumeration._inline_matches(text, ours)]
    assert got == [(m.span(), m.group("n")) for m in inline.finditer(text)]


def test_inline_markers_found_from_the_hint_on_the_drafts() -> None:
    prepared = _rule(_report("一、总体情况\n"), "TY008").prepared
    assert isinstance(prepared, enumeration.Prepared) and prepared.inline_width == 2
    for text in _drafts():
        got = [m.span() for m in enumeration._inline_matches(text, prepared)]
        assert got == [m.span() for m in prepared.inline.finditer(text)]


def test_only_markers_that_read_within_their_line_scan_between_tables() -> None:
    """A marker that looks past its line's newline is scanned whole."""
    assert matches.single_line(r"(?P<n>\d)[.．](?!\d)", strict=True)
    assert matches.single_line(r"(?<=\n)(?P<n>\d)[.．]", strict=True)
    assert matches.single_line(r"(?P<n>\d)[.．](?=\n)")
    assert not matches.single_line(r"(?P<n>\d)[.．](?=\n)", strict=True)
    assert not matches.single_line(r"(?P<n>\d)[.．](?![^\d])", strict=True)
    assert not matches.single_line(r"(?P<n>\d)[.．]$", strict=True)
    assert not matches.single_line(r"(?P<n>\d)[.．]\Z", strict=True)
    assert not matches.single_line(r"(?P<n>\d)[.．\n]")
