"""Prose against tables beyond single numbers (issue 13, item 5).

Each case is the clean 2021 example with its prose (or a cell) changed, run
through the real CLI in one subprocess; the CS01x findings must be exactly
the expected ones, at the sentence that makes the claim.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disclosure_lint.document.text import Document
from disclosure_lint.engine.lint import RuleFilter, build_report, run_rules
from disclosure_lint.kinds.report import LintOptions
from disclosure_lint.packs.model import PackSet

from .conftest import EXAMPLES, run_module

CLEAN = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
APPLICATIONS = (
    "全年新收政府信息公开申请8件，上年结转1件；办结8件，其中予以公开4件，"
    "部分公开1件，不予公开1件，无法提供2件；结转下年度继续办理1件。"
)
REVIEW = "全年被申请行政复议1件，提起行政诉讼1件。"


def _draft(old: str, new: str) -> str:
    assert CLEAN.count(old) == 1, old
    return CLEAN.replace(old, new)


def _at(text: str, sentence: str) -> str:
    """``line:column`` (1-based) where ``sentence`` starts in ``text``."""
    assert text.count(sentence) == 1, sentence
    before = text[: text.index(sentence)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


# (name, replaced, replacement, {rule: sentence where it is reported})
CASES: list[tuple[str, str, str, dict[str, str]]] = [
    # Sums named in the prose.
    ("sum-agrees", "予以公开4件，部分公开1件", "予以公开及部分公开5件", {}),
    (
        "sum-differs",
        "予以公开4件，部分公开1件",
        "予以公开及部分公开6件",
        {"CS014": "办结8件，其中予以公开及部分公开6件"},
    ),
    ("group-total-agrees", "无法提供2件", "无法提供2件，其他处理0件", {}),
    (
        "group-total-differs",
        "无法提供2件",
        "无法提供2件，其他处理1件",
        {"CS014": "办结8件，其中予以公开4件"},
    ),
    # Shares.
    ("share-agrees", "予以公开4件，", "予以公开4件（50%），", {}),
    ("share-rounded", "无法提供2件", "无法提供2件，占比25.0%", {}),
    ("share-named-base", "予以公开4件，", "予以公开4件，占新收申请的50%，", {}),
    (
        "share-differs",
        "予以公开4件，",
        "予以公开4件（40%），",
        {"CS015": "办结8件，其中予以公开4件"},
    ),
    (
        "share-named-base-differs",
        "予以公开4件，",
        "予以公开4件，占新收申请的40%，",
        {"CS015": "办结8件，其中予以公开4件"},
    ),
    ("share-unclear-base", "予以公开4件，", "予以公开4件，占全年的40%，", {}),
    # Review and litigation.
    (
        "litigation-phrase-agrees",
        "提起行政诉讼1件",
        "因政府信息公开提起的行政诉讼案件1件",
        {},
    ),
    (
        "litigation-phrase-differs",
        "提起行政诉讼1件",
        "因政府信息公开提起的行政诉讼案件2件",
        {"CS016": "全年被申请行政复议1件"},
    ),
    # A body's whole workload, not table 四's: not compared.
    ("litigation-workload", "提起行政诉讼1件", "办理行政诉讼案件50件", {}),
    (
        "review-breakdown-agrees",
        "行政复议1件，",
        "行政复议1件，结果维持1件，",
        {},
    ),
    (
        "review-breakdown-differs",
        "行政复议1件，",
        "行政复议1件，结果纠正1件，",
        {"CS016": "全年被申请行政复议1件"},
    ),
    # Claims in words.
    ("upheld-agrees", "行政复议1件，", "行政复议1件，均获维持；", {}),
    (
        "upheld-but-pending",
        "提起行政诉讼1件。",
        "提起行政诉讼1件，均获维持。",
        {"CS017": "全年被申请行政复议1件"},
    ),
    (
        "no-lawsuit-but-one",
        "提起行政诉讼1件",
        "未发生行政诉讼",
        {"CS017": "全年被申请行政复议1件"},
    ),
    (
        "no-case-lost-agrees",
        REVIEW,
        "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",
        {},
    ),
    (
        "no-application-but-eight",
        APPLICATIONS,
        "全年未发生依申请公开情况。",
        {"CS017": "全年未发生依申请公开情况"},
    ),
    (
        "all-concluded-but-one-carried",
        "结转下年度继续办理1件。",
        "所有申请均已办结。",
        {"CS017": "所有申请均已办结"},
    ),
    # Only the concluded ones are upheld: the pending one is not claimed.
    (
        "upheld-when-concluded",
        "提起行政诉讼1件。",
        "提起行政诉讼1件，已审结的均获维持。",
        {},
    ),
    ("no-lawsuit-lost", "提起行政诉讼1件", "未发生被纠错的行政诉讼", {}),
    (
        "carried-over-concluded",
        "结转下年度继续办理1件。",
        "上年结转的所有申请均已办结。",
        {},
    ),
    ("in-time-is-no-claim", "结转下年度继续办理1件。", "均在法定期限内答复。", {}),
    # A part of what the table counts.
    (
        "part-within-whole",
        "上年结转1件；",
        "上年结转1件，其中市本级受理申请3件；",
        {},
    ),
    (
        "part-by-channel",
        "上年结转1件；",
        "上年结转1件，其中，通过网络收到申请5件；",
        {},
    ),
    (
        "part-exceeds-whole",
        "上年结转1件；",
        "上年结转1件，其中，县教育局受理申请12件；",
        {"CS018": "全年新收政府信息公开申请8件"},
    ),
    # A sentence hard-wrapped mid-number, as text from PDFs is.
    (
        "wrapped-agrees",
        "部分公开1件",
        "部分公\n开1件",
        {},
    ),
    (
        "wrapped-differs",
        "部分公开1件",
        "部分公\n开2件",
        {"CS010": "办结8件，其中予以公开4件"},
    ),
]


def test_prose_claims_through_cli(tmp_path: Path) -> None:
    paths = []
    texts = {}
    for name, old, new, _ in CASES:
        path = tmp_path / f"{name}.txt"
        texts[path.name] = text = _draft(old, new)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    result = run_module("--format", "json", "--select", "CS01", "--jobs", "1", *paths)
    assert result.code in (0, 1), result.err
    found: dict[str, list[str]] = {p.name: [] for p in paths}
    for finding in json.loads(result.out)["findings"]:
        name = Path(finding["path"]).name
        found[name].append(f"{finding['line']}:{finding['column']} {finding['rule']}")
        assert "\n" not in finding["message"]
    for name, _, _, expected in CASES:
        text = texts[f"{name}.txt"]
        want = sorted(f"{_at(text, s)} {rule}" for rule, s in expected.items())
        assert sorted(found[f"{name}.txt"]) == want, name


def test_english_share_message(tmp_path: Path) -> None:
    path = tmp_path / "share.txt"
    path.write_text(_draft("予以公开4件，", "予以公开4件（40%），"), encoding="utf-8")
    result = run_module("--lang", "en", "--select", "CS015", "--no-show-source", path)
    assert "4 / 8" in result.out and "= 50%" in result.out, result.out


@pytest.mark.parametrize("skipped", ["", "rows-not-aligned"])
def test_skipped_table_is_not_compared(packset: PackSet, skipped: str) -> None:
    """A table another part could not read cell by cell says nothing here."""
    text = _draft("予以公开4件，部分公开1件", "予以公开及部分公开6件")
    report = build_report(Document("t.txt", text), packset, LintOptions())
    for table in report.tables:
        table.skipped = skipped
    rules = {f.rule for f in run_rules(report, RuleFilter(select=("CS014",)))}
    assert rules == ({"CS014"} if not skipped else set())


def test_scope_markers_agree(packset: PackSet) -> None:
    """Every prose rule tells a part from the whole the same way.

    CS018 reports the statements the others leave out, so their markers
    must be the same list (it is repeated in each rule file).
    """
    found = {
        rule.id: tuple(rule.params["scope_markers"])
        for pack in packset.packs.values()
        for rule in pack.rules
        if rule.kind == "cross-check" and rule.params.get("scope_markers")
    }
    assert {"CS010", "CS011", "CS014", "CS015", "CS016", "CS017", "CS018"} <= set(found)
    assert len(set(found.values())) == 1, found
