"""Every rule's YAML examples run as tests: `pytest -k ST003` selects one rule."""

from __future__ import annotations

import pytest

from disclosure_lint.engine.examples import example_findings
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
    findings = example_findings(rule_id, example, _PACKSET)
    got = sorted(f"{f.start.line}:{f.start.column} {f.rule}" for f in findings)
    assert got == sorted(example["expect"])


def test_every_rule_has_passing_and_failing_examples() -> None:
    for rule in _PACKSET.all_rules():
        expects = [bool(e["expect"]) for e in rule.examples]
        assert True in expects, f"{rule.id} has no failing example"
        assert False in expects, f"{rule.id} has no passing example"
        assert rule.source, f"{rule.id} names no source"
