"""The four real published reports of ``../shared/real``, against their truth.

Runs ``benchmarks/real.py --json`` (the measurement the issue notes quote),
which runs the installed CLI on each report as a user does: every key cell
of ``truth/*.json`` must be read exactly, and every error or warning must be
one of the report's real defects, named here with the truth entry it is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"

# The errors and warnings each report really deserves (rule, line), from the
# defects its truth file lists.
REAL_DEFECTS: dict[str, set[tuple[str, int]]] = {
    "huaian-2024.pdf": set(),
    # TB014: `6233440` (第二十条第（一）项) has no equation to split it by;
    # TY009: the published slip 仍在不足.
    "pingtan-2024-crawled.txt": {("TB014", 22), ("TY009", 128)},
    "pingtan-2024.html": {("TY009", 63)},
    # TB012: table 二（一）'s rows collapsed by the conversion; ST003: the
    # heading of section 五 is missing.
    "shanghai-office-2025-from-pdf.md": {("TB012", 78), ("ST003", 214)},
}
# Published defects that must be reported, at least as info.
PUBLISHED: dict[str, set[str]] = {
    "huaian-2024.pdf": {"TB015", "TB016", "PE006"},
    "pingtan-2024-crawled.txt": {"TY009"},
    "pingtan-2024.html": {"TY009"},
    "shanghai-office-2025-from-pdf.md": {"ST003"},
}


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, Any]]:
    if not (REAL / "truth").is_dir():
        pytest.fail(f"{REAL} is missing: clone the project with ../shared beside it")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "real.py"), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {result["file"]: result for result in json.loads(done.stdout)}


def test_every_real_report_is_measured(measured: dict[str, dict[str, Any]]) -> None:
    assert set(measured) == set(REAL_DEFECTS)


@pytest.mark.parametrize("name", sorted(REAL_DEFECTS))
def test_key_cells_are_read_exactly(
    measured: dict[str, dict[str, Any]], name: str
) -> None:
    result = measured[name]
    wrong = [cell for cell in result["cells"] if not cell["exact"]]
    assert not wrong and result["total"] == 25


@pytest.mark.parametrize("name", sorted(REAL_DEFECTS))
def test_errors_and_warnings_are_real_defects(
    measured: dict[str, dict[str, Any]], name: str
) -> None:
    loud = {
        (f["rule"], f["line"])
        for f in measured[name]["findings"]
        if f["severity"] in ("error", "warning")
    }
    assert loud == REAL_DEFECTS[name]


@pytest.mark.parametrize("name", sorted(REAL_DEFECTS))
def test_published_defects_are_reported(
    measured: dict[str, dict[str, Any]], name: str
) -> None:
    rules = {f["rule"] for f in measured[name]["findings"]}
    assert PUBLISHED[name] <= rules
