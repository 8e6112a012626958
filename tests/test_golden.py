"""Golden tests: each seed and example next to its reviewed expected findings.

Regenerate with `pytest tests/test_golden.py --regen-golden` and review the
diff like code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure_lint.engine.lint import lint_paths
from disclosure_lint.packs.model import PackSet

from .conftest import EXAMPLES, GOLDEN, seed_files


def _render(path: Path, packset: PackSet) -> str:
    result = next(lint_paths([str(path)], packset))
    assert result.error is None, result.error
    lines = [
        f"{f.start.line}:{f.start.column} {f.severity.value} {f.rule} {f.message}"
        for f in result.findings
    ]
    return "".join(line + "\n" for line in lines)


def _drafts() -> list[Path]:
    return [
        *seed_files(),
        *sorted(EXAMPLES.glob("*.txt")),
        *sorted(EXAMPLES.glob("*.md")),
    ]


@pytest.mark.parametrize("draft", _drafts(), ids=lambda p: p.name)
def test_golden(draft: Path, packset: PackSet, regen_golden: bool) -> None:
    expected_file = GOLDEN / f"{draft.name}.expected"
    got = _render(draft, packset)
    if regen_golden:
        expected_file.write_text(got, encoding="utf-8")
    assert expected_file.exists(), (
        f"no golden file; run pytest --regen-golden ({expected_file})"
    )
    assert got == expected_file.read_text(encoding="utf-8")


def test_clean_examples_have_no_errors(packset: PackSet) -> None:
    for draft in sorted(EXAMPLES.glob("clean-*")):
        result = next(lint_paths([str(draft)], packset))
        errors = [f for f in result.findings if f.severity.value == "error"]
        assert not errors, f"{draft.name}: {[f.rule for f in errors]}"
