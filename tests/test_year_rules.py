"""The year-over-year rules CS019–CS022 on pairs built from real drafts.

Each pair is two drafts linted as the pairing does it (``engine.pairs``:
a digest of each, then this year's findings against last year's); the
batch and ``--previous`` pairing is tested with the CLI elsewhere. Last
year's or next year's report is made from a real draft by changing its
years and writing the carried-over numbers consistently (the cells are
rewritten at the offsets the reader found them), so the numbers agree
unless a test changes one.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from disclosure_lint.config.file import ConfigError, merge, read_config
from disclosure_lint.config.settings import Settings
from disclosure_lint.document.findings import Finding
from disclosure_lint.engine.lint import RuleFilter, lint_document
from disclosure_lint.engine.pairs import Digest, build_digest, pair_findings
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds.report import LintOptions, Report
from disclosure_lint.packs.load import load_packset
from disclosure_lint.tables.table import table_by_key

from .conftest import EXAMPLES, SEEDS

PACKSET = load_packset(use_cache=False)
YOY = ("CS019", "CS020", "CS021", "CS022")
REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real"
CLEAN = EXAMPLES / "clean-2021.txt"
CARRY = ("applications", "carried_over", "carried_forward")


def _report(data: bytes, path: str = "draft.txt") -> Report:
    doc = document_from_bytes(path, data)
    return lint_document(doc, PACKSET, LintOptions(), RuleFilter(select=YOY))[0]


def _text(text: str, path: str = "draft.txt") -> Report:
    return _report(text.encode("utf-8"), path)


def _pair(
    this: Report, last: Report, options: LintOptions | None = None
) -> list[Finding]:
    return pair_findings(
        build_digest(this),
        build_digest(last),
        this.pack,
        RuleFilter(select=YOY),
        options or LintOptions(),
    )


def _brief(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.rule, f.start.line, f.start.column) for f in findings]


def _rewrite(report: Report, cells: dict[tuple[str, str, str], int], shift: int) -> str:
    """The draft's text with ``cells`` rewritten and its years moved by ``shift``."""
    text = report.document.text
    edits = []
    for (table_key, row, column), value in cells.items():
        table = table_by_key(report.tables, table_key)
        assert table is not None
        cell = table.cell(row, column)
        assert cell is not None and cell.end > cell.start, (row, column)
        edits.append((cell.start, cell.end, str(value)))
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    year = report.outline.year
    assert year is not None
    # NOTE: the publication year (year + 1) moves too; four digits for four.
    years = (year, year + 1) if shift < 0 else (year + 1, year)
    for old in years:
        text = text.replace(str(old), str(old + shift))
    return text


def _value(report: Report, table_key: str, row: str, column: str) -> int:
    table = table_by_key(report.tables, table_key)
    assert table is not None
    value = table.total(row, column, blank_is_zero=False)
    assert isinstance(value, int), (table_key, row, column)
    return value


def _columns(report: Report) -> tuple[str, ...]:
    table = table_by_key(report.tables, "applications")
    assert table is not None
    return table.schema.column_keys


def next_year(
    report: Report, change: dict[tuple[str, str, str], int] | None = None
) -> str:
    """Next year's report: carried over what this one carries forward.

    Counts in force follow from this year's with the same issued and
    abolished counts; ``change`` then sets cells to other values.
    """
    table, over, forward = CARRY
    cells = {
        (table, over, column): _value(report, table, forward, column)
        for column in _columns(report)
    }
    for row in ("regulations", "normative"):
        issued = _value(report, "proactive_rules", row, "issued")
        abolished = _value(report, "proactive_rules", row, "abolished")
        in_force = _value(report, "proactive_rules", row, "in_force")
        cells["proactive_rules", row, "in_force"] = in_force + issued - abolished
    cells.update(change or {})
    return _rewrite(report, cells, 1)


def previous_year(report: Report) -> str:
    """Last year's report: it carried forward what this one carried over."""
    table, over, forward = CARRY
    cells = {
        (table, forward, column): _value(report, table, over, column)
        for column in _columns(report)
    }
    for row in ("regulations", "normative"):
        issued = _value(report, "proactive_rules", row, "issued")
        abolished = _value(report, "proactive_rules", row, "abolished")
        in_force = _value(report, "proactive_rules", row, "in_force")
        cells["proactive_rules", row, "in_force"] = in_force - issued + abolished
    return _rewrite(report, cells, -1)


@pytest.fixture(scope="module")
def clean() -> Report:
    return _report(CLEAN.read_bytes(), "clean-2021.txt")


def test_next_year_that_agrees_is_only_a_copy(clean: Report) -> None:
    following = _text(next_year(clean), "clean-2022.txt")
    assert following.outline.year == 2022
    # Sections 一, 五 and 六 are last year's word for word: CS022, true. The
    # carried-over and in-force counts agree: no CS019, no CS020. Section 五
    # (copied) says how the 2020 problems were fixed: no CS021.
    assert _brief(_pair(following, clean)) == [
        ("CS022", 5, 1),
        ("CS022", 77, 1),
        ("CS022", 83, 1),
    ]


