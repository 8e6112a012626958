"""Snapshots of everything the table reader and the rules produce, per draft.

For every seed and example, ``tests/golden/cells/<draft>.json`` holds every
cell ``extract`` exports (table, row, column, value, raw, status, unit, start
and end line and column), every label the reader recognised, each row's
problem, and the full findings list (positions, end positions, messages in
both languages, fixes). Speed work on the table code must leave all of it
unchanged; the golden ``.expected`` files pin only the findings' first line.

Regenerate with ``pytest tests/test_table_equivalence.py --regen-golden`` and
review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from disclosure_lint.cli.extract import cell_records
from disclosure_lint.engine.lint import lint_document
from disclosure_lint.inputs.load import load_document
from disclosure_lint.kinds.report import LintOptions, Report
from disclosure_lint.packs.model import PackSet
from disclosure_lint.tables.table import Table

from .conftest import EXAMPLES, GOLDEN, seed_files

SNAPSHOTS = GOLDEN / "cells"


def _drafts() -> list[Path]:
    return [
        *seed_files(),
        *sorted(EXAMPLES.glob("*.txt")),
        *sorted(EXAMPLES.glob("*.md")),
    ]


def _position(report: Report, offset: int) -> list[int]:
    where = report.document.position(offset)
    return [where.line, where.column]


def _tables(report: Report) -> list[dict[str, Any]]:
    """What the reader decided beyond the cells: labels and row problems."""
    out = []
    table: Table
    for table in report.tables:
        labels = [
            {
                "kind": hit.kind,
                "key": hit.key,
                "text": hit.text,
                "at": _position(report, hit.span.start),
                "quality": hit.quality,
                "fix": None if hit.fix is None else hit.fix[1],
            }
            for hit in table.labels
        ]
        rows = {
            key: {
                "values": row.values,
                "problem": row.problem,
                "at": _position(report, row.anchor.start),
            }
            for key, row in table.rows.items()
        }
        out.append(
            {
                "table": table.key,
                "found": table.found,
                "span": [
                    _position(report, table.span.start),
                    _position(report, table.span.end),
                ],
                "labels": labels,
                "rows": rows,
                "group_values": [g.text for g in table.group_values],
                "header_units": table.header_units,
            }
        )
    return out


def _snapshot(draft: Path, packset: PackSet) -> str:
    doc = load_document(str(draft))
    report, findings = lint_document(doc, packset)
    cells = [{**record, "file": draft.name} for record in cell_records(report)]
    english = lint_document(doc, packset, LintOptions(lang="en"))[1]
    payload = {
        "edition": report.pack.edition,
        "cells": cells,
        "tables": _tables(report),
        "findings": [{**f.to_dict(), "path": draft.name} for f in findings],
        "messages_en": [f.message for f in english],
    }
    return _dump(payload)


def _dump(payload: dict[str, Any]) -> str:
    """JSON with one record per line, so a diff shows which cell changed."""
    lines = ["{"]
    for i, (key, value) in enumerate(sorted(payload.items())):
        comma = "," if i < len(payload) - 1 else ""
        if isinstance(value, list) and value:
            lines.append(f" {json.dumps(key)}: [")
            for j, item in enumerate(value):
                end = "," if j < len(value) - 1 else ""
                lines.append(f"  {_one_line(item)}{end}")
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {_one_line(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _one_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("draft", _drafts(), ids=lambda p: p.name)
def test_cells_and_findings_match_snapshot(
    draft: Path, packset: PackSet, regen_golden: bool
) -> None:
    expected_file = SNAPSHOTS / f"{draft.name}.json"
    got = _snapshot(draft, packset)
    if regen_golden:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(got, encoding="utf-8")
    assert expected_file.exists(), (
        f"no snapshot; run pytest --regen-golden ({expected_file})"
    )
    assert got == expected_file.read_text(encoding="utf-8")


def test_snapshots_hold_cells_and_findings() -> None:
    """The snapshots are not empty: a regeneration from broken code would show."""
    cells = findings = 0
    for draft in _drafts():
        data = json.loads((SNAPSHOTS / f"{draft.name}.json").read_text("utf-8"))
        cells += len(data["cells"])
        findings += len(data["findings"])
    assert cells > 1000
    assert findings > 50
