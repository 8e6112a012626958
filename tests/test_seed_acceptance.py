"""The findings issue #2 requires on ../shared/seeds, by file, line and category."""

from __future__ import annotations

import pytest

from disclosure_lint.engine.lint import lint_paths
from disclosure_lint.packs.model import PackSet

from .conftest import SEEDS

REQUIRED = [
    ("000", 1, "structure", "ST002"),
    ("000", 2, "format", "FM001"),
    ("001", 11, "typo", "TY003"),
    ("001", 17, "typo", "TY001"),
    ("001", 95, "typo", "TY004"),
    ("001", 97, "format", "FM003"),
    ("002", 2, "format", "FM002"),
    ("002", 3, "format", "FM002"),
    ("002", 4, "format", "FM002"),
    ("002", 604, "format", "FM002"),
    ("002", 576, "structure", "ST006"),
    ("002", 586, "structure", "ST005"),
    ("002", None, "period", "PE001"),
    ("003", None, "period", "PE001"),
    ("004", None, "period", "PE001"),
    ("003", 119, "typo", None),
    ("003", 260, "typo", None),
    ("003", 404, "format", "FM001"),
    ("003", None, "structure", "ST003"),
    ("004", 13, "typo", "TY001"),
]


@pytest.fixture(scope="module")
def findings_by_seed(packset: PackSet) -> dict[str, list]:
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        result = next(lint_paths([str(path)], packset))
        out[path.name[:3]] = result.findings
    return out


@pytest.mark.parametrize(("seed", "line", "category", "rule"), REQUIRED)
def test_required_finding(findings_by_seed, seed, line, category, rule) -> None:
    found = [
        f
        for f in findings_by_seed[seed]
        if f.category.value == category
        and (line is None or f.start.line == line)
        and (rule is None or f.rule == rule)
    ]
    assert found, f"{seed}:{line} expected a {category} finding ({rule})"


def test_seed_001_has_a_period_and_no_missing_period(findings_by_seed) -> None:
    assert not [f for f in findings_by_seed["001"] if f.rule == "PE001"]
    assert not [f for f in findings_by_seed["000"] if f.rule == "PE001"]