def test_carried_over_changed_is_cs019_on_both_cells(clean: Report) -> None:
    change = {
        ("applications", "carried_over", "natural_person"): 3,
        ("applications", "carried_over", "total"): 3,
    }
    following = _text(next_year(clean, change), "clean-2022.txt")
    found = [f for f in _pair(following, clean) if f.rule == "CS019"]
    line = following.document.text.splitlines()[44]
    assert line.startswith("二、上年结转")
    # 自然人 is the fourth tab-separated field, 总计 the tenth.
    fields = line.split("\t")
    assert (fields[3], fields[9]) == ("3", "3")
    columns = [len("\t".join(fields[:i])) + 2 for i in (3, 9)]
    assert _brief(found) == [("CS019", 45, columns[0]), ("CS019", 45, columns[1])]
    first = found[0]
    assert "为3" in first.message and "为1" in first.message
    assert "撤回" in first.message  # says why they may legitimately differ
    # The related place: last year's 结转下年度 cell of the same column.
    (related,) = first.related
    assert related.path == "clean-2021.txt"
    last_line = clean.document.text.splitlines()[related.start.line - 1]
    assert "结转下年度继续办理" in last_line
    assert last_line[related.start.column - 1] == "1"


def test_in_force_changed_is_cs020(clean: Report) -> None:
    change = {("proactive_rules", "normative", "in_force"): 9}
    following = _text(next_year(clean, change), "clean-2022.txt")
    found = [f for f in _pair(following, clean) if f.rule != "CS022"]
    assert _brief(found) == [("CS020", 24, 13)]
    assert following.document.text.splitlines()[23] == "行政规范性文件\t2\t1\t9"
    message = found[0].message
    assert "为9" in message and "5 + 2 - 1" in message and "应为6" in message
    assert "清理" in message
    assert found[0].related[0].start.line == 24  # last year's 现行有效件数


def test_same_text_two_years_reports_the_copy_and_the_true_difference(
    clean: Report,
) -> None:
    # The text unchanged but its years: 结转 agrees (1 and 1), but 5 in force
    # cannot follow from last year's 5 with 2 issued and 1 abolished.
    same = _text(_rewrite(clean, {}, 1), "clean-2022.txt")
    assert _brief(_pair(same, clean)) == [
        ("CS022", 5, 1),
        ("CS020", 24, 13),
        ("CS022", 77, 1),
        ("CS022", 83, 1),
    ]


def test_unchanged_seed_two_years_no_false_number_findings() -> None:
    seed = SEEDS / "001_c7cdc2898a3fcd12.txt"
    last = _report(seed.read_bytes(), seed.name)
    this = _text(_rewrite(last, {}, 1), "next.txt")
    assert this.outline.year == last.outline.year + 1  # type: ignore[operator]
    digest = build_digest(this)
    # Every cell CS019 and CS020 compare was read (all 0): they did compare.
    for rule in ("CS019", "CS020"):
        assert None not in digest.extracts[rule].values
    assert not [f for f in _pair(this, last) if f.rule in ("CS019", "CS020")]


def test_seed_numbers_changed_are_exact_findings() -> None:
    seed = SEEDS / "001_c7cdc2898a3fcd12.txt"
    last = _report(seed.read_bytes(), seed.name)
    change = {
        ("applications", "carried_over", "commercial"): 2,
        ("proactive_rules", "regulations", "in_force"): 4,
    }
    this = _text(next_year(last, change), "next.txt")
    found = [f for f in _pair(this, last) if f.rule in ("CS019", "CS020")]
    lines = this.document.text.splitlines()
    at = {f.rule: lines[f.start.line - 1][f.start.column - 1] for f in found}
    assert sorted(f.rule for f in found) == ["CS019", "CS020"]
    assert at == {"CS019": "2", "CS020": "4"}
    assert "规章·现行有效件数" in next(f for f in found if f.rule == "CS020").message


def test_not_across_the_edition_change() -> None:
    seed = SEEDS / "004_568c78615fd2018f.txt"
    last = _report(seed.read_bytes(), seed.name)
    assert (last.outline.year, last.pack.edition) == (2020, "2019")
    digest = build_digest(last)
    # The 2019 pack has no CS020: last year's draft keeps no data for it.
    assert "CS020" not in digest.extracts
    this = _report(CLEAN.read_bytes(), "clean-2021.txt")
    found = _pair(this, last)
    assert "CS020" not in {f.rule for f in found}
    # CS019 does cross it (table 三 is the same): 1 carried over, 0 forward.
    assert [(f.rule, f.start.line) for f in found if f.rule == "CS019"] == [
        ("CS019", 45),
        ("CS019", 45),
    ]


def _with_overview(text: str, overview: str) -> str:
    start = text.index("一、总体情况\n") + len("一、总体情况\n")
    return text[:start] + overview + text[text.index("二、主动公开政府信息情况") :]


