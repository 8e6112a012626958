"""What issue #3 requires on ../shared/seeds: tables read, defects found, no noise."""

from __future__ import annotations

import pytest

from disclosure_lint.document.findings import Finding
from disclosure_lint.engine.lint import RuleFilter, lint_document, lint_paths
from disclosure_lint.inputs.load import document_from_bytes, load_document
from disclosure_lint.kinds.report import LintOptions
from disclosure_lint.packs.model import PackSet

from .conftest import EXAMPLES, SEEDS

TABLE_RULES = ("TB", "CS", "TY1", "FM1")

# (seed, line, rule): every finding the acceptance criteria name.
REQUIRED = [
    ("000", 84, "TB004"),  # table 三 entirely blank
    ("000", 372, "TB004"),  # table 四 entirely blank
    ("000", 78, "FM103"),  # 4136575.00 without a unit
    ("001", 75, "TB007"),  # 16 values for 15 columns
    ("002", 138, "TB003"),  # 自然人 missing from the header
    ("002", 570, "TB008"),  # fifteen zeros run together
    ("002", 14, "CS012"),  # 主动公开政府规范性文件12个, table says 0
    ("003", 40, "TB005"),  # 增
    ("003", 45, "TB005"),  # 增
    ("003", 83, "FM105"),  # 0万元
    ("003", 17, "TY101"),  # 本年度制作数量
    ("003", 119, "TY101"),  # 上年转结
    ("003", 260, "TY101"),  # 补征后早请
    ("004", 47, "TB007"),  # 予以公开 row with only its total filled
]

# Every error-severity table finding allowed on the seeds: each is a real
# defect. Anything else with severity error would sit on a correct cell.
ALLOWED_ERRORS = {
    "000": {(35, "TB005"), (40, "TB005"), (52, "TB005"), (57, "TB005"), (68, "TB005")},
    "001": {(75, "TB007")},
    "002": {(138, "TB003"), (570, "TB008")},
    "003": {(40, "TB005"), (45, "TB005")},
    "004": {(47, "TB007")},
}


@pytest.fixture(scope="module")
def seed_findings(packset: PackSet) -> dict[str, list[Finding]]:
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        result = next(lint_paths([str(path)], packset))
        assert result.error is None
        out[path.name[:3]] = result.findings
    return out


@pytest.mark.parametrize(("seed", "line", "rule"), REQUIRED)
def test_required_table_finding(seed_findings, seed: str, line: int, rule: str) -> None:
    found = [f for f in seed_findings[seed] if f.start.line == line and f.rule == rule]
    assert found, f"{seed}:{line} expected {rule}"


@pytest.mark.parametrize("seed", sorted(ALLOWED_ERRORS))
def test_no_error_on_a_correct_cell(seed_findings, seed: str) -> None:
    errors = {
        (f.start.line, f.rule)
        for f in seed_findings[seed]
        if f.severity.value == "error" and f.rule.startswith(TABLE_RULES)
    }
    assert errors == ALLOWED_ERRORS[seed]


def test_near_misses_only_where_labels_are_wrong(seed_findings) -> None:
    near = sorted(
        (seed, f.start.line, f.rule)
        for seed, findings in seed_findings.items()
        for f in findings
        if f.rule in ("TY101", "TY102")
    )
    assert near == [
        ("003", 17, "TY101"),
        ("003", 119, "TY101"),
        ("003", 260, "TY101"),
    ]


def test_near_miss_fixes_touch_only_the_wrong_characters(seed_findings) -> None:
    doc = load_document(next(SEEDS.glob("003_*.txt")))
    fixes = {
        f.start.line: (doc.text[f.fix.span.start : f.fix.span.end], f.fix.replacement)
        for f in seed_findings["003"]
        if f.rule == "TY101" and f.fix is not None
    }
    assert fixes == {17: ("度", "新"), 119: ("转结", "结转"), 260: ("征后早", "正后申")}


def test_typo_pairs_are_not_reported_twice(seed_findings) -> None:
    for line in (17, 119, 260):
        typos = [f for f in seed_findings["003"] if f.start.line == line]
        assert [f.rule for f in typos] == ["TY101"], typos


@pytest.mark.parametrize(
    ("seed", "edition", "read", "expected"),
    [
        ("000", "2019", 198, 198),
        ("001", "2021", 200, 200),
        ("002", "2019", 198, 198),
        ("003", "2019", 198, 198),
        ("004", "2019", 198, 198),
    ],
)
def test_cells_read_per_seed(
    packset: PackSet, seed: str, edition: str, read: int, expected: int
) -> None:
    doc = load_document(next(SEEDS.glob(f"{seed}_*.txt")))
    report, _ = lint_document(doc, packset)
    assert report.pack.edition == edition
    assert sum(len(t.cells()) for t in report.tables) == read
    assert sum(t.schema.cell_count for t in report.tables) == expected


def test_clean_examples_balance_and_defects_do_not(packset: PackSet) -> None:
    for name in ("clean-2021.txt", "clean-2020.md"):
        result = next(lint_paths([str(EXAMPLES / name)], packset))
        assert not [f for f in result.findings if f.category.value == "consistency"]
    result = next(lint_paths([str(EXAMPLES / "defects-2021.txt")], packset))
    balance = sorted(
        (f.rule, f.message) for f in result.findings if f.rule in ("CS001", "CS002")
    )
    assert ("CS002", "（七）总计 自然人 = 6，分项之和 = 5") in balance
    assert any(rule == "CS001" for rule, _ in balance)


def test_2021_table_in_a_2020_draft_is_the_wrong_edition(packset: PackSet) -> None:
    draft = (EXAMPLES / "clean-2020.md").read_text(encoding="utf-8")
    newer = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    old_table = draft[
        draft.index("**第二十条第（一）项**") : draft.index("**第二十条第（五）项**")
    ]
    new_table = newer[
        newer.index("第二十条第（一）项") : newer.index("第二十条第（五）项")
    ]
    moved = draft.replace(old_table, new_table)
    doc = document_from_bytes("moved.md", moved.encode("utf-8"))
    report, findings = lint_document(
        doc, packset, rule_filter=RuleFilter(select=("FM",))
    )
    assert report.pack.edition == "2019"
    edition = [f for f in findings if f.rule == "FM102"]
    assert len(edition) == 1
    assert "本年制发件数" in edition[0].message
    assert edition[0].start.line == moved[: moved.index("本年制发件数")].count("\n") + 1


def test_2019_tables_in_a_2021_draft_is_the_wrong_edition(packset: PackSet) -> None:
    doc = load_document(next(SEEDS.glob("004_*.txt")))
    _report, findings = lint_document(
        doc, packset, LintOptions(year=2021), RuleFilter(select=("FM101",))
    )
    assert [f.start.line for f in findings] == [22]
    assert "第二十条第（九）项" in findings[0].message
