"""The compact digests of CS021 and CS022 give the findings the old ones gave.

``yoy_reference`` is a frozen copy of the two kinds' ``extract`` and
``compare`` before their digests were made compact (one pass over a
section, fingerprints in an array, places made only for the sentence a
finding names, character pairs hashed only in ``compare``). Each pair
below is linted and paired twice, with the kinds as they are and with the
reference swapped in; the findings (rule, place, message, related place)
must be the same, on seeds, examples, corpus drafts paired with each
other and with copies of themselves moved a year back, and the real
reports so paired; at the configured share and at a low one.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest

from disclosure_lint.document.findings import Finding
from disclosure_lint.document.fold import fold_text
from disclosure_lint.document.text import Span
from disclosure_lint.engine.lint import RuleFilter, lint_document
from disclosure_lint.engine.pairs import build_digest, pair_findings
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds import KINDS
from disclosure_lint.kinds.base import KindSpec
from disclosure_lint.kinds.report import LintOptions, Report
from disclosure_lint.kinds.year_text import section_sentences, sentence_rules
from disclosure_lint.packs.load import load_packset
from disclosure_lint.regex.guard import trusting

from . import yoy_reference as ref
from .conftest import EXAMPLES, ROOT, SEEDS, benchmark_corpus

PACKSET = load_packset(use_cache=False)
YOY = RuleFilter(select=("CS019", "CS020", "CS021", "CS022"))
REAL = ROOT.parent / "shared" / "real"
CORPUS_DRAFTS = 60


def _drafts() -> list[tuple[str, bytes]]:
    drafts = [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*")) if p.is_file()]
    drafts += [
        (p.name, p.read_bytes()) for p in sorted(EXAMPLES.iterdir()) if p.is_file()
    ]
    corpus = benchmark_corpus()
    for index in range(CORPUS_DRAFTS):
        made = corpus.make_draft(index, 1)
        drafts.append((made.name, made.data))
    drafts += [(p.name, p.read_bytes()) for p in sorted(REAL.glob("*")) if p.is_file()]
    return drafts


def _lint(name: str, data: bytes, options: LintOptions) -> Report | None:
    try:
        doc = document_from_bytes(name, data)
    except Exception:  # a draft that cannot be read pairs nothing
        return None
    return lint_document(doc, PACKSET, options, YOY)[0]


def _year_back(report: Report) -> bytes:
    """The draft's text with its years (and publication year) a year back."""
    text = report.document.text
    year = report.outline.year
    assert year is not None
    for old in (year, year + 1):
        text = text.replace(str(old), str(old - 1))
    return text.encode("utf-8")


def _pairs(options: LintOptions) -> Iterator[tuple[Report, Report]]:
    reports = []
    for name, data in _drafts():
        report = _lint(name, data, options)
        if report is not None and report.outline.year is not None:
            reports.append(report)
    for report in reports:
        last = _lint(
            "last-" + report.document.path + ".txt", _year_back(report), options
        )
        if last is not None:
            yield report, last
            yield last, report
    for this, last in pairwise(reports):
        yield this, last
        yield last, this


def _reference_kinds() -> dict[str, KindSpec]:
    swapped = {}
    for name, extract, compare in (
        ("copied-sections", ref.copied_extract, ref.copied_compare),
        ("problems-follow-up", ref.follow_extract, ref.follow_compare),
    ):
        kind = KINDS[name]
        swapped[name] = KindSpec(
            name, kind.params, kind.check, kind.prepare, kind.doc, extract, compare
        )
    return swapped


def _findings(this: Report, last: Report, options: LintOptions) -> list[Finding]:
    return pair_findings(
        build_digest(this), build_digest(last), this.pack, YOY, options
    )


@pytest.mark.parametrize("threshold", [None, 0.3])
def test_compact_digests_find_what_the_old_ones_found(
    threshold: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = LintOptions(copy_threshold=threshold)
    reference = _reference_kinds()
    compared = 0
    fired: dict[str, int] = {}
    for this, last in _pairs(options):
        new = _findings(this, last, options)
        with monkeypatch.context() as patch:
            for name, kind in reference.items():
                patch.setitem(KINDS, name, kind)
            old = _findings(this, last, options)
        assert new == old, (this.document.path, last.document.path)
        compared += 1
        for finding in new:
            fired[finding.rule] = fired.get(finding.rule, 0) + 1
    # NOTE: the comparison means something only if both rules found things.
    assert compared > 200
    assert fired.get("CS022", 0) > 50 and fired.get("CS021", 0) > 5, fired


@pytest.mark.parametrize(
    ("numbers", "joinable"),
    [
        (r"\d{1,12}(?:\.\d{1,6})?", True),
        (
            r"\d{1,12}(?:\.\d{1,6})?|[〇零一二三四五六七八九]{4}年|[一二三四五六七八九十百千两]{1,6}[次件]",
            True,
        ),
        (r"(?:第)?\d{1,9}(?:,\d{3})?[件条]?", True),
        (r"\d{0,4}年|[0-9]{1,12}", True),
        (r"(?<=\W)\d{1,3}", False),  # look-behind: one sentence at a time
        (r"\d{1,12}$", False),  # anchored: one sentence at a time
    ],
)
def test_a_section_at_once_is_each_sentence_alone(numbers: str, joinable: bool) -> None:
    # NOTE: trusted (on ``re``, as the bundled packs' regexes), or RE2 refuses
    # the look-behind; RE2 patterns go one sentence at a time anyway.
    with trusting():
        rules = sentence_rules(
            {
                "sentence_ends": "。；;",
                "wrap_min": 20,
                "numbers": numbers,
                "min_chars": 1,
            }
        )
    assert rules.joinable == joinable
    text = (
        "2023年，我局制发规范性文件3件；第12条修订。\n全年1,200条、二〇二三年"
        "办结十五件_共计3.5万元\n\t表格\t1\n一二三件。\n共计15\n4"
    )
    found = section_sentences(text, Span(0, len(text)), rules)
    pieces = [text[start:end] for start, end in found.bounds]
    assert pieces == [
        text[s.start : s.end] for s in ref.sentences(text, Span(0, len(text)), rules)
    ]
    assert found.folded == [fold_text(piece) for piece in pieces]
    assert found.normal == [ref.normalise(piece, rules) for piece in pieces]