def test_copied_overview_share_and_threshold(clean: Report) -> None:
    text = clean.document.text
    body = text[
        text.index("一、总体情况\n") + 7 : text.index("二、主动公开政府信息情况")
    ]
    # Counted sentences of last year's 一 (the sub-headings （一）主动公开。 and
    # short ones such as 结转下年度继续办理1件。 and 未收取信息处理费。 are not): the
    # opening, 主动公开…, 全年新收…；, 办结…；, 健全…, 依托…, 将政务公开…,
    # 全年被申请… = 8. Two new sentences make 10: 80 %.
    added = (
        "\n本年度新建政策解读专栏，发布图解材料十二篇。\n"
        "组织开展政务公开进村入户宣传活动，覆盖全镇村居。\n"
    )
    this = _text(_with_overview(next_year(clean), body + added), "clean-2022.txt")
    found = [f for f in _pair(this, clean) if f.start.line == 5]
    assert _brief(found) == [("CS022", 5, 1)]
    message = found[0].message
    assert "10句中有8句（80%）" in message
    # This year's first repeated sentence (last year's, pasted as it was).
    assert "如“2021年，青山镇认真贯彻落实《条例》和上级政务公开工作要…”" in message
    assert "问题" not in message.split("。")[0]  # not a list of problems
    (related,) = found[0].related
    assert (related.start.line, related.start.column) == (7, 1)
    # A higher configured threshold: not copied enough.
    strict = LintOptions(copy_threshold=0.85)
    assert not [f for f in _pair(this, clean, strict) if f.start.line == 5]


def test_copied_problems_named_as_such(clean: Report) -> None:
    found = [f for f in _pair(_text(next_year(clean)), clean) if f.start.line == 77]
    assert "所列问题与上年相同" in found[0].message


def test_problems_not_followed_up(clean: Report) -> None:
    text = next_year(clean)
    start = text.index("五、存在的主要问题及改进情况\n") + len(
        "五、存在的主要问题及改进情况\n"
    )
    end = text.index("六、其他需要报告的事项")
    fresh = (
        "\n本年度存在的主要问题是基层政务公开标准化程度不高，依申请答复文书不够规范。\n\n"
        "下一步将加强业务培训，规范答复文书格式。\n\n"
    )
    this = _text(text[:start] + fresh + text[end:], "clean-2022.txt")
    found = [f for f in _pair(this, clean) if f.rule == "CS021"]
    assert _brief(found) == [("CS021", 77, 1)]
    (related,) = found[0].related
    # Last year's problem list: its first problem sentence, on line 79.
    assert (related.start.line, related.start.column) == (79, 1)
    # The same section with a sentence on last year's problems: none.
    followed = fresh + "上年度报告指出的公开内容不够全面问题已整改到位。\n"
    this = _text(text[:start] + followed + text[end:], "clean-2022.txt")
    assert not [f for f in _pair(this, clean) if f.rule == "CS021"]


@pytest.mark.parametrize("name", ["huaian-2024.pdf", "pingtan-2024.html"])
def test_real_report_with_last_year_made_from_itself(name: str) -> None:
    report = _report((REAL / name).read_bytes(), name)
    last = _text(previous_year(report), "2023.txt")
    assert last.outline.year == 2023
    for digest in (build_digest(report), build_digest(last)):
        for rule in ("CS019", "CS020"):
            assert None not in digest.extracts[rule].values  # compared
    found = _pair(report, last)
    # The carried numbers agree (no CS019, CS020); sections 一 and 五 are
    # last year's word for word, so CS022 is true there; section 五 copied
    # whole is CS022's one finding, not also CS021's.
    heads = {
        s.key: s.line
        for s in report.outline.sections
        if s.key in ("overview", "problems")
    }
    assert _brief(found) == [
        ("CS022", heads["overview"], 1),
        ("CS022", heads["problems"], 1),
    ]


def test_two_different_real_reports_are_no_copy() -> None:
    huaian = _report((REAL / "huaian-2024.pdf").read_bytes(), "huaian-2024.pdf")
    pingtan = _report((REAL / "pingtan-2024.html").read_bytes(), "pingtan-2024.html")
    last = _text(previous_year(pingtan), "2023.txt")
    # The genre's shared formulas do not make one report a copy of another.
    assert not [f for f in _pair(huaian, last) if f.rule == "CS022"]


def test_digest_is_small(clean: Report) -> None:
    digest: Digest = build_digest(clean)
    size = len(pickle.dumps(digest))
    # NOTE: measured 4.2 KB (README); a batch keeps 10,000 of these.
    assert size < 6000, size
    copied = digest.extracts["CS022"]
    assert all(len(e) <= 30 for p in copied.values() for e in p.excerpts)


def test_copy_threshold_from_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / ".disclosure-lint.yaml"
    path.write_text("copy-threshold: 0.9\n", encoding="utf-8")
    settings = merge(read_config(path), Settings())
    assert settings.options().copy_threshold == 0.9
    path.write_text("copy-threshold: 80\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'copy-threshold' must be a share"):
        read_config(path)
