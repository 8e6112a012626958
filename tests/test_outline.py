"""Outline: title, years, period and sections across the seed layouts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.engine.lint import build_report
from disclosure_lint.inputs.load import document_from_bytes, load_document
from disclosure_lint.kinds.report import LintOptions
from disclosure_lint.outline import sections

from .conftest import SEEDS

KEYS = ["overview", "proactive", "applications", "review", "problems", "other"]


def _report(packset, text: str, **options):
    doc = document_from_bytes("t.txt", text.encode("utf-8"))
    return build_report(doc, packset, LintOptions(**options))


def _seed(packset, prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return build_report(load_document(path), packset, LintOptions())


@pytest.mark.parametrize(
    ("prefix", "year", "edition", "keys"),
    [
        ("000", 2020, "2019", KEYS),
        ("001", 2021, "2021", KEYS),
        ("002", 2020, "2019", KEYS),
        ("003", 2020, "2019", KEYS[:5]),
        ("004", 2020, "2019", KEYS),
    ],
)
def test_seed_outlines(packset, prefix, year, edition, keys) -> None:
    report = _seed(packset, prefix)
    outline = report.outline
    assert outline.year == year
    assert outline.edition == edition
    assert [s.key for s in outline.sections] == keys


def test_table_row_labels_are_not_headings(packset) -> None:
    # 四、结转下年度继续办理 comes right before the real section 四 in every seed
    for prefix in ("000", "001", "003", "004"):
        outline = _seed(packset, prefix).outline
        review = outline.section("review")
        assert review is not None and "行政复议" in review.heading
        assert not outline.strays


def test_wrapped_title_and_markdown_heading_levels(packset) -> None:
    outline = _seed(packset, "003").outline
    assert outline.title is not None
    assert outline.title.text == "建塘镇人民政府2020年度政府信息公开工作报告"
    assert outline.title.lines == (1, 2)
    outline = _seed(packset, "004").outline  # ## for 一–三, #### for 四–六
    assert outline.title is not None and outline.title.text.startswith("夏邑县")
    assert len(outline.sections) == 6


def test_year_sources(packset) -> None:
    assert (
        _report(packset, "某镇2021年政府信息公开工作年度报告\n").outline.year_source
        == "title"
    )
    period_only = "报告\n本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。\n"
    outline = _report(packset, period_only).outline
    assert (outline.year, outline.year_source) == (2022, "period")
    opening = "年度报告\n一、总体情况\n2019年，我局认真贯彻落实条例。\n"
    outline = _report(packset, opening).outline
    assert (outline.year, outline.year_source) == (2019, "opening")
    forced = _report(packset, "某镇2021年政府信息公开工作年度报告\n", year=2020).outline
    assert (forced.year, forced.edition) == (2020, "2019")


def test_edition_override(packset) -> None:
    report = _report(packset, "某镇2021年政府信息公开工作年度报告\n", edition="2019")
    assert report.outline.edition == "2019"
    assert report.outline.edition_source == "option"


@pytest.mark.parametrize(
    "heading",
    [
        "一、总体情况",
        "# 一、总体情况",
        "### 一 、 总体情况",
        "一．总体情况：",
        "一,总体情况",
        "  一、总体情况  ",
    ],
)
def test_heading_variants_tolerated(packset, heading) -> None:
    text = f"某镇2021年政府信息公开工作年度报告\n{heading}\n二、主动公开政府信息情况\n"
    outline = _report(packset, text).outline
    assert [s.key for s in outline.sections] == ["overview", "proactive"]
    assert not outline.sections[0].variant


def test_parenthesised_numbering_when_no_other_style(packset) -> None:
    text = (
        "某镇2021年政府信息公开工作年度报告\n（一）总体情况\n(二)主动公开政府信息情况\n"
        "（三）收到和处理政府信息公开申请情况\n"
    )
    outline = _report(packset, text).outline
    assert [s.key for s in outline.sections] == [
        "overview",
        "proactive",
        "applications",
    ]


def test_parenthesised_sub_items_are_not_sections(packset) -> None:
    text = (
        "某镇2021年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开政府信息情况\n"
        "二、主动公开政府信息情况\n"
    )
    outline = _report(packset, text).outline
    assert [s.key for s in outline.sections] == ["overview", "proactive"]
    assert outline.sections[1].line == 4


# --------------------------------------------------------------------------
# Heading verdicts: exact heading and alias matches are looked for first


def _best_section_one_pass(
    label: str, official: tuple[Any, ...], threshold: float
) -> Any:
    """The verdict as worked out before exact matches were looked for first."""
    best = None
    for key, numeral, heading, aliases, raw_heading in official:
        if label == heading:
            return key, numeral, raw_heading, False
        if label in aliases:
            score = 1.0
        else:
            score = max(
                [
                    sections._similar(label, heading, threshold),
                    *(sections._similar(label, a, threshold) for a in aliases),
                ]
            )
        if score >= threshold and (best is None or score > best[0]):
            best = (score, (key, numeral, raw_heading, True))
    return best[1] if best else None


_WORDS = st.text(alphabet="公开申请情况政府信息总体", min_size=1, max_size=8)
_OFFICIAL = st.lists(
    st.tuples(_WORDS, st.lists(_WORDS, max_size=3)), min_size=1, max_size=5
).map(
    lambda items: tuple(
        (f"k{i}", str(i), heading, tuple(aliases), heading)
        for i, (heading, aliases) in enumerate(items)
    )
)


@settings(max_examples=300, deadline=None)
@given(_WORDS, _OFFICIAL, st.sampled_from([0.0, 0.5, 0.6, 0.8, 1.0, 1.2]))
def test_exact_matches_first_give_the_same_verdicts(
    label: str, official: tuple[Any, ...], threshold: float
) -> None:
    assert sections._best_section(label, official, threshold) == _best_section_one_pass(
        label, official, threshold
    )
