"""Every rule's YAML examples run as tests: `pytest -k ST003` selects one rule."""

from __future__ import annotations

import pytest

from disclosure_lint.engine.lint import RuleFilter, lint_text
from disclosure_lint.kinds.report import LintOptions
from disclosure_lint.packs.load import load_packset

_PACKSET = load_packset(use_cache=False)


def _cases() -> list[object]:
    cases = []
    for rule in _PACKSET.all_rules():
        for n, example in enumerate(rule.examples):
            name = example.get("name", str(n)).replace(" ", "-")
            cases.append(pytest.param(rule.id, example, id=f"{rule.id}-{n}-{name}"))
    return cases


@pytest.mark.parametrize(("rule_id", "example"), _cases())
def test_rule_example(rule_id: str, example: dict) -> None:
    options = LintOptions(
        year=example.get("year"),
        edition=str(example["edition"]) if example.get("edition") else None,
    )
    findings = lint_text(
        example["text"],
        path=example.get("path", "example.txt"),
        packset=_PACKSET,
        options=options,
        rule_filter=RuleFilter(select=(rule_id,)),
    )
    got = sorted(f"{f.start.line}:{f.start.column} {f.rule}" for f in findings)
    assert got == sorted(example["expect"])


def test_every_rule_has_passing_and_failing_examples() -> None:
    for rule in _PACKSET.all_rules():
        expects = [bool(e["expect"]) for e in rule.examples]
        assert True in expects, f"{rule.id} has no failing example"
        assert False in expects, f"{rule.id} has no passing example"
        assert rule.source, f"{rule.id} names no source"
