"""Measure the checker on real published reports with hand-checked truth.

    python benchmarks/real.py [--real ../shared/real] [--json]

For every ``truth/<name>.json`` beside a report in ``--real``: how many of
the key table cells ``disclosure-lint extract`` reads exactly (value and
place), and every error and warning ``disclosure-lint`` reports on the
file, next to the defects the truth lists. Runs the installed CLI as a user
does, so it measures what ships.

The truth names cells by their printed labels (table 三 row label and
column label; table 四 ``行政复议`` / ``行政诉讼·未经复议直接起诉`` /
``行政诉讼·复议后起诉`` and a result column); ``truth_key`` maps them to
the keys ``extract`` writes, through the labels of the bundled pack.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REAL = ROOT.parent / "shared" / "real"

TABLE_KEYS = {"三": "applications", "四": "review"}
REVIEW_ROWS = {
    "行政复议": "review",
    "行政诉讼·未经复议直接起诉": "direct",
    "行政诉讼·复议后起诉": "after",
}
REVIEW_COLUMNS = {
    "结果维持": "upheld",
    "结果纠正": "corrected",
    "其他结果": "other",
    "尚未审结": "pending",
    "总计": "total",
}


def pack_labels() -> tuple[dict[str, str], dict[str, str]]:
    """Row and column labels of table 三 in the common pack, to their keys."""
    from ruamel.yaml import YAML

    pack = YAML(typ="safe").load(
        (ROOT / "rules" / "common" / "pack.yaml").read_text("utf-8")
    )
    table = pack["tables"]["applications"]
    rows = {r["label"]: r["key"] for r in table["rows"] if "key" in r and "label" in r}
    columns = {c["label"]: c["key"] for c in table["columns"]}
    return rows, columns


def truth_key(
    cell: dict[str, Any], rows: dict[str, str], columns: dict[str, str]
) -> tuple[str, str, str]:
    table = TABLE_KEYS[cell["table"]]
    if table == "review":
        return (
            table,
            "cases",
            f"{REVIEW_ROWS[cell['row']]}_{REVIEW_COLUMNS[cell['column']]}",
        )
    return table, rows[cell["row"]], columns[cell["column"]]


def run_json(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode == 2 or not done.stdout.strip():
        raise SystemExit(
            f"disclosure-lint {' '.join(args)} failed: {done.stderr.strip()}"
        )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def measure(report: Path, truth: dict[str, Any]) -> dict[str, Any]:
    rows, columns = pack_labels()
    extracted = run_json(["extract", "--format", "json", str(report)])
    read = {
        (c["table"], c["row"], c["column"]): c.get("value") for c in extracted["cells"]
    }
    cells = []
    for cell in truth["cells"]:
        key = truth_key(cell, rows, columns)
        got = read.get(key)
        cells.append(
            {
                "key": "/".join(key),
                "want": cell["value"],
                "got": got,
                "exact": got == cell["value"],
            }
        )
    checked = run_json(["--format", "json", str(report)])
    findings = [
        {
            "rule": f["rule"],
            "severity": f["severity"],
            "line": f["line"],
            "message": f["message"],
        }
        for f in checked["findings"]
    ]
    return {
        "file": report.name,
        "cells": cells,
        "exact": sum(c["exact"] for c in cells),
        "total": len(cells),
        "findings": findings,
        "defects": truth["defects"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL)
    parser.add_argument(
        "--json", action="store_true", help="print the measurements as JSON"
    )
    args = parser.parse_args()
    results = []
    for truth_path in sorted((args.real / "truth").glob("*.json")):
        truth = json.loads(truth_path.read_text("utf-8"))
        results.append(measure(args.real / truth["file"], truth))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    for result in results:
        loud = [f for f in result["findings"] if f["severity"] in ("error", "warning")]
        quiet = len(result["findings"]) - len(loud)
        print(
            f"== {result['file']}: {result['exact']}/{result['total']} key cells "
            f"exact, {len(loud)} errors/warnings, {quiet} info"
        )
        for cell in result["cells"]:
            if not cell["exact"]:
                print(f"   cell {cell['key']}: want {cell['want']}, got {cell['got']}")
        for finding in result["findings"]:
            where = f"{finding['line']}: {finding['severity']} {finding['rule']}"
            print(f"   {where} {finding['message']}")
        for defect in result["defects"]:
            print(f"   truth [{defect['origin']}] {defect['where']}")
    exact = sum(r["exact"] for r in results)
    total = sum(r["total"] for r in results)
    print(f"key cells exact: {exact}/{total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
